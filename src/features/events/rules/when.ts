import { err, ok, type Result } from '../../../lib/result.ts';
import { localInstants, zonedParts } from '../../../lib/zoned-time.ts';

export type StartError = 'empty' | 'bad-format' | 'impossible-date' | 'impossible-time' | 'skipped-time';

/** The latest start accepted: about two years ahead (Discord's scheduled events and reminders make no sense further out). */
export const MAX_AHEAD_MS = 2 * 366 * 86_400_000;

const daysIn = (y: number, mo: number) => new Date(Date.UTC(y, mo, 0)).getUTCDate();

/** `8pm`, `8:30pm`, `20:00`, `20` (an hour), as hours and minutes; null when it is no time at all; NaN parts when out of range. */
function clockTime(s: string): { h: number; mi: number } | null {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(s.trim());
  if (!m) return null;
  let h = Number(m[1]);
  const mi = m[2] === undefined ? 0 : Number(m[2]);
  const ampm = m[3]?.toLowerCase();
  if (ampm) {
    if (h < 1 || h > 12) return { h: Number.NaN, mi };
    h = (h % 12) + (ampm === 'pm' ? 12 : 0);
  } else if (m[2] === undefined) return null;
  if (h > 23 || mi > 59) return { h: Number.NaN, mi: Number.NaN };
  return { h, mi };
}

/**
 * A start as a member typed it, read in `zone`: `2026-12-20 20:00`,
 * `today 20:00`, `tomorrow 8pm`, a Discord timestamp (`<t:1766257200:F>`) or
 * plain Unix seconds. An impossible date or time, or a time the zone skips
 * at a daylight-saving change, is an error rather than a guess.
 */
export function parseStart(input: string, zone: string, nowMs: number): Result<number, StartError> {
  const s = input.trim();
  if (!s) return err('empty');
  const stamp = /^<t:(-?\d{1,12})(?::[tTdDfFR])?>$/.exec(s) ?? /^(\d{9,11})$/.exec(s);
  if (stamp) return ok(Number(stamp[1]) * 1000);
  let y: number;
  let mo: number;
  let d: number;
  let rest: string;
  const date = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(.+))?$/.exec(s);
  const rel = /^(today|tomorrow)\s+(.+)$/i.exec(s);
  if (date) {
    [y, mo, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return err('impossible-date');
    rest = date[4] ?? '';
    if (!rest) return err('bad-format');
  } else if (rel) {
    const today = zonedParts(nowMs, zone);
    const day = new Date(Date.UTC(today.y, today.mo - 1, today.d + (rel[1]!.toLowerCase() === 'tomorrow' ? 1 : 0)));
    [y, mo, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    rest = rel[2]!;
  } else return err('bad-format');
  const time = clockTime(rest);
  if (!time) return err('bad-format');
  if (Number.isNaN(time.h) || Number.isNaN(time.mi)) return err('impossible-time');
  const at = localInstants(y, mo, d, time.h, time.mi, zone);
  if (at.length === 0) return err('skipped-time');
  return ok(at[0]!);
}

export type DurationError = 'bad-duration';

/** Longest event: a week. */
export const MAX_DURATION_MIN = 7 * 24 * 60;

/** A duration as typed: `2h`, `90m`, `1h30m`, `1:30`, or plain minutes; in minutes, 1 to a week. */
export function parseDuration(input: string): Result<number, DurationError> {
  const s = input.trim().toLowerCase().replace(/\s+/g, '');
  let min: number;
  const hm = /^(\d{1,3}):(\d{2})$/.exec(s);
  const units = /^(?:(\d{1,3})h)?(?:(\d{1,5})m(?:in)?)?$/.exec(s);
  if (/^\d{1,5}$/.test(s)) min = Number(s);
  else if (hm && Number(hm[2]) < 60) min = Number(hm[1]) * 60 + Number(hm[2]);
  else if (units && (units[1] !== undefined || units[2] !== undefined)) min = Number(units[1] ?? 0) * 60 + Number(units[2] ?? 0);
  else return err('bad-duration');
  if (min < 1 || min > MAX_DURATION_MIN) return err('bad-duration');
  return ok(min);
}
