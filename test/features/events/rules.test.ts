import { describe, expect, it } from 'vitest';
import { monthlyRule, occurrenceStart, occurrencesFrom, rrule, type Series } from '../../../src/features/events/rules/recurrence.ts';
import { parseOffsets, reminderSchedule } from '../../../src/features/events/rules/reminders.ts';
import { answer, promote, type Rsvp } from '../../../src/features/events/rules/rsvp.ts';
import { parseDuration, parseStart } from '../../../src/features/events/rules/when.ts';

const NOW = Date.parse('2026-12-05T10:00:00Z');
const berlin = (iso: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(Date.parse(iso));

describe('parsing a start', () => {
  it('reads a date and time in the given zone', () => {
    expect(parseStart('2026-12-20 20:00', 'Europe/Berlin', NOW)).toEqual({ ok: true, value: Date.parse('2026-12-20T19:00:00Z') });
    expect(parseStart('2026-07-01T08:30', 'America/New_York', NOW)).toEqual({ ok: true, value: Date.parse('2026-07-01T12:30:00Z') });
  });
  it('reads today and tomorrow with 12- and 24-hour clocks, from the zone’s own date', () => {
    expect(parseStart('tomorrow 8pm', 'Europe/Berlin', NOW)).toEqual({ ok: true, value: Date.parse('2026-12-06T19:00:00Z') });
    expect(parseStart('Tomorrow 8:30am', 'UTC', NOW)).toEqual({ ok: true, value: Date.parse('2026-12-06T08:30:00Z') });
    expect(parseStart('today 23:15', 'UTC', NOW)).toEqual({ ok: true, value: Date.parse('2026-12-05T23:15:00Z') });
    // 10:00 UTC is 23:00 on the 5th in Auckland: its tomorrow begins an hour later.
    expect(parseStart('tomorrow 12am', 'Pacific/Auckland', NOW)).toEqual({ ok: true, value: Date.parse('2026-12-05T11:00:00Z') });
  });
  it('reads Discord timestamps and Unix seconds', () => {
    expect(parseStart('<t:1766257200:F>', 'UTC', NOW)).toEqual({ ok: true, value: 1766257200000 });
    expect(parseStart('<t:1766257200>', 'UTC', NOW)).toEqual({ ok: true, value: 1766257200000 });
    expect(parseStart('1766257200', 'UTC', NOW)).toEqual({ ok: true, value: 1766257200000 });
  });
  it('refuses impossible dates and times, and a time the zone skips', () => {
    expect(parseStart('2026-02-30 20:00', 'UTC', NOW)).toEqual({ ok: false, error: 'impossible-date' });
    expect(parseStart('2026-13-01 20:00', 'UTC', NOW)).toEqual({ ok: false, error: 'impossible-date' });
    expect(parseStart('2026-12-20 25:00', 'UTC', NOW)).toEqual({ ok: false, error: 'impossible-time' });
    expect(parseStart('tomorrow 13pm', 'UTC', NOW)).toEqual({ ok: false, error: 'impossible-time' });
    expect(parseStart('2027-03-28 02:30', 'Europe/Berlin', NOW)).toEqual({ ok: false, error: 'skipped-time' });
    expect(parseStart('next friday', 'UTC', NOW)).toEqual({ ok: false, error: 'bad-format' });
    expect(parseStart('2026-12-20', 'UTC', NOW)).toEqual({ ok: false, error: 'bad-format' });
    expect(parseStart('  ', 'UTC', NOW)).toEqual({ ok: false, error: 'empty' });
  });
  it('takes the first of a time repeated at fall-back', () => {
    expect(parseStart('2027-10-31 02:30', 'Europe/Berlin', NOW)).toEqual({ ok: true, value: Date.parse('2027-10-31T00:30:00Z') });
  });
});

describe('parsing a duration', () => {
  it('reads hours and minutes in several spellings', () => {
    for (const [s, min] of [
      ['2h', 120],
      ['90m', 90],
      ['1h30m', 90],
      ['1h 30m', 90],
      ['1:30', 90],
      ['45', 45],
    ] as const)
      expect(parseDuration(s)).toEqual({ ok: true, value: min });
  });
  it('refuses nothing, zero, nonsense and more than a week', () => {
    for (const s of ['', '0', 'soon', '1:75', '200h']) expect(parseDuration(s)).toEqual({ ok: false, error: 'bad-duration' });
  });
});

describe('recurrence', () => {
  const weekly: Series = { firstStart: Date.parse('2027-03-19T19:00:00Z'), zone: 'Europe/Berlin', repeat: 'weekly' };
  it('keeps a weekly 20:00 Berlin event at 20:00 local across the spring and autumn changes', () => {
    const starts = occurrencesFrom(weekly, weekly.firstStart, 3);
    expect(starts.map((o) => new Date(o.start).toISOString())).toEqual(['2027-03-19T19:00:00.000Z', '2027-03-26T19:00:00.000Z', '2027-04-02T18:00:00.000Z']);
    for (const o of starts) expect(berlin(new Date(o.start).toISOString())).toMatch(/ 20:00$/);
    const autumn = occurrencesFrom(weekly, Date.parse('2027-10-27T00:00:00Z'), 2);
    expect(autumn.map((o) => new Date(o.start).toISOString())).toEqual(['2027-10-29T18:00:00.000Z', '2027-11-05T19:00:00.000Z']);
  });
  it('repeats daily and every two weeks', () => {
    const daily: Series = { ...weekly, repeat: 'daily' };
    expect(occurrenceStart(daily, 10)).toBe(Date.parse('2027-03-29T18:00:00Z'));
    const biweekly: Series = { ...weekly, repeat: 'biweekly' };
    expect(occurrenceStart(biweekly, 1)).toBe(Date.parse('2027-04-02T18:00:00Z'));
    expect(rrule(biweekly)).toBe('FREQ=WEEKLY;INTERVAL=2');
  });
  it('repeats monthly on the nth weekday (3rd Saturday), and on the last one', () => {
    const third: Series = { firstStart: Date.parse('2026-12-19T19:00:00Z'), zone: 'Europe/Berlin', repeat: 'monthly' };
    expect(monthlyRule(third)).toEqual({ weekday: 5, nth: 3 });
    expect(rrule(third)).toBe('FREQ=MONTHLY;BYDAY=3SA');
    expect(occurrencesFrom(third, third.firstStart, 4).map((o) => new Date(o.start).toISOString())).toEqual([
      '2026-12-19T19:00:00.000Z',
      '2027-01-16T19:00:00.000Z',
      '2027-02-20T19:00:00.000Z',
      '2027-03-20T19:00:00.000Z',
    ]);
    const last: Series = { firstStart: Date.parse('2026-12-31T18:00:00Z'), zone: 'UTC', repeat: 'monthly' };
    expect(rrule(last)).toBe('FREQ=MONTHLY;BYDAY=-1TH');
    expect(new Date(occurrenceStart(last, 2)).toISOString()).toBe('2027-02-25T18:00:00.000Z');
  });
  it('skips cancelled occurrences and finds the next one from any point', () => {
    const from = occurrencesFrom(weekly, Date.parse('2027-03-20T00:00:00Z'), 2, new Set([1]));
    expect(from.map((o) => o.n)).toEqual([2, 3]);
    const once: Series = { ...weekly, repeat: 'none' };
    expect(occurrencesFrom(once, weekly.firstStart + 1, 5)).toEqual([]);
    expect(rrule(once)).toBeNull();
  });
});

describe('RSVPs and the waitlist', () => {
  const start: Rsvp[] = [];
  it('fills the places, waitlists the rest in order and promotes in order when a Going leaves', () => {
    let r = answer(start, 2, 'a', 'going', 1).rsvps;
    r = answer(r, 2, 'b', 'going', 2).rsvps;
    const c = answer(r, 2, 'c', 'going', 3);
    expect(c.now).toBe('waitlist');
    const d = answer(c.rsvps, 2, 'd', 'going', 4);
    expect(d.now).toBe('waitlist');
    const again = answer(d.rsvps, 2, 'c', 'going', 5);
    expect(again.changed).toBe(false);
    const left = answer(d.rsvps, 2, 'a', 'no', 6);
    expect(left.promoted).toEqual(['c']);
    expect(left.rsvps.find((x) => x.userId === 'd')!.status).toBe('waitlist');
    const gone = answer(left.rsvps, 2, 'b', 'none', 7);
    expect(gone.promoted).toEqual(['d']);
    expect(gone.rsvps.map((x) => [x.userId, x.status]).sort()).toEqual([
      ['a', 'no'],
      ['c', 'going'],
      ['d', 'going'],
    ]);
  });
  it('a Maybe leaving frees nothing; no capacity means no waitlist; more places promote several', () => {
    let r = answer(start, 1, 'a', 'going', 1).rsvps;
    r = answer(r, 1, 'b', 'maybe', 2).rsvps;
    r = answer(r, 1, 'c', 'going', 3).rsvps;
    r = answer(r, 1, 'e', 'going', 4).rsvps;
    expect(answer(r, 1, 'b', 'no', 5).promoted).toEqual([]);
    expect(promote(r, 3).promoted).toEqual(['c', 'e']);
    expect(answer(r, null, 'f', 'going', 6).now).toBe('going');
  });
});

describe('reminders', () => {
  it('parses offsets and schedules those still ahead', () => {
    expect(parseOffsets('15m, 1h,1d')).toEqual({ ok: true, value: [1440, 60, 15] });
    expect(parseOffsets('15')).toEqual({ ok: true, value: [15] });
    expect(parseOffsets('soon')).toEqual({ ok: false, error: 'bad-offsets' });
    expect(parseOffsets('0m')).toEqual({ ok: false, error: 'bad-offsets' });
    const start = NOW + 30 * 60_000;
    expect(reminderSchedule(start, [1440, 60, 15], NOW)).toEqual([{ offset: 15, at: start - 15 * 60_000 }]);
  });
});
