/** Usage history: status samples summed into buckets, two spans, each bounded. */
export const SPANS = {
  /** 5-minute buckets for the last day. */
  fine: { ms: 5 * 60_000, keepMs: 26 * 3_600_000 },
  /** Hourly buckets for 30 days. */
  hourly: { ms: 3_600_000, keepMs: 31 * 86_400_000 },
} as const;

export const PERIODS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type Period = keyof typeof PERIODS;

/** One bucket as stored: sums, so merging samples is an addition. */
export interface Bucket {
  bucket: number;
  n: number;
  up: number;
  cpu: number;
  memory: number;
  players: number;
}

export interface Summary {
  samples: number;
  uptimePct: number | null;
  cpuAvg: number | null;
  cpuMax: number | null;
  memoryAvg: number | null;
  memoryMax: number | null;
  playersAvg: number | null;
  playersMax: number | null;
  /** Averages per point, oldest first, for a chart or sparkline (null where no sample). */
  series: { cpu: (number | null)[]; memory: (number | null)[]; players: (number | null)[] };
}

/** Which span serves a period: the last day from 5-minute buckets, longer from hourly ones. */
export const spanFor = (p: Period) => (p === '24h' ? SPANS.fine : SPANS.hourly);

/** Averages and maxima over the buckets of a period, and a series of `points` points. */
export function summarise(buckets: readonly Bucket[], from: number, to: number, points = 48): Summary {
  const inRange = buckets.filter((b) => b.bucket >= from && b.bucket < to && b.n > 0);
  const n = inRange.reduce((s, b) => s + b.n, 0);
  const avg = (f: (b: Bucket) => number) => (n ? inRange.reduce((s, b) => s + f(b), 0) / n : null);
  const max = (f: (b: Bucket) => number) => (inRange.length ? Math.max(...inRange.map((b) => f(b) / b.n)) : null);
  const step = (to - from) / points;
  const series = { cpu: [] as (number | null)[], memory: [] as (number | null)[], players: [] as (number | null)[] };
  for (let i = 0; i < points; i++) {
    const lo = from + i * step;
    const part = inRange.filter((b) => b.bucket >= lo && b.bucket < lo + step);
    const pn = part.reduce((s, b) => s + b.n, 0);
    series.cpu.push(pn ? part.reduce((s, b) => s + b.cpu, 0) / pn : null);
    series.memory.push(pn ? part.reduce((s, b) => s + b.memory, 0) / pn : null);
    series.players.push(pn ? part.reduce((s, b) => s + b.players, 0) / pn : null);
  }
  return {
    samples: n,
    uptimePct: n ? (inRange.reduce((s, b) => s + b.up, 0) / n) * 100 : null,
    cpuAvg: avg((b) => b.cpu),
    cpuMax: max((b) => b.cpu),
    memoryAvg: avg((b) => b.memory),
    memoryMax: max((b) => b.memory),
    playersAvg: avg((b) => b.players),
    playersMax: max((b) => b.players),
    series,
  };
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line chart of a series (blank where there was no sample): readable wherever Discord shows text. */
export function sparkline(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return values.map((v) => (v === null ? ' ' : BARS[hi === lo ? 0 : Math.min(7, Math.floor(((v - lo) / (hi - lo)) * 8))])).join('');
}
