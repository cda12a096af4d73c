import type { Env } from '../env.ts';
import { gatewayStatus, startGateway, startReshard } from '../gateway/supervisor.ts';
import { sameSecret } from '../lib/hex.ts';

/** Deployer routes: `Authorization: Bearer <ADMIN_TOKEN>` (a secret) or 401. */
const problem = (status: number, error: string) => Response.json({ error }, { status });

export async function adminRefusal(req: Request, env: Env): Promise<Response | null> {
  if (!env.ADMIN_TOKEN) return problem(503, 'admin routes are off: set the ADMIN_TOKEN secret');
  const given = /^Bearer (\S+)$/.exec(req.headers.get('Authorization') ?? '')?.[1] ?? '';
  return (await sameSecret(given, env.ADMIN_TOKEN)) ? null : problem(401, 'admin token required');
}

/**
 * POST /admin/gateway/start: asks Discord how many shards to run and how fast
 * they may identify, then starts one ShardActor per shard on that schedule.
 */
export async function handleGatewayStart(req: Request, env: Env): Promise<Response> {
  const refused = await adminRefusal(req, env);
  if (refused) return refused;
  const r = await startGateway(env);
  return r.ok ? Response.json(r.value, { status: 202 }) : problem(r.status, r.error);
}

/**
 * POST /admin/gateway/reshard, optional body `{"shards": n}` (default:
 * Discord's recommendation): brings up a new shard set beside the running one
 * and hands over without losing or repeating events.
 */
export async function handleGatewayReshard(req: Request, env: Env): Promise<Response> {
  const refused = await adminRefusal(req, env);
  if (refused) return refused;
  const text = await req.text();
  let shards: number | null = null;
  if (text.trim()) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return problem(400, 'body must be JSON: {"shards": n} or empty');
    }
    const n = (body as { shards?: unknown } | null)?.shards;
    if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 4096))
      return problem(400, 'shards must be an integer from 1 to 4096');
    if (typeof n === 'number') shards = n;
  }
  const r = await startReshard(env, shards);
  return r.ok ? Response.json(r.value, { status: 202 }) : problem(r.status, r.error);
}

/** GET /admin/gateway: every shard's state, sequence, heartbeat latency, events/s and guild count (both sets during a re-shard). */
export async function handleGatewayStatus(req: Request, env: Env): Promise<Response> {
  const refused = await adminRefusal(req, env);
  if (refused) return refused;
  return Response.json(await gatewayStatus(env));
}
