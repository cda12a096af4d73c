import { isSnowflake } from '../../../discord/snowflake.ts';
import { render, type Text, text } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';
import { durationText, MAX_TIMEOUT_MS } from './duration.ts';
import { parseDomain } from './links.ts';
import { admitPattern, DEFAULT_PATTERN_BUDGET } from './regex-guard.ts';

/** Discord's native timeout lasts at most 28 days. */
export { formatDuration, MAX_TIMEOUT_MS } from './duration.ts';
/** `delete_message_seconds` on a ban: 0 to 7 days. */
export const MAX_BAN_DELETE_SECONDS = 604_800;

export const RULE_KINDS = ['rate', 'duplicate', 'mentions', 'caps', 'invites', 'words', 'links', 'new-account'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const EFFECT_KINDS = ['delete', 'warn', 'timeout', 'kick', 'ban', 'quarantine'] as const;

/** What happens to the author when a rule fires. */
export type AutomodEffect =
  | { kind: 'delete' }
  | { kind: 'warn' }
  | { kind: 'timeout'; durationMs: number }
  | { kind: 'kick' }
  | { kind: 'ban'; deleteMessageSeconds: number }
  | { kind: 'quarantine'; roleId: string };

interface RuleBase {
  /** Short, unique within the guild: `[a-z0-9-]{1,32}`. */
  id: string;
  enabled: boolean;
  exemptRoleIds: string[];
  /** Channels, thread parents or categories where the rule does not apply. */
  exemptChannelIds: string[];
  effect: AutomodEffect;
  /** Also delete the offending message (join-time rules have none). */
  deleteMessage: boolean;
}

/** Fires on the `messages`-th message within `seconds`. */
export interface RateRule extends RuleBase {
  kind: 'rate';
  messages: number;
  seconds: number;
}
/** Fires on the `count`-th identical message (after folding) within `seconds`. */
export interface DuplicateRule extends RuleBase {
  kind: 'duplicate';
  count: number;
  seconds: number;
}
/** Fires when a message mentions more than `max` distinct users and roles (@everyone/@here counts as one). */
export interface MentionsRule extends RuleBase {
  kind: 'mentions';
  max: number;
}
/** Fires when at least `minLetters` letters are present and more than `maxPercent` of them are capitals. */
export interface CapsRule extends RuleBase {
  kind: 'caps';
  minLetters: number;
  maxPercent: number;
}
/** Fires on invite links to other servers; the guild's own invites and `allowedCodes` pass. */
export interface InvitesRule extends RuleBase {
  kind: 'invites';
  allowedCodes: string[];
}
/**
 * Blocked words (whole words after folding; `word*` blocks every word that
 * starts with `word`; several words form a phrase) and regular expressions
 * (case-insensitive, on the raw text without invisible characters; see
 * regex-guard.ts for what is refused).
 */
export interface WordsRule extends RuleBase {
  kind: 'words';
  words: string[];
  patterns: string[];
}
/** `deny`: links to these domains fire; `allow`: links anywhere else fire. Subdomains are covered. */
export interface LinksRule extends RuleBase {
  kind: 'links';
  mode: 'allow' | 'deny';
  domains: string[];
}
/** Fires for accounts younger than `minAgeDays` (from the user id), on messages and on joins. */
export interface NewAccountRule extends RuleBase {
  kind: 'new-account';
  minAgeDays: number;
}

export type AutomodRule = RateRule | DuplicateRule | MentionsRule | CapsRule | InvitesRule | WordsRule | LinksRule | NewAccountRule;

export interface AutomodConfig {
  rules: AutomodRule[];
  /** Exempt from every rule. */
  exemptRoleIds: string[];
  exemptChannelIds: string[];
  /** Steps each pattern may spend per message (see regex-guard.ts). */
  patternBudget: number;
}

export const AUTOMOD_LIMITS = {
  rules: 100,
  words: 1000,
  wordLength: 100,
  patterns: 50,
  domains: 500,
  exemptIds: 50,
  allowedCodes: 100,
} as const;

export const DEFAULT_AUTOMOD_CONFIG: AutomodConfig = { rules: [], exemptRoleIds: [], exemptChannelIds: [], patternBudget: DEFAULT_PATTERN_BUDGET };

/** A problem with a configuration, located by a path such as `rules[2].seconds`. */
export interface ConfigIssue {
  path: string;
  /** What is wrong, as a message value: rendered in the reader's language at the reply (`issueText`). */
  problem: Text;
}

const RULE_ID = /^[a-z0-9-]{1,32}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly issues: ConfigIssue[] = [];

  fail(path: string, problem: Text): void {
    this.issues.push({ path, problem });
  }

  int(o: Obj, key: string, path: string, min: number, max: number, fallback?: number): number {
    const v = o[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(`${path}.${key}`, text('rule.int-range', { min, max }));
      return min;
    }
    return v;
  }

  bool(o: Obj, key: string, path: string, fallback: boolean): boolean {
    const v = o[key] ?? fallback;
    if (typeof v !== 'boolean') {
      this.fail(`${path}.${key}`, text('rule.bool'));
      return fallback;
    }
    return v;
  }

  strings(o: Obj, key: string, path: string, max: number, check?: (s: string) => Text | null): string[] {
    const v = o[key] ?? [];
    if (!Array.isArray(v)) {
      this.fail(`${path}.${key}`, text('rule.list'));
      return [];
    }
    if (v.length > max) this.fail(`${path}.${key}`, text('rule.list-too-long', { max, count: v.length }));
    const out: string[] = [];
    v.slice(0, max).forEach((s, i) => {
      if (typeof s !== 'string' || s.trim() === '') {
        this.fail(`${path}.${key}[${i}]`, text('rule.non-empty-string'));
        return;
      }
      const problem = check?.(s);
      if (problem) this.fail(`${path}.${key}[${i}]`, problem);
      else out.push(s);
    });
    return out;
  }

  ids(o: Obj, key: string, path: string): string[] {
    return [...new Set(this.strings(o, key, path, AUTOMOD_LIMITS.exemptIds, (s) => (isSnowflake(s) ? null : text('rule.not-an-id', { value: s }))))];
  }
}

