import { type GatewayMessageCreateDispatchData, MessageType } from 'discord-api-types/v10';
import { accountAgeMs, DAY_MS } from '../../../discord/snowflake.ts';
import { text as msg, type Text, textList } from '../../../i18n/text.ts';
import type { AutomodConfig, AutomodEffect, AutomodRule, ConfigIssue, RuleKind } from './automod-config.ts';
import { type DomainList, domainList, findInviteCodes, findLinkHosts, hostInList } from './links.ts';
import { contentKey, foldLeet, foldText, stripInvisible, words } from './normalize.ts';
import { admitPattern, type GuardedPattern, runPattern } from './regex-guard.ts';

/**
 * Automod decisions. `compileAutomod` runs once per configuration change
 * (patterns compiled, word lists hashed, exemptions in sets); `evaluateMessage`
 * runs per message and only does set lookups, counting and the linear-time
 * pattern runs, folding the message text at most once.
 */

/** The parts of a message automod looks at. */
export interface MessageContext {
  messageId: string;
  channelId: string;
  /** The thread's parent channel and the category, when known: exemptions on them cover the channel. */
  parentIds: readonly string[];
  authorId: string;
  authorRoleIds: readonly string[];
  content: string;
  /** Distinct users and roles mentioned, plus one for @everyone or @here. */
  mentionCount: number;
}

const CHECKED_TYPES: ReadonlySet<MessageType> = new Set([
  MessageType.Default,
  MessageType.Reply,
  MessageType.ChatInputCommand,
  MessageType.ThreadStarterMessage,
]);

/**
 * Builds the context from a MESSAGE_CREATE; null for what automod never
 * judges: DMs, bots, webhooks and system messages.
 */
export function messageContext(m: GatewayMessageCreateDispatchData, parentIds: readonly string[] = []): MessageContext | null {
  if (!m.guild_id || m.author.bot || m.webhook_id || !CHECKED_TYPES.has(m.type)) return null;
  const users = new Set(m.mentions.map((u) => u.id));
  const everyone = m.mention_everyone || /@(everyone|here)\b/.test(m.content);
  return {
    messageId: m.id,
    channelId: m.channel_id,
    parentIds,
    authorId: m.author.id,
    authorRoleIds: m.member?.roles ?? [],
    content: m.content,
    mentionCount: users.size + new Set(m.mention_roles).size + (everyone ? 1 : 0),
  };
}

/** The guild's own invites: links to them are not "other servers". */
export interface GuildInvites {
  codes: ReadonlySet<string>;
  vanityCode: string | null;
}

const NO_INVITES: GuildInvites = { codes: new Set(), vanityCode: null };

interface WordMatcher {
  plain: ReadonlySet<string>;
  leet: ReadonlySet<string>;
  /** Prefix entries by length, so a token is checked once per distinct length. */
  prefixes: ReadonlyMap<number, ReadonlySet<string>>;
  phrases: readonly (readonly string[])[];
  patterns: GuardedPattern[];
}

interface CompiledRule {
  rule: AutomodRule;
  exemptRoles: ReadonlySet<string>;
  exemptChannels: ReadonlySet<string>;
  words: WordMatcher | null;
  domains: DomainList | null;
  allowedCodes: ReadonlySet<string> | null;
}

export interface CompiledAutomod {
  readonly config: AutomodConfig;
  readonly rules: readonly CompiledRule[];
  readonly exemptRoles: ReadonlySet<string>;
  readonly exemptChannels: ReadonlySet<string>;
  /** Longest rate or duplicate window (ms); member windows keep nothing older. */
  readonly windowMs: number;
  /** Most message times a member window needs. */
  readonly keepTimes: number;
  /** Whether any duplicate rule is on (content keys are only kept then). */
  readonly tracksDuplicates: boolean;
  readonly patternBudget: number;
  /** Patterns that could not be compiled (they are skipped); validation normally refuses them first. */
  readonly problems: readonly ConfigIssue[];
}

/** Most content keys a member window keeps, whatever the rules say. */
const MAX_KEYS = 50;
/** A rule that fired for a member fires again as a "repeat" (delete, no new punishment) within this time. */
export const REPEAT_COOLDOWN_MS = 60_000;

