import { describe, expect, it } from 'vitest';
import {
  type AlertRoute,
  type Fold,
  foldAlert,
  foldMinutes,
  formatQuiet,
  inQuietHours,
  parseQuiet,
  routeInputOf,
  validateRoute,
} from '../../../src/features/alerts/rules.ts';

const CH = '100000000000000001';
const CH2 = '100000000000000002';
const ROLE = '200000000000000001';
const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

const route = (over: Partial<AlertRoute> = {}): AlertRoute => ({
  kind: 'automod',
  channelId: CH,
  roleId: ROLE,
  windowMin: 10,
  quiet: null,
  timeZone: 'UTC',
  ...over,
});

/** Raises `ats` in order through the fold rule, as the desk does, keeping every fold. */
function raiseAll(ats: number[], r: AlertRoute = route()): Fold[] {
  const folds: Fold[] = [];
  for (const [i, at] of ats.entries()) {
    const { fold, started } = foldAlert(folds.at(-1) ?? null, { kind: r.kind, evidence: `hit ${i + 1}`, at }, r, folds.length + 1);
    if (started) folds.push(fold);
    else folds[folds.length - 1] = fold;
  }
  return folds;
}

describe('folding', () => {
  it('folds alerts of a kind within the window into one, with the count, span and latest evidence', () => {
    const folds = raiseAll([T0, T0 + 30_000, T0 + 2 * MIN, T0 + 4 * MIN]);
    expect(folds).toHaveLength(1);
    expect(folds[0]).toMatchObject({ count: 4, firstAt: T0, lastAt: T0 + 4 * MIN, evidence: 'hit 4', mentionRoleId: ROLE });
    expect(foldMinutes(folds[0]!)).toBe(4);
  });

  it('starts a new fold once the window from the first alert is over (the window end is exclusive)', () => {
    const folds = raiseAll([T0, T0 + 9 * MIN, T0 + 10 * MIN, T0 + 11 * MIN]);
    expect(folds.map((f) => f.count)).toEqual([2, 2]);
    expect(folds[1]).toMatchObject({ id: 2, firstAt: T0 + 10 * MIN, messageId: null, shownCount: 0 });
  });

  it('uses the route’s own window', () => {
    expect(raiseAll([T0, T0 + 2 * MIN], route({ windowMin: 1 }))).toHaveLength(2);
    expect(raiseAll([T0, T0 + 50 * MIN], route({ windowMin: 60 }))).toHaveLength(1);
  });

  it('starts a new fold when the route moved to another channel', () => {
    const [first] = raiseAll([T0]);
    const r = foldAlert(first!, { kind: 'automod', evidence: 'x', at: T0 + MIN }, route({ channelId: CH2 }), 2);
    expect(r.started).toBe(true);
    expect(r.fold.channelId).toBe(CH2);
  });

  it('keeps the first message’s mention decision for the whole fold, and cuts long evidence', () => {
    const r = route({ quiet: { start: 12 * 60, end: 13 * 60 } });
    const folds = raiseAll([T0 + 59 * MIN, T0 + 61 * MIN], r);
    expect(folds).toHaveLength(1);
    expect(folds[0]!.mentionRoleId).toBeNull();
    const long = foldAlert(null, { kind: 'automod', evidence: 'x'.repeat(2000), at: T0 }, route(), 1);
    expect(long.fold.evidence.length).toBe(500);
  });

  it('mentions nobody when the route has no role', () => {
    expect(raiseAll([T0], route({ roleId: null }))[0]!.mentionRoleId).toBeNull();
  });
});

