import { describe, expect, it } from 'vitest';
import type { PanelCategory } from '../../../src/features/tickets/panels/rules.ts';
import {
  categoryPolicy,
  checkName,
  describeAnswers,
  formatQuestions,
  parseEmoji,
  parseQuestions,
  pickCategories,
} from '../../../src/features/tickets/panels/rules.ts';
import { DEFAULT_POLICY } from '../../../src/features/tickets/upkeep/rules.ts';

const cat = (id: number, name: string): PanelCategory => ({
  id,
  name,
  emoji: null,
  description: null,
  issueType: 'other',
  severity: 'medium',
  staffRoleId: null,
  mode: 'thread',
  parentId: null,
  questions: [],
  firstResponseMin: null,
  resolutionMin: null,
  hours: true,
});

describe('panel rules', () => {
  it('reads questions: the first is a required short subject; [long], [optional] and = placeholder for the rest', () => {
    const r = parseQuestions('Subject [optional] | What happened [long] | Order [optional] = 123 |  ');
    expect(r).toEqual({
      ok: true,
      value: [
        { label: 'Subject', style: 'short', required: true, placeholder: null },
        { label: 'What happened', style: 'paragraph', required: true, placeholder: null },
        { label: 'Order', style: 'short', required: false, placeholder: '123' },
      ],
    });
    expect(formatQuestions(r.ok ? r.value : [])).toBe('Subject | What happened [long] | Order [optional] = 123');
  });

  it('refuses forms a Discord modal cannot hold', () => {
    expect(parseQuestions(' | ')).toEqual({ ok: false, error: { code: 'no-questions' } });
    expect(parseQuestions('a|b|c|d|e|f')).toEqual({ ok: false, error: { code: 'too-many-questions', count: 6, max: 5 } });
    expect(parseQuestions(`a | ${'é'.repeat(46)}`)).toMatchObject({ ok: false, error: { code: 'label-too-long', max: 45 } });
    expect(parseQuestions(`a = ${'x'.repeat(101)}`)).toMatchObject({ ok: false, error: { code: 'placeholder-too-long', max: 100 } });
    expect(parseQuestions('a | [long]')).toEqual({ ok: false, error: { code: 'empty-label' } });
  });

  it('checks names and emoji', () => {
    expect(checkName('  Billing   help ')).toEqual({ ok: true, value: 'Billing help' });
    expect(checkName('a,b').ok).toBe(false);
    expect(checkName('x'.repeat(46)).ok).toBe(false);
    expect(parseEmoji('💳')).toEqual({ ok: true, value: { name: '💳' } });
    expect(parseEmoji('<a:party:123456789012345678>')).toEqual({ ok: true, value: { name: 'party', id: '123456789012345678', animated: true } });
    expect(parseEmoji('card').ok).toBe(false);
  });

  it('picks 1–25 known categories by name, once each', () => {
    const known = [cat(1, 'Billing'), cat(2, 'Bugs')];
    expect(pickCategories('bugs, BILLING', known)).toEqual({ ok: true, value: [known[1], known[0]] });
    expect(pickCategories('Bugs, Nope', known)).toEqual({ ok: false, error: { code: 'unknown-category', name: 'Nope' } });
    expect(pickCategories('Bugs,bugs', known)).toEqual({ ok: false, error: { code: 'duplicate-category', name: 'Bugs' } });
    expect(pickCategories(' , ', known)).toEqual({ ok: false, error: { code: 'no-categories' } });
    expect(pickCategories(Array.from({ length: 26 }, (_, n) => `c${n}`).join(','), known)).toEqual({
      ok: false,
      error: { code: 'too-many-categories', count: 26, max: 25 },
    });
  });

  it('puts the category’s targets in place of the guild’s, for every severity', () => {
    const p = categoryPolicy(DEFAULT_POLICY, { firstResponseMin: 30, resolutionMin: null });
    expect(p.sla.firstResponseMin).toEqual({ low: 30, medium: 30, high: 30, critical: 30 });
    expect(p.sla.resolutionMin).toEqual(DEFAULT_POLICY.sla.resolutionMin);
    expect(categoryPolicy(DEFAULT_POLICY, { firstResponseMin: null, resolutionMin: null })).toBe(DEFAULT_POLICY);
  });

  it('writes the other answers under their questions, empty ones left out', () => {
    const qs = parseQuestions('S | A [long] | B [optional]');
    expect(describeAnswers(qs.ok ? qs.value : [], ['subject', 'answer a', ' '])).toBe('**A**\nanswer a');
  });
});
