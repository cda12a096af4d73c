import { describe, expect, it } from 'vitest';
import {
  addHoliday,
  addWindow,
  afterOpenTime,
  formatDays,
  isOpen,
  nextOpening,
  openDuration,
  parseDate,
  parseDays,
  parseTime,
  parseWindow,
  type SupportHours,
  type SupportWindow,
  wallClockInstant,
} from '../../../src/features/tickets/hours/rules.ts';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 3_600_000;

function window(days: string, from: string, to: string): SupportWindow {
  const w = parseWindow(days, from, to);
  if (!w.ok) throw new Error(JSON.stringify(w.error));
  return w.value;
}

const hours = (zone: string, windows: SupportWindow[], holidays: string[] = []): SupportHours => ({ zone, windows, holidays, outside: 'refuse' });

describe('parsing what an admin types', () => {
  it('reads days as ranges, lists and daily, in any case, and writes them back the same way', () => {
    expect(parseDays('mon-fri')).toEqual({ ok: true, value: [0, 1, 2, 3, 4] });
    expect(parseDays('Mon,WED,fri')).toEqual({ ok: true, value: [0, 2, 4] });
    expect(parseDays('sat-sun')).toEqual({ ok: true, value: [5, 6] });
    expect(parseDays('mon-fri,sun')).toEqual({ ok: true, value: [0, 1, 2, 3, 4, 6] });
    expect(parseDays('DAILY')).toEqual({ ok: true, value: [0, 1, 2, 3, 4, 5, 6] });
    expect(parseDays('fri-mon')).toEqual({ ok: true, value: [0, 4, 5, 6] });
    expect(parseDays(' tue , thu ')).toEqual({ ok: true, value: [1, 3] });
    for (const bad of ['', 'weekdays', 'mon-xyz', 'mon;tue', '1-5', 'monday', 'mon,,tue', 'mon-', '-fri']) {
      expect(parseDays(bad), bad).toEqual({ ok: false, error: { code: 'bad-days', days: bad } });
    }
    expect(formatDays([0, 1, 2, 3, 4])).toBe('mon-fri');
    expect(formatDays([0, 1, 2, 3, 4, 6])).toBe('mon-fri,sun');
    expect(formatDays([0, 2, 4])).toBe('mon,wed,fri');
    expect(formatDays([5, 6])).toBe('sat,sun');
    expect(formatDays([0, 1, 2, 3, 4, 5, 6])).toBe('daily');
  });

  it('reads 24-hour HH:MM times; 24:00 only as the end of a window', () => {
    expect(parseTime('09:00')).toEqual({ ok: true, value: 540 });
    expect(parseTime('9:05')).toEqual({ ok: true, value: 545 });
    expect(parseTime('23:59')).toEqual({ ok: true, value: 1439 });
    expect(parseTime('24:00', true)).toEqual({ ok: true, value: 1440 });
    for (const bad of ['24:00', '25:00', '12:60', 'noon', '9', '09:00:00', '-1:00', '9am']) expect(parseTime(bad).ok, bad).toBe(false);
  });

  it('refuses a window whose end is its start; one that ends before it starts runs past midnight', () => {
    expect(parseWindow('mon', '09:00', '09:00')).toEqual({ ok: false, error: { code: 'empty-window' } });
    expect(parseWindow('fri', '22:00', '02:00')).toEqual({ ok: true, value: { days: [4], from: 1320, to: 120 } });
    expect(parseWindow('daily', '00:00', '24:00')).toEqual({ ok: true, value: { days: [0, 1, 2, 3, 4, 5, 6], from: 0, to: 1440 } });
    expect(parseWindow('xyz', '09:00', '17:00')).toMatchObject({ ok: false, error: { code: 'bad-days' } });
    expect(parseWindow('mon', '09:00', '17:99')).toEqual({ ok: false, error: { code: 'bad-time', time: '17:99' } });
  });

  it('reads holidays as calendar dates that exist', () => {
    expect(parseDate('2026-12-25')).toEqual({ ok: true, value: '2026-12-25' });
    for (const bad of ['2026-02-30', '2026-13-01', '25.12.2026', 'christmas', '2026-1-5']) expect(parseDate(bad).ok, bad).toBe(false);
  });
});

