import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  addToServerUrl,
  authorizeUrl,
  canManage,
  clearCookie,
  discordOrigin,
  fresh,
  parseCookies,
  pickGuilds,
  pkceChallenge,
  randomToken,
  sameOrigin,
  sameState,
  secureCookies,
  setCookie,
  signLogin,
  signSession,
  type UserGuild,
  verifyLogin,
  verifySession,
} from '../../../src/features/dashboard/rules.ts';

const SECRET = 'unit-session-secret';
const USER = '123456789012345678';

describe('PKCE', () => {
  it('computes the S256 challenge: base64url(SHA-256(verifier)), no padding', async () => {
    // Computed independently: node -e "crypto.createHash('sha256').update(v).digest('base64url')".
    expect(await pkceChallenge('dBjftJeZ4CVP-mJ92K9qpvQYEAy8bRXA9KIo8bxGOmA')).toBe('Dzumg7mU_RuHWEgFDbYhAf9l6UkCVOFmsw6BksfxyRg');
  });

  it('makes verifiers and states of 43 unreserved characters, different each time', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
  });
});

describe('the session cookie', () => {
  it('verifies what it signed, and nothing altered', async () => {
    const id = randomToken();
    const v = await signSession(SECRET, id, USER);
    expect(await verifySession(SECRET, v)).toEqual({ sessionId: id, userId: USER });
    const [, , sig] = v.split('.');
    expect(await verifySession('another-secret', v)).toBeNull();
    expect(await verifySession(SECRET, `${id}.876543210987654321.${sig}`)).toBeNull();
    expect(await verifySession(SECRET, `${randomToken()}.${USER}.${sig}`)).toBeNull();
    expect(await verifySession(SECRET, `${v}.x`)).toBeNull();
    expect(await verifySession(SECRET, undefined)).toBeNull();
    expect(await verifySession(SECRET, 'garbage')).toBeNull();
  });
});

describe('the login cookie', () => {
  it('carries state and verifier until it expires', async () => {
    const v = await signLogin(SECRET, { state: 's'.repeat(43), verifier: 'v'.repeat(43), exp: 1000 });
    expect(await verifyLogin(SECRET, v, 999)).toEqual({ state: 's'.repeat(43), verifier: 'v'.repeat(43), exp: 1000 });
    expect(await verifyLogin(SECRET, v, 1000)).toBeNull();
    expect(await verifyLogin('another-secret', v, 999)).toBeNull();
    // A session cookie's signature does not open a login cookie (separate keys).
    const [payload] = v.split('.');
    expect(await verifyLogin(SECRET, `${payload}.${'0'.repeat(64)}`, 999)).toBeNull();
  });

  it('compares states exactly', async () => {
    expect(await sameState('abc', 'abc')).toBe(true);
    expect(await sameState('abc', 'abd')).toBe(false);
    expect(await sameState('abc', null)).toBe(false);
  });
});

describe('cookies', () => {
  it('parses a Cookie header, first of a name winning', () => {
    const c = parseCookies('a=1; gk_session=x.y.z; a=2; junk; b=');
    expect(c.get('a')).toBe('1');
    expect(c.get('gk_session')).toBe('x.y.z');
    expect(c.get('b')).toBe('');
    expect(parseCookies(null).size).toBe(0);
  });

  it('sets HttpOnly, SameSite=Lax, Path=/, Max-Age and Expires; Secure unless told', () => {
    const s = setCookie('n', 'v', { secure: true, maxAgeS: 60, now: Date.UTC(2026, 0, 1) });
    expect(s).toBe('n=v; Path=/; Max-Age=60; Expires=Thu, 01 Jan 2026 00:01:00 GMT; HttpOnly; Secure; SameSite=Lax');
    expect(setCookie('n', 'v', { secure: false, maxAgeS: 60, now: 0 })).not.toContain('Secure');
    expect(clearCookie('n', true)).toMatch(/^n=; Path=\/; Max-Age=0; .*HttpOnly; Secure; SameSite=Lax$/);
  });

  it('are Secure except on plain http to localhost or 127.0.0.1', () => {
    expect(secureCookies(new URL('https://guildkeep.example/dashboard'))).toBe(true);
    expect(secureCookies(new URL('http://guildkeep.example/dashboard'))).toBe(true);
    expect(secureCookies(new URL('https://localhost/dashboard'))).toBe(true);
    expect(secureCookies(new URL('http://localhost:8787/dashboard'))).toBe(false);
    expect(secureCookies(new URL('http://127.0.0.1:8787/dashboard'))).toBe(false);
    expect(secureCookies(new URL('http://localhost.evil.example/dashboard'))).toBe(true);
  });
});

