import { describe, expect, it } from 'vitest';
import { accountAgeMs, DAY_MS, isYoungerThan, snowflakeAt, snowflakeTime } from '../../../../src/discord/snowflake.ts';
import { compileAutomod, evaluateMessage, type MessageContext } from '../../../../src/features/moderation/rules/automod.ts';
import { parseAutomodConfig } from '../../../../src/features/moderation/rules/automod-config.ts';
import { compileRegex } from '../../../../src/features/moderation/rules/linear-regex.ts';
import { domainList, findInviteCodes, findLinkHosts, hostInList, parseDomain } from '../../../../src/features/moderation/rules/links.ts';
import { admitPattern, runPattern } from '../../../../src/features/moderation/rules/regex-guard.ts';
import { render, type Text } from '../../../../src/i18n/text.ts';
import type { Result } from '../../../../src/lib/result.ts';

/** A rule result with its error message rendered in English (rules return message values). */
const english = <T>(r: Result<T, Text>) => (r.ok ? r : { ok: false as const, error: render('en', r.error) });

const compile = (source: string, flags = '') => {
  const r = compileRegex(source, flags);
  if (!r.ok) throw new Error(render('en', r.error));
  return r.value;
};

describe('linear-time regex engine', () => {
  // Each case is checked against V8's own RegExp on every input.
  const cases: [string, string, string[]][] = [
    ['abc', '', ['abc', 'xxabcxx', 'ab', 'ABC', '']],
    ['^abc$', '', ['abc', 'abcd', ' abc']],
    ['a|bc|d', '', ['a', 'bc', 'b', 'xd', 'c']],
    ['colou?r', 'i', ['color', 'COLOUR', 'colouur']],
    ['\\bcat\\b', '', ['cat', 'a cat!', 'concat', 'cats', 'cat_']],
    ['\\Bcat', '', ['concat', 'cat']],
    ['[a-c]{2,3}x', '', ['abx', 'abcx', 'ax', 'aaaax', 'ddx']],
    ['[^0-9\\s]+', '', ['123 456', '12a', '   ']],
    ['\\d{3}-\\d{4}', '', ['call 555-1234', '55-1234']],
    ['^line2$', 'm', ['line1\nline2\nline3', 'line1 line2']],
    ['a.c', '', ['abc', 'a\nc']],
    ['a.c', 's', ['a\nc']],
    ['\\p{Lu}{3}', '', ['ABC', 'ÀÉÎ', 'abc']],
    ['😀+', '', ['hi 😀😀', 'hi']],
    ['x{2}', '', ['xx', 'x']],
    ['(?:ab)+c', '', ['ababc', 'ac', 'abab']],
    ['(?<word>fo+)bar', '', ['fooobar', 'fbar']],
    ['[\\w.-]+@[\\w-]+\\.com', '', ['mail me at a.b-c@site.com', 'a@b.org']],
    ['\\x41\\u0042\\u{43}', '', ['ABC', 'abc']],
    ['[\\b]', '', ['\b', 'b']],
    ['a*?b', '', ['aaab', 'b', 'aaa']],
  ];
  for (const [source, flags, inputs] of cases) {
    it(`/${source}/${flags} agrees with RegExp`, () => {
      const mine = compile(source, flags);
      const native = new RegExp(source, flags.includes('u') ? flags : `${flags}u`);
      for (const s of inputs) expect(mine.test(s).matched, JSON.stringify(s)).toBe(native.test(s));
    });
  }

  it('finds the matched text for evidence', () => {
    expect(compile('fr[e3]+\\s*nitro', 'i').find('get FREE   nitro now')).toMatchObject({ start: 4, end: 16, text: 'FREE   nitro' });
    expect(compile('b+').find('aabbbc')).toMatchObject({ text: 'b' });
  });

  it('runs a catastrophic-backtracking pattern in linear steps', () => {
    const evil = compile('(a+)+$');
    for (const n of [1000, 4000]) {
      const run = evil.test(`${'a'.repeat(n)}!`);
      expect(run.matched).toBe(false);
      expect(run.steps).toBeLessThan(20 * n);
    }
  });

  it('refuses what needs backtracking, and malformed patterns, with a reason', () => {
    expect(english(compileRegex('(a)\\1'))).toMatchObject({ ok: false, error: expect.stringContaining('Backreferences') });
    expect(english(compileRegex('a(?=b)'))).toMatchObject({ ok: false, error: expect.stringContaining('Lookahead') });
    expect(english(compileRegex('(?<!x)a'))).toMatchObject({ ok: false, error: expect.stringContaining('lookbehind') });
    expect(english(compileRegex('(ab'))).toMatchObject({ ok: false, error: expect.stringContaining('Missing ")"') });
    expect(english(compileRegex('*a'))).toMatchObject({ ok: false, error: expect.stringContaining('Nothing to repeat') });
    expect(english(compileRegex('a{2000}'))).toMatchObject({ ok: false, error: expect.stringContaining('above 1000') });
    expect(english(compileRegex('(?:a{1,100}){1,100}'))).toMatchObject({ ok: false, error: expect.stringContaining('instructions') });
    expect(english(compileRegex('a', 'g'))).toMatchObject({ ok: false, error: expect.stringContaining('Flag "g"') });
  });
});

