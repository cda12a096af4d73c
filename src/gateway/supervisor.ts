import { type RESTGetAPIGatewayBotResult, Routes } from 'discord-api-types/v10';
import { DiscordRest, describeRestError } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import { MODULES } from '../features/index.ts';
import { requiredIntents } from '../platform/invite.ts';
import { shardActor, statusActor } from '../runtime/actors.ts';
import { intentsFor } from './intents.ts';
import { identifySchedule, shardCountFor } from './shard.ts';
import { type ShardConfig, validateShardConfig } from './shard-config.ts';
import type { ShardStatus } from './shard-status.ts';

/** One shard set: what the gateway runs with. */
export interface ShardSet {
  shardCount: number;
  intents: number;
  gatewayUrl: string;
  startedAt: number;
  generation?: number;
}

/** What /admin/gateway/start decided, and a re-shard in progress if any (kept by the StatusActor). */
export interface GatewayPlan extends ShardSet {
  /** The set being brought up by a re-shard, and which of its shards have every guild in hand. */
  next?: ShardSet & { generation: number; readyShards: number[] };
  /** The old set is drained and this one is in charge, but not every shard has been told yet. */
  promoting?: boolean;
}

export interface PlanStore {
  get(): Promise<GatewayPlan | null>;
  set(plan: GatewayPlan): Promise<void>;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

/** Every config checked before any shard is touched: one bad value (a gateway URL from Discord) changes nothing. */
function checked(configs: ShardConfig[]): Outcome<ShardConfig[]> {
  for (const c of configs) {
    const v = validateShardConfig(c);
    if (!v.ok) return { ok: false, status: 502, error: `shard ${c.shardId}: ${v.error}` };
  }
  return { ok: true, value: configs };
}

/** Starts shards with checked configs; a refusal is an error (each actor checks again). */
async function startAll(env: Env, configs: ShardConfig[]): Promise<Outcome<null>> {
  const started = await Promise.all(configs.map((c) => shardActor(env, c.shardId, c.shardCount).start(c)));
  const refused = started.find((r) => !r.ok);
  return refused && !refused.ok ? { ok: false, status: 500, error: refused.error } : { ok: true, value: null };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const shardsOf = (env: Env, set: ShardSet) => range(set.shardCount).map((i) => shardActor(env, i, set.shardCount));
const remoteStore = (env: Env): PlanStore => {
  const s = statusActor(env);
  return { get: () => s.gatewayPlan(), set: (p) => s.setGatewayPlan(p) };
};

async function gatewayBot(env: Env): Promise<Outcome<RESTGetAPIGatewayBotResult>> {
  const rest = new DiscordRest({ token: env.DISCORD_TOKEN, apiBase: env.DISCORD_API_BASE });
  const bot = await rest.get<RESTGetAPIGatewayBotResult>(Routes.gatewayBot());
  return bot.ok ? { ok: true, value: bot.value } : { ok: false, status: 502, error: `GET /gateway/bot: ${describeRestError(bot.error)}` };
}

function identifiesLeft(bot: RESTGetAPIGatewayBotResult, shards: number): Outcome<null> {
  const limit = bot.session_start_limit;
  if (limit.remaining >= shards) return { ok: true, value: null };
  return {
    ok: false,
    status: 503,
    error: `Discord allows ${limit.remaining} more identifies until it resets in ${Math.ceil(limit.reset_after / 60_000)} min; ${shards} shards need ${shards}`,
  };
}

export interface StartPlan {
  shardCount: number;
  maxConcurrency: number;
  identifyAt: number[];
  intents: number;
  gatewayUrl: string;
  generation: number;
}

/**
 * Reads Discord's recommendation and starts every shard on the identify
 * schedule. A running set of another size is stopped first: this is a cold
 * restart (events in between are not received); /admin/gateway/reshard is the
 * lossless way to change the shard count.
 */
export async function startGateway(env: Env): Promise<Outcome<StartPlan>> {
  const intents = intentsFor(env.GATEWAY_INTENTS_OFF, requiredIntents(MODULES));
  if (!intents.ok) return { ok: false, status: 400, error: intents.error };
  const bot = await gatewayBot(env);
  if (!bot.ok) return bot;
  const shardCount = shardCountFor(bot.value.shards, 0);
  const left = identifiesLeft(bot.value, shardCount);
  if (!left.ok) return left;
  const status = statusActor(env);
  const previous = await status.gatewayPlan();
  for (const old of [previous, previous?.next]) {
    if (old && old.shardCount !== shardCount) await Promise.all(shardsOf(env, old).map((s) => s.stop()));
  }
  const now = Date.now();
  const schedule = identifySchedule(shardCount, bot.value.session_start_limit.max_concurrency, now);
  const gatewayUrl = env.DISCORD_GATEWAY_URL || bot.value.url;
  const generation = Math.max(previous?.generation ?? 0, previous?.next?.generation ?? 0) + 1;
  const configs = checked(schedule.map((notBefore, shardId) => ({ shardId, shardCount, intents: intents.intents, gatewayUrl, notBefore, generation })));
  if (!configs.ok) return configs;
  await status.clearGatewayFatal();
  await status.setGatewayPlan({ shardCount, intents: intents.intents, gatewayUrl, startedAt: now, generation });
  const started = await startAll(env, configs.value);
  if (!started.ok) return started;
  return {
    ok: true,
    value: {
      shardCount,
      maxConcurrency: bot.value.session_start_limit.max_concurrency,
      identifyAt: schedule,
      intents: intents.intents,
      gatewayUrl,
      generation,
    },
  };
}

export interface ReshardPlan {
  from: number;
  to: number;
  generation: number;
  identifyAt: number[];
}

/**
 * Starts a re-shard (src/gateway/handover.ts): the running set starts
 * recording, then the new set connects as a shadow. The StatusActor finishes
 * it (completeReshard) once every new shard has all its guilds.
 */
export async function startReshard(env: Env, requested: number | null): Promise<Outcome<ReshardPlan>> {
  const store = remoteStore(env);
  const plan = await store.get();
  if (!plan) return { ok: false, status: 409, error: 'the gateway is not running: POST /admin/gateway/start first' };
  if (plan.next || plan.promoting)
    return { ok: false, status: 409, error: `a re-shard to ${plan.next?.shardCount ?? plan.shardCount} shards is already in progress` };
  const bot = await gatewayBot(env);
  if (!bot.ok) return bot;
  const to = requested ?? shardCountFor(bot.value.shards, 0);
  if (to === plan.shardCount) return { ok: false, status: 409, error: `already running ${to} shard(s); Discord recommends ${bot.value.shards}` };
  const left = identifiesLeft(bot.value, to);
  if (!left.ok) return left;
  const generation = (plan.generation ?? 1) + 1;
  const now = Date.now();
  const schedule = identifySchedule(to, bot.value.session_start_limit.max_concurrency, now);
  const configs = checked(
    schedule.map((notBefore, shardId) => ({
      shardId,
      shardCount: to,
      intents: plan.intents,
      gatewayUrl: plan.gatewayUrl,
      notBefore,
      generation,
      shadow: true,
    })),
  );
  if (!configs.ok) return configs;
  await Promise.all(shardsOf(env, plan).map((s) => s.beginHandover()));
  const next = { shardCount: to, intents: plan.intents, gatewayUrl: plan.gatewayUrl, startedAt: now, generation, readyShards: [] };
  await store.set({ ...plan, next });
  const started = await startAll(env, configs.value);
  if (!started.ok) return started;
  return { ok: true, value: { from: plan.shardCount, to, generation, identifyAt: schedule } };
}

/**
 * Finishes a re-shard when every new shard has its guilds: the old set closes
 * and drains, then the new set is put in charge. Each step can be repeated,
 * so a failure part-way is finished by the next run. 'retry' while not ready.
 */
export async function completeReshard(env: Env, store: PlanStore): Promise<'done' | 'retry'> {
  let plan = await store.get();
  if (plan?.next) {
    const next = plan.next;
    const statuses = await Promise.all(shardsOf(env, next).map((s) => s.status()));
    if (!statuses.every(takesOver)) return 'retry';
    await Promise.all(shardsOf(env, plan).map((s) => s.retire()));
    const { readyShards: _r, ...set } = next;
    plan = { ...set, promoting: true };
    await store.set(plan);
  }
  if (plan?.promoting) {
    await Promise.all(shardsOf(env, plan).map((s) => s.promote()));
    const { promoting: _p, ...rest } = plan;
    await store.set(rest);
  }
  return 'done';
}

/** A new shard can take over once it is connected with every guild it was promised. */
const takesOver = (s: Pick<ShardStatus, 'phase' | 'shadow' | 'guildsPending'>) => s.phase === 'ready' && s.shadow && s.guildsPending === 0;

/**
 * The cron trigger: starts the gateway if it was never started, restarts a
 * shard that lost its configuration (of either set during a re-shard), and
 * nudges a re-shard that is waiting. A shard stopped on a fatal close code
 * stays stopped until a deployer fixes the cause and starts it again.
 */
export async function gatewayWatch(env: Env): Promise<string> {
  if (!env.DISCORD_TOKEN) return 'no DISCORD_TOKEN: gateway not started';
  const status = statusActor(env);
  const plan = await status.gatewayPlan();
  if (!plan) {
    const r = await startGateway(env);
    return r.ok ? `started ${r.value.shardCount} shard(s)` : `could not start: ${r.error}`;
  }
  let restarted = 0;
  const refused: string[] = [];
  for (const [set, shadow] of [[plan, false], ...(plan.next ? [[plan.next, true]] : [])] as [ShardSet, boolean][]) {
    for (let shardId = 0; shardId < set.shardCount; shardId++) {
      const shard = shardActor(env, shardId, set.shardCount);
      if ((await shard.status()).phase !== 'stopped') continue;
      const r = await shard.start({
        shardId,
        shardCount: set.shardCount,
        intents: set.intents,
        gatewayUrl: set.gatewayUrl,
        notBefore: Date.now() + shardId * 5_000,
        generation: set.generation ?? 1,
        ...(shadow ? { shadow } : {}),
      });
      if (r.ok) restarted++;
      else refused.push(r.error);
    }
  }
  if (plan.next || plan.promoting) await status.advanceReshard();
  return `${plan.shardCount} shard(s), ${restarted} restarted${plan.next ? `, re-shard to ${plan.next.shardCount} waiting` : ''}${refused.length ? `; refused: ${refused.join('; ')}` : ''}`;
}

/** Every shard of the running set, and of the set a re-shard is bringing up. */
export async function gatewayStatus(env: Env): Promise<{ running: boolean; plan?: GatewayPlan; shards: unknown[]; next?: unknown[] }> {
  const plan = await statusActor(env).gatewayPlan();
  if (!plan) return { running: false, shards: [] };
  const shards = await Promise.all(shardsOf(env, plan).map((s) => s.status()));
  if (!plan.next) return { running: true, plan, shards };
  return { running: true, plan, shards, next: await Promise.all(shardsOf(env, plan.next).map((s) => s.status())) };
}
