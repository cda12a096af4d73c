/**
 * Apply lag (Discord's event timestamp → the guild actor has applied it) as a
 * cumulative histogram with fixed log-spaced buckets: constant memory however
 * many events pass, and two snapshots can be subtracted to get the
 * percentiles of any interval (the bench does that per phase).
 */
export const LAG_BOUNDS_MS: readonly number[] = [
  1,
  2,
  3,
  5,
  7,
  10,
  15,
  20,
  30,
  40,
  50,
  70,
  100,
  150,
  200,
  300,
  500,
  700,
  1_000,
  2_000,
  5_000,
  10_000,
  30_000,
  60_000,
  Infinity,
];

export interface LagHistogram {
  /** counts[i]: lags ≤ LAG_BOUNDS_MS[i] and > LAG_BOUNDS_MS[i - 1]. */
  counts: number[];
  max: number;
}

export const emptyLag = (): LagHistogram => ({ counts: LAG_BOUNDS_MS.map(() => 0), max: 0 });

export function recordLag(h: LagHistogram, ms: number): void {
  const lag = Math.max(0, ms);
  const i = LAG_BOUNDS_MS.findIndex((b) => lag <= b);
  h.counts[i] = (h.counts[i] ?? 0) + 1;
  if (lag > h.max) h.max = lag;
}

/** `after − before`: the lags recorded in between (max is the later snapshot's). */
export function lagBetween(before: LagHistogram, after: LagHistogram): LagHistogram {
  return { counts: after.counts.map((n, i) => n - (before.counts[i] ?? 0)), max: after.max };
}

/** The bucket bound under which `p` (0–1) of the lags fall; null when empty. Over-reports by at most one bucket. */
export function lagPercentile(h: LagHistogram, p: number): number | null {
  const total = h.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const want = Math.ceil(p * total);
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i]!;
    if (seen >= want) return LAG_BOUNDS_MS[i] === Infinity ? h.max : LAG_BOUNDS_MS[i]!;
  }
  return h.max;
}
