// Automod decision cost inside workerd: starts the throwaway automod Worker
// (bench/worker-automod.ts), has it compile 50 rules and build a message
// corpus, then times batches of decisions against two references in the same
// run: the same decision with no rules configured, and JSON.parse of the
// MESSAGE_CREATE payload.

import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { waitForHttp } from '../scripts/local-stack.ts';
import { startBenchWorker, stopChild } from './wrangler-child.ts';

export interface AutomodBenchOptions {
  port: number;
  persistTo: string;
  /** Batches per kind, interleaved. */
  batches?: number;
  /** Messages per batch. */
  n?: number;
  /** Distinct messages in the corpus (cycled) and distinct authors. */
  corpus?: number;
  members?: number;
}

export interface AutomodKind {
  /** µs per message: (median in-Worker batch time − median empty batch) / n, the clock read across awaited timers. */
  usPerMessage: number;
  /** µs per message timed from Node: (median batch request − median empty request) / n. */
  usPerMessageOuter: number;
}

export interface AutomodBenchResult {
  rules: number;
  /** Compiling the 50-rule set once (what each /automod change costs), ms. */
  compileMs: number;
  messagesPerBatch: number;
  batches: number;
  corpus: number;
  members: number;
  /** Share of messages that broke at least one rule (a check that the rules were really exercised). */
  violatingShare: number;
  /** The decision with 50 rules: context, every rule with the author's window, the fold into actions. */
  decide: AutomodKind;
  /** Reference: the same decision with no rules configured. */
  noRules: AutomodKind;
  /** Reference: JSON.parse of the MESSAGE_CREATE payload. */
  jsonParse: AutomodKind;
  /** decide.usPerMessage / jsonParse.usPerMessage. */
  ratioToParse: number;
  emptyRequestMs: number;
}

const config = fileURLToPath(new URL('./wrangler.automod.jsonc', import.meta.url));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

export async function runAutomodBench(opts: AutomodBenchOptions): Promise<AutomodBenchResult> {
  const batches = opts.batches ?? 7;
  const n = opts.n ?? 5000;
  const corpus = opts.corpus ?? 2000;
  const members = opts.members ?? 500;
  const child = startBenchWorker(config, opts.port, opts.persistTo);
  const base = `http://127.0.0.1:${opts.port}`;
  try {
    await waitForHttp(`${base}/`, 60_000);
    const setupRes = await fetch(`${base}/setup`, { method: 'POST', body: JSON.stringify({ messages: corpus, members }), signal: AbortSignal.timeout(30_000) });
    const setup = (await setupRes.json()) as { rules: number; compileMs: number; problems: string[]; error?: unknown };
    if (!setupRes.ok) throw new Error(`automod worker setup: ${JSON.stringify(setup.error)}`);
    if (setup.rules !== 50 || setup.problems.length) throw new Error(`automod worker compiled ${setup.rules} rules (${setup.problems.join('; ')})`);

    const batch = async (impl: string, size: number) => {
      const t0 = performance.now();
      const r = await fetch(`${base}/run?impl=${impl}&n=${size}`, { signal: AbortSignal.timeout(120_000) });
      const j = (await r.json()) as { innerMs: number; hits: number; error?: string };
      const outerMs = performance.now() - t0;
      if (!r.ok) throw new Error(`automod worker: ${j.error}`);
      return { outerMs, innerMs: j.innerMs, hits: j.hits };
    };
    // Warm-up: V8 optimises the rule code and every member gets a window; not counted.
    for (let i = 0; i < 3; i++) {
      await batch('none', 0);
      await batch('decide', n);
      await batch('empty', n);
      await batch('parse', n);
    }

    const empty: { outerMs: number; innerMs: number }[] = [];
    const runs: Record<'decide' | 'empty' | 'parse', { outerMs: number; innerMs: number; hits: number }[]> = { decide: [], empty: [], parse: [] };
    // Interleaved, so drift on a shared machine hits all kinds alike.
    for (let b = 0; b < batches; b++) {
      for (const impl of ['decide', 'empty', 'parse'] as const) {
        empty.push(await batch('none', 0));
        runs[impl].push(await batch(impl, n));
      }
    }
    const emptyOuter = median(empty.map((e) => e.outerMs));
    const emptyInner = median(empty.map((e) => e.innerMs));
    const kind = (impl: 'decide' | 'empty' | 'parse'): AutomodKind => ({
      usPerMessage: ((median(runs[impl].map((r) => r.innerMs)) - emptyInner) * 1000) / n,
      usPerMessageOuter: ((median(runs[impl].map((r) => r.outerMs)) - emptyOuter) * 1000) / n,
    });
    const decide = kind('decide');
    const jsonParse = kind('parse');
    return {
      rules: setup.rules,
      compileMs: setup.compileMs,
      messagesPerBatch: n,
      batches,
      corpus,
      members,
      violatingShare: median(runs.decide.map((r) => r.hits)) / n,
      decide,
      noRules: kind('empty'),
      jsonParse,
      ratioToParse: decide.usPerMessage / jsonParse.usPerMessage,
      emptyRequestMs: emptyOuter,
    };
  } finally {
    await stopChild(child);
  }
}

// `node bench/automod.ts` runs it alone and prints the result.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-automod-'));
  try {
    console.log(JSON.stringify(await runAutomodBench({ port, persistTo }), null, 2));
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
}
