import { DAY_MS, snowflakeTime } from '../../../discord/snowflake.ts';
import { type Text, text, textList } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';
import type { ConfigIssue } from '../../moderation/rules/automod-config.ts';
import { foldText } from '../../moderation/rules/normalize.ts';

/**
 * The join-spike detector: a sliding window over join times per guild.
 * "N joins in S seconds" is a raid; so is a smaller burst (at least
 * `suspiciousJoins`) in which most accounts are new or most names follow
 * one pattern. Memory is bounded by `capacity` entries whatever the join rate.
 */

export interface RaidConfig {
  enabled: boolean;
  /** N: joins within `seconds` that make a raid. */
  joins: number;
  seconds: number;
  /** Accounts younger than this count as new. */
  newAccountDays: number;
  /** A smaller burst of at least this many joins is a raid when `suspiciousShare` of it is new or same-named. */
  suspiciousJoins: number;
  suspiciousShare: number;
}

export const DEFAULT_RAID_CONFIG: RaidConfig = { enabled: true, joins: 10, seconds: 10, newAccountDays: 7, suspiciousJoins: 6, suspiciousShare: 0.8 };

export function parseRaidConfig(input: unknown): Result<RaidConfig, ConfigIssue[]> {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  const int = (k: keyof RaidConfig, min: number, max: number): number => {
    const v = o[k] ?? DEFAULT_RAID_CONFIG[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      issues.push({ path: `raid.${k}`, problem: text('rule.int-range', { min, max }) });
      return min;
    }
    return v;
  };
  const enabled = o.enabled ?? true;
  if (typeof enabled !== 'boolean') issues.push({ path: 'raid.enabled', problem: text('rule.bool') });
  const share = o.suspiciousShare ?? DEFAULT_RAID_CONFIG.suspiciousShare;
  if (typeof share !== 'number' || share <= 0 || share > 1) issues.push({ path: 'raid.suspiciousShare', problem: text('prot.cfg.share') });
  const joins = int('joins', 2, 1000);
  const config: RaidConfig = {
    enabled: enabled === true,
    joins,
    seconds: int('seconds', 1, 3600),
    newAccountDays: int('newAccountDays', 1, 365),
    suspiciousJoins: int('suspiciousJoins', 2, 1000),
    suspiciousShare: typeof share === 'number' ? share : 0.8,
  };
  if (config.suspiciousJoins > joins) issues.push({ path: 'raid.suspiciousJoins', problem: text('prot.cfg.suspicious-joins') });
  return issues.length > 0 ? err(issues) : ok(config);
}

export interface JoinEntry {
  userId: string;
  at: number;
  name: string;
}

/** A join as the window keeps it: what the assessment needs, computed once when it is recorded. */
export interface TrackedJoin {
  userId: string;
  at: number;
  newAccount: boolean;
  nameKeys: string[];
}

/** Recent joins, oldest first, never more than `capacity`. Plain JSON, so the actor can write it behind. */
export interface JoinWindow {
  entries: TrackedJoin[];
  capacity: number;
}

/** Room for a full raid window plus the joins that continue it. */
export const newJoinWindow = (config: RaidConfig): JoinWindow => ({ entries: [], capacity: Math.min(Math.max(config.joins * 5, 50), 2000) });

export interface NamePattern {
  kind: 'shape' | 'prefix' | 'suffix';
  pattern: string;
  count: number;
}

export interface RaidAssessment {
  crossed: boolean;
  reason: 'rate' | 'suspicious' | null;
  /** Joins in the window, this one included. */
  count: number;
  newAccounts: number;
  newAccountShare: number;
  namePattern: NamePattern | null;
  namePatternShare: number;
  /** Members who joined within the window: the spike to quarantine when crossed. */
  memberIds: string[];
  /** "12 joins in 10 s; 11 new accounts; 10 names like raider#", as a message: rendered in the guild's language where it is stored. */
  summary: Text;
}

