import { runInDurableObject, SELF } from 'cloudflare:test';
import { type APIMessage, PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GuildAlerts } from '../../../src/features/alerts/feature.ts';
import { isAlertDesk } from '../../../src/features/alerts/peers.ts';
import type { AlertKind } from '../../../src/features/alerts/rules.ts';
import { zonedParts } from '../../../src/lib/zoned-time.ts';
import type { GuildActor } from '../../../src/objects/guild.ts';
import { now } from '../../../src/runtime/clock.ts';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { env, eventually, lastSeq, newGuild, replyText, type SimCall, simLog, type TestGuild } from '../../helpers.ts';
import { advanceClock, passTime } from '../../support/clock.ts';
import { BASE, login, registerRedirects, setUserGuilds } from '../dashboard/session-helper.ts';
import { channel, int, messagesIn, role, run, str } from '../moderation/helpers.ts';

const MIN = 60_000;
let g: TestGuild;
let other: TestGuild;

/** The desk inside the guild's actor, as anti-raid and moderation find it (host.peer). */
function raise(guildId: string, kind: AlertKind, evidence: (i: number) => string, n: number, from = 1): Promise<boolean[]> {
  return runInDurableObject(guildActor(env, guildId), (actor: GuildActor) => {
    const desk = actor['router'].find(isAlertDesk) as GuildAlerts;
    return Array.from({ length: n }, (_, i) => desk.raise({ kind, evidence: evidence(from + i), at: now() }));
  });
}

/** Requests to post or edit messages in `channelId` since `seq`. */
const writes = async (channelId: string, seq: number) =>
  (await simLog(seq)).filter((c: SimCall) => c.path.includes(`/channels/${channelId}/messages`) && (c.method === 'POST' || c.method === 'PATCH'));

const alertMessages = async (t: TestGuild, channelId: string, kindTitle: string) =>
  (await messagesIn(t, channelId)).filter((m: APIMessage) => m.author.bot && m.content.includes(`**${kindTitle}**`));

beforeAll(async () => {
  [g, other] = await Promise.all([newGuild(), newGuild()]);
  await registerRedirects();
});

describe('/alerts', () => {
  it('is for administrators only, and bad input is refused with every reason and changes nothing', async () => {
    const d = await run(g, g.staffId, 'alerts route', [str('kind', 'automod'), channel('channel', g.supportChannelId)]);
    expect(replyText(d)).toMatch(/Only administrators/);
    const bad = await run(g, g.adminId, 'alerts route', [
      str('kind', 'automod'),
      channel('channel', g.supportChannelId),
      str('quiet', '25:00-07:00'),
      str('timezone', 'Mars/Base'),
    ]);
    expect(replyText(bad)).toMatch(/^Nothing was changed\./);
    expect(replyText(bad)).toMatch(/Quiet hours are written/);
    expect(replyText(bad)).toMatch(/not a time zone/);
    expect(replyText(await run(g, g.adminId, 'alerts show'))).toMatch(/No alert is routed yet/);
    expect(await raise(g.guildId, 'automod', () => 'unrouted', 1)).toEqual([false]);
  });

  it('routes a kind, and /alerts show says where', async () => {
    const d = await run(g, g.adminId, 'alerts route', [
      str('kind', 'automod'),
      channel('channel', g.supportChannelId),
      role('role', g.staffRoleId),
      int('window', 10),
    ]);
    expect(replyText(d)).toMatch(/^Saved\. Automod hit: /);
    expect(replyText(await run(g, g.adminId, 'alerts show'))).toContain(
      `Automod hit: <#${g.supportChannelId}>, mentions <@&${g.staffRoleId}>, repeats fold for 10 minutes`,
    );
  });
});

