/**
 * Wall-clock time in IANA zones with Intl only (no zone database of our own):
 * the local date and time of an instant, and the instant of a local time.
 */

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Common IANA zones offered while typing; any valid zone name is accepted. */
export const COMMON_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Madrid',
  'Europe/Lisbon',
  'Europe/Warsaw',
  'Europe/Moscow',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'America/Mexico_City',
  'America/Buenos_Aires',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Shanghai',
  'Asia/Singapore',
  'Asia/Kolkata',
  'Australia/Sydney',
  'Pacific/Auckland',
] as const;

/** Whether Intl knows the zone name (an IANA name such as Europe/Berlin, or UTC). */
export function isZone(name: string): boolean {
  if (!name.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name.trim() });
    return true;
  } catch {
    return false;
  }
}

/** A local date and time; `wd` is 0 for Monday … 6 for Sunday. */
export interface LocalParts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  wd: number;
}

const fmt = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of `at` in the zone. */
export function zonedParts(at: number, timeZone: string): LocalParts {
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
    wd: WEEKDAY_KEYS.indexOf(String(p.weekday).toLowerCase().slice(0, 3) as (typeof WEEKDAY_KEYS)[number]),
  };
}

/** The zone's offset from UTC at `at`, in ms (east positive). */
export function offsetAt(at: number, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi);
  return asUtc - Math.floor(at / 60_000) * 60_000;
}

/**
 * The instants a wall-clock time happens at on a local date: none for a time
 * skipped by spring-forward, two for one repeated at fall-back (earlier first).
 */
export function localInstants(y: number, mo: number, d: number, h: number, mi: number, timeZone: string): number[] {
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  const candidates = [...new Set([first, second, naive - offsetAt(naive - 86_400_000, timeZone), naive - offsetAt(naive + 86_400_000, timeZone)])];
  return candidates
    .filter((c) => {
      const p = zonedParts(c, timeZone);
      return p.y === y && p.mo === mo && p.d === d && p.h === h && p.mi === mi;
    })
    .sort((a, b) => a - b);
}

/**
 * The instant a wall-clock time happens on a local date. Across a
 * daylight-saving change the offset of the result itself is used, so 03:00
 * is 03:00 local on both sides; a time skipped by spring-forward runs at the
 * same distance after the gap (02:30 → 03:30), and a time that happens twice
 * at fall-back runs at its first occurrence.
 */
export function localToUtc(y: number, mo: number, d: number, h: number, mi: number, timeZone: string): number {
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  const found = localInstants(y, mo, d, h, mi, timeZone);
  if (found.length > 0) return found[0]!;
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  return Math.max(first, second);
}
