import { describe, expect, it } from 'vitest';
import { FaqMatcher } from '../../../src/features/faq/matcher.ts';
import { decide, looksLikeQuestion, suggestions } from '../../../src/features/faq/rules/decide.ts';
import { checkDraft, FAQ_LIMITS, type FaqEntry, parseLines, parseTags } from '../../../src/features/faq/rules/entry.ts';
import { formatOf, parseJsonImport, parseMarkdownImport } from '../../../src/features/faq/rules/import.ts';

const KB: FaqEntry[] = [
  {
    id: 1,
    question: 'How do I reset my password?',
    phrasings: ['forgot my password', 'cannot log in'],
    answer: 'Open Settings → Account → Reset password and follow the e-mail.',
    tags: ['account'],
  },
  {
    id: 2,
    question: 'What is the server IP address?',
    phrasings: ['server address', 'how to connect'],
    answer: 'play.example.net, port 25565.',
    tags: ['server'],
  },
  { id: 3, question: 'When are the weekly events?', phrasings: ['event schedule'], answer: 'Every Saturday at 20:00 CET.', tags: ['events'] },
  { id: 4, question: 'How do I report a bug?', phrasings: ['found a bug'], answer: 'Open a ticket of type bug with steps to reproduce.', tags: ['support'] },
];

const ask = (kb: FaqEntry[], text: string) => decide(new FaqMatcher(kb).rank(text));

describe('FAQ matching decision', () => {
  it('finds the password entry despite a typo', () => {
    expect(ask(KB, 'how do I reset my pasword')).toMatchObject({ kind: 'answer', id: 1 });
  });

  it('answers a rephrased question from the other phrasings', () => {
    expect(ask(KB, 'I forgot my password, help')).toMatchObject({ kind: 'answer', id: 1 });
    expect(ask(KB, 'whats the server address')).toMatchObject({ kind: 'answer', id: 2 });
  });

  it('stays quiet on an unrelated question', () => {
    expect(ask(KB, 'what is the best pizza topping in italy')).toMatchObject({ kind: 'quiet' });
    expect(ask(KB, 'how are you today')).toMatchObject({ kind: 'quiet', reason: 'no-match' });
  });

  it('stays quiet when two near-identical entries leave no clear margin', () => {
    const twins: FaqEntry[] = [
      ...KB,
      {
        id: 9,
        question: 'How can I reset my password?',
        phrasings: ['forgot my password'],
        answer: 'Go to Settings → Account → Reset password; a link comes by e-mail.',
        tags: ['account'],
      },
    ];
    expect(ask(twins, 'how do I reset my password')).toMatchObject({ kind: 'quiet', reason: 'ambiguous' });
    expect(suggestions(new FaqMatcher(twins).rank('how do I reset my password'), 3).sort()).toEqual([1, 9]);
  });

  it('stays quiet on an empty knowledge base', () => {
    expect(ask([], 'how do I reset my password')).toEqual({ kind: 'quiet', reason: 'no-match', candidates: [] });
  });

  it('decides from normalised scores: low confidence, low coverage and margin each keep it quiet', () => {
    expect(decide([{ id: 1, score: 2, self: 10, coverage: 1 }])).toMatchObject({ kind: 'quiet', reason: 'low-confidence' });
    expect(decide([{ id: 1, score: 9, self: 10, coverage: 0.3 }])).toMatchObject({ kind: 'quiet', reason: 'low-confidence' });
    expect(
      decide([
        { id: 1, score: 9, self: 10, coverage: 1 },
        { id: 2, score: 7, self: 10, coverage: 1 },
      ]),
    ).toMatchObject({ kind: 'quiet', reason: 'ambiguous', candidates: [1, 2] });
    expect(
      decide([
        { id: 1, score: 9, self: 10, coverage: 1 },
        { id: 2, score: 3, self: 10, coverage: 1 },
      ]),
    ).toEqual({ kind: 'answer', id: 1, confidence: 0.9 });
  });

  it('tells questions from chatter', () => {
    expect(looksLikeQuestion('how do I reset my password')).toBe(true);
    expect(looksLikeQuestion('anyone know the server ip?')).toBe(true);
    expect(looksLikeQuestion('Wie setze ich mein Passwort zurück')).toBe(true);
    expect(looksLikeQuestion('gg well played everyone')).toBe(false);
    expect(looksLikeQuestion('ok?')).toBe(false);
  });
});

describe('FAQ entries', () => {
  it('splits phrasings by line and tags by comma, dropping repeats', () => {
    expect(parseLines('forgot password\n\n  lost   password \nForgot password')).toEqual(['forgot password', 'lost password']);
    expect(parseTags('#Account, login,\naccount')).toEqual(['account', 'login']);
  });

  it('refuses empty and oversized fields, naming the field', () => {
    expect(checkDraft({ question: '  ', answer: 'x', phrasings: [], tags: [] })).toEqual({
      ok: false,
      error: { field: 'question', issue: 'empty', max: FAQ_LIMITS.question },
    });
    expect(checkDraft({ question: 'q', answer: 'x'.repeat(4001), phrasings: [], tags: [] })).toMatchObject({
      ok: false,
      error: { field: 'answer', issue: 'too-long' },
    });
    expect(checkDraft({ question: 'q', answer: 'a', phrasings: Array.from({ length: 11 }, (_, i) => `p${i}`), tags: [] })).toMatchObject({
      ok: false,
      error: { field: 'phrasings', issue: 'too-many' },
    });
  });
});