/** A name's shape: folded, separators removed, digit runs as "#" ("Raider_123" → "raider#"). */
export function nameShape(name: string): string {
  return foldText(name)
    .replace(/[\s._\-|]+/g, '')
    .replace(/\d+/g, '#');
}

/** The groups a name can belong to: its shape, and its 4-letter prefix and suffix when it has 5 letters or more. */
export function nameKeys(name: string): string[] {
  const shape = nameShape(name);
  const letters = shape.replace(/#/g, '');
  const keys = new Set<string>();
  if (shape.length >= 3) keys.add(`shape:${shape}`);
  if (letters.length >= 5) {
    keys.add(`prefix:${letters.slice(0, 4)}`);
    keys.add(`suffix:${letters.slice(-4)}`);
  }
  return [...keys];
}

const RANK: Record<NamePattern['kind'], number> = { shape: 0, prefix: 1, suffix: 2 };

function largestGroup(keyLists: readonly (readonly string[])[]): NamePattern | null {
  const counts = new Map<string, number>();
  for (const keys of keyLists) for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  let best: NamePattern | null = null;
  for (const [k, count] of counts) {
    if (count < 3) continue;
    const kind = k.slice(0, k.indexOf(':')) as NamePattern['kind'];
    if (!best || count > best.count || (count === best.count && RANK[kind] < RANK[best.kind])) best = { kind, pattern: k.slice(k.indexOf(':') + 1), count };
  }
  return best;
}

/** The largest group of names sharing a shape, a 4-letter prefix or a 4-letter suffix (groups of at least 3). */
export const largestNamePattern = (names: readonly string[]): NamePattern | null => largestGroup(names.map(nameKeys));

/**
 * Records a join and assesses the window ending at `entry.at`. The window
 * is mutated in place (it is the actor's in-memory state, written behind).
 */
export function recordJoin(window: JoinWindow, entry: JoinEntry, config: RaidConfig): RaidAssessment {
  const { entries } = window;
  const created = snowflakeTime(entry.userId);
  entries.push({
    userId: entry.userId,
    at: entry.at,
    nameKeys: nameKeys(entry.name),
    newAccount: created === null || entry.at - created < config.newAccountDays * DAY_MS,
  });
  const horizon = entry.at - config.seconds * 1000;
  let drop = 0;
  while (drop < entries.length && entries[drop]!.at <= horizon) drop++;
  drop = Math.max(drop, entries.length - window.capacity);
  if (drop > 0) entries.splice(0, drop);
  return assess(window, entry.at, config);
}

/** Assesses the joins within the window ending at `now`, without recording anything. */
export function assess(window: JoinWindow, now: number, config: RaidConfig): RaidAssessment {
  const horizon = now - config.seconds * 1000;
  const inWindow = window.entries.filter((e) => e.at > horizon && e.at <= now);
  const count = inWindow.length;
  const newAccounts = inWindow.filter((e) => e.newAccount).length;
  const namePattern = largestGroup(inWindow.map((e) => e.nameKeys));
  const newAccountShare = count ? newAccounts / count : 0;
  const namePatternShare = count && namePattern ? namePattern.count / count : 0;
  let reason: RaidAssessment['reason'] = null;
  if (config.enabled && count >= config.joins) reason = 'rate';
  else if (config.enabled && count >= config.suspiciousJoins && Math.max(newAccountShare, namePatternShare) >= config.suspiciousShare) reason = 'suspicious';
  const parts = [text('prot.raid.joins', { count, seconds: config.seconds }), text('prot.raid.new-accounts', { n: newAccounts })];
  if (namePattern) parts.push(text('prot.raid.names', { n: namePattern.count, kind: namePattern.kind, pattern: namePattern.pattern }));
  return {
    crossed: reason !== null,
    reason,
    count,
    newAccounts,
    newAccountShare,
    namePattern,
    namePatternShare,
    memberIds: inWindow.map((e) => e.userId),
    summary: textList(parts, 'semicolon') as Text,
  };
}
