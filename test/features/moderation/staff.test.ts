import type { APIActionRowComponent, APIButtonComponentWithCustomId } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { deliver, eventually, originalMessageId, press, replyText, simApi } from '../../helpers.ts';
import { dmsOf, findPost, int, messagesIn, modCalls, moderationView, modGuild, run, setUpModeration, str, timedOut, user } from './helpers.ts';

const KICK = 'DELETE /guilds/{guild_id}/members/{user_id}';

describe('staff commands: permission and hierarchy refusals, word for word', () => {
  it('refuses without the permission, against equal or higher roles, the owner, the bot, oneself and non-members', async () => {
    const g = await modGuild();
    const [m] = g.memberIds;
    const say = async (by: string, path: string, opts: Parameters<typeof run>[3]) => replyText(await run(g, by, path, opts));
    expect(await say(g.staffId, 'kick', [user('member', m!)])).toBe('You need the Kick Members permission to kick members.');
    expect(await say(g.memberIds[1]!, 'warn', [user('member', m!), str('reason', 'x')])).toBe('You need the Timeout Members permission to warn members.');
    expect(await say(g.staffId, 'warn', [user('member', g.adminId), str('reason', 'x')])).toBe(`<@${g.adminId}>'s highest role is above or equal to yours.`);
    expect(await say(g.staffId, 'warn', [user('member', g.staffId), str('reason', 'x')])).toBe('You cannot warn yourself.');
    expect(await say(g.adminId, 'kick', [user('member', g.ownerId)])).toBe('You cannot kick the server owner.');
    expect(await say(g.adminId, 'warn', [user('member', g.botUserId), str('reason', 'x')])).toBe('I cannot warn myself.');
    expect(await say(g.ownerId, 'ban', [user('member', g.adminId)])).toBe(
      `My highest role is below or equal to <@${g.adminId}>'s highest role; move my role above it.`,
    );
    expect(await say(g.staffId, 'timeout', [user('member', m!), str('duration', '30d')])).toBe('A timeout can last at most 28 days (asked: 30 days).');
    expect(await say(g.staffId, 'timeout', [user('member', m!), str('duration', 'soon')])).toBe('"soon" is not a duration; write it like 10m, 1h30m or 2d.');
    expect(await say(g.memberIds[1]!, 'infractions', [user('member', m!)])).toBe('You need the Timeout Members permission to view infractions.');
    await simApi(`/_sim/guilds/${g.guildId}/leave`, { body: { user_id: g.memberIds[2] } });
    expect(await say(g.adminId, 'kick', [user('member', g.memberIds[2]!)])).toBe(`<@${g.memberIds[2]}> is not a member of this server.`);
    // Without Administrator on its role, the bot needs each permission itself.
    await simApi(`/_sim/guilds/${g.guildId}/roles/${g.botRoleId}`, { body: { permissions: String(1n << 10n) } });
    expect(await say(g.adminId, 'kick', [user('member', m!)])).toBe(
      'I need the Kick Members permission to kick members; ask an administrator to grant it to my role.',
    );
    expect((await modCalls(g)).filter((c) => c.route === KICK)).toEqual([]);
  });
});

