import { err, ok, type Result } from '../../../lib/result.ts';
import { isZone, localInstants, offsetAt, WEEKDAY_KEYS, zonedParts } from '../../../lib/zoned-time.ts';

/**
 * Support hours of a guild: weekly windows of local wall-clock time in one
 * IANA zone, holidays (whole local days), and what /ticket open does outside
 * them. Pure: the guild actor stores the value, commands and SLA clocks read it.
 */

export const OUTSIDE_MODES = ['warn', 'refuse'] as const;
export type OutsideMode = (typeof OUTSIDE_MODES)[number];
export const isOutsideMode = (s: unknown): s is OutsideMode => (OUTSIDE_MODES as readonly unknown[]).includes(s);

/** Minutes in a local day; `to` may be 24:00 (the end of the day). */
const DAY_MIN = 1440;
const WEEK_MIN = 7 * DAY_MIN;
const DAY_MS = 86_400_000;

/** Caps that keep the stored value small and every computation cheap. */
export const MAX_WINDOWS = 14;
export const MAX_HOLIDAYS = 100;

/**
 * One window: the same local hours on a set of weekdays (0 Monday … 6 Sunday).
 * `from`/`to` are minutes after local midnight; `to <= from` runs past
 * midnight and belongs to the day it starts (22:00–02:00 on Friday is Friday
 * night into Saturday morning).
 */
export interface SupportWindow {
  days: number[];
  from: number;
  to: number;
}

export interface SupportHours {
  zone: string;
  windows: SupportWindow[];
  /** Local dates (YYYY-MM-DD, in `zone`) on which no window starts. */
  holidays: string[];
  outside: OutsideMode;
}

/** Why a setting was refused; the commands turn it into the admin's language. */
export type HoursRefusal =
  | { code: 'bad-zone'; zone: string }
  | { code: 'bad-days'; days: string }
  | { code: 'bad-time'; time: string }
  | { code: 'empty-window' }
  | { code: 'other-zone'; zone: string }
  | { code: 'overlap'; with: SupportWindow }
  | { code: 'too-many'; max: number }
  | { code: 'bad-date'; date: string }
  | { code: 'too-many-holidays'; max: number };

const DAY_ALIASES: Record<string, number[]> = { daily: [0, 1, 2, 3, 4, 5, 6] };

/**
 * Days as an admin writes them: `mon-fri`, `mon,wed,fri`, `sat-sun`,
 * `mon-fri,sun`, `daily` (case-insensitive; a range may wrap, `fri-mon`).
 * Sorted, without repeats; anything else is refused.
 */
export function parseDays(input: string): Result<number[], HoursRefusal> {
  const bad = err<HoursRefusal>({ code: 'bad-days', days: input });
  const parts = input.toLowerCase().replace(/\s+/g, '').split(',');
  const days = new Set<number>();
  for (const part of parts) {
    const alias = DAY_ALIASES[part];
    if (alias) {
      for (const d of alias) days.add(d);
      continue;
    }
    const m = /^([a-z]{3})(?:-([a-z]{3}))?$/.exec(part);
    if (!m) return bad;
    const a = WEEKDAY_KEYS.indexOf(m[1] as (typeof WEEKDAY_KEYS)[number]);
    const b = m[2] === undefined ? a : WEEKDAY_KEYS.indexOf(m[2] as (typeof WEEKDAY_KEYS)[number]);
    if (a < 0 || b < 0) return bad;
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return days.size ? ok([...days].sort((x, y) => x - y)) : bad;
}

/** Days written back the way they are typed: `mon-fri`, `mon,wed,fri`, `daily`. */
export function formatDays(days: readonly number[]): string {
  if (days.length === 7) return 'daily';
  const out: string[] = [];
  const sorted = [...days].sort((x, y) => x - y);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const [a, b] = [WEEKDAY_KEYS[sorted[i]!], WEEKDAY_KEYS[sorted[j]!]];
    out.push(j === i ? a! : j === i + 1 ? `${a},${b}` : `${a}-${b}`);
    i = j + 1;
  }
  return out.join(',');
}

/** "HH:MM" on a 24-hour clock as minutes after midnight; `24:00` only where `endOfDay` allows it. */
export function parseTime(input: string, endOfDay = false): Result<number, HoursRefusal> {
  const m = /^(\d{1,2}):(\d{2})$/.exec(input.trim());
  const h = Number(m?.[1]);
  const mi = Number(m?.[2]);
  if (!m || mi > 59 || h > 24 || (h === 24 && (mi !== 0 || !endOfDay))) return err({ code: 'bad-time', time: input });
  return ok(h * 60 + mi);
}

