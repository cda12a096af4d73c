import { describe, expect, it } from 'vitest';
import type { StoredApproval } from '../../../src/features/moderation/store.ts';
import { countByKind, filterItems, parseReviewFilter, reviewItems, waitingForStaff } from '../../../src/features/review/rules.ts';
import { ageText } from '../../../src/features/review/views.ts';
import type { TicketListRow } from '../../../src/features/tickets/views.ts';

const NOW = Date.UTC(2026, 11, 6, 12);
const ticket = (n: number, over: Partial<TicketListRow>): TicketListRow =>
  ({
    id: `1-${n}`,
    number: n,
    status: 'open',
    subject: `subject ${n}`,
    openerId: `10${n}`,
    assigneeId: null,
    assigneeName: null,
    createdAt: NOW - n * 60_000,
    lastMemberMessageAt: null,
    firstResponseAt: null,
    version: 3,
    ...over,
  }) as TicketListRow;
const approval = (id: string, over: Partial<StoredApproval>): StoredApproval =>
  ({
    id,
    action: { kind: 'kick' },
    reason: 'spam',
    userId: '555',
    status: 'pending',
    createdAt: NOW - 30 * 60_000,
    expiresAt: NOW + 3_600_000,
    ...over,
  }) as StoredApproval;

describe('what waits for staff', () => {
  it('is an unclaimed or escalated ticket, or a claimed one never answered; not one waiting for the member or closed', () => {
    expect(waitingForStaff(ticket(1, { status: 'open' }))).toBe(true);
    expect(waitingForStaff(ticket(1, { status: 'escalated', assigneeId: '9', firstResponseAt: NOW }))).toBe(true);
    expect(waitingForStaff(ticket(1, { status: 'claimed', assigneeId: '9' }))).toBe(true);
    expect(waitingForStaff(ticket(1, { status: 'claimed', assigneeId: '9', firstResponseAt: NOW }))).toBe(false);
    expect(waitingForStaff(ticket(1, { status: 'waiting' }))).toBe(false);
    expect(waitingForStaff(ticket(1, { status: 'closed' }))).toBe(false);
  });
});

describe('the queue', () => {
  const items = reviewItems(
    {
      tickets: [
        ticket(1, {}),
        ticket(2, { status: 'claimed', assigneeId: '9', assigneeName: 'Mod', lastMemberMessageAt: NOW - 5 * 60_000 }),
        ticket(3, { status: 'closed' }),
      ],
      approvals: [approval('7', {}), approval('8', { status: 'approved' }), approval('9', { expiresAt: NOW - 1 })],
      appeals: [
        {
          id: 4,
          caseId: 1,
          userId: '777',
          text: 'please',
          via: 'dm',
          at: NOW - 2 * 86_400_000,
          status: 'open',
          decidedBy: null,
          decidedAt: null,
          channelId: null,
          messageId: null,
        },
        {
          id: 5,
          caseId: 2,
          userId: '778',
          text: 'no',
          via: 'dm',
          at: NOW,
          status: 'rejected',
          decidedBy: '9',
          decidedAt: NOW,
          channelId: null,
          messageId: null,
        },
      ],
      faq: [{ question: 'how do i join', n: 4, lastAt: NOW - 10 * 60_000 }],
    },
    NOW,
  );

  it('lists what waits, oldest first, with owner, age and what can be done here', () => {
    expect(items.map((i) => [i.kind, i.id, i.ageMs])).toEqual([
      ['appeal', '4', 2 * 86_400_000],
      ['approval', '7', 30 * 60_000],
      ['faq', 'how do i join', 10 * 60_000],
      ['ticket', '2', 5 * 60_000],
      ['ticket', '1', 60_000],
    ]);
    expect(items.find((i) => i.kind === 'ticket' && i.id === '1')).toMatchObject({ ownerId: null, actions: ['claim'], version: 3, memberId: '101' });
    expect(items.find((i) => i.kind === 'ticket' && i.id === '2')).toMatchObject({ ownerId: '9', ownerName: 'Mod', actions: [] });
    expect(items.find((i) => i.kind === 'approval')).toMatchObject({ title: 'kick: spam', actions: ['approve', 'reject'], memberId: '555' });
    expect(countByKind(items)).toEqual({ ticket: 2, approval: 1, appeal: 1, faq: 1 });
  });

  it('filters by kind and by owner', () => {
    const f = (q: string) => {
      const r = parseReviewFilter(new URLSearchParams(q));
      if (!r.ok) throw new Error(r.error);
      return filterItems(items, r.value, '9').map((i) => `${i.kind}:${i.id}`);
    };
    expect(f('kind=ticket')).toEqual(['ticket:2', 'ticket:1']);
    expect(f('owner=me')).toEqual(['ticket:2']);
    expect(f('kind=ticket&owner=nobody')).toEqual(['ticket:1']);
    expect(f('')).toHaveLength(5);
  });

  it('refuses a filter that does not exist, naming what does', () => {
    expect(parseReviewFilter(new URLSearchParams('kind=ban'))).toEqual({ ok: false, error: 'kind must be one of ticket, approval, appeal, faq' });
    expect(parseReviewFilter(new URLSearchParams('owner=someone'))).toEqual({ ok: false, error: 'owner must be me or nobody' });
  });

  it('says ages in minutes, hours, then days', () => {
    expect(ageText('en', 59 * 60_000)).toBe('waiting 59 minutes');
    expect(ageText('en', 60 * 60_000)).toBe('waiting 1 hour');
    expect(ageText('en', 47 * 3_600_000)).toBe('waiting 47 hours');
    expect(ageText('de', 3 * 86_400_000)).toBe('wartet seit 3 Tagen');
  });
});
