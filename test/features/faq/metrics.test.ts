import { afterEach, describe, expect, it } from 'vitest';
import { deliver, newGuild, openTicket, originalMessageId, press, replyText } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { addEntry, buttonsOf, faq, KNOWLEDGE, str } from './support.ts';

afterEach(() => resetClock());

const HOUR = 3_600_000;

describe('FAQ metrics', () => {
  it('counts questions seen, answered and helpful; deflection is decided once 24 hours have passed', async () => {
    const g = await newGuild();
    for (const e of KNOWLEDGE) await addEntry(g, e);
    const [a, b, c] = g.memberIds as [string, string, string];
    const asked = await faq(g, a, 'ask', [str('question', 'how do I reset my password')]);
    await deliver(press(g, a, buttonsOf(asked)[0]!.custom_id, g.generalChannelId, await originalMessageId(asked.interaction.id)));
    await faq(g, b, 'ask', [str('question', 'what is the server ip')]);
    // b opens a ticket anyway within the day: answered, not deflected.
    await openTicket(g, b, { type: 'bug', subject: 'Cannot join the server' });
    await faq(g, c, 'ask', [str('question', 'where can I buy a hat')]);

    const before = replyText(await faq(g, g.adminId, 'stats'));
    expect(before).toContain('Questions seen: 3\nAnswered: 2\nMarked helpful: 1\nMarked not helpful: 0\nDeflected (answered, no ticket within 24 h): 0');
    expect(before).toContain('Unanswered questions kept: 1');

    advanceClock(25 * HOUR);
    const after = replyText(await faq(g, g.adminId, 'stats'));
    expect(after).toContain('Deflected (answered, no ticket within 24 h): 1');
    // Settled once: reading again does not count again.
    expect(replyText(await faq(g, g.adminId, 'stats'))).toContain('Deflected (answered, no ticket within 24 h): 1');
  });

  it('keeps unanswered questions for staff, repeats folded together, most asked first', async () => {
    const g = await newGuild();
    await addEntry(g, KNOWLEDGE[0]!);
    await faq(g, g.memberIds[0]!, 'ask', [str('question', 'Can I change my username?')]);
    await faq(g, g.memberIds[1]!, 'ask', [str('question', 'where is the map download')]);
    await faq(g, g.memberIds[2]!, 'ask', [str('question', 'can i change my username')]);
    expect(replyText(await faq(g, g.adminId, 'unanswered'))).toBe(
      'Questions the FAQ could not answer (most asked first):\n2× can i change my username\n1× where is the map download',
    );
    expect(replyText(await faq(g, g.memberIds[0]!, 'unanswered'))).toMatch(/^Only staff/);
  });
});
