import { err, ok, type Result } from '../../../lib/result.ts';

/**
 * A member's infraction record: every automod violation, classifier finding
 * and manual `/warn` adds one; `/pardon` marks one as forgiven (it stays
 * visible but no longer counts). Keyed by member so it can move to a
 * member-bucket actor unchanged.
 */

export type InfractionSource = 'automod' | 'warn' | 'classifier' | 'raid';

export interface Infraction {
  /** Unique within the guild; the caller generates it (e.g. a counter or a snowflake). */
  id: string;
  userId: string;
  at: number;
  source: InfractionSource;
  /** The automod rule, when source is automod. */
  ruleId: string | null;
  reason: string;
  /** Who gave the warning; null for automation. */
  moderatorId: string | null;
  pardon: { by: string; at: number; reason: string } | null;
}

export interface InfractionRecord {
  userId: string;
  /** Oldest first, at most MAX_KEPT. */
  items: Infraction[];
}

/** Entries kept per member; the oldest go first, and they are far outside any ladder window by then. */
export const MAX_KEPT = 100;

export const emptyRecord = (userId: string): InfractionRecord => ({ userId, items: [] });

export function addInfraction(record: InfractionRecord, inf: Infraction): InfractionRecord {
  const items = [...record.items, inf];
  return { ...record, items: items.length > MAX_KEPT ? items.slice(items.length - MAX_KEPT) : items };
}

export type PardonRefusal = { code: 'not-found'; message: string } | { code: 'already-pardoned'; message: string; by: string; at: number };

/** Forgives one infraction; refuses an unknown id or a second pardon (naming who gave the first). */
export function pardon(record: InfractionRecord, infractionId: string, by: string, now: number, reason = ''): Result<InfractionRecord, PardonRefusal> {
  const target = record.items.find((i) => i.id === infractionId);
  if (!target) return err({ code: 'not-found', message: `<@${record.userId}> has no infraction #${infractionId}.` });
  if (target.pardon) {
    return err({
      code: 'already-pardoned',
      by: target.pardon.by,
      at: target.pardon.at,
      message: `Infraction #${infractionId} was already pardoned by <@${target.pardon.by}> <t:${Math.floor(target.pardon.at / 1000)}:R>.`,
    });
  }
  return ok({ ...record, items: record.items.map((i) => (i.id === infractionId ? { ...i, pardon: { by, at: now, reason } } : i)) });
}

/** Infractions that count: not pardoned, and within `windowMs` of `now`. */
export function activeCount(record: InfractionRecord, now: number, windowMs: number): number {
  let n = 0;
  for (const i of record.items) if (!i.pardon && i.at > now - windowMs && i.at <= now) n++;
  return n;
}
