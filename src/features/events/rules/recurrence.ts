import { localToUtc, WEEKDAY_KEYS, zonedParts } from '../../../lib/zoned-time.ts';

export const REPEATS = ['none', 'daily', 'weekly', 'biweekly', 'monthly'] as const;
export type Repeat = (typeof REPEATS)[number];

export const isRepeat = (s: string | null): s is Repeat => s !== null && (REPEATS as readonly string[]).includes(s);

/**
 * A series as stored: its first start, the zone its wall-clock time is kept
 * in, and how it repeats. Occurrences are numbered from 0 (the first start);
 * the number is an occurrence's identity for RSVPs, edits and cancellations.
 */
export interface Series {
  firstStart: number;
  zone: string;
  repeat: Repeat;
}

/** For monthly series: the weekday (0 Monday … 6 Sunday) and its place in the month, 1–4 or -1 for the last. */
export function monthlyRule(s: Series): { weekday: number; nth: number } {
  const p = zonedParts(s.firstStart, s.zone);
  const nth = Math.ceil(p.d / 7);
  return { weekday: p.wd, nth: nth >= 5 ? -1 : nth };
}

/** The day of the month of the nth (or, -1, last) weekday in a month. */
function nthWeekday(y: number, mo: number, weekday: number, nth: number): number {
  if (nth > 0) {
    const firstWd = (new Date(Date.UTC(y, mo - 1, 1)).getUTCDay() + 6) % 7;
    return 1 + ((weekday - firstWd + 7) % 7) + (nth - 1) * 7;
  }
  const last = new Date(Date.UTC(y, mo, 0));
  const lastWd = (last.getUTCDay() + 6) % 7;
  return last.getUTCDate() - ((lastWd - weekday + 7) % 7);
}

/**
 * When occurrence `n` starts: the same wall-clock time in the series' zone
 * on its day, so a weekly 20:00 Berlin event stays at 20:00 Berlin across
 * daylight-saving changes. Monthly series fall on the same nth weekday.
 */
export function occurrenceStart(s: Series, n: number): number {
  if (s.repeat === 'none' || n === 0) return s.firstStart;
  const p = zonedParts(s.firstStart, s.zone);
  if (s.repeat === 'monthly') {
    const { weekday, nth } = monthlyRule(s);
    const m = new Date(Date.UTC(p.y, p.mo - 1 + n, 1));
    const y = m.getUTCFullYear();
    const mo = m.getUTCMonth() + 1;
    return localToUtc(y, mo, nthWeekday(y, mo, weekday, nth), p.h, p.mi, s.zone);
  }
  const step = s.repeat === 'daily' ? 1 : s.repeat === 'weekly' ? 7 : 14;
  const day = new Date(Date.UTC(p.y, p.mo - 1, p.d + step * n));
  return localToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), p.h, p.mi, s.zone);
}

/** Occurrences of a series, in order, that start at or after `from` (at most `limit`, none past `until`), skipping `except`. */
export function occurrencesFrom(s: Series, from: number, limit: number, except: ReadonlySet<number> = new Set(), until = Number.POSITIVE_INFINITY) {
  const out: { n: number; start: number }[] = [];
  if (s.repeat === 'none') {
    if (s.firstStart >= from && s.firstStart <= until && !except.has(0)) out.push({ n: 0, start: s.firstStart });
    return out;
  }
  // A rough first index from the period, then forward: no walk from the first start of a long-running series.
  const period = { daily: 1, weekly: 7, biweekly: 14, monthly: 28 }[s.repeat] * 86_400_000;
  let n = Math.max(0, Math.floor((from - s.firstStart) / period) - 2);
  while (n > 0 && occurrenceStart(s, n) >= from) n--;
  for (; out.length < limit; n++) {
    const start = occurrenceStart(s, n);
    if (start > until) break;
    if (start >= from && !except.has(n)) out.push({ n, start });
  }
  return out;
}

/** The RFC 5545 RRULE value of a repeating series (null for a single event). */
export function rrule(s: Series): string | null {
  switch (s.repeat) {
    case 'none':
      return null;
    case 'daily':
      return 'FREQ=DAILY';
    case 'weekly':
      return 'FREQ=WEEKLY';
    case 'biweekly':
      return 'FREQ=WEEKLY;INTERVAL=2';
    case 'monthly': {
      const { weekday, nth } = monthlyRule(s);
      return `FREQ=MONTHLY;BYDAY=${nth}${WEEKDAY_KEYS[weekday]!.slice(0, 2).toUpperCase()}`;
    }
  }
}
