import type { Env } from '../env.ts';
import { DEFAULT_API_BASE } from '../env.ts';
import { statusActor } from '../runtime/actors.ts';

/** GET /health: 200 with the state of each dependency (the HTTP status says the Worker is up). */
export async function handleHealth(env: Env): Promise<Response> {
  const configured = {
    applicationId: Boolean(env.DISCORD_APPLICATION_ID),
    publicKey: /^[0-9a-f]{64}$/i.test(env.DISCORD_PUBLIC_KEY ?? ''),
    token: Boolean(env.DISCORD_TOKEN),
  };
  let storage: 'ok' | string = 'ok';
  let discordAuth: unknown = { state: env.DISCORD_TOKEN ? 'ok' : 'missing' };
  let gatewayFatal: unknown[] = [];
  try {
    const s = await statusActor(env).status();
    gatewayFatal = s.gatewayFatal ?? [];
    if (env.DISCORD_TOKEN) discordAuth = s.discordAuth;
  } catch (e) {
    storage = `unreachable: ${e instanceof Error ? e.message : String(e)}`;
  }
  const ok =
    configured.applicationId &&
    configured.publicKey &&
    configured.token &&
    storage === 'ok' &&
    (discordAuth as { state: string }).state === 'ok' &&
    gatewayFatal.length === 0;
  return Response.json({
    ok,
    discord: { apiBase: env.DISCORD_API_BASE || DEFAULT_API_BASE, configured, auth: discordAuth },
    gateway: { fatal: gatewayFatal },
    durableObjects: storage,
  });
}
