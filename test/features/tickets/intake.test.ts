import type { APIMessage } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { checkIntake, DEFAULT_INTAKE, matchesKeyword, parseKeywords } from '../../../src/features/tickets/intake/rules.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import {
  buttons,
  type Delivered,
  deliver,
  env,
  eventually,
  guildSnapshot,
  type InteractionSpec,
  newGuild,
  originalMessageId,
  press,
  replyText,
  simApi,
  slash,
  type TestGuild,
} from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { addEntry, buttonsOf, KNOWLEDGE } from '../faq/support.ts';

afterEach(() => resetClock());

const MIN = 60_000;

/** /setup intake <sub>; `target` is sent as a MENTIONABLE option (type 9), a member's or a role's id. */
function intake(
  g: TestGuild,
  userId: string,
  sub: string,
  options: { target?: string; duration?: string; channel?: string; keywords?: string } = {},
): InteractionSpec {
  const leaf = [
    ...(options.target ? [{ name: 'target', type: 9, value: options.target }] : []),
    ...(options.duration !== undefined ? [{ name: 'duration', type: 3, value: options.duration }] : []),
    ...(options.channel ? [{ name: 'channel', type: 7, value: options.channel }] : []),
    ...(options.keywords !== undefined ? [{ name: 'keywords', type: 3, value: options.keywords }] : []),
  ];
  return {
    type: 2,
    guild_id: g.guildId,
    channel_id: g.supportChannelId,
    user_id: userId,
    data: { name: 'setup', type: 1, options: [{ name: 'intake', type: 2, options: [{ name: sub, type: 1, options: leaf }] }] },
  };
}

const open = (g: TestGuild, userId: string, type = 'crash') =>
  deliver(slash(g, userId, 'ticket open', { issue_type: type, severity: 'high', subject: 'Game crashes on launch' }));
const opened = (d: Delivered) => /Ticket #\d+ opened/.test(replyText(d));

/** The details form of /ticket open, submitted. */
const submitForm = (g: TestGuild, userId: string, type = 'bug') =>
  deliver({
    type: 5,
    guild_id: g.guildId,
    channel_id: g.supportChannelId,
    user_id: userId,
    data: {
      custom_id: `ticket:details:${g.guildId}:${type}.low`,
      components: [{ type: 1, components: [{ type: 4, custom_id: 'subject', value: 'Texture flicker' }] }],
    },
  });

describe('intake rules (pure)', () => {
  const member = { userId: 'u1', roles: ['r1'] };
  it('blocks by member or role, allowlists by member or role, and the block wins', () => {
    expect(checkIntake(DEFAULT_INTAKE, member, null, 0).ok).toBe(true);
    expect(checkIntake({ ...DEFAULT_INTAKE, blockUsers: ['u1'] }, member, null, 0)).toEqual({ ok: false, error: { code: 'blocked' } });
    expect(checkIntake({ ...DEFAULT_INTAKE, blockRoles: ['r1'] }, member, null, 0)).toEqual({ ok: false, error: { code: 'blocked' } });
    expect(checkIntake({ ...DEFAULT_INTAKE, allowRoles: ['r2'] }, member, null, 0)).toEqual({ ok: false, error: { code: 'not-allowed' } });
    expect(checkIntake({ ...DEFAULT_INTAKE, allowRoles: ['r1'] }, member, null, 0).ok).toBe(true);
    expect(checkIntake({ ...DEFAULT_INTAKE, allowUsers: ['u1'] }, member, null, 0).ok).toBe(true);
    expect(checkIntake({ ...DEFAULT_INTAKE, allowUsers: ['u1'], blockRoles: ['r1'] }, member, null, 0)).toEqual({ ok: false, error: { code: 'blocked' } });
  });
  it('counts the cooldown from the last open', () => {
    const rules = { ...DEFAULT_INTAKE, cooldownMin: 30 };
    expect(checkIntake(rules, member, 1_000, 1_000 + 29 * MIN)).toEqual({ ok: false, error: { code: 'cooldown', until: 1_000 + 30 * MIN } });
    expect(checkIntake(rules, member, 1_000, 1_000 + 30 * MIN).ok).toBe(true);
    expect(checkIntake({ ...rules, cooldownMin: 0 }, member, 1_000, 1_001).ok).toBe(true);
  });
});

