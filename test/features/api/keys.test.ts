import { runInDurableObject } from 'cloudflare:test';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashKey, RATE } from '../../../src/features/api/keys.ts';
import { clock } from '../../../src/runtime/clock.ts';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { env, newGuild, simApi, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { setUserGuilds } from '../dashboard/session-helper.ts';
import { adminSession, allowCallback, api, createKey } from './support.ts';

let a: TestGuild;
let b: TestGuild;
let sessionA: string;

const keysOf = (g: TestGuild) =>
  runInDurableObject(guildActor(env, g.guildId), (_o, state: DurableObjectState) => state.storage.sql.exec('SELECT * FROM api_keys').toArray());

beforeAll(async () => {
  await allowCallback();
  [a, b] = await Promise.all([newGuild(), newGuild()]);
  sessionA = await adminSession(a);
});

afterEach(() => {
  vi.restoreAllMocks();
  resetClock();
});

describe('API keys', () => {
  it('are shown once on creation, stored only as a SHA-256, listed without the key, and stop working when revoked', async () => {
    const created = await createKey(a, sessionA, 'read', 'grafana');
    expect(created.key).toMatch(new RegExp(`^gk_${a.guildId}_[A-Za-z0-9_-]{43}$`));
    // The guild part and 4 of the secret's 43 characters (the secret may itself hold `_`).
    expect(created.prefix).toBe(`gk_${a.guildId}_${created.key.slice(-43, -39)}`);

    const rows = await keysOf(a);
    const row = rows.find((r) => r.id === created.id)!;
    expect(row.hash).toBe(await hashKey(created.key));
    expect(JSON.stringify(rows)).not.toContain(created.key.slice(-43));

    const list = await api<{ keys: Record<string, unknown>[] }>('GET', `/api/dashboard/guilds/${a.guildId}/keys`, { auth: sessionA });
    expect(list.status).toBe(200);
    expect(list.body.keys.find((k) => k.id === created.id)).toEqual({
      id: created.id,
      name: 'grafana',
      prefix: created.prefix,
      scope: 'read',
      createdBy: a.adminId,
      createdAt: expect.any(Number),
      lastUsedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(created.key.slice(-43));
    expect(JSON.stringify(list.body)).not.toContain(String(row.hash));

    expect((await api('GET', `/api/v1/guilds/${a.guildId}/tickets`, { auth: created.key })).status).toBe(200);
    const used = await api<{ keys: { id: string; lastUsedAt: number | null }[] }>('GET', `/api/dashboard/guilds/${a.guildId}/keys`, { auth: sessionA });
    expect(used.body.keys.find((k) => k.id === created.id)!.lastUsedAt).toEqual(expect.any(Number));

    expect((await api('DELETE', `/api/dashboard/guilds/${a.guildId}/keys/${created.id}`, { auth: sessionA })).status).toBe(204);
    const after = await api('GET', `/api/v1/guilds/${a.guildId}/tickets`, { auth: created.key });
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('unknown or revoked API key');
    expect((await api('DELETE', `/api/dashboard/guilds/${a.guildId}/keys/${created.id}`, { auth: sessionA })).status).toBe(404);
  });

  it('are made and revoked only with a dashboard session of someone who manages the server, never with a key', async () => {
    const k = await createKey(a, sessionA, 'read-write');
    expect((await api('POST', `/api/dashboard/guilds/${a.guildId}/keys`, { auth: k.key, body: { name: 'x', scope: 'read' } })).status).toBe(401);
    expect((await api('GET', `/api/dashboard/guilds/${a.guildId}/keys`)).status).toBe(401);
    // A member of the server without Manage Server.
    const member = a.memberIds[0]!;
    await setUserGuilds(member, [{ id: a.guildId, name: 'API Guild', permissions: '0' }]);
    const { login } = await import('../dashboard/session-helper.ts');
    const memberSession = await login(member);
    expect((await api('GET', `/api/dashboard/guilds/${a.guildId}/keys`, { auth: memberSession })).status).toBe(403);
    expect((await api('POST', `/api/dashboard/guilds/${a.guildId}/keys`, { auth: memberSession, body: { name: 'x', scope: 'read' } })).status).toBe(403);
    expect((await api('GET', `/api/v1/guilds/${a.guildId}/tickets`, { auth: memberSession })).status).toBe(403);
  });

  it('refuses a bad name or scope with 400 naming the field, and creates nothing', async () => {
    const before = (await keysOf(a)).length;
    const noScope = await api('POST', `/api/dashboard/guilds/${a.guildId}/keys`, { auth: sessionA, body: { name: 'x', scope: 'admin' } });
    expect(noScope.status).toBe(400);
    expect(noScope.body.field).toBe('scope');
    const noName = await api('POST', `/api/dashboard/guilds/${a.guildId}/keys`, { auth: sessionA, body: { name: '  ', scope: 'read' } });
    expect(noName.status).toBe(400);
    expect(noName.body.field).toBe('name');
    expect((await api('POST', `/api/dashboard/guilds/${a.guildId}/keys`, { auth: sessionA, rawBody: '{nope' })).status).toBe(400);
    expect((await keysOf(a)).length).toBe(before);
  });

  it('a read key reads but gets 403 on every change, which changes nothing; a read-write key changes', async () => {
    const read = await createKey(a, sessionA, 'read');
    const write = await createKey(a, sessionA, 'read-write');
    const cfg = await api<{ tickets: { version: number; config: { maxOpenPerType: number } } }>('GET', `/api/v1/guilds/${a.guildId}/config`, {
      auth: read.key,
    });
    expect(cfg.status).toBe(200);
    const v = cfg.body.tickets.version;
    const refused = await api('PATCH', `/api/v1/guilds/${a.guildId}/config/tickets`, { auth: read.key, body: { version: v, maxOpenPerType: 4 } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('this key may only read');
    expect((await api('POST', `/api/v1/guilds/${a.guildId}/moderation/approvals/1`, { auth: read.key, body: { decision: 'approve' } })).status).toBe(403);
    expect((await api('PATCH', `/api/v1/guilds/${a.guildId}/tickets/1`, { auth: read.key, body: { version: 1, action: { kind: 'claim' } } })).status).toBe(403);
    const same = await api<{ tickets: { version: number; config: { maxOpenPerType: number } } }>('GET', `/api/v1/guilds/${a.guildId}/config`, {
      auth: read.key,
    });
    expect(same.body.tickets).toEqual(cfg.body.tickets);
    const changed = await api<{ version: number; changedBy: string; config: { maxOpenPerType: number } }>(
      'PATCH',
      `/api/v1/guilds/${a.guildId}/config/tickets`,
      {
        auth: write.key,
        body: { version: v, maxOpenPerType: 4 },
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: v + 1, changedBy: `key ${write.id} (read-write key)`, config: { maxOpenPerType: 4 } });
  });

  it("is bound to its server: guild A's key on guild B's routes is 403, and B's data is not read", async () => {
    const keyA = await createKey(a, sessionA, 'read-write');
    for (const [method, path] of [
      ['GET', `/api/v1/guilds/${b.guildId}/tickets`],
      ['GET', `/api/v1/guilds/${b.guildId}/config`],
      ['PATCH', `/api/v1/guilds/${b.guildId}/config/tickets`],
    ] as const) {
      const r = await api(method, path, { auth: keyA.key, body: method === 'PATCH' ? { version: 1, maxOpenPerType: 2 } : undefined });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error).toBe('this key belongs to another server');
    }
    // A key with B's id but A's secret part is unknown to B.
    const forged = keyA.key.replace(a.guildId, b.guildId);
    expect((await api('GET', `/api/v1/guilds/${b.guildId}/tickets`, { auth: forged })).status).toBe(401);
    // A's admin session cannot reach B either (Discord does not list B for them).
    expect((await api('GET', `/api/v1/guilds/${b.guildId}/tickets`, { auth: sessionA })).status).toBe(403);
    expect((await api('GET', `/api/v1/guilds/${b.guildId}/tickets`, { auth: 'not-a-key' })).status).toBe(401);
    expect((await api('GET', `/api/v1/guilds/${b.guildId}/tickets`)).status).toBe(401);
  });

  it(`limits each key to ${RATE.capacity} requests a minute: then 429 with Retry-After, until the clock refills the bucket`, async () => {
    // The clock stands still but for the moves below, so the real time the requests take refills nothing.
    let at = Date.now();
    clock.now = () => at;
    const advance = (ms: number) => {
      at += ms;
    };
    const k = await createKey(a, sessionA, 'read');
    const other = await createKey(a, sessionA, 'read');
    const path = `/api/v1/guilds/${a.guildId}/moderation/approvals`;
    for (let i = 0; i < RATE.capacity; i++) expect((await api('GET', path, { auth: k.key })).status, `request ${i + 1}`).toBe(200);
    const limited = await api('GET', path, { auth: k.key });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    // Another key has its own bucket.
    expect((await api('GET', path, { auth: other.key })).status).toBe(200);
    advance(500);
    expect((await api('GET', path, { auth: k.key })).status).toBe(429);
    advance(1000);
    expect((await api('GET', path, { auth: k.key })).status).toBe(200);
    expect((await api('GET', path, { auth: k.key })).status).toBe(429);
    advance(RATE.perMs);
    for (let i = 0; i < RATE.capacity; i++) expect((await api('GET', path, { auth: k.key })).status).toBe(200);
  });

  it('never writes a key or an Authorization header to the logs', async () => {
    const lines: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    const k = await createKey(a, sessionA, 'read-write');
    await api('GET', `/api/v1/guilds/${a.guildId}/stats`, { auth: k.key });
    await api('PATCH', `/api/v1/guilds/${a.guildId}/config/tickets`, { auth: k.key, body: { version: 999, maxOpenPerType: 2 } });
    await api('GET', `/api/v1/guilds/${b.guildId}/stats`, { auth: k.key });
    await api('DELETE', `/api/dashboard/guilds/${a.guildId}/keys/${k.id}`, { auth: sessionA });
    await api('GET', `/api/v1/guilds/${a.guildId}/stats`, { auth: k.key });
    const secret = k.key.slice(-43);
    expect(lines.filter((l) => l.includes(secret) || /authorization/i.test(l))).toEqual([]);
  });
});

describe('the keys page', () => {
  it('lists keys by name, prefix, scope, created and last used, in the reader’s language, without the keys', async () => {
    const k = await createKey(a, sessionA, 'read', 'Statuspage <bot>');
    const { SELF } = await import('cloudflare:test');
    const res = await SELF.fetch(`http://guildkeep.test/dashboard/guilds/${a.guildId}/keys`, { headers: { cookie: sessionA, 'accept-language': 'de' } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('API-Schlüssel');
    expect(html).toContain('Statuspage &lt;bot&gt;');
    expect(html).toContain(`${k.prefix}…`);
    expect(html).toContain('nur lesen');
    expect(html).not.toContain(k.key.slice(-43));
    // The form creates a key and shows it on that answer only.
    const form = new FormData();
    form.set('name', 'from the page');
    form.set('scope', 'read-write');
    const made = await SELF.fetch(`http://guildkeep.test/dashboard/guilds/${a.guildId}/keys`, {
      method: 'POST',
      headers: { cookie: sessionA, origin: 'http://guildkeep.test' },
      body: form,
    });
    const madeHtml = await made.text();
    expect(made.status).toBe(200);
    const shown = new RegExp(`gk_${a.guildId}_[A-Za-z0-9_-]{43}`).exec(madeHtml)?.[0];
    expect(shown).toBeDefined();
    expect((await api('GET', `/api/v1/guilds/${a.guildId}/stats`, { auth: shown! })).status).toBe(200);
    const again = await (await SELF.fetch(`http://guildkeep.test/dashboard/guilds/${a.guildId}/keys`, { headers: { cookie: sessionA } })).text();
    expect(again).not.toContain(shown!);
    // Its Revoke form ends it at once.
    const listed = await api<{ keys: { id: string; prefix: string }[] }>('GET', `/api/dashboard/guilds/${a.guildId}/keys`, { auth: sessionA });
    const id = listed.body.keys.find((x) => shown!.startsWith(x.prefix))!.id;
    const revoked = await SELF.fetch(`http://guildkeep.test/dashboard/guilds/${a.guildId}/keys/${id}/revoke`, {
      method: 'POST',
      headers: { cookie: sessionA, origin: 'http://guildkeep.test' },
      redirect: 'manual',
    });
    await revoked.text();
    expect(revoked.status).toBe(303);
    expect((await api('GET', `/api/v1/guilds/${a.guildId}/stats`, { auth: shown! })).status).toBe(401);
    // A cross-origin form post is refused.
    const csrf = await SELF.fetch(`http://guildkeep.test/dashboard/guilds/${a.guildId}/keys`, {
      method: 'POST',
      headers: { cookie: sessionA, origin: 'https://evil.example' },
      body: form,
    });
    await csrf.text();
    expect(csrf.status).toBe(403);
  });
});

describe('key rules', () => {
  it('a key’s prefix shows 4 characters of its secret, even when the secret holds underscores', async () => {
    const { keyPrefix, guildOfKey } = await import('../../../src/features/api/keys.ts');
    const key = `gk_123456789012345678_${'_'.repeat(40)}abc`;
    expect(guildOfKey(key)).toBe('123456789012345678');
    expect(keyPrefix(key)).toBe('gk_123456789012345678_____');
    expect(guildOfKey('gk_12_x')).toBeNull();
  });
});

describe('a key’s creator', () => {
  it('a key stops working once its creator can no longer manage the server, or has left it (asked of Discord at most once a minute)', async () => {
    const g = (await newGuild()) as TestGuild & { adminRoleId: string };
    const session = await adminSession(g);
    const key = await createKey(g, session, 'read');
    expect((await api('GET', `/api/v1/guilds/${g.guildId}/config`, { auth: key.key })).status).toBe(200);
    // Demoted: the admin role loses its permissions at Discord.
    await simApi(`/_sim/guilds/${g.guildId}/roles/${g.adminRoleId}`, { body: { permissions: '0' } });
    // Within the minute the answer of a minute ago stands, as for the dashboard's own check.
    expect((await api('GET', `/api/v1/guilds/${g.guildId}/config`, { auth: key.key })).status).toBe(200);
    advanceClock(61_000);
    const demoted = await api('GET', `/api/v1/guilds/${g.guildId}/config`, { auth: key.key });
    expect(demoted.status).toBe(403);
    expect(demoted.body.error).toBe('the member who created this key can no longer manage the server; create a new key');
    // Made an admin again, then gone from the server.
    await simApi(`/_sim/guilds/${g.guildId}/roles/${g.adminRoleId}`, { body: { permissions: String(PermissionFlagsBits.Administrator) } });
    advanceClock(61_000);
    expect((await api('GET', `/api/v1/guilds/${g.guildId}/config`, { auth: key.key })).status).toBe(200);
    await simApi(`/_sim/guilds/${g.guildId}/leave`, { body: { user_id: g.adminId } });
    advanceClock(61_000);
    const left = await api('GET', `/api/v1/guilds/${g.guildId}/config`, { auth: key.key });
    expect(left.status).toBe(403);
    expect(left.body.error).toBe('the member who created this key has left the server; create a new key');
  });
});
