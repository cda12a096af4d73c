import { SELF } from 'cloudflare:test';
import { type APIMessage, ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordRest } from '../../../src/discord/rest.ts';
import { signStaffToken } from '../../../src/features/inbox/token.ts';
import { guildActor, ticketActor } from '../../../src/runtime/actors.ts';
import {
  type Delivered,
  deliver,
  env,
  eventually,
  guildSnapshot,
  lastSeq,
  newGuild,
  openTicket,
  provisioned,
  replyText,
  sim,
  simApi,
  simLog,
  type TestGuild,
} from '../../helpers.ts';
import { resetClock } from '../../support/clock.ts';
import { bool, command, type Opt, role, str } from '../levels/support.ts';

afterEach(() => resetClock());

const run = (g: TestGuild, userId: string, path: string, options: Opt[] = [], channelId?: string) => deliver(command(g, userId, path, options, channelId));

/** An autocomplete interaction (type 4) for `path` with `focused` being typed. */
function typing(g: TestGuild, userId: string, path: string, focused: { name: string; value: string }, channelId = g.generalChannelId) {
  const spec = command(g, userId, path, [{ name: focused.name, type: T.String, value: focused.value, focused: true } as Opt], channelId);
  return deliver({ ...spec, type: 4 });
}
const choices = (d: Delivered) => (d.response as { data: { choices: { name: string; value: string }[] } }).data.choices;

/** `/tickets snippet set` answers with a form; this submits it. */
async function saveSnippet(g: TestGuild, userId: string, name: string, content: string): Promise<Delivered> {
  const form = await run(g, userId, 'tickets snippet set', [str('name', name)]);
  const modal = form.response as { type: number; data: { custom_id: string } };
  if (modal.type !== 9) return form;
  return deliver({
    type: 5,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: userId,
    data: { custom_id: modal.data.custom_id, components: [{ type: 1, components: [{ type: 4, custom_id: 'content', value: content }] }] },
  });
}

const threadMessages = async (g: TestGuild, channelId: string) => (await guildSnapshot(g.guildId)).messages[channelId] ?? [];

