import { type Text, text, textList } from '../../i18n/text.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import type { IssueType, Ticket, TicketStatus } from './model.ts';
import { retag, tagReason } from './organize/rules.ts';

/** The bounds of a guild's open-ticket limit per member and issue type (/setup tickets max_open_per_type, the REST API). */
export const MAX_OPEN_PER_TYPE = { min: 1, max: 10 } as const;

/**
 * Lifecycle: open → claimed → waiting → escalated → resolved → closed, with
 * reopen from resolved or closed. Everything else is refused with a reason.
 */
export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['claimed', 'escalated', 'resolved', 'closed'],
  claimed: ['claimed', 'waiting', 'escalated', 'resolved', 'closed'],
  waiting: ['claimed', 'escalated', 'resolved', 'closed'],
  escalated: ['claimed', 'waiting', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

export const canTransition = (from: TicketStatus, to: TicketStatus): boolean => TRANSITIONS[from].includes(to);

export type TicketAction =
  | { kind: 'claim' }
  | { kind: 'assign'; assigneeId: string; assigneeName: string }
  | { kind: 'set-status'; status: 'waiting' | 'escalated' | 'resolved' }
  | { kind: 'close'; reason: string | null }
  | { kind: 'reopen' }
  /** Staff labels: add or remove one tag (normalized by the caller). */
  | { kind: 'tag'; tag: string; on: boolean }
  /** Into another panel category: its issue type; the new team claims it afresh. */
  | { kind: 'transfer'; to: { id: number; name: string; issueType: IssueType } };

export interface Actor {
  userId: string;
  isStaff: boolean;
  /** The actor's language, for the reply they get (a Discord locale; the guild's for the staff inbox). */
  locale?: string | null;
  /** Display name, remembered on the ticket when this actor becomes its assignee. */
  name?: string;
}

/** A refusal: `message` is the English (logs, tests), `text` the same as a message value for the reader's language. */
export type TicketRefusal = { message: string; text: Text } & (
  | { code: 'not-staff' }
  | { code: 'not-allowed' }
  | { code: 'invalid-transition' }
  | { code: 'already-claimed'; assigneeId: string }
  | { code: 'stale-version'; changedBy: string }
  | { code: 'invalid-tag' }
  | { code: 'closed' }
  | { code: 'same-category' }
);

/** An action kind as an ICU select key (`set-status` has a hyphen, which select keys cannot). */
export const selectKey = (kind: TicketAction['kind']): string => (kind === 'set-status' ? 'status' : kind);

/** One ticket's status in words ("open", "claimed"), as a message value. */
export const stateText = (status: TicketStatus): Text => text('ticket.state', { status });

const STAFF_ONLY: ReadonlySet<TicketAction['kind']> = new Set(['claim', 'assign', 'set-status', 'tag', 'transfer']);

const verb: Record<TicketAction['kind'], string> = {
  claim: 'claim',
  assign: 'assign',
  'set-status': 'change the status of',
  close: 'close',
  reopen: 'reopen',
  tag: 'tag',
  transfer: 'transfer',
};

function targetStatus(a: Exclude<TicketAction, { kind: 'tag' | 'transfer' }>): TicketStatus {
  switch (a.kind) {
    case 'claim':
    case 'assign':
      return 'claimed';
    case 'set-status':
      return a.status;
    case 'close':
      return 'closed';
    case 'reopen':
      return 'open';
  }
}

/**
 * Decides an action on a ticket. Pure: the actor shell persists the returned
 * ticket. `expectedVersion`, when given, must match or the change is refused
 * so nobody overwrites a change they have not seen.
 */
export function decide(t: Ticket, action: TicketAction, actor: Actor, now: number, expectedVersion?: number): Result<Ticket, TicketRefusal> {
  if (STAFF_ONLY.has(action.kind) && !actor.isStaff) {
    return err({
      code: 'not-staff',
      message: `Only support staff can ${verb[action.kind]} a ticket.`,
      text: text('ticket.refusal.not-staff', { action: selectKey(action.kind) }),
    });
  }
  if (!actor.isStaff && actor.userId !== t.openerId) {
    return err({
      code: 'not-allowed',
      message: `Only the member who opened ticket #${t.number} or staff can ${verb[action.kind]} it.`,
      text: text('ticket.refusal.not-allowed', { number: String(t.number), action: selectKey(action.kind) }),
    });
  }
  if (action.kind === 'claim' && t.assigneeId && t.status !== 'open') {
    return err({
      code: 'already-claimed',
      assigneeId: t.assigneeId,
      message: t.assigneeId === actor.userId ? `You already have ticket #${t.number}.` : `Ticket #${t.number} is already claimed by <@${t.assigneeId}>.`,
      text: text('ticket.refusal.claimed', { number: String(t.number), mine: t.assigneeId === actor.userId ? 'yes' : 'no', user: t.assigneeId }),
    });
  }
  if (expectedVersion !== undefined && expectedVersion !== t.version) {
    return err({
      code: 'stale-version',
      message: `Ticket #${t.number} changed since you saw it (now version ${t.version}, ${t.status}${t.assigneeId ? `, claimed by <@${t.assigneeId}>` : ''}).`,
      text: text('ticket.refusal.stale', {
        number: String(t.number),
        version: String(t.version),
        status: stateText(t.status),
        claimed: t.assigneeId ? 'yes' : 'no',
        user: t.assigneeId ?? '',
      }),
      changedBy: t.lastChangedByName,
    });
  }
  if (action.kind === 'tag' || action.kind === 'transfer') return organize(t, action, actor, now);
  const to = targetStatus(action);
  if (!canTransition(t.status, to) || (action.kind === 'set-status' && t.status === to)) {
    return err({
      code: 'invalid-transition',
      message: `Ticket #${t.number} is ${t.status}; it can't go to ${to}. Allowed from ${t.status}: ${TRANSITIONS[t.status].filter((s) => s !== t.status).join(', ')}.`,
      text: text('ticket.refusal.transition', {
        number: String(t.number),
        status: stateText(t.status),
        to: stateText(to),
        allowed: textList(TRANSITIONS[t.status].filter((s) => s !== t.status).map(stateText)),
      }),
    });
  }
  const next: Ticket = { ...t, status: to, version: t.version + 1, updatedAt: now, lastChangedBy: actor.userId, lastChangedByName: actor.name ?? actor.userId };
  if (action.kind === 'claim') {
    next.assigneeId = actor.userId;
    next.assigneeName = actor.name ?? null;
  }
  if (action.kind === 'assign') {
    next.assigneeId = action.assigneeId;
    next.assigneeName = action.assigneeName;
  }
  if (action.kind === 'close') {
    next.closeReason = action.reason;
    next.closedAt = now;
  }
  if (action.kind === 'reopen') {
    next.assigneeId = null;
    next.assigneeName = null;
    next.closeReason = null;
  }
  if (to === 'escalated') next.escalations = t.escalations + 1;
  // Time to resolution counts to the first resolve or close.
  if ((to === 'resolved' || to === 'closed') && next.resolvedAt === null) next.resolvedAt = now;
  return ok(next);
}

/** Tags and transfers: the ticket's status stays (a claimed ticket goes back to open for its new team). */
function organize(t: Ticket, action: Extract<TicketAction, { kind: 'tag' | 'transfer' }>, actor: Actor, now: number): Result<Ticket, TicketRefusal> {
  const base: Ticket = { ...t, version: t.version + 1, updatedAt: now, lastChangedBy: actor.userId, lastChangedByName: actor.name ?? actor.userId };
  if (action.kind === 'tag') {
    const r = retag(t.tags ?? [], action.tag, action.on);
    if (!r.ok) {
      return err({
        code: 'invalid-tag',
        message: `Tag "${action.tag}" on ticket #${t.number}: ${r.error.code}.`,
        text: text('ticket.tag.refused', {
          reason: tagReason(r.error.code),
          tag: action.tag,
          number: String(t.number),
          max: String('max' in r.error ? r.error.max : 0),
        }),
      });
    }
    return ok({ ...base, tags: r.value });
  }
  if (t.status === 'closed' || t.status === 'resolved') {
    return err({
      code: 'invalid-transition',
      message: `Ticket #${t.number} is ${t.status}; reopen it before transferring it.`,
      text: text('ticket.transfer.not-live', { number: String(t.number), status: stateText(t.status) }),
    });
  }
  if (t.category?.id === action.to.id) {
    return err({
      code: 'same-category',
      message: `Ticket #${t.number} is already in ${action.to.name}.`,
      text: text('ticket.transfer.same', { number: String(t.number), category: action.to.name }),
    });
  }
  const unclaimed = t.status === 'claimed' ? { status: 'open' as const, assigneeId: null, assigneeName: null } : { assigneeId: null, assigneeName: null };
  return ok({ ...base, ...unclaimed, issueType: action.to.issueType, category: { id: action.to.id, name: action.to.name } });
}

/**
 * Whether staff may reply into the ticket's thread. A closed ticket's thread
 * is archived and locked, so Discord would refuse the message: say so up
 * front instead of accepting a reply that never arrives.
 */
export function canReply(t: Pick<Ticket, 'number' | 'status'>): Result<true, Text> {
  return t.status === 'closed' ? err(text('ticket.reply.closed', { number: String(t.number) })) : ok(true);
}
