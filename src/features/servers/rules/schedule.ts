import { err, ok, type Result } from '../../../lib/result.ts';

/** What a scheduled operation does. */
export const SCHEDULE_ACTIONS = ['restart', 'backup', 'command'] as const;
export type ScheduleAction = (typeof SCHEDULE_ACTIONS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Daily, or weekly on one day, at a wall-clock time in an IANA time zone. */
export interface Recurrence {
  /** null: every day. */
  weekday: Weekday | null;
  hour: number;
  minute: number;
  timeZone: string;
}

export type RecurrenceError = 'bad-time' | 'bad-zone' | 'bad-weekday';

/** Parses `HH:MM`, a weekday (or none for daily) and a zone name as an admin typed them. */
export function parseRecurrence(time: string, weekday: string | null, timeZone: string): Result<Recurrence, RecurrenceError> {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return err('bad-time');
  if (weekday !== null && !(WEEKDAYS as readonly string[]).includes(weekday)) return err('bad-weekday');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timeZone.trim() });
  } catch {
    return err('bad-zone');
  }
  if (!timeZone.trim()) return err('bad-zone');
  return ok({ weekday: weekday as Weekday | null, hour: Number(m[1]), minute: Number(m[2]), timeZone: timeZone.trim() });
}

const fmt = new Map<string, Intl.DateTimeFormat>();
function parts(at: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; wd: number } {
  let f = fmt.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    fmt.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return {
    y: Number(p.year),
    mo: Number(p.month),
    d: Number(p.day),
    h: Number(p.hour),
    mi: Number(p.minute),
    wd: WEEKDAYS.indexOf(String(p.weekday).toLowerCase().slice(0, 3) as Weekday),
  };
}

/** The zone's offset from UTC at `at`, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const p = parts(at, timeZone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi);
  return asUtc - Math.floor(at / 60_000) * 60_000;
}

/**
 * The instant a wall-clock time happens on a local date. Across a
 * daylight-saving change the offset of the result itself is used, so 03:00
 * is 03:00 local on both sides; a time skipped by spring-forward runs at the
 * same distance after the gap (02:30 → 03:30), and a time that happens twice
 * at fall-back runs at its first occurrence.
 */
function localToUtc(y: number, mo: number, d: number, h: number, mi: number, timeZone: string): number {
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  // Two candidates for an ambiguous hour: the earlier one is the first occurrence.
  const candidates = [first, second].filter((c) => {
    const p = parts(c, timeZone);
    return p.h === h && p.mi === mi;
  });
  return candidates.length > 0 ? Math.min(...candidates) : Math.max(first, second);
}

/** The next occurrence strictly after `after`. */
export function nextRun(r: Recurrence, after: number): number {
  const today = parts(after, r.timeZone);
  for (let add = 0; add <= 8; add++) {
    const day = new Date(Date.UTC(today.y, today.mo - 1, today.d + add));
    const wd = (day.getUTCDay() + 6) % 7;
    if (r.weekday !== null && WEEKDAYS[wd] !== r.weekday) continue;
    const at = localToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), r.hour, r.minute, r.timeZone);
    if (at > after) return at;
  }
  throw new Error('no next run within 8 days');
}
