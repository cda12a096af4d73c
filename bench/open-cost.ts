// A quick diagnostic of the tickets bench's round trip (issue 12, item 12) without the 26-minute setup:
// `node bench/open-cost.ts` (ROUNDS=4, PER=25). One guild, opens from two support channels, c=1 blocks of
// PING and /ticket open interleaved (order flipped each round), each after the simulator has gone quiet; per
// kind the p50 and the workerd CPU per request (which includes the background work each open leaves behind).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalStack } from '../scripts/local-stack.ts';
import { cpuDelta, sampleCpu } from './cpu.ts';
import { signPings } from './interactions.ts';
import { combine, type PhaseResult, runClosedLoop } from './load.ts';
import { mapLimited, Sim, type SimGuild, settle, signOpen } from './tickets.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 4);
const PER = Number(process.env.PER ?? 25);
const persistTo = mkdtempSync(join(tmpdir(), 'open-cost-'));
const stack = await startLocalStack({ workerPort: await freePort(), simPort: await freePort(), persistTo, quiet: true });
try {
  const sim = new Sim(stack.sim.url);
  const g = await sim.call<SimGuild>('/_sim/guilds', { name: 'Support guild', members: (ROUNDS + 1) * PER + 10, staff: 1 });
  await sim.command(g, 'setup', ['tickets'], [{ name: 'staff_role', type: 8, value: g.staffRoleId }]);
  const url = `${stack.workerUrl}/interactions`;
  let next = 0;
  const sign = (kind: 'ping' | 'open', n: number) =>
    kind === 'ping'
      ? signPings(sim, n)
      : mapLimited(
          Array.from({ length: n }, () => g.memberIds[next++]!),
          8,
          (userId, i) => signOpen(sim, g, i % 2 ? g.supportChannelId : g.generalChannelId, userId, 'other', 'low', `rt ${next}`),
        );
  const blocks: Record<'ping' | 'open', (PhaseResult & { samples: number[] })[]> = { ping: [], open: [] };
  const cpu: Record<'ping' | 'open', number> = { ping: 0, open: 0 };
  const after: Record<'ping' | 'open', number> = { ping: 0, open: 0 };
  const run = async (kind: 'ping' | 'open', n: number, keep: boolean) => {
    const requests = await sign(kind, n);
    await settle(sim, 3000);
    const c0 = sampleCpu();
    const r = await runClosedLoop({ label: kind, url, requests, concurrency: 1, deadlineMs: 60_000, check: () => null });
    const c1 = sampleCpu();
    // The open's background (thread, member, control message) outlasts the block: counted until the simulator is quiet.
    await settle(sim, 3000);
    if (keep) {
      blocks[kind].push(r);
      cpu[kind] += cpuDelta(c0, c1).workerd ?? 0;
      after[kind] += cpuDelta(c1, sampleCpu()).workerd ?? 0;
    }
  };
  await run('ping', 10, false);
  await run('open', 10, false);
  for (let r = 0; r < ROUNDS; r++) for (const k of r % 2 ? (['open', 'ping'] as const) : (['ping', 'open'] as const)) await run(k, PER, true);
  const ping = combine('ping', blocks.ping);
  const open = combine('open', blocks.open);
  const per = (k: 'ping' | 'open') => `${((cpu[k] * 1000) / (ROUNDS * PER)).toFixed(2)} (+${((after[k] * 1000) / (ROUNDS * PER)).toFixed(2)} after)`;
  console.log(
    `PING p50 ${ping.latencyMs.p50.toFixed(2)} ms (${ping.ok} ok), open p50 ${open.latencyMs.p50.toFixed(2)} ms (${open.ok} ok): ${(open.latencyMs.p50 / ping.latencyMs.p50).toFixed(2)}×; excess ${(open.latencyMs.p50 - ping.latencyMs.p50).toFixed(2)} ms; workerd CPU per request PING ${per('ping')} ms, open ${per('open')} ms`,
  );
  const st = await sim.stats();
  console.log(`simulator: ${st.calls} calls, ${st.invalidRequests} invalid requests; ${JSON.stringify(st.byRoute)}`);
  console.log(
    `per block p50: PING ${blocks.ping.map((b) => b.latencyMs.p50.toFixed(1)).join(' ')}; open ${blocks.open.map((b) => b.latencyMs.p50.toFixed(1)).join(' ')}`,
  );
} finally {
  await stack.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
