import { describe, expect, it } from 'vitest';
import { triageMetrics } from '../../../src/features/inbox/metrics.ts';
import type { TicketListRow } from '../../../src/features/tickets/views.ts';

const H = 3_600_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');

/** A row with only what the per-day figures read; the rest as an untouched ticket has it. */
const row = (n: number, over: Partial<TicketListRow>): TicketListRow =>
  ({
    id: `g-${n}`,
    number: n,
    status: 'open',
    severity: 'low',
    issueType: 'other',
    subject: 's',
    openerId: 'u',
    assigneeId: null,
    channelId: null,
    createdAt: NOW,
    updatedAt: NOW,
    version: 1,
    openerName: 'u',
    assigneeName: null,
    lastMemberMessageAt: null,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    escalations: 0,
    ...over,
  }) as TicketListRow;

describe('tickets per day', () => {
  it('counts the queue at each day’s end and the median first response and resolution of each day’s tickets', () => {
    const twoDaysAgo = Date.parse('2026-12-04T10:00:00Z');
    const yesterday = Date.parse('2026-12-05T09:00:00Z');
    const rows = [
      // Opened two days ago, answered in 1 h, resolved and closed yesterday: waiting at the end of its first day only.
      row(1, { createdAt: twoDaysAgo, firstResponseAt: twoDaysAgo + H, resolvedAt: yesterday, closedAt: yesterday, status: 'closed' }),
      // Opened two days ago, answered in 3 h, still open: waiting at every day's end since.
      row(2, { createdAt: twoDaysAgo, firstResponseAt: twoDaysAgo + 3 * H }),
      // Resolved once, then reopened: waits still.
      row(3, { createdAt: yesterday, firstResponseAt: yesterday + 2 * H, resolvedAt: yesterday + 4 * H, status: 'open' }),
      // Opened today, nobody has answered.
      row(4, { createdAt: NOW - H }),
    ];
    const days = new Map(triageMetrics(rows, [], NOW).perDay.map((d) => [d.day, d]));
    expect(days.get('2026-12-04')).toEqual({
      day: '2026-12-04',
      opened: 2,
      closed: 0,
      backlog: 2,
      firstResponseP50Ms: H,
      resolutionP50Ms: yesterday - twoDaysAgo,
    });
    expect(days.get('2026-12-05')).toEqual({ day: '2026-12-05', opened: 1, closed: 1, backlog: 2, firstResponseP50Ms: 2 * H, resolutionP50Ms: 4 * H });
    // Today ends now: everything not finished waits.
    expect(days.get('2026-12-06')).toMatchObject({ opened: 1, closed: 0, backlog: 3, firstResponseP50Ms: null, resolutionP50Ms: null });
    expect(days.get('2026-12-03')).toMatchObject({ opened: 0, backlog: 0, firstResponseP50Ms: null });
  });
});