function parseEffect(c: Checker, v: unknown, path: string): AutomodEffect {
  if (!isObj(v) || typeof v.kind !== 'string' || !(EFFECT_KINDS as readonly string[]).includes(v.kind)) {
    c.fail(path, text('rule.one-of', { list: EFFECT_KINDS.join(', ') }));
    return { kind: 'delete' };
  }
  switch (v.kind) {
    case 'timeout':
      return { kind: 'timeout', durationMs: c.int(v, 'durationMs', path, 1000, MAX_TIMEOUT_MS) };
    case 'ban':
      return { kind: 'ban', deleteMessageSeconds: c.int(v, 'deleteMessageSeconds', path, 0, MAX_BAN_DELETE_SECONDS, 0) };
    case 'quarantine': {
      if (!isSnowflake(v.roleId)) {
        c.fail(`${path}.roleId`, text('rule.quarantine-role'));
        return { kind: 'quarantine', roleId: '0' };
      }
      return { kind: 'quarantine', roleId: v.roleId };
    }
    case 'warn':
      return { kind: 'warn' };
    case 'kick':
      return { kind: 'kick' };
    default:
      return { kind: 'delete' };
  }
}

function parseRule(c: Checker, v: unknown, path: string): AutomodRule | null {
  if (!isObj(v)) {
    c.fail(path, text('rule.object'));
    return null;
  }
  if (typeof v.kind !== 'string' || !(RULE_KINDS as readonly string[]).includes(v.kind)) {
    c.fail(`${path}.kind`, text('rule.one-of', { list: RULE_KINDS.join(', ') }));
    return null;
  }
  const kind = v.kind as RuleKind;
  const issuesBefore = c.issues.length;
  if (typeof v.id !== 'string' || !RULE_ID.test(v.id)) c.fail(`${path}.id`, text('rule.id-format'));
  const base: RuleBase = {
    id: typeof v.id === 'string' ? v.id : '',
    enabled: c.bool(v, 'enabled', path, true),
    exemptRoleIds: c.ids(v, 'exemptRoleIds', path),
    exemptChannelIds: c.ids(v, 'exemptChannelIds', path),
    effect: parseEffect(c, v.effect ?? { kind: 'delete' }, `${path}.effect`),
    deleteMessage: c.bool(v, 'deleteMessage', path, kind !== 'new-account'),
  };
  switch (kind) {
    case 'rate':
      return { ...base, kind, messages: c.int(v, 'messages', path, 2, 100), seconds: c.int(v, 'seconds', path, 1, 3600) };
    case 'duplicate':
      return { ...base, kind, count: c.int(v, 'count', path, 2, 50), seconds: c.int(v, 'seconds', path, 1, 3600) };
    case 'mentions':
      return { ...base, kind, max: c.int(v, 'max', path, 1, 100) };
    case 'caps':
      return { ...base, kind, minLetters: c.int(v, 'minLetters', path, 1, 2000, 10), maxPercent: c.int(v, 'maxPercent', path, 1, 99, 70) };
    case 'invites':
      return {
        ...base,
        kind,
        allowedCodes: c.strings(v, 'allowedCodes', path, AUTOMOD_LIMITS.allowedCodes, (s) =>
          /^[A-Za-z0-9-]{2,32}$/.test(s) ? null : text('rule.not-invite-code', { value: s }),
        ),
      };
    case 'words': {
      const words = c.strings(v, 'words', path, AUTOMOD_LIMITS.words, (s) =>
        s.length > AUTOMOD_LIMITS.wordLength ? text('rule.word-too-long', { max: AUTOMOD_LIMITS.wordLength }) : null,
      );
      const patterns = c.strings(v, 'patterns', path, AUTOMOD_LIMITS.patterns, (s) => {
        const admitted = admitPattern(s);
        return admitted.ok ? null : admitted.error;
      });
      if (words.length === 0 && patterns.length === 0 && c.issues.length === issuesBefore) c.fail(path, text('rule.needs-word'));
      return { ...base, kind, words, patterns };
    }
    case 'links': {
      const mode = v.mode ?? 'deny';
      if (mode !== 'allow' && mode !== 'deny') c.fail(`${path}.mode`, text('rule.allow-or-deny'));
      const domains = c
        .strings(v, 'domains', path, AUTOMOD_LIMITS.domains, (s) => {
          const d = parseDomain(s);
          return d.ok ? null : d.error;
        })
        .map((s) => {
          const d = parseDomain(s);
          return d.ok ? d.value : s;
        });
      if (mode === 'deny' && domains.length === 0) c.fail(`${path}.domains`, text('rule.deny-needs-domain'));
      return { ...base, kind, mode: mode === 'allow' ? 'allow' : 'deny', domains: [...new Set(domains)] };
    }
    case 'new-account':
      return { ...base, kind, minAgeDays: c.int(v, 'minAgeDays', path, 1, 365) };
  }
}

