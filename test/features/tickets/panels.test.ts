import { evictDurableObject } from 'cloudflare:test';
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIMessage, APIStringSelectComponent } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { DiscordRest } from '../../../src/discord/rest.ts';
import { guildActor, ticketActor } from '../../../src/runtime/actors.ts';
import { deliver, env, eventually, guildSnapshot, type InteractionSpec, newGuild, provisioned, replyText, sim, type TestGuild } from '../../helpers.ts';

/** A /panel interaction; `path` may name a subcommand group (`panel category add`). */
function panel(g: TestGuild, userId: string, path: string, options: Record<string, string | number | boolean> = {}): InteractionSpec {
  const [name, ...subs] = path.split(' ');
  const leaf = Object.entries(options).map(([k, v]) => ({
    name: k,
    value: v,
    type: typeof v === 'boolean' ? 5 : typeof v === 'number' ? 4 : k === 'staff_role' ? 8 : k === 'channel' || k === 'parent' ? 7 : 3,
  }));
  let opts: unknown[] = leaf;
  for (const s of subs.reverse()) opts = [{ name: s, type: subs.length === 2 && s === subs[1] ? 2 : 1, options: opts }];
  return { type: 2, guild_id: g.guildId, channel_id: g.supportChannelId, user_id: userId, data: { name, type: 1, options: opts } };
}

const rowsOf = (m: APIMessage) => (m.components ?? []) as APIActionRowComponent<APIButtonComponentWithCustomId | APIStringSelectComponent>[];

async function panelMessage(g: TestGuild, channelId: string, title: string): Promise<APIMessage> {
  return eventually(
    async () => (await guildSnapshot(g.guildId)).messages[channelId]?.find((m) => m.embeds?.[0]?.title === title) ?? null,
    8000,
    `panel ${title} posted`,
  );
}

function submitForm(g: TestGuild, userId: string, customId: string, answers: string[], messageId: string): InteractionSpec {
  return {
    type: 5,
    guild_id: g.guildId,
    channel_id: g.supportChannelId,
    user_id: userId,
    message_id: messageId,
    data: { custom_id: customId, components: answers.map((value, n) => ({ type: 1, components: [{ type: 4, custom_id: `q${n}`, value }] })) },
  };
}

async function setUp(g: TestGuild) {
  const billing = await deliver(
    panel(g, g.adminId, 'panel category add', {
      name: 'Billing',
      emoji: '💳',
      description: 'Payments and refunds',
      questions: 'Subject | What happened [long] | Order number [optional] = 12345',
      issue_type: 'billing',
      severity: 'high',
      staff_role: g.staffRoleId,
      first_response: '30m',
      resolution: '1d',
      hours: false,
    }),
  );
  expect(replyText(billing)).toContain('Category “Billing” saved.');
  const bugs = await deliver(
    panel(g, g.adminId, 'panel category add', {
      name: 'Bugs',
      questions: 'Title | Steps [long]',
      issue_type: 'bug',
      mode: 'channel',
      parent: g.ticketsCategoryId,
    }),
  );
  expect(replyText(bugs)).toContain('Category “Bugs” saved.');
}