describe('/setup intake through real interactions', () => {
  it('only administrators change the rules; bad input is refused and changes nothing', async () => {
    const g = await newGuild();
    expect(replyText(await deliver(intake(g, g.memberIds[0]!, 'block', { target: g.memberIds[1]! })))).toBe(
      'Only administrators can change who may open tickets.',
    );
    expect(replyText(await deliver(intake(g, g.adminId, 'cooldown', { duration: 'soon' })))).toBe(
      '“soon” is not a duration. Write it like 30m, 2h or 1d, or 0 to turn the cooldown off. Nothing was changed.',
    );
    expect(replyText(await deliver(intake(g, g.adminId, 'unblock', { target: g.memberIds[1]! })))).toBe(
      `<@${g.memberIds[1]}> is not on the blocklist. Nothing was changed.`,
    );
    expect(replyText(await deliver(intake(g, g.adminId, 'show')))).toBe(
      ['Everyone may open tickets (no allowlist).', 'Blocked: nobody', 'No cooldown between tickets.'].join('\n'),
    );
  });

  it('refuses a blocked member and a blocked role at /ticket open and at the form, until unblocked', async () => {
    const g = await newGuild();
    const m = g.memberIds[0]!;
    const blocked = await deliver(intake(g, g.adminId, 'block', { target: m }));
    expect(replyText(blocked)).toBe(
      [`<@${m}> is on the blocklist now.`, 'Everyone may open tickets (no allowlist).', `Blocked: <@${m}>`, 'No cooldown between tickets.'].join('\n'),
    );
    expect(replyText(await deliver(intake(g, g.adminId, 'block', { target: m })))).toBe(`<@${m}> is already on the blocklist. Nothing was changed.`);
    const refusedText = 'You can’t open tickets on this server. If you think this is a mistake, contact a moderator.';
    expect(replyText(await open(g, m))).toBe(refusedText);
    // Refused before the form is shown, and at the form too (a form already open when the block came).
    expect(replyText(await deliver(slash(g, m, 'ticket open', { issue_type: 'bug', severity: 'low' })))).toBe(refusedText);
    expect(replyText(await submitForm(g, m))).toBe(refusedText);

    // A role: the staff role blocks the staff member.
    await deliver(intake(g, g.adminId, 'block', { target: g.staffRoleId }));
    expect(replyText(await open(g, g.staffId))).toBe(refusedText);
    expect(opened(await open(g, g.memberIds[1]!))).toBe(true);

    await deliver(intake(g, g.adminId, 'unblock', { target: m }));
    expect(opened(await open(g, m))).toBe(true);
  });

  it('with an allowlist only listed members and roles open tickets', async () => {
    const g = await newGuild();
    const listed = await deliver(intake(g, g.adminId, 'allow', { target: g.staffRoleId }));
    expect(replyText(listed)).toContain(`Only these may open tickets: <@&${g.staffRoleId}>`);
    const notAllowed = 'Only some members and roles can open tickets on this server, and you are not among them.';
    expect(replyText(await open(g, g.memberIds[0]!))).toBe(notAllowed);
    expect(replyText(await submitForm(g, g.memberIds[0]!))).toBe(notAllowed);
    expect(opened(await open(g, g.staffId))).toBe(true);
    await deliver(intake(g, g.adminId, 'allow', { target: g.memberIds[0]! }));
    expect(opened(await open(g, g.memberIds[0]!))).toBe(true);
    await deliver(intake(g, g.adminId, 'unallow', { target: g.memberIds[0]! }));
    await deliver(intake(g, g.adminId, 'unallow', { target: g.staffRoleId }));
    expect(opened(await open(g, g.memberIds[1]!))).toBe(true);
  });

  it('makes a member wait the cooldown between two opens (any type), told when as a Discord timestamp', async () => {
    const g = await newGuild();
    const m = g.memberIds[0]!;
    expect(replyText(await deliver(intake(g, g.adminId, 'cooldown', { duration: '2h' })))).toBe('A member waits 2h between two tickets.');
    const first = await open(g, m, 'crash');
    expect(opened(first)).toBe(true);
    advanceClock(90 * MIN);
    const again = await open(g, m, 'billing');
    const at = /<t:(\d+):R>/.exec(replyText(again))?.[1];
    expect(replyText(again)).toBe(`You opened a ticket a moment ago. You can open another <t:${at}:R> (<t:${at}:f>).`);
    expect(replyText(await submitForm(g, m))).toBe(replyText(again));
    // Another member is not held back.
    expect(opened(await open(g, g.memberIds[1]!, 'billing'))).toBe(true);
    advanceClock(30 * MIN);
    expect(opened(await open(g, m, 'billing'))).toBe(true);
    expect(replyText(await deliver(intake(g, g.adminId, 'cooldown', { duration: '0' })))).toBe('No cooldown between tickets.');
    expect(opened(await open(g, m, 'bug'))).toBe(true);
  });

  it('the FAQ’s "Open the ticket anyway" respects a block that came after the suggestion', async () => {
    const g = await newGuild();
    for (const e of KNOWLEDGE) await addEntry(g, e);
    const m = g.memberIds[1]!;
    const suggested = await deliver({
      type: 5,
      guild_id: g.guildId,
      channel_id: g.supportChannelId,
      user_id: m,
      data: {
        custom_id: `ticket:details:${g.guildId}:login.low`,
        components: [{ type: 1, components: [{ type: 4, custom_id: 'subject', value: 'Forgot my password' }] }],
      },
    });
    expect(replyText(suggested)).toMatch(/^Before the ticket is opened/);
    const msg = await originalMessageId(suggested.interaction.id);
    const anyway = buttonsOf(suggested)[1]!.custom_id;
    await deliver(intake(g, g.adminId, 'block', { target: m }));
    expect(replyText(await deliver(press(g, m, anyway, g.supportChannelId, msg)))).toBe(
      'You can’t open tickets on this server. If you think this is a mistake, contact a moderator.',
    );
    await deliver(intake(g, g.adminId, 'unblock', { target: m }));
    expect(opened(await deliver(press(g, m, anyway, g.supportChannelId, msg)))).toBe(true);
  });
});

