import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { eventually, guildSnapshot, newGuild, replyText, type TestGuild } from '../../helpers.ts';
import { addRule, channel, findPost, int, joined, messagesIn, modGuild, run, say, setUpModeration, str } from '../moderation/helpers.ts';

/** The desk's messages of one kind in a channel. */
const deskMessages = async (g: TestGuild, channelId: string, title: string) =>
  (await messagesIn(g, channelId)).filter((m: APIMessage) => m.author.bot && m.content.includes(`**${title}**`));

async function route(g: TestGuild, kind: string, channelId: string) {
  const d = await run(g, g.adminId, 'alerts route', [str('kind', kind), channel('channel', channelId)]);
  expect(replyText(d)).toMatch(/^Saved\./);
}

describe('features raise through the desk when it routes their kind', () => {
  it('automod hits fold into one message; the mod log is kept as before', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    await addRule(g, [str('id', 'badword'), str('kind', 'words'), str('list', 'badword'), str('effect', 'delete')]);
    // Not routed yet: automod works as before, and the desk posts nothing.
    await say(g, g.memberIds[0]!, 'a badword here');
    await findPost(g, g.supportChannelId, '');
    expect(await deskMessages(g, g.generalChannelId, 'Automod hit')).toEqual([]);
    await route(g, 'automod', g.generalChannelId);
    for (let i = 1; i <= 5; i++) await say(g, g.memberIds[i % 3]!, `badword number ${i}`);
    const m = await eventually(async () => (await deskMessages(g, g.generalChannelId, 'Automod hit')).find((x) => x.content.includes('×5')));
    expect(await deskMessages(g, g.generalChannelId, 'Automod hit')).toHaveLength(1);
    expect(m.content).toContain(`<@${g.memberIds[5 % 3]}>`);
    expect(m.mentions).toEqual([]);
  });

  it('a waiting approval is raised as an approval alert', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    await addRule(g, [str('id', 'kickword'), str('kind', 'words'), str('list', 'kickword'), str('effect', 'kick')]);
    await route(g, 'approval', g.generalChannelId);
    await say(g, g.memberIds[0]!, 'kickword');
    const m = await eventually(async () => (await deskMessages(g, g.generalChannelId, 'Approval waiting'))[0]);
    expect(m.content).toContain(`kick <@${g.memberIds[0]}>`);
  });

  it('a lockdown is raised as a lockdown alert, and its own alert is still posted', async () => {
    const g = await newGuild(2, 1);
    await route(g, 'lockdown', g.supportChannelId);
    const d = await run(g, g.adminId, 'lockdown start', [str('reason', 'drill')]);
    expect(replyText(d)).toMatch(/^Lockdown starting/);
    const m = await eventually(async () => (await deskMessages(g, g.supportChannelId, 'Lockdown'))[0], 10_000);
    expect(m.content).toMatch(/Lockdown \S+ is on: drill/);
    await eventually(
      async () => ((await guildSnapshot(g.guildId)).messages[g.generalChannelId] ?? []).find((x) => x.content.includes('Lockdown started')),
      10_000,
    );
  });

  it('a detected raid is raised as a raid alert with its summary', async () => {
    const g = await newGuild(2, 1);
    const cfg = await run(g, g.adminId, 'antiraid config', [int('threshold', 5), int('window_seconds', 30)]);
    expect(replyText(cfg)).toContain('Anti-raid settings saved');
    await route(g, 'raid', g.supportChannelId);
    const base = 3_100_000_000_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
    for (let i = 0; i < 6; i++) await joined(g, String(base + i));
    const m = await eventually(async () => (await deskMessages(g, g.supportChannelId, 'Raid detected'))[0], 10_000);
    expect(m.content).toMatch(/joins in/);
  });
});
