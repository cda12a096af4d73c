import type { APIEmbed, APIInteractionResponseCallbackData } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { deliver, newGuild, originalMessageId, press, replyText } from '../../helpers.ts';
import { command, int, run, runOk, stored, str, user, xpOf } from './support.ts';

const data = (d: { response: unknown }) => (d.response as { data: APIInteractionResponseCallbackData }).data;

describe('/xp', () => {
  it('sets, adds, removes (never below zero) and resets a member’s XP', async () => {
    const g = await newGuild();
    const a = g.memberIds[0]!;
    expect(await runOk(g, 'xp set', [user('member', a), int('amount', 255)])).toBe(`<@${a}> now has 255 XP (level 2).`);
    expect(await runOk(g, 'xp add', [user('member', a), int('amount', 45)])).toBe(`<@${a}> now has 300 XP (level 2).`);
    expect(await runOk(g, 'xp remove', [user('member', a), int('amount', 1000)])).toBe(`<@${a}> now has 0 XP (level 0).`);
    await runOk(g, 'xp set', [user('member', a), int('amount', 1150)]);
    expect(await xpOf(g, a)).toBe(1150);
    expect(await runOk(g, 'xp reset', [user('member', a)])).toBe(`<@${a}>’s XP, counters and achievements are reset.`);
    expect(await stored(g, a)).toBeNull();
  });

  it('is refused to members without Manage Server, and changes nothing', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    const d = await run(g, a, 'xp set', [user('member', b), int('amount', 5000)]);
    expect(replyText(d)).toBe('You need the Manage Server permission for this.');
    expect(await stored(g, b)).toBeNull();
    const cfg = await run(g, a, 'levels config', [int('xp_min', 1000), int('xp_max', 1000)]);
    expect(replyText(cfg)).toBe('You need the Manage Server permission for this.');
  });

  it('refuses bad settings with a clear answer and keeps the old ones', async () => {
    const g = await newGuild();
    expect(await runOk(g, 'levels config', [int('xp_min', 30), int('xp_max', 10)])).toMatch(/least not above the most\. Nothing changed/);
    expect(await runOk(g, 'levels config', [str('curve', '0,0,0')])).toMatch(/^The curve is three whole numbers/);
    expect(await runOk(g, 'levels config', [str('curve', 'five')])).toMatch(/^The curve is three whole numbers/);
    expect(await runOk(g, 'levels config')).toContain('15–25 XP per message, at most once every 60 s · curve 5,50,100');
  });
});

describe('/leaderboard', () => {
  it('/leaderboard pages ten at a time with buttons, highest first', async () => {
    const g = await newGuild(14);
    for (const [i, id] of g.memberIds.entries()) await runOk(g, 'xp set', [user('member', id), int('amount', (i + 1) * 100)]);
    const first = await deliver(command(g, g.memberIds[0]!, 'leaderboard'));
    const page1 = data(first);
    const embed = page1.embeds![0] as APIEmbed;
    expect(embed.title).toBe('Leaderboard · page 1 of 2');
    const lines = embed.description!.split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(`**#1** <@${g.memberIds[13]}> · level 5 · 1,400 XP`);
    const [prev, next] = (page1.components![0] as { components: { custom_id: string; disabled: boolean; label: string }[] }).components;
    expect(prev!.disabled).toBe(true);
    expect(next!.label).toBe('Next');
    const second = await deliver(press(g, g.memberIds[0]!, next!.custom_id, g.generalChannelId, await originalMessageId(first.interaction.id)));
    const page2 = data(second);
    expect((page2.embeds![0] as APIEmbed).title).toBe('Leaderboard · page 2 of 2');
    expect((page2.embeds![0] as APIEmbed).description!.split('\n')).toEqual([
      `**#11** <@${g.memberIds[3]}> · level 2 · 400 XP`,
      `**#12** <@${g.memberIds[2]}> · level 2 · 300 XP`,
      `**#13** <@${g.memberIds[1]}> · level 1 · 200 XP`,
      `**#14** <@${g.memberIds[0]}> · level 1 · 100 XP`,
    ]);
    expect(page1.allowed_mentions).toEqual({ parse: [] });
  });
});
