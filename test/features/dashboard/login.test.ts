import { createExecutionContext, runInDurableObject, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { pkceChallenge } from '../../../src/features/dashboard/rules.ts';
import { MODULES } from '../../../src/features/index.ts';
import worker from '../../../src/index.ts';
import { unb64url } from '../../../src/lib/base64url.ts';
import { requiredPermissions } from '../../../src/platform/invite.ts';
import { sessionActor } from '../../../src/runtime/stubs.ts';
import { env, newGuild, sim, simApi, type TestGuild } from '../../helpers.ts';
import { advanceClock } from '../../support/clock.ts';
import { BASE, callback, consent, cookieOf, cookiePair, login, registerRedirects, setUserGuilds, startLogin } from './session-helper.ts';

const LOCAL = 'http://localhost:8787';
const MANAGE = String(PermissionFlagsBits.ManageGuild);
const ADMIN = String(PermissionFlagsBits.Administrator);
// Guilds Guildkeep is not in (the simulator holds no such guild; only the user's list names them).
const ABSENT_MANAGED = '900000000000000001';
const ABSENT_OWNED = '900000000000000002';
const ABSENT_MEMBER = '900000000000000003';

let a: TestGuild;
let b: TestGuild;
let c: TestGuild;

/** The user's guilds: one they manage, one they only joined, one they administer, and three Guildkeep is not in. */
function standardGuilds(userId: string, aPermissions = MANAGE) {
  return setUserGuilds(userId, [
    { id: a.guildId, name: 'Alpha Guild', permissions: aPermissions },
    { id: b.guildId, name: 'Bravo Guild', permissions: '0' },
    { id: c.guildId, name: 'Charlie Guild', permissions: ADMIN },
    { id: ABSENT_MANAGED, name: 'Delta Guild', permissions: MANAGE },
    { id: ABSENT_OWNED, name: 'Echo Guild', owner: true, permissions: '0' },
    { id: ABSENT_MEMBER, name: 'Foxtrot Guild', permissions: String(PermissionFlagsBits.SendMessages) },
  ]);
}

const overview = (cookie: string | null, guildId: string) =>
  SELF.fetch(`${BASE}/api/dashboard/guilds/${guildId}/overview`, { headers: cookie ? { cookie } : {} }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as Record<string, unknown>,
  }));

/** The user's live sessions, as their SessionActor stores them. */
const liveSessions = (userId: string) =>
  runInDurableObject(
    sessionActor(env, userId),
    (_o, state: DurableObjectState) => state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE revoked IS NULL').one().n,
  );

const tokenCalls = () => simApi<{ calls: { grant_type: string; status: number; error?: string }[] }>('/_sim/oauth2/calls').then((r) => r.calls);

beforeAll(async () => {
  await registerRedirects([BASE, LOCAL]);
  [a, b, c] = await Promise.all([newGuild(), newGuild(), newGuild()]);
});

