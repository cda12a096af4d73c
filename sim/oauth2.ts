// Discord's OAuth2 (developers/topics/oauth2) for one application, the bot's:
// the authorization-code grant with its consent page (GET/POST /oauth2/authorize),
// the token endpoint (authorization_code and refresh_token grants, PKCE S256,
// client authentication by HTTP Basic or form fields, RFC 6749 §5.2 errors),
// token revocation (RFC 7009), and Bearer authentication for the user routes
// (GET /users/@me, GET /users/@me/guilds). Test controls under /_sim/oauth2/*.
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { APIGuild } from 'discord-api-types/v10';
import { basePermissions } from './permissions.ts';
import type { SimState } from './state.ts';

/** Access tokens live a week, as Discord's do (expires_in 604800). */
export const ACCESS_TOKEN_TTL_S = 604_800;
/** Authorization codes are single-use and short-lived. */
const CODE_TTL_MS = 10 * 60_000;
const SCOPES = new Set(['identify', 'email', 'guilds', 'guilds.join', 'guilds.members.read', 'connections', 'bot', 'applications.commands']);

/** One entry of GET /users/@me/guilds as the simulator answers it for a user. */
export interface SimUserGuild {
  id: string;
  name: string;
  owner: boolean;
  /** Decimal string, as Discord sends it. */
  permissions: string;
}

interface Code {
  userId: string;
  redirectUri: string;
  scopes: string[];
  challenge: string | null;
  expiresAt: number;
  used: boolean;
  /** Tokens issued from this code: revoked if the code is replayed (RFC 6749 §4.1.2). */
  grant: string | null;
}

interface Grant {
  id: string;
  userId: string;
  scopes: string[];
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
}

export interface Bearer {
  userId: string;
  scopes: string[];
}