/**
 * Validates an automod configuration from storage or from `/automod`. Never
 * throws: a bad configuration comes back as the list of every problem found.
 */
export function parseAutomodConfig(input: unknown): Result<AutomodConfig, ConfigIssue[]> {
  const c = new Checker();
  if (!isObj(input)) return err([{ path: '', problem: text('rule.object') }]);
  const rulesIn = input.rules ?? [];
  const rules: AutomodRule[] = [];
  if (!Array.isArray(rulesIn)) c.fail('rules', text('rule.list'));
  else {
    if (rulesIn.length > AUTOMOD_LIMITS.rules) c.fail('rules', text('rule.too-many-rules', { max: AUTOMOD_LIMITS.rules, count: rulesIn.length }));
    const seen = new Set<string>();
    rulesIn.slice(0, AUTOMOD_LIMITS.rules).forEach((r, i) => {
      const rule = parseRule(c, r, `rules[${i}]`);
      if (!rule) return;
      if (seen.has(rule.id)) c.fail(`rules[${i}].id`, text('rule.id-taken', { id: rule.id }));
      seen.add(rule.id);
      rules.push(rule);
    });
  }
  const config: AutomodConfig = {
    rules,
    exemptRoleIds: c.ids(input, 'exemptRoleIds', 'config'),
    exemptChannelIds: c.ids(input, 'exemptChannelIds', 'config'),
    patternBudget: c.int(input, 'patternBudget', 'config', 1000, 10_000_000, DEFAULT_AUTOMOD_CONFIG.patternBudget),
  };
  return c.issues.length > 0 ? err(c.issues) : ok(config);
}

