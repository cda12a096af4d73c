import { err, ok, type Result } from '../../../lib/result.ts';
import { type ApprovalRefusal, createApproval, decideApproval, markExecuted, type PendingApproval } from '../../moderation/rules/approvals.ts';

/**
 * "Remove raiders": banning everyone a lockdown quarantined is asked for by
 * automation, so it waits for a moderator's Approve or Reject like any other
 * queued action (src/features/moderation/approvals.ts decides; this only
 * adapts a list of members to it). The list is read when the ban runs, so
 * members quarantined after the request are included.
 */

/** Bans remove the raiders' last hour of messages too. */
export const RAID_BAN_DELETE_SECONDS = 3600;
/** Discord's bulk-ban takes at most 200 users per call. */
export const BULK_BAN_MAX = 200;

export type RaiderRemoval = Omit<PendingApproval, 'action'>;

/**
 * The approval the decision is taken on: a ban, so deciding needs Ban
 * Members. Its user id stands for the whole list and is never acted on.
 */
const asApproval = (r: RaiderRemoval): PendingApproval => ({
  ...r,
  action: { kind: 'ban', userId: '0', deleteMessageSeconds: RAID_BAN_DELETE_SECONDS },
});
const fromApproval = ({ action: _a, ...rest }: PendingApproval): RaiderRemoval => rest;

export function requestRemoval(id: string, reason: string, now: number, ttlMs?: number): RaiderRemoval {
  return fromApproval(createApproval(id, { kind: 'ban', userId: '0', deleteMessageSeconds: RAID_BAN_DELETE_SECONDS }, { kind: 'raid' }, reason, now, ttlMs));
}

export interface RemovalRefusal {
  code: ApprovalRefusal['code'];
  message: string;
  /** Set when the request had expired: the record to keep. */
  expired: RaiderRemoval | null;
}

/** A moderator's Approve or Reject, decided once (see decideApproval for the refusals). */
export function decideRemoval(
  r: RaiderRemoval,
  decision: 'approve' | 'reject',
  by: { id: string; permissions: string },
  now: number,
): Result<RaiderRemoval, RemovalRefusal> {
  const d = decideApproval(asApproval(r), decision, by, now);
  if (d.ok) return ok(fromApproval(d.value));
  return err({ code: d.error.code, message: d.error.message, expired: d.error.code === 'expired' ? fromApproval(d.error.approval) : null });
}

export function removalExecuted(r: RaiderRemoval, now: number): Result<RaiderRemoval, string> {
  const m = markExecuted(asApproval(r), now);
  return m.ok ? ok(fromApproval(m.value)) : m;
}

/** The bulk-ban calls for a list of members, in order. */
export function banBatches(userIds: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < userIds.length; i += BULK_BAN_MAX) out.push(userIds.slice(i, i + BULK_BAN_MAX));
  return out;
}