describe('folding in Discord', () => {
  let first: APIMessage;

  it('a burst of 30 alerts is one message with the count 30 and the last evidence, mentioning the role once', async () => {
    const seq = await lastSeq();
    expect(await raise(g.guildId, 'automod', (i) => `hit ${i}`, 30)).toEqual(Array(30).fill(true));
    const [m] = await eventually(async () => {
      const ms = await alertMessages(g, g.supportChannelId, 'Automod hit');
      return ms.length === 1 && ms[0]!.content.includes('hit 30') ? ms : null;
    });
    first = m!;
    expect(first.content).toContain('×30 in 1 min');
    expect(first.content).toMatch(/first <t:\d+:T>, last <t:\d+:R>/);
    expect(first.content.startsWith(`<@&${g.staffRoleId}> `)).toBe(true);
    expect(first.mention_roles).toEqual([g.staffRoleId]);
    const w = await writes(g.supportChannelId, seq);
    expect(w.map((c) => c.method)).toEqual(['POST']);
    expect((w[0]!.request as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [], roles: [g.staffRoleId] });
    expect(w[0]!.openapi).toEqual({ checked: true, errors: [] });
  });

  it('alerts that come one by one within the window edit the same message, coalesced into few edits', async () => {
    const seq = await lastSeq();
    advanceClock(2 * MIN);
    for (let i = 31; i <= 50; i++) await raise(g.guildId, 'automod', (n) => `hit ${n}`, 1, i);
    await passTime(guildActor(env, g.guildId), 3000);
    const m = await eventually(async () => (await alertMessages(g, g.supportChannelId, 'Automod hit')).find((x) => x.content.includes('hit 50')));
    expect(m.id).toBe(first.id);
    expect(m.content).toContain('×50 in 2 min');
    const w = await writes(g.supportChannelId, seq);
    expect(w.every((c) => c.method === 'PATCH')).toBe(true);
    expect(w.length).toBeGreaterThanOrEqual(1);
    expect(w.length).toBeLessThanOrEqual(3);
    expect(w.every((c) => (c.request as { allowed_mentions: unknown }).allowed_mentions !== undefined)).toBe(true);
    // Each edit fits Discord's OpenAPI description (checked by the simulator).
    expect(w.every((c) => c.openapi.checked)).toBe(true);
    expect(w.flatMap((c) => c.openapi.errors)).toEqual([]);
  });

  it('after the window a new message starts, and it mentions the role again', async () => {
    // The clock is reset after each test: the window of the fold above began in real time.
    advanceClock(10 * MIN + 1000);
    await raise(g.guildId, 'automod', () => 'after the window', 1);
    const ms = await eventually(async () => {
      const all = await alertMessages(g, g.supportChannelId, 'Automod hit');
      return all.length === 2 ? all : null;
    });
    const second = ms.find((x) => x.id !== first.id)!;
    expect(second.content).toContain('after the window');
    expect(second.content).not.toContain('×');
    expect(second.mention_roles).toEqual([g.staffRoleId]);
  });

  it('during quiet hours (on the route’s zone clock) the message is posted without the mention', async () => {
    const zone = 'Asia/Kolkata';
    const p = zonedParts(now(), zone);
    const quiet = `${p.h}:00-${(p.h + 1) % 24}:00`;
    const d = await run(g, g.adminId, 'alerts route', [
      str('kind', 'raid'),
      channel('channel', g.generalChannelId),
      role('role', g.staffRoleId),
      int('window', 5),
      str('quiet', quiet),
      str('timezone', zone),
    ]);
    expect(replyText(d)).toMatch(/^Saved\./);
    const seq = await lastSeq();
    await raise(g.guildId, 'raid', () => 'raid at night', 1);
    const m = await eventually(async () => (await alertMessages(g, g.generalChannelId, 'Raid detected')).find((x) => x.content.includes('raid at night')));
    expect(m.mention_roles).toEqual([]);
    expect(m.content).not.toContain('<@&');
    expect(((await writes(g.generalChannelId, seq))[0]!.request as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
    // An hour on, the quiet hours are over and the window too: the next fold mentions.
    advanceClock(61 * MIN);
    await raise(g.guildId, 'raid', () => 'raid by day', 1);
    const day = await eventually(async () => (await alertMessages(g, g.generalChannelId, 'Raid detected')).find((x) => x.content.includes('raid by day')));
    expect(day.mention_roles).toEqual([g.staffRoleId]);
  });
});

describe('/alerts clear', () => {
  it('stops routing a kind: the feature tells staff its own way again', async () => {
    expect(replyText(await run(g, g.adminId, 'alerts clear', [str('kind', 'raid')]))).toMatch(/no longer go through the alert desk/);
    expect(await raise(g.guildId, 'raid', () => 'unrouted raid', 1)).toEqual([false]);
    expect(replyText(await run(g, g.adminId, 'alerts clear', [str('kind', 'raid')]))).toMatch(/had no route; nothing changed/);
  });
});

describe('the dashboard', () => {
  let cookie: string;
  const api = (guildId: string, init: RequestInit = {}) =>
    SELF.fetch(`${BASE}/api/dashboard/guilds/${guildId}/alerts`, { ...init, headers: { cookie, ...(init.headers ?? {}) } });
  const routesOf = async (guildId: string) => ((await (await api(guildId)).json()) as { routes: Record<string, string>[] }).routes;

  beforeAll(async () => {
    await setUserGuilds(g.adminId, [
      { id: g.guildId, name: 'Alpha', permissions: String(PermissionFlagsBits.Administrator) },
      { id: other.guildId, name: 'Bravo', permissions: '0' },
    ]);
    cookie = await login(g.adminId);
    const d = await run(other, other.adminId, 'alerts route', [str('kind', 'lockdown'), channel('channel', other.supportChannelId)]);
    expect(replyText(d)).toMatch(/^Saved\./);
  });

  it('shows the routes as JSON and as a page with a form per kind', async () => {
    const routes = await routesOf(g.guildId);
    expect(routes.find((r) => r.kind === 'automod')).toEqual({
      kind: 'automod',
      channel: g.supportChannelId,
      role: g.staffRoleId,
      window: '10',
      quiet: '',
      timezone: 'UTC',
    });
    const page = await SELF.fetch(`${BASE}/dashboard/guilds/${g.guildId}/alerts`, { headers: { cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(html).not.toMatch(/<script|style=/);
    for (const k of ['raid', 'lockdown', 'automod', 'approval']) expect(html).toContain(`id="kind-${k}"`);
    expect(html).toContain(`value="${g.supportChannelId}"`);
  });

  it('a page save with bad input shows each error next to its field and changes nothing', async () => {
    const before = await routesOf(g.guildId);
    const form = new URLSearchParams({ kind: 'automod', channel: g.generalChannelId, role: '', window: '0', quiet: '22-07', timezone: 'UTC' });
    const res = await SELF.fetch(`${BASE}/dashboard/guilds/${g.guildId}/alerts`, {
      method: 'POST',
      headers: { cookie, origin: BASE, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toMatch(/id="automod-window"[^>]*aria-invalid="true"[^>]*>.*data-field="window">The window is a whole number/);
    expect(html).toMatch(/data-field="quiet">Quiet hours are written/);
    expect(html).not.toContain('data-field="channel"');
    expect(await routesOf(g.guildId)).toEqual(before);
  });

  it('a save from another origin is refused and changes nothing', async () => {
    const before = await routesOf(g.guildId);
    const res = await SELF.fetch(`${BASE}/dashboard/guilds/${g.guildId}/alerts`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ kind: 'automod', channel: g.generalChannelId }),
    });
    expect(res.status).toBe(403);
    await res.text();
    expect(await routesOf(g.guildId)).toEqual(before);
  });

  it('the JSON API validates with the same rule, and a good save is stored and audited', async () => {
    const before = await routesOf(g.guildId);
    const bad = await api(g.guildId, {
      method: 'POST',
      headers: { origin: BASE, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'automod', channel: 'nope', window: 5 }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ codes: { channel: 'alerts.err.channel' }, errors: { channel: expect.stringMatching(/Give a channel/) } });
    expect(await routesOf(g.guildId)).toEqual(before);
    const good = await api(g.guildId, {
      method: 'POST',
      headers: { origin: BASE, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'approval', channel: g.supportChannelId, window: 30, quiet: '23:00-06:30', timezone: 'America/New_York' }),
    });
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({
      route: { kind: 'approval', channel: g.supportChannelId, role: '', window: '30', quiet: '23:00-06:30', timezone: 'America/New_York' },
    });
    const audit = await guildActor(env, g.guildId).auditLog(20);
    expect(audit.find((e) => e.action === 'alerts route' && e.detail.includes('via dashboard: approval'))).toMatchObject({ userId: g.adminId, outcome: 'ok' });
    expect(audit.find((e) => e.action === 'alerts route' && e.outcome === 'refused:bad-input')).toBeDefined();
  });

  it('an admin of guild A can neither read nor change guild B’s routes', async () => {
    const read = await api(other.guildId);
    expect(read.status).toBe(403);
    expect(JSON.stringify(await read.json())).not.toContain(other.supportChannelId);
    const page = await SELF.fetch(`${BASE}/dashboard/guilds/${other.guildId}/alerts`, { headers: { cookie } });
    expect(page.status).toBe(403);
    expect(await page.text()).not.toContain(other.supportChannelId);
    const write = await api(other.guildId, {
      method: 'POST',
      headers: { origin: BASE, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'lockdown', channel: g.generalChannelId }),
    });
    expect(write.status).toBe(403);
    await write.text();
    const routes = await runInDurableObject(guildActor(env, other.guildId), (actor: GuildActor) => actor.alertRoutes());
    expect(routes).toEqual([{ kind: 'lockdown', channel: other.supportChannelId, role: '', window: '10', quiet: '', timezone: 'UTC' }]);
  });

  it('without a session there is nothing', async () => {
    const res = await SELF.fetch(`${BASE}/api/dashboard/guilds/${g.guildId}/alerts`);
    expect(res.status).toBe(401);
    await res.text();
    const page = await SELF.fetch(`${BASE}/dashboard/guilds/${g.guildId}/alerts`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/dashboard');
    await page.text();
  });
});