describe('adding windows', () => {
  const weekdays = window('mon-fri', '09:00', '17:00');

  it('refuses a zone that does not exist, and one other than the zone the hours are read in', () => {
    expect(addWindow(null, 'Mars/Olympus', weekdays, null)).toEqual({ ok: false, error: { code: 'bad-zone', zone: 'Mars/Olympus' } });
    const first = addWindow(null, 'europe/berlin', weekdays, 'refuse');
    expect(first).toMatchObject({ ok: true, value: { hours: { zone: 'Europe/Berlin', outside: 'refuse' } } });
    if (!first.ok) return;
    expect(addWindow(first.value.hours, 'Asia/Tokyo', window('sat', '10:00', '12:00'), null)).toEqual({
      ok: false,
      error: { code: 'other-zone', zone: 'Europe/Berlin' },
    });
  });

  it('adds windows for other days or other hours; refuses overlapping hours, also across midnight and from Sunday into Monday', () => {
    const base = addWindow(null, 'UTC', weekdays, null);
    if (!base.ok) throw new Error('base');
    const h = base.value.hours;
    expect(h.outside).toBe('warn');
    const weekend = addWindow(h, 'UTC', window('sat-sun', '10:00', '14:00'), null);
    expect(weekend.ok && weekend.value.hours.windows).toHaveLength(2);
    // Touching is not overlapping: closed at exactly `to`, open at exactly `from`.
    expect(addWindow(h, 'UTC', window('mon', '17:00', '19:00'), null).ok).toBe(true);
    expect(addWindow(h, 'UTC', window('wed', '16:59', '18:00'), null)).toEqual({ ok: false, error: { code: 'overlap', with: weekdays } });
    expect(addWindow(h, 'UTC', window('thu', '22:00', '09:01'), null)).toMatchObject({ ok: false, error: { code: 'overlap' } });
    expect(addWindow(h, 'UTC', window('thu', '22:00', '09:00'), null).ok).toBe(true);
    expect(addWindow(h, 'UTC', window('sun', '23:00', '09:30'), null)).toMatchObject({ ok: false, error: { code: 'overlap' } });
    // The same window again changes nothing; with another mode it changes only the mode.
    expect(addWindow(h, 'UTC', window('mon-fri', '09:00', '17:00'), null)).toEqual({ ok: true, value: { hours: h, same: true } });
    expect(addWindow(h, 'UTC', window('mon-fri', '09:00', '17:00'), 'refuse')).toEqual({
      ok: true,
      value: { hours: { ...h, outside: 'refuse' }, same: false },
    });
  });

  it('keeps holidays sorted and unique, within the cap', () => {
    const h = hours('UTC', [weekdays]);
    const a = addHoliday(h, '2026-12-25');
    const b = a.ok ? addHoliday(a.value, '2026-12-24') : a;
    expect(b.ok && b.value.holidays).toEqual(['2026-12-24', '2026-12-25']);
    expect(b.ok && addHoliday(b.value, '2026-12-25')).toEqual(b);
    const full = { ...h, holidays: Array.from({ length: 100 }, (_, i) => new Date(Date.UTC(2030, 0, 1 + i)).toISOString().slice(0, 10)) };
    expect(addHoliday(full, '2031-01-01')).toEqual({ ok: false, error: { code: 'too-many-holidays', max: 100 } });
  });
});