describe('saved replies (snippets)', () => {
  it('are made with a form, offered by autocomplete, and sent by /ticket reply with the placeholders filled', async () => {
    const g = await newGuild();
    expect(replyText(await saveSnippet(g, g.staffId, 'Welcome', 'Hi {user}, I am {staff}. Ticket {ticket}: {subject} ({severity}).'))).toBe(
      'Saved reply “Welcome” created. Send it in a ticket with /ticket reply.',
    );
    // A typo in a placeholder is refused when saved, and nothing is stored.
    expect(replyText(await saveSnippet(g, g.staffId, 'Typo', 'Hello {usr}'))).toMatch(/^\{usr\} is not a placeholder\. These are: \{user\}/);
    expect(replyText(await run(g, g.memberIds[1]!, 'tickets snippet set', [str('name', 'Mine')]))).toBe('Only support staff can manage saved replies.');
    expect(replyText(await run(g, g.staffId, 'tickets snippet list'))).toMatch(/^1 saved reply\. Placeholders: .*\n• \*\*Welcome\*\*: Hi \{user\}/);

    const opener = g.memberIds[0]!;
    const { id, ticket } = await openTicket(g, opener, { subject: 'Game crashes on launch', severity: 'high' });
    const thread = ticket.channelId!;
    const offered = await typing(g, g.staffId, 'ticket reply', { name: 'snippet', value: 'WEL' }, thread);
    expect(choices(offered).map((c) => c.value)).toEqual(['Welcome']);

    // The member cannot send staff replies, even in their own ticket.
    expect(replyText(await run(g, opener, 'ticket reply', [str('snippet', 'Welcome')], thread))).toBe('Only support staff can do this in a ticket.');
    expect(replyText(await run(g, g.staffId, 'ticket reply', [str('snippet', 'nope')], thread))).toMatch(/^There is no saved reply named “nope”/);

    const before = await lastSeq();
    expect(replyText(await run(g, g.staffId, 'ticket reply', [str('snippet', 'welcome')], thread))).toBe('Sent “Welcome” in ticket #1.');
    const post = await eventually(
      async () => (await simLog(before)).find((c) => c.method === 'POST' && c.path === `/channels/${thread}/messages`),
      8000,
      'reply posted',
    );
    const body = post.request as { content: string; allowed_mentions: { parse: string[]; users: string[] } };
    expect(body.content).toMatch(new RegExp(`^\\*\\*.+\\*\\* \\(staff\\): Hi <@${opener}>, I am .+\\. Ticket #1: Game crashes on launch \\(high\\)\\.$`));
    // The member is pinged by {user}; nobody else can be.
    expect(body.allowed_mentions).toEqual({ parse: [], users: [opener] });
    const view = (await ticketActor(env, id).view())!;
    expect(view.ticket.firstResponseAt).not.toBeNull();
    expect(view.transcript.at(-1)).toMatchObject({ kind: 'staff', authorId: g.staffId });

    // With anonymous replies, {staff} reads "Support team" too.
    await run(g, g.adminId, 'setup tickets', [role('staff_role', g.staffRoleId), bool('anonymous_staff', true)]);
    await saveSnippet(g, g.staffId, 'Bye', 'This was {staff}, signing off.');
    const again = await lastSeq();
    await run(g, g.staffId, 'ticket reply', [str('snippet', 'Bye')], thread);
    const anon = await eventually(
      async () => (await simLog(again)).find((c) => c.method === 'POST' && c.path === `/channels/${thread}/messages`),
      8000,
      'anonymous reply posted',
    );
    expect((anon.request as { content: string }).content).toBe('**Support team**: This was Support team, signing off.');

    // Editing keeps one snippet; removing takes it out of autocomplete.
    expect(replyText(await saveSnippet(g, g.staffId, 'WELCOME', 'Hello again {user.name}'))).toBe('Saved reply “Welcome” updated.');
    expect(replyText(await run(g, g.staffId, 'tickets snippet remove', [str('name', 'welcome')]))).toBe('Saved reply “Welcome” deleted.');
    expect(choices(await typing(g, g.staffId, 'ticket reply', { name: 'snippet', value: '' }, thread)).map((c) => c.value)).toEqual(['Bye']);
  });

  it('are offered to the inbox, and an inbox reply fills the same placeholders', async () => {
    const g = await newGuild();
    await saveSnippet(g, g.staffId, 'Ask logs', 'Could you send the crash log, {user.name}? — {staff}');
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    const tok = await signStaffToken('test-staff-link-secret', { guildId: g.guildId, userId: g.staffId, exp: Math.floor(Date.now() / 1000) + 3600 });
    const page = (await (await SELF.fetch(`http://guildkeep.test/api/tickets/${id}`, { headers: { Authorization: `Bearer ${tok}` } })).json()) as {
      snippets: { name: string; content: string }[];
    };
    expect(page.snippets.map((s) => s.name)).toEqual(['Ask logs']);
    const before = await lastSeq();
    const r = await SELF.fetch(`http://guildkeep.test/api/tickets/${id}/actions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'reply', text: page.snippets[0]!.content }),
    });
    expect(r.status).toBe(200);
    const post = await eventually(
      async () => (await simLog(before)).find((c) => c.method === 'POST' && c.path === `/channels/${ticket.channelId}/messages`),
      8000,
      'inbox reply posted',
    );
    const openerName = (await ticketActor(env, id).view())!.ticket.openerName;
    expect((post.request as { content: string }).content).toMatch(new RegExp(`Could you send the crash log, ${openerName}\\? — .+$`));
    expect((post.request as { content: string }).content).not.toContain('{');
  });
});

describe('tags', () => {
  it('are added and removed by staff, listed and filtered, offered by autocomplete, and exported', async () => {
    const g = await newGuild();
    const a = await openTicket(g, g.memberIds[0]!, { subject: 'Charged twice' });
    const b = await openTicket(g, g.memberIds[1]!, { subject: 'Crash', type: 'bug' });
    const inA = a.ticket.channelId!;
    expect(replyText(await run(g, g.staffId, 'ticket tag add', [str('tag', '  Refund ')], inA))).toBe('Ticket #1 is tagged `refund`.');
    expect(replyText(await run(g, g.staffId, 'ticket tag add', [str('tag', 'refund')], inA))).toBe(
      'Ticket #1 already has the tag “refund”. Nothing was changed.',
    );
    expect(replyText(await run(g, g.staffId, 'ticket tag add', [str('tag', 'vip')], inA))).toBe('Ticket #1 is tagged `refund` `vip`.');
    expect(replyText(await run(g, g.staffId, 'ticket tag add', [str('tag', 'no!')], inA))).toMatch(/^A tag has 1 to 24 letters/);
    expect(replyText(await run(g, g.memberIds[0]!, 'ticket tag add', [str('tag', 'mine')], inA))).toBe('Only support staff can do this in a ticket.');
    await run(g, g.staffId, 'ticket tag add', [str('tag', 'vip')], b.ticket.channelId!);

    // The index (and so lists, the inbox and exports) follows the ticket.
    const listed = replyText(await run(g, g.staffId, 'ticket list', [str('tag', 'refund')]));
    expect(listed).toMatch(/tagged “refund”/);
    expect(listed).toContain('#1');
    expect(listed).not.toMatch(/#2\b/);
    expect(choices(await typing(g, g.staffId, 'ticket tag add', { name: 'tag', value: 'v' }, inA)).map((c) => c.value)).toEqual(['v', 'vip']);
    expect(choices(await typing(g, g.staffId, 'ticket tag remove', { name: 'tag', value: '' }, inA)).map((c) => c.value)).toEqual(['refund', 'vip']);
    const rows = (await guildActor(env, g.guildId).inboxData()).tickets!;
    expect(rows.find((r) => r.number === 1)?.tags).toEqual(['refund', 'vip']);

    expect(replyText(await run(g, g.staffId, 'ticket tag remove', [str('tag', 'refund')], inA))).toBe('Ticket #1 is tagged `vip`.');
    expect(replyText(await run(g, g.staffId, 'ticket list', [str('tag', 'refund')]))).toMatch(/^No /);
    // The control message shows the tags.
    await eventually(
      async () => {
        const control = (await threadMessages(g, inA)).find((m) => m.id === a.ticket.controlMessageId);
        return control?.embeds?.[0]?.fields?.some((f) => f.name === 'Tags' && f.value === '`vip`');
      },
      8000,
      'control message shows the tag',
    );

    // The inbox can tag too (same rules, same version check).
    const tok = await signStaffToken('test-staff-link-secret', { guildId: g.guildId, userId: g.staffId, exp: Math.floor(Date.now() / 1000) + 3600 });
    const act = (body: unknown) =>
      SELF.fetch(`http://guildkeep.test/api/tickets/${b.id}/actions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const version = (await ticketActor(env, b.id).view())!.ticket.version;
    expect((await act({ kind: 'act', version, action: { kind: 'tag', tag: 'Needs Logs', on: true } })).status).toBe(200);
    const stale = await act({ kind: 'act', version, action: { kind: 'tag', tag: 'other', on: true } });
    expect(stale.status).toBe(409);
    await stale.body?.cancel();
    const badTag = await act({ kind: 'act', version: version + 1, action: { kind: 'tag', tag: '!!', on: true } });
    expect(badTag.status).toBe(400);
    await badTag.body?.cancel();
    await eventually(
      async () => (await guildActor(env, g.guildId).inboxData()).tickets!.find((r) => r.number === 2)?.tags.includes('needs logs'),
      8000,
      'index has the inbox tag',
    );

    const exported = await run(g, g.staffId, 'tickets export', [str('format', 'json')]);
    const original = await eventually(
      async () => (await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${exported.interaction.id}`)).original?.attachments?.[0],
      8000,
      'export file',
    );
    const records = JSON.parse(await (await fetch(original.url)).text()) as { number: number; tags: string[]; category: string | null }[];
    expect(records.map((r) => [r.number, r.tags, r.category])).toEqual([
      [1, ['vip'], null],
      [2, ['needs logs', 'vip'], null],
    ]);
  });
});

describe('transfer between categories', () => {
  async function categories(g: TestGuild) {
    const rest = new DiscordRest({ token: sim.botToken, apiBase: sim.apiBase });
    const billingRole = await rest.post<{ id: string }>(`/guilds/${g.guildId}/roles`, { body: { name: 'Billing team' } });
    const bugsRole = await rest.post<{ id: string }>(`/guilds/${g.guildId}/roles`, { body: { name: 'Bug team' } });
    const archive = await rest.post<{ id: string }>(`/guilds/${g.guildId}/channels`, { body: { name: 'Bug tickets', type: 4 } });
    if (!billingRole.ok || !bugsRole.ok || !archive.ok) throw new Error('setup failed');
    const panel = (options: Opt[]) => run(g, g.adminId, 'panel category add', options);
    await panel([
      str('name', 'Billing'),
      str('questions', 'Subject'),
      str('issue_type', 'billing'),
      role('staff_role', billingRole.value.id),
      str('first_response', '30m'),
      bool('hours', false),
    ]);
    await panel([
      str('name', 'Bugs'),
      str('questions', 'Subject'),
      str('issue_type', 'bug'),
      str('mode', 'channel'),
      { name: 'parent', type: T.Channel, value: archive.value.id },
      role('staff_role', bugsRole.value.id),
    ]);
    return { rest, billingRole: billingRole.value.id, bugsRole: bugsRole.value.id, bugParent: archive.value.id };
  }

  it('moves a thread ticket to a category: its team is told, claims start afresh, targets are the category’s', async () => {
    const g = await newGuild();
    const { rest, billingRole } = await categories(g);
    const { id, ticket } = await openTicket(g, g.memberIds[0]!, { subject: 'Charged twice', type: 'other', severity: 'low' });
    const thread = ticket.channelId!;
    await run(g, g.staffId, 'ticket claim', [], thread);
    expect(choices(await typing(g, g.staffId, 'ticket transfer', { name: 'category', value: 'bil' }, thread)).map((c) => c.value)).toEqual(['Billing']);
    expect(replyText(await run(g, g.staffId, 'ticket transfer', [str('category', 'Payments')], thread))).toBe(
      'There is no category named “Payments”. Categories: Billing, Bugs',
    );
    expect(replyText(await run(g, g.memberIds[0]!, 'ticket transfer', [str('category', 'Billing')], thread))).toBe(
      'Only support staff can do this in a ticket.',
    );

    const before = await lastSeq();
    expect(replyText(await run(g, g.staffId, 'ticket transfer', [str('category', 'billing')], thread))).toBe(
      'Ticket #1 is now in Billing. Its team has been told.',
    );
    const t = (await ticketActor(env, id).view())!.ticket;
    expect(t).toMatchObject({ status: 'open', assigneeId: null, issueType: 'billing', category: { name: 'Billing' } });
    // Low severity answers within 24 h by default; Billing's target is 30 minutes from the opening.
    expect(t.firstDueAt).toBe(t.createdAt + 30 * 60_000);
    const notice = await eventually(
      async () =>
        (await simLog(before)).find(
          (c) => c.method === 'POST' && c.path === `/channels/${thread}/messages` && String((c.request as { content?: string }).content).startsWith('↪️'),
        ),
      8000,
      'transfer notice',
    );
    expect(notice.request).toMatchObject({
      content: `↪️ Ticket #1 was transferred to **Billing** by ${t.lastChangedByName}. <@&${billingRole}> this ticket is yours now.`,
      allowed_mentions: { parse: [], roles: [billingRole] },
    });
    const row = (await guildActor(env, g.guildId).inboxData()).tickets!.find((r) => r.number === 1)!;
    expect(row).toMatchObject({ issueType: 'billing', categoryName: 'Billing', assigneeId: null });
    expect(replyText(await run(g, g.staffId, 'ticket transfer', [str('category', 'Billing')], thread))).toBe(
      'Ticket #1 is already in Billing. Nothing was changed.',
    );
    // The Billing team counts as staff in its category's tickets without the guild's staff role.
    const helper = g.memberIds[2]!;
    expect((await rest.patch(`/guilds/${g.guildId}/members/${helper}`, { body: { roles: [billingRole] } })).ok).toBe(true);
    expect(replyText(await run(g, helper, 'ticket tag add', [str('tag', 'refund')], thread))).toBe('Ticket #1 is tagged `refund`.');
  });

  it('moves a channel ticket: the new team gets the channel, the old one loses it, and it moves under the category’s parent', async () => {
    const g = await newGuild();
    const { rest, bugsRole, bugParent } = await categories(g);
    // Channel mode, and staff kept anonymous (the notice does not name who moved it).
    await run(g, g.adminId, 'setup tickets', [
      role('staff_role', g.staffRoleId),
      { name: 'category', type: T.Channel, value: g.ticketsCategoryId },
      bool('anonymous_staff', true),
    ]);
    const { id, ticket } = await openTicket(g, g.memberIds[0]!, { subject: 'Stuck in a wall' });
    const channelId = ticket.channelId!;
    const overwrites = async () =>
      (
        (await rest.get<{ permission_overwrites: { id: string }[]; parent_id: string }>(`/channels/${channelId}`)) as {
          ok: true;
          value: { permission_overwrites: { id: string }[]; parent_id: string };
        }
      ).value;
    expect((await overwrites()).permission_overwrites.map((o) => o.id)).toContain(g.staffRoleId);
    expect(replyText(await run(g, g.staffId, 'ticket transfer', [str('category', 'Bugs')], channelId))).toBe(
      'Ticket #1 is now in Bugs. Its team has been told.',
    );
    const moved = await eventually(
      async () => {
        const c = await overwrites();
        return c.parent_id === bugParent &&
          c.permission_overwrites.some((o) => o.id === bugsRole) &&
          !c.permission_overwrites.some((o) => o.id === g.staffRoleId)
          ? c
          : null;
      },
      8000,
      'channel moved and handed over',
    );
    expect(moved.permission_overwrites.map((o) => o.id)).toContain(g.memberIds[0]);
    await eventually(
      async () => (await threadMessages(g, channelId)).some((m) => m.content.startsWith('↪️ Ticket #1 was transferred to **Bugs** by Support team.')),
      8000,
      'notice',
    );
    expect((await ticketActor(env, id).view())!.side.skipped).toEqual([]);

    // A closed ticket stays where it is.
    await run(g, g.staffId, 'ticket status', [str('set', 'resolved')], channelId);
    expect(replyText(await run(g, g.staffId, 'ticket transfer', [str('category', 'Billing')], channelId))).toMatch(
      /^Ticket #1 is resolved\. Reopen it before transferring it\./,
    );
    await provisioned(id);
  });
});