describe("a moderator's own actions execute at once", () => {
  it('kick, ban and unban: the member is told first, Discord gets the reason, the mod log gets the case', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    const [a, b] = g.memberIds;
    expect(replyText(await run(g, g.adminId, 'kick', [user('member', a!), str('reason', 'spamming trade offers')]))).toBe(
      `Kicked <@${a}> (case #1) (member notified by DM).`,
    );
    expect((await moderationView(g)).members.some((x) => x.user_id === a)).toBe(false);
    expect((await dmsOf(a!)).messages.at(-1)!.content).toContain('You were kicked in **Guildkeep Demo**.\nReason: spamming trade offers');
    const kick = (await modCalls(g)).find((c) => c.route === KICK)!;
    expect(kick.auditLogReason).toBe('case #1: spamming trade offers');
    const log = await findPost(g, g.supportChannelId, 'Case #1 · Kick');
    expect(log.embeds[0]!.fields).toEqual(
      expect.arrayContaining([
        { name: 'By', value: `<@${g.adminId}>`, inline: true },
        { name: 'Reason', value: 'spamming trade offers' },
      ]),
    );

    expect(replyText(await run(g, g.adminId, 'ban', [user('member', b!), str('reason', 'scam links'), str('delete_messages', '1d')]))).toBe(
      `Banned <@${b}> (case #2) (member notified by DM).`,
    );
    expect((await moderationView(g)).bans).toEqual([{ user_id: b, reason: 'case #2: scam links' }]);
    const banDm = (await dmsOf(b!)).messages.at(-1)!;
    expect(banDm.content).toMatch(
      new RegExp(`press \\*\\*Appeal\\*\\*, or use this form: http://guildkeep\\.test/appeal/${g.guildId}/2#[\\w-]+\\.[0-9a-f]{64}$`),
    );
    expect(replyText(await run(g, g.adminId, 'unban', [user('member', b!)]))).toBe(`Unbanned <@${b}> (case #3).`);
    expect((await moderationView(g)).bans).toEqual([]);
  });

  it('timeout and lifting it', async () => {
    const g = await modGuild();
    const m = g.memberIds[0]!;
    expect(replyText(await run(g, g.staffId, 'timeout', [user('member', m), str('duration', '1h30m'), str('reason', 'cool down')]))).toBe(
      `Timed out <@${m}> for 1 hour 30 minutes (case #1) (member notified by DM).`,
    );
    expect(await timedOut(g, m)).toBe(true);
    expect(replyText(await run(g, g.staffId, 'timeout', [user('member', m), str('duration', 'off')]))).toBe(`Lifted the timeout of <@${m}> (case #2).`);
    expect(await timedOut(g, m)).toBe(false);
  });
});

describe('warnings, the escalation ladder, /infractions and /pardon', () => {
  it('the default ladder: the third warning in a day brings a 10-minute timeout', async () => {
    const g = await modGuild();
    const m = g.memberIds[0]!;
    for (let n = 1; n <= 2; n++) {
      expect(replyText(await run(g, g.staffId, 'warn', [user('member', m), str('reason', `rude #${n}`)]))).toBe(
        `Warned <@${m}> (case #${n}, infraction #${n}).`,
      );
    }
    expect(await timedOut(g, m)).toBe(false);
    expect(replyText(await run(g, g.staffId, 'warn', [user('member', m), str('reason', 'rude #3')]))).toBe(
      `Warned <@${m}> (case #3, infraction #3). The ladder applies: 3 infractions in 1 day → timeout for 10 minutes.`,
    );
    await eventually(() => timedOut(g, m), 8000, 'ladder timeout');
    const dm = await eventually(async () => (await dmsOf(m)).messages.find((x) => x.content.startsWith('You were timed out')), 8000, 'timeout DM');
    expect(dm.content).toContain('for 10 minutes');
  });

  it('a custom ladder ends in a kick that waits in the mod queue (automation never kicks by itself)', async () => {
    const g = await modGuild();
    await setUpModeration(g, [str('ladder', '2/1h:timeout 5m, 3/1h:kick')]);
    expect(replyText(await run(g, g.adminId, 'modconfig', [str('ladder', '2/1h:ban')]))).toBe(
      'The ladder was not changed: ladder[0].action: ban is never automatic; use kick as the last step',
    );
    const m = g.memberIds[0]!;
    await run(g, g.staffId, 'warn', [user('member', m), str('reason', 'one')]);
    expect(replyText(await run(g, g.staffId, 'warn', [user('member', m), str('reason', 'two')]))).toContain(
      'The ladder applies: 2 infractions in 1 hour → timeout for 5 minutes.',
    );
    expect(replyText(await run(g, g.staffId, 'warn', [user('member', m), str('reason', 'three')]))).toContain(
      'The ladder applies: 3 infractions in 1 hour → kick (waiting in the mod queue).',
    );
    const queued = await findPost(g, g.supportChannelId, 'Approval #1 · Kick');
    expect(queued.embeds[0]!.description).toContain('Asked by escalation ladder step 2.');
    expect((await modCalls(g)).filter((c) => c.route === KICK)).toEqual([]);
    expect((await moderationView(g)).members.some((x) => x.user_id === m)).toBe(true);
  });

  it('/infractions lists the record; /pardon forgives one once, and it stops counting', async () => {
    const g = await modGuild();
    const m = g.memberIds[0]!;
    await run(g, g.staffId, 'warn', [user('member', m), str('reason', 'first')]);
    await run(g, g.staffId, 'warn', [user('member', m), str('reason', 'second')]);
    expect(replyText(await run(g, g.staffId, 'infractions', [user('member', m)]))).toMatch(
      new RegExp(
        `^<@${m}>: 2 infractions, 2 counting in the last 1 day\\.\\n#2 <t:\\d+:R> by <@${g.staffId}>: second\\n#1 <t:\\d+:R> by <@${g.staffId}>: first$`,
      ),
    );
    expect(replyText(await run(g, g.staffId, 'pardon', [user('member', m), int('infraction', 1), str('reason', 'misunderstanding')]))).toBe(
      `Pardoned infraction #1 of <@${m}> (case #3); it no longer counts.`,
    );
    expect(replyText(await run(g, g.staffId, 'pardon', [user('member', m), int('infraction', 1)]))).toMatch(
      new RegExp(`^Infraction #1 was already pardoned by <@${g.staffId}> <t:\\d+:R>\\.$`),
    );
    expect(replyText(await run(g, g.staffId, 'pardon', [user('member', m), int('infraction', 9)]))).toBe(`<@${m}> has no infraction #9.`);
    expect(replyText(await run(g, g.staffId, 'infractions', [user('member', m)]))).toContain('2 infractions, 1 counting');
  });
});

