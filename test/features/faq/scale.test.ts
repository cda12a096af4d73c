import { describe, expect, it } from 'vitest';
import { FaqMatcher } from '../../../src/features/faq/matcher.ts';
import { decide } from '../../../src/features/faq/rules/decide.ts';
import { FAQ_LIMITS, type FaqEntry } from '../../../src/features/faq/rules/entry.ts';

// A full knowledge base of distinct topics: word pairs from two lists, so every entry has its own two key words.
const THINGS = 'sword shield potion armor bow arrow helmet boots ring amulet staff wand cloak gloves belt map compass torch rope lantern'.split(' ');
const ACTIONS = 'repair enchant sell buy upgrade craft trade store recover dye rename salvage'.split(' ');
const TOPICS = ACTIONS.flatMap((a) => THINGS.map((t) => [a, t] as const));

function knowledgeBase(n: number): FaqEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const [action, thing] = TOPICS[i % TOPICS.length]!;
    const tier = Math.floor(i / TOPICS.length);
    return {
      id: i + 1,
      question: `How do I ${action} my ${thing}${tier ? ` tier ${tier}` : ''}?`,
      phrasings: [`${action} ${thing}`],
      answer: `Visit the ${thing} merchant in town and choose "${action}". It costs ${10 + i} gold.`,
      tags: [thing],
    };
  });
}

describe('the FAQ matcher at the entry limit', () => {
  it(`indexes ${FAQ_LIMITS.entries} entries and answers questions in well under the interaction deadline`, () => {
    const kb = knowledgeBase(FAQ_LIMITS.entries).slice(0, TOPICS.length);
    const started = performance.now();
    const m = new FaqMatcher(knowledgeBase(FAQ_LIMITS.entries));
    const built = performance.now() - started;
    expect(m.size).toBe(FAQ_LIMITS.entries);
    const askedAt = performance.now();
    for (const e of kb.slice(0, 50)) m.rank(e.question.toLowerCase());
    const perQuestion = (performance.now() - askedAt) / 50;
    // Generous bounds for a shared CI machine; measured at a few ms to build and well under 1 ms per question.
    expect(built).toBeLessThan(1000);
    expect(perQuestion).toBeLessThan(50);
  });

  it('finds a distinct entry among many similar ones, with a typo', () => {
    const kb = knowledgeBase(TOPICS.length);
    const m = new FaqMatcher(kb);
    const target = kb.find((e) => e.question === 'How do I enchant my amulet?')!;
    expect(decide(m.rank('how do i enchnt my amulet'))).toMatchObject({ kind: 'answer', id: target.id });
  });
});
