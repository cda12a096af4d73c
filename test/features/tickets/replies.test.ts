import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signStaffToken } from '../../../src/features/inbox/token.ts';
import { canReply } from '../../../src/features/tickets/rules.ts';
import { render } from '../../../src/i18n/text.ts';
import type { TicketView } from '../../../src/objects/ticket.ts';
import { ticketActor } from '../../../src/runtime/actors.ts';
import { env, eventually, lastSeq, newGuild, openTicket, sim, simLog, type TestGuild } from '../../helpers.ts';

const SECRET = 'test-staff-link-secret';
const token = (g: TestGuild, userId: string) => signStaffToken(SECRET, { guildId: g.guildId, userId, exp: Math.floor(Date.now() / 1000) + 3600 });
const act = async (ticketId: string, tok: string, body: unknown) =>
  SELF.fetch(`http://guildkeep.test/api/tickets/${ticketId}/actions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('staff replies from the inbox', () => {
  it('canReply refuses closed tickets only', () => {
    const closed = canReply({ number: 4, status: 'closed' });
    expect(!closed.ok && render('en', closed.error)).toMatch(/^Ticket #4 is closed/);
    for (const status of ['open', 'claimed', 'waiting', 'escalated', 'resolved'] as const) expect(canReply({ number: 4, status }).ok).toBe(true);
  });

  it('refuses a reply to a closed ticket with 409 and a reason, and posts nothing', async () => {
    const g = await newGuild();
    const { id, ticket, stub } = await openTicket(g, g.memberIds[0]!);
    const tok = await token(g, g.staffId);
    expect((await act(id, tok, { kind: 'act', version: ticket.version, action: { kind: 'close', reason: 'solved' } })).status).toBe(200);
    await eventually(async () => (await stub.snapshot()).side.archived, 8000, 'thread archived');
    const before = await lastSeq();
    const r = await act(id, tok, { kind: 'reply', text: 'One more thing…' });
    expect(r.status).toBe(409);
    const body = (await r.json()) as { error: string; view: TicketView };
    expect(body.error).toMatch(/^Ticket #\d+ is closed, so its thread is locked/);
    expect(body.view.transcript).toEqual([]);
    expect((await simLog(before)).filter((c) => c.method === 'POST')).toEqual([]);
    // A note is still fine.
    expect((await act(id, tok, { kind: 'note', text: 'member thanked us' })).status).toBe(200);
  });

  it('shows staff why Discord refused a reply (thread locked in Discord meanwhile)', async () => {
    const g = await newGuild();
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    // A moderator archives and locks the thread in Discord; Guildkeep still thinks it is open.
    const locked = await fetch(`${sim.apiBase}/channels/${ticket.channelId}`, {
      method: 'PATCH',
      headers: { Authorization: `Bot ${sim.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ archived: true, locked: true }),
    });
    expect(locked.status).toBe(200);
    await locked.body?.cancel();
    expect((await act(id, await token(g, g.staffId), { kind: 'reply', text: 'Are you still there?' })).status).toBe(200);
    const entry = await eventually(async () => (await ticketActor(env, id).view())!.transcript.find((e) => e.error), 8000, 'refusal recorded');
    expect(entry).toMatchObject({ kind: 'staff', content: 'Are you still there?', discordMessageId: null });
    expect(entry.error).toMatch(/400 \(50083\)/);
  });
});