function compileWords(rule: AutomodRule & { kind: 'words' }, problems: ConfigIssue[], disabled: ReadonlySet<string>): WordMatcher {
  const plain = new Set<string>();
  const leet = new Set<string>();
  const prefixes = new Map<number, Set<string>>();
  const phrases: string[][] = [];
  for (const w of rule.words) {
    const prefix = w.trim().endsWith('*');
    const folded = foldText(prefix ? w.trim().slice(0, -1) : w);
    const tokens = words(folded);
    if (tokens.length === 0) continue;
    if (tokens.length > 1) {
      phrases.push(tokens);
      continue;
    }
    const t = tokens[0]!;
    if (prefix) {
      let set = prefixes.get(t.length);
      if (!set) prefixes.set(t.length, (set = new Set()));
      set.add(t);
    } else {
      plain.add(t);
      const l = words(foldLeet(folded))[0];
      if (l) leet.add(l);
    }
  }
  const patterns: GuardedPattern[] = [];
  for (const source of rule.patterns) {
    const p = admitPattern(source);
    if (!p.ok) {
      problems.push({ path: rule.id, problem: p.error });
      continue;
    }
    if (disabled.has(`${rule.id}\u0000${source}`)) p.value.disabled = { at: 0, steps: 0, budget: 0 };
    patterns.push(p.value);
  }
  return { plain, leet, prefixes, phrases, patterns };
}

/**
 * Compiles a validated configuration; only enabled rules are kept.
 * `disabledPatterns` (as reported by earlier evaluations and persisted by
 * the actor) stay disabled, so a pattern that blew its budget does not get
 * a fresh chance after every restart.
 */
export function compileAutomod(config: AutomodConfig, disabledPatterns: Iterable<Pick<DisabledPattern, 'ruleId' | 'pattern'>> = []): CompiledAutomod {
  const problems: ConfigIssue[] = [];
  const disabled = new Set([...disabledPatterns].map((d) => `${d.ruleId}\u0000${d.pattern}`));
  let windowMs = REPEAT_COOLDOWN_MS;
  let keepTimes = 0;
  const rules: CompiledRule[] = [];
  for (const rule of config.rules) {
    if (!rule.enabled) continue;
    if (rule.kind === 'rate') {
      windowMs = Math.max(windowMs, rule.seconds * 1000);
      keepTimes = Math.max(keepTimes, rule.messages);
    }
    if (rule.kind === 'duplicate') windowMs = Math.max(windowMs, rule.seconds * 1000);
    rules.push({
      rule,
      exemptRoles: new Set(rule.exemptRoleIds),
      exemptChannels: new Set(rule.exemptChannelIds),
      words: rule.kind === 'words' ? compileWords(rule, problems, disabled) : null,
      domains: rule.kind === 'links' ? domainList(rule.domains) : null,
      allowedCodes: rule.kind === 'invites' ? new Set(rule.allowedCodes) : null,
    });
  }
  return {
    config,
    rules,
    exemptRoles: new Set(config.exemptRoleIds),
    exemptChannels: new Set(config.exemptChannelIds),
    windowMs,
    keepTimes,
    tracksDuplicates: rules.some((c) => c.rule.kind === 'duplicate'),
    patternBudget: config.patternBudget,
    problems,
  };
}

/**
 * A member's recent activity, as the rate and duplicate rules need it.
 * Bounded: at most `keepTimes` times and 50 content keys, none older than
 * the longest rule window; `fired` holds one entry per rule at most.
 */
export interface MemberWindow {
  /** Times of recent messages, oldest first. */
  times: number[];
  /** Content keys of recent messages and their times, oldest first. */
  keys: number[];
  keyTimes: number[];
  /** When each rule last fired for this member (ms). */
  fired: Record<string, number>;
}

export const emptyWindow = (): MemberWindow => ({ times: [], keys: [], keyTimes: [], fired: {} });

