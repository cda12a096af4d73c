// Gateway dispatch through the real ShardActor: the simulator floods
// MESSAGE_CREATE events over 1, 100 and 1,000 guilds (paced, and unpaced as a
// throughput run and 10,000-event bursts); the shard batches each guild's
// events per tick into GuildActor.applyEvents. Per phase: events sent and
// applied, throughput (flood start → the shard's applied count reaches the
// sent count) and the apply lag (the simulator's event timestamp → the guild
// actor returned), from two snapshots of the shard's cumulative histogram.
// References in the same run: discord.js's gateway client on the same stream
// (before the bot connects, so they never share the socket) and the local
// runtime's actor-to-actor RPC rate (after the stack is stopped).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type LocalStack, startLocalStack } from '../scripts/local-stack.ts';
import { MODULES } from '../src/features/index.ts';
import { intentsFor } from '../src/gateway/intents.ts';
import { type LagHistogram, lagBetween, lagPercentile } from '../src/gateway/lag-histogram.ts';
import type { ShardStatus } from '../src/objects/shard.ts';
import { requiredIntents } from '../src/platform/invite.ts';
import { type CpuSeconds, cpuDelta, sampleCpu } from './cpu.ts';
import { type DiscordJsResult, runDiscordJsReference } from './discordjs.ts';
import type { GatewayPhaseSpec, Plan } from './plan.ts';
import { type RpcResult, runRpcBench } from './rpc.ts';

export type GatewayPlan = Plan['gateway'];

export interface GatewayPhaseResult {
  kind: GatewayPhaseSpec['kind'];
  name: string;
  guilds: number;
  /** Offered rate (paced phases); null when the simulator sends as fast as the socket drains. */
  ratePerS: number | null;
  sent: number;
  /** Sent on the bot's connected socket (the rest would have been buffered for a resume). */
  delivered: number;
  /** The shard's appliedEvents delta over the phase. */
  applied: number;
  /** Lag samples recorded over the phase (one per applied MESSAGE_CREATE). */
  lagged: number;
  /** Flood start → applied count reached sent (resolution: the poll interval). */
  wallMs: number;
  eventsPerS: number;
  /** How long the simulator took to send the flood, and the rate that makes (sent ÷ sendMs). */
  sendMs: number;
  sentPerS: number;
  lagMs: { p50: number | null; p99: number | null; max: number | null };
  /** Highest `queued` (received by the shard, not yet applied) seen while polling. */
  maxQueued: number;
  /** Highest count of events the simulator had sent that the shard had not read yet (its seq behind the session's), seen while polling. */
  maxUnread: number;
  /** safeSeq reached seq after the last event (nothing left unapplied). */
  caughtUp: boolean;
  cpuS: CpuSeconds;
}