export const formatTime = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Whether a window runs past midnight into the next day. */
export const isOvernight = (w: Pick<SupportWindow, 'from' | 'to'>): boolean => w.to <= w.from;

/** A window's length in local minutes (under a day). */
const lengthOf = (w: Pick<SupportWindow, 'from' | 'to'>): number => (w.to - w.from + DAY_MIN) % DAY_MIN || DAY_MIN;

/** A window's spans on the weekly circle, in minutes after Monday 00:00. */
function weekSpans(w: SupportWindow): [number, number][] {
  return w.days.map((d) => {
    const start = d * DAY_MIN + w.from;
    return [start, start + lengthOf(w)];
  });
}

/** Whether two half-open spans meet on the weekly circle (a Sunday night runs into Monday). */
function spansMeet([a0, a1]: [number, number], [b0, b1]: [number, number]): boolean {
  for (const shift of [-WEEK_MIN, 0, WEEK_MIN]) if (a0 < b1 + shift && b0 + shift < a1) return true;
  return false;
}

/** The window of a /tickets hours set, checked: real days and times, and not empty. */
export function parseWindow(days: string, from: string, to: string): Result<SupportWindow, HoursRefusal> {
  const d = parseDays(days);
  if (!d.ok) return d;
  const f = parseTime(from);
  if (!f.ok) return f;
  const t = parseTime(to, true);
  if (!t.ok) return t;
  // 24:00 ends the day the window starts (00:00–24:00 is the whole day); equal times would be no window at all.
  if (t.value === f.value) return err({ code: 'empty-window' });
  return ok({ days: d.value, from: f.value, to: t.value });
}

/**
 * The hours after adding a window in `zone`: refused for an unknown zone,
 * a zone other than the one the guild's hours are read in, a window that
 * overlaps one already set on the same day, or too many windows. Setting
 * exactly a window already there changes nothing (`same`).
 */
export function addWindow(
  current: SupportHours | null,
  zone: string,
  w: SupportWindow,
  outside: OutsideMode | null,
): Result<{ hours: SupportHours; same: boolean }, HoursRefusal> {
  const name = zone.trim();
  if (!isZone(name)) return err({ code: 'bad-zone', zone });
  const zoneName = canonicalZone(name);
  if (current && current.windows.length > 0 && current.zone !== zoneName) return err({ code: 'other-zone', zone: current.zone });
  const base: SupportHours = current ?? { zone: zoneName, windows: [], holidays: [], outside: 'warn' };
  const mode = outside ?? base.outside;
  const twin = base.windows.find((x) => x.from === w.from && x.to === w.to && x.days.join() === w.days.join());
  if (twin) return ok({ hours: { ...base, outside: mode }, same: mode === base.outside });
  const clash = base.windows.find((x) => weekSpans(x).some((a) => weekSpans(w).some((b) => spansMeet(a, b))));
  if (clash) return err({ code: 'overlap', with: clash });
  if (base.windows.length >= MAX_WINDOWS) return err({ code: 'too-many', max: MAX_WINDOWS });
  const windows = [...base.windows, w].sort((a, b) => (a.days[0] ?? 0) - (b.days[0] ?? 0) || a.from - b.from);
  return ok({ hours: { ...base, zone: zoneName, windows, outside: mode }, same: false });
}

/** The zone as Intl spells it (`europe/berlin` → `Europe/Berlin`), so the stored name is the usual one. */
function canonicalZone(name: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}

/** A calendar date written YYYY-MM-DD that exists. */
export function parseDate(input: string): Result<string, HoursRefusal> {
  const s = input.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return err({ code: 'bad-date', date: input });
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const back = new Date(Date.UTC(y, mo - 1, d));
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return err({ code: 'bad-date', date: input });
  return ok(s);
}

/** Adds a holiday (idempotent), within the cap. */
export function addHoliday(h: SupportHours, date: string): Result<SupportHours, HoursRefusal> {
  if (h.holidays.includes(date)) return ok(h);
  if (h.holidays.length >= MAX_HOLIDAYS) return err({ code: 'too-many-holidays', max: MAX_HOLIDAYS });
  return ok({ ...h, holidays: [...h.holidays, date].sort() });
}

// ---- wall-clock time to instants ----

interface LocalDate {
  y: number;
  mo: number;
  d: number;
  /** 0 Monday … 6 Sunday */
  wd: number;
}

/** The local date `days` after the date (calendar arithmetic, no zone involved). */
function addDays(date: Pick<LocalDate, 'y' | 'mo' | 'd'>, days: number): LocalDate {
  const u = new Date(Date.UTC(date.y, date.mo - 1, date.d + days));
  return { y: u.getUTCFullYear(), mo: u.getUTCMonth() + 1, d: u.getUTCDate(), wd: (u.getUTCDay() + 6) % 7 };
}

