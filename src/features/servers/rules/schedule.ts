import { err, ok, type Result } from '../../../lib/result.ts';
import { localToUtc, zonedParts as parts } from '../../../lib/zoned-time.ts';

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
