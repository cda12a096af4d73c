import { DAY_MS, snowflakeTime } from '../../../discord/snowflake.ts';
import { type Text, text } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';

/**
 * `/purge <count>`: Discord's bulk delete takes 2–100 message ids, none
 * older than 14 days; a single message goes through the one-message delete.
 */

export const PURGE_MAX = 100;
/** Larger purges ask "are you sure?" first. */
export const PURGE_CONFIRM_ABOVE = 20;
/** 14 days, less a minute so a message does not age past the limit between planning and the request. */
export const BULK_DELETE_MAX_AGE_MS = 14 * DAY_MS - 60_000;

export type PurgeRefusal = { code: 'out-of-range'; message: string } | { code: 'needs-confirmation'; message: string; count: number };

export function checkPurgeCount(count: number, confirmed: boolean): Result<number, PurgeRefusal> {
  if (!Number.isInteger(count) || count < 1 || count > PURGE_MAX) {
    return err({ code: 'out-of-range', message: `You can purge from 1 to ${PURGE_MAX} messages at a time (Discord's bulk-delete limit).` });
  }
  if (count > PURGE_CONFIRM_ABOVE && !confirmed) {
    return err({ code: 'needs-confirmation', count, message: `Delete the last ${count} messages in this channel? This cannot be undone.` });
  }
  return ok(count);
}

export interface PurgePlan {
  /** Each chunk is one bulk-delete request (2–100 ids). */
  bulk: string[][];
  /** Deleted one at a time (a lone recent message). */
  single: string[];
  /** Older than 14 days: bulk delete refuses them. */
  tooOld: string[];
}

/** Splits message ids (newest first, as Discord lists them) into requests Discord accepts. */
export function planPurge(messageIds: readonly string[], now: number): PurgePlan {
  const recent: string[] = [];
  const tooOld: string[] = [];
  for (const id of messageIds) {
    const t = snowflakeTime(id);
    if (t !== null && now - t < BULK_DELETE_MAX_AGE_MS) recent.push(id);
    else tooOld.push(id);
  }
  const bulk: string[][] = [];
  const single: string[] = [];
  for (let i = 0; i < recent.length; i += PURGE_MAX) {
    const chunk = recent.slice(i, i + PURGE_MAX);
    if (chunk.length >= 2) bulk.push(chunk);
    else single.push(...chunk);
  }
  return { bulk, single, tooOld };
}

/** What a purge did, for its case (shown in the mod log), as a message value. */
export function purgeSummary(deleted: number, plan: PurgePlan): Text {
  return text('mod.note.purged', { deleted, skipped: plan.tooOld.length });
}
