/**
 * Analytics' rules, pure: time buckets, which resolution a range is read at,
 * how stored counts become a gap-free series, the per-invite spike rule, and
 * CSV that a spreadsheet opens without running anything.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Stored resolutions: per minute (kept two days), per hour and per day (kept long). */
export type Resolution = 'm' | 'h' | 'd';
export const RESOLUTION_MS: Record<Resolution, number> = { m: MINUTE, h: HOUR, d: DAY };
/** Minute rows older than this are swept by housekeeping. */
export const MINUTE_RETENTION_MS = 2 * DAY;
/** Hour rows are kept this long (a 30-day chart reads days, a 7-day chart hours). */
export const HOUR_RETENTION_MS = 35 * DAY;
/** Day rows: two years. */
export const DAY_RETENTION_MS = 730 * DAY;

/** What is counted. Totals have key ''; the per-invite, per-inviter and per-campaign counts key by code, user id, campaign name. */
export const METRICS = ['join', 'leave', 'verify-pass', 'verify-fail', 'invite', 'inviter', 'campaign'] as const;
export type Metric = (typeof METRICS)[number];
/** The guild-wide series a chart draws. */
export const SERIES = ['join', 'leave', 'verify-pass', 'verify-fail'] as const;
export type SeriesMetric = (typeof SERIES)[number];

export const bucketOf = (at: number, res: Resolution): number => Math.floor(at / RESOLUTION_MS[res]) * RESOLUTION_MS[res];

export const RANGES = ['1h', '24h', '7d', '30d'] as const;
export type Range = (typeof RANGES)[number];
export const isRange = (r: unknown): r is Range => typeof r === 'string' && (RANGES as readonly string[]).includes(r);

/** Each range is read at the finest resolution that keeps a chart under ~200 points and within what is kept. */
export const RANGE_PLAN: Record<Range, { res: Resolution; span: number }> = {
  '1h': { res: 'm', span: HOUR },
  '24h': { res: 'h', span: DAY },
  '7d': { res: 'h', span: 7 * DAY },
  '30d': { res: 'd', span: 30 * DAY },
};

/** The buckets a range covers, oldest first, ending with the bucket `now` is in. */
export function bucketsOf(range: Range, now: number): { res: Resolution; from: number; to: number; starts: number[] } {
  const { res, span } = RANGE_PLAN[range];
  const step = RESOLUTION_MS[res];
  const last = bucketOf(now, res);
  const n = Math.ceil(span / step);
  const starts = Array.from({ length: n }, (_, i) => last - (n - 1 - i) * step);
  return { res, from: starts[0]!, to: last + step, starts };
}

/** Stored rows (sparse) as one value per bucket, zero where nothing was counted. */
export function fillSeries(starts: readonly number[], rows: readonly { at: number; n: number }[]): number[] {
  const by = new Map(rows.map((r) => [r.at, r.n]));
  return starts.map((s) => by.get(s) ?? 0);
}

/** The per-invite spike rule's settings. */
export interface SpikeConfig {
  /** Minutes of the recent window. */
  windowMin: number;
  /** Minutes before the window whose average is the baseline. */
  baselineMin: number;
  /** Uses in the window below this are never a spike (a small server's normal day). */
  floor: number;
  /** The window must exceed the baseline's rate over a window this many times. */
  factor: number;
  /** One alert per invite per this many minutes (the desk folds repeats too). */
  cooldownMin: number;
}

export const DEFAULT_SPIKE: SpikeConfig = { windowMin: 5, baselineMin: 60, floor: 25, factor: 5, cooldownMin: 30 };

/**
 * Whether one invite's recent uses are a spike: at least `floor` uses in the
 * window, and more than `factor` times what the baseline's rate would bring
 * in a window of the same length (a steady, busy invite is not a spike).
 */
export function isSpike(recent: number, baselineTotal: number, c: SpikeConfig = DEFAULT_SPIKE): boolean {
  if (recent < c.floor) return false;
  const expected = (baselineTotal / c.baselineMin) * c.windowMin;
  return recent > c.factor * expected;
}

/** Reads settings typed by an admin; unknown or out-of-range values fall back to the default. */
export function spikeConfigOf(raw: Partial<Record<keyof SpikeConfig, unknown>>): SpikeConfig {
  const int = (v: unknown, d: number, lo: number, hi: number) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isInteger(n) && n >= lo && n <= hi ? n : d;
  };
  return {
    windowMin: int(raw.windowMin, DEFAULT_SPIKE.windowMin, 1, 60),
    baselineMin: int(raw.baselineMin, DEFAULT_SPIKE.baselineMin, 10, 24 * 60),
    floor: int(raw.floor, DEFAULT_SPIKE.floor, 1, 100_000),
    factor: int(raw.factor, DEFAULT_SPIKE.factor, 1, 1000),
    cooldownMin: int(raw.cooldownMin, DEFAULT_SPIKE.cooldownMin, 1, 24 * 60),
  };
}

/**
 * One CSV cell: quoted when it holds a comma, quote or line break, and a
 * leading = + - @ (or tab / carriage return) prefixed with ' so a
 * spreadsheet shows it as text instead of running it as a formula.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV (RFC 4180 line ends). */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Live deltas are sent at most this often per guild: a burst of 1,000 joins costs a few messages, not 1,000. */
export const LIVE_INTERVAL_MS = 250;

/** Counts added since the last live message. */
export type Delta = Partial<Record<SeriesMetric, number>>;

export function addDelta(d: Delta, m: SeriesMetric, n = 1): Delta {
  return { ...d, [m]: (d[m] ?? 0) + n };
}
