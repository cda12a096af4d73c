import { t as tr } from '../../../i18n/index.ts';
import { formatDays, formatTime, type HoursRefusal, isOpen, isOvernight, nextOpening, type SupportHours } from './rules.ts';

const unix = (ms: number) => Math.floor(ms / 1000);

/** A refused /tickets hours change in the admin's language. */
export function hoursRefusalText(locale: string | undefined, r: HoursRefusal): string {
  switch (r.code) {
    case 'bad-zone':
      return tr(locale, 'ticket.hours.refused.bad-zone', { zone: r.zone });
    case 'bad-days':
      return tr(locale, 'ticket.hours.refused.bad-days', { days: r.days });
    case 'bad-time':
      return tr(locale, 'ticket.hours.refused.bad-time', { time: r.time });
    case 'empty-window':
      return tr(locale, 'ticket.hours.refused.empty-window');
    case 'other-zone':
      return tr(locale, 'ticket.hours.refused.other-zone', { zone: r.zone });
    case 'overlap':
      return tr(locale, 'ticket.hours.refused.overlap', { days: formatDays(r.with.days), from: formatTime(r.with.from), to: formatTime(r.with.to) });
    case 'too-many':
      return tr(locale, 'ticket.hours.refused.too-many', { max: r.max });
    case 'bad-date':
      return tr(locale, 'ticket.hours.refused.bad-date', { date: r.date });
    case 'too-many-holidays':
      return tr(locale, 'ticket.hours.refused.too-many-holidays', { max: r.max });
  }
}

/** The hours as /tickets hours show and set answer: zone and mode, each window, holidays, and open or closed now. */
export function hoursSummary(locale: string | undefined, h: SupportHours, at: number): string {
  const open = isOpen(at, h);
  const next = open ? null : nextOpening(at, h);
  return [
    tr(locale, 'ticket.hours.summary', { zone: h.zone, outside: h.outside }),
    ...h.windows.map((w) =>
      tr(locale, 'ticket.hours.window', { days: formatDays(w.days), from: formatTime(w.from), to: formatTime(w.to), overnight: isOvernight(w) ? 'yes' : 'no' }),
    ),
    ...(h.holidays.length ? [tr(locale, 'ticket.hours.holidays', { dates: h.holidays.join(', ') })] : []),
    open
      ? tr(locale, 'ticket.hours.open-now')
      : next === null
        ? tr(locale, 'ticket.hours.closed-now-no-date')
        : tr(locale, 'ticket.hours.closed-now', { at: unix(next) }),
  ]
    .join('\n')
    .slice(0, 2000);
}

/** What /ticket open does at `at`: open as usual, open with a note (warn), or refuse; `staffFrom` is the next opening, if any. */
export type HoursGate = { kind: 'open' } | { kind: 'warn'; staffFrom: number | null } | { kind: 'refuse'; staffFrom: number | null };

export function hoursGate(h: SupportHours | null, at: number): HoursGate {
  if (!h || h.windows.length === 0 || isOpen(at, h)) return { kind: 'open' };
  return { kind: h.outside, staffFrom: nextOpening(at, h) };
}

/** The member's answer when a ticket is refused outside support hours: the next opening as a Discord timestamp, shown in their own zone. */
export const refusedOutsideHours = (locale: string | undefined, staffFrom: number | null): string =>
  staffFrom === null ? tr(locale, 'ticket.hours.open.refused-no-date') : tr(locale, 'ticket.hours.open.refused', { at: unix(staffFrom) });

/** The note on a ticket opened outside support hours: when staff answer. */
export const outsideHoursNote = (locale: string | undefined, staffFrom: number | null): string =>
  staffFrom === null ? tr(locale, 'ticket.hours.open.warn-no-date') : tr(locale, 'ticket.hours.open.warn', { at: unix(staffFrom) });