describe('Login with Discord', () => {
  it('sends a visitor without a session to Discord’s authorize page with state, PKCE S256 and the identify guilds scopes', async () => {
    const { location, login } = await startLogin();
    expect(location.origin).toBe(new URL(sim.url).origin);
    expect(location.pathname).toBe('/oauth2/authorize');
    const q = location.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(sim.applicationId);
    expect(q.get('scope')).toBe('identify guilds');
    expect(q.get('redirect_uri')).toBe(`${BASE}/dashboard/callback`);
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('code_challenge_method')).toBe('S256');
    // The challenge is S256 of the verifier the login cookie carries to the callback.
    const payload = JSON.parse(unb64url(cookiePair(login)!.split('=')[1]!.split('.')[0]!)) as { s: string; v: string };
    expect(payload.s).toBe(q.get('state'));
    expect(q.get('code_challenge')).toBe(await pkceChallenge(payload.v));
    expect(login).toMatch(/; HttpOnly/);
    expect(login).toMatch(/; Secure/);
    expect(login).toMatch(/; SameSite=Lax/);
  });

  it('the callback sets an HttpOnly, Secure, SameSite=Lax session cookie that expires, and the picker opens', async () => {
    await standardGuilds(a.adminId);
    const s = await startLogin();
    const cb = await callback(await consent(s.location, a.adminId), s.loginCookie);
    expect(cb.res.status).toBe(303);
    expect(cb.res.headers.get('location')).toBe('/dashboard');
    const session = cb.session!;
    expect(session).toMatch(new RegExp(`^gk_session=[A-Za-z0-9_-]{43}\\.${a.adminId}\\.[0-9a-f]{64};`));
    expect(session).toContain('; HttpOnly');
    expect(session).toContain('; Secure');
    expect(session).toContain('; SameSite=Lax');
    expect(session).toContain('; Path=/');
    expect(session).toContain('; Max-Age=604800');
    expect(session).toMatch(/; Expires=\w{3}, \d\d \w{3} \d{4} /);
    // The login attempt is over.
    expect(cookieOf(cb.res, 'gk_login')).toMatch(/Max-Age=0/);
    // Stored: the session id only as its SHA-256, the Discord tokens only sealed.
    const sessionId = cookiePair(session)!.split('=')[1]!.split('.')[0]!;
    const stored = await runInDurableObject(sessionActor(env, a.adminId), (_o, state: DurableObjectState) => ({
      ids: state.storage.sql
        .exec<{ id_hash: string }>('SELECT id_hash FROM sessions')
        .toArray()
        .map((r) => r.id_hash),
      sealed: state.storage.sql.exec<{ sealed: string }>('SELECT sealed FROM grant_row').one().sealed,
    }));
    const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sessionId)))]
      .map((x) => x.toString(16).padStart(2, '0'))
      .join('');
    expect(stored.ids).toContain(digest);
    expect(stored.ids).not.toContain(sessionId);
    expect(stored.sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(stored.sealed).not.toMatch(/access|refresh|Bearer/i);
    const page = await SELF.fetch(`${BASE}/dashboard`, { headers: { cookie: cookiePair(session)! }, redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Alpha Guild');
  });

  it('on plain http to localhost the cookies are not Secure (npm run dev)', async () => {
    await standardGuilds(a.adminId);
    const s = await startLogin(LOCAL);
    expect(s.login).not.toContain('Secure');
    const cb = await callback(await consent(s.location, a.adminId), s.loginCookie);
    expect(cb.res.status).toBe(303);
    expect(cb.session).toContain('; HttpOnly');
    expect(cb.session).not.toContain('Secure');
  });

  it('a callback with a wrong or missing state, or without the login cookie, is refused and changes nothing', async () => {
    const before = (await tokenCalls()).length;
    const s = await startLogin();
    const back = await consent(s.location, a.adminId);
    const forged = new URL(back);
    forged.searchParams.set('state', 'x'.repeat(43));
    const missing = new URL(back);
    missing.searchParams.delete('state');
    for (const [url, cookie] of [
      [forged, s.loginCookie],
      [missing, s.loginCookie],
      [back, undefined],
    ] as const) {
      const r = await callback(url, cookie);
      expect(r.res.status).toBe(400);
      expect(r.res.headers.getSetCookie()).toEqual([]);
      expect(r.session).toBeUndefined();
    }
    // No code was sent to Discord: the real callback still works with it.
    expect((await tokenCalls()).length).toBe(before);
    const ok = await callback(back, s.loginCookie);
    expect(ok.res.status).toBe(303);
    expect(ok.session).toBeDefined();
  });

  it('a code cannot be used twice', async () => {
    await standardGuilds(a.adminId);
    const s = await startLogin();
    const back = await consent(s.location, a.adminId);
    const first = await callback(back, s.loginCookie);
    expect(first.res.status).toBe(303);
    const replay = await callback(back, s.loginCookie);
    expect(replay.res.status).toBe(400);
    expect(replay.session).toBeUndefined();
    expect((await tokenCalls()).at(-1)).toMatchObject({ grant_type: 'authorization_code', status: 400, error: 'invalid_grant' });
  });

  it('cancelling at Discord lands on a page saying so, with no session', async () => {
    const s = await startLogin();
    const back = await consent(s.location, a.adminId, false);
    expect(back.searchParams.get('error')).toBe('access_denied');
    const r = await callback(back, s.loginCookie);
    expect(r.res.status).toBe(400);
    expect(r.session).toBeUndefined();
    expect(r.body).toContain('cancelled');
  });
});