type Form = Record<string, string>;
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const token = (bytes = 24) => randomBytes(bytes).toString('base64url');
const err = (status: number, error: string, error_description: string): Answer => ({ status, body: { error, error_description } });
const html = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export class OAuth2 {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris = new Set<string>();
  private codes = new Map<string, Code>();
  private grants = new Map<string, Grant>();
  private byAccess = new Map<string, string>();
  private byRefresh = new Map<string, string>();
  /** Explicit guild lists per user (set by tests); otherwise the user's memberships in the simulated guilds. */
  private guildLists = new Map<string, SimUserGuild[]>();
  /** Token endpoint calls, for tests: grant types and outcomes only. */
  readonly calls: { grant_type: string; status: number; error?: string }[] = [];

  constructor(clientId: string, clientSecret: string) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  reset(): void {
    this.codes.clear();
    this.grants.clear();
    this.byAccess.clear();
    this.byRefresh.clear();
    this.guildLists.clear();
    this.calls.length = 0;
  }

  /** The user a Bearer token belongs to, while it is valid. */
  authenticate(accessToken: string, now: number): Bearer | null {
    const id = this.byAccess.get(accessToken);
    const g = id ? this.grants.get(id) : undefined;
    if (!g || g.accessExpiresAt <= now) return null;
    return { userId: g.userId, scopes: g.scopes };
  }

  /** GET /users/@me/guilds for a user: the explicit list if a test set one, else their memberships. */
  userGuilds(state: SimState, userId: string): SimUserGuild[] {
    const explicit = this.guildLists.get(userId);
    if (explicit) return explicit;
    const out: SimUserGuild[] = [];
    for (const g of state.guilds.values()) {
      if (!state.members.get(g.id)?.has(userId)) continue;
      out.push({ id: g.id, name: g.name, owner: g.owner_id === userId, permissions: String(basePermissions(state, g.id, userId)) });
    }
    return out;
  }

  // ---- /oauth2/authorize ------------------------------------------------

  /** Checks an authorize request; errors that must not redirect (unknown client, unregistered redirect_uri) are pages. */
  private checkAuthorize(
    q: URLSearchParams,
  ): { ok: true; redirectUri: string; scopes: string[] } | { ok: false; status: number; message: string; redirect?: string } {
    if (q.get('client_id') !== this.clientId) return { ok: false, status: 400, message: 'Unknown Application (invalid client_id).' };
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!this.redirectUris.has(redirectUri)) return { ok: false, status: 400, message: 'Invalid OAuth2 redirect_uri.' };
    const back = (error: string, description: string) => {
      const u = new URL(redirectUri);
      u.searchParams.set('error', error);
      u.searchParams.set('error_description', description);
      const state = q.get('state');
      if (state !== null) u.searchParams.set('state', state);
      return u.toString();
    };
    if (q.get('response_type') !== 'code')
      return {
        ok: false,
        status: 400,
        message: 'unsupported_response_type',
        redirect: back('unsupported_response_type', 'Only response_type=code is supported.'),
      };
    const scopes = (q.get('scope') ?? '').split(/[ +]/).filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !SCOPES.has(s)))
      return { ok: false, status: 400, message: 'invalid_scope', redirect: back('invalid_scope', 'Invalid scope.') };
    const challenge = q.get('code_challenge');
    if (challenge !== null && (q.get('code_challenge_method') ?? 'plain') !== 'S256')
      return { ok: false, status: 400, message: 'invalid_request', redirect: back('invalid_request', 'code_challenge_method must be S256.') };
    if (challenge !== null && !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return { ok: false, status: 400, message: 'invalid_request', redirect: back('invalid_request', 'Invalid code_challenge.') };
    return { ok: true, redirectUri, scopes };
  }

  /**
   * The user's answer on the consent page: the redirect_uri with `code` and
   * `state`, or with error=access_denied; an error page when the request
   * itself cannot be trusted.
   */
  decide(q: URLSearchParams, userId: string | null, approve: boolean, now: number): { location: string } | { status: number; message: string } {
    const c = this.checkAuthorize(q);
    if (!c.ok) return c.redirect ? { location: c.redirect } : { status: c.status, message: c.message };
    const u = new URL(c.redirectUri);
    const state = q.get('state');
    if (!approve) {
      u.searchParams.set('error', 'access_denied');
      u.searchParams.set('error_description', 'The resource owner or authorization server denied the request');
    } else {
      if (!userId) return { status: 400, message: 'user_id is required to authorize' };
      const code = token(20);
      this.codes.set(code, {
        userId,
        redirectUri: c.redirectUri,
        scopes: c.scopes,
        challenge: q.get('code_challenge'),
        expiresAt: now + CODE_TTL_MS,
        used: false,
        grant: null,
      });
      u.searchParams.set('code', code);
    }
    if (state !== null) u.searchParams.set('state', state);
    return { location: u.toString() };
  }

  /** GET /oauth2/authorize: the consent page (the simulator has no login: the page asks which user consents). */
  serveAuthorize(state: SimState, method: string, url: URL, raw: string, res: ServerResponse): void {
    if (method === 'POST') {
      const form = new URLSearchParams(raw);
      const q = new URLSearchParams(form.get('query') ?? '');
      const r = this.decide(q, form.get('user_id'), form.get('decision') === 'authorize', Date.now());
      if ('location' in r) {
        res.writeHead(302, { Location: r.location, 'Cache-Control': 'no-store' });
        res.end();
      } else page(res, r.status, html(r.message));
      return;
    }
    const c = this.checkAuthorize(url.searchParams);
    if (!c.ok) {
      if (c.redirect) {
        res.writeHead(302, { Location: c.redirect });
        res.end();
      } else page(res, c.status, html(c.message));
      return;
    }
    const users = [...state.users.values()].filter((u) => !u.bot);
    const options = users.map((u) => `<option value="${html(u.id)}">${html(u.global_name ?? u.username)} (${html(u.id)})</option>`).join('');
    page(
      res,
      200,
      `<h1>Guildkeep wants to access your account</h1>
<p>Redirects to ${html(c.redirectUri)}</p><p>Scopes: ${c.scopes.map(html).join(', ')}</p>
<form method="post" action="/oauth2/authorize"><input type="hidden" name="query" value="${html(url.searchParams.toString())}">
<label>Sign in as <select name="user_id">${options}</select></label>
<button name="decision" value="cancel">Cancel</button> <button name="decision" value="authorize">Authorize</button></form>`,
    );
  }

  // ---- /oauth2/token and /oauth2/token/revoke ---------------------------

  /** The client the request authenticates as (Basic header or form fields), or null. */
  private client(authorization: string | undefined, form: Form): boolean {
    let id = form.client_id;
    let secret = form.client_secret;
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) return false;
      id = decodeURIComponent(decoded.slice(0, i));
      secret = decodeURIComponent(decoded.slice(i + 1));
    }
    return id === this.clientId && secret === this.clientSecret;
  }

  private issue(userId: string, scopes: string[], now: number, id = token(9)): Grant {
    const old = this.grants.get(id);
    if (old) {
      this.byAccess.delete(old.accessToken);
      this.byRefresh.delete(old.refreshToken);
    }
    const g: Grant = { id, userId, scopes, accessToken: token(), accessExpiresAt: now + ACCESS_TOKEN_TTL_S * 1000, refreshToken: token() };
    this.grants.set(id, g);
    this.byAccess.set(g.accessToken, id);
    this.byRefresh.set(g.refreshToken, id);
    return g;
  }

  private revokeGrant(id: string): void {
    const g = this.grants.get(id);
    if (!g) return;
    this.byAccess.delete(g.accessToken);
    this.byRefresh.delete(g.refreshToken);
    this.grants.delete(id);
  }

  private tokenBody(g: Grant) {
    return { access_token: g.accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S, refresh_token: g.refreshToken, scope: g.scopes.join(' ') };
  }

  /** POST /api/v10/oauth2/token. */
  tokenEndpoint(contentType: string, authorization: string | undefined, raw: string, now: number): Answer {
    const a = this.tokenAnswer(contentType, authorization, raw, now);
    const body = a.body as { error?: string };
    this.calls.push({ grant_type: new URLSearchParams(raw).get('grant_type') ?? '', status: a.status, ...(body.error ? { error: body.error } : {}) });
    return { ...a, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...a.headers } };
  }

  private tokenAnswer(contentType: string, authorization: string | undefined, raw: string, now: number): Answer {
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType))
      return err(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    const form = Object.fromEntries(new URLSearchParams(raw)) as Form;
    if (!this.client(authorization, form)) return { ...err(401, 'invalid_client', 'Client authentication failed'), headers: { 'WWW-Authenticate': 'Basic' } };
    if (form.grant_type === 'authorization_code') {
      if (!form.code) return err(400, 'invalid_request', 'Missing "code" in request.');
      const c = this.codes.get(form.code);
      if (!c || c.expiresAt <= now) return err(400, 'invalid_grant', `Invalid "code" in request.`);
      if (c.used) {
        // A replayed code: the tokens issued from it are revoked too.
        if (c.grant) this.revokeGrant(c.grant);
        return err(400, 'invalid_grant', `Invalid "code" in request.`);
      }
      if (form.redirect_uri !== c.redirectUri) return err(400, 'invalid_grant', 'Invalid "redirect_uri" in request.');
      if (c.challenge !== null) {
        if (!form.code_verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(form.code_verifier))
          return err(400, 'invalid_request', 'Missing or invalid "code_verifier".');
        const computed = createHash('sha256').update(form.code_verifier).digest('base64url');
        if (computed !== c.challenge) return err(400, 'invalid_grant', 'Invalid "code_verifier".');
      }
      c.used = true;
      const g = this.issue(c.userId, c.scopes, now);
      c.grant = g.id;
      return { status: 200, body: this.tokenBody(g) };
    }
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return err(400, 'invalid_request', 'Missing "refresh_token" in request.');
      const id = this.byRefresh.get(form.refresh_token);
      const g = id ? this.grants.get(id) : undefined;
      if (!g) return err(400, 'invalid_grant', 'Invalid "refresh_token" in request.');
      // Rotation: the old access and refresh tokens stop working.
      return { status: 200, body: this.tokenBody(this.issue(g.userId, g.scopes, now, g.id)) };
    }
    if (!form.grant_type) return err(400, 'invalid_request', 'Missing "grant_type" in request.');
    return err(400, 'unsupported_grant_type', `Unsupported grant type: ${form.grant_type}`);
  }

  /** POST /api/v10/oauth2/token/revoke: revokes the whole grant the token belongs to; 200 even for an unknown token (RFC 7009 §2.2). */
  revokeEndpoint(contentType: string, authorization: string | undefined, raw: string): Answer {
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType))
      return err(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    const form = Object.fromEntries(new URLSearchParams(raw)) as Form;
    if (!this.client(authorization, form)) return { ...err(401, 'invalid_client', 'Client authentication failed'), headers: { 'WWW-Authenticate': 'Basic' } };
    if (!form.token) return err(400, 'invalid_request', 'Missing "token" in request.');
    const id = this.byAccess.get(form.token) ?? this.byRefresh.get(form.token);
    if (id) this.revokeGrant(id);
    return { status: 200, body: {} };
  }

  // ---- controls -----------------------------------------------------------

  /** /_sim/oauth2/*: undefined when the path is not one of these. */
  control(state: SimState, method: string, p: string, b: Record<string, unknown>): Answer | undefined {
    let m: RegExpExecArray | null;
    if (method === 'POST' && p === '/_sim/oauth2/redirect-uris') {
      if (typeof b.uri !== 'string' || !URL.canParse(b.uri)) return { status: 400, body: { error: 'uri (absolute URL) is required' } };
      this.redirectUris.add(b.uri);
      return { status: 200, body: { redirect_uris: [...this.redirectUris] } };
    }
    // Approves (or cancels) an authorize URL as the given user, as the consent page would: {url, user_id, approve?}.
    if (method === 'POST' && p === '/_sim/oauth2/authorize') {
      if (typeof b.url !== 'string' || !URL.canParse(b.url)) return { status: 400, body: { error: 'url (the authorize URL) is required' } };
      const r = this.decide(new URL(b.url).searchParams, typeof b.user_id === 'string' ? b.user_id : null, b.approve !== false, Date.now());
      return 'location' in r ? { status: 200, body: r } : { status: r.status, body: { error: r.message } };
    }
    // Sets the guild list GET /users/@me/guilds answers for a user: {guilds: [{id, name?, owner?, permissions}]}.
    if (method === 'PUT' && (m = /^\/_sim\/oauth2\/users\/(\d+)\/guilds$/.exec(p))) {
      if (!Array.isArray(b.guilds)) return { status: 400, body: { error: 'guilds (array) is required' } };
      const list: SimUserGuild[] = [];
      for (const raw of b.guilds as Record<string, unknown>[]) {
        if (typeof raw.id !== 'string' || typeof raw.permissions !== 'string' || !/^\d+$/.test(raw.permissions))
          return { status: 400, body: { error: 'each guild needs id and permissions (decimal string)' } };
        const known: APIGuild | undefined = state.guilds.get(raw.id);
        list.push({
          id: raw.id,
          name: typeof raw.name === 'string' ? raw.name : (known?.name ?? `Guild ${raw.id}`),
          owner: raw.owner === true,
          permissions: raw.permissions,
        });
      }
      this.guildLists.set(m[1]!, list);
      return { status: 200, body: { guilds: list } };
    }
    if (method === 'DELETE' && (m = /^\/_sim\/oauth2\/users\/(\d+)\/guilds$/.exec(p))) {
      this.guildLists.delete(m[1]!);
      return { status: 200, body: {} };
    }
    // Expires a user's access tokens now (their refresh tokens keep working).
    if (method === 'POST' && (m = /^\/_sim\/oauth2\/users\/(\d+)\/expire$/.exec(p))) {
      let n = 0;
      for (const g of this.grants.values())
        if (g.userId === m[1]) {
          g.accessExpiresAt = 0;
          n++;
        }
      return { status: 200, body: { expired: n } };
    }
    // A user's live grants (counts only: tests check revocation without seeing tokens).
    if (method === 'GET' && (m = /^\/_sim\/oauth2\/users\/(\d+)\/grants$/.exec(p))) {
      return { status: 200, body: { grants: [...this.grants.values()].filter((g) => g.userId === m![1]).length } };
    }
    if (method === 'GET' && p === '/_sim/oauth2/calls') return { status: 200, body: { calls: this.calls } };
    return undefined;
  }
}

function page(res: ServerResponse, status: number, body: string): void {
  const doc = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Discord (simulator) · Authorize</title></head><body>${body}</body></html>`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; form-action *",
    'X-Frame-Options': 'DENY',
  });
  res.end(doc);
}

/** Paths the OAuth2 module serves outside the REST pipeline. */
export function isOAuthPath(pathname: string): 'authorize' | 'token' | 'revoke' | null {
  if (pathname === '/oauth2/authorize' || pathname === '/api/oauth2/authorize') return 'authorize';
  if (/^\/api(\/v\d+)?\/oauth2\/token\/?$/.test(pathname)) return 'token';
  if (/^\/api(\/v\d+)?\/oauth2\/token\/revoke\/?$/.test(pathname)) return 'revoke';
  return null;
}
