import { err, ok, type Result } from '../../lib/result.ts';
import type { UserGuild } from './rules.ts';

/**
 * Discord's OAuth2 endpoints as the dashboard uses them (developers/topics/oauth2):
 * the token endpoint (authorization code with PKCE, refresh), revocation, and
 * the user's own /users/@me and /users/@me/guilds with their Bearer token.
 * Tokens and the client secret go only into request bodies and headers: never
 * into an error, a log line or a URL.
 */
export interface OAuthClient {
  apiBase: string;
  clientId: string;
  clientSecret: string;
}

/** Discord's token response (RFC 6749 §5.1). */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
  scope: string;
}

/**
 * What went wrong, without secrets: `invalid` when Discord refused the grant or
 * token (the user must log in again), `unavailable` when Discord could not be asked.
 */
export type OAuthError = { kind: 'invalid'; error: string } | { kind: 'unavailable'; status: number };

const TIMEOUT_MS = 8000;

function basic(c: OAuthClient): string {
  return `Basic ${btoa(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`)}`;
}

async function call(url: string, init: RequestInit): Promise<Response | null> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    return null;
  }
}

async function tokenRequest(c: OAuthClient, form: Record<string, string>, now: number): Promise<Result<TokenSet, OAuthError>> {
  const res = await call(`${c.apiBase}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(c) },
    body: new URLSearchParams(form),
  });
  if (!res) return err({ kind: 'unavailable', status: 0 });
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.status === 400 || res.status === 401) return err({ kind: 'invalid', error: typeof body?.error === 'string' ? body.error : `http-${res.status}` });
  if (!res.ok || !body) return err({ kind: 'unavailable', status: res.status });
  const { access_token, refresh_token, expires_in, scope } = body;
  if (typeof access_token !== 'string' || typeof refresh_token !== 'string' || typeof expires_in !== 'number')
    return err({ kind: 'unavailable', status: res.status });
  return ok({ accessToken: access_token, refreshToken: refresh_token, expiresAt: now + expires_in * 1000, scope: typeof scope === 'string' ? scope : '' });
}

/** Trades an authorization code (and the PKCE verifier) for tokens. */
export function exchangeCode(c: OAuthClient, o: { code: string; redirectUri: string; verifier: string }, now: number): Promise<Result<TokenSet, OAuthError>> {
  return tokenRequest(c, { grant_type: 'authorization_code', code: o.code, redirect_uri: o.redirectUri, code_verifier: o.verifier }, now);
}

/** New tokens for a refresh token (Discord rotates it: the old one stops working). */
export function refreshTokens(c: OAuthClient, refreshToken: string, now: number): Promise<Result<TokenSet, OAuthError>> {
  return tokenRequest(c, { grant_type: 'refresh_token', refresh_token: refreshToken }, now);
}

/** Revokes the grant a token belongs to (RFC 7009); true when Discord confirmed. */
export async function revokeToken(c: OAuthClient, token: string, hint: 'access_token' | 'refresh_token'): Promise<boolean> {
  const res = await call(`${c.apiBase}/oauth2/token/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(c) },
    body: new URLSearchParams({ token, token_type_hint: hint }),
  });
  return res?.ok === true;
}

async function bearerGet<T>(apiBase: string, path: string, accessToken: string): Promise<Result<T, OAuthError>> {
  const res = await call(`${apiBase}${path}`, { headers: { Authorization: `Bearer ${accessToken}` } });
  if (!res) return err({ kind: 'unavailable', status: 0 });
  if (res.status === 401) return err({ kind: 'invalid', error: 'unauthorized' });
  if (!res.ok) return err({ kind: 'unavailable', status: res.status });
  // The timeout covers the body too: a body cut off or not JSON is Discord unavailable, not an exception out of the guard.
  const body = (await res.json().catch(() => undefined)) as T | undefined;
  return body === undefined ? err({ kind: 'unavailable', status: res.status }) : ok(body);
}

/** The user the token belongs to. */
export async function fetchMe(apiBase: string, accessToken: string): Promise<Result<{ id: string; name: string }, OAuthError>> {
  const r = await bearerGet<{ id: string; username: string; global_name?: string | null }>(apiBase, '/users/@me', accessToken);
  return r.ok ? ok({ id: r.value.id, name: r.value.global_name || r.value.username }) : r;
}

/** Page size of GET /users/@me/guilds (Discord's maximum). */
const PAGE = 200;

/** Every guild of the token's user, with their permissions there (paged by `after`). */
export async function fetchUserGuilds(apiBase: string, accessToken: string): Promise<Result<UserGuild[], OAuthError>> {
  const all: UserGuild[] = [];
  let after = '';
  for (;;) {
    const r = await bearerGet<UserGuild[]>(apiBase, `/users/@me/guilds?limit=${PAGE}${after ? `&after=${after}` : ''}`, accessToken);
    if (!r.ok) return r;
    for (const g of r.value) all.push({ id: g.id, name: g.name, owner: g.owner === true, permissions: String(g.permissions) });
    if (r.value.length < PAGE) return ok(all);
    after = r.value[r.value.length - 1]!.id;
  }
}