describe('the server picker and a guild’s overview', () => {
  it('lists manageable guilds with Guildkeep, and Add to server links (least privilege) for manageable ones without it', async () => {
    await standardGuilds(a.adminId);
    const cookie = await login(a.adminId);
    const res = await SELF.fetch(`${BASE}/dashboard`, { headers: { cookie } });
    const html = await res.text();
    expect(res.status).toBe(200);
    const open = html.slice(html.indexOf('class="guilds open"'), html.indexOf('</ul>', html.indexOf('class="guilds open"')));
    expect(open).toContain(`data-guild="${a.guildId}"`);
    expect(open).toContain(`data-guild="${c.guildId}"`);
    expect(html).not.toContain(`data-guild="${b.guildId}"`);
    expect(html).not.toContain('Bravo Guild');
    expect(html).not.toContain(ABSENT_MEMBER);
    const addLinks = [...html.matchAll(/<a class="add" href="([^"]+)" data-guild="(\d+)"/g)].map((m) => ({
      url: new URL(m[1]!.replace(/&amp;/g, '&')),
      id: m[2],
    }));
    expect(addLinks.map((l) => l.id).sort()).toEqual([ABSENT_MANAGED, ABSENT_OWNED]);
    for (const l of addLinks) {
      expect(l.url.origin + l.url.pathname).toBe(`${new URL(sim.url).origin}/oauth2/authorize`);
      expect(l.url.searchParams.get('client_id')).toBe(sim.applicationId);
      expect(l.url.searchParams.get('scope')).toBe('bot applications.commands');
      expect(l.url.searchParams.get('permissions')).toBe(String(requiredPermissions(MODULES)));
      expect(l.url.searchParams.get('guild_id')).toBe(l.id);
    }
    // The page runs no script and cannot be framed; no secret is on it.
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(html).not.toMatch(/<script|<style| style=/);
    expect(html).toContain('href="/dashboard.css"');
    expect(html).not.toContain(sim.clientSecret);
    expect(html).not.toContain('test-session-secret');
  });

  it('answers the overview of a guild the user manages, 403 for one they don’t, 401 without a session', async () => {
    await standardGuilds(a.adminId);
    const cookie = await login(a.adminId);
    const ok = await overview(cookie, a.guildId);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ guild: { id: a.guildId, name: 'Alpha Guild' }, counts: { openTickets: 0 } });
    expect(ok.body.features).toContain('tickets');
    expect((await overview(cookie, b.guildId)).status).toBe(403);
    expect((await overview(cookie, ABSENT_MANAGED)).status).toBe(403);
    expect((await overview(null, a.guildId)).status).toBe(401);
    // A cookie for another user's id, or with a bad signature, is no session.
    const [id, user, sig] = cookie.split('=')[1]!.split('.');
    expect((await overview(`gk_session=${id}.${b.ownerId}.${sig}`, a.guildId)).status).toBe(401);
    expect((await overview(`gk_session=${id}.${user}.${'0'.repeat(64)}`, a.guildId)).status).toBe(401);
  });

  it('an admin of one guild cannot read another through the page either', async () => {
    await standardGuilds(a.adminId);
    const cookie = await login(a.adminId);
    const page = await SELF.fetch(`${BASE}/dashboard/guilds/${b.guildId}`, { headers: { cookie } });
    expect(page.status).toBe(403);
    expect(await page.text()).not.toContain('Bravo Guild');
    const mine = await SELF.fetch(`${BASE}/dashboard/guilds/${a.guildId}`, { headers: { cookie } });
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('Alpha Guild');
  });

  it('a user who lost Manage Server is refused once Discord’s cached answer (60 s) has expired', async () => {
    await standardGuilds(a.adminId);
    const cookie = await login(a.adminId);
    expect((await overview(cookie, a.guildId)).status).toBe(200);
    await standardGuilds(a.adminId, String(PermissionFlagsBits.SendMessages));
    // Within the minute the cached answer stands…
    advanceClock(30_000);
    expect((await overview(cookie, a.guildId)).status).toBe(200);
    // …after it, Discord is asked again.
    advanceClock(31_000);
    expect((await overview(cookie, a.guildId)).status).toBe(403);
  });

  it('an expired access token is refreshed with the refresh token', async () => {
    await standardGuilds(a.adminId);
    const cookie = await login(a.adminId);
    expect((await overview(cookie, a.guildId)).status).toBe(200);
    await simApi(`/_sim/oauth2/users/${a.adminId}/expire`, { body: {} });
    advanceClock(61_000);
    const before = (await tokenCalls()).length;
    // Two requests at once refresh once (Discord rotates the refresh token: a second refresh with it would be refused).
    const both = await Promise.all([overview(cookie, a.guildId), overview(cookie, a.guildId)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect((await tokenCalls()).slice(before)).toEqual([{ grant_type: 'refresh_token', status: 200 }]);
    // The refreshed token is kept: the next expiry of the cache needs no refresh.
    advanceClock(61_000);
    expect((await overview(cookie, a.guildId)).status).toBe(200);
    expect((await tokenCalls()).length).toBe(before + 1);
  });
});

