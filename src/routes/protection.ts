import type { Env } from '../env.ts';
import { guildActor } from '../runtime/actors.ts';
import { adminRefusal } from './admin.ts';
import { verifyStaff } from './staff.ts';

/**
 * A guild's protection state as JSON — join and leave counts per minute,
 * the raid detector and lockdown, invite tracking, verification counts —
 * for staff (the staff link's token, as the inbox API) and for deployers and
 * the benchmark (the admin token).
 */
const bearer = (req: Request) => /^Bearer (\S+)$/.exec(req.headers.get('Authorization') ?? '')?.[1] ?? null;
const SNOWFLAKE = /^\d{1,20}$/;

export async function handleProtectionForStaff(req: Request, env: Env, guildId: string): Promise<Response> {
  if (!SNOWFLAKE.test(guildId)) return Response.json({ error: 'not found' }, { status: 404 });
  const v = await verifyStaff(env, bearer(req), guildId);
  if (!v.ok) return v.response;
  return Response.json(await guildActor(env, guildId).protectionStatus());
}

export async function handleProtectionForAdmin(req: Request, env: Env, guildId: string): Promise<Response> {
  const refused = await adminRefusal(req, env);
  if (refused) return refused;
  if (!SNOWFLAKE.test(guildId)) return Response.json({ error: 'not found' }, { status: 404 });
  return Response.json(await guildActor(env, guildId).protectionStatus());
}
