import type { GuildFeature } from '../../platform/feature.ts';
import type { StoredApproval } from './store.ts';

/**
 * Another place of the same guild that shows the mod queue (Telegram): told
 * of each new pending approval and of each change to one, so its copy shows
 * the outcome too. Moderation knows nothing more of it.
 */
export interface ApprovalMirror {
  approvalRequested(a: StoredApproval): void;
  approvalChanged(a: StoredApproval): void;
}

export const isApprovalMirror = (f: GuildFeature): f is GuildFeature & ApprovalMirror =>
  typeof (f as Partial<ApprovalMirror>).approvalRequested === 'function' && typeof (f as Partial<ApprovalMirror>).approvalChanged === 'function';

/** Why a decision was refused, with the text for the person who tried (in their locale). */
export interface DecisionRefusal {
  code: 'unknown-approval' | 'expired' | 'already-decided' | 'not-allowed';
  text: string;
}

/**
 * Moderation's approval queue, lent to a peer that takes decisions elsewhere:
 * the same rule and the same synchronous write as the Discord buttons, so a
 * request is decided once whichever side is first.
 */
export interface ApprovalDesk {
  approval(id: string): StoredApproval | null;
  /** `by.permissions`: the member's guild permissions (bitfield string), read from Discord by the caller. `via` names the place for the audit log. */
  decideApproval(
    id: string,
    decision: 'approve' | 'reject',
    by: { id: string; permissions: string },
    via: string,
    locale: string | undefined,
  ): { ok: true; approval: StoredApproval } | { ok: false; error: DecisionRefusal };
}

export const isApprovalDesk = (f: GuildFeature): f is GuildFeature & ApprovalDesk =>
  typeof (f as Partial<ApprovalDesk>).decideApproval === 'function' && typeof (f as Partial<ApprovalDesk>).approval === 'function';