describe('logging out', () => {
  it('log out needs a same-origin request, then ends the session and clears the cookie', async () => {
    await standardGuilds(a.adminId);
    const cookie = await login(a.adminId);
    const cross = await SELF.fetch(`${BASE}/dashboard/logout`, { method: 'POST', headers: { cookie, origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    const none = await SELF.fetch(`${BASE}/dashboard/logout`, { method: 'POST', headers: { cookie } });
    expect(none.status).toBe(403);
    expect((await overview(cookie, a.guildId)).status).toBe(200);
    const out = await SELF.fetch(`${BASE}/dashboard/logout`, { method: 'POST', headers: { cookie, origin: BASE } });
    expect(out.status).toBe(200);
    expect(cookieOf(out, 'gk_session')).toMatch(/^gk_session=; .*Max-Age=0/);
    expect((await overview(cookie, a.guildId)).status).toBe(401);
  });

  it('log out everywhere ends every session of the user and revokes the grant at Discord', async () => {
    await standardGuilds(c.adminId, ADMIN);
    const laptop = await login(c.adminId);
    const phone = await login(c.adminId);
    expect((await overview(phone, a.guildId)).status).toBe(200);
    expect(await liveSessions(c.adminId)).toBeGreaterThanOrEqual(2);
    const cross = await SELF.fetch(`${BASE}/dashboard/logout-everywhere`, { method: 'POST', headers: { cookie: laptop, origin: 'null' } });
    expect(cross.status).toBe(403);
    const out = await SELF.fetch(`${BASE}/dashboard/logout-everywhere`, { method: 'POST', headers: { cookie: laptop, origin: BASE } });
    expect(out.status).toBe(200);
    await out.text();
    expect((await overview(laptop, a.guildId)).status).toBe(401);
    expect((await overview(phone, a.guildId)).status).toBe(401);
    expect(await liveSessions(c.adminId)).toBe(0);
    expect(await simApi<{ grants: number }>(`/_sim/oauth2/users/${c.adminId}/grants`)).toEqual({ grants: 0 });
  });
});

describe('configuration', () => {
  it('without DISCORD_CLIENT_SECRET or SESSION_SECRET /dashboard only says what to set', async () => {
    for (const missing of ['DISCORD_CLIENT_SECRET', 'SESSION_SECRET'] as const) {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(`${BASE}/dashboard`), { ...env, [missing]: undefined } as never, ctx);
      await waitOnExecutionContext(ctx);
      const html = await res.text();
      expect(res.status).toBe(503);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(html).toContain(missing);
      expect(html).toContain(`${BASE}/dashboard/callback`);
      expect(html).not.toContain(sim.clientSecret);
      expect(html).not.toContain('test-session-secret');
      expect(html).not.toContain('<form');
      const api = await worker.fetch(new Request(`${BASE}/api/dashboard/guilds/${a.guildId}/overview`), { ...env, [missing]: undefined } as never, ctx);
      expect(api.status).toBe(503);
    }
  });
});
