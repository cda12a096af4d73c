import { hasPermission, parsePermissions, permissionName, REQUIRED_PERMISSION, type StaffAction } from '../../../discord/hierarchy.ts';
import { err, ok, type Result } from '../../../lib/result.ts';

/**
 * Appeals: a member asks staff to undo a moderation action taken against
 * them (a case). One appeal per case; staff accept or reject it once; an
 * accepted appeal reverts what can be reverted (the ban, the timeout, the
 * quarantine role, and the infraction the case added).
 */

export type CaseAction = 'warn' | 'timeout' | 'untimeout' | 'kick' | 'ban' | 'unban' | 'quarantine' | 'delete' | 'purge' | 'pardon';

/** What an appeal needs to know about the case it is about. */
export interface AppealableCase {
  id: number;
  userId: string;
  action: CaseAction;
  /** The infractions the case added: an accepted appeal pardons them. */
  infractionIds: readonly string[];
  /** Whether the case put the member in a timeout. */
  timedOut: boolean;
  /** The quarantine role the case added, if any. */
  roleId: string | null;
  /** Whether the action really happened (a refused ban cannot be appealed). */
  result: 'pending' | 'done' | 'failed';
  revertedAt: number | null;
}

export type AppealStatus = 'open' | 'accepted' | 'rejected';

export interface Appeal {
  id: number;
  caseId: number;
  userId: string;
  text: string;
  /** Where it came from: the DM command or button, or the signed web form. */
  via: 'dm' | 'form';
  at: number;
  status: AppealStatus;
  decidedBy: string | null;
  decidedAt: number | null;
  /** The staff channel and message carrying the buttons, once posted. */
  channelId: string | null;
  messageId: string | null;
}

const APPEALABLE: ReadonlySet<CaseAction> = new Set(['warn', 'timeout', 'kick', 'ban', 'quarantine', 'delete']);

/** Longest appeal text kept (a modal paragraph allows 4000; staff read an embed). */
export const APPEAL_MAX_CHARS = 1500;

export type AppealRefusalCode = 'no-case' | 'not-appealable' | 'reverted' | 'open' | 'decided' | 'empty';
export interface AppealRefusal {
  code: AppealRefusalCode;
  message: string;
}

const refuse = (code: AppealRefusalCode, message: string) => err<AppealRefusal>({ code, message });

/**
 * Whether `userId` may appeal case `caseId` now. An unknown case and someone
 * else's case get the same answer, so case numbers reveal nothing.
 */
export function checkAppeal(c: AppealableCase | null, caseId: number, userId: string, earlier: readonly Appeal[], text: string): Result<string, AppealRefusal> {
  if (!c || c.userId !== userId) return refuse('no-case', `There is no case #${caseId} about you in that server.`);
  if (!APPEALABLE.has(c.action) || c.result === 'failed') return refuse('not-appealable', `Case #${caseId} cannot be appealed.`);
  if (c.revertedAt !== null) return refuse('reverted', `Case #${caseId} was already reverted; there is nothing to appeal.`);
  const open = earlier.find((a) => a.status === 'open');
  if (open) return refuse('open', `You already have an open appeal for case #${caseId}; staff will answer it.`);
  const decided = earlier.find((a) => a.status !== 'open');
  if (decided) {
    return refuse(
      'decided',
      `Your appeal of case #${caseId} was already ${decided.status}${decided.decidedAt ? ` <t:${Math.floor(decided.decidedAt / 1000)}:R>` : ''}; a case can be appealed once.`,
    );
  }
  const trimmed = text.trim();
  if (!trimmed) return refuse('empty', 'Write why the action should be undone.');
  return ok(trimmed.slice(0, APPEAL_MAX_CHARS));
}

/** The staff permission an appeal decision needs: the one the original action needed. */
export function appealPermission(action: CaseAction): bigint {
  const staff: Partial<Record<CaseAction, StaffAction>> = {
    warn: 'warn',
    timeout: 'timeout',
    kick: 'kick',
    ban: 'ban',
    quarantine: 'quarantine',
    delete: 'purge',
  };
  return REQUIRED_PERMISSION[staff[action] ?? 'ban'];
}

export interface AppealDecisionRefusal {
  code: 'already-decided' | 'not-allowed';
  message: string;
}

/** A staff member's Accept or Reject: once, by someone holding the action's permission. */
export function decideAppeal(
  a: Appeal,
  action: CaseAction,
  decision: 'accept' | 'reject',
  by: { id: string; permissions: string },
  now: number,
): Result<Appeal, AppealDecisionRefusal> {
  if (a.status !== 'open') {
    const who = a.decidedBy ? ` by <@${a.decidedBy}>` : '';
    const when = a.decidedAt !== null ? ` <t:${Math.floor(a.decidedAt / 1000)}:R>` : '';
    return err({ code: 'already-decided', message: `This appeal was already ${a.status}${who}${when}.` });
  }
  const needed = appealPermission(action);
  if (!hasPermission(parsePermissions(by.permissions), needed)) {
    return err({ code: 'not-allowed', message: `You need the ${permissionName(needed)} permission to ${decision} this appeal.` });
  }
  return ok({ ...a, status: decision === 'accept' ? 'accepted' : 'rejected', decidedBy: by.id, decidedAt: now });
}

/** One step of undoing a case. */
export type RevertStep =
  | { kind: 'unban'; userId: string }
  | { kind: 'untimeout'; userId: string }
  | { kind: 'remove-role'; userId: string; roleId: string }
  | { kind: 'pardon'; userId: string; infractionId: string };

/**
 * What an accepted appeal undoes, in order. A kick cannot be undone on
 * Discord's side (the member may rejoin); a deleted message is gone. Their
 * infraction is still pardoned.
 */
export function revertSteps(c: AppealableCase): RevertStep[] {
  const steps: RevertStep[] = [];
  if (c.action === 'ban') steps.push({ kind: 'unban', userId: c.userId });
  if (c.timedOut) steps.push({ kind: 'untimeout', userId: c.userId });
  if (c.roleId) steps.push({ kind: 'remove-role', userId: c.userId, roleId: c.roleId });
  for (const id of c.infractionIds) steps.push({ kind: 'pardon', userId: c.userId, infractionId: id });
  return steps;
}