describe('regex guard', () => {
  it('refuses catastrophic shapes and admits their safe relatives', () => {
    expect(english(admitPattern('(a+)+$'))).toMatchObject({ ok: false, error: expect.stringContaining('Nested repetition') });
    expect(english(admitPattern('(\\w+\\s?)+$'))).toMatchObject({ ok: false, error: expect.stringContaining('Nested repetition') });
    expect(english(admitPattern('(a*)*b'))).toMatchObject({ ok: false });
    expect(english(admitPattern('(a|ab)*c'))).toMatchObject({ ok: false, error: expect.stringContaining('Overlapping alternatives') });
    expect(english(admitPattern('(\\w|\\d)+x'))).toMatchObject({ ok: false, error: expect.stringContaining('Overlapping alternatives') });
    expect(english(admitPattern('x*'))).toMatchObject({ ok: false, error: expect.stringContaining('empty string') });
    for (const safe of ['(\\d+,)*\\d+', '(foo|far)+', '(ab+c)+', '(?:ab){3}', 'free\\s*nitro', '^\\w+@\\w+\\.com$']) {
      expect(english(admitPattern(safe)), safe).toMatchObject({ ok: true });
    }
  });

  it('disables a pattern that goes over its step budget, reports it, and skips it afterwards', () => {
    let seed = 7;
    const letters = Array.from({ length: 3000 }, () => {
      seed = (seed * 48271) % 2147483647;
      return String.fromCharCode(97 + (seed % 26));
    })
      .join('')
      .replace(/q/g, 'z');
    const cheap = admitPattern('hello');
    const costly = admitPattern('[a-z]{1,400}q');
    if (!cheap.ok || !costly.ok) throw new Error('admit');
    expect(runPattern(cheap.value, letters, 50_000, 1)).toMatchObject({ kind: 'no-match' });
    expect(runPattern(costly.value, letters, 50_000, 1)).toMatchObject({ kind: 'over-budget' });
    expect(costly.value.disabled).toMatchObject({ at: 1, budget: 50_000 });
    expect(runPattern(costly.value, 'aq', 50_000, 2)).toEqual({ kind: 'disabled' });

    const cfg = parseAutomodConfig({ rules: [{ id: 'w', kind: 'words', patterns: ['[a-z]{1,400}q'], effect: { kind: 'delete' } }], patternBudget: 50_000 });
    if (!cfg.ok) throw new Error(JSON.stringify(cfg.error));
    const compiled = compileAutomod(cfg.value);
    const ctx: MessageContext = {
      messageId: '1',
      channelId: '2',
      parentIds: [],
      authorId: snowflakeAt(0),
      authorRoleIds: [],
      content: letters,
      mentionCount: 0,
    };
    const first = evaluateMessage(compiled, ctx, undefined, 10);
    expect(first.disabledPatterns).toEqual([{ ruleId: 'w', pattern: '[a-z]{1,400}q', steps: expect.any(Number), budget: 50_000 }]);
    const second = evaluateMessage(compiled, { ...ctx, content: 'abq' }, undefined, 20);
    expect(second).toMatchObject({ violations: [], disabledPatterns: [] });
    // Recompiled (config change, restart) with the persisted report, it stays off; without it, it is back.
    expect(evaluateMessage(compileAutomod(cfg.value, first.disabledPatterns), { ...ctx, content: 'abq' }, undefined, 30).violations).toEqual([]);
    expect(evaluateMessage(compileAutomod(cfg.value), { ...ctx, content: 'abq' }, undefined, 30).violations).toHaveLength(1);
  });

  it('matches at most the first 4000 characters of a message', () => {
    const p = admitPattern('needle');
    if (!p.ok) throw new Error(render('en', p.error));
    expect(runPattern(p.value, `${'x'.repeat(4100)}needle`, 1e9, 0)).toMatchObject({ kind: 'no-match' });
    expect(runPattern(p.value, `${'x'.repeat(3000)}needle`, 1e9, 0)).toMatchObject({ kind: 'match', evidence: 'needle' });
  });
});

describe('links and snowflakes', () => {
  it('finds invite codes with common obfuscations, keeping their case', () => {
    expect(findInviteCodes('a discord.gg/AbC-12 b https://discordapp.com/invite/x1y2 c discord.com/invite/zz')).toEqual(['AbC-12', 'x1y2', 'zz']);
    expect(findInviteCodes('discord [.] gg / spaced and discord dot gg/worded and ｄｉｓｃｏｒｄ.ｇｇ/wide')).toEqual(['spaced', 'worded', 'wide']);
    expect(findInviteCodes('discord.com/channels/1/2 and discord is fun')).toEqual([]);
  });

  it('extracts link hosts and matches domains with their subdomains', () => {
    expect(findLinkHosts('x https://User@Sub.Example.COM:8443/p?q y <http://a.b.org> https://例え.jp/')).toEqual([
      'sub.example.com',
      'a.b.org',
      'xn--r8jz45g.jp',
    ]);
    const list = domainList(['example.com']);
    expect(hostInList('a.b.example.com', list)).toBe(true);
    expect(hostInList('example.com', list)).toBe(true);
    expect(hostInList('badexample.com', list)).toBe(false);
    expect(parseDomain('*.Example.com')).toEqual({ ok: true, value: 'example.com' });
    expect(parseDomain('not a domain')).toMatchObject({ ok: false });
  });

  it('reads account creation time from a snowflake', () => {
    expect(snowflakeTime('175928847299117063')).toBe(1462015105796);
    expect(snowflakeTime('nope')).toBeNull();
    const now = Date.UTC(2025, 0, 10);
    const id = snowflakeAt(now - 3 * DAY_MS);
    expect(accountAgeMs(id, now)).toBe(3 * DAY_MS);
    expect(isYoungerThan(id, 7, now)).toBe(true);
    expect(isYoungerThan(id, 2, now)).toBe(false);
  });
});
