// The gateway part of the bench output: its table, its targets and its
// section of BENCHMARKS.md, with every figure also shown as a ratio to a
// reference measured in the same run.
import type { GatewayPhaseResult, GatewayResult } from './gateway.ts';
import type { Target } from './report.ts';
import { mdTable, textTable } from './tables.ts';

const f0 = (x: number | null) => (x !== null && Number.isFinite(x) ? x.toFixed(0) : '—');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const n0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
/** Lag percentiles are bucket bounds (src/gateway/lag-histogram.ts): "≤ bound". */
const le = (x: number | null) => (x === null ? '—' : `≤ ${f0(x)}`);

/** Every event sent was delivered on the bot's socket, applied once, timed once, and the safe sequence caught up. */
export function lossless(r: GatewayPhaseResult): boolean {
  return r.sent > 0 && r.delivered === r.sent && r.applied === r.sent && r.lagged === r.sent && r.caughtUp;
}

/** The most one write-carrying RPC per event could do to this many guild actors: the same-run fan-out reference (sequential for one). */
function rpcCeiling(g: GatewayResult, guilds: number): number {
  if (guilds <= 1) return g.rpc.write.callsPerS;
  return g.rpc.fanout.find((f) => f.targets === guilds)?.callsPerS ?? NaN;
}

const workerdMsPerEvent = (r: GatewayPhaseResult) => (r.applied ? ((r.cpuS.workerd ?? 0) * 1000) / r.applied : NaN);

export const GATEWAY_HEAD = [
  'phase',
  'guilds',
  'offered ev/s',
  'sent ev/s',
  'applied/sent',
  'events/s',
  'vs discord.js',
  'vs 1 RPC/event',
  'vs RPC fan-out',
  'lag p50 ms',
  'lag p99 ms',
  'lag max ms',
  'max unread',
  'max queued',
  'workerd ms/event',
];

export function gatewayRows(g: GatewayResult): string[][] {
  const dj = g.discordjs.eventsPerS;
  const rpc = g.rpc.write.callsPerS;
  return g.phases.map((r) => [
    r.name,
    String(r.guilds),
    r.ratePerS === null ? 'unpaced' : n0(r.ratePerS),
    n0(r.sentPerS),
    `${r.applied}/${r.sent}${lossless(r) ? '' : ' ✗'}`,
    n0(r.eventsPerS),
    `${f2(r.eventsPerS / dj)}×`,
    `${f2(r.eventsPerS / rpc)}×`,
    `${f2(r.eventsPerS / rpcCeiling(g, r.guilds))}×`,
    le(r.lagMs.p50),
    le(r.lagMs.p99),
    le(r.lagMs.max),
    n0(r.maxUnread),
    n0(r.maxQueued),
    f2(workerdMsPerEvent(r)),
  ]);
}

function referenceLines(g: GatewayResult): string[] {
  const dj = g.discordjs;
  const { empty, write } = g.rpc;
  return [
    `discord.js (@discordjs/ws) receive rate, ${n0(dj.eventsPerRun)} unpaced events over ${dj.guilds} guilds: ${n0(dj.eventsPerS)} events/s (median of ${dj.runs.map((r) => n0(r.eventsPerS)).join(', ')})`,
    `sequential RPCs between two actors: empty ${n0(empty.callsPerS)} calls/s (workerd ${f2(empty.cpuMsPerCall.workerd ?? NaN)} ms CPU per call), with one storage write per call ${n0(write.callsPerS)} calls/s (workerd ${f2(write.cpuMsPerCall.workerd ?? NaN)} ms)`,
    `RPCs with one write spread over many actors at once (one in flight per actor): ${g.rpc.fanout.map((f) => `${n0(f.targets)} actors ${n0(f.callsPerS)} calls/s (batches ${f.perBatch.map(n0).join(', ')}; workerd ${f2(f.cpuMsPerCall.workerd ?? NaN)} ms per call)`).join('; ')}`,
  ];
}

