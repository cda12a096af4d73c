import type { IRequest } from 'itty-router';
import type { Env } from '../../env.ts';
import { localeFromAcceptLanguage } from '../../i18n/accept-language.ts';
import type { AppLocale } from '../../i18n/index.ts';
import type { FeatureRoute } from '../../platform/feature.ts';
import { requiredPermissions } from '../../platform/invite.ts';
import { now } from '../../runtime/clock.ts';
import { guildActor, sessionActor } from '../../runtime/stubs.ts';
import { FEATURES, MODULES } from '../index.ts';
import { apiBaseOf, type Config, configOf, guildAccess, guildApiAccess, problem, sessionOf } from './access.ts';
import { exchangeCode, fetchMe } from './discord-oauth.ts';
import { type GuildOverview, messagePage, overviewPage, pickerPage, setupPage } from './pages.ts';
import {
  addToServerUrl,
  authorizeUrl,
  clearCookie,
  discordOrigin,
  LOGIN_COOKIE,
  LOGIN_TTL_S,
  parseCookies,
  pickGuilds,
  pkceChallenge,
  randomToken,
  SESSION_COOKIE,
  SESSION_TTL_S,
  sameOrigin,
  sameState,
  secureCookies,
  setCookie,
  signLogin,
  signSession,
  type UserGuild,
  verifyLogin,
} from './rules.ts';

/**
 * The dashboard's HTTP side: Login with Discord (authorization code + PKCE,
 * `state` bound to the browser by a signed cookie), the session cookie, the
 * server picker, one guild's overview (page and JSON), and logging out.
 * Authorization for a guild is Discord's current answer (the user's
 * /users/@me/guilds, at most a minute old) on every request.
 */

const localeOf = (req: Request): AppLocale => localeFromAcceptLanguage(req.headers.get('accept-language'));
const redirectUriOf = (url: URL) => `${url.origin}/dashboard/callback`;

