import { err, ok, type Result } from '../../lib/result.ts';
import type { UnansweredRow } from '../faq/store.ts';
import type { Appeal } from '../moderation/rules/appeals.ts';
import type { StoredApproval } from '../moderation/store.ts';
import type { TicketListRow } from '../tickets/views.ts';

/**
 * One review queue, pure: what is waiting for a person in a guild — tickets
 * waiting for staff, moderation requests waiting for approval, appeals, and
 * questions the FAQ could not answer — as one list, oldest first, with who
 * owns each item and what can be done to it here. Acting is never done here:
 * the page calls the same operations as Discord (the REST API's).
 */

export const REVIEW_KINDS = ['ticket', 'approval', 'appeal', 'faq'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export type ReviewAction = 'claim' | 'approve' | 'reject';

export interface ReviewSources {
  tickets: readonly TicketListRow[];
  approvals: readonly StoredApproval[];
  appeals: readonly Appeal[];
  faq: readonly UnansweredRow[];
}

export interface ReviewItem {
  kind: ReviewKind;
  /** Unique within the kind: the ticket number, the approval or appeal id, the question. */
  id: string;
  title: string;
  /** The member it is about (opener, subject of the request, appellant), when there is one. */
  memberId: string | null;
  /** Who has it (a ticket's assignee); null: nobody yet. */
  ownerId: string | null;
  ownerName: string | null;
  /** Since when it has been waiting (ms since epoch), and for how long at `now`. */
  since: number;
  ageMs: number;
  /** A ticket's version, for the version check of an action on it. */
  version: number | null;
  actions: ReviewAction[];
}

/** A ticket waits for staff when nobody has it yet, it is escalated, or it was claimed but never answered. */
export function waitingForStaff(t: TicketListRow): boolean {
  if (t.status === 'open' || t.status === 'escalated') return true;
  return t.status === 'claimed' && t.firstResponseAt == null;
}

export function reviewItems(s: ReviewSources, now: number): ReviewItem[] {
  const items: ReviewItem[] = [];
  const add = (i: Omit<ReviewItem, 'ageMs'>) => items.push({ ...i, ageMs: Math.max(0, now - i.since) });
  for (const t of s.tickets) {
    if (!waitingForStaff(t)) continue;
    add({
      kind: 'ticket',
      id: String(t.number),
      title: `#${t.number} ${t.subject}`,
      memberId: t.openerId,
      ownerId: t.assigneeId,
      ownerName: t.assigneeName ?? null,
      since: t.lastMemberMessageAt ?? t.createdAt,
      version: t.version,
      actions: t.assigneeId ? [] : ['claim'],
    });
  }
  for (const a of s.approvals) {
    if (a.status !== 'pending' || a.expiresAt <= now) continue;
    add({
      kind: 'approval',
      id: a.id,
      title: `${a.action.kind}: ${a.reason}`,
      memberId: a.userId,
      ownerId: null,
      ownerName: null,
      since: a.createdAt,
      version: null,
      actions: ['approve', 'reject'],
    });
  }
  for (const a of s.appeals) {
    if (a.status !== 'open') continue;
    add({ kind: 'appeal', id: String(a.id), title: a.text, memberId: a.userId, ownerId: null, ownerName: null, since: a.at, version: null, actions: [] });
  }
  for (const q of s.faq) {
    add({
      kind: 'faq',
      id: q.question,
      title: `${q.question} (×${q.n})`,
      memberId: null,
      ownerId: null,
      ownerName: null,
      since: q.lastAt,
      version: null,
      actions: [],
    });
  }
  return items.sort((x, y) => x.since - y.since || REVIEW_KINDS.indexOf(x.kind) - REVIEW_KINDS.indexOf(y.kind));
}

export interface ReviewFilter {
  kind: ReviewKind | null;
  /** 'me': items the reader owns; 'nobody': items nobody has yet. */
  owner: 'me' | 'nobody' | null;
}

const isKind = (s: string): s is ReviewKind => (REVIEW_KINDS as readonly string[]).includes(s);

/** The filter from a query string (`kind`, `owner`); anything else is refused, naming what is allowed. */
export function parseReviewFilter(q: URLSearchParams): Result<ReviewFilter, string> {
  const kind = q.get('kind') || null;
  const owner = q.get('owner') || null;
  if (kind !== null && !isKind(kind)) return err(`kind must be one of ${REVIEW_KINDS.join(', ')}`);
  if (owner !== null && owner !== 'me' && owner !== 'nobody') return err('owner must be me or nobody');
  return ok({ kind, owner });
}

export function filterItems(items: readonly ReviewItem[], f: ReviewFilter, readerId: string): ReviewItem[] {
  return items.filter((i) => (f.kind === null || i.kind === f.kind) && (f.owner === null || (f.owner === 'me' ? i.ownerId === readerId : i.ownerId === null)));
}

/** Items per kind, for the filter's counts. */
export function countByKind(items: readonly ReviewItem[]): Record<ReviewKind, number> {
  const c = { ticket: 0, approval: 0, appeal: 0, faq: 0 };
  for (const i of items) c[i.kind]++;
  return c;
}
