import { afterEach, describe, expect, it } from 'vitest';
import { deliver, eventually, newGuild, replyText, simApi, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { bool, channel, command, fixedXp, int, messagesIn, role, roleAt, rolesOf, run, runOk, say, str, user } from './support.ts';

afterEach(() => resetClock());

/** A role at `position` (the bot's own role sits at 2 in the simulator's guilds). */
const setXp = (g: TestGuild, userId: string, amount: number) => runOk(g, 'xp set', [user('member', userId), int('amount', amount)]);

describe('level-up messages', () => {
  it('announces in the channel the member wrote in, in the catalog’s words, once per level reached', async () => {
    const g = await newGuild();
    const a = g.memberIds[0]!;
    await fixedXp(g, 100, 0);
    await say(g, a);
    const msg = await eventually(async () => (await messagesIn(g, g.generalChannelId)).find((m) => m.content.includes('reached level 1')), 8000, 'level-up');
    expect(msg.content).toBe(`🎉 <@${a}> reached level 1!`);
    expect(msg.author.id).toBe(g.botUserId);
    await say(g, a);
    const after = (await messagesIn(g, g.generalChannelId)).filter((m) => m.author.id === g.botUserId && m.content.includes('reached level'));
    expect(after).toHaveLength(1);
  });

  it('uses the guild’s own text with placeholders, in a chosen channel', async () => {
    const g = await newGuild();
    const a = g.memberIds[0]!;
    const text = await runOk(g, 'levels config', [
      str('message', 'GG {user} — {name} is level {level} with {xp} XP on {server}!'),
      channel('announce_channel', g.supportChannelId),
      int('xp_min', 300),
      int('xp_max', 300),
    ]);
    expect(text).toContain('GG {user}');
    await say(g, a);
    const msg = await eventually(async () => (await messagesIn(g, g.supportChannelId)).find((m) => m.content.startsWith('GG')), 8000, 'custom level-up');
    expect(msg.content).toMatch(new RegExp(`^GG <@${a}> — \\S.* is level 2 with 300 XP on \\S.*!$`));
    expect(msg.content).not.toContain('{');
  });

  it('goes by DM when asked, and nowhere when off', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    await runOk(g, 'levels config', [str('announce', 'dm'), int('xp_min', 100), int('xp_max', 100)]);
    await say(g, a);
    const dm = await eventually(
      async () => (await simApi<{ messages: { content: string }[] }>(`/_sim/users/${a}/dms`)).messages.find((m) => m.content.includes('level 1')),
      8000,
      'DM',
    );
    expect(dm.content).toContain(`<@${a}>`);
    await runOk(g, 'levels config', [str('announce', 'off')]);
    await say(g, b);
    await new Promise((r) => setTimeout(r, 300));
    expect((await messagesIn(g, g.generalChannelId)).filter((m) => m.content.includes('reached level'))).toHaveLength(0);
  });
});

describe('reward roles', () => {
  it('stacking keeps the lower rewards; replacing swaps them', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    await runOk(g, 'levels config', [str('announce', 'off')]);
    const r1 = await roleAt(g, 'Level 1', 1);
    const r2 = await roleAt(g, 'Level 2', 1);
    expect(await runOk(g, 'levels reward add', [int('level', 1), role('role', r1)])).toBe(`Level 1 now gives <@&${r1}>.`);
    expect(await runOk(g, 'levels reward add', [int('level', 2), role('role', r2)])).toBe(`Level 2 now gives <@&${r2}>.`);
    await setXp(g, a, 100);
    await eventually(async () => (await rolesOf(g, a)).includes(r1), 8000, 'level 1 role');
    await setXp(g, a, 255);
    await eventually(async () => (await rolesOf(g, a)).includes(r2), 8000, 'level 2 role');
    expect(await rolesOf(g, a)).toEqual(expect.arrayContaining([r1, r2]));

    expect(await runOk(g, 'levels config', [bool('stack', false)])).toContain('stack reward roles: no');
    expect(await runOk(g, 'levels reward list')).toContain('replaces the lower ones');
    await setXp(g, b, 100);
    await eventually(async () => (await rolesOf(g, b)).includes(r1), 8000, 'level 1 role');
    await setXp(g, b, 300);
    await eventually(
      async () => {
        const roles = await rolesOf(g, b);
        return roles.includes(r2) && !roles.includes(r1);
      },
      8000,
      'level 2 role replacing level 1',
    );
  });

  it('refuses a reward role above the bot’s, and tells admins exactly why when a role moved out of reach later', async () => {
    const g = await newGuild();
    const a = g.memberIds[0]!;
    const high = await roleAt(g, 'Too high', 9);
    const refused = await run(g, g.adminId, 'levels reward add', [int('level', 1), role('role', high)]);
    expect(replyText(refused)).toBe(`<@&${high}> is above or equal to my highest role, so Discord won’t let me give it; move my role above it.`);
    expect(await runOk(g, 'levels reward list')).toContain('No reward roles yet');

    const later = await roleAt(g, 'Moves later', 1);
    expect(await runOk(g, 'levels reward add', [int('level', 1), role('role', later)])).toBe(`Level 1 now gives <@&${later}>.`);
    await runOk(g, 'levels config', [str('announce', 'off'), channel('alert_channel', g.supportChannelId)]);
    await simApi(`/_sim/guilds/${g.guildId}/roles/${later}`, { body: { position: 9 } });
    // The bot's view of roles is cached briefly: let it go stale.
    advanceClock(31_000);
    await setXp(g, a, 100);
    const alert = await eventually(async () => (await messagesIn(g, g.supportChannelId)).find((m) => m.content.startsWith('Could not give')), 8000, 'alert');
    expect(alert.content).toBe(
      `Could not give <@&${later}> to <@${a}> for level 1: <@&${later}> is above or equal to my highest role, so Discord won’t let me give it; move my role above it.`,
    );
    expect(await rolesOf(g, a)).not.toContain(later);
    const diag = replyText(await deliver(command(g, g.adminId, 'diagnostics')));
    expect(diag).toContain(`❌ Reward for level 1 cannot be given: <@&${later}> is above or equal to my highest role`);
  });
});

describe('achievements', () => {
  it('announces each achievement once', async () => {
    const g = await newGuild();
    const a = g.memberIds[0]!;
    await runOk(g, 'levels config', [int('xp_min', 10), int('xp_max', 10), int('cooldown', 0)]);
    expect(await runOk(g, 'levels achievement add', [str('kind', 'messages'), int('threshold', 3), str('name', 'Chatterbox')])).toBe(
      'Achievement #1 “Chatterbox” added.',
    );
    await runOk(g, 'levels achievement add', [str('kind', 'level'), int('threshold', 1), str('name', 'First steps')]);
    expect(await runOk(g, 'levels achievement list')).toContain('#1 Chatterbox: messages sent ≥ 3');
    await say(g, a, 2);
    advanceClock(1000);
    await say(g, a, 2);
    await say(g, a, 8);
    const earned = async () => (await messagesIn(g, g.generalChannelId)).filter((m) => m.content.startsWith('🏆'));
    await eventually(async () => (await earned()).length === 2, 8000, 'two achievements');
    await say(g, a, 5);
    await new Promise((r) => setTimeout(r, 300));
    const all = (await earned()).map((m) => m.content).sort();
    expect(all).toEqual([`🏆 <@${a}> earned the achievement **Chatterbox**!`, `🏆 <@${a}> earned the achievement **First steps**!`]);
  });
});
