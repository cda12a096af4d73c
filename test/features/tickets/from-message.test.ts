import { type APIMessage, MessageType } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSource, FROM_MESSAGE_TRIAGE, SUBJECT_MAX, ticketTextOf } from '../../../src/features/tickets/from-message.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { now } from '../../../src/runtime/clock.ts';
import {
  deliver,
  env,
  eventually,
  guildSnapshot,
  messageCommand,
  newGuild,
  provisioned,
  replyText,
  simApi,
  slash,
  type TestGuild,
  uploadAttachment,
} from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';

/** A message by `userId` in the simulator (what a member or the bot wrote there). */
const say = (channelId: string, userId: string, content: string, attachments: string[] = []) =>
  simApi<APIMessage>(`/_sim/channels/${channelId}/messages`, { body: { user_id: userId, content, ...(attachments.length ? { attachments } : {}) } });

const reactions = (channelId: string, messageId: string) =>
  simApi<{ reactions: { emoji: { name: string }; user_ids: string[] }[] }>(`/_sim/channels/${channelId}/messages/${messageId}/reactions`);

/** The guild's tickets, as its index has them. */
const ticketCount = async (g: TestGuild) => (await guildActor(env, g.guildId).inboxData()).tickets!.length;

const setupStaff = (g: TestGuild) => deliver(slash(g, g.adminId, 'setup tickets', { staff_role: g.staffRoleId }));

