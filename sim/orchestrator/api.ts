// The PEON orchestrator's REST API (/api/v1), as the PEON Discord bot calls it:
// `X-Api-Key` on every request, `{game_uid}.{servername}` as the server uid,
// errors as `{"error": "..."}` (the bot checks `"error" in response`).

import type { World } from '../panel/world.ts';
import { orcAction, orcStats, orcView } from './state.ts';

export interface OrcRequest {
  method: string;
  /** The path after the world's base, starting with /api/v1. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface OrcResponse {
  status: number;
  body: unknown;
  authed: boolean;
}

const FLASK_404 = 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';

export function handleOrchestratorApi(world: World, req: OrcRequest): OrcResponse {
  const keyHeader = req.headers['x-api-key'];
  const key = Array.isArray(keyHeader) ? keyHeader[0] : keyHeader;
  if (!key || key !== world.orchestratorKey) return { status: 401, body: { error: 'Invalid or missing API key (X-Api-Key).' }, authed: false };
  const now = world.now();
  const path = req.path.replace(/\/+$/, '');
  const m = req.method.toUpperCase();
  const find = (uid: string) => world.orchestratorServers.find((o) => `${o.game_uid}.${o.servername}` === uid);
  const missing = (uid: string): OrcResponse => ({ status: 404, body: { error: `Server '${uid}' does not exist on this orchestrator.` }, authed: true });

  if (path === '/api/v1/servers') {
    if (m !== 'GET') return { status: 405, body: { message: 'The method is not allowed for the requested URL.' }, authed: true };
    return { status: 200, body: world.orchestratorServers.map((o) => orcView(o, now)), authed: true };
  }
  let r = /^\/api\/v1\/server\/(get|stats)\/([^/]+)$/.exec(path);
  if (r) {
    if (m !== 'GET') return { status: 405, body: { message: 'The method is not allowed for the requested URL.' }, authed: true };
    const uid = decodeURIComponent(r[2]!);
    const o = find(uid);
    if (!o) return missing(uid);
    return { status: 200, body: r[1] === 'get' ? { server: orcView(o, now) } : orcStats(o, now), authed: true };
  }
  r = /^\/api\/v1\/server\/(start|stop|restart)\/([^/]+)$/.exec(path);
  if (r) {
    if (m !== 'PUT') return { status: 405, body: { message: 'The method is not allowed for the requested URL.' }, authed: true };
    const uid = decodeURIComponent(r[2]!);
    const o = find(uid);
    if (!o) return missing(uid);
    orcAction(o, r[1] as 'start' | 'stop' | 'restart', now);
    return { status: 200, body: { status: 'success', server: orcView(o, now) }, authed: true };
  }
  return { status: 404, body: { message: FLASK_404 }, authed: true };
}