function redirect(location: string, cookies: string[] = [], status = 302): Response {
  const headers = new Headers({ Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  for (const c of cookies) headers.append('Set-Cookie', c);
  return new Response(null, { status, headers });
}

/** Starts Login with Discord: a fresh state and PKCE verifier in a signed cookie, then Discord's authorize page. */
async function startLogin(url: URL, env: Env, cfg: Config): Promise<Response> {
  const state = randomToken();
  const verifier = randomToken();
  const cookie = await signLogin(cfg.sessionSecret, { state, verifier, exp: Math.floor(now() / 1000) + LOGIN_TTL_S });
  const location = authorizeUrl(discordOrigin(apiBaseOf(env)), {
    clientId: cfg.client.clientId,
    redirectUri: redirectUriOf(url),
    state,
    challenge: await pkceChallenge(verifier),
  });
  return redirect(location, [setCookie(LOGIN_COOKIE, cookie, { secure: secureCookies(url), maxAgeS: LOGIN_TTL_S, now: now() })]);
}

/** GET /dashboard: the server picker, or the way to log in. */
async function handleDashboard(req: IRequest, env: Env): Promise<Response> {
  const url = new URL(req.url);
  const l = localeOf(req);
  const c = configOf(env);
  if (!c.ok) return setupPage(l, c.missing, redirectUriOf(url));
  const cfg = c.value;
  const s = await sessionOf(req, env, cfg);
  if (!s) return startLogin(url, env, cfg);
  const g = await sessionActor(env, s.userId).guilds(s.sessionId);
  if (!g.ok) {
    if (g.error === 'unavailable') return messagePage(l, 'dash.unavailable', 503, { href: '/dashboard', key: 'dash.back' });
    return startLogin(url, env, cfg);
  }
  const { open, add } = pickGuilds(g.value.guilds, new Set(g.value.botGuildIds));
  const perms = requiredPermissions(MODULES);
  const origin = discordOrigin(apiBaseOf(env));
  return pickerPage(
    l,
    g.value.user.name,
    open,
    add.map((x) => ({ ...x, url: addToServerUrl(origin, cfg.client.clientId, perms, x.id) })),
  );
}

/** GET /dashboard/callback: Discord sends the browser back here with `code` and `state` (or an error). */
async function handleCallback(req: IRequest, env: Env): Promise<Response> {
  const url = new URL(req.url);
  const l = localeOf(req);
  const c = configOf(env);
  if (!c.ok) return setupPage(l, c.missing, redirectUriOf(url));
  const cfg = c.value;
  const secure = secureCookies(url);
  const retry = { href: '/dashboard', key: 'dash.login' } as const;
  // No attempt of this browser's, or another state: a forged or stale callback. Nothing is exchanged or changed.
  const attempt = await verifyLogin(cfg.sessionSecret, parseCookies(req.headers.get('cookie')).get(LOGIN_COOKIE), Math.floor(now() / 1000));
  if (!attempt || !(await sameState(attempt.state, url.searchParams.get('state')))) return messagePage(l, 'dash.login.failed', 400, retry);
  const done = clearCookie(LOGIN_COOKIE, secure);
  if (url.searchParams.has('error')) return messagePage(l, 'dash.login.cancelled', 400, retry, [['Set-Cookie', done]]);
  const code = url.searchParams.get('code');
  if (!code) return messagePage(l, 'dash.login.failed', 400, retry, [['Set-Cookie', done]]);
  const tokens = await exchangeCode(cfg.client, { code, redirectUri: redirectUriOf(url), verifier: attempt.verifier }, now());
  if (!tokens.ok) {
    console.warn(`dashboard: token exchange failed: ${tokens.error.kind === 'invalid' ? tokens.error.error : `http ${tokens.error.status}`}`);
    return tokens.error.kind === 'invalid'
      ? messagePage(l, 'dash.login.failed', 400, retry, [['Set-Cookie', done]])
      : messagePage(l, 'dash.unavailable', 503, retry);
  }
  const me = await fetchMe(cfg.client.apiBase, tokens.value.accessToken);
  if (!me.ok) return messagePage(l, me.error.kind === 'invalid' ? 'dash.login.failed' : 'dash.unavailable', me.error.kind === 'invalid' ? 400 : 503, retry);
  const sessionId = await sessionActor(env, me.value.id).open({ userId: me.value.id, name: me.value.name }, tokens.value);
  const cookie = await signSession(cfg.sessionSecret, sessionId, me.value.id);
  return redirect('/dashboard', [setCookie(SESSION_COOKIE, cookie, { secure, maxAgeS: SESSION_TTL_S, now: now() }), done], 303);
}

async function overviewOf(env: Env, guild: UserGuild): Promise<GuildOverview> {
  const actor = guildActor(env, guild.id);
  const [summary, { tickets = [] }] = await Promise.all([actor.gatewaySummary(), actor.inboxData()]);
  return {
    guild: { id: guild.id, name: guild.name },
    features: FEATURES.filter((m) => m.name !== 'dashboard').map((m) => m.name),
    counts: { openTickets: tickets.filter((t) => t.status !== 'closed').length, members: summary.guild?.memberCount ?? null },
  };
}

/** GET /api/dashboard/guilds/:id/overview: JSON; 401 without a session, 403 for a guild the user cannot manage. */
async function handleOverviewApi(req: IRequest, env: Env): Promise<Response> {
  const a = await guildApiAccess(req, env, req.params.id ?? '');
  if (!a.ok) return a.response;
  return Response.json(await overviewOf(env, a.guild), { headers: { 'Cache-Control': 'no-store' } });
}

/** GET /dashboard/guilds/:id: the same overview as a page. */
async function handleOverviewPage(req: IRequest, env: Env): Promise<Response> {
  const url = new URL(req.url);
  const l = localeOf(req);
  const c = configOf(env);
  if (!c.ok) return setupPage(l, c.missing, redirectUriOf(url));
  const a = await guildAccess(req, env, c.value, req.params.id ?? '');
  if (!a.ok) {
    if (a.status === 401) return startLogin(url, env, c.value);
    return messagePage(l, a.status === 503 ? 'dash.unavailable' : 'dash.forbidden', a.status, { href: '/dashboard', key: 'dash.back' });
  }
  return overviewPage(l, await overviewOf(env, a.guild));
}

/** POST /dashboard/logout and /dashboard/logout-everywhere: same-origin only (CSRF), then the cookie is cleared. */
async function handleLogout(req: IRequest, env: Env, everywhere: boolean): Promise<Response> {
  const url = new URL(req.url);
  const l = localeOf(req);
  const c = configOf(env);
  if (!c.ok) return setupPage(l, c.missing, redirectUriOf(url));
  if (!sameOrigin(req.headers.get('origin'), url.origin)) return problem(403, 'cross-origin request refused');
  const s = await sessionOf(req, env, c.value);
  const cleared: [string, string][] = [['Set-Cookie', clearCookie(SESSION_COOKIE, secureCookies(url))]];
  if (everywhere) {
    if (!s) return problem(401, 'not logged in');
    await sessionActor(env, s.userId).logoutEverywhere(s.sessionId);
    return messagePage(l, 'dash.logged-out-everywhere', 200, { href: '/dashboard', key: 'dash.login' }, cleared);
  }
  if (s) await sessionActor(env, s.userId).logout(s.sessionId);
  return messagePage(l, 'dash.logged-out', 200, { href: '/dashboard', key: 'dash.login' }, cleared);
}

/** The dashboard's handlers, by route (feature.ts declares the paths and loads this module on first use). */
export const HANDLERS = {
  dashboard: handleDashboard,
  callback: handleCallback,
  overviewPage: handleOverviewPage,
  logout: (req: IRequest, env: Env) => handleLogout(req, env, false),
  logoutEverywhere: (req: IRequest, env: Env) => handleLogout(req, env, true),
  overviewApi: handleOverviewApi,
} satisfies Record<string, FeatureRoute['handle']>;