describe('open or closed at the boundaries, in two time zones', () => {
  const weekdays = [window('mon-fri', '09:00', '17:00')];

  it.each([
    // Monday 2026-12-07: New York is UTC−5, Tokyo UTC+9 (no daylight saving).
    ['America/New_York', '2026-12-07T14:00:00Z', '2026-12-07T22:00:00Z'],
    ['Asia/Tokyo', '2026-12-07T00:00:00Z', '2026-12-07T08:00:00Z'],
  ])('%s: open at exactly 09:00, closed at exactly 17:00', (zone, from, to) => {
    const h = hours(zone, weekdays);
    expect(isOpen(at(from) - MIN, h)).toBe(false);
    expect(isOpen(at(from), h)).toBe(true);
    expect(isOpen(at(from) + MIN, h)).toBe(true);
    expect(isOpen(at(to) - MIN, h)).toBe(true);
    expect(isOpen(at(to), h)).toBe(false);
    expect(isOpen(at(to) + MIN, h)).toBe(false);
    expect(nextOpening(at(from) - MIN, h)).toBe(at(from));
    expect(nextOpening(at(from) + MIN, h)).toBe(at(from) + MIN);
    // After Monday's close: Tuesday 09:00 local.
    expect(nextOpening(at(to), h)).toBe(at(from) + 24 * HOUR);
  });

  it('after Friday’s close the next opening is Monday morning, local', () => {
    expect(nextOpening(at('2026-12-11T22:00:00Z'), hours('America/New_York', weekdays))).toBe(at('2026-12-14T14:00:00Z'));
    expect(nextOpening(at('2026-12-11T08:00:00Z'), hours('Asia/Tokyo', weekdays))).toBe(at('2026-12-14T00:00:00Z'));
  });

  it('a holiday closes the day; the next opening skips it', () => {
    const h = hours('America/New_York', weekdays, ['2026-12-25']);
    expect(isOpen(at('2026-12-25T15:00:00Z'), h)).toBe(false);
    expect(isOpen(at('2026-12-24T15:00:00Z'), h)).toBe(true);
    expect(nextOpening(at('2026-12-24T22:00:00Z'), h)).toBe(at('2026-12-28T14:00:00Z'));
  });

  it('an overnight window belongs to the day it starts: a holiday that day closes it, the next day’s holiday does not', () => {
    const night = [window('fri', '22:00', '02:00')];
    const h = hours('Asia/Tokyo', night);
    // Friday 2026-12-11 22:00 JST = 13:00Z; Saturday 02:00 JST = 17:00Z.
    expect(isOpen(at('2026-12-11T13:00:00Z') - MIN, h)).toBe(false);
    expect(isOpen(at('2026-12-11T13:00:00Z'), h)).toBe(true);
    expect(isOpen(at('2026-12-11T17:00:00Z') - MIN, h)).toBe(true);
    expect(isOpen(at('2026-12-11T17:00:00Z'), h)).toBe(false);
    expect(isOpen(at('2026-12-11T16:00:00Z'), hours('Asia/Tokyo', night, ['2026-12-12']))).toBe(true);
    expect(isOpen(at('2026-12-11T16:00:00Z'), hours('Asia/Tokyo', night, ['2026-12-11']))).toBe(false);
  });

  it('answers null when no opening is coming', () => {
    expect(nextOpening(at('2026-12-07T00:00:00Z'), hours('UTC', []))).toBeNull();
  });
});

describe('across a daylight-saving change', () => {
  const nineToFive = [window('daily', '09:00', '17:00')];

  it('09:00–17:00 in Europe/Berlin stays 09:00–17:00 local when the clocks go forward and back', () => {
    const h = hours('Europe/Berlin', nineToFive);
    // Saturday 2027-03-27 is CET (UTC+1); Sunday 03-28 is CEST (UTC+2).
    expect(isOpen(at('2027-03-27T08:00:00Z'), h)).toBe(true);
    expect(isOpen(at('2027-03-27T08:00:00Z') - MIN, h)).toBe(false);
    expect(isOpen(at('2027-03-28T07:00:00Z') - MIN, h)).toBe(false);
    expect(isOpen(at('2027-03-28T07:00:00Z'), h)).toBe(true);
    expect(isOpen(at('2027-03-28T15:00:00Z') - MIN, h)).toBe(true);
    expect(isOpen(at('2027-03-28T15:00:00Z'), h)).toBe(false);
    expect(nextOpening(at('2027-03-27T16:00:00Z'), h)).toBe(at('2027-03-28T07:00:00Z'));
    // Back on Sunday 2027-10-31.
    expect(nextOpening(at('2027-10-30T15:00:00Z'), h)).toBe(at('2027-10-31T08:00:00Z'));
    expect(openDuration(at('2027-03-22T00:00:00Z'), at('2027-03-29T00:00:00Z'), h)).toBe(7 * 8 * HOUR);
    expect(openDuration(at('2027-10-25T00:00:00Z'), at('2027-11-01T00:00:00Z'), h)).toBe(7 * 8 * HOUR);
  });

  it('America/New_York changes two weeks earlier: the same local hours, another UTC offset', () => {
    const h = hours('America/New_York', [window('mon-fri', '09:00', '17:00')]);
    // Friday 2027-03-12 is EST (UTC−5); Monday 03-15 is EDT (UTC−4).
    expect(nextOpening(at('2027-03-12T22:00:00Z'), h)).toBe(at('2027-03-15T13:00:00Z'));
    expect(isOpen(at('2027-03-15T13:00:00Z') - MIN, h)).toBe(false);
    expect(isOpen(at('2027-03-15T21:00:00Z') - MIN, h)).toBe(true);
    expect(isOpen(at('2027-03-15T21:00:00Z'), h)).toBe(false);
  });

  it('a start skipped by spring-forward opens at the first instant that exists after it', () => {
    // Berlin skips 02:00–03:00 on 2027-03-28: 02:30 does not exist, the clocks jump to 03:00 (01:00Z).
    expect(wallClockInstant({ y: 2027, mo: 3, d: 28 }, 150, 'Europe/Berlin')).toBe(at('2027-03-28T01:00:00Z'));
    const h = hours('Europe/Berlin', [window('sun', '02:30', '05:00')]);
    expect(isOpen(at('2027-03-28T01:00:00Z') - MIN, h)).toBe(false);
    expect(isOpen(at('2027-03-28T01:00:00Z'), h)).toBe(true);
    expect(isOpen(at('2027-03-28T03:00:00Z'), h)).toBe(false);
    expect(nextOpening(at('2027-03-27T12:00:00Z'), h)).toBe(at('2027-03-28T01:00:00Z'));
    // The week after, 02:30 exists again (CEST, 00:30Z).
    expect(nextOpening(at('2027-03-29T00:00:00Z'), h)).toBe(at('2027-04-04T00:30:00Z'));
    expect(openDuration(at('2027-03-28T00:00:00Z'), at('2027-03-29T00:00:00Z'), h)).toBe(2 * HOUR);
  });
});

