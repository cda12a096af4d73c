import { hasPermission, parsePermissions, permissionName, REQUIRED_PERMISSION, type StaffAction } from '../../../discord/hierarchy.ts';
import { type Text, text } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';

/**
 * The mod-queue approval flow. Kick, ban and mass delete asked for by
 * automation (automod, the escalation ladder, the AI classifier, the raid
 * detector) are not executed at once: they wait here as `pending` until a
 * moderator approves or rejects them, or they expire. A decision is taken
 * once; execution is recorded once.
 */

export type ModAction =
  | { kind: 'kick'; userId: string }
  | { kind: 'ban'; userId: string; deleteMessageSeconds: number }
  | { kind: 'purge'; channelId: string; messageIds: string[] }
  | { kind: 'timeout'; userId: string; durationMs: number }
  | { kind: 'delete'; channelId: string; messageId: string };

export type ApprovalOrigin =
  | { kind: 'automod'; ruleId: string }
  | { kind: 'escalation'; step: number }
  | { kind: 'classifier'; provider: string; labels: string[]; score: number }
  | { kind: 'raid' };

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface PendingApproval {
  id: string;
  action: ModAction;
  origin: ApprovalOrigin;
  reason: string;
  createdAt: number;
  expiresAt: number;
  status: ApprovalStatus;
  decidedBy: string | null;
  decidedAt: number | null;
  executedAt: number | null;
  /** The mod-queue message carrying the buttons, once posted. */
  messageId: string | null;
}

export const DEFAULT_APPROVAL_TTL_MS = 24 * 3_600_000;
export const MIN_APPROVAL_TTL_MS = 5 * 60_000;
export const MAX_APPROVAL_TTL_MS = 7 * 24 * 3_600_000;

export function checkApprovalTtl(ms: number): Result<number, Text> {
  return Number.isInteger(ms) && ms >= MIN_APPROVAL_TTL_MS && ms <= MAX_APPROVAL_TTL_MS ? ok(ms) : err(text('rule.approval-ttl'));
}

/** Whether an action must wait for a moderator: kick, ban and purge requested by automation. */
export function needsApproval(action: ModAction, requestedBy: 'moderator' | 'automation'): boolean {
  return requestedBy === 'automation' && (action.kind === 'kick' || action.kind === 'ban' || action.kind === 'purge');
}

export function createApproval(
  id: string,
  action: ModAction,
  origin: ApprovalOrigin,
  reason: string,
  now: number,
  ttlMs = DEFAULT_APPROVAL_TTL_MS,
): PendingApproval {
  return {
    id,
    action,
    origin,
    reason,
    createdAt: now,
    expiresAt: now + ttlMs,
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    executedAt: null,
    messageId: null,
  };
}

export const STAFF_ACTION: Record<ModAction['kind'], StaffAction> = { kick: 'kick', ban: 'ban', purge: 'purge', timeout: 'timeout', delete: 'purge' };

export type ApprovalRefusal =
  | { code: 'expired'; message: string; approval: PendingApproval }
  | { code: 'already-decided'; message: string; status: ApprovalStatus; decidedBy: string | null; decidedAt: number | null }
  | { code: 'not-allowed'; message: string };

const PAST: Record<ApprovalStatus, string> = { pending: 'pending', approved: 'approved', rejected: 'rejected', expired: 'expired' };

/**
 * A moderator's Approve or Reject. Refused when the moderator lacks the
 * permission the action needs, when someone decided first (naming them), or
 * when the approval has expired (the expired record comes back to persist).
 */
export function decideApproval(
  a: PendingApproval,
  decision: 'approve' | 'reject',
  by: { id: string; permissions: string },
  now: number,
): Result<PendingApproval, ApprovalRefusal> {
  if (a.status !== 'pending') {
    const who = a.decidedBy ? ` by <@${a.decidedBy}>` : '';
    const when = a.decidedAt !== null ? ` <t:${Math.floor(a.decidedAt / 1000)}:R>` : '';
    return err({
      code: 'already-decided',
      status: a.status,
      decidedBy: a.decidedBy,
      decidedAt: a.decidedAt,
      message: `This request was already ${PAST[a.status]}${who}${when}.`,
    });
  }
  if (now >= a.expiresAt) {
    const expired = { ...a, status: 'expired' as const, decidedAt: a.expiresAt };
    return err({
      code: 'expired',
      approval: expired,
      message: `This request expired <t:${Math.floor(a.expiresAt / 1000)}:R> and can no longer be ${decision === 'approve' ? 'approved' : 'rejected'}.`,
    });
  }
  const needed = REQUIRED_PERMISSION[STAFF_ACTION[a.action.kind]];
  if (!hasPermission(parsePermissions(by.permissions), needed)) {
    return err({ code: 'not-allowed', message: `You need the ${permissionName(needed)} permission to ${decision} this.` });
  }
  return ok({ ...a, status: decision === 'approve' ? 'approved' : 'rejected', decidedBy: by.id, decidedAt: now });
}

/** Records that an approved action ran; refused unless approved and not yet executed, so it runs once. */
export function markExecuted(a: PendingApproval, now: number): Result<PendingApproval, string> {
  if (a.status !== 'approved') return err(`Request ${a.id} is ${a.status}, not approved.`);
  if (a.executedAt !== null) return err(`Request ${a.id} was already carried out.`);
  return ok({ ...a, executedAt: now });
}

/** Pending approvals whose time is up, as expired records to persist (and whose buttons to disable). */
export function expireDue(approvals: Iterable<PendingApproval>, now: number): PendingApproval[] {
  const out: PendingApproval[] = [];
  for (const a of approvals) if (a.status === 'pending' && now >= a.expiresAt) out.push({ ...a, status: 'expired', decidedAt: a.expiresAt });
  return out;
}

/** When the next pending approval expires (for the actor's alarm), or null. */
export function nextExpiry(approvals: Iterable<PendingApproval>): number | null {
  let next: number | null = null;
  for (const a of approvals) if (a.status === 'pending' && (next === null || a.expiresAt < next)) next = a.expiresAt;
  return next;
}