export function gatewayTargets(g: GatewayResult): Target[] {
  const out: Target[] = [];
  const dj = g.discordjs.eventsPerS;
  // A phase that was not run fails its target rather than leaving it out.
  const notRun = { measured: `not measured (skipped: ${g.skipped.join(', ')})`, pass: false };
  const thr = g.phases.find((r) => r.kind === 'throughput');
  const thrName = 'gateway: ≥ 5,000 events/s per shard, 100 guilds sharing the load (unpaced)';
  out.push(
    thr
      ? {
          name: thrName,
          measured: `${n0(thr.eventsPerS)} events/s = ${f2(thr.eventsPerS / dj)}× discord.js's receive rate (${n0(dj)}/s), ${thr.applied}/${thr.sent} applied`,
          pass: thr.eventsPerS >= 5000 && lossless(thr),
        }
      : { name: thrName, ...notRun },
  );
  // Kept up with a stream of at least 1,000 events/s: sent at that rate, every event applied, 99 % within 100 ms of being sent.
  const spread = g.phases.find((r) => r.kind === 'steady' && r.guilds >= 1000);
  const spreadName = 'gateway: ≥ 1,000 events/s over 1,000 guilds with p99 lag < 100 ms';
  out.push(
    spread
      ? {
          name: spreadName,
          measured: `sent at ${n0(spread.sentPerS)} events/s, p99 lag ${le(spread.lagMs.p99)} ms, ${spread.applied}/${spread.sent} applied (end to end ${n0(spread.eventsPerS)} events/s; the runtime's ceiling for one RPC with a write to each of ${n0(spread.guilds)} actors: ${n0(rpcCeiling(g, spread.guilds))} calls/s)`,
          pass: spread.sentPerS >= 1000 && spread.lagMs.p99 !== null && spread.lagMs.p99 < 100 && lossless(spread),
        }
      : { name: spreadName, ...notRun },
  );
  const bursts = g.phases.filter((r) => r.kind === 'burst');
  const burstName = 'gateway: 10,000-event bursts applied in full, nothing lost';
  out.push(
    bursts.length
      ? {
          name: burstName,
          measured:
            bursts.map((r) => `${r.guilds} guild${r.guilds === 1 ? '' : 's'}: ${r.applied}/${r.sent}${r.caughtUp ? '' : ' (safeSeq behind)'}`).join('; ') +
            (g.skipped.length ? `; skipped: ${g.skipped.join(', ')}` : ''),
          pass: bursts.every(lossless) && g.skipped.length === 0,
        }
      : { name: burstName, ...notRun },
  );
  const bad = g.phases.filter((r) => !lossless(r));
  out.push({
    name: 'gateway: every phase run, each applied exactly the events sent',
    measured: [...bad.map((r) => `${r.name}: ${r.applied}/${r.sent}`), ...g.skipped.map((n) => `${n}: skipped`)].join('; ') || `${g.phases.length} phases`,
    pass: bad.length === 0 && g.skipped.length === 0,
  });
  return out;
}

export function printGateway(g: GatewayResult): void {
  console.log('\nGateway dispatch through one ShardActor (simulator → ShardActor → GuildActor.applyEvents)\n');
  console.log(textTable(GATEWAY_HEAD, gatewayRows(g)));
  for (const l of referenceLines(g)) console.log(`reference: ${l}`);
}

