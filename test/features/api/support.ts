import { SELF } from 'cloudflare:test';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eventually, simApi, type TestGuild } from '../../helpers.ts';
import { BASE, login, setUserGuilds } from '../dashboard/session-helper.ts';
import { addRule, type ModGuild, say, setUpModeration, str } from '../moderation/helpers.ts';

export { BASE };
export const ADMIN = String(PermissionFlagsBits.Administrator);

/** One request to the API and its answer, as the contract test checks them against /api/openapi.json. */
export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  response: unknown;
}

/** Every exchange this file's `api` calls made. */
export const exchanges: Exchange[] = [];

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A call to the Worker: `auth` is a key (sent as Bearer) or a session cookie
 * (`gk_session=…`, sent with our own Origin on changes, as the dashboard's pages do).
 */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  opts: { auth?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth?.startsWith('gk_session=')) {
    headers.cookie = opts.auth;
    headers.origin = BASE;
  } else if (opts.auth) headers.authorization = `Bearer ${opts.auth}`;
  const raw = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (raw !== undefined) headers['content-type'] = 'application/json';
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers, body: raw, redirect: 'manual' });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  const url = new URL(`${BASE}${path}`);
  const { cookie: _c, authorization: _a, origin: _o, ...shown } = headers;
  exchanges.push({
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: shown,
    body: opts.rawBody === undefined ? opts.body : undefined,
    status: res.status,
    response: body,
  });
  return { status: res.status, body: body as T, headers: res.headers };
}

/** Registers the test origin's callback with the simulator's OAuth2 (once per file). */
export const allowCallback = () => simApi('/_sim/oauth2/redirect-uris', { body: { uri: `${BASE}/dashboard/callback` } });

/** Logs the guild's admin in to the dashboard (Discord says they are an Administrator there); their session cookie. */
export async function adminSession(g: TestGuild, userId = g.adminId): Promise<string> {
  await setUserGuilds(userId, [{ id: g.guildId, name: 'API Guild', permissions: ADMIN }]);
  return login(userId);
}

/** A key made on the dashboard. */
export async function createKey(g: TestGuild, session: string, scope: 'read' | 'read-write', name = `${scope} key`) {
  const r = await api<{ key: string; id: string; prefix: string }>('POST', `/api/dashboard/guilds/${g.guildId}/keys`, { auth: session, body: { name, scope } });
  if (r.status !== 201) throw new Error(`key not created: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A guild whose `kickword` rule asks for a kick; `n` members say it, so `n` requests wait in the mod queue. */
export async function pendingApprovals(g: ModGuild, n: number, session: string): Promise<string[]> {
  await setUpModeration(g);
  await addRule(g, [str('id', 'kickword'), str('kind', 'words'), str('list', 'kickword'), str('effect', 'kick')]);
  for (let i = 0; i < n; i++) await say(g, g.memberIds[i]!, 'say the kickword now');
  const r = await eventually(
    async () => {
      const a = await api<{ approvals: { id: string }[] }>('GET', `/api/v1/guilds/${g.guildId}/moderation/approvals`, { auth: session });
      return a.body.approvals?.length === n ? a : null;
    },
    8000,
    `${n} approvals`,
  );
  return r.body.approvals.map((x) => x.id);
}
