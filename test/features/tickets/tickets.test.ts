import { evictDurableObject } from 'cloudflare:test';
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { guildActor, ticketActor } from '../../../src/runtime/actors.ts';
import {
  buttonId,
  buttons,
  controlMessage,
  deliver,
  env,
  eventually,
  guildSnapshot,
  newGuild,
  openTicket,
  originalMessageId,
  press,
  provisioned,
  replyText,
  simApi,
  slash,
} from '../../helpers.ts';

describe('tickets with zero configuration', () => {
  it('stores the ticket before confirming, then opens a private thread with opener and a control message', async () => {
    const g = await newGuild();
    const opener = g.memberIds[0]!;
    const d = await deliver(slash(g, opener, 'ticket open', { issue_type: 'login', severity: 'medium', subject: 'Cannot log in, my mail is a@b.com' }));
    expect(d.response).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(replyText(d)).toMatch(/Ticket #1 opened \(login, medium\)/);
    // Stored before the member saw the confirmation: the guild has it right after the response.
    const first = await guildActor(env, g.guildId).findTicket(`${g.guildId}-1`);
    expect(first).toMatchObject({
      number: 1,
      openerId: opener,
      issueType: 'login',
      severity: 'medium',
      status: 'open',
      assigneeId: null,
      subject: 'Cannot log in, my mail is [email]',
    });
    expect(first!.createdAt).toBeGreaterThan(0);

    const ticket = await provisioned(`${g.guildId}-1`);
    expect(ticket).toMatchObject({ guildId: g.guildId, number: 1, openerId: opener, status: 'open', version: 1, subject: 'Cannot log in, my mail is [email]' });
    const snap = await guildSnapshot(g.guildId);
    const thread = snap.channels.find((c) => c.id === ticket.channelId)!;
    expect(thread).toMatchObject({ type: 12, parent_id: g.supportChannelId });
    expect(thread.thread_member_ids).toContain(opener);
    const control = await controlMessage(g, thread.id, ticket.controlMessageId!);
    expect(buttons(control).map((b) => b.label)).toEqual(['Claim', 'Escalate', 'Close']);
    expect(buttons(control).every((b) => b.custom_id.startsWith(`ticket:`) && b.custom_id.length <= 100)).toBe(true);
    const original = await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${d.interaction.id}`);
    expect(original.original?.content).toContain(`<#${thread.id}>`);
  });

  it('asks for the subject with a modal when it is missing, then opens from the form', async () => {
    const g = await newGuild();
    const d = await deliver(slash(g, g.memberIds[1]!, 'ticket open', { issue_type: 'bug', severity: 'low' }));
    expect(d.response).toMatchObject({ type: 9, data: { custom_id: `ticket:details:${g.guildId}:bug.low` } });
    const submit = await deliver({
      type: 5,
      guild_id: g.guildId,
      channel_id: g.supportChannelId,
      user_id: g.memberIds[1]!,
      data: {
        custom_id: `ticket:details:${g.guildId}:bug.low`,
        components: [
          { type: 1, components: [{ type: 4, custom_id: 'subject', value: 'Texture flicker' }] },
          { type: 1, components: [{ type: 4, custom_id: 'description', value: 'On level 3, password: hunter2' }] },
        ],
      },
    });
    expect(replyText(submit)).toMatch(/Ticket #1 opened \(bug, low\): “Texture flicker”/);
    expect(await provisioned(`${g.guildId}-1`)).toMatchObject({ subject: 'Texture flicker', description: 'On level 3, password: [redacted]' });
  });

  it('allows one open ticket per member per issue type unless staff allow more', async () => {
    const g = await newGuild();
    const m = g.memberIds[0]!;
    await openTicket(g, m, { type: 'billing' });
    const again = await deliver(slash(g, m, 'ticket open', { issue_type: 'billing', severity: 'low', subject: 'again' }));
    expect(replyText(again)).toMatch(/^You already have an open billing ticket: <#\d+>/);
    const other = await deliver(slash(g, m, 'ticket open', { issue_type: 'crash', severity: 'low', subject: 'other type' }));
    expect(replyText(other)).toMatch(/Ticket #2 opened/);
    await deliver(slash(g, g.adminId, 'setup tickets', { staff_role: g.staffRoleId, max_open_per_type: 2 }));
    const allowed = await deliver(slash(g, m, 'ticket open', { issue_type: 'billing', severity: 'low', subject: 'second billing' }));
    expect(replyText(allowed)).toMatch(/Ticket #3 opened/);
  });

  it('claims, escalates, closes with confirmation and reopens through the control buttons', async () => {
    const g = await newGuild();
    const opener = g.memberIds[0]!;
    const { ticket, stub } = await openTicket(g, opener);
    const thread = ticket.channelId!;
    let control = await controlMessage(g, thread, ticket.controlMessageId!);

    const byMember = await deliver(press(g, opener, buttonId(control, 'Claim'), thread, control.id));
    expect(replyText(byMember)).toBe('Only support staff can claim a ticket.');

    const claim = await deliver(press(g, g.staffId, buttonId(control, 'Claim'), thread, control.id));
    expect(replyText(claim)).toBe(`You claimed ticket #${ticket.number}.`);
    // The control message follows the ticket; the assignee joins the private thread.
    control = await eventually(
      async () => {
        const m = await controlMessage(g, thread, ticket.controlMessageId!);
        return m.embeds[0]?.fields?.find((f) => f.name === 'Assignee')?.value === `<@${g.staffId}>` ? m : null;
      },
      8000,
      'control message shows the assignee',
    );
    expect((await guildSnapshot(g.guildId)).channels.find((c) => c.id === thread)!.thread_member_ids).toContain(g.staffId);

    const esc = await deliver(press(g, g.staffId, buttonId(control, 'Escalate'), thread, control.id));
    expect(replyText(esc)).toContain('Escalated');
    // That button still names version 2; the ticket moved on, so a second press is refused with the state.
    const stale = await deliver(press(g, g.staffId, buttonId(control, 'Escalate'), thread, control.id));
    expect(replyText(stale)).toMatch(/changed since you saw it \(now version 3, escalated, claimed by/);

    control = await eventually(
      async () => {
        const m = await controlMessage(g, thread, ticket.controlMessageId!);
        // The control message no longer shows members a version line; its buttons carry the version.
        return buttonId(m, 'Close').endsWith(':3') ? m : null;
      },
      8000,
      'control message at version 3',
    );
    const close = await deliver(press(g, opener, buttonId(control, 'Close'), thread, control.id));
    expect(close.response).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(replyText(close)).toContain('Close ticket #');
    const confirmId = (close.response as { data: { components: APIActionRowComponent<APIButtonComponentWithCustomId>[] } }).data.components[0]!.components[0]!
      .custom_id;
    expect(confirmId).toMatch(/^ticket:close-confirm:/);
    expect((await stub.snapshot()).ticket!.status).toBe('escalated');
    const confirmed = await deliver(press(g, opener, confirmId, thread, await originalMessageId(close.interaction.id)));
    expect(confirmed.response).toMatchObject({ type: 7, data: { content: `Ticket #${ticket.number} closed.` } });
    await eventually(
      async () => {
        const t = (await guildSnapshot(g.guildId)).channels.find((c) => c.id === thread)!;
        return t.thread_metadata?.archived && t.thread_metadata.locked;
      },
      8000,
      'thread archived and locked',
    );

    const reopenId = `ticket:reopen:${ticket.id}:4`;
    const reopened = await deliver(press(g, opener, reopenId, thread, control.id));
    expect(replyText(reopened)).toBe(`Ticket #${ticket.number} reopened.`);
    await eventually(
      async () => {
        const t = (await guildSnapshot(g.guildId)).channels.find((c) => c.id === thread)!;
        return t.thread_metadata?.archived === false;
      },
      8000,
      'thread unarchived',
    );
    const s = await stub.snapshot();
    expect(s.history.map((h) => h.status)).toEqual(['open', 'claimed', 'escalated', 'closed', 'open']);
  });

  it('runs the slash commands inside a ticket thread, with clear errors for invalid transitions', async () => {
    const g = await newGuild();
    const { ticket } = await openTicket(g, g.memberIds[2]!);
    const thread = ticket.channelId!;
    const show = await deliver(slash(g, g.memberIds[2]!, 'ticket status', {}, thread));
    expect(show.response).toMatchObject({ type: 4, data: { flags: 64, embeds: [{ title: `Ticket #1: Game crashes on launch` }] } });
    const waitEarly = await deliver(slash(g, g.staffId, 'ticket status', { set: 'waiting' }, thread));
    expect(replyText(waitEarly)).toBe("Ticket #1 is open; it can't go to waiting. Allowed from open: claimed, escalated, resolved, closed.");
    const claim = await deliver(slash(g, g.staffId, 'ticket claim', {}, thread));
    expect(replyText(claim)).toBe('You claimed ticket #1.');
    const notStaff = await deliver(slash(g, g.staffId, 'ticket assign', { member: g.memberIds[3]! }, thread));
    expect(replyText(notStaff)).toContain('is not support staff here');
    const admin = await deliver(slash(g, g.staffId, 'ticket assign', { member: g.adminId }, thread));
    expect(replyText(admin)).toBe(`Ticket #1 is now assigned to <@${g.adminId}>.`);
    const wait = await deliver(slash(g, g.staffId, 'ticket status', { set: 'waiting' }, thread));
    expect(replyText(wait)).toContain('Waiting on member');
    const resolved = await deliver(slash(g, g.staffId, 'ticket status', { set: 'resolved' }, thread));
    expect(replyText(resolved)).toContain('Resolved');
    const again = await deliver(slash(g, g.staffId, 'ticket status', { set: 'resolved' }, thread));
    expect(replyText(again)).toMatch(/is resolved; it can't go to resolved/);
    const close = await deliver(slash(g, g.memberIds[2]!, 'ticket close', { reason: 'fixed, thanks' }, thread));
    expect(replyText(close)).toBe('Close ticket #1 with reason “fixed, thanks”? The thread will be archived and locked.');
    const outside = await deliver(slash(g, g.staffId, 'ticket claim', {}, g.generalChannelId));
    expect(replyText(outside)).toBe('Run this inside a ticket thread (or use /ticket list to find one).');
  });

  it('lists tickets for staff only, sorted by severity, ten per page with a pager', async () => {
    const g = await newGuild(12);
    const severities = ['low', 'critical', 'medium', 'high'];
    for (let i = 0; i < 12; i++) {
      const d = await deliver(slash(g, g.memberIds[i]!, 'ticket open', { issue_type: 'other', severity: severities[i % 4]!, subject: `problem ${i}` }));
      expect(replyText(d)).toContain('opened');
    }
    const denied = await deliver(slash(g, g.memberIds[0]!, 'ticket list'));
    expect(replyText(denied)).toBe('Only support staff can list tickets.');
    const list = await deliver(slash(g, g.staffId, 'ticket list'));
    const text = replyText(list);
    expect(text).toMatch(/^\*\*active tickets\*\* — 12 total, page 1\/2/);
    expect(text.split('\n')).toHaveLength(11);
    expect(text.split('\n')[1]).toContain('critical');
    const pager = (list.response as { data: { components: APIActionRowComponent<APIButtonComponentWithCustomId>[] } }).data.components[0]!.components;
    const next = await deliver(press(g, g.staffId, pager[1]!.custom_id, g.supportChannelId, await originalMessageId(list.interaction.id)));
    expect(next.response).toMatchObject({ type: 7 });
    expect(replyText(next)).toMatch(/page 2\/2/);
    const closedOnly = await deliver(slash(g, g.staffId, 'ticket list', { status: 'closed' }));
    expect(replyText(closedOnly)).toBe('No closed tickets.');
  });

  it('lets only administrators run /setup, and then honours the staff role on every action', async () => {
    const g = await newGuild();
    const denied = await deliver(slash(g, g.staffId, 'setup tickets', { staff_role: g.staffRoleId }));
    expect(replyText(denied)).toBe('Only administrators can change the ticket setup.');
    // A member whose only claim to staff is a plain role without Manage Threads.
    const { role_id } = await simApi<{ role_id: string }>('/_sim/roles', { body: { guild_id: g.guildId, name: 'Helpers', permissions: '0' } });
    const { user_id: helper } = await simApi<{ user_id: string }>('/_sim/members', { body: { guild_id: g.guildId, username: 'helper', roles: [role_id] } });
    const { ticket } = await openTicket(g, g.memberIds[0]!);
    const control = await controlMessage(g, ticket.channelId!, ticket.controlMessageId!);
    const before = await deliver(press(g, helper, buttonId(control, 'Claim'), ticket.channelId!, control.id));
    expect(replyText(before)).toBe('Only support staff can claim a ticket.');
    const setup = await deliver(slash(g, g.adminId, 'setup tickets', { staff_role: role_id }));
    expect(replyText(setup)).toContain(`Staff role: <@&${role_id}>`);
    expect(await guildActor(env, g.guildId).getTicketConfig()).toMatchObject({ staffRoleId: role_id });
    const after = await deliver(press(g, helper, buttonId(control, 'Claim'), ticket.channelId!, control.id));
    expect(replyText(after)).toBe(`You claimed ticket #${ticket.number}.`);
    // New tickets mention the staff role in their private thread, which adds its members.
    const next = await openTicket(g, g.memberIds[1]!);
    const thread = (await guildSnapshot(g.guildId)).channels.find((c) => c.id === next.ticket.channelId)!;
    expect(thread.thread_member_ids).toEqual(expect.arrayContaining([g.memberIds[1], helper]));
    const first = await controlMessage(g, thread.id, next.ticket.controlMessageId!);
    expect(first.content).toContain(`<@&${role_id}>`);
  });

  it('opens a private channel in the configured category instead of a thread', async () => {
    const g = await newGuild();
    await deliver(slash(g, g.adminId, 'setup tickets', { staff_role: g.staffRoleId, category: g.ticketsCategoryId }));
    const { ticket } = await openTicket(g, g.memberIds[0]!);
    const ch = (await guildSnapshot(g.guildId)).channels.find((c) => c.id === ticket.channelId)!;
    expect(ch).toMatchObject({ type: 0, parent_id: g.ticketsCategoryId, name: `ticket-${ticket.number}` });
  });

  it('survives an actor restart: state is read back from storage', async () => {
    const g = await newGuild();
    const { id, stub, ticket } = await openTicket(g, g.memberIds[0]!);
    await evictDurableObject(stub);
    await evictDurableObject(guildActor(env, g.guildId));
    const again = ticketActor(env, id);
    expect((await again.snapshot()).ticket).toEqual(ticket);
    const control = await controlMessage(g, ticket.channelId!, ticket.controlMessageId!);
    const claim = await deliver(press(g, g.staffId, buttonId(control, 'Claim'), ticket.channelId!, control.id));
    expect(replyText(claim)).toBe(`You claimed ticket #${ticket.number}.`);
    const list = await deliver(slash(g, g.staffId, 'ticket list'));
    expect(replyText(list)).toContain(`#${ticket.number}`);
  });
});

describe('ticket background work', () => {
  it('posts ticket events to the configured log channel', async () => {
    const g = await newGuild();
    await deliver(slash(g, g.adminId, 'setup tickets', { staff_role: g.staffRoleId, log_channel: g.generalChannelId }));
    const { ticket } = await openTicket(g, g.memberIds[0]!, { type: 'bug', severity: 'critical' });
    const control = await controlMessage(g, ticket.channelId!, ticket.controlMessageId!);
    await deliver(press(g, g.staffId, buttonId(control, 'Claim'), ticket.channelId!, control.id));
    const lines = await eventually(
      async () => {
        const msgs = (await guildSnapshot(g.guildId)).messages[g.generalChannelId] ?? [];
        const mine = msgs.map((m) => m.content).filter((c) => c.startsWith(`Ticket #${ticket.number}`));
        return mine.length >= 2 ? mine : null;
      },
      8000,
      'two log-channel posts',
    );
    expect(lines[0]).toBe(`Ticket #${ticket.number} (bug, critical) is now **open** — <#${ticket.channelId}>`);
    expect(lines[1]).toBe(`Ticket #${ticket.number} (bug, critical) is now **claimed** — <#${ticket.channelId}> · <@${g.staffId}>`);
  });

  it('keeps retrying a thread Discord failed to create, from the alarm, until it exists', async () => {
    const g = await newGuild();
    // More failures than the REST client's own retries: the job must come back later.
    await simApi('/_sim/faults', { body: { method: 'POST', path: `^/channels/${g.supportChannelId}/threads$`, status: 502, times: 6 } });
    const d = await deliver(slash(g, g.memberIds[0]!, 'ticket open', { issue_type: 'crash', severity: 'low', subject: 'retry me' }));
    expect(replyText(d)).toContain('Ticket #1 opened');
    const ticket = await eventually(
      async () => {
        const s = await ticketActor(env, `${g.guildId}-1`).snapshot();
        return s.ticket?.controlMessageId ? s.ticket : null;
      },
      15_000,
      'thread created after retries',
    );
    const threads = (await guildSnapshot(g.guildId)).channels.filter((c) => c.type === 12);
    expect(threads.map((t) => t.id)).toEqual([ticket.channelId]);
    await simApi('/_sim/faults', { method: 'DELETE' });
  });
});