describe('quiet hours', () => {
  const night = parseQuiet('22:00-07:00') as { start: number; end: number };

  it('wraps past midnight in Europe/Berlin (winter, UTC+1), start inclusive and end exclusive', () => {
    const z = 'Europe/Berlin';
    expect(inQuietHours(Date.UTC(2026, 0, 15, 20, 59, 59), night, z)).toBe(false); // 21:59:59
    expect(inQuietHours(Date.UTC(2026, 0, 15, 21, 0, 0), night, z)).toBe(true); // 22:00
    expect(inQuietHours(Date.UTC(2026, 0, 15, 23, 30), night, z)).toBe(true); // 00:30
    expect(inQuietHours(Date.UTC(2026, 0, 16, 5, 59), night, z)).toBe(true); // 06:59
    expect(inQuietHours(Date.UTC(2026, 0, 16, 6, 0), night, z)).toBe(false); // 07:00
  });

  it('follows summer time in Europe/Berlin (UTC+2)', () => {
    expect(inQuietHours(Date.UTC(2026, 6, 15, 20, 0), night, 'Europe/Berlin')).toBe(true); // 22:00
    expect(inQuietHours(Date.UTC(2026, 6, 15, 19, 59), night, 'Europe/Berlin')).toBe(false); // 21:59
  });

  it('reads the same hours on America/New_York’s clock (UTC−5)', () => {
    const z = 'America/New_York';
    expect(inQuietHours(Date.UTC(2026, 0, 15, 21, 0), night, z)).toBe(false); // 16:00 there, quiet in Berlin
    expect(inQuietHours(Date.UTC(2026, 0, 16, 2, 59), night, z)).toBe(false); // 21:59
    expect(inQuietHours(Date.UTC(2026, 0, 16, 3, 0), night, z)).toBe(true); // 22:00
    expect(inQuietHours(Date.UTC(2026, 0, 16, 11, 59), night, z)).toBe(true); // 06:59
    expect(inQuietHours(Date.UTC(2026, 0, 16, 12, 0), night, z)).toBe(false); // 07:00
  });

  it('handles hours within one day, and none', () => {
    const lunch = parseQuiet('12:00-13:30') as { start: number; end: number };
    expect(inQuietHours(Date.UTC(2026, 0, 15, 12, 0), lunch, 'UTC')).toBe(true);
    expect(inQuietHours(Date.UTC(2026, 0, 15, 13, 30), lunch, 'UTC')).toBe(false);
    expect(inQuietHours(Date.UTC(2026, 0, 15, 11, 59), lunch, 'UTC')).toBe(false);
    expect(inQuietHours(T0, null, 'UTC')).toBe(false);
  });

  it('a fold that starts in quiet hours does not mention; one that starts after does', () => {
    const r = route({ quiet: night, timeZone: 'Europe/Berlin' });
    expect(foldAlert(null, { kind: 'automod', evidence: 'x', at: Date.UTC(2026, 0, 16, 5, 59) }, r, 1).fold.mentionRoleId).toBeNull();
    expect(foldAlert(null, { kind: 'automod', evidence: 'x', at: Date.UTC(2026, 0, 16, 6, 0) }, r, 1).fold.mentionRoleId).toBe(ROLE);
  });
});

describe('validation', () => {
  it('accepts a full route, mentions or bare ids, and reads it back the same', () => {
    const r = validateRoute({ kind: 'raid', channel: `<#${CH}>`, role: `<@&${ROLE}>`, window: '15', quiet: '22:00-07:00', timezone: 'Europe/Berlin' });
    expect(r).toEqual({
      ok: true,
      value: { kind: 'raid', channelId: CH, roleId: ROLE, windowMin: 15, quiet: { start: 22 * 60, end: 7 * 60 }, timeZone: 'Europe/Berlin' },
    });
    if (r.ok) expect(validateRoute(routeInputOf(r.value))).toEqual(r);
  });

  it('fills the defaults: 10 minutes, no role, no quiet hours, UTC', () => {
    expect(validateRoute({ kind: 'lockdown', channel: CH })).toEqual({
      ok: true,
      value: { kind: 'lockdown', channelId: CH, roleId: null, windowMin: 10, quiet: null, timeZone: 'UTC' },
    });
  });

  it('names every refused field at once', () => {
    const r = validateRoute({ kind: 'spam', channel: 'general', role: '@mods', window: '0', quiet: '25:00-07:00', timezone: 'Mars/Olympus' });
    expect(r).toEqual({
      ok: false,
      errors: {
        kind: 'alerts.err.kind',
        channel: 'alerts.err.channel',
        role: 'alerts.err.role',
        window: 'alerts.err.window',
        quiet: 'alerts.err.quiet',
        timezone: 'alerts.err.timezone',
      },
    });
  });

  it.each(['1.5', '-3', '1441', 'ten', '1e2'])('refuses the window %s', (w) => {
    expect(validateRoute({ kind: 'raid', channel: CH, window: w })).toMatchObject({ ok: false, errors: { window: 'alerts.err.window' } });
  });

  it.each(['22:00', '22-07', '07:00-07:00', '10:60-11:00', '2200-0700'])('refuses the quiet hours %s', (q) => {
    expect(validateRoute({ kind: 'raid', channel: CH, quiet: q })).toMatchObject({ ok: false, errors: { quiet: 'alerts.err.quiet' } });
  });

  it('writes quiet hours back as typed', () => {
    expect(formatQuiet(parseQuiet('7:05-9:00') as { start: number; end: number })).toBe('07:05-09:00');
  });
});
