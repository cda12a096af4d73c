// Closed-loop load: `concurrency` workers, each sending its next request only
// when the previous answer has fully arrived, over keep-alive connections
// (Node's fetch pools and reuses sockets per origin). Latency is per request,
// from just before fetch() to the end of the body, with performance.now().
import { performance } from 'node:perf_hooks';
import type { CpuSeconds, Role } from './cpu.ts';

export interface PreparedRequest {
  id: string;
  body: string;
  headers: Record<string, string>;
}

/** Says whether a response is the operation we meant to measure (e.g. a real ticket open, not a refusal). */
export type Check = (status: number, body: string) => string | null;

export interface PhaseResult {
  label: string;
  concurrency: number;
  sent: number;
  ok: number;
  failed: number;
  /** The first few distinct failure reasons, for the report. */
  failures: string[];
  wallMs: number;
  /** Successful operations per second of wall time (NaN for paced phases, where the pauses dominate the wall time). */
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** CPU seconds each of our processes used during the phase (filled in by the caller). */
  cpuS?: CpuSeconds;
}

/** Nearest-rank percentile over sorted samples (no interpolation: every reported value was observed). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: number[]): PhaseResult['latencyMs'] {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.at(-1) ?? NaN, mean };
}

export interface RunOptions {
  label: string;
  url: string;
  requests: readonly PreparedRequest[];
  concurrency: number;
  check: Check;
  /** Hard stop for the phase; requests not started by then are not sent. */
  deadlineMs: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Pause after each request (not timed), so each request's background work finishes before the next: isolates the request path. */
  gapMs?: number;
  /** POST (the default: interactions) or GET (a page or API read; the request's body is not sent). */
  method?: 'POST' | 'GET';
}

/** Latencies of successful requests only; failures are counted (and reported) but not mixed into the percentiles. */
export async function runClosedLoop(o: RunOptions): Promise<PhaseResult & { samples: number[] }> {
  const samples: number[] = [];
  const reasons = new Map<string, number>();
  let next = 0;
  let sent = 0;
  const started = performance.now();
  const stopAt = started + o.deadlineMs;
  const worker = async (): Promise<void> => {
    while (next < o.requests.length && performance.now() < stopAt) {
      const req = o.requests[next++]!;
      sent++;
      const t0 = performance.now();
      let failure: string | null;
      try {
        const method = o.method ?? 'POST';
        const res = await fetch(o.url, {
          method,
          headers: req.headers,
          ...(method === 'POST' ? { body: req.body } : {}),
          signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
        });
        const text = await res.text();
        failure = o.check(res.status, text);
      } catch (e) {
        failure = `fetch: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
      }
      const dt = performance.now() - t0;
      if (failure === null) samples.push(dt);
      else reasons.set(failure, (reasons.get(failure) ?? 0) + 1);
      if (o.gapMs) await new Promise((r) => setTimeout(r, o.gapMs));
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const wallMs = performance.now() - started;
  const failed = sent - samples.length;
  return {
    label: o.label,
    concurrency: o.concurrency,
    sent,
    ok: samples.length,
    failed,
    failures: [...reasons].slice(0, 5).map(([r, n]) => `${n}× ${r}`),
    wallMs,
    rps: o.gapMs ? NaN : samples.length / (wallMs / 1000),
    latencyMs: summarize(samples),
    samples,
  };
}

/** Several blocks of one kind measured apart (interleaved with another kind), combined as one phase. */
export function combine(label: string, blocks: (PhaseResult & { samples: number[] })[]): PhaseResult {
  const samples = blocks.flatMap((b) => b.samples);
  const wallMs = blocks.reduce((s, b) => s + b.wallMs, 0);
  const failures = blocks.flatMap((b) => b.failures).slice(0, 5);
  const ok = samples.length;
  const cpuS: CpuSeconds = {};
  for (const b of blocks) for (const [k, v] of Object.entries(b.cpuS ?? {}) as [Role, number][]) cpuS[k] = (cpuS[k] ?? 0) + v;
  return {
    cpuS,
    label,
    concurrency: blocks[0]?.concurrency ?? 0,
    sent: blocks.reduce((s, b) => s + b.sent, 0),
    ok,
    failed: blocks.reduce((s, b) => s + b.failed, 0),
    failures,
    wallMs,
    rps: blocks.some((b) => Number.isNaN(b.rps)) ? NaN : ok / (wallMs / 1000),
    latencyMs: summarize(samples),
  };
}
