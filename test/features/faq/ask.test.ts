import { evictDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { deliver, env, newGuild, originalMessageId, press, provisioned, replyText, type TestGuild } from '../../helpers.ts';
import { resetClock } from '../../support/clock.ts';
import { addEntry, buttonsOf, embedsOf, faq, flagsOf, KNOWLEDGE, str, submitEntry } from './support.ts';

afterEach(() => resetClock());

async function withKnowledge(): Promise<{ g: TestGuild; ids: number[] }> {
  const g = await newGuild();
  const ids: number[] = [];
  for (const e of KNOWLEDGE) ids.push(await addEntry(g, e));
  return { g, ids };
}

describe('/faq ask', () => {
  it('answers publicly, quoting the matched entry, despite a typo', async () => {
    const { g, ids } = await withKnowledge();
    const d = await faq(g, g.memberIds[1]!, 'ask', [str('question', 'how do I reset my pasword')]);
    expect(d.accepted).toBe(true);
    expect(flagsOf(d) & 64).toBe(0);
    expect(replyText(d)).toBe(`<@${g.memberIds[1]}> asked: how do I reset my pasword`);
    expect(embedsOf(d)).toEqual([expect.objectContaining({ title: 'How do I reset my password?', description: KNOWLEDGE[0]!.answer })]);
    expect(buttonsOf(d).map((b) => b.label)).toEqual(['Helpful', 'Not helpful / talk to staff']);
    expect((embedsOf(d)[0] as { footer?: { text: string } }).footer?.text).toMatch(new RegExp(`^FAQ #${ids[0]} · \\d+% match$`));
  });

  it('stays quiet (ephemeral) on an unrelated question', async () => {
    const { g } = await withKnowledge();
    const d = await faq(g, g.memberIds[1]!, 'ask', [str('question', 'what is the best pizza topping in italy')]);
    expect(flagsOf(d) & 64).toBe(64);
    expect(replyText(d)).toBe('I have no confident answer to that. Open a ticket with /ticket open and staff will help you.');
    expect(embedsOf(d)).toEqual([]);
  });

  it('stays quiet when two near-identical entries leave no clear margin', async () => {
    const { g } = await withKnowledge();
    await addEntry(g, {
      question: 'How can I reset my password?',
      phrasings: ['forgot my password'],
      answer: 'Go to Settings → Account → Reset password; a link comes by e-mail.',
      tags: ['account'],
    });
    const d = await faq(g, g.memberIds[1]!, 'ask', [str('question', 'how do I reset my password')]);
    expect(replyText(d)).toMatch(/^I have no confident answer/);
  });

  it('takes feedback from the asker only, once; "Not helpful" opens a ticket carrying the question', async () => {
    const { g } = await withKnowledge();
    const asker = g.memberIds[1]!;
    const d = await faq(g, asker, 'ask', [str('question', 'what is the server address')], g.supportChannelId);
    const [helpful, notHelpful] = buttonsOf(d);
    const msg = await originalMessageId(d.interaction.id);
    expect(replyText(await deliver(press(g, g.memberIds[2]!, helpful!.custom_id, g.supportChannelId, msg)))).toBe(
      'Only the member who asked can rate this answer.',
    );
    const opened = await deliver(press(g, asker, notHelpful!.custom_id, g.supportChannelId, msg));
    expect(replyText(opened)).toMatch(/Ticket #1 opened \(other, medium\): “what is the server address”/);
    expect(replyText(await deliver(press(g, asker, helpful!.custom_id, g.supportChannelId, msg)))).toBe('You already rated this answer.');
    // The ticket carries the question and the entry that did not help.
    expect(await provisioned(`${g.guildId}-1`)).toMatchObject({
      openerId: asker,
      subject: 'what is the server address',
      description: expect.stringContaining('Asked: what is the server address'),
    });
  });

  it('thanks the asker for "Helpful"', async () => {
    const { g } = await withKnowledge();
    const d = await faq(g, g.memberIds[1]!, 'ask', [str('question', 'when are the weekly events')]);
    const done = await deliver(press(g, g.memberIds[1]!, buttonsOf(d)[0]!.custom_id, g.generalChannelId, await originalMessageId(d.interaction.id)));
    expect(replyText(done)).toBe('Thanks! Glad it helped.');
  });

  it('keeps entries in storage, not in the index: after eviction and an edit the rebuilt index answers from the new text', async () => {
    const { g, ids } = await withKnowledge();
    await evictDurableObject(guildActor(env, g.guildId));
    const before = await faq(g, g.memberIds[1]!, 'ask', [str('question', 'when are the weekly events')]);
    expect(embedsOf(before)[0]).toMatchObject({ description: 'Every Saturday at 20:00 CET.' });
    await submitEntry(g, g.adminId, `faq:edit:${g.guildId}:${ids[2]}`, { question: 'When are the weekly events?', answer: 'Every Sunday at 18:00 CET.' });
    const after = await faq(g, g.memberIds[1]!, 'ask', [str('question', 'when are the weekly events')]);
    expect(embedsOf(after)[0]).toMatchObject({ description: 'Every Sunday at 18:00 CET.' });
  });
});
