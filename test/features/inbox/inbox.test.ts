import { runDurableObjectAlarm, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signStaffToken } from '../../../src/features/inbox/token.ts';
import type { TicketView } from '../../../src/objects/ticket.ts';
import { guildActor, ticketActor } from '../../../src/runtime/actors.ts';
import {
  buttonId,
  controlMessage,
  deliver,
  env,
  eventually,
  guildSnapshot,
  lastSeq,
  newGuild,
  openTicket,
  press,
  replyText,
  simApi,
  simLog,
  slash,
  type TestGuild,
} from '../../helpers.ts';
import { advanceClock, passTime } from '../../support/clock.ts';

const SECRET = 'test-staff-link-secret';
const BASE = 'http://guildkeep.test';
const token = (g: TestGuild, userId: string, expInS = 3600) =>
  signStaffToken(SECRET, { guildId: g.guildId, userId, exp: Math.floor(Date.now() / 1000) + expInS });
const api = (path: string, tok?: string, init: RequestInit = {}) =>
  SELF.fetch(BASE + path, {
    ...init,
    headers: { ...(tok ? { Authorization: `Bearer ${tok}` } : {}), 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
const act = (ticketId: string, tok: string, body: unknown) => api(`/api/tickets/${ticketId}/actions`, tok, { method: 'POST', body: JSON.stringify(body) });

interface InboxData {
  me: { userId: string; name: string };
  socketToken: string;
  tickets: { id: string; status: string; lastMemberMessageAt: number | null; assigneeName: string | null }[];
}

async function socket(
  path: string,
  socketToken: string,
): Promise<{
  ws: WebSocket;
  messages: { at: number; data: Record<string, unknown> }[];
  next(pred: (d: Record<string, unknown>) => boolean, ms?: number): Promise<{ at: number; data: Record<string, unknown> }>;
}> {
  const res = await SELF.fetch(BASE + path, { headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': `guildkeep, guildkeep.auth.${socketToken}` } });
  const ws = res.webSocket;
  if (!ws) throw new Error(`no websocket: ${res.status} ${await res.text()}`);
  ws.accept();
  const messages: { at: number; data: Record<string, unknown> }[] = [];
  ws.addEventListener('message', (e) => messages.push({ at: Date.now(), data: JSON.parse(e.data as string) as Record<string, unknown> }));
  return {
    ws,
    messages,
    next: (pred, ms = 3000) => eventually(async () => messages.find((m) => pred(m.data)) ?? null, ms, 'socket message'),
  };
}

describe('staff inbox access', () => {
  it('/ticket inbox gives staff a signed link at the origin Discord reached, and refuses members', async () => {
    const g = await newGuild();
    expect(replyText(await deliver(slash(g, g.memberIds[0]!, 'ticket inbox')))).toBe('Only support staff can open the inbox.');
    const d = await deliver(slash(g, g.staffId, 'ticket inbox'));
    expect(d.response).toMatchObject({ type: 4, data: { flags: 64 } });
    const link = /(http:\/\/guildkeep\.test\/inbox\/(\d+)#(\S+))/.exec(replyText(d));
    expect(link?.[2]).toBe(g.guildId);
    const r = await api(`/api/guilds/${g.guildId}/inbox`, link![3]);
    expect(r.status).toBe(200);
    expect(((await r.json()) as InboxData).me.userId).toBe(g.staffId);
    const page = await SELF.fetch(`${BASE}/inbox/${g.guildId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('<!doctype html>');
  });

  it('refuses missing, forged, expired and other-guild tokens with 401, and ex-staff with 403, giving no data', async () => {
    const g = await newGuild();
    const other = await newGuild();
    const cases: [string, string | undefined, number][] = [
      ['none', undefined, 401],
      ['forged', (await token(g, g.staffId)).replace(/.$/, (c) => (c === '0' ? '1' : '0')), 401],
      ['expired', await token(g, g.staffId, -10), 401],
      ['other guild', await token(other, other.staffId), 401],
      ['not staff', await token(g, g.memberIds[0]!), 403],
      ['not a member', await token(g, other.memberIds[0]!), 403],
    ];
    for (const [name, tok, status] of cases) {
      for (const path of [`/api/guilds/${g.guildId}/inbox`, `/api/guilds/${g.guildId}/metrics`]) {
        const r = await api(path, tok);
        expect(r.status, `${name} ${path}`).toBe(status);
        const body = (await r.json()) as Record<string, unknown>;
        expect(Object.keys(body)).toEqual(['error']);
      }
    }
    const ws = await SELF.fetch(`${BASE}/parties/guild/${g.guildId}`, {
      headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': `guildkeep, guildkeep.auth.${await token(g, g.staffId)}` },
    });
    // A 12-hour link token is not a socket token.
    expect(ws.status).toBe(401);
    expect(ws.webSocket).toBeNull();
  });
});

describe('live inbox and ticket view', () => {
  it('pushes a ticket opened in Discord to connected staff within 200 ms of the change', async () => {
    const g = await newGuild();
    const data = (await (await api(`/api/guilds/${g.guildId}/inbox`, await token(g, g.staffId))).json()) as InboxData;
    const s = await socket(`/parties/guild/${g.guildId}`, data.socketToken);
    await s.next((d) => d.type === 'inbox');
    const { id } = await openTicket(g, g.memberIds[0]!);
    const pushed = await s.next((d) => d.type === 'ticket' && (d.ticket as { id: string }).id === id);
    expect(pushed.data.ticket).toMatchObject({ id, status: 'open', severity: 'high' });
    // Then a claim from Discord: measured from the ticket's own change time.
    const t = (await ticketActor(env, id).snapshot()).ticket!;
    const control = await controlMessage(g, t.channelId!, t.controlMessageId!);
    await deliver(press(g, g.staffId, buttonId(control, 'Claim'), t.channelId!, control.id));
    const claimed = await s.next((d) => d.type === 'ticket' && (d.ticket as { status: string }).status === 'claimed');
    const changedAt = (await ticketActor(env, id).snapshot()).ticket!.updatedAt;
    expect(claimed.at - changedAt).toBeLessThan(200);
    s.ws.close();
  });

  it('lets two staff act on one version: one wins, the other is told who changed it and gets the new state', async () => {
    const g = await newGuild(3, 2);
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    const { user_id: second } = await simApi<{ user_id: string }>('/_sim/members', {
      body: { guild_id: g.guildId, username: 'second_mod', permissions: String(1n << 34n) },
    });
    const [a, b] = await Promise.all([
      act(id, await token(g, g.staffId), { kind: 'act', version: ticket.version, action: { kind: 'claim' } }),
      act(id, await token(g, second), { kind: 'act', version: ticket.version, action: { kind: 'set-status', status: 'escalated' } }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const body = (await loser.json()) as { error: string; view: TicketView };
    expect(body.error).toMatch(/^Changed by (staff|second_mod|.+) — refreshed\. It is now (claimed|escalated)/);
    expect(body.view.ticket.version).toBe(2);
  });

  it('keeps internal notes off Discord, posts replies into the thread, and shows who is viewing', async () => {
    const g = await newGuild();
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    const tok = await token(g, g.staffId);
    const view = (await (await api(`/api/tickets/${id}`, tok)).json()) as TicketView & { socketToken: string; audit: unknown[] };
    const room = await socket(`/parties/ticket/${id}`, view.socketToken);
    await room.next((d) => d.type === 'view');
    const presence = await room.next((d) => d.type === 'presence' && (d.viewers as unknown[]).length === 1);
    expect(presence.data.viewers).toEqual([{ userId: g.staffId, name: expect.any(String) }]);
    const before = await lastSeq();
    expect((await act(id, tok, { kind: 'note', text: 'Customer is a VIP, card 4111 1111 1111 1111' })).status).toBe(200);
    expect((await act(id, tok, { kind: 'reply', text: 'We are on it!' })).status).toBe(200);
    const posted = await eventually(
      async () => {
        const msgs = (await guildSnapshot(g.guildId)).messages[ticket.channelId!] ?? [];
        return msgs.find((m) => m.content.endsWith('(staff): We are on it!')) ?? null;
      },
      8000,
      'reply in thread',
    );
    expect(posted.author.bot).toBe(true);
    expect((await simLog(before)).some((c) => JSON.stringify(c.request).includes('VIP'))).toBe(false);
    const after = await ticketActor(env, id).view();
    expect(after!.transcript.map((e) => [e.kind, e.content])).toEqual([
      ['note', 'Customer is a VIP, card [card]'],
      ['staff', 'We are on it!'],
    ]);
    expect(after!.transcript[1]!.discordMessageId).toBe(posted.id);
    expect(after!.ticket.firstResponseAt).not.toBeNull();
    await room.next((d) => d.type === 'view' && (d.view as TicketView).transcript.length === 2);
    expect((await api(`/api/tickets/${id}/actions`, tok, { method: 'POST', body: '{"kind":"nope"}' })).status).toBe(400);
    room.ws.close();
  });

  it('records member messages from the thread (masked, once per message) and updates the inbox', async () => {
    const g = await newGuild();
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    const msg = await simApi<Parameters<ReturnType<typeof guildActor>['onMessageCreate']>[0]>(`/_sim/channels/${ticket.channelId}/messages`, {
      body: { user_id: g.memberIds[0], content: 'it still crashes, my email is me@example.com' },
    });
    const guild = guildActor(env, g.guildId);
    expect(await guild.onMessageCreate(msg)).toBe(true);
    expect(await guild.onMessageCreate(msg)).toBe(false);
    const staffMsg = await simApi<typeof msg>(`/_sim/channels/${ticket.channelId}/messages`, { body: { user_id: g.staffId, content: 'Looking into it' } });
    await guild.onMessageCreate(staffMsg);
    const v = await ticketActor(env, id).view();
    expect(v!.transcript.map((e) => [e.kind, e.content])).toEqual([
      ['member', 'it still crashes, my email is [email]'],
      ['staff', 'Looking into it'],
    ]);
    const row = await eventually(
      async () => {
        const r = await guild.findTicket(id);
        return r?.lastMemberMessageAt && r.firstResponseAt ? r : null;
      },
      5000,
      'index updated',
    );
    expect(row.lastMemberMessageAt).toBe(Date.parse(msg.timestamp));
    expect(row.firstResponseAt).toBe(Date.parse(staffMsg.timestamp));
  });
});

describe('triage metrics and retention', () => {
  it('reports queue depth, response and resolution times, daily counts, escalations and command outcomes', async () => {
    const g = await newGuild(4, 1);
    const tok = await token(g, g.staffId);
    const a = await openTicket(g, g.memberIds[0]!, { severity: 'critical' });
    await openTicket(g, g.memberIds[1]!, { severity: 'low' });
    await act(a.id, tok, { kind: 'act', version: 1, action: { kind: 'set-status', status: 'escalated' } });
    await act(a.id, tok, { kind: 'reply', text: 'hi' });
    await act(a.id, tok, { kind: 'act', version: 2, action: { kind: 'set-status', status: 'resolved' } });
    await deliver(slash(g, g.memberIds[2]!, 'ticket list'));
    const m = await eventually(
      async () => {
        const r = (await (await api(`/api/guilds/${g.guildId}/metrics`, tok)).json()) as {
          resolution: { days7: { count: number } };
          firstResponse: { days7: { count: number } };
        } & Record<string, unknown>;
        return r.resolution.days7.count === 1 && r.firstResponse.days7.count === 1 ? r : null;
      },
      5000,
      'metrics',
    );
    expect(m).toMatchObject({
      queue: { open: 1, byStatus: { open: 1, resolved: 1 }, bySeverity: { low: 1, critical: 0 } },
      escalations: { days7: 1, days30: 1 },
      resolution: { days7: { count: 1, p50Ms: expect.any(Number) } },
    });
    const perDay = m.perDay as { opened: number }[];
    expect(perDay.at(-1)!.opened).toBe(2);
    const commands = m.commands as { action: string; ok: number; refused: number }[];
    expect(commands.find((c) => c.action === '/ticket open')).toMatchObject({ ok: 2 });
    expect(commands.find((c) => c.action === '/ticket list')).toMatchObject({ refused: 1 });
  });

  it('purges a closed ticket transcript when its retention runs out, keeping the ticket', async () => {
    const g = await newGuild();
    const { id, stub } = await openTicket(g, g.memberIds[0]!);
    const tok = await token(g, g.staffId);
    await act(id, tok, { kind: 'note', text: 'to be forgotten' });
    await act(id, tok, { kind: 'act', version: 1, action: { kind: 'close', reason: 'done' } });
    // The purge timer is 30 days out; the clock moves there instead of waiting.
    const due = (await stub.timers()).find((t) => t.kind === 'purge')?.at ?? 0;
    expect(due - Date.now()).toBeGreaterThan(29 * 86_400_000);
    await passTime(stub, 29 * 86_400_000);
    expect((await stub.view())!.transcript.length).toBe(1);
    advanceClock(2 * 86_400_000);
    await eventually(
      async () => {
        await runDurableObjectAlarm(stub);
        return (await stub.view())!.transcript.length === 0;
      },
      8000,
      'purge',
    );
    expect((await stub.view())!.ticket.status).toBe('closed');
  });
});