describe('who may manage a guild', () => {
  const g = (permissions: bigint | string, owner = false): UserGuild => ({ id: '1', name: 'g', owner, permissions: String(permissions) });

  it('the owner, an Administrator, or a holder of Manage Server', () => {
    expect(canManage(g(0n, true))).toBe(true);
    expect(canManage(g(PermissionFlagsBits.Administrator))).toBe(true);
    expect(canManage(g(PermissionFlagsBits.ManageGuild))).toBe(true);
    expect(canManage(g(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages))).toBe(true);
    expect(canManage(g(PermissionFlagsBits.ManageChannels | PermissionFlagsBits.ManageRoles | PermissionFlagsBits.BanMembers))).toBe(false);
    expect(canManage(g(0n))).toBe(false);
    expect(canManage(g('not a number'))).toBe(false);
  });

  it('the picker: manageable guilds with Guildkeep to open, manageable ones without it to add, by name', () => {
    const list: UserGuild[] = [
      { id: '10', name: 'Zeta', owner: false, permissions: String(PermissionFlagsBits.ManageGuild) },
      { id: '11', name: 'Alpha', owner: true, permissions: '0' },
      { id: '12', name: 'Member only', owner: false, permissions: String(PermissionFlagsBits.SendMessages) },
      { id: '13', name: 'Beta', owner: false, permissions: String(PermissionFlagsBits.Administrator) },
    ];
    const p = pickGuilds(list, new Set(['10', '11', '12']));
    expect(p.open.map((x) => x.id)).toEqual(['11', '10']);
    expect(p.add.map((x) => x.id)).toEqual(['13']);
  });
});

describe('URLs and origins', () => {
  it('the authorize URL asks for the code grant, identify guilds, state and an S256 challenge', () => {
    const u = new URL(
      authorizeUrl('https://discord.com', { clientId: '42', redirectUri: 'https://g.example/dashboard/callback', state: 'st', challenge: 'ch' }),
    );
    expect(u.origin + u.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(Object.fromEntries(u.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: '42',
      scope: 'identify guilds',
      redirect_uri: 'https://g.example/dashboard/callback',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('Discord’s web origin follows the API base', () => {
    expect(discordOrigin('https://discord.com/api/v10')).toBe('https://discord.com');
    expect(discordOrigin('http://127.0.0.1:8990/api/v10')).toBe('http://127.0.0.1:8990');
  });

  it('the Add to server link preselects the guild with exactly the given permissions', () => {
    const u = new URL(addToServerUrl('https://discord.com', '42', 2048n, '77'));
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: '42',
      scope: 'bot applications.commands',
      permissions: '2048',
      guild_id: '77',
      disable_guild_select: 'true',
    });
  });

  it('CSRF: only our own Origin passes', () => {
    expect(sameOrigin('https://g.example', 'https://g.example')).toBe(true);
    expect(sameOrigin('https://evil.example', 'https://g.example')).toBe(false);
    expect(sameOrigin('https://g.example.evil.example', 'https://g.example')).toBe(false);
    expect(sameOrigin('null', 'https://g.example')).toBe(false);
    expect(sameOrigin(null, 'https://g.example')).toBe(false);
  });

  it('a cached answer is fresh for its time to live, and not from the future', () => {
    expect(fresh(1000, 1000, 60_000)).toBe(true);
    expect(fresh(1000, 60_999, 60_000)).toBe(true);
    expect(fresh(1000, 61_000, 60_000)).toBe(false);
    expect(fresh(2000, 1000, 60_000)).toBe(false);
  });
});
