import { offsetAt, zonedParts } from '../../lib/zoned-time.ts';
import { rrule } from './rules/recurrence.ts';
import type { EventSeries, EventsStore } from './store.ts';

/**
 * RFC 5545 text: a TEXT value escaped (backslash, semicolon, comma, line
 * breaks), and content lines folded at 75 octets without splitting a UTF-8
 * character, joined with CRLF.
 */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const enc = new TextEncoder();

export function foldLine(line: string): string {
  const out: string[] = [];
  let cur = '';
  let octets = 0;
  // The first line holds 75 octets; each continuation begins with a space, so it holds 74 more.
  let limit = 75;
  for (const ch of line) {
    const n = enc.encode(ch).length;
    if (octets + n > limit) {
      out.push(cur);
      cur = ' ';
      octets = 1;
      limit = 75;
    }
    cur += ch;
    octets += n;
  }
  out.push(cur);
  return out.join('\r\n');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const utcStamp = (at: number) =>
  new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const localStamp = (at: number, zone: string) => {
  const p = zonedParts(at, zone);
  return `${pad(p.y, 4)}${pad(p.mo)}${pad(p.d)}T${pad(p.h)}${pad(p.mi)}00`;
};
const offsetText = (ms: number) => {
  const m = Math.round(ms / 60_000);
  const a = Math.abs(m);
  return `${m < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
};

/**
 * A VTIMEZONE for an IANA zone between two instants, from Intl: each offset
 * change found (by day, then to the minute) becomes an observance, so a
 * calendar that does not know the zone name still places every occurrence.
 */
export function vtimezone(zone: string, from: number, until: number): string[] {
  const DAY = 86_400_000;
  const changes: { at: number; before: number; after: number }[] = [];
  let prev = offsetAt(from, zone);
  for (let at = from + DAY; at <= until; at += DAY) {
    const off = offsetAt(at, zone);
    if (off === prev) continue;
    let lo = at - DAY;
    let hi = at;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
      if (offsetAt(mid, zone) === prev) lo = mid;
      else hi = mid;
    }
    changes.push({ at: hi, before: prev, after: off });
    prev = off;
  }
  const first = offsetAt(from, zone);
  const all = [first, ...changes.map((c) => c.after)];
  const standard = Math.min(...all);
  const observance = (start: string, before: number, after: number) => [
    `BEGIN:${after > standard ? 'DAYLIGHT' : 'STANDARD'}`,
    `DTSTART:${start}`,
    `TZOFFSETFROM:${offsetText(before)}`,
    `TZOFFSETTO:${offsetText(after)}`,
    `END:${after > standard ? 'DAYLIGHT' : 'STANDARD'}`,
  ];
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`, ...observance('19700101T000000', first, first)];
  for (const c of changes) {
    // DTSTART of an observance is the local time in force before the change.
    const p = new Date(c.at + c.before);
    const start = `${pad(p.getUTCFullYear(), 4)}${pad(p.getUTCMonth() + 1)}${pad(p.getUTCDate())}T${pad(p.getUTCHours())}${pad(p.getUTCMinutes())}00`;
    lines.push(...observance(start, c.before, c.after));
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

function where(guildId: string, s: EventSeries): string[] {
  if (s.locationChannel) return [`LOCATION:${escapeText(`https://discord.com/channels/${guildId}/${s.locationChannel}`)}`];
  return s.locationText ? [`LOCATION:${escapeText(s.locationText)}`] : [];
}

/**
 * The guild's events as an iCalendar feed: one VEVENT per series (UID stable,
 * RRULE for repeating ones, EXDATE for cancelled dates, SEQUENCE bumped on
 * every change), an extra VEVENT with RECURRENCE-ID for each date edited on
 * its own, times in the series' zone with a VTIMEZONE.
 */
export function feedCalendar(guildId: string, store: EventsStore, nowMs: number): string {
  const series = store.allSeries();
  const stamp = utcStamp(nowMs);
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Guildkeep//Events//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-CALNAME:Guildkeep events'];
  const zones = new Map<string, number>();
  for (const s of series) zones.set(s.zone, Math.min(zones.get(s.zone) ?? Number.POSITIVE_INFINITY, s.firstStart));
  const YEAR = 366 * 86_400_000;
  for (const [zone, earliest] of zones) lines.push(...vtimezone(zone, earliest - YEAR, Math.max(earliest, nowMs) + 3 * YEAR));
  for (const s of series) {
    const rows = store.occurrenceRows(s.id);
    const common = (seq: number) => [
      `UID:${s.uid}`,
      `DTSTAMP:${stamp}`,
      `SEQUENCE:${seq}`,
      `CREATED:${utcStamp(s.createdAt)}`,
      `LAST-MODIFIED:${utcStamp(s.updatedAt)}`,
    ];
    const rule = rrule(s);
    lines.push(
      'BEGIN:VEVENT',
      ...common(s.sequence),
      `DTSTART;TZID=${s.zone}:${localStamp(s.firstStart, s.zone)}`,
      `DTEND;TZID=${s.zone}:${localStamp(s.firstStart + s.durationMin * 60_000, s.zone)}`,
      `SUMMARY:${escapeText(s.title)}`,
      ...(s.description ? [`DESCRIPTION:${escapeText(s.description)}`] : []),
      ...where(guildId, s),
      ...(rule ? [`RRULE:${rule}`] : []),
      ...rows.filter((r) => r.cancelled && rule).map((r) => `EXDATE;TZID=${s.zone}:${localStamp(store.occurrence(s, r.n).slot, s.zone)}`),
      `STATUS:${s.cancelled || (!rule && rows.some((r) => r.n === 0 && r.cancelled)) ? 'CANCELLED' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
    if (!rule) continue;
    for (const r of rows) {
      if (r.cancelled || (r.startAt === null && r.title === null && r.description === null && r.durationMin === null)) continue;
      const o = store.occurrence(s, r.n);
      lines.push(
        'BEGIN:VEVENT',
        ...common(s.sequence),
        `RECURRENCE-ID;TZID=${s.zone}:${localStamp(o.slot, s.zone)}`,
        `DTSTART;TZID=${s.zone}:${localStamp(o.start, s.zone)}`,
        `DTEND;TZID=${s.zone}:${localStamp(o.end, s.zone)}`,
        `SUMMARY:${escapeText(o.title)}`,
        ...(o.description ? [`DESCRIPTION:${escapeText(o.description)}`] : []),
        ...where(guildId, s),
        `STATUS:${s.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
        'END:VEVENT',
      );
    }
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