describe('ticket panels', () => {
  it('posts a button panel; a press opens the category’s form, the form a ticket with its staff role, mode and SLA, also after a restart', async () => {
    const g = await newGuild();
    await setUp(g);
    const created = await deliver(panel(g, g.adminId, 'panel create', { channel: g.supportChannelId, title: 'Need help?', categories: 'billing, Bugs' }));
    expect(replyText(created)).toMatch(/Panel #1 will appear/);
    const msg = await panelMessage(g, g.supportChannelId, 'Need help?');
    const buttons = rowsOf(msg).flatMap((r) => r.components) as APIButtonComponentWithCustomId[];
    expect(buttons.map((b) => b.label)).toEqual(['Billing', 'Bugs']);
    expect(buttons[0]!.emoji).toEqual({ name: '💳' });
    const billingId = buttons[0]!.custom_id;
    expect(billingId).toMatch(new RegExp(`^ticket:panel:${g.guildId}:\\d+$`));

    const member = g.memberIds[0]!;
    const pressed = await deliver({
      type: 3,
      guild_id: g.guildId,
      channel_id: g.supportChannelId,
      user_id: member,
      message_id: msg.id,
      data: { custom_id: billingId, component_type: 2 },
    });
    const modal = pressed.response as {
      type: number;
      data: { custom_id: string; title: string; components: { components: { label: string; style: number; required: boolean }[] }[] };
    };
    expect(modal.type).toBe(9);
    expect(modal.data.title).toBe('Billing');
    expect(modal.data.components.map((r) => r.components[0]!.label)).toEqual(['Subject', 'What happened', 'Order number']);
    expect(modal.data.components.map((r) => [r.components[0]!.style, r.components[0]!.required])).toEqual([
      [1, true],
      [2, true],
      [1, false],
    ]);

    const submitted = await deliver(submitForm(g, member, modal.data.custom_id, ['Charged twice', 'My card a@b.com was charged twice', ''], msg.id));
    expect(replyText(submitted)).toMatch(/Ticket #1 opened \(billing, high\)/);
    const ticket = await provisioned(`${g.guildId}-1`);
    expect(ticket.description).toBe('**What happened**\nMy card [email] was charged twice');
    // Thread mode, in the panel's channel; the category's staff role is mentioned in the control message.
    const snap = await guildSnapshot(g.guildId);
    expect(snap.channels.find((c) => c.id === ticket.channelId)).toMatchObject({ type: 12, parent_id: g.supportChannelId });
    const control = snap.messages[ticket.channelId!]!.find((m) => m.id === ticket.controlMessageId)!;
    expect(control.content).toContain(`<@&${g.staffRoleId}>`);
    // The category's 30 minutes, not the guild's 1 hour for high.
    const s = await ticketActor(env, ticket.id).snapshot();
    expect(s.ticket!.firstDueAt! - s.ticket!.createdAt).toBe(30 * 60_000);

    // The guild actor forgets everything in memory; the press still works from the custom_id and storage.
    await evictDurableObject(guildActor(env, g.guildId));
    const bugsId = buttons[1]!.custom_id;
    const again = await deliver({
      type: 3,
      guild_id: g.guildId,
      channel_id: g.supportChannelId,
      user_id: member,
      message_id: msg.id,
      data: { custom_id: bugsId, component_type: 2 },
    });
    const bugForm = (again.response as { type: number; data: { custom_id: string; title: string } }).data;
    expect(bugForm.title).toBe('Bugs');
    const bug = await deliver(submitForm(g, member, bugForm.custom_id, ['Texture flicker', 'Open level 3'], msg.id));
    expect(replyText(bug)).toMatch(/Ticket #2 opened \(bug, medium\)/);
    const second = await provisioned(`${g.guildId}-2`);
    // Channel mode: a private channel in the category's parent.
    expect((await guildSnapshot(g.guildId)).channels.find((c) => c.id === second.channelId)).toMatchObject({ type: 0, parent_id: g.ticketsCategoryId });
  });

  it('posts a select panel, edits it in place, and re-posts it when the message was deleted', async () => {
    const g = await newGuild();
    await setUp(g);
    await deliver(panel(g, g.adminId, 'panel create', { channel: g.supportChannelId, title: 'Support', categories: 'Billing,Bugs', style: 'select' }));
    const msg = await panelMessage(g, g.supportChannelId, 'Support');
    const select = rowsOf(msg)[0]!.components[0] as APIStringSelectComponent;
    expect(select.options.map((o) => o.label)).toEqual(['Billing', 'Bugs']);
    const picked = await deliver({
      type: 3,
      guild_id: g.guildId,
      channel_id: g.supportChannelId,
      user_id: g.memberIds[1]!,
      message_id: msg.id,
      data: { custom_id: select.custom_id, component_type: 3, values: [select.options[1]!.value] },
    });
    expect((picked.response as { type: number; data: { title: string } }).data.title).toBe('Bugs');

    const edited = await deliver(panel(g, g.adminId, 'panel edit', { panel: 1, title: 'Support desk', description: 'Pick one' }));
    expect(replyText(edited)).toMatch(/Panel #1 .* is being updated/);
    const same = await panelMessage(g, g.supportChannelId, 'Support desk');
    expect(same.id).toBe(msg.id);
    expect(same.embeds[0]!.description).toBe('Pick one');

    const rest = new DiscordRest({ token: sim.botToken, apiBase: sim.apiBase });
    expect((await rest.delete(`/channels/${g.supportChannelId}/messages/${msg.id}`)).ok).toBe(true);
    expect(replyText(await deliver(panel(g, g.adminId, 'panel list')))).toContain('message deleted');
    await deliver(panel(g, g.adminId, 'panel edit', { panel: 1 }));
    const reposted = await panelMessage(g, g.supportChannelId, 'Support desk');
    expect(reposted.id).not.toBe(msg.id);
    expect(replyText(await deliver(panel(g, g.adminId, 'panel list')))).toMatch(/#1 \*\*Support desk\*\*.*posted/);
  });

  it('refuses forms Discord cannot show, 26 categories and non-admins, changing nothing', async () => {
    const g = await newGuild();
    await setUp(g);
    const before = replyText(await deliver(panel(g, g.adminId, 'panel category list')));
    const six = await deliver(panel(g, g.adminId, 'panel category add', { name: 'Six', questions: 'a | b | c | d | e | f' }));
    expect(replyText(six)).toBe('A Discord form holds at most 5 questions; you gave 6. Nothing was changed.');
    const long = await deliver(panel(g, g.adminId, 'panel category edit', { name: 'Billing', questions: `Subject | ${'x'.repeat(46)}` }));
    expect(replyText(long)).toMatch(/is too long: Discord allows 45 characters\. Nothing was changed\./);
    const many = Array.from({ length: 26 }, (_, n) => `c${n}`).join(',');
    const tooMany = await deliver(panel(g, g.adminId, 'panel create', { channel: g.supportChannelId, title: 'Big', categories: many }));
    expect(replyText(tooMany)).toMatch(/at most 25 categories .* you gave 26\. Nothing was changed\./);
    const notAdmin = await deliver(panel(g, g.memberIds[0]!, 'panel category add', { name: 'Mine', questions: 'Subject' }));
    expect(replyText(notAdmin)).toBe('Only administrators can change ticket panels.');
    const staff = await deliver(panel(g, g.staffId, 'panel create', { channel: g.supportChannelId, title: 'Staff', categories: 'Billing' }));
    expect(replyText(staff)).toBe('Only administrators can change ticket panels.');
    expect(replyText(await deliver(panel(g, g.adminId, 'panel category list')))).toBe(before);
    expect(replyText(await deliver(panel(g, g.adminId, 'panel list')))).toBe('No panels yet. Post one with `/panel create`.');
  });

  it('lets the category’s staff role act as staff in its tickets', async () => {
    const g = await newGuild();
    const rest = new DiscordRest({ token: sim.botToken, apiBase: sim.apiBase });
    const role = await rest.post<{ id: string }>(`/guilds/${g.guildId}/roles`, { body: { name: 'Billing team' } });
    if (!role.ok) throw new Error('role not created');
    const helper = g.memberIds[2]!;
    expect((await rest.patch(`/guilds/${g.guildId}/members/${helper}`, { body: { roles: [role.value.id] } })).ok).toBe(true);
    await deliver(panel(g, g.adminId, 'panel category add', { name: 'Billing', questions: 'Subject', staff_role: role.value.id }));
    await deliver(panel(g, g.adminId, 'panel create', { channel: g.supportChannelId, title: 'Help', categories: 'Billing' }));
    const msg = await panelMessage(g, g.supportChannelId, 'Help');
    const button = (rowsOf(msg)[0]!.components[0] as APIButtonComponentWithCustomId).custom_id;
    const form = (
      await deliver({
        type: 3,
        guild_id: g.guildId,
        channel_id: g.supportChannelId,
        user_id: g.memberIds[0]!,
        message_id: msg.id,
        data: { custom_id: button, component_type: 2 },
      })
    ).response as { data: { custom_id: string } };
    await deliver(submitForm(g, g.memberIds[0]!, form.data.custom_id, ['Refund please'], msg.id));
    const ticket = await provisioned(`${g.guildId}-1`);
    const control = (await guildSnapshot(g.guildId)).messages[ticket.channelId!]!.find((m) => m.id === ticket.controlMessageId)!;
    const claim = (rowsOf(control)[0]!.components as APIButtonComponentWithCustomId[]).find((b) => b.label === 'Claim')!.custom_id;
    const claimed = await deliver({
      type: 3,
      guild_id: g.guildId,
      channel_id: ticket.channelId!,
      user_id: helper,
      message_id: control.id,
      data: { custom_id: claim, component_type: 2 },
    });
    expect(replyText(claimed)).toBe('You claimed ticket #1.');
  });
});
