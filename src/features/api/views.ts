import type { StoredApproval } from '../moderation/store.ts';
import type { Ticket } from '../tickets/model.ts';

/** What the REST API shows of an approval (the shape /api/openapi.json describes). */
export function approvalView(a: StoredApproval) {
  return {
    id: a.id,
    action: a.action.kind,
    userId: a.userId,
    reason: a.reason,
    status: a.status,
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt,
    caseId: a.caseId,
  };
}

/** What the REST API shows of a ticket, from the guild's index row or the ticket's own record. */
export function ticketView(
  t: Pick<
    Ticket,
    'id' | 'number' | 'status' | 'severity' | 'issueType' | 'subject' | 'openerId' | 'assigneeId' | 'version' | 'createdAt' | 'updatedAt' | 'tags'
  >,
) {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    severity: t.severity,
    issueType: t.issueType,
    subject: t.subject,
    openerId: t.openerId,
    assigneeId: t.assigneeId,
    tags: t.tags ?? [],
    version: t.version,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}
