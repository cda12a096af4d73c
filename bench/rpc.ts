// The empty-RPC rate between two Durable Objects in the local runtime, with
// and without one storage write per call: the ceiling of "one RPC per event"
// that the shard's per-guild batching has to beat. Its own wrangler dev, so
// nothing else runs in that workerd.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForHttp } from '../scripts/local-stack.ts';
import { type CpuSeconds, cpuDelta, type Role, sampleCpu } from './cpu.ts';
import type { Mode } from './worker-rpc.ts';
import { startBenchWorker, stopChild } from './wrangler-child.ts';

export interface RpcModeResult {
  mode: Mode;
  callsPerBatch: number;
  /** Calls per second of each batch (timed inside the caller actor), in run order. */
  perBatch: number[];
  /** The median of perBatch. */
  callsPerS: number;
  /** CPU milliseconds per call, by process, over all batches (workerd is the runtime; wrangler relays its logs). */
  cpuMsPerCall: CpuSeconds;
}

export interface RpcFanoutResult {
  /** Callee actors written to at once (one call in flight per callee). */
  targets: number;
  calls: number;
  perBatch: number[];
  callsPerS: number;
  cpuMsPerCall: CpuSeconds;
}

export interface RpcResult {
  empty: RpcModeResult;
  write: RpcModeResult;
  fanout: RpcFanoutResult[];
}

const config = fileURLToPath(new URL('./wrangler.rpc.jsonc', import.meta.url));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
};

export async function runRpcBench(opts: {
  port: number;
  batches: number;
  emptyN: number;
  writeN: number;
  fanout: { targets: number[]; calls: number; batches: number };
}): Promise<RpcResult> {
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-rpc-'));
  const child = startBenchWorker(config, opts.port, persistTo);
  const base = `http://127.0.0.1:${opts.port}`;
  try {
    await waitForHttp(`${base}/`, 60_000);
    const cpu: Record<Mode, CpuSeconds> = { empty: {}, write: {} };
    const calls: Record<Mode, number> = { empty: 0, write: 0 };
    const batch = async (mode: Mode, n: number, counted = true): Promise<number> => {
      const c0 = sampleCpu();
      const r = await fetch(`${base}/run?mode=${mode}&n=${n}`, { signal: AbortSignal.timeout(60_000) });
      const j = (await r.json()) as { n: number; innerMs: number; error?: string };
      if (!r.ok) throw new Error(`rpc worker: ${j.error}`);
      if (counted) {
        calls[mode] += n;
        for (const [k, v] of Object.entries(cpuDelta(c0, sampleCpu())) as [Role, number][]) cpu[mode][k] = (cpu[mode][k] ?? 0) + v;
      }
      return n / (Math.max(j.innerMs, 1) / 1000);
    };
    // Warm-up, not counted: both actors exist, V8 has optimised the loop.
    for (let i = 0; i < 2; i++) {
      await batch('empty', 200, false);
      await batch('write', 200, false);
    }
    const runs: Record<Mode, number[]> = { empty: [], write: [] };
    // Interleaved, so drift on a shared machine hits both alike.
    for (let b = 0; b < opts.batches; b++) {
      runs.empty.push(await batch('empty', opts.emptyN));
      runs.write.push(await batch('write', opts.writeN));
    }
    const perCall = (mode: Mode): CpuSeconds => Object.fromEntries(Object.entries(cpu[mode]).map(([k, v]) => [k, (v * 1000) / Math.max(1, calls[mode])]));
    const fanout: RpcFanoutResult[] = [];
    for (const targets of opts.fanout.targets) {
      const once = async (n: number): Promise<number> => {
        const r = await fetch(`${base}/fanout?targets=${targets}&n=${n}`, { signal: AbortSignal.timeout(120_000) });
        const j = (await r.json()) as { innerMs: number; error?: string };
        if (!r.ok) throw new Error(`rpc worker: ${j.error}`);
        return n / (Math.max(j.innerMs, 1) / 1000);
      };
      // Not counted: creates every callee actor.
      await once(targets);
      const perBatch: number[] = [];
      const c0 = sampleCpu();
      for (let b = 0; b < opts.fanout.batches; b++) perBatch.push(await once(opts.fanout.calls));
      const total = opts.fanout.calls * opts.fanout.batches;
      const cpuMsPerCall = Object.fromEntries(Object.entries(cpuDelta(c0, sampleCpu())).map(([k, v]) => [k, (v * 1000) / total]));
      fanout.push({ targets, calls: opts.fanout.calls, perBatch, callsPerS: median(perBatch), cpuMsPerCall });
    }
    const result = (mode: Mode, n: number): RpcModeResult => ({
      mode,
      callsPerBatch: n,
      perBatch: runs[mode],
      callsPerS: median(runs[mode]),
      cpuMsPerCall: perCall(mode),
    });
    return { empty: result('empty', opts.emptyN), write: result('write', opts.writeN), fanout };
  } finally {
    await stopChild(child);
    rmSync(persistTo, { recursive: true, force: true });
  }
}