describe('keyword suggestions in help channels', () => {
  it('reads keywords as whole words, ignoring case', () => {
    expect(parseKeywords(' Crash, refund ,,crash')).toEqual({ ok: true, value: ['crash', 'refund'] });
    expect(parseKeywords(Array.from({ length: 21 }, (_, i) => `w${i}`).join(','))).toEqual({ ok: false, error: 'too-many' });
    expect(matchesKeyword(['crash', 'log in'], 'My game CRASHES')).toBe(false);
    expect(matchesKeyword(['crash', 'log in'], 'it crash, again')).toBe(true);
    expect(matchesKeyword(['crash', 'log in'], 'I cannot log  in!')).toBe(true);
  });

  it('suggests a ticket once per member per hour, and its button opens /ticket open’s form', async () => {
    const g = await newGuild();
    const help = g.generalChannelId;
    expect(
      replyText(
        await deliver(
          intake(g, g.adminId, 'suggest', {
            channel: help,
            keywords: Array(21)
              .fill('x')
              .map((x, i) => x + i)
              .join(','),
          }),
        ),
      ),
    ).toBe('Give at most 20 comma-separated keywords of at most 40 characters each. Nothing was changed.');
    const saved = await deliver(intake(g, g.adminId, 'suggest', { channel: help, keywords: 'crash, refund' }));
    expect(replyText(saved)).toContain(`Member messages in <#${help}> with these keywords get a suggestion`);
    expect(replyText(saved)).toContain(`Suggests a ticket in <#${help}> on: crash, refund`);

    const guild = guildActor(env, g.guildId);
    let seq = 0;
    /** A member's message, posted in the simulator and delivered to the guild as its gateway event. */
    const say = async (userId: string, content: string) => {
      const m = await simApi<APIMessage>(`/_sim/channels/${help}/messages`, { body: { user_id: userId, content } });
      await guild.applyEvents(0, 'sess-suggest', [{ s: ++seq, t: 'MESSAGE_CREATE', d: { ...m, guild_id: g.guildId } }]);
      return m;
    };
    const suggestions = async () =>
      ((await guildSnapshot(g.guildId)).messages[help] ?? []).filter(
        (m) => m.author.id === g.botUserId && m.content.startsWith('Looks like a support question'),
      );

    const [a, b] = [g.memberIds[0]!, g.memberIds[1]!];
    const first = await say(a, 'my game crash on start');
    const [s1] = await eventually(async () => ((await suggestions()).length === 1 ? suggestions() : null), 8000, 'first suggestion');
    expect(s1!.content).toBe('Looks like a support question — open a ticket?');
    expect(s1!.message_reference?.message_id).toBe(first.id);
    await say(a, 'no keyword here');
    await say(a, 'refund please');
    await say(b, 'refund please');
    await eventually(async () => (await suggestions()).length === 2, 8000, 'the other member’s suggestion');
    // 59 minutes on, still none for the first member (the third member's message shows the events were handled).
    advanceClock(59 * MIN);
    const early = await say(a, 'crash again');
    const c = await say(g.memberIds[2]!, 'crash too');
    await eventually(async () => (await suggestions()).length === 3, 8000, 'the third member’s suggestion');
    expect((await suggestions()).map((m) => m.message_reference?.message_id)).not.toContain(early.id);
    expect((await suggestions()).at(-1)!.message_reference?.message_id).toBe(c.id);
    advanceClock(2 * MIN);
    const later = await say(a, 'crash again');
    await eventually(async () => (await suggestions()).length === 4, 8000, 'a suggestion an hour later');
    expect((await suggestions()).at(-1)!.message_reference?.message_id).toBe(later.id);

    // The button: /ticket open's form; a blocked member is told why instead.
    const button = buttons(s1!)[0]!.custom_id;
    const form = await deliver(press(g, a, button, help, s1!.id));
    expect(form.response).toMatchObject({ type: 9, data: { custom_id: `ticket:details:${g.guildId}:other.medium` } });
    // The ticket opened from that form is acknowledged with ✅ on the member's message.
    const submitted = await deliver({
      type: 5,
      guild_id: g.guildId,
      channel_id: help,
      user_id: a,
      data: {
        custom_id: `ticket:details:${g.guildId}:other.medium`,
        components: [{ type: 1, components: [{ type: 4, custom_id: 'subject', value: 'Crash on start' }] }],
      },
    });
    expect(opened(submitted)).toBe(true);
    const reactions = () => simApi<{ reactions: { emoji: { name: string }; user_ids: string[] }[] }>(`/_sim/channels/${help}/messages/${first.id}/reactions`);
    await eventually(async () => (await reactions()).reactions.some((r) => r.emoji.name === '✅' && r.user_ids.includes(g.botUserId)), 8000, 'the ✅');
    await deliver(intake(g, g.adminId, 'block', { target: b }));
    expect(replyText(await deliver(press(g, b, button, help, s1!.id)))).toBe(
      'You can’t open tickets on this server. If you think this is a mistake, contact a moderator.',
    );
    expect(replyText(await deliver(intake(g, g.adminId, 'suggest', { channel: help })))).toMatch(new RegExp(`^<#${help}> no longer suggests tickets.`));
  });
});
