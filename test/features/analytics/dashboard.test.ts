import { SELF } from 'cloudflare:test';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { signStaffToken } from '../../../src/features/inbox/token.ts';
import type { GatewayEvent } from '../../../src/gateway/events.ts';
import { now } from '../../../src/runtime/clock.ts';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { env, eventually, newGuild, openTicket, type TestGuild } from '../../helpers.ts';
import { advanceClock } from '../../support/clock.ts';
import { BASE, login, registerRedirects, setUserGuilds } from '../dashboard/session-helper.ts';

/**
 * The analytics routes behind the dashboard's guild guard: the page, its
 * JSON and CSV, and the live socket, each refused without a session (401)
 * and for a guild the user cannot manage (403).
 */

let g: TestGuild;
let other: TestGuild;
let cookie: string;
let seq = 0;
let userN = 0;
const SESSION = `analytics-dash-${Date.now()}`;

const join = (guildId: string): GatewayEvent => ({
  s: ++seq,
  t: 'GUILD_MEMBER_ADD',
  d: {
    guild_id: guildId,
    user: { id: String(910_000_000_000_000_000n + BigInt(++userN)), username: `j${userN}`, bot: true },
    roles: [],
    joined_at: new Date(now()).toISOString(),
  },
});
const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`${BASE}${path}`, { headers: { cookie, ...headers }, redirect: 'manual' });

beforeAll(async () => {
  [g, other] = await Promise.all([newGuild(2, 1), newGuild(2, 1)]);
  await registerRedirects();
  await setUserGuilds(g.adminId, [
    { id: g.guildId, name: 'Alpha', permissions: String(PermissionFlagsBits.ManageGuild) },
    { id: other.guildId, name: 'Bravo', permissions: '0' },
  ]);
  cookie = await login(g.adminId);
  await guildActor(env, g.guildId).applyEvents(0, SESSION, [join(g.guildId), join(g.guildId)]);
});