export interface Violation {
  ruleId: string;
  kind: RuleKind;
  effect: AutomodEffect;
  deleteMessage: boolean;
  /**
   * What was seen, for the moderator: the matched word, the count, the domain.
   * A message, rendered in the guild's language where it is stored; matched
   * member text (words, links, snippets) stays a plain value.
   */
  evidence: Text;
  /**
   * The same rule already fired for this member within its window: delete
   * the message as configured, but do not punish or record an infraction again.
   */
  repeat: boolean;
}

export interface DisabledPattern {
  ruleId: string;
  pattern: string;
  steps: number;
  budget: number;
}

export interface AutomodResult {
  violations: Violation[];
  /** The member's window, updated in place (the one passed in, or a new one). */
  window: MemberWindow;
  /** Patterns that went over budget on this message and are now disabled: report and persist. */
  disabledPatterns: DisabledPattern[];
}

/** Lazily computed views of the message text, shared by the rules. */
class TextViews {
  private readonly content: string;
  private _folded?: string;
  private _tokens?: string[];
  private _leetTokens?: string[];
  private _hosts?: string[];
  private _invites?: string[];
  private _caps?: { letters: number; caps: number };
  private _visible?: string;

  constructor(content: string) {
    this.content = content;
  }

  get folded(): string {
    return (this._folded ??= foldText(this.content));
  }
  get tokens(): string[] {
    return (this._tokens ??= words(this.folded));
  }
  get leetTokens(): string[] {
    return (this._leetTokens ??= words(foldLeet(this.folded)));
  }
  get hosts(): string[] {
    return (this._hosts ??= /https?:\/\//i.test(this.content) ? findLinkHosts(this.content) : []);
  }
  /** The raw text without zero-width characters: what patterns run on. */
  get visible(): string {
    return (this._visible ??= stripInvisible(this.content));
  }
  get caps(): { letters: number; caps: number } {
    return (this._caps ??= capsShare(this.content));
  }
  get inviteCodes(): string[] {
    return (this._invites ??= /discord/i.test(this.folded) ? findInviteCodes(this.content) : []);
  }
}

const snippet = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function pruneWindow(w: MemberWindow, now: number, compiled: CompiledAutomod): void {
  const horizon = now - compiled.windowMs;
  let drop = 0;
  while (drop < w.times.length && w.times[drop]! <= horizon) drop++;
  const overflow = w.times.length - drop - compiled.keepTimes;
  if (drop > 0 || overflow > 0) w.times.splice(0, drop + Math.max(0, overflow));
  drop = 0;
  while (drop < w.keyTimes.length && w.keyTimes[drop]! <= horizon) drop++;
  drop = Math.max(drop, w.keys.length - (MAX_KEYS - 1));
  if (drop > 0) {
    w.keys.splice(0, drop);
    w.keyTimes.splice(0, drop);
  }
  for (const id in w.fired) if (w.fired[id]! <= horizon) delete w.fired[id];
}

function countSince(times: readonly number[], since: number): number {
  let n = 0;
  for (let i = times.length - 1; i >= 0 && times[i]! > since; i--) n++;
  return n;
}

function wordHit(m: WordMatcher, text: TextViews): string | null {
  if (m.plain.size > 0 || m.prefixes.size > 0 || m.phrases.length > 0) {
    const tokens = text.tokens;
    for (const t of tokens) {
      if (m.plain.has(t)) return t;
      for (const [len, set] of m.prefixes) if (t.length >= len && set.has(t.slice(0, len))) return t;
    }
    if (m.leet.size > 0) for (const t of text.leetTokens) if (m.leet.has(t)) return t;
    for (const phrase of m.phrases) {
      for (let i = 0; i + phrase.length <= tokens.length; i++) {
        let k = 0;
        while (k < phrase.length && tokens[i + k] === phrase[k]) k++;
        if (k === phrase.length) return phrase.join(' ');
      }
    }
  }
  return null;
}

function capsShare(content: string): { letters: number; caps: number } {
  // Mentions, custom emoji and links are not shouting.
  const text = content.replace(/<[^<>\s]{1,100}>/g, ' ').replace(/\bhttps?:\/\/\S+/gi, ' ');
  let letters = 0;
  let caps = 0;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower === upper) continue;
    letters++;
    if (ch === upper) caps++;
  }
  return { letters, caps };
}

