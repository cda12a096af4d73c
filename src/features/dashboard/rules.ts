import { PermissionFlagsBits } from 'discord-api-types/v10';
import { b64url, unb64url } from '../../lib/base64url.ts';
import { sameSecret } from '../../lib/hex.ts';
import { hmacSha256Hex } from '../audit/webhook.ts';

/**
 * The dashboard's pure rules: the session and login cookies (signed with
 * SESSION_SECRET), PKCE, who may manage a guild, the server picker, and the
 * CSRF check. No storage, no network.
 */

export const SESSION_COOKIE = 'gk_session';
/** Carries the login attempt's `state` and PKCE verifier from /dashboard to /dashboard/callback. */
export const LOGIN_COOKIE = 'gk_login';
/** How long a session lasts (Discord's access tokens last a week too; the refresh token keeps them going). */
export const SESSION_TTL_S = 7 * 24 * 60 * 60;
/** How long a login attempt may take at Discord's consent page. */
export const LOGIN_TTL_S = 10 * 60;
/** How long Discord's answer about a user's guilds is trusted before it is asked again. */
export const GUILDS_CACHE_MS = 60_000;
/** The scopes the dashboard asks for: who the user is, and their guilds with their permissions there. */
export const SCOPES = ['identify', 'guilds'] as const;

/** Random bytes as base64url (43 characters for 32 bytes: a PKCE verifier, a state, a session id). */
export function randomToken(bytes = 32): string {
  return b64url(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));
}

/** The PKCE S256 challenge of a verifier (RFC 7636 §4.2): base64url(SHA-256(ASCII(verifier))). */
export async function pkceChallenge(verifier: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return b64url(String.fromCharCode(...new Uint8Array(d)));
}

/** The cookies of a request, by name (the first of a repeated name wins, as browsers send the most specific first). */
export function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (name && !out.has(name)) out.set(name, part.slice(i + 1).trim());
  }
  return out;
}

/**
 * Whether cookies must be Secure: always, except on plain http to this
 * machine (localhost, 127.0.0.1), where `npm run dev` serves the Worker.
 */