describe('the analytics endpoint', () => {
  it('answers the series, totals and top lists of a range', async () => {
    const res = await get(`/api/dashboard/guilds/${g.guildId}/analytics?range=1h`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { series: { join: number[] }; totals: { join: number }; buckets: number[] };
    expect(body.range).toBe('1h');
    expect(body.buckets).toHaveLength(60);
    expect(body.series.join).toHaveLength(60);
    expect(body.totals.join).toBe(2);
    expect(body).toHaveProperty('invites');
    expect(body).toHaveProperty('inviters');
    expect(body).toHaveProperty('campaigns');
    // Ticket metrics (computed from the ticket index) only when asked for.
    expect(body).not.toHaveProperty('tickets');
    const withTickets = (await (await get(`/api/dashboard/guilds/${g.guildId}/analytics?range=1h&tickets=1`)).json()) as Record<string, unknown>;
    expect(withTickets).toHaveProperty('tickets.perDay');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a bad range', async () => {
    const res = await get(`/api/dashboard/guilds/${g.guildId}/analytics?range=1y`);
    expect(res.status).toBe(400);
    await res.body?.cancel();
  });

  it('is refused without a session (401) and for a guild the user cannot manage (403)', async () => {
    const anon = await SELF.fetch(`${BASE}/api/dashboard/guilds/${g.guildId}/analytics?range=1h`);
    expect(anon.status).toBe(401);
    await anon.body?.cancel();
    const forbidden = await get(`/api/dashboard/guilds/${other.guildId}/analytics?range=1h`);
    expect(forbidden.status).toBe(403);
    await forbidden.body?.cancel();
    const csv = await get(`/api/dashboard/guilds/${other.guildId}/analytics.csv?table=joins&range=1h`);
    expect(csv.status).toBe(403);
    await csv.body?.cancel();
    const page = await get(`/dashboard/guilds/${other.guildId}/analytics`);
    expect(page.status).toBe(403);
    await page.body?.cancel();
  });

  it('exports a table as CSV', async () => {
    const res = await get(`/api/dashboard/guilds/${g.guildId}/analytics.csv?table=joins&range=1h`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="joins-1h.csv"');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('bucket_start_utc,join,leave,verify-pass,verify-fail');
    expect(lines).toHaveLength(62);
    expect(lines.at(-2)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z,2,0,0,0$/);
    const tickets = await get(`/api/dashboard/guilds/${g.guildId}/analytics.csv?table=tickets&range=30d`);
    expect((await tickets.text()).split('\r\n')[0]).toBe('day,opened,closed,backlog,first_response_p50_ms,resolution_p50_ms');
    const bad = await get(`/api/dashboard/guilds/${g.guildId}/analytics.csv?table=secrets&range=1h`);
    expect(bad.status).toBe(400);
    await bad.body?.cancel();
  });

  it('serves the page: a table under each chart, the chart script as a file, no inline script', async () => {
    const res = await get(`/dashboard/guilds/${g.guildId}/analytics?range=1h`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<table id="series-table">');
    expect(html).toContain('<script src="/analytics.js"></script>');
    expect(html).toContain('<script src="/vendor/uplot/uPlot.iife.min.js"></script>');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(html).not.toMatch(/ style=/);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const anon = await SELF.fetch(`${BASE}/dashboard/guilds/${g.guildId}/analytics`, { redirect: 'manual' });
    expect(anon.status).toBe(302);
    await anon.body?.cancel();
  });
});

describe('the spike settings', () => {
  it('are saved from the page’s form (same origin only), out-of-range values keeping their default', async () => {
    const post = (origin: string) =>
      SELF.fetch(`${BASE}/api/dashboard/guilds/${g.guildId}/analytics/spike`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'floor=12&windowMin=3&factor=4&baselineMin=5&cooldownMin=20',
        redirect: 'manual',
      });
    const foreign = await post('https://evil.example');
    expect(foreign.status).toBe(403);
    await foreign.body?.cancel();
    const res = await post(BASE);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/dashboard/guilds/${g.guildId}/analytics?done=saved`);
    const a = await guildActor(env, g.guildId).analytics({ op: 'read', range: '1h' });
    // baselineMin 5 is below its minimum (10): the default stays.
    expect(a.ok && 'data' in a && a.data.spike).toEqual({ floor: 12, windowMin: 3, factor: 4, baselineMin: 60, cooldownMin: 20 });
    const page = await (await get(`/dashboard/guilds/${g.guildId}/analytics?done=saved`)).text();
    expect(page).toContain('Spike settings saved.');
    expect(page).toContain('id="spike-floor" name="floor" type="number" min="1" step="1" inputmode="numeric" value="12"');
  });
});

describe('the live socket', () => {
  const open = (guildId: string, headers: Record<string, string>) =>
    SELF.fetch(`${BASE}/dashboard/guilds/${guildId}/live`, { headers: { upgrade: 'websocket', origin: BASE, ...headers } });

  it('is refused without a session, for another guild, from another site, and without an upgrade', async () => {
    const anon = await open(g.guildId, {});
    expect(anon.status).toBe(401);
    expect(anon.webSocket).toBeNull();
    await anon.body?.cancel();
    const forbidden = await open(other.guildId, { cookie });
    expect(forbidden.status).toBe(403);
    expect(forbidden.webSocket).toBeNull();
    await forbidden.body?.cancel();
    const foreign = await open(g.guildId, { cookie, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    await foreign.body?.cancel();
    const plain = await get(`/dashboard/guilds/${g.guildId}/live`);
    expect(plain.status).toBe(426);
    await plain.body?.cancel();
  });

  it('opens for the guild’s manager, gets no inbox data, and a burst of joins arrives as a few coalesced deltas', async () => {
    const res = await open(g.guildId, { cookie });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    const got: { type: string; delta?: { join?: number } }[] = [];
    ws.addEventListener('message', (e) => {
      got.push(JSON.parse(e.data as string));
    });
    ws.accept();
    await eventually(async () => got.length > 0, 5000, 'hello');
    expect(got[0]).toEqual({ type: 'hello' });
    // 200 joins in 20 batches, as a shard sends a burst.
    const stub = guildActor(env, g.guildId);
    for (let b = 0; b < 20; b++)
      await stub.applyEvents(
        0,
        SESSION,
        Array.from({ length: 10 }, () => join(g.guildId)),
      );
    const joined = () => got.filter((m) => m.type === 'delta').reduce((n, m) => n + (m.delta?.join ?? 0), 0);
    await eventually(async () => joined() === 200, 5000, 'all 200 joins in deltas');
    const deltas = got.filter((m) => m.type === 'delta').length;
    expect(deltas).toBeGreaterThanOrEqual(1);
    expect(deltas).toBeLessThan(20);
    expect(got.some((m) => m.type === 'inbox' || m.type === 'ticket')).toBe(false);
    ws.close();
  });

  it('tells an open dashboard page when the review queue may have changed: after a ticket opens, then at most once a second', async () => {
    const res = await open(g.guildId, { cookie });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    const reviews: number[] = [];
    ws.addEventListener('message', (e) => {
      if ((JSON.parse(e.data as string) as { type: string }).type === 'review') reviews.push(Date.now());
    });
    ws.accept();
    // Let any earlier test's signal go by.
    await new Promise((r) => setTimeout(r, 1100));
    const before = reviews.length;
    await openTicket(g, g.memberIds[1]!);
    await eventually(async () => reviews.length > before, 5000, 'a review signal after the open');
    // Ten gateway batches at once: coalesced, not ten signals.
    const stub = guildActor(env, g.guildId);
    const burstFrom = reviews.length;
    await Promise.all(Array.from({ length: 10 }, () => stub.applyEvents(0, SESSION, [join(g.guildId)])));
    await new Promise((r) => setTimeout(r, 2200));
    const burst = reviews.slice(burstFrom);
    expect(burst.length).toBeGreaterThanOrEqual(1);
    expect(burst.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < reviews.length; i++) expect(reviews[i]! - reviews[i - 1]!).toBeGreaterThanOrEqual(950);
    ws.close();
  });

  it('keeps the dashboard’s and the staff inbox’s sockets apart: neither gets the other’s messages', async () => {
    const link = await signStaffToken('test-staff-link-secret', { guildId: g.guildId, userId: g.staffId, exp: Math.floor(Date.now() / 1000) + 3600 });
    const { socketToken } = (await (await SELF.fetch(`${BASE}/api/guilds/${g.guildId}/inbox`, { headers: { Authorization: `Bearer ${link}` } })).json()) as {
      socketToken: string;
    };
    const inboxRes = await SELF.fetch(`${BASE}/parties/guild/${g.guildId}`, {
      headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': `guildkeep, guildkeep.auth.${socketToken}` },
    });
    expect(inboxRes.status).toBe(101);
    const dashRes = await open(g.guildId, { cookie });
    expect(dashRes.status).toBe(101);
    const inbox: { type: string }[] = [];
    const dash: { type: string }[] = [];
    const inboxWs = inboxRes.webSocket!;
    const dashWs = dashRes.webSocket!;
    inboxWs.addEventListener('message', (e) => {
      inbox.push(JSON.parse(e.data as string));
    });
    dashWs.addEventListener('message', (e) => {
      dash.push(JSON.parse(e.data as string));
    });
    inboxWs.accept();
    dashWs.accept();
    await eventually(async () => inbox.some((m) => m.type === 'inbox') && dash.some((m) => m.type === 'hello'), 5000, 'both sockets open');
    await guildActor(env, g.guildId).applyEvents(0, SESSION, [join(g.guildId)]);
    await openTicket(g, g.memberIds[0]!);
    await eventually(async () => dash.some((m) => m.type === 'delta') && inbox.some((m) => m.type === 'ticket'), 8000, 'each socket its own message');
    expect(inbox.some((m) => m.type === 'delta' || m.type === 'hello')).toBe(false);
    expect(dash.some((m) => m.type === 'ticket' || m.type === 'inbox')).toBe(false);
    inboxWs.close();
    dashWs.close();
  });
});

describe('the live socket after it opened', () => {
  // Its own guild and admin: these tests take the admin's rights away.
  let h: TestGuild;
  let hCookie: string;
  const openFor = async (c: string) => {
    const res = await SELF.fetch(`${BASE}/dashboard/guilds/${h.guildId}/live`, { headers: { upgrade: 'websocket', origin: BASE, cookie: c } });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    const got: { type: string; delta?: { join?: number } }[] = [];
    let closed: number | null = null;
    ws.addEventListener('message', (e) => {
      got.push(JSON.parse(e.data as string));
    });
    ws.addEventListener('close', (e) => {
      closed = e.code;
    });
    ws.accept();
    await eventually(async () => got.length > 0, 5000, 'hello');
    return { ws, got, closed: () => closed, joins: () => got.filter((m) => m.type === 'delta').reduce((n, m) => n + (m.delta?.join ?? 0), 0) };
  };
  const manage = (permissions: string) => setUserGuilds(h.adminId, [{ id: h.guildId, name: 'Hotel', permissions }]);

  beforeAll(async () => {
    h = await newGuild(2, 1);
    await manage(String(PermissionFlagsBits.ManageGuild));
    hCookie = await login(h.adminId);
  });

  it('is re-checked once Discord’s answer may be stale: still a manager, the next message goes out after the check', async () => {
    const s = await openFor(hCookie);
    advanceClock(61_000);
    await guildActor(env, h.guildId).applyEvents(0, SESSION, [join(h.guildId)]);
    await eventually(async () => s.joins() === 1, 5000, 'the delta after the re-check');
    expect(s.closed()).toBeNull();
    s.ws.close();
  });

  it('is closed, and told nothing more, once its user no longer manages the guild (Discord’s answer re-read after a minute)', async () => {
    const s = await openFor(hCookie);
    await manage('0');
    // Within the minute, Discord's earlier answer stands.
    await guildActor(env, h.guildId).applyEvents(0, SESSION, [join(h.guildId)]);
    await eventually(async () => s.joins() === 1, 5000, 'a delta within the minute');
    advanceClock(61_000);
    await guildActor(env, h.guildId).applyEvents(0, SESSION, [join(h.guildId), join(h.guildId)]);
    await eventually(async () => s.closed() === 4003, 5000, 'closed with 4003');
    expect(s.joins()).toBe(1);
    // And it cannot come back.
    const again = await SELF.fetch(`${BASE}/dashboard/guilds/${h.guildId}/live`, { headers: { upgrade: 'websocket', origin: BASE, cookie: hCookie } });
    expect(again.status).toBe(403);
    await again.body?.cancel();
    await manage(String(PermissionFlagsBits.ManageGuild));
  });

  it('is closed once its session was logged out everywhere', async () => {
    const c = await login(h.adminId);
    const s = await openFor(c);
    const out = await SELF.fetch(`${BASE}/dashboard/logout-everywhere`, { method: 'POST', headers: { cookie: c, origin: BASE }, redirect: 'manual' });
    await out.body?.cancel();
    advanceClock(61_000);
    await guildActor(env, h.guildId).applyEvents(0, SESSION, [join(h.guildId)]);
    await eventually(async () => s.closed() === 4003, 5000, 'closed with 4003');
    expect(s.joins()).toBe(0);
  });
});