const isoDate = (x: Pick<LocalDate, 'y' | 'mo' | 'd'>): string =>
  `${String(x.y).padStart(4, '0')}-${String(x.mo).padStart(2, '0')}-${String(x.d).padStart(2, '0')}`;

/**
 * The instant a local wall-clock time happens on a date. A time that happens
 * twice (fall-back) is its first occurrence; a time skipped by spring-forward
 * is the first instant after it that exists: the moment of the change, when
 * the clocks jump past it (02:30 on a 02:00→03:00 day is 03:00).
 */
export function wallClockInstant(date: Pick<LocalDate, 'y' | 'mo' | 'd'>, minutes: number, zone: string): number {
  const day = minutes >= DAY_MIN ? addDays(date, 1) : date;
  const m = minutes % DAY_MIN;
  const h = Math.floor(m / 60);
  const mi = m % 60;
  const found = localInstants(day.y, day.mo, day.d, h, mi, zone);
  if (found.length > 0) return found[0]!;
  // In a gap: the offsets before and after bound the change; find its minute.
  const naive = Date.UTC(day.y, day.mo - 1, day.d, h, mi);
  const before = offsetAt(naive - DAY_MS, zone);
  const after = offsetAt(naive + DAY_MS, zone);
  let lo = naive - before;
  let hi = naive - after;
  if (hi < lo) [lo, hi] = [hi, lo];
  // lo has the old offset, hi the new one; the change is on a whole minute between them.
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (offsetAt(mid, zone) === offsetAt(hi, zone)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The [start, end) instants of the windows that start on local dates first…last (holidays skipped), sorted and merged. */
function spansBetween(h: SupportHours, first: LocalDate, days: number): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(first, i);
    if (h.holidays.includes(isoDate(date))) continue;
    for (const w of h.windows) {
      if (!w.days.includes(date.wd)) continue;
      const start = wallClockInstant(date, w.from, h.zone);
      const end = wallClockInstant(date, w.from + lengthOf(w), h.zone);
      if (end > start) spans.push([start, end]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

const localDateOf = (at: number, zone: string): LocalDate => {
  const p = zonedParts(at, zone);
  return { y: p.y, mo: p.mo, d: p.d, wd: p.wd };
};

/** Whether support is open at `at`: open at exactly a window's start, closed at exactly its end. */
export function isOpen(at: number, h: SupportHours): boolean {
  // Yesterday's overnight window may still be running.
  return spansBetween(h, addDays(localDateOf(at, h.zone), -1), 2).some(([s, e]) => s <= at && at < e);
}

/** How far ahead an opening is looked for: a year, plus room for every holiday. */
const LOOKAHEAD_DAYS = 366 + 7;

/** The first instant at or after `at` when support is open (`at` itself when open now); null when none within a year. */
export function nextOpening(at: number, h: SupportHours): number | null {
  const start = addDays(localDateOf(at, h.zone), -1);
  // A week at a time: nearly always the answer is in the first.
  for (let offset = 0; offset < LOOKAHEAD_DAYS; offset += 7) {
    for (const [s, e] of spansBetween(h, addDays(start, offset), 8)) {
      if (e > at) return Math.max(s, at);
    }
  }
  return null;
}

/**
 * Milliseconds of open time in [from, to): what an SLA clock counts when it
 * pauses outside support hours. Zero for an empty or reversed range.
 */
export function openDuration(from: number, to: number, h: SupportHours): number {
  if (to <= from) return 0;
  const first = addDays(localDateOf(from, h.zone), -1);
  const last = localDateOf(to, h.zone);
  const days = Math.round((Date.UTC(last.y, last.mo - 1, last.d) - Date.UTC(first.y, first.mo - 1, first.d)) / DAY_MS) + 1;
  let total = 0;
  for (const [s, e] of spansBetween(h, first, days)) total += Math.max(0, Math.min(e, to) - Math.max(s, from));
  return total;
}

/**
 * The instant when `ms` of open time have passed since `from`: an SLA due
 * time that pauses outside support hours. Null when the hours do not hold
 * that much open time within a year.
 */
export function afterOpenTime(from: number, ms: number, h: SupportHours): number | null {
  let left = ms;
  const start = addDays(localDateOf(from, h.zone), -1);
  // Whole weeks of local dates, back to back, so no window is counted twice.
  for (let offset = 0; offset < LOOKAHEAD_DAYS; offset += 7) {
    for (const [s, e] of spansBetween(h, addDays(start, offset), 7)) {
      const a = Math.max(s, from);
      if (e <= a) continue;
      if (e - a >= left) return a + left;
      left -= e - a;
    }
  }
  return null;
}
