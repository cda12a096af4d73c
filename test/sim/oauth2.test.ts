import { beforeAll, describe, expect, it } from 'vitest';
import { pkceChallenge, randomToken } from '../../src/features/dashboard/rules.ts';
import { newGuild, sim, simApi, type TestGuild } from '../helpers.ts';

// The simulator's OAuth2 (sim/oauth2.ts): Discord's endpoints and RFC 6749/7009/7636 error shapes.
const REDIRECT = 'http://oauth-sim.test/callback';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;

function token(
  body: Record<string, string>,
  auth: string | null = basic(sim.applicationId, sim.clientSecret),
  contentType = 'application/x-www-form-urlencoded',
) {
  return fetch(`${sim.apiBase}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(auth ? { authorization: auth } : {}) },
    body: form(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown>, headers: r.headers }));
}

function authorizeUrl(extra: Record<string, string> = {}) {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: sim.applicationId,
    scope: 'identify guilds',
    redirect_uri: REDIRECT,
    state: 'st',
    ...extra,
  });
  return `${sim.url}/oauth2/authorize?${q}`;
}

async function code(userId: string, extra: Record<string, string> = {}): Promise<string> {
  const r = await simApi<{ location: string }>('/_sim/oauth2/authorize', { body: { url: authorizeUrl(extra), user_id: userId } });
  const u = new URL(r.location);
  expect(u.searchParams.get('state')).toBe('st');
  return u.searchParams.get('code')!;
}

let g: TestGuild;
beforeAll(async () => {
  await simApi('/_sim/oauth2/redirect-uris', { body: { uri: REDIRECT } });
  g = await newGuild();
});

describe('simulator OAuth2', () => {
  it('the consent page: unknown client and unregistered redirect_uri are error pages, never redirects', async () => {
    const page = await fetch(authorizeUrl(), { redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Authorize');
    expect(html).toContain('Cancel');
    const unknown = await fetch(authorizeUrl({ client_id: '1' }), { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('location')).toBeNull();
    expect(await unknown.text()).toMatch(/client_id/);
    const badRedirect = await fetch(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }), { redirect: 'manual' });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.headers.get('location')).toBeNull();
    // Pressing Cancel sends the browser back with error=access_denied and the state.
    const cancel = await fetch(`${sim.url}/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ query: new URL(authorizeUrl()).searchParams.toString(), user_id: g.adminId, decision: 'cancel' }),
    });
    expect(cancel.status).toBe(302);
    const back = new URL(cancel.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st');
  });

  it('the token endpoint: RFC 6749 errors with their statuses', async () => {
    const c = await code(g.adminId);
    expect((await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT }, basic(sim.applicationId, 'wrong'))).body.error).toBe(
      'invalid_client',
    );
    const noClient = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT }, null);
    expect(noClient.status).toBe(401);
    expect(noClient.body.error).toBe('invalid_client');
    const json = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT }, undefined, 'application/json');
    expect([json.status, json.body.error]).toEqual([400, 'invalid_request']);
    expect((await token({ grant_type: 'password', username: 'x', password: 'y' })).body).toMatchObject({ error: 'unsupported_grant_type' });
    expect((await token({ grant_type: 'authorization_code', code: 'nope', redirect_uri: REDIRECT })).body).toMatchObject({ error: 'invalid_grant' });
    expect((await token({ grant_type: 'authorization_code', code: c, redirect_uri: 'http://oauth-sim.test/other' })).body).toMatchObject({
      error: 'invalid_grant',
    });
    // Client credentials as form fields work as well as Basic.
    const ok = await token(
      { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, client_id: sim.applicationId, client_secret: sim.clientSecret },
      null,
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 604800, scope: 'identify guilds' });
    expect(ok.headers.get('cache-control')).toBe('no-store');
    // A replayed code is refused, and the tokens issued from it stop working.
    expect((await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT })).body).toMatchObject({ error: 'invalid_grant' });
    const me = await fetch(`${sim.apiBase}/users/@me`, { headers: { authorization: `Bearer ${ok.body.access_token}` } });
    expect(me.status).toBe(401);
  });

  it('PKCE S256: the verifier must match the challenge', async () => {
    const verifier = randomToken();
    const challenge = await pkceChallenge(verifier);
    const c1 = await code(g.adminId, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect((await token({ grant_type: 'authorization_code', code: c1, redirect_uri: REDIRECT })).body).toMatchObject({ error: 'invalid_request' });
    expect((await token({ grant_type: 'authorization_code', code: c1, redirect_uri: REDIRECT, code_verifier: randomToken() })).body).toMatchObject({
      error: 'invalid_grant',
    });
    const c2 = await code(g.adminId, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect((await token({ grant_type: 'authorization_code', code: c2, redirect_uri: REDIRECT, code_verifier: verifier })).status).toBe(200);
    // The plain method is refused at the authorize step, back at the redirect_uri.
    const plain = await simApi<{ location: string }>('/_sim/oauth2/authorize', {
      body: { url: authorizeUrl({ code_challenge: challenge, code_challenge_method: 'plain' }), user_id: g.adminId },
    });
    expect(new URL(plain.location).searchParams.get('error')).toBe('invalid_request');
  });

  it('Bearer tokens read /users/@me and /users/@me/guilds; refresh rotates; revoke ends the grant', async () => {
    const t = (await token({ grant_type: 'authorization_code', code: await code(g.adminId), redirect_uri: REDIRECT })).body;
    const bearer = { authorization: `Bearer ${t.access_token}` };
    const me = await fetch(`${sim.apiBase}/users/@me`, { headers: bearer });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(g.adminId);
    // Without an explicit list the user's memberships answer, with their permissions as a string.
    await fetch(`${sim.url}/_sim/oauth2/users/${g.adminId}/guilds`, { method: 'DELETE' });
    const guilds = (await (await fetch(`${sim.apiBase}/users/@me/guilds`, { headers: bearer })).json()) as {
      id: string;
      owner: boolean;
      permissions: string;
    }[];
    const mine = guilds.find((x) => x.id === g.guildId)!;
    expect(mine.owner).toBe(false);
    expect(typeof mine.permissions).toBe('string');
    expect((await fetch(`${sim.apiBase}/users/@me/guilds`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);

    const r = await token({ grant_type: 'refresh_token', refresh_token: String(t.refresh_token) });
    expect(r.status).toBe(200);
    expect(r.body.refresh_token).not.toBe(t.refresh_token);
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(t.refresh_token) })).body).toMatchObject({ error: 'invalid_grant' });
    expect((await fetch(`${sim.apiBase}/users/@me`, { headers: bearer })).status).toBe(401);

    const revoke = await fetch(`${sim.apiBase}/oauth2/token/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(sim.applicationId, sim.clientSecret) },
      body: form({ token: String(r.body.access_token) }),
    });
    expect(revoke.status).toBe(200);
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(r.body.refresh_token) })).body).toMatchObject({ error: 'invalid_grant' });
  });
});