const isExempt = (c: { exemptRoles: ReadonlySet<string>; exemptChannels: ReadonlySet<string> }, ctx: MessageContext): boolean =>
  (c.exemptChannels.size > 0 && (c.exemptChannels.has(ctx.channelId) || ctx.parentIds.some((id) => c.exemptChannels.has(id)))) ||
  (c.exemptRoles.size > 0 && ctx.authorRoleIds.some((id) => c.exemptRoles.has(id)));

/**
 * Judges one message. `window` is the author's window (or undefined for a
 * new one); it is updated in place and returned. `now` is the message time.
 */
export function evaluateMessage(
  compiled: CompiledAutomod,
  ctx: MessageContext,
  window: MemberWindow | undefined,
  now: number,
  guild: GuildInvites = NO_INVITES,
): AutomodResult {
  const w = window ?? emptyWindow();
  const result: AutomodResult = { violations: [], window: w, disabledPatterns: [] };
  if (compiled.rules.length === 0 || isExempt(compiled, ctx)) return result;

  pruneWindow(w, now, compiled);
  if (compiled.keepTimes > 0) {
    w.times.push(now);
    if (w.times.length > compiled.keepTimes) w.times.shift();
  }
  const text = new TextViews(ctx.content);
  let key: number | null = null;
  if (compiled.tracksDuplicates && ctx.content.trim() !== '') {
    key = contentKey(text.folded);
    w.keys.push(key);
    w.keyTimes.push(now);
  }

  for (const c of compiled.rules) {
    if (isExempt(c, ctx)) continue;
    const evidence = judge(c, ctx, w, key, text, now, guild, compiled, result);
    if (evidence === null) continue;
    const r = c.rule;
    const last = w.fired[r.id];
    const cooldown = r.kind === 'rate' || r.kind === 'duplicate' ? r.seconds * 1000 : REPEAT_COOLDOWN_MS;
    const repeat = last !== undefined && now - last < cooldown;
    if (!repeat) w.fired[r.id] = now;
    result.violations.push({ ruleId: r.id, kind: r.kind, effect: r.effect, deleteMessage: r.deleteMessage || r.effect.kind === 'delete', evidence, repeat });
  }
  return result;
}

function judge(
  c: CompiledRule,
  ctx: MessageContext,
  w: MemberWindow,
  key: number | null,
  text: TextViews,
  now: number,
  guild: GuildInvites,
  compiled: CompiledAutomod,
  result: AutomodResult,
): Text | null {
  const r = c.rule;
  switch (r.kind) {
    case 'rate': {
      const n = countSince(w.times, now - r.seconds * 1000);
      return n >= r.messages ? msg('mod.automod.evidence.rate', { count: n, seconds: r.seconds }) : null;
    }
    case 'duplicate': {
      if (key === null) return null;
      const since = now - r.seconds * 1000;
      let n = 0;
      for (let i = w.keys.length - 1; i >= 0 && w.keyTimes[i]! > since; i--) if (w.keys[i] === key) n++;
      return n >= r.count ? msg('mod.automod.evidence.duplicate', { text: snippet(ctx.content, 60), count: n, seconds: r.seconds }) : null;
    }
    case 'mentions':
      return ctx.mentionCount > r.max ? msg('mod.automod.evidence.mentions', { count: ctx.mentionCount }) : null;
    case 'caps': {
      if (ctx.content.length < r.minLetters) return null;
      const { letters, caps } = text.caps;
      if (letters < r.minLetters || caps * 100 <= r.maxPercent * letters) return null;
      return msg('mod.automod.evidence.caps', { percent: Math.round((caps * 100) / letters), letters });
    }
    case 'invites': {
      const foreign = text.inviteCodes.filter((code) => !guild.codes.has(code) && code !== guild.vanityCode && !c.allowedCodes!.has(code));
      return foreign.length > 0 ? msg('mod.automod.evidence.invites', { codes: textList(foreign.map((x) => `discord.gg/${x}`)) }) : null;
    }
    case 'links': {
      const bad = text.hosts.filter((h) => hostInList(h, c.domains!) === (r.mode === 'deny'));
      return bad.length > 0 ? msg('mod.automod.evidence.links', { hosts: textList(bad) }) : null;
    }
    case 'new-account': {
      const age = accountAgeMs(ctx.authorId, now);
      return age === null || age < r.minAgeDays * DAY_MS ? msg('mod.automod.evidence.account', { age: describeAge(age) }) : null;
    }
    case 'words': {
      const m = c.words!;
      const word = wordHit(m, text);
      if (word !== null) return msg('mod.automod.evidence.word', { word });
      for (const p of m.patterns) {
        const out = runPattern(p, text.visible, compiled.patternBudget, now);
        if (out.kind === 'match') return msg('mod.automod.evidence.pattern', { pattern: p.source, text: snippet(out.evidence) });
        if (out.kind === 'over-budget') result.disabledPatterns.push({ ruleId: r.id, pattern: p.source, steps: out.steps, budget: compiled.patternBudget });
      }
      return null;
    }
  }
}

