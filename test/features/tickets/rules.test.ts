import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/features/tickets/model.ts';
import { canTransition, decide, TRANSITIONS } from '../../../src/features/tickets/rules.ts';
import { openTicket } from '../../support/ticket.ts';

const base: Ticket = openTicket;
const staff = { userId: 'staff', isStaff: true };
const member = { userId: 'opener', isStaff: false };
const stranger = { userId: 'x', isStaff: false };

describe('ticket transitions', () => {
  it('follows the lifecycle open → claimed → waiting → escalated → resolved → closed, and reopens', () => {
    let t = base;
    for (const a of [
      { kind: 'claim' },
      { kind: 'set-status', status: 'waiting' },
      { kind: 'set-status', status: 'escalated' },
      { kind: 'set-status', status: 'resolved' },
      { kind: 'close', reason: 'done' },
      { kind: 'reopen' },
    ] as const) {
      const r = decide(t, a, staff, 10);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) t = r.value;
    }
    expect(t.status).toBe('open');
    expect(t.version).toBe(7);
    expect(t.assigneeId).toBeNull();
  });

  it('refuses invalid transitions with the allowed ones named', () => {
    const closed = { ...base, status: 'closed' as const };
    const r = decide(closed, { kind: 'set-status', status: 'escalated' }, staff, 1);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-transition');
      expect(r.error.message).toContain('Allowed from closed: open');
    }
    expect(canTransition('open', 'waiting')).toBe(false);
    expect(canTransition('resolved', 'open')).toBe(true);
    expect(Object.keys(TRANSITIONS)).toHaveLength(6);
  });

  it('keeps staff actions for staff and lets the opener close their own ticket', () => {
    expect(decide(base, { kind: 'claim' }, member, 1)).toMatchObject({ ok: false, error: { code: 'not-staff' } });
    expect(decide(base, { kind: 'close', reason: null }, stranger, 1)).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(decide(base, { kind: 'close', reason: null }, member, 1)).toMatchObject({ ok: true, value: { status: 'closed' } });
  });

  it('tells a second claimer who has the ticket, and refuses a stale version', () => {
    const claimed = { ...base, status: 'claimed' as const, assigneeId: 'staff', version: 2 };
    const r = decide(claimed, { kind: 'claim' }, { userId: 'other', isStaff: true }, 1, 1);
    expect(r).toMatchObject({ ok: false, error: { code: 'already-claimed', assigneeId: 'staff' } });
    const stale = decide(claimed, { kind: 'set-status', status: 'waiting' }, staff, 1, 1);
    expect(stale).toMatchObject({ ok: false, error: { code: 'stale-version' } });
    if (!stale.ok) expect(stale.error.message).toContain('now version 2');
    expect(stale).toMatchObject({ error: { changedBy: 'Opener' } });
    expect(decide(claimed, { kind: 'set-status', status: 'waiting' }, staff, 1, 2)).toMatchObject({ ok: true, value: { status: 'waiting', version: 3 } });
  });
});

describe('triage fields', () => {
  it('counts escalations, stamps the first resolution and every close, and names the assignee', () => {
    const steps = [
      { a: { kind: 'claim' }, by: { ...staff, name: 'Mod' } },
      { a: { kind: 'set-status', status: 'escalated' }, by: staff },
      { a: { kind: 'set-status', status: 'resolved' }, by: staff },
      { a: { kind: 'reopen' }, by: staff },
      { a: { kind: 'set-status', status: 'escalated' }, by: staff },
      { a: { kind: 'close', reason: null }, by: staff },
    ] as const;
    let t = base;
    let now = 100;
    for (const s of steps) {
      const r = decide(t, s.a, s.by, now++);
      if (!r.ok) throw new Error(r.error.message);
      t = r.value;
      if (s.a.kind === 'claim') expect(t.assigneeName).toBe('Mod');
    }
    expect(t).toMatchObject({ escalations: 2, resolvedAt: 102, closedAt: 105, lastChangedBy: 'staff' });
  });
});
