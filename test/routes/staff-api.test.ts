import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signStaffToken } from '../../src/features/inbox/token.ts';
import type { TicketView } from '../../src/objects/ticket.ts';
import { ticketActor } from '../../src/runtime/actors.ts';
import { env, newGuild, openTicket, simApi, type TestGuild } from '../helpers.ts';

const SECRET = 'test-staff-link-secret';
const BASE = 'http://guildkeep.test';
const token = (g: TestGuild, userId: string) => signStaffToken(SECRET, { guildId: g.guildId, userId, exp: Math.floor(Date.now() / 1000) + 3600 });
const get = async (path: string, tok: string) => SELF.fetch(BASE + path, { headers: { Authorization: `Bearer ${tok}` } });
const act = async (ticketId: string, tok: string, body: unknown) =>
  SELF.fetch(`${BASE}/api/tickets/${ticketId}/actions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('GET /api/guilds/:guildId/staff', () => {
  it('lists everyone who is staff right now, by name, for staff only', async () => {
    const g = await newGuild(3, 2);
    const { user_id: threadMod } = await simApi<{ user_id: string }>('/_sim/members', {
      body: { guild_id: g.guildId, username: 'zeta_mod', permissions: String(1n << 34n) },
    });
    const res = await get(`/api/guilds/${g.guildId}/staff`, await token(g, g.staffId));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { staff: { userId: string; name: string }[] };
    expect(body.staff.map((s) => s.name)).toEqual(['admin ada', 'guildmaster gus', 'helper hana', 'mod milo', 'zeta mod']);
    const ids = body.staff.map((s) => s.userId);
    expect(ids).toEqual(expect.arrayContaining([g.ownerId, g.adminId, g.staffId, threadMod]));
    for (const m of g.memberIds) expect(ids).not.toContain(m);
    expect(ids).not.toContain(g.botUserId);
    expect(Object.keys(body.staff[0]!).sort()).toEqual(['name', 'userId']);
    const member = await get(`/api/guilds/${g.guildId}/staff`, await token(g, g.memberIds[0]!));
    expect(member.status).toBe(403);
    await member.body?.cancel();
  });
});

describe('assigning from the inbox', () => {
  it('refuses an assignee who is not staff, and changes nothing', async () => {
    const g = await newGuild(3, 2);
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    const tok = await token(g, g.staffId);
    for (const assigneeId of [g.memberIds[1]!, '999999999999999999']) {
      const r = await act(id, tok, { kind: 'act', version: ticket.version, action: { kind: 'assign', assigneeId, assigneeName: 'Support Lead' } });
      expect(r.status, assigneeId).toBe(422);
      expect(((await r.json()) as { error: string }).error).toMatch(/cannot take tickets\.$/);
    }
    const bad = await act(id, tok, { kind: 'act', version: ticket.version, action: { kind: 'assign', assigneeId: 'everyone' } });
    expect(bad.status).toBe(400);
    await bad.body?.cancel();
    const after = (await ticketActor(env, id).snapshot()).ticket!;
    expect(after).toMatchObject({ version: ticket.version, assigneeId: null, status: 'open' });
  });

  it('assigns any staff member, viewing or not, under the name Discord gives, not the one in the body', async () => {
    const g = await newGuild(3, 2);
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    const r = await act(id, await token(g, g.staffId), {
      kind: 'act',
      version: ticket.version,
      action: { kind: 'assign', assigneeId: g.adminId, assigneeName: '<b>Totally the owner</b>' },
    });
    expect(r.status).toBe(200);
    const view = (await r.json()) as TicketView;
    expect(view.ticket).toMatchObject({ assigneeId: g.adminId, assigneeName: 'admin ada', status: 'claimed' });
  });

  it('caps the close reason at 500 characters', async () => {
    const g = await newGuild(3, 1);
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    const tok = await token(g, g.staffId);
    const long = await act(id, tok, { kind: 'act', version: ticket.version, action: { kind: 'close', reason: 'x'.repeat(501) } });
    expect(long.status).toBe(400);
    expect(await long.json()).toEqual({ error: 'close reason is 501 characters; at most 500' });
    expect((await ticketActor(env, id).snapshot()).ticket!.status).toBe('open');
    const ok = await act(id, tok, { kind: 'act', version: ticket.version, action: { kind: 'close', reason: 'y'.repeat(500) } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as TicketView).ticket.closeReason).toBe('y'.repeat(500));
  });
});
