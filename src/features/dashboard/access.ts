import type { Env } from '../../env.ts';
import type { AppLocale } from '../../i18n/index.ts';
import { sessionActor } from '../../runtime/stubs.ts';
import type { OAuthClient } from './discord-oauth.ts';
import { messagePage, setupPage } from './pages.ts';
import { canManage, isSnowflake, parseCookies, SESSION_COOKIE, type UserGuild, verifySession } from './rules.ts';

/** Who is asking and whether they may manage a guild: shared by every dashboard route. */
export interface Config {
  sessionSecret: string;
  client: OAuthClient;
}

export const apiBaseOf = (env: Env) => (env.DISCORD_API_BASE || 'https://discord.com/api/v10').replace(/\/$/, '');

/** The dashboard's configuration, or the names of what is missing. */
export function configOf(env: Env): { ok: true; value: Config } | { ok: false; missing: string[] } {
  const missing = (['DISCORD_APPLICATION_ID', 'DISCORD_CLIENT_SECRET', 'SESSION_SECRET'] as const).filter((n) => !env[n]);
  if (missing.length > 0) return { ok: false, missing };
  return {
    ok: true,
    value: {
      sessionSecret: env.SESSION_SECRET!,
      client: { apiBase: apiBaseOf(env), clientId: env.DISCORD_APPLICATION_ID, clientSecret: env.DISCORD_CLIENT_SECRET! },
    },
  };
}

export interface Session {
  sessionId: string;
  userId: string;
}

/** The request's session: a cookie signed with SESSION_SECRET whose session the user's actor still holds live. */
export async function sessionOf(req: Request, env: Env, cfg: Config): Promise<Session | null> {
  const s = await verifySession(cfg.sessionSecret, parseCookies(req.headers.get('cookie')).get(SESSION_COOKIE));
  if (!s) return null;
  return (await sessionActor(env, s.userId).check(s.sessionId)) ? s : null;
}

export type GuildAccess = { ok: true; session: Session; guild: UserGuild } | { ok: false; status: 401 | 403 | 503 | 400 };

/** Whether the request's session may manage `guildId` now: Discord's answer (≤ 1 min old) says so and Guildkeep is in it. */
export async function guildAccess(req: Request, env: Env, cfg: Config, guildId: string): Promise<GuildAccess> {
  if (!isSnowflake(guildId)) return { ok: false, status: 400 };
  const s = await sessionOf(req, env, cfg);
  if (!s) return { ok: false, status: 401 };
  return sessionAccess(env, s, guildId);
}

/**
 * Whether session `s` (already verified once) may manage `guildId` now: the
 * session is still live and Discord's answer (≤ 1 min old) says so. Also how
 * the guild actor re-checks a dashboard socket that has stayed open.
 */
export async function sessionAccess(env: Pick<Env, 'SESSION'>, s: Session, guildId: string): Promise<GuildAccess> {
  const g = await sessionActor(env, s.userId).guilds(s.sessionId);
  if (!g.ok) return { ok: false, status: g.error === 'unavailable' ? 503 : 401 };
  const guild = g.value.guilds.find((x) => x.id === guildId);
  if (!guild || !canManage(guild) || !g.value.botGuildIds.includes(guildId)) return { ok: false, status: 403 };
  return { ok: true, session: s, guild };
}

const ACCESS_ERRORS = { 400: 'bad guild id', 401: 'not logged in', 403: 'you cannot manage this server', 503: 'Discord is unavailable' } as const;

/**
 * The guard every dashboard API route of one guild starts with: the dashboard
 * is configured, the request has a live session, and Discord says (now, or at
 * most a minute ago) that its user may manage `guildId` and Guildkeep is in it.
 * Anything else is the JSON error to answer, and no data.
 */
export async function guildApiAccess(
  req: Request,
  env: Env,
  guildId: string,
): Promise<{ ok: true; session: Session; guild: UserGuild } | { ok: false; response: Response }> {
  const c = configOf(env);
  if (!c.ok) return { ok: false, response: problem(503, 'the dashboard is not configured') };
  const a = await guildAccess(req, env, c.value, guildId);
  return a.ok ? a : { ok: false, response: problem(a.status, ACCESS_ERRORS[a.status]) };
}

export const problem = (status: number, error: string) => Response.json({ error }, { status, headers: { 'Cache-Control': 'no-store' } });

/**
 * The same guard for a guild's dashboard pages, answered as pages: no session
 * goes to /dashboard (which starts Login with Discord), another guild or
 * Discord down gets a message, a missing secret the setup page.
 */
export async function guildPageAccess(
  req: Request,
  env: Env,
  guildId: string,
  l: AppLocale,
): Promise<{ ok: true; session: Session; guild: UserGuild } | { ok: false; response: Response }> {
  const c = configOf(env);
  if (!c.ok) return { ok: false, response: setupPage(l, c.missing, `${new URL(req.url).origin}/dashboard/callback`) };
  const a = await guildAccess(req, env, c.value, guildId);
  if (a.ok) return a;
  if (a.status === 401) return { ok: false, response: new Response(null, { status: 302, headers: { Location: '/dashboard', 'Cache-Control': 'no-store' } }) };
  return { ok: false, response: messagePage(l, a.status === 503 ? 'dash.unavailable' : 'dash.forbidden', a.status, { href: '/dashboard', key: 'dash.back' }) };
}
