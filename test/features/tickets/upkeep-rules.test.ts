import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/features/tickets/model.ts';
import {
  attainment,
  DEFAULT_POLICY,
  dueSteps,
  INITIAL_STATE,
  onStatus,
  parseMinutes,
  showMinutes,
  slaDue,
  type TicketPolicy,
  type UpkeepState,
  weekOf,
} from '../../../src/features/tickets/upkeep/rules.ts';
import { openTicket } from '../../support/ticket.ts';

const MIN = 60_000;
const H = 60 * MIN;
const T0 = Date.parse('2026-03-02T10:00:00Z');
const ticket = (over: Partial<Ticket> = {}): Ticket => ({ ...openTicket, severity: 'critical', createdAt: T0, updatedAt: T0, ...over });
const at = (steps: ReturnType<typeof dueSteps>, kind: string) => steps.find((d) => d.kind === kind)?.at;

describe('upkeep rules', () => {
  it('reads durations as staff type them and refuses the rest', () => {
    expect(parseMinutes('15m')).toEqual({ ok: true, value: 15 });
    expect(parseMinutes('4h')).toEqual({ ok: true, value: 240 });
    expect(parseMinutes('1h30m')).toEqual({ ok: true, value: 90 });
    expect(parseMinutes('2d')).toEqual({ ok: true, value: 2880 });
    expect(parseMinutes(' 90 ')).toEqual({ ok: true, value: 90 });
    expect(parseMinutes('soon')).toEqual({ ok: false, error: 'format' });
    expect(parseMinutes('')).toEqual({ ok: false, error: 'format' });
    expect(parseMinutes('0m')).toEqual({ ok: false, error: 'range' });
    expect(parseMinutes('91d')).toEqual({ ok: false, error: 'range' });
    expect(showMinutes(1530)).toBe('1d 1h 30m');
  });

  it('warns at 80 % and breaches at 100 % of each target, counted from the opening', () => {
    const steps = dueSteps(ticket(), DEFAULT_POLICY, INITIAL_STATE);
    expect(at(steps, 'first-warn')).toBe(T0 + 12 * MIN);
    expect(at(steps, 'first-breach')).toBe(T0 + 15 * MIN);
    expect(at(steps, 'resolve-warn')).toBe(T0 + 192 * MIN);
    expect(at(steps, 'resolve-breach')).toBe(T0 + 240 * MIN);
    // Answered: the first-answer clock is gone; resolved: nothing is left.
    expect(at(dueSteps(ticket({ firstResponseAt: T0 + MIN }), DEFAULT_POLICY, INITIAL_STATE), 'first-breach')).toBeUndefined();
    expect(dueSteps(ticket({ status: 'resolved', resolvedAt: T0 + MIN }), DEFAULT_POLICY, INITIAL_STATE)).toEqual([]);
    // A step already taken is not due again.
    expect(at(dueSteps(ticket(), DEFAULT_POLICY, { ...INITIAL_STATE, done: ['first-warn'] }), 'first-warn')).toBeUndefined();
  });

  it('stops the clock while waiting for the member and moves the targets by the time it stood', () => {
    let s: UpkeepState = onStatus(INITIAL_STATE, 'claimed', 'waiting', T0 + 5 * MIN);
    expect(slaDue(ticket({ status: 'waiting' }), DEFAULT_POLICY, s)).toEqual({ first: null, resolve: null });
    s = onStatus(s, 'waiting', 'claimed', T0 + 65 * MIN);
    expect(s.pausedMs).toBe(60 * MIN);
    expect(slaDue(ticket({ status: 'claimed' }), DEFAULT_POLICY, s).first).toBe(T0 + 75 * MIN);
    const noPause: TicketPolicy = { ...DEFAULT_POLICY, sla: { ...DEFAULT_POLICY.sla, pauseWhileWaiting: false } };
    expect(slaDue(ticket({ status: 'claimed' }), noPause, s).first).toBe(T0 + 15 * MIN);
  });

  it('reminds staff once per period while the member’s last word is unanswered, and the member while staff wait', () => {
    const p: TicketPolicy = { ...DEFAULT_POLICY, sla: { ...DEFAULT_POLICY.sla, enabled: false }, remindStaffH: 4, remindMemberH: 24 };
    const t = ticket({ lastMemberMessageAt: T0 + H });
    expect(dueSteps(t, p, INITIAL_STATE)).toEqual([{ kind: 'remind-staff', at: T0 + 5 * H, mark: `remind-staff@${T0 + H}#1` }]);
    const after1 = { ...INITIAL_STATE, done: [`remind-staff@${T0 + H}#1`] };
    expect(at(dueSteps(t, p, after1), 'remind-staff')).toBe(T0 + 9 * H);
    // Staff answered after the member: nothing to remind.
    expect(dueSteps(t, p, { ...INITIAL_STATE, lastStaffAt: T0 + 2 * H })).toEqual([]);
    const waiting = onStatus(INITIAL_STATE, 'claimed', 'waiting', T0 + 2 * H);
    expect(at(dueSteps(ticket({ status: 'waiting', lastMemberMessageAt: T0 + H }), p, waiting), 'remind-member')).toBe(T0 + 26 * H);
  });

  it('warns, then closes a quiet ticket; any sign of life starts over; escalated tickets and excluded ones stay', () => {
    const p: TicketPolicy = { ...DEFAULT_POLICY, sla: { ...DEFAULT_POLICY.sla, enabled: false }, autoClose: { warnAfterH: 24, closeAfterH: 48 } };
    expect(dueSteps(ticket(), p, INITIAL_STATE).map((d) => [d.kind, d.at])).toEqual([
      ['autoclose-warn', T0 + 24 * H],
      ['autoclose', T0 + 48 * H],
    ]);
    expect(at(dueSteps(ticket({ lastMemberMessageAt: T0 + 30 * H }), p, INITIAL_STATE), 'autoclose')).toBe(T0 + 78 * H);
    expect(dueSteps(ticket({ status: 'escalated' }), p, INITIAL_STATE)).toEqual([]);
    expect(dueSteps(ticket(), p, { ...INITIAL_STATE, autoCloseOff: true })).toEqual([]);
  });

  it('counts targets met per severity and per week (weeks start on Monday, UTC)', () => {
    expect(weekOf(Date.parse('2026-03-08T23:59:00Z'))).toBe('2026-03-02');
    expect(weekOf(Date.parse('2026-03-09T00:00:00Z'))).toBe('2026-03-09');
    const a = attainment([
      { severity: 'critical', createdAt: T0, firstMet: true, resolveMet: null },
      { severity: 'critical', createdAt: T0, firstMet: false, resolveMet: true },
      { severity: 'low', createdAt: T0 + 7 * 24 * H, firstMet: true, resolveMet: true },
    ]);
    expect(a.bySeverity.critical).toEqual({ first: { met: 1, missed: 1 }, resolve: { met: 1, missed: 0 } });
    expect(a.byWeek.map((w) => [w.week, w.first.met, w.first.missed])).toEqual([
      ['2026-03-02', 1, 1],
      ['2026-03-09', 1, 0],
    ]);
  });
});