export function secureCookies(url: URL): boolean {
  return !(url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1'));
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, with Max-Age and Expires; Secure unless `secure` is false. */
export function setCookie(name: string, value: string, o: { secure: boolean; maxAgeS: number; now: number }): string {
  const expires = new Date(o.now + o.maxAgeS * 1000).toUTCString();
  return [`${name}=${value}`, 'Path=/', `Max-Age=${o.maxAgeS}`, `Expires=${expires}`, 'HttpOnly', ...(o.secure ? ['Secure'] : []), 'SameSite=Lax'].join('; ');
}

/** A Set-Cookie value that removes the cookie. */
export function clearCookie(name: string, secure: boolean): string {
  return [`${name}=`, 'Path=/', 'Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'HttpOnly', ...(secure ? ['Secure'] : []), 'SameSite=Lax'].join('; ');
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const SNOWFLAKE = /^\d{15,20}$/;

/** The session cookie's value: `<session id>.<user id>.<hex HMAC-SHA256 of both>`. */
export async function signSession(secret: string, sessionId: string, userId: string): Promise<string> {
  const payload = `${sessionId}.${userId}`;
  return `${payload}.${await hmacSha256Hex(`session:${secret}`, payload)}`;
}

/** The session id and user id of a cookie value, if it is well formed and signed with `secret`. */
export async function verifySession(secret: string, value: string | undefined): Promise<{ sessionId: string; userId: string } | null> {
  const [sessionId, userId, sig, extra] = (value ?? '').split('.');
  if (!sessionId || !userId || !sig || extra !== undefined) return null;
  if (!SESSION_ID.test(sessionId) || !SNOWFLAKE.test(userId) || !/^[0-9a-f]{64}$/.test(sig)) return null;
  if (!(await sameSecret(sig, await hmacSha256Hex(`session:${secret}`, `${sessionId}.${userId}`)))) return null;
  return { sessionId, userId };
}

/** A login attempt in flight: what the callback must see again (state) and prove (the PKCE verifier). */
export interface LoginAttempt {
  state: string;
  verifier: string;
  /** Epoch seconds. */
  exp: number;
}

/** The login cookie's value: base64url JSON of the attempt, then its HMAC. */
export async function signLogin(secret: string, a: LoginAttempt): Promise<string> {
  const payload = b64url(JSON.stringify({ s: a.state, v: a.verifier, exp: a.exp }));
  return `${payload}.${await hmacSha256Hex(`login:${secret}`, payload)}`;
}

/** The login attempt of a cookie, if signed with `secret` and not expired at `nowS`. */
export async function verifyLogin(secret: string, value: string | undefined, nowS: number): Promise<LoginAttempt | null> {
  const [payload, sig, extra] = (value ?? '').split('.');
  if (!payload || !sig || extra !== undefined || !/^[0-9a-f]{64}$/.test(sig)) return null;
  if (!(await sameSecret(sig, await hmacSha256Hex(`login:${secret}`, payload)))) return null;
  try {
    const c = JSON.parse(unb64url(payload)) as { s?: unknown; v?: unknown; exp?: unknown };
    if (typeof c.s !== 'string' || typeof c.v !== 'string' || typeof c.exp !== 'number' || c.exp <= nowS) return null;
    return { state: c.s, verifier: c.v, exp: c.exp };
  } catch {
    return null;
  }
}

/** The callback's `state` matches the attempt's (constant time). */
export function sameState(a: string, b: string | null): Promise<boolean> {
  return b === null ? Promise.resolve(false) : sameSecret(a, b);
}

/** Discord's authorize URL for the dashboard's login: the authorization-code grant with PKCE S256. */
export function authorizeUrl(discordOrigin: string, o: { clientId: string; redirectUri: string; state: string; challenge: string }): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: o.clientId,
    scope: SCOPES.join(' '),
    redirect_uri: o.redirectUri,
    state: o.state,
    code_challenge: o.challenge,
    code_challenge_method: 'S256',
    prompt: 'none',
  });
  return `${discordOrigin}/oauth2/authorize?${q}`;
}

/** The web origin of Discord for an API base (https://discord.com for https://discord.com/api/v10; the simulator's own). */
export const discordOrigin = (apiBase: string): string => new URL(apiBase).origin;

/** A guild as GET /users/@me/guilds lists it for the user. */
export interface UserGuild {
  id: string;
  name: string;
  owner: boolean;
  /** Decimal string of the user's permissions there. */
  permissions: string;
}

/** Whether a user may manage a guild's Guildkeep: its owner, an Administrator, or holding Manage Server. */
export function canManage(g: Pick<UserGuild, 'owner' | 'permissions'>): boolean {
  if (g.owner) return true;
  let p: bigint;
  try {
    p = BigInt(g.permissions);
  } catch {
    return false;
  }
  return (p & (PermissionFlagsBits.Administrator | PermissionFlagsBits.ManageGuild)) !== 0n;
}

/** The server picker: guilds to open (manageable, Guildkeep present) and to add Guildkeep to (manageable, absent). */
export function pickGuilds(guilds: readonly UserGuild[], botGuildIds: ReadonlySet<string>): { open: UserGuild[]; add: UserGuild[] } {
  const manageable = guilds.filter(canManage);
  const byName = (a: UserGuild, b: UserGuild) => a.name.localeCompare(b.name);
  return { open: manageable.filter((g) => botGuildIds.has(g.id)).sort(byName), add: manageable.filter((g) => !botGuildIds.has(g.id)).sort(byName) };
}

/** The "Add to server" link for one guild: the bot with exactly the features' permissions, that guild preselected. */
export function addToServerUrl(discordOrigin: string, applicationId: string, permissions: bigint, guildId: string): string {
  const q = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: String(permissions),
    guild_id: guildId,
    disable_guild_select: 'true',
  });
  return `${discordOrigin}/oauth2/authorize?${q}`;
}

/**
 * CSRF for state-changing posts: the browser's Origin must be ours. (The
 * session cookie is SameSite=Lax too, so other sites' forms don't carry it;
 * this also stops a same-site subdomain.) A request without Origin is refused.
 */
export function sameOrigin(originHeader: string | null, ours: string): boolean {
  return originHeader !== null && originHeader !== 'null' && originHeader === ours;
}

/** Whether a cached answer from `at` is still fresh at `now`. */
export const fresh = (at: number, now: number, ttlMs: number): boolean => at <= now && now - at < ttlMs;

/** A guild id as the API path carries it. */
export const isSnowflake = (s: string): boolean => SNOWFLAKE.test(s);