export function gatewayMd(g: GatewayResult): string {
  const perEvent = (r: GatewayPhaseResult) => workerdMsPerEvent(r);
  const rpcMsFor = (guilds: number) =>
    (guilds <= 1 ? g.rpc.write.cpuMsPerCall.workerd : g.rpc.fanout.find((f) => f.targets === guilds)?.cpuMsPerCall.workerd) ?? NaN;
  const cost = g.phases.map((r) => `${r.name} ${f2(perEvent(r) / rpcMsFor(r.guilds))}`).join(', ');
  return `### Gateway dispatch

${mdTable(GATEWAY_HEAD, gatewayRows(g))}

References, same run:
${referenceLines(g)
  .map((l) => `- ${l}`)
  .join('\n')}

Connecting: READY to all ${n0(g.connect.guilds)} GUILD_CREATEs applied (each creates its guild's actor) took ${n0(g.connect.ms)} ms.
Lag percentiles are the upper bounds of the shard's histogram buckets; "max" is exact when the phase set the run's record, else its bucket bound.
"events/s" is end to end (flood request → the shard's applied count reached the sent count), with the resolution of the status poll
(${g.pollMs} ms); "sent ev/s" is the simulator's achieved send rate. The 1,000-guild target is met when the stream was sent at ≥ 1,000 events/s,
every event was applied and the p99 lag stayed under 100 ms, i.e. the shard kept up with that rate. "vs discord.js" divides by discord.js's
receive rate, "vs 1 RPC/event" by the sequential RPC-with-write rate (above 1× only because a batch carries several events, or because RPCs
to different guilds overlap), "vs RPC fan-out" by the rate of write-carrying RPCs spread over as many actors as the phase has guilds (above
1× only through batching: at 1,000 guilds and 1,000 events/s each guild sees about one event per second, so nearly every event is its own RPC). "max unread" is how far the shard's received sequence was behind what the
simulator had sent (events still in the socket), "max queued" how many it had received but not yet seen applied: a backlog in the first
column means the shard's reading is the limit, in the second that its deliveries are.

Where the time goes: workerd runs every actor on one thread here, so events/s ≈ 1000 ÷ workerd CPU ms per event ("workerd ms/event").
Divided by workerd's CPU per write-carrying RPC in the reference with as many actors (sequential for one guild), that is how many RPCs' worth of
CPU each event cost — ${cost}: about 1 means one RPC per event (no batching), well below 1 that batches carry several events.
`;
}

export const GATEWAY_METHOD = `**3. Gateway dispatch** (\`bench/gateway.ts\`, its own simulator and \`wrangler dev\`; run alone with \`npm run bench -- --only gateway\`,
which prints the table and writes \`bench/results/gateway.json\` but leaves this file alone). \`POST /admin/gateway/start\` starts the bot's
ShardActor against the simulator's gateway; the simulator's \`POST /_sim/gateway/flood\` then sends MESSAGE_CREATE events round-robin over 1,
100 or 1,000 guilds (the same 1,000 guilds throughout, created once; each guild's actor exists before anything is timed), paced at a set rate
or unpaced (as fast as the socket drains), and the shard batches each guild's events per 5 ms tick into one \`GuildActor.applyEvents\` RPC.
Per phase, from \`GET /admin/gateway\` polled every few tens of milliseconds: events applied (the shard's \`appliedEvents\` delta, which must
equal the events sent, with \`safeSeq\` caught up to \`seq\`), throughput (events ÷ time from the flood request until the applied count reached
the sent count) and the apply lag (the event's \`timestamp\`, stamped by the simulator as it sends it, until the guild actor's \`applyEvents\`
returned), taken from two snapshots of the shard's cumulative lag histogram. References in the same run: discord.js's own gateway client
(\`@discordjs/ws\`, in this Node process) on the same unpaced 100-guild stream, before the bot's shard connects so they never share the socket —
the ceiling of the gateway side; and a throwaway Worker (\`bench/worker-rpc.ts\`, \`bench/wrangler.rpc.jsonc\`) after the bot's stack is stopped,
where one actor calls another's no-op RPC method sequentially, with and without one SQLite write per call — the ceiling of one RPC per event —
and then spreads write calls over 100 and 1,000 actors at once, one in flight per actor as the shard does per guild — the ceiling of one RPC
per event fanned out over that many guilds.`;
