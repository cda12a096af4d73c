// Ed25519 verify cost inside workerd: starts the throwaway signature Worker,
// hands it one real signed interaction, and times batches of verifies.

import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { waitForHttp } from '../scripts/local-stack.ts';
import { startBenchWorker, stopChild } from './wrangler-child.ts';

export interface SignatureSample {
  body: string;
  signatureHex: string;
  timestamp: string;
  publicKeyHex: string;
}

export interface ImplResult {
  impl: 'webcrypto' | 'tweetnacl';
  verifiesPerBatch: number;
  batches: number;
  /** Per verify: (median batch request − median empty request) / n, timed from Node. */
  usPerVerify: number;
  /** Per verify: (median in-Worker batch time − median empty) / n, clock read across awaited timers. */
  usPerVerifyInner: number;
  allValid: boolean;
}

export interface SignatureResult {
  bodyBytes: number;
  checks: Record<string, boolean>;
  results: ImplResult[];
  emptyRequestMs: number;
  ratio: number;
}

const config = fileURLToPath(new URL('./wrangler.signature.jsonc', import.meta.url));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

export async function runSignatureBench(opts: {
  port: number;
  persistTo: string;
  sample: SignatureSample;
  batches: number;
  webcryptoN: number;
  tweetnaclN: number;
}): Promise<SignatureResult> {
  const child = startBenchWorker(config, opts.port, opts.persistTo);
  const base = `http://127.0.0.1:${opts.port}`;
  try {
    await waitForHttp(`${base}/`, 60_000);
    const setupRes = await fetch(`${base}/setup`, { method: 'POST', body: JSON.stringify(opts.sample), signal: AbortSignal.timeout(15_000) });
    const setup = (await setupRes.json()) as { bodyBytes: number; checks: Record<string, boolean> };
    if (!Object.values(setup.checks).every(Boolean)) throw new Error(`signature checks failed inside workerd: ${JSON.stringify(setup.checks)}`);

    const batch = async (impl: string, n: number) => {
      const t0 = performance.now();
      const r = await fetch(`${base}/run?impl=${impl}&n=${n}`, { signal: AbortSignal.timeout(60_000) });
      const j = (await r.json()) as { valid: number; innerMs: number; error?: string };
      const outerMs = performance.now() - t0;
      if (!r.ok) throw new Error(`signature worker: ${j.error}`);
      return { outerMs, innerMs: j.innerMs, valid: j.valid };
    };
    // Warm-up: lets V8 optimise tweetnacl and workerd settle, not counted.
    for (let i = 0; i < 3; i++) {
      await batch('none', 0);
      await batch('webcrypto', 200);
      await batch('tweetnacl', 30);
    }

    const empty: { outerMs: number; innerMs: number }[] = [];
    const runs = {
      webcrypto: [] as { outerMs: number; innerMs: number; valid: number }[],
      tweetnacl: [] as { outerMs: number; innerMs: number; valid: number }[],
    };
    // Interleaved, so drift on a shared machine hits both alike.
    for (let b = 0; b < opts.batches; b++) {
      empty.push(await batch('none', 0));
      runs.webcrypto.push(await batch('webcrypto', opts.webcryptoN));
      empty.push(await batch('none', 0));
      runs.tweetnacl.push(await batch('tweetnacl', opts.tweetnaclN));
    }
    const emptyOuter = median(empty.map((e) => e.outerMs));
    const emptyInner = median(empty.map((e) => e.innerMs));
    const summarize = (impl: 'webcrypto' | 'tweetnacl', n: number): ImplResult => ({
      impl,
      verifiesPerBatch: n,
      batches: opts.batches,
      usPerVerify: ((median(runs[impl].map((r) => r.outerMs)) - emptyOuter) * 1000) / n,
      usPerVerifyInner: ((median(runs[impl].map((r) => r.innerMs)) - emptyInner) * 1000) / n,
      allValid: runs[impl].every((r) => r.valid === n),
    });
    const results = [summarize('webcrypto', opts.webcryptoN), summarize('tweetnacl', opts.tweetnaclN)];
    return { bodyBytes: setup.bodyBytes, checks: setup.checks, results, emptyRequestMs: emptyOuter, ratio: results[1]!.usPerVerify / results[0]!.usPerVerify };
  } finally {
    await stopChild(child);
  }
}