describe('/purge', () => {
  it('deletes up to 20 at once, asks above 20, and a confirmed purge bulk-deletes', async () => {
    const g = await modGuild();
    const posted: string[] = [];
    for (let n = 0; n < 30; n++)
      posted.push(
        (await simApi<{ id: string }>(`/_sim/channels/${g.generalChannelId}/messages`, { body: { user_id: g.memberIds[n % 3], content: `msg ${n}` } })).id,
      );
    expect(replyText(await run(g, g.staffId, 'purge', [int('count', 3)]))).toBe('Deleted 3 messages. (case #1)');
    expect((await messagesIn(g, g.generalChannelId)).map((x) => x.id)).toEqual(posted.slice(0, 27));

    const ask = await run(g, g.staffId, 'purge', [int('count', 25)]);
    expect(replyText(ask)).toBe('Delete the last 25 messages in this channel? This cannot be undone.');
    const row = (ask.response as { data: { components: APIActionRowComponent<APIButtonComponentWithCustomId>[] } }).data.components[0]!;
    expect(row.components.map((b) => b.label)).toEqual(['Delete 25 messages', 'Cancel']);
    const askId = await originalMessageId(ask.interaction.id);
    const cancel = await deliver(press(g, g.staffId, row.components[1]!.custom_id, g.generalChannelId, askId));
    expect(replyText(cancel)).toBe('Purge cancelled; nothing was deleted.');
    expect(await messagesIn(g, g.generalChannelId)).toHaveLength(27);

    // Pressed by someone without Manage Messages: refused, nothing deleted.
    const other = await deliver(press(g, g.memberIds[0]!, row.components[0]!.custom_id, g.generalChannelId, askId));
    expect(replyText(other)).toBe('You need the Manage Messages permission to purge messages.');
    const confirmed = await deliver(press(g, g.staffId, row.components[0]!.custom_id, g.generalChannelId, askId));
    expect(replyText(confirmed)).toBe('Deleted 25 messages. (case #2)');
    expect((await messagesIn(g, g.generalChannelId)).map((x) => x.id)).toEqual(posted.slice(0, 2));
    expect((await modCalls(g)).filter((c) => c.route === 'POST /channels/{channel_id}/messages/bulk-delete').map((c) => c.status)).toEqual([204, 204]);
  });
});
