import type { APIMessage } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { deliver, eventually, guildSnapshot, newGuild, press, provisioned, replyText, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { addEntry, channel, faq, KNOWLEDGE, say } from './support.ts';

afterEach(() => resetClock());

async function helpDesk(): Promise<TestGuild> {
  const g = await newGuild();
  for (const e of KNOWLEDGE) await addEntry(g, e);
  const d = await faq(g, g.adminId, 'channels add', [channel('channel', g.supportChannelId)]);
  expect(replyText(d)).toBe(`I will answer questions in <#${g.supportChannelId}>.`);
  return g;
}

const botReplies = async (g: TestGuild, channelId: string): Promise<APIMessage[]> =>
  ((await guildSnapshot(g.guildId)).messages[channelId] ?? []).filter((m) => m.author.bot && m.message_reference);

describe('FAQ answers in help channels', () => {
  it('replies to a question with the answer and feedback buttons; chatter and other channels stay quiet', async () => {
    const g = await helpDesk();
    const member = g.memberIds[1]!;
    await say(g, member, 'gg everyone, nice game', g.supportChannelId);
    await say(g, member, 'how do I reset my pasword?', g.generalChannelId);
    const q = await say(g, member, 'how do I reset my pasword?', g.supportChannelId);
    const [reply] = await eventually(async () => {
      const r = await botReplies(g, g.supportChannelId);
      return r.length ? r : null;
    });
    expect(reply!.message_reference?.message_id).toBe(q.id);
    expect(reply!.embeds[0]).toMatchObject({ title: 'How do I reset my password?', description: KNOWLEDGE[0]!.answer });
    const labels = (reply!.components![0] as { components: { label: string }[] }).components.map((b) => b.label);
    expect(labels).toEqual(['Helpful', 'Not helpful / talk to staff']);
    expect(await botReplies(g, g.generalChannelId)).toEqual([]);
    expect((await botReplies(g, g.supportChannelId)).length).toBe(1);
  });

  it('answers a member at most once per five minutes', async () => {
    const g = await helpDesk();
    const member = g.memberIds[1]!;
    await say(g, member, 'what is the server ip address?', g.supportChannelId);
    await eventually(async () => (await botReplies(g, g.supportChannelId)).length === 1);
    await say(g, member, 'when are the weekly events?', g.supportChannelId);
    // Seen and matched, but within the window: no reply is queued (answers are counted when queued).
    expect(replyText(await faq(g, g.adminId, 'stats'))).toMatch(/Questions seen: 2\nAnswered: 1\n/);
    expect((await botReplies(g, g.supportChannelId)).length).toBe(1);
    advanceClock(5 * 60_000 + 1000);
    await say(g, member, 'when are the weekly events?', g.supportChannelId);
    await eventually(async () => (await botReplies(g, g.supportChannelId)).length === 2);
  });

  it('"Not helpful / talk to staff" opens a ticket carrying the question', async () => {
    const g = await helpDesk();
    const member = g.memberIds[1]!;
    await say(g, member, 'What is the server address?', g.supportChannelId);
    const [reply] = await eventually(async () => {
      const r = await botReplies(g, g.supportChannelId);
      return r.length ? r : null;
    });
    const notHelpful = (reply!.components![0] as { components: { custom_id: string }[] }).components[1]!.custom_id;
    const d = await deliver(press(g, member, notHelpful, g.supportChannelId, reply!.id));
    expect(replyText(d)).toMatch(/Ticket #1 opened \(other, medium\): “What is the server address\?”/);
    expect(await provisioned(`${g.guildId}-1`)).toMatchObject({ openerId: member, subject: 'What is the server address?' });
  });

  it('lists and removes help channels', async () => {
    const g = await helpDesk();
    expect(replyText(await faq(g, g.adminId, 'channels list'))).toBe(`Help channels: <#${g.supportChannelId}>`);
    expect(replyText(await faq(g, g.adminId, 'channels remove', [channel('channel', g.supportChannelId)]))).toBe(
      `I no longer answer questions in <#${g.supportChannelId}>.`,
    );
    expect(replyText(await faq(g, g.adminId, 'channels list'))).toBe('No help channels yet. Add one with /faq channels add.');
    await say(g, g.memberIds[1]!, 'how do I reset my password?', g.supportChannelId);
    expect(replyText(await faq(g, g.adminId, 'stats'))).toMatch(/Questions seen: 0\n/);
    expect(await botReplies(g, g.supportChannelId)).toEqual([]);
  });
});