describe('"Open ticket" from a message', () => {
  it('staff open a ticket for the author of a member’s message: thread, ✅ on the message, subject and description from it', async () => {
    const g = await newGuild();
    await setupStaff(g);
    const author = g.memberIds[0]!;
    const file = await uploadAttachment('crash.log', 'text/plain', 'stack trace');
    const msg = await say(g.supportChannelId, author, '  The game crashes at start  \nIt happens since the update. My mail is a@b.com', [file.id]);

    const d = await deliver(messageCommand(g, g.staffId, g.supportChannelId, msg.id));
    expect(d.response).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(replyText(d)).toMatch(/Ticket #1 opened \(other, medium\): “The game crashes at start”/);
    // Stored before the answer: the guild has it, with the author as its opener.
    const row = await guildActor(env, g.guildId).findTicket(`${g.guildId}-1`);
    expect(row).toMatchObject({ openerId: author, issueType: 'other', severity: 'medium', subject: 'The game crashes at start' });

    const ticket = await provisioned(`${g.guildId}-1`);
    expect(ticket.openerId).toBe(author);
    expect(ticket.description).toBe(
      [
        'The game crashes at start  \nIt happens since the update. My mail is [email]',
        '',
        'Attachments: crash.log',
        `Opened from this message: https://discord.com/channels/${g.guildId}/${g.supportChannelId}/${msg.id}`,
      ].join('\n'),
    );
    const snap = await guildSnapshot(g.guildId);
    const thread = snap.channels.find((c) => c.id === ticket.channelId)!;
    expect(thread).toMatchObject({ type: 12, parent_id: g.supportChannelId });
    expect(thread.thread_member_ids).toContain(author);
    await eventually(
      async () => (await reactions(g.supportChannelId, msg.id)).reactions.some((r) => r.emoji.name === '✅' && r.user_ids.includes(g.botUserId)),
      8000,
      'the ✅ on the message',
    );

    // The same message again (by anyone): the ticket it already started, nothing new.
    const again = await deliver(messageCommand(g, author, g.supportChannelId, msg.id));
    expect(replyText(again)).toBe(`A ticket was already opened from this message: #1 (<#${ticket.channelId}>). Nothing new was opened.`);
    expect(await ticketCount(g)).toBe(1);

    // The audit log names the menu command.
    const audit = await guildActor(env, g.guildId).auditLog(20);
    expect(audit.filter((e) => e.action === 'menu "Open ticket"').map((e) => e.outcome)).toEqual(expect.arrayContaining(['ok', 'refused:already']));
  });

  it('a member opens one from their own message, in their language; not from someone else’s', async () => {
    const g = await newGuild();
    const [a, b] = [g.memberIds[0]!, g.memberIds[1]!];
    const mine = await say(g.generalChannelId, a, 'Refund please');
    const theirs = await say(g.generalChannelId, b, 'I lost my items');

    const refused = await deliver(messageCommand(g, a, g.generalChannelId, theirs.id));
    expect(replyText(refused)).toBe('You can open a ticket from your own messages only. A staff member can open one from this message.');
    expect(refused.response).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(await ticketCount(g)).toBe(0);
    expect((await reactions(g.generalChannelId, theirs.id)).reactions).toEqual([]);

    const own = await deliver({ ...messageCommand(g, a, g.generalChannelId, mine.id), locale: 'de' });
    expect(replyText(own)).toMatch(/Ticket #1/);
    const ticket = await provisioned(`${g.guildId}-1`);
    expect(ticket).toMatchObject({ openerId: a, subject: 'Refund please', issueType: 'other', severity: 'medium' });
    // In German, the second use too.
    const de = await deliver({ ...messageCommand(g, a, g.generalChannelId, mine.id), locale: 'de' });
    expect(replyText(de)).toMatch(/^Aus dieser Nachricht wurde schon ein Ticket geöffnet: #1/);
  });

  it('refuses messages of bots, and authors the intake rules block, opening nothing', async () => {
    const g = await newGuild();
    await setupStaff(g);
    const fromBot = await say(g.supportChannelId, g.botUserId, 'Welcome to the server');
    expect(replyText(await deliver(messageCommand(g, g.staffId, g.supportChannelId, fromBot.id)))).toBe(
      'Tickets open from members’ messages, not from messages of bots or webhooks.',
    );

    const blocked = g.memberIds[2]!;
    const blockCmd = {
      type: 2 as const,
      guild_id: g.guildId,
      channel_id: g.supportChannelId,
      user_id: g.adminId,
      data: {
        name: 'setup',
        type: 1,
        options: [{ name: 'intake', type: 2, options: [{ name: 'block', type: 1, options: [{ name: 'target', type: 9, value: blocked }] }] }],
      },
    };
    await deliver(blockCmd);
    const msg = await say(g.supportChannelId, blocked, 'Please unban me');
    expect(replyText(await deliver(messageCommand(g, g.staffId, g.supportChannelId, msg.id)))).toBe(
      `<@${blocked}> is blocked from opening tickets (/setup intake). Nothing was opened.`,
    );
    expect(replyText(await deliver(messageCommand(g, blocked, g.supportChannelId, msg.id)))).toBe(
      'You can’t open tickets on this server. If you think this is a mistake, contact a moderator.',
    );
    expect(await ticketCount(g)).toBe(0);
    expect((await reactions(g.supportChannelId, msg.id)).reactions).toEqual([]);

    // An author who left: nobody to open it for (nor to add to a thread).
    const leaver = g.memberIds[3]!;
    const left = await say(g.supportChannelId, leaver, 'Goodbye, and my order is broken');
    await simApi(`/_sim/guilds/${g.guildId}/leave`, { body: { user_id: leaver } });
    expect(replyText(await deliver(messageCommand(g, g.staffId, g.supportChannelId, left.id)))).toBe(
      'The author of this message is not a member of this server any more, so no ticket was opened for them.',
    );
    expect(await ticketCount(g)).toBe(0);
  });
});

describe('"Open ticket" under concurrency and limits', () => {
  it('two uses on the same message at once (staff waiting on Discord for the author, the author not) open one ticket', async () => {
    const g = await newGuild();
    await setupStaff(g);
    const author = g.memberIds[0]!;
    const msg = await say(g.supportChannelId, author, 'Both of us at once');
    const answers = await Promise.all([
      deliver(messageCommand(g, g.staffId, g.supportChannelId, msg.id)),
      deliver(messageCommand(g, author, g.supportChannelId, msg.id)),
    ]);
    const texts = answers.map(replyText);
    expect(texts.filter((t) => /Ticket #1 opened/.test(t))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('A ticket was already opened from this message: #1'))).toHaveLength(1);
    expect(await ticketCount(g)).toBe(1);
    await provisioned(`${g.guildId}-1`);
  });

  it('tells staff when the author already has an open ticket of that type, and opens nothing', async () => {
    const g = await newGuild();
    await setupStaff(g);
    const author = g.memberIds[1]!;
    const first = await deliver(slash(g, author, 'ticket open', { issue_type: 'other', severity: 'low', subject: 'Earlier question' }));
    expect(replyText(first)).toMatch(/Ticket #1 opened/);
    const ticket = await provisioned(`${g.guildId}-1`);
    const msg = await say(g.generalChannelId, author, 'Another thing');
    expect(replyText(await deliver(messageCommand(g, g.staffId, g.generalChannelId, msg.id)))).toBe(
      `<@${author}> already has an open other ticket: <#${ticket.channelId}>. Nothing was opened.`,
    );
    expect(await ticketCount(g)).toBe(1);
  });
});

describe('"Open ticket" and support hours', () => {
  afterEach(() => resetClock());

  it('is refused outside support hours set to refuse, like /ticket open, and works inside them', async () => {
    const g = await newGuild();
    await setupStaff(g);
    advanceClock(Date.parse('2026-12-07T12:00:00Z') - now()); // Monday 07:00 in New York
    await deliver({
      type: 2,
      guild_id: g.guildId,
      channel_id: g.supportChannelId,
      user_id: g.adminId,
      data: {
        name: 'tickets',
        type: 1,
        options: [
          {
            name: 'hours',
            type: 2,
            options: [
              {
                name: 'set',
                type: 1,
                options: Object.entries({ timezone: 'America/New_York', days: 'mon-fri', from: '09:00', to: '17:00', outside: 'refuse' }).map(
                  ([name, value]) => ({ name, value, type: 3 }),
                ),
              },
            ],
          },
        ],
      },
    });
    const msg = await say(g.supportChannelId, g.memberIds[0]!, 'Early bird question');
    const opens = Date.parse('2026-12-07T14:00:00Z') / 1000;
    expect(replyText(await deliver(messageCommand(g, g.staffId, g.supportChannelId, msg.id)))).toBe(
      `Support is closed right now, so no ticket can be opened. It opens <t:${opens}:F> (<t:${opens}:R>); please come back then.`,
    );
    expect(await ticketCount(g)).toBe(0);
    advanceClock(Date.parse('2026-12-07T14:30:00Z') - now());
    expect(replyText(await deliver(messageCommand(g, g.staffId, g.supportChannelId, msg.id)))).toMatch(/Ticket #1 opened/);
  });
});

describe('the rules of a ticket from a message', () => {
  const base = {
    id: '1300000000000000001',
    channel_id: '1300000000000000002',
    type: MessageType.Default,
    content: 'x',
    author: { id: '1300000000000000003', username: 'm', discriminator: '0', global_name: null, avatar: null },
    attachments: [],
  } as unknown as APIMessage;

  it('only members’ own messages, or any member’s for staff; no system, bot or webhook messages', () => {
    const author = { userId: base.author.id, staff: false };
    expect(checkSource(base, author).ok).toBe(true);
    expect(checkSource({ ...base, type: MessageType.Reply }, author).ok).toBe(true);
    expect(checkSource(undefined, author)).toEqual({ ok: false, error: 'no-message' });
    expect(checkSource({ ...base, type: MessageType.UserJoin }, author)).toEqual({ ok: false, error: 'system' });
    expect(checkSource({ ...base, type: MessageType.ChannelPinnedMessage }, author)).toEqual({ ok: false, error: 'system' });
    expect(checkSource({ ...base, author: { ...base.author, bot: true } }, author)).toEqual({ ok: false, error: 'bot' });
    expect(checkSource({ ...base, webhook_id: '1' }, { userId: 'x', staff: true })).toEqual({ ok: false, error: 'bot' });
    expect(checkSource(base, { userId: 'other', staff: false })).toEqual({ ok: false, error: 'not-yours' });
    expect(checkSource(base, { userId: 'other', staff: true }).ok).toBe(true);
    expect(FROM_MESSAGE_TRIAGE).toEqual({ issueType: 'other', severity: 'medium' });
  });

  it('subject: the first line with text, cut to /ticket open’s limit; else the first file’s name, else a placeholder', () => {
    const long = 'é'.repeat(150);
    expect(ticketTextOf({ ...base, content: `\n\n  ${long}\nmore` }, 'g', 'en').subject).toBe('é'.repeat(SUBJECT_MAX));
    const withFile = { ...base, content: '', attachments: [{ filename: 'shot.png' }, { filename: 'b.txt' }] } as unknown as APIMessage;
    const t = ticketTextOf(withFile, 'g', 'en');
    expect(t.subject).toBe('shot.png');
    expect(t.description).toBe(`Attachments: shot.png, b.txt\nOpened from this message: https://discord.com/channels/g/${base.channel_id}/${base.id}`);
    expect(ticketTextOf({ ...base, content: ' ' }, 'g', 'fr').subject).toBe('Message sans texte');
    // Never a half of a character made of two UTF-16 units.
    expect([...ticketTextOf({ ...base, content: '🎫'.repeat(120) }, 'g', 'en').subject]).toHaveLength(SUBJECT_MAX);
  });
});