export interface GatewayResult {
  discordjs: DiscordJsResult;
  rpc: RpcResult;
  phases: GatewayPhaseResult[];
  /** Phases not run: the time budget was spent, or the shard had not caught up with the one before. */
  skipped: string[];
  /** Bot connect: READY to every GUILD_CREATE applied (creates each guild's actor). */
  connect: { guilds: number; ms: number };
  pollMs: number;
  durationS: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class Budget {
  private readonly end: number;
  constructor(ms: number) {
    this.end = performance.now() + ms;
  }
  left(): number {
    return this.end - performance.now();
  }
}

interface FloodReply {
  sent: number;
  delivered: number;
  buffered: number;
  durationMs: number;
  guilds: string[];
}

function floodClient(simUrl: string) {
  return async (body: { guilds: string[] | number; events: number; ratePerS?: number }): Promise<FloodReply> => {
    // The reply comes when the last event is sent: allow for the pace plus a margin.
    const ms = 60_000 + (body.ratePerS ? (body.events / body.ratePerS) * 1000 : 0);
    const r = await fetch(`${simUrl}/_sim/gateway/flood`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ms),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`simulator flood: ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as FloodReply;
  };
}

/** The simulator's sequence for the bot's connected session: what it has sent so far. */
export async function simSeq(simUrl: string): Promise<number | null> {
  const r = await fetch(`${simUrl}/_sim/gateway/sessions`, { signal: AbortSignal.timeout(15_000) });
  const j = (await r.json()) as { sessions: { state: string; seq: number }[] };
  return j.sessions.find((x) => x.state === 'connected')?.seq ?? null;
}

export function adminClient(workerUrl: string, token: string) {
  const headers = { Authorization: `Bearer ${token}` };
  return {
    async start(): Promise<void> {
      const r = await fetch(`${workerUrl}/admin/gateway/start`, { method: 'POST', headers, signal: AbortSignal.timeout(15_000) });
      if (r.status !== 202) throw new Error(`POST /admin/gateway/start: ${r.status} ${await r.text()}`);
      await r.body?.cancel();
    },
    async shard(): Promise<ShardStatus> {
      const r = await fetch(`${workerUrl}/admin/gateway`, { headers, signal: AbortSignal.timeout(15_000) }).catch((e: unknown) => {
        // A dropped connection mid-run is wrangler dev restarting the Worker, which it does when a source file changes.
        throw new Error(
          `GET /admin/gateway failed (${e instanceof Error ? e.message : String(e)}); if src/ was edited during the run, wrangler dev reloaded the Worker: run the bench on a tree nobody is editing`,
        );
      });
      const j = (await r.json()) as { shards?: ShardStatus[] };
      const s = j.shards?.[0];
      if (!r.ok || !s) throw new Error(`GET /admin/gateway: ${r.status} ${JSON.stringify(j).slice(0, 200)}`);
      return s;
    },
  };
}
export type Admin = ReturnType<typeof adminClient>;

/** Polls (bounded) until `done` holds for the shard; returns the last status. */
export async function waitFor(admin: Admin, what: string, ms: number, pollMs: number, done: (s: ShardStatus) => boolean): Promise<ShardStatus> {
  const until = performance.now() + ms;
  for (;;) {
    const s = await admin.shard();
    if (done(s)) return s;
    if (performance.now() > until)
      throw new Error(
        `gateway bench: ${what} not reached within ${ms / 1000} s (phase ${s.phase}, seq ${s.seq}, safeSeq ${s.safeSeq}, queued ${s.queued}, applied ${s.appliedEvents})`,
      );
    await sleep(pollMs);
  }
}

/** A new ShardActor instance (its counters start again) or a dropped session: the phase measures nothing. */
export function restarted(before: ShardStatus, now: ShardStatus, phase: string): void {
  if (now.appliedEvents < before.appliedEvents || now.phase !== 'ready') {
    throw new Error(
      `gateway bench: the shard restarted or disconnected during "${phase}" (phase ${now.phase}, applied ${before.appliedEvents} → ${now.appliedEvents}); ` +
        'wrangler dev reloads the Worker when a source file changes, so run the bench on a tree nobody is editing',
    );
  }
}

export const quiet = (s: ShardStatus) => s.queued === 0 && s.seq !== null && s.safeSeq >= s.seq;

/** The phase's largest lag: exact when it set the run's record, else the top of its highest bucket (capped by the record). */
export function phaseMax(before: LagHistogram, after: LagHistogram, h: LagHistogram): number | null {
  if (after.max > before.max) return after.max;
  const top = lagPercentile(h, 1);
  return top === null ? null : Math.min(top, after.max);
}

interface PhaseContext {
  admin: Admin;
  simUrl: string;
  flood: ReturnType<typeof floodClient>;
  guildIds: string[];
  plan: GatewayPlan;
}

/** One flood, from a quiet shard (`before`); gives up waiting for the applied count after `deadlineMs` and reports what it saw. */
async function runPhase(c: PhaseContext, spec: GatewayPhaseSpec, before: ShardStatus, deadlineMs: number): Promise<GatewayPhaseResult> {
  const { admin, simUrl, flood, guildIds, plan } = c;
  const cpu0 = sampleCpu();
  const t0 = performance.now();
  let reply: FloodReply | null = null;
  let floodError: unknown = null;
  const sending = flood({ guilds: guildIds.slice(0, spec.guilds), events: spec.events, ...(spec.ratePerS ? { ratePerS: spec.ratePerS } : {}) }).then(
    (r) => {
      reply = r;
    },
    (e: unknown) => {
      floodError = e;
    },
  );
  const deadline = t0 + deadlineMs;
  let doneAt: number | null = null;
  let maxQueued = 0;
  let maxUnread = 0;
  let last = before;
  while (performance.now() < deadline && floodError === null) {
    await sleep(plan.pollMs);
    // The simulator first: the shard cannot have read more than it had sent, so the difference is never negative.
    const sent = await simSeq(simUrl);
    last = await admin.shard();
    restarted(before, last, spec.name);
    maxQueued = Math.max(maxQueued, last.queued);
    if (sent !== null && last.seq !== null) maxUnread = Math.max(maxUnread, sent - last.seq);
    if (last.appliedEvents - before.appliedEvents >= spec.events) {
      doneAt = performance.now();
      break;
    }
  }
  await sending;
  if (floodError) throw floodError;
  const cpuS = cpuDelta(cpu0, sampleCpu());
  // Nothing left unapplied: the safe sequence catches up with the last received (bounded).
  let after = last;
  try {
    after = await waitFor(admin, `safeSeq = seq after ${spec.name}`, 5_000, plan.pollMs, quiet);
  } catch {
    after = await admin.shard();
  }
  restarted(before, after, spec.name);
  const h = lagBetween(before.applyLag, after.applyLag);
  const wallMs = (doneAt ?? performance.now()) - t0;
  const applied = after.appliedEvents - before.appliedEvents;
  const r = reply as FloodReply | null;
  return {
    kind: spec.kind,
    name: spec.name,
    guilds: spec.guilds,
    ratePerS: spec.ratePerS ?? null,
    sent: r?.sent ?? 0,
    delivered: r?.delivered ?? 0,
    applied,
    lagged: h.counts.reduce((a, b) => a + b, 0),
    wallMs,
    eventsPerS: doneAt === null ? NaN : applied / (wallMs / 1000),
    sendMs: r?.durationMs ?? NaN,
    sentPerS: r ? r.sent / (Math.max(r.durationMs, 1) / 1000) : NaN,
    lagMs: { p50: lagPercentile(h, 0.5), p99: lagPercentile(h, 0.99), max: phaseMax(before.applyLag, after.applyLag, h) },
    maxQueued,
    maxUnread,
    caughtUp: quiet(after),
    cpuS,
  };
}

const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(0));

export async function runGatewayBench(opts: { workerPort: number; simPort: number; rpcPort: number; plan: GatewayPlan }): Promise<GatewayResult> {
  const plan = opts.plan;
  const started = performance.now();
  const budget = new Budget(plan.budgetMs);
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-gateway-'));
  const adminToken = randomBytes(16).toString('hex');
  const intents = intentsFor(undefined, requiredIntents(MODULES));
  if (!intents.ok) throw new Error(intents.error);
  let stack: LocalStack | null = null;
  let discordjs: DiscordJsResult;
  let connect: GatewayResult['connect'];
  const phases: GatewayPhaseResult[] = [];
  const skipped: string[] = [];
  try {
    stack = await startLocalStack({ workerPort: opts.workerPort, simPort: opts.simPort, persistTo, quiet: true, vars: { ADMIN_TOKEN: adminToken } });
    const flood = floodClient(stack.sim.url);
    const admin = adminClient(stack.workerUrl, adminToken);

    console.log(
      `  reference: discord.js (@discordjs/ws) receiving ${plan.discordjs.runs} × ${plan.discordjs.events} unpaced events over ${plan.discordjs.guilds} guilds …`,
    );
    const ref = await runDiscordJsReference({
      simUrl: stack.sim.url,
      token: stack.sim.botToken,
      intents: intents.intents,
      flood,
      createGuilds: plan.guilds,
      guilds: plan.discordjs.guilds,
      events: plan.discordjs.events,
      runs: plan.discordjs.runs,
      deadlineMs: plan.phaseDeadlineMs,
    });
    discordjs = ref.result;
    console.log(`    ${discordjs.runs.map((r) => `${fmt(r.eventsPerS)}`).join(', ')} events/s (median ${fmt(discordjs.eventsPerS)})`);
    // Drops every session and connection, so the bot's shard identifies at once and alone.
    const reset = await fetch(`${stack.sim.url}/_sim/gateway/reset`, { method: 'POST', signal: AbortSignal.timeout(15_000) });
    if (!reset.ok) throw new Error(`simulator gateway reset: ${reset.status}`);
    await reset.body?.cancel();

    console.log(`  bot gateway: starting the ShardActor; ${ref.guildIds.length} + demo guilds to create …`);
    await admin.start();
    const t0 = performance.now();
    const ready = await waitFor(admin, 'shard ready', 30_000, 100, (s) => s.phase === 'ready' && s.guilds > 0);
    // Every GUILD_CREATE applied: each guild's actor exists before anything is timed.
    await waitFor(admin, 'every GUILD_CREATE applied', Math.min(120_000, budget.left()), 100, (s) => s.appliedEvents >= ready.guilds && quiet(s));
    connect = { guilds: ready.guilds, ms: performance.now() - t0 };
    console.log(`    ready; ${ready.guilds} GUILD_CREATEs applied in ${fmt(connect.ms)} ms`);

    const ctx: PhaseContext = { admin, simUrl: stack.sim.url, flood, guildIds: ref.guildIds, plan };
    const pacedMs = (spec: GatewayPhaseSpec) => (spec.ratePerS ? (spec.events / spec.ratePerS) * 1000 : 0);
    for (const spec of [...plan.warmup, ...plan.phases]) {
      if (skipped.length) {
        skipped.push(spec.name);
        continue;
      }
      // A phase that did not finish leaves a backlog: the next starts only from a quiet shard, within the budget.
      const left = budget.left();
      const before =
        left > 0 ? await waitFor(admin, `quiet shard before ${spec.name}`, Math.min(plan.settleMaxMs, left), plan.pollMs, quiet).catch(() => null) : null;
      if (!before) {
        console.log(
          `  skipping "${spec.name}" and what follows: ${left > 0 ? 'the shard has not caught up with the previous phase' : 'the time budget is spent'}`,
        );
        skipped.push(spec.name);
        continue;
      }
      const r = await runPhase(ctx, spec, before, Math.min(plan.phaseDeadlineMs + pacedMs(spec), Math.max(budget.left(), pacedMs(spec) + 5_000)));
      if (spec.kind === 'warm-up') continue;
      phases.push(r);
      const lost =
        r.applied === r.sent && r.delivered === r.sent && r.caughtUp
          ? ''
          : `  LOST/INCOMPLETE: applied ${r.applied}, delivered ${r.delivered}, caught up ${r.caughtUp}`;
      console.log(
        `  ${r.name.padEnd(22)} ${String(r.applied).padStart(5)}/${r.sent} applied  ${fmt(r.eventsPerS).padStart(5)} events/s  lag p50 ${fmt(r.lagMs.p50)} p99 ${fmt(r.lagMs.p99)} max ${fmt(r.lagMs.max)} ms  max queued ${r.maxQueued}, unread ${r.maxUnread}${lost}`,
      );
    }
  } finally {
    await stack?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }

  console.log(`  reference: RPCs between actors, sequential and spread over ${plan.rpc.fanout.targets.join(' and ')} actors (no other Worker running) …`);
  const rpc = await runRpcBench({ port: opts.rpcPort, ...plan.rpc });
  console.log(
    `    empty ${fmt(rpc.empty.callsPerS)} calls/s, with one write ${fmt(rpc.write.callsPerS)} calls/s; with a write over ${rpc.fanout.map((f) => `${f.targets} actors ${fmt(f.callsPerS)}`).join(', ')} calls/s`,
  );
  return { discordjs, rpc, phases, skipped, connect, pollMs: plan.pollMs, durationS: (performance.now() - started) / 1000 };
}