/** New-account rules applied at GUILD_MEMBER_ADD (there is no message to delete). */
export function evaluateJoin(compiled: CompiledAutomod, member: { userId: string; roleIds: readonly string[] }, now: number): Violation[] {
  if (member.roleIds.some((id) => compiled.exemptRoles.has(id))) return [];
  const out: Violation[] = [];
  for (const c of compiled.rules) {
    const r = c.rule;
    if (r.kind !== 'new-account' || member.roleIds.some((id) => c.exemptRoles.has(id))) continue;
    const age = accountAgeMs(member.userId, now);
    if (age !== null && age >= r.minAgeDays * DAY_MS) continue;
    out.push({
      ruleId: r.id,
      kind: r.kind,
      effect: r.effect,
      deleteMessage: false,
      repeat: false,
      evidence: msg('mod.automod.evidence.account-joined', { age: describeAge(age) }),
    });
  }
  return out;
}

const SEVERITY: Record<AutomodEffect['kind'], number> = { delete: 0, warn: 1, quarantine: 2, timeout: 3, kick: 4, ban: 5 };

/** Orders effects: ban > kick > timeout (longer first) > quarantine > warn > delete. */
export function compareEffects(a: AutomodEffect, b: AutomodEffect): number {
  const d = SEVERITY[a.kind] - SEVERITY[b.kind];
  if (d !== 0) return d;
  return a.kind === 'timeout' && b.kind === 'timeout' ? a.durationMs - b.durationMs : 0;
}

export interface AutomodDecision {
  deleteMessage: boolean;
  /** The strongest effect among the violations that are not repeats; null when there is none beyond deleting. */
  effect: AutomodEffect | null;
  /** Violations to add to the member's infraction record (repeats excluded). */
  infractions: Violation[];
}

/** Folds a message's violations into what the actor should do. */
export function decideActions(violations: readonly Violation[]): AutomodDecision {
  let effect: AutomodEffect | null = null;
  const infractions: Violation[] = [];
  let deleteMessage = false;
  for (const v of violations) {
    deleteMessage ||= v.deleteMessage;
    if (v.repeat) continue;
    infractions.push(v);
    if (v.effect.kind !== 'delete' && (effect === null || compareEffects(v.effect, effect) > 0)) effect = v.effect;
  }
  return { deleteMessage, effect, infractions };
}

/** True when nothing in the window can matter any more: the actor may drop it. */
export function windowIdle(w: MemberWindow, now: number, compiled: CompiledAutomod): boolean {
  const last = Math.max(w.times.at(-1) ?? 0, w.keyTimes.at(-1) ?? 0, ...Object.values(w.fired));
  return now - last >= compiled.windowMs;
}

/** Drops idle member windows; returns how many were removed. */
export function sweepWindows(windows: Map<string, MemberWindow>, now: number, compiled: CompiledAutomod): number {
  let removed = 0;
  for (const [id, w] of windows)
    if (windowIdle(w, now, compiled)) {
      windows.delete(id);
      removed++;
    }
  return removed;
}

function describeAge(ageMs: number | null): Text {
  return ageMs === null ? msg('mod.automod.evidence.age-unknown') : msg('mod.automod.evidence.age', { days: Math.floor(ageMs / DAY_MS) });
}