describe('FAQ import parsers', () => {
  it('reads a JSON array', () => {
    const r = parseJsonImport(
      JSON.stringify([
        { question: 'Q1?', answer: 'A1', phrasings: ['q one'], tags: ['x'] },
        { question: 'Q2?', answer: 'A2' },
      ]),
    );
    expect(r).toEqual({
      ok: true,
      value: [
        { question: 'Q1?', answer: 'A1', phrasings: ['q one'], tags: ['x'] },
        { question: 'Q2?', answer: 'A2', phrasings: [], tags: [] },
      ],
    });
  });

  it('names the JSON entry that is wrong', () => {
    expect(parseJsonImport('{"question":1')).toMatchObject({ ok: false, error: { at: null, issue: { code: 'not-json' } } });
    expect(parseJsonImport('{}')).toMatchObject({ ok: false, error: { issue: { code: 'not-array' } } });
    expect(parseJsonImport('[{"question":"a","answer":"b"},{"question":"c"}]')).toEqual({
      ok: false,
      error: { at: { entry: 2 }, issue: { code: 'bad-field', field: 'answer' } },
    });
    expect(parseJsonImport('[{"question":"a","answer":"b","tags":"x"}]')).toMatchObject({ ok: false, error: { issue: { code: 'bad-field', field: 'tags' } } });
    expect(parseJsonImport(`[{"question":"a","answer":"${'b'.repeat(4001)}"}]`)).toMatchObject({
      ok: false,
      error: { at: { entry: 1 }, issue: { code: 'draft', problem: { field: 'answer', issue: 'too-long' } } },
    });
    const many = Array.from({ length: FAQ_LIMITS.entries + 1 }, (_, i) => ({ question: `q${i}`, answer: 'a' }));
    expect(parseJsonImport(JSON.stringify(many))).toMatchObject({ ok: false, error: { issue: { code: 'too-many' } } });
  });

  it('reads Markdown with an Also line, an Also list and tags', () => {
    const md = [
      '# Our FAQ',
      '',
      '## How do I reset my password?',
      'Also: forgot password; lost password',
      'Tags: account',
      '',
      'Open Settings, then Account.',
      '',
      'Then follow the e-mail.',
      '## What is the server IP?',
      'Also:',
      '- server address',
      '* how to connect',
      '',
      'play.example.net',
    ].join('\n');
    expect(parseMarkdownImport(md)).toEqual({
      ok: true,
      value: [
        {
          question: 'How do I reset my password?',
          phrasings: ['forgot password', 'lost password'],
          tags: ['account'],
          answer: 'Open Settings, then Account.\n\nThen follow the e-mail.',
        },
        { question: 'What is the server IP?', phrasings: ['server address', 'how to connect'], tags: [], answer: 'play.example.net' },
      ],
    });
  });

  it('names the Markdown line that is wrong', () => {
    expect(parseMarkdownImport('intro text\n## Q\nA')).toEqual({ ok: false, error: { at: { line: 1 }, issue: { code: 'text-before-question' } } });
    expect(parseMarkdownImport('## Q1\nA1\n\n## Q2\nAlso: x\n')).toEqual({
      ok: false,
      error: { at: { line: 4 }, issue: { code: 'draft', problem: { field: 'answer', issue: 'empty', max: FAQ_LIMITS.answer } } },
    });
    expect(parseMarkdownImport('just text')).toMatchObject({ ok: false, error: { at: { line: 1 } } });
    expect(parseMarkdownImport('')).toMatchObject({ ok: false, error: { issue: { code: 'empty' } } });
  });

  it('tells the format from the file name or content type', () => {
    expect(formatOf('faq.JSON')).toBe('json');
    expect(formatOf('faq.md')).toBe('markdown');
    expect(formatOf('faq', 'text/markdown; charset=utf-8')).toBe('markdown');
    expect(formatOf('faq.txt', 'text/plain')).toBeNull();
  });
});

describe('FAQ matching: one shared word is not an answer', () => {
  it('stays quiet when a question shares only an incidental word with an entry', () => {
    expect(ask(KB, 'is the server down')).toMatchObject({ kind: 'quiet', reason: 'low-confidence' });
    expect(ask(KB, 'my game crashes when I join the server')).toMatchObject({ kind: 'quiet', reason: 'low-confidence' });
    expect(ask(KB, 'what is the server ip')).toMatchObject({ kind: 'answer', id: 2 });
  });
});