/** Validates one rule (for `/automod add`); the issues' paths start at `rule`. */
export function parseAutomodRule(input: unknown): Result<AutomodRule, ConfigIssue[]> {
  const c = new Checker();
  const rule = parseRule(c, input, 'rule');
  return rule && c.issues.length === 0 ? ok(rule) : err(c.issues);
}

/** One problem as a line in `locale`: the path (an identifier, kept as is) and what is wrong. */
export const issueText = (locale: string | null | undefined, i: ConfigIssue): string =>
  i.path ? `${i.path}: ${render(locale, i.problem)}` : render(locale, i.problem);

/** Adds a rule or replaces the one with the same id. */
export function upsertRule(config: AutomodConfig, rule: AutomodRule): Result<AutomodConfig, ConfigIssue[]> {
  const i = config.rules.findIndex((r) => r.id === rule.id);
  if (i < 0 && config.rules.length >= AUTOMOD_LIMITS.rules) {
    return err([{ path: 'rules', problem: text('rule.server-full', { max: AUTOMOD_LIMITS.rules }) }]);
  }
  const rules = i < 0 ? [...config.rules, rule] : config.rules.map((r, k) => (k === i ? rule : r));
  return ok({ ...config, rules });
}

export function removeRule(config: AutomodConfig, id: string): Result<AutomodConfig, ConfigIssue[]> {
  if (!config.rules.some((r) => r.id === id)) return err([{ path: 'rules', problem: text('rule.no-such-rule', { id }) }]);
  return ok({ ...config, rules: config.rules.filter((r) => r.id !== id) });
}

/** What a rule does to the author, as a message value (the `/automod list` lines). */
export function describeEffect(e: AutomodEffect): Text {
  return text('mod.automod.effect', {
    kind: e.kind,
    duration: e.kind === 'timeout' ? durationText(e.durationMs) : '',
    role: e.kind === 'quarantine' ? e.roleId : '',
  });
}

/** What a rule looks for, as a message value. */
function describeTrigger(r: AutomodRule): Text {
  switch (r.kind) {
    case 'rate':
      return text('mod.automod.what.rate', { messages: r.messages, seconds: r.seconds });
    case 'duplicate':
      return text('mod.automod.what.duplicate', { count: r.count, seconds: r.seconds });
    case 'mentions':
      return text('mod.automod.what.mentions', { max: r.max });
    case 'caps':
      return text('mod.automod.what.caps', { percent: r.maxPercent, letters: r.minLetters });
    case 'invites':
      return text('mod.automod.what.invites', { hasAllowed: r.allowedCodes.length ? 'yes' : 'no', allowed: r.allowedCodes.join(', ') });
    case 'words':
      return text('mod.automod.what.words', { words: r.words.length, patterns: r.patterns.length });
    case 'links':
      return text('mod.automod.what.links', { mode: r.mode, hasDomains: r.domains.length ? 'yes' : 'no', domains: r.domains.join(', ') });
    case 'new-account':
      return text('mod.automod.what.new-account', { days: r.minAgeDays });
  }
}

/** One line per rule for `/automod list` (and the `/automod add` answer), rendered in the reader's locale. */
export function describeRule(r: AutomodRule): Text {
  const exempt = [...r.exemptRoleIds.map((id) => `<@&${id}>`), ...r.exemptChannelIds.map((id) => `<#${id}>`)];
  const effect = describeEffect(r.effect);
  return text('mod.automod.line', {
    id: r.id,
    off: r.enabled ? 'no' : 'yes',
    what: describeTrigger(r),
    effect: r.deleteMessage && r.effect.kind !== 'delete' ? text('mod.automod.effect-and-delete', { effect }) : effect,
    hasExempt: exempt.length ? 'yes' : 'no',
    exempt: exempt.join(' '),
  });
}
