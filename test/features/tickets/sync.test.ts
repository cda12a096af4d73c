import { describe, expect, it } from 'vitest';
import { closingNote } from '../../../src/features/tickets/provision.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { controlMessage, env, eventually, guildSnapshot, newGuild, openTicket, sim, type TestGuild } from '../../helpers.ts';

/** Calls the simulator's Discord API as the bot (what a moderator or Discord itself might do behind Guildkeep's back). */
const asBot = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(sim.apiBase + path, {
    method,
    headers: { Authorization: `Bot ${sim.botToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  await r.body?.cancel();
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status}`);
};

const threadState = async (g: TestGuild, id: string) => (await guildSnapshot(g.guildId)).channels.find((c) => c.id === id)!;
const lockedAndArchived = (g: TestGuild, id: string) =>
  eventually(
    async () => {
      const t = await threadState(g, id);
      return t.thread_metadata?.archived && t.thread_metadata.locked ? t : null;
    },
    8000,
    'thread archived and locked',
  );

describe('ticket sync: each step stands alone', () => {
  it('skips adding an assignee who left (audited), and still renders, archives and locks on close', async () => {
    const g = await newGuild(3, 2);
    const { id, stub, ticket } = await openTicket(g, g.memberIds[0]!);
    const leaver = g.memberIds[1]!;
    await asBot('DELETE', `/guilds/${g.guildId}/members/${leaver}`);
    // /ticket assign checked them a moment ago; they left before the thread could add them.
    const staff = { userId: g.staffId, isStaff: true, name: 'helper hana' };
    expect((await stub.request({ kind: 'act', action: { kind: 'assign', assigneeId: leaver, assigneeName: 'leaver' } }, staff)).outcome.ok).toBe(true);
    const closed = await stub.request({ kind: 'act', action: { kind: 'close', reason: 'done' } }, staff);
    expect(closed.outcome.ok).toBe(true);
    await lockedAndArchived(g, ticket.channelId!);
    const snap = await stub.snapshot();
    expect(snap.side).toMatchObject({ archived: true, error: null, skipped: [`member:${leaver}`] });
    const control = await controlMessage(g, ticket.channelId!, ticket.controlMessageId!);
    expect(control.embeds[0]!.fields!.find((f) => f.name === 'Status')!.value).toBe('🔒 Closed');
    const audit = await eventually(async () => (await guildActor(env, g.guildId).auditLog()).find((e) => e.action === 'ticket sync'), 8000, 'skip audited');
    expect(audit).toMatchObject({
      outcome: 'skipped:member',
      detail: expect.stringMatching(new RegExp(`^ticket #${ticket.number}: member:${leaver} skipped: .*404 \\(10007\\)`)),
    });
    expect(id).toBe(ticket.id);
  });

  it('posts a closing note cut to 2,000 characters for a 3,000-character reason, then archives and locks', async () => {
    const g = await newGuild();
    const { stub, ticket } = await openTicket(g, g.memberIds[0]!);
    const reason = 'r'.repeat(3000);
    expect((await stub.request({ kind: 'act', action: { kind: 'close', reason } }, { userId: g.staffId, isStaff: true })).outcome.ok).toBe(true);
    await lockedAndArchived(g, ticket.channelId!);
    const note = (await guildSnapshot(g.guildId)).messages[ticket.channelId!]!.find((m) => m.content.startsWith('🔒'))!;
    expect(note.content.length).toBe(2000);
    expect(note.content).toMatch(new RegExp(`^🔒 Ticket #${ticket.number} closed by <@${g.staffId}>: r+…$`));
    expect((await stub.snapshot()).side).toMatchObject({ skipped: [], error: null });
  });

  it('locks a thread Discord had already archived on its own', async () => {
    const g = await newGuild();
    const { stub, ticket } = await openTicket(g, g.memberIds[0]!);
    await asBot('PATCH', `/channels/${ticket.channelId}`, { archived: true });
    expect((await stub.request({ kind: 'act', action: { kind: 'close', reason: null } }, { userId: g.staffId, isStaff: true })).outcome.ok).toBe(true);
    await lockedAndArchived(g, ticket.channelId!);
    expect((await stub.snapshot()).side.error).toBeNull();
  });

  it('closingNote fits any reason into one Discord message', () => {
    expect(closingNote({ number: 3, lastChangedBy: '1', closeReason: null })).toBe('🔒 Ticket #3 closed by <@1>.');
    expect(closingNote({ number: 3, lastChangedBy: '1', closeReason: 'fixed' })).toBe('🔒 Ticket #3 closed by <@1>: fixed');
    expect(closingNote({ number: 3, lastChangedBy: '1', closeReason: 'x'.repeat(5000) }).length).toBe(2000);
  });
});

describe('what members see in the thread', () => {
  it('a claim is announced in the thread, once per assignee, and the control message shows no version line', async () => {
    const g = await newGuild(3, 2);
    const { stub, ticket } = await openTicket(g, g.memberIds[0]!);
    const staff = { userId: g.staffId, isStaff: true, name: 'helper hana' };
    await stub.request({ kind: 'act', action: { kind: 'claim' } }, staff);
    await stub.request({ kind: 'act', action: { kind: 'set-status', status: 'waiting' } }, staff);
    const notices = () => guildSnapshot(g.guildId).then((s) => s.messages[ticket.channelId!]!.filter((m) => m.content.startsWith('🙋')));
    await eventually(async () => (await stub.snapshot()).side.renderedVersion === 3, 8000, 'rendered');
    expect((await notices()).map((m) => m.content)).toEqual([
      `🙋 <@${g.staffId}> from the support team has taken ticket #${ticket.number} and will help you here.`,
    ]);
    const control = await controlMessage(g, ticket.channelId!, ticket.controlMessageId!);
    expect(JSON.stringify(control.embeds)).not.toMatch(/version/i);
    // Reassigned: the member hears about the new person.
    await stub.request({ kind: 'act', action: { kind: 'assign', assigneeId: g.adminId, assigneeName: 'admin ada' } }, staff);
    await eventually(async () => ((await notices()).length === 2 ? true : null), 8000, 'second notice');
    expect((await notices())[1]!.content).toContain(`<@${g.adminId}>`);
  });
});
