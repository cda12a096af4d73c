// A CPU profile of the Worker isolate (wrangler dev's inspector) while /ticket open runs at c=1 in one guild:
// `node bench/profile-open.ts` (N=300, KIND=open|ping); writes /tmp/prof-<kind>.cpuprofile and prints the top self times.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freePort, startLocalStack } from '../scripts/local-stack.ts';
import { makeGuilds, OpenSlots, SimClient, signOpens, signPings } from './interactions.ts';
import { runClosedLoop } from './load.ts';

const ip = await freePort();
process.env.GK_WRANGLER_ARGS = `--inspector-port ${ip}`;
const persistTo = mkdtempSync(join(tmpdir(), 'prof-'));
const stack = await startLocalStack({ workerPort: await freePort(), simPort: await freePort(), persistTo, quiet: true });
try {
  const sim = new SimClient(stack.sim.url);
  const N = Number(process.env.N ?? 300);
  const guilds = await makeGuilds(sim, N + 100, 1);
  const slots = new OpenSlots(guilds);
  const url = `${stack.workerUrl}/interactions`;
  const kind = process.env.KIND ?? 'open';
  const sign = (n: number) => (kind === 'ping' ? signPings(sim, n) : signOpens(sim, slots, n));
  await runClosedLoop({ label: 'w', url, requests: await sign(40), concurrency: 1, deadlineMs: 60_000, check: () => null });
  const targets = (await (await fetch(`http://127.0.0.1:${ip}/json`)).json()) as { webSocketDebuggerUrl: string; title?: string }[];
  console.log(targets.map((t) => t.title));
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((r) => ws.once('open', r));
  let id = 0;
  const pending = new Map<number, (v: any) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d));
    if (m.id && pending.has(m.id)) {
      pending.get(m.id)!(m.result);
      pending.delete(m.id);
    }
  });
  const send = (method: string, params: object = {}) =>
    new Promise<any>((r) => {
      const i = ++id;
      pending.set(i, r);
      ws.send(JSON.stringify({ id: i, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 100 });
  await send('Profiler.start');
  const reqs = await sign(N);
  const t0 = performance.now();
  const res = await runClosedLoop({ label: 'p', url, requests: reqs, concurrency: 1, deadlineMs: 120_000, check: () => null });
  await new Promise((r) => setTimeout(r, 3000));
  const { profile } = await send('Profiler.stop');
  console.log(`ran ${res.ok} in ${(performance.now() - t0).toFixed(0)} ms p50 ${res.latencyMs.p50.toFixed(2)}`);
  writeFileSync(`/tmp/prof-${kind}.cpuprofile`, JSON.stringify(profile));
  const self = new Map<string, number>();
  const dt = (profile.endTime - profile.startTime) / profile.samples.length;
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const k = `${f.functionName || '(anon)'} ${String(f.url).split('/').slice(-2).join('/')}:${f.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + ((n.hitCount ?? 0) * dt) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`total sampled ${total.toFixed(0)} ms`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(v.toFixed(1).padStart(8), k);
  ws.close();
} finally {
  await stack.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
