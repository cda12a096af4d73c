import { err, ok, type Result } from '../../../lib/result.ts';

/** Who may open tickets and how often (/setup intake), kept in the guild's ticket settings. */
export interface IntakeRules {
  /** When either list is non-empty, only members on it or holding a listed role may open tickets. */
  allowUsers: string[];
  allowRoles: string[];
  /** Blocked members and roles never open tickets; the block wins over the allowlist. */
  blockUsers: string[];
  blockRoles: string[];
  /** Minutes a member waits between two opens; 0 is off. */
  cooldownMin: number;
  /** Help channels whose keyword messages get a suggestion to open a ticket. */
  suggest: SuggestChannel[];
}

export const DEFAULT_INTAKE: IntakeRules = { allowUsers: [], allowRoles: [], blockUsers: [], blockRoles: [], cooldownMin: 0, suggest: [] };

/** How many ids each list keeps: enough for a server's exceptions, small enough to read on every open. */
export const MAX_INTAKE_ENTRIES = 50;

export type IntakeList = 'allow' | 'block';
export type IntakeTarget = { kind: 'user' | 'role'; id: string };

export type IntakeRefusal = { code: 'blocked' } | { code: 'not-allowed' } | { code: 'cooldown'; until: number };

/** Whether a member may open a ticket now; `lastOpenedAt` is their latest ticket's creation (null: never). */
export function checkIntake(
  rules: IntakeRules,
  member: { userId: string; roles: readonly string[] },
  lastOpenedAt: number | null,
  at: number,
): Result<void, IntakeRefusal> {
  if (rules.blockUsers.includes(member.userId) || member.roles.some((r) => rules.blockRoles.includes(r))) return err({ code: 'blocked' });
  const hasAllowlist = rules.allowUsers.length > 0 || rules.allowRoles.length > 0;
  if (hasAllowlist && !rules.allowUsers.includes(member.userId) && !member.roles.some((r) => rules.allowRoles.includes(r))) {
    return err({ code: 'not-allowed' });
  }
  if (rules.cooldownMin > 0 && lastOpenedAt !== null) {
    const until = lastOpenedAt + rules.cooldownMin * 60_000;
    if (at < until) return err({ code: 'cooldown', until });
  }
  return ok(undefined);
}

const listKey = (list: IntakeList, kind: IntakeTarget['kind']) =>
  (list === 'allow' ? (kind === 'user' ? 'allowUsers' : 'allowRoles') : kind === 'user' ? 'blockUsers' : 'blockRoles') as
    | 'allowUsers'
    | 'allowRoles'
    | 'blockUsers'
    | 'blockRoles';

/** Adds a member or role to a list; refuses what is already there or a full list (nothing changes then). */
export function addToList(rules: IntakeRules, list: IntakeList, target: IntakeTarget): Result<IntakeRules, 'already' | 'full'> {
  const key = listKey(list, target.kind);
  if (rules[key].includes(target.id)) return err('already');
  if (rules[key].length >= MAX_INTAKE_ENTRIES) return err('full');
  return ok({ ...rules, [key]: [...rules[key], target.id] });
}

/** Removes a member or role from a list; refuses what is not on it. */
export function removeFromList(rules: IntakeRules, list: IntakeList, target: IntakeTarget): Result<IntakeRules, 'absent'> {
  const key = listKey(list, target.kind);
  if (!rules[key].includes(target.id)) return err('absent');
  return ok({ ...rules, [key]: rules[key].filter((id) => id !== target.id) });
}

/** A help channel where member messages with a keyword get "open a ticket?" (at most once per member per SUGGEST_INTERVAL_MS). */
export interface SuggestChannel {
  channelId: string;
  keywords: string[];
}

export const SUGGEST_INTERVAL_MS = 3_600_000;
/** How long after pressing a suggestion's button the ticket still counts as coming from that message (a form takes minutes, not hours). */
export const REPORT_WINDOW_MS = 30 * 60_000;
export const MAX_KEYWORDS = 20;
export const MAX_KEYWORD_LENGTH = 40;
export const MAX_SUGGEST_CHANNELS = 10;

/** `crash, refund ,Login` → `['crash', 'refund', 'login']`; refuses too many or too long keywords. */
export function parseKeywords(input: string): Result<string[], 'too-many' | 'too-long'> {
  const words = [...new Set(input.split(',').map((w) => w.trim().toLowerCase()))].filter(Boolean);
  if (words.length > MAX_KEYWORDS) return err('too-many');
  if (words.some((w) => w.length > MAX_KEYWORD_LENGTH)) return err('too-long');
  return ok(words);
}

/** Whether a message names a keyword as a whole word or phrase, ignoring case. */
export function matchesKeyword(keywords: readonly string[], content: string): boolean {
  const text = ` ${content.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  return keywords.some((k) => {
    const w = k.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    return w !== '' && text.includes(` ${w} `);
  });
}

/** Sets a channel's keywords (none: the channel stops suggesting). */
export function setSuggestChannel(rules: IntakeRules, channelId: string, keywords: string[]): Result<IntakeRules, 'full'> {
  const others = rules.suggest.filter((s) => s.channelId !== channelId);
  if (keywords.length === 0) return ok({ ...rules, suggest: others });
  if (others.length >= MAX_SUGGEST_CHANNELS) return err('full');
  return ok({ ...rules, suggest: [...others, { channelId, keywords }] });
}
