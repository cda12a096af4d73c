import type { GatewayMessageCreateDispatchData } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { DAY_MS, snowflakeAt } from '../../../../src/discord/snowflake.ts';
import {
  compileAutomod,
  decideActions,
  evaluateJoin,
  evaluateMessage,
  type MemberWindow,
  type MessageContext,
  messageContext,
  sweepWindows,
  type Violation,
} from '../../../../src/features/moderation/rules/automod.ts';
import {
  type AutomodConfig,
  describeRule,
  parseAutomodConfig,
  parseAutomodRule,
  removeRule,
  upsertRule,
} from '../../../../src/features/moderation/rules/automod-config.ts';
import { render } from '../../../../src/i18n/text.ts';

const NOW = Date.UTC(2025, 5, 1, 12);
const OLD_USER = snowflakeAt(NOW - 400 * DAY_MS);
const YOUNG_USER = snowflakeAt(NOW - 2 * DAY_MS);

/** Violations with their evidence rendered in English, as an English guild stores it. */
const english = (vs: readonly Violation[]) => vs.map((v) => ({ ...v, evidence: render('en', v.evidence) }));

function parsed(rules: unknown[], extra: Record<string, unknown> = {}): AutomodConfig {
  const r = parseAutomodConfig({ rules, ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const compiled = (rules: unknown[], extra: Record<string, unknown> = {}) => compileAutomod(parsed(rules, extra));

function ctx(content: string, over: Partial<MessageContext> = {}): MessageContext {
  return { messageId: '1', channelId: '100', parentIds: [], authorId: OLD_USER, authorRoleIds: [], content, mentionCount: 0, ...over };
}

/** Runs messages through one member window; returns the violation rule ids per message. */
function run(c: ReturnType<typeof compileAutomod>, msgs: { at: number; content: string; over?: Partial<MessageContext> }[], w?: MemberWindow) {
  let window = w;
  return msgs.map((m) => {
    const r = evaluateMessage(c, ctx(m.content, m.over), window, m.at);
    window = r.window;
    return r.violations;
  });
}

describe('automod rules', () => {
  it('message rate: fires on the X-th message within Y seconds, not when spread out', () => {
    const c = compiled([{ id: 'rate', kind: 'rate', messages: 5, seconds: 10, effect: { kind: 'timeout', durationMs: 60_000 } }]);
    const fast = run(
      c,
      [0, 1, 2, 3, 4].map((i) => ({ at: NOW + i * 1000, content: `m${i}` })),
    );
    expect(fast.slice(0, 4).every((v) => v.length === 0)).toBe(true);
    expect(english(fast[4]!)).toMatchObject([
      { ruleId: 'rate', kind: 'rate', evidence: '5 messages in 10 s', effect: { kind: 'timeout', durationMs: 60_000 } },
    ]);
    const slow = run(
      c,
      [0, 1, 2, 3, 4].map((i) => ({ at: NOW + i * 3000, content: `m${i}` })),
    );
    expect(slow.flat()).toEqual([]);
  });

  it('duplicates: the same text (ignoring case and spacing) N times fires; different texts do not', () => {
    const c = compiled([{ id: 'dup', kind: 'duplicate', count: 3, seconds: 30, effect: { kind: 'delete' } }]);
    const same = run(c, [
      { at: NOW, content: 'buy gold' },
      { at: NOW + 1000, content: 'Buy  GOLD' },
      { at: NOW + 2000, content: 'buy gold ' },
    ]);
    expect(same[2]).toMatchObject([{ ruleId: 'dup', deleteMessage: true }]);
    expect(render('en', same[2]![0]!.evidence)).toBe('"buy gold " sent 3 times in 30 s');
    const different = run(c, [
      { at: NOW, content: 'a' },
      { at: NOW + 1000, content: 'b' },
      { at: NOW + 2000, content: 'a' },
    ]);
    expect(different.flat()).toEqual([]);
  });

  it('mentions: more than the maximum fires', () => {
    const c = compiled([{ id: 'ping', kind: 'mentions', max: 4, effect: { kind: 'warn' } }]);
    expect(english(evaluateMessage(c, ctx('hi', { mentionCount: 5 }), undefined, NOW).violations)).toMatchObject([{ ruleId: 'ping', evidence: '5 mentions' }]);
    expect(evaluateMessage(c, ctx('hi', { mentionCount: 4 }), undefined, NOW).violations).toEqual([]);
  });

  it('caps: shouting fires; short messages, normal text and mentions do not', () => {
    const c = compiled([{ id: 'caps', kind: 'caps', minLetters: 10, maxPercent: 70, effect: { kind: 'delete' } }]);
    expect(evaluateMessage(c, ctx('THIS IS ALL SHOUTING'), undefined, NOW).violations).toHaveLength(1);
    expect(evaluateMessage(c, ctx('Hello There Friends Of Mine'), undefined, NOW).violations).toEqual([]);
    expect(evaluateMessage(c, ctx('OK FINE'), undefined, NOW).violations).toEqual([]);
    expect(evaluateMessage(c, ctx('<:PEPEHAPPY:123456789012345678> <@&123456789012345678> ok then'), undefined, NOW).violations).toEqual([]);
  });

  it('invite links: other servers fire (also obfuscated); own and allowed invites pass', () => {
    const c = compiled([{ id: 'inv', kind: 'invites', allowedCodes: ['partner'], effect: { kind: 'delete' } }]);
    const own = { codes: new Set(['OurCode']), vanityCode: 'ourvanity' };
    const check = (s: string) => evaluateMessage(c, ctx(s), undefined, NOW, own).violations;
    expect(english(check('join discord.gg/abc123 now'))).toMatchObject([{ evidence: 'invite discord.gg/abc123' }]);
    expect(check('https://discord.com/invite/xyz789')).toHaveLength(1);
    expect(check('discord . gg / spaced')).toHaveLength(1);
    expect(check('discord(.)gg/dotted')).toHaveLength(1);
    expect(check('disc\u200Bord.gg/hidden')).toHaveLength(1);
    expect(check('our server: discord.gg/OurCode and discord.gg/ourvanity')).toEqual([]);
    expect(check('partners: discord.gg/partner')).toEqual([]);
    expect(check('I like discord a lot')).toEqual([]);
  });

  it('blocked words: whole words, prefixes, phrases, evasions and patterns', () => {
    const c = compiled([
      { id: 'words', kind: 'words', words: ['badword', 'scam*', 'gold seller'], patterns: ['fr[e3]{2}\\s*stuff'], effect: { kind: 'warn' } },
    ]);
    const hit = (s: string) => evaluateMessage(c, ctx(s), undefined, NOW).violations.map((v) => render('en', v.evidence));
    expect(hit('you are a BADWORD')).toEqual(['blocked word "badword"']);
    expect(hit('b\u200Badword')).toHaveLength(1);
    expect(hit('ｂａｄｗｏｒｄ')).toHaveLength(1);
    expect(hit('b4dw0rd')).toHaveLength(1);
    expect(hit('what a scammer')).toEqual(['blocked word "scammer"']);
    expect(hit('best Gold  Seller here')).toEqual(['blocked word "gold seller"']);
    expect(hit('get FREE stuff')).toEqual(['pattern /fr[e3]{2}\\s*stuff/ matched "FREE stuff"']);
    expect(hit('badwords are not whole matches, and a good word is fine')).toEqual([]);
  });

  it('link domains: deny list covers subdomains; allow list flags everything else', () => {
    const deny = compiled([{ id: 'deny', kind: 'links', mode: 'deny', domains: ['evil.com'], effect: { kind: 'delete' } }]);
    expect(english(evaluateMessage(deny, ctx('see https://sub.evil.com/x'), undefined, NOW).violations)).toMatchObject([{ evidence: 'link to sub.evil.com' }]);
    expect(evaluateMessage(deny, ctx('see https://notevil.com/x'), undefined, NOW).violations).toEqual([]);
    const allow = compiled([{ id: 'allow', kind: 'links', mode: 'allow', domains: ['https://example.org/'], effect: { kind: 'delete' } }]);
    expect(evaluateMessage(allow, ctx('docs: https://docs.example.org/a'), undefined, NOW).violations).toEqual([]);
    expect(english(evaluateMessage(allow, ctx('go to https://other.net'), undefined, NOW).violations)).toMatchObject([{ evidence: 'link to other.net' }]);
  });

  it('new accounts: young authors fire on messages and on joins; old ones do not', () => {
    const c = compiled([{ id: 'young', kind: 'new-account', minAgeDays: 7, effect: { kind: 'quarantine', roleId: '999' } }]);
    expect(english(evaluateMessage(c, ctx('hi', { authorId: YOUNG_USER }), undefined, NOW).violations)).toMatchObject([
      { evidence: 'account 2 days old', deleteMessage: false },
    ]);
    expect(evaluateMessage(c, ctx('hi'), undefined, NOW).violations).toEqual([]);
    expect(evaluateJoin(c, { userId: YOUNG_USER, roleIds: [] }, NOW)).toMatchObject([{ ruleId: 'young', effect: { kind: 'quarantine', roleId: '999' } }]);
    expect(evaluateJoin(c, { userId: OLD_USER, roleIds: [] }, NOW)).toEqual([]);
  });

  it('evidence is a message: rendered in the guild’s language, matched member text left as it was', () => {
    const c = compiled([
      { id: 'young', kind: 'new-account', minAgeDays: 7, effect: { kind: 'warn' } },
      { id: 'links', kind: 'links', mode: 'deny', domains: ['evil.com', 'bad.net'], effect: { kind: 'delete' } },
      { id: 'caps', kind: 'caps', minLetters: 10, maxPercent: 70, effect: { kind: 'delete' } },
      { id: 'words', kind: 'words', words: ['badword'], patterns: [], effect: { kind: 'warn' } },
    ]);
    const seen = evaluateMessage(c, ctx('BADWORD HTTPS://EVIL.COM/X AND HTTPS://BAD.NET', { authorId: YOUNG_USER }), undefined, NOW).violations;
    const inLocale = (locale: string) => Object.fromEntries(seen.map((v) => [v.ruleId, render(locale, v.evidence)]));
    expect(inLocale('en')).toEqual({
      young: 'account 2 days old',
      links: 'link to evil.com, bad.net',
      caps: '100% capitals in 10 letters',
      words: 'blocked word "badword"',
    });
    expect(inLocale('de')).toEqual({
      young: 'Konto 2 Tage alt',
      links: 'Link zu evil.com, bad.net',
      caps: '100 % Großbuchstaben bei 10 Buchstaben',
      words: 'gesperrtes Wort „badword“',
    });
    expect(inLocale('fr')).toEqual({
      young: 'compte de 2 jours',
      links: 'lien vers evil.com, bad.net',
      caps: '100 % de majuscules sur 10 lettres',
      words: 'mot bloqué « badword »',
    });
    const [joined] = evaluateJoin(c, { userId: snowflakeAt(NOW - 3_600_000), roleIds: [] }, NOW);
    expect(render('en', joined!.evidence)).toBe('account less than a day old joined');
    expect(render('de', joined!.evidence)).toBe('Konto jünger als ein Tag beigetreten');
    expect(render('es-ES', joined!.evidence)).toBe('se unió una cuenta de menos de un día');
  });
});

describe('exemptions, repeats and decisions', () => {
  const rule = {
    id: 'words',
    kind: 'words',
    words: ['badword'],
    effect: { kind: 'timeout', durationMs: 600_000 },
    exemptRoleIds: ['555'],
    exemptChannelIds: ['777'],
  };

  it('skips exempt roles, channels and thread parents, and globally exempt roles', () => {
    const c = compiled([rule], { exemptRoleIds: ['888'] });
    expect(evaluateMessage(c, ctx('badword'), undefined, NOW).violations).toHaveLength(1);
    expect(evaluateMessage(c, ctx('badword', { authorRoleIds: ['555'] }), undefined, NOW).violations).toEqual([]);
    expect(evaluateMessage(c, ctx('badword', { channelId: '777' }), undefined, NOW).violations).toEqual([]);
    expect(evaluateMessage(c, ctx('badword', { channelId: '101', parentIds: ['777'] }), undefined, NOW).violations).toEqual([]);
    expect(evaluateMessage(c, ctx('badword', { authorRoleIds: ['888'] }), undefined, NOW).violations).toEqual([]);
  });

  it('marks a second firing within the cooldown as a repeat: deleted, not punished again', () => {
    const c = compiled([rule]);
    const [first, second] = run(c, [
      { at: NOW, content: 'badword' },
      { at: NOW + 5000, content: 'badword again' },
    ]);
    expect(first![0]!.repeat).toBe(false);
    expect(second![0]!.repeat).toBe(true);
    expect(decideActions(second!)).toEqual({ deleteMessage: true, effect: null, infractions: [] });
  });

  it('folds several violations into the strongest effect', () => {
    const c = compiled([
      { id: 'a', kind: 'caps', minLetters: 5, maxPercent: 50, effect: { kind: 'timeout', durationMs: 60_000 } },
      { id: 'b', kind: 'words', words: ['spam'], effect: { kind: 'timeout', durationMs: 3_600_000 } },
      { id: 'c', kind: 'mentions', max: 1, effect: { kind: 'warn' } },
    ]);
    const r = evaluateMessage(c, ctx('SPAM SPAM SPAM', { mentionCount: 3 }), undefined, NOW);
    const d = decideActions(r.violations);
    expect(r.violations.map((v) => v.ruleId)).toEqual(['a', 'b', 'c']);
    expect(d.effect).toEqual({ kind: 'timeout', durationMs: 3_600_000 });
    expect(d.deleteMessage).toBe(true);
    expect(d.infractions).toHaveLength(3);
  });

  it('keeps member windows bounded and lets idle ones be swept', () => {
    const c = compiled([
      { id: 'rate', kind: 'rate', messages: 5, seconds: 10, effect: { kind: 'delete' } },
      { id: 'dup', kind: 'duplicate', count: 3, seconds: 60, effect: { kind: 'delete' } },
    ]);
    let w: MemberWindow | undefined;
    for (let i = 0; i < 500; i++) w = evaluateMessage(c, ctx(`message ${i}`), w, NOW + i * 10).window;
    expect(w!.times.length).toBeLessThanOrEqual(5);
    expect(w!.keys.length).toBeLessThanOrEqual(50);
    const windows = new Map([['u', w!]]);
    expect(sweepWindows(windows, NOW + 5000 + 30_000, c)).toBe(0);
    expect(sweepWindows(windows, NOW + 5000 + 61_000, c)).toBe(1);
  });
});

describe('automod configuration', () => {
  it('returns every problem instead of throwing', () => {
    const r = parseAutomodConfig({
      rules: [
        { id: 'x', kind: 'nope' },
        { id: 'Bad Id', kind: 'mentions', max: 0 },
        { id: 'long', kind: 'mentions', max: 3, effect: { kind: 'timeout', durationMs: 29 * DAY_MS } },
        { id: 'dup', kind: 'caps' },
        { id: 'dup', kind: 'caps' },
        { id: 're', kind: 'words', patterns: ['(a+)+$'] },
        { id: 'role', kind: 'caps', exemptRoleIds: ['not-an-id'] },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = Object.fromEntries(r.error.map((i) => [i.path, render('en', i.problem)]));
    expect(paths['rules[0].kind']).toContain('must be one of');
    expect(paths['rules[1].id']).toBeDefined();
    expect(paths['rules[1].max']).toContain('from 1 to 100');
    expect(paths['rules[2].effect.durationMs']).toContain(String(28 * DAY_MS));
    expect(paths['rules[4].id']).toContain('used by another rule');
    expect(paths['rules[5].patterns[0]']).toContain('Nested repetition');
    expect(paths['rules[6].exemptRoleIds[0]']).toContain('not a Discord id');
    expect(parseAutomodConfig('nope')).toMatchObject({ ok: false });
  });

  it('adds, replaces, removes and lists rules', () => {
    let cfg = parsed([]);
    const rule = parseAutomodRule({ id: 'ping', kind: 'mentions', max: 5, effect: { kind: 'kick' }, exemptRoleIds: ['123'] });
    expect(rule.ok).toBe(true);
    if (!rule.ok) return;
    const added = upsertRule(cfg, rule.value);
    if (!added.ok) throw new Error('upsert');
    cfg = added.value;
    expect(render('en', describeRule(cfg.rules[0]!))).toBe(
      '`ping`: more than 5 mentions in a message → kick (after approval) and delete the message; exempt: <@&123>',
    );
    if (rule.value.kind !== 'mentions') throw new Error('kind');
    const replaced = upsertRule(cfg, { ...rule.value, max: 9 });
    expect(replaced.ok && replaced.value.rules).toMatchObject([{ max: 9 }]);
    expect(removeRule(cfg, 'ping')).toMatchObject({ ok: true, value: { rules: [] } });
    expect(removeRule(cfg, 'missing')).toMatchObject({ ok: false });
  });

  it('builds the message context from MESSAGE_CREATE and skips bots, webhooks and DMs', () => {
    const base = {
      id: '5',
      channel_id: '100',
      guild_id: '1',
      type: 0,
      content: 'hello @everyone',
      mention_everyone: false,
      author: { id: OLD_USER, username: 'u', discriminator: '0', global_name: null, avatar: null },
      mentions: [{ id: '7' }, { id: '7' }, { id: '8' }],
      mention_roles: ['9'],
      member: { roles: ['555'] },
    } as unknown as GatewayMessageCreateDispatchData;
    expect(messageContext(base, ['200'])).toMatchObject({ authorRoleIds: ['555'], mentionCount: 4, parentIds: ['200'] });
    expect(messageContext({ ...base, author: { ...base.author, bot: true } })).toBeNull();
    expect(messageContext({ ...base, webhook_id: '3' })).toBeNull();
    expect(messageContext({ ...base, guild_id: undefined })).toBeNull();
  });
});
