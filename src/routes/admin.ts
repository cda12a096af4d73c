import { Routes, type RESTGetAPIGatewayBotResult } from 'discord-api-types/v10';
import { describeRestError, DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import { intentsFor } from '../gateway/intents.ts';
import { identifySchedule, shardCountFor } from '../gateway/shard.ts';
import { shardActor, statusActor } from '../objects/rest.ts';

/** Deployer routes: `Authorization: Bearer <ADMIN_TOKEN>` (a secret) or 401. */
const problem = (status: number, error: string) => Response.json({ error }, { status });

function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function adminRefusal(req: Request, env: Env): Response | null {
  if (!env.ADMIN_TOKEN) return problem(503, 'admin routes are off: set the ADMIN_TOKEN secret');
  const given = /^Bearer (\S+)$/.exec(req.headers.get('Authorization') ?? '')?.[1] ?? '';
  return sameSecret(given, env.ADMIN_TOKEN) ? null : problem(401, 'admin token required');
}

/**
 * POST /admin/gateway/start: asks Discord how many shards to run and how fast
 * they may identify, then starts one ShardActor per shard on that schedule.
 */
export async function handleGatewayStart(req: Request, env: Env): Promise<Response> {
  const refused = adminRefusal(req, env);
  if (refused) return refused;
  const r = await startGateway(env);
  return r.ok ? Response.json(r.plan, { status: 202 }) : problem(r.status, r.error);
}

export type GatewayStart =
  | { ok: true; plan: { shardCount: number; maxConcurrency: number; identifyAt: number[]; intents: number; gatewayUrl: string } }
  | { ok: false; status: number; error: string };

/** Reads Discord's recommendation and starts every shard on the identify schedule. */
export async function startGateway(env: Env): Promise<GatewayStart> {
  const intents = intentsFor(env.GATEWAY_INTENTS_OFF);
  if (!intents.ok) return { ok: false, status: 400, error: intents.error };
  const rest = new DiscordRest({ token: env.DISCORD_TOKEN, apiBase: env.DISCORD_API_BASE });
  const bot = await rest.get<RESTGetAPIGatewayBotResult>(Routes.gatewayBot());
  if (!bot.ok) return { ok: false, status: 502, error: `GET /gateway/bot: ${describeRestError(bot.error)}` };
  const shardCount = shardCountFor(bot.value.shards, 0);
  const limit = bot.value.session_start_limit;
  if (limit.remaining < shardCount) {
    return { ok: false, status: 503, error: `Discord allows ${limit.remaining} more identifies until it resets in ${Math.ceil(limit.reset_after / 60_000)} min; ${shardCount} shards need ${shardCount}` };
  }
  const now = Date.now();
  const schedule = identifySchedule(shardCount, limit.max_concurrency, now);
  const gatewayUrl = env.DISCORD_GATEWAY_URL || bot.value.url;
  const status = statusActor(env);
  await status.clearGatewayFatal();
  await status.setGatewayPlan({ shardCount, intents: intents.intents, gatewayUrl, startedAt: now });
  await Promise.all(schedule.map((notBefore, shardId) =>
    shardActor(env, shardId, shardCount).start({ shardId, shardCount, intents: intents.intents, gatewayUrl, notBefore })));
  return { ok: true, plan: { shardCount, maxConcurrency: limit.max_concurrency, identifyAt: schedule, intents: intents.intents, gatewayUrl } };
}

/**
 * The cron trigger: starts the gateway if it was never started, and restarts
 * a shard that lost its configuration. A shard stopped on a fatal close code
 * stays stopped until a deployer fixes the cause and starts it again.
 */
export async function gatewayWatch(env: Env): Promise<string> {
  if (!env.DISCORD_TOKEN) return 'no DISCORD_TOKEN: gateway not started';
  const plan = await statusActor(env).gatewayPlan();
  if (!plan) {
    const r = await startGateway(env);
    return r.ok ? `started ${r.plan.shardCount} shard(s)` : `could not start: ${r.error}`;
  }
  let restarted = 0;
  for (let shardId = 0; shardId < plan.shardCount; shardId++) {
    const shard = shardActor(env, shardId, plan.shardCount);
    if ((await shard.status()).phase === 'stopped') {
      await shard.start({ shardId, shardCount: plan.shardCount, intents: plan.intents, gatewayUrl: plan.gatewayUrl, notBefore: Date.now() + shardId * 5_000 });
      restarted++;
    }
  }
  return `${plan.shardCount} shard(s), ${restarted} restarted`;
}

/** GET /admin/gateway: every shard's state, sequence, heartbeat latency, events/s and guild count. */
export async function handleGatewayStatus(req: Request, env: Env): Promise<Response> {
  const refused = adminRefusal(req, env);
  if (refused) return refused;
  const plan = await statusActor(env).gatewayPlan();
  if (!plan) return Response.json({ running: false, shards: [] });
  const shards = await Promise.all(Array.from({ length: plan.shardCount }, (_, i) => shardActor(env, i, plan.shardCount).status()));
  return Response.json({ running: true, plan, shards });
}