describe('open time between two instants (for SLA clocks)', () => {
  const h = hours('America/New_York', [window('mon-fri', '09:00', '17:00')], ['2026-12-25']);

  it('counts only the open part of the range, holidays excluded', () => {
    // The week of Monday 2026-12-07: five days of eight hours.
    expect(openDuration(at('2026-12-07T05:00:00Z'), at('2026-12-14T05:00:00Z'), h)).toBe(40 * HOUR);
    // Monday 16:00 to Tuesday 10:00 local: one hour each side of the night.
    expect(openDuration(at('2026-12-07T21:00:00Z'), at('2026-12-08T15:00:00Z'), h)).toBe(2 * HOUR);
    // Inside one window, and entirely outside.
    expect(openDuration(at('2026-12-07T15:00:00Z'), at('2026-12-07T15:30:00Z'), h)).toBe(30 * MIN);
    expect(openDuration(at('2026-12-12T15:00:00Z'), at('2026-12-13T15:00:00Z'), h)).toBe(0);
    // Christmas week: four days.
    expect(openDuration(at('2026-12-21T05:00:00Z'), at('2026-12-28T05:00:00Z'), h)).toBe(32 * HOUR);
    expect(openDuration(at('2026-12-08T00:00:00Z'), at('2026-12-07T00:00:00Z'), h)).toBe(0);
  });

  it('counts an overnight window that started before the range', () => {
    const night = hours('UTC', [window('fri', '22:00', '02:00')]);
    expect(openDuration(at('2026-12-12T00:00:00Z'), at('2026-12-12T12:00:00Z'), night)).toBe(2 * HOUR);
  });
});

describe('open time ahead (SLA due times that pause outside support hours)', () => {
  const berlin = hours('Europe/Berlin', [window('mon-fri', '09:00', '17:00')]);
  it('walks forward through open time only, over nights, weekends and holidays, and inverts openDuration', () => {
    // Friday 16:55 CET + 15 min of open time: 5 min on Friday, 10 min on Monday after the change to summer time (CEST).
    expect(afterOpenTime(at('2027-03-26T15:55:00Z'), 15 * MIN, berlin)).toBe(at('2027-03-29T07:10:00Z'));
    // From a closed moment, the clock starts at the opening.
    expect(afterOpenTime(at('2027-03-27T12:00:00Z'), 60 * MIN, berlin)).toBe(at('2027-03-29T08:00:00Z'));
    // A whole working day, exactly to the close: Monday 17:00.
    expect(afterOpenTime(at('2027-03-29T07:00:00Z'), 8 * HOUR, berlin)).toBe(at('2027-03-29T15:00:00Z'));
    const withHoliday = hours('Europe/Berlin', [window('mon-fri', '09:00', '17:00')], ['2027-03-29']);
    expect(afterOpenTime(at('2027-03-26T15:55:00Z'), 15 * MIN, withHoliday)).toBe(at('2027-03-30T07:10:00Z'));
    for (const [from, ms] of [
      [at('2027-03-24T10:00:00Z'), 20 * HOUR],
      [at('2027-03-26T15:55:00Z'), 3 * HOUR + 7 * MIN],
    ] as const) {
      const due = afterOpenTime(from, ms, berlin)!;
      expect(openDuration(from, due, berlin)).toBe(ms);
    }
    expect(afterOpenTime(at('2027-03-29T07:00:00Z'), 400 * 8 * HOUR, berlin)).toBeNull();
  });
});
