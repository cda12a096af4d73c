import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandOptionChoice,
  APIChatInputApplicationCommandInteraction,
} from 'discord-api-types/v10';
import { focusedOf, matching } from '../../../discord/autocomplete.ts';
import { ephemeral, type Handled, refused, reply } from '../../../discord/handled.ts';
import { invokerOf, type SubcommandCall, stringOption } from '../../../discord/interaction.ts';
import { isAdministrator } from '../../../discord/staff-permissions.ts';
import { t as tr } from '../../../i18n/index.ts';
import { COMMON_ZONES } from '../../../lib/zoned-time.ts';
import { addHoliday, addWindow, type HoursRefusal, isOutsideMode, parseDate, parseWindow, type SupportHours } from './rules.ts';
import { hoursRefusalText, hoursSummary } from './views.ts';

/** Where the guild's support hours live (the ticket index in the guild actor). */
export interface HoursStore {
  hours(): SupportHours | null;
  setHours(h: SupportHours | null): void;
}

const refusal = (locale: string, r: HoursRefusal): Handled => refused(r.code, hoursRefusalText(locale, r));

/**
 * /tickets hours set|holiday|show|off. Changes are for administrators (checked
 * here, whatever Discord's command permissions say); anyone may see the
 * hours. Every refusal leaves the stored hours as they were.
 */
export function handleHoursCommand(store: HoursStore, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall, at: number): Handled {
  const locale = i.locale;
  const current = store.hours();
  const done = (text: string, detail: string): Handled => ({ response: reply(ephemeral(text)), outcome: 'ok', detail });
  if (call.path === 'tickets hours show') {
    return done(current ? hoursSummary(locale, current, at) : tr(locale, 'ticket.hours.none'), current ? JSON.stringify(current) : 'none');
  }
  if (!isAdministrator(invokerOf(i).permissions)) return refused('not-admin', tr(locale, 'ticket.hours.not-admin'));
  switch (call.path) {
    case 'tickets hours set': {
      const w = parseWindow(stringOption(call, 'days') ?? '', stringOption(call, 'from') ?? '', stringOption(call, 'to') ?? '');
      if (!w.ok) return refusal(locale, w.error);
      const outside = stringOption(call, 'outside');
      const r = addWindow(current, stringOption(call, 'timezone') ?? '', w.value, isOutsideMode(outside) ? outside : null);
      if (!r.ok) return refusal(locale, r.error);
      if (!r.value.same) store.setHours(r.value.hours);
      const head = tr(locale, r.value.same ? 'ticket.hours.unchanged' : 'ticket.hours.saved');
      return done(`${head}\n${hoursSummary(locale, r.value.hours, at)}`, JSON.stringify(r.value.hours));
    }
    case 'tickets hours holiday': {
      if (!current) return refused('no-hours', tr(locale, 'ticket.hours.refused.no-hours'));
      const date = parseDate(stringOption(call, 'date') ?? '');
      if (!date.ok) return refusal(locale, date.error);
      if (stringOption(call, 'action') === 'remove') {
        if (!current.holidays.includes(date.value)) return refused('not-holiday', tr(locale, 'ticket.hours.refused.not-holiday', { date: date.value }));
        store.setHours({ ...current, holidays: current.holidays.filter((d) => d !== date.value) });
        return done(tr(locale, 'ticket.hours.holiday-removed', { date: date.value }), `holiday ${date.value} removed`);
      }
      const next = addHoliday(current, date.value);
      if (!next.ok) return refusal(locale, next.error);
      store.setHours(next.value);
      return done(tr(locale, 'ticket.hours.holiday-added', { date: date.value, zone: current.zone }), `holiday ${date.value} added`);
    }
    case 'tickets hours off':
      store.setHours(null);
      return done(tr(locale, 'ticket.hours.off'), current ? 'removed' : 'none were set');
  }
  return refused('unknown-command', tr(locale, 'ticket.unknown-command', { command: call.path }));
}

/** Time zones offered while an admin types one into /tickets hours set (any valid name is accepted). */
export function hoursAutocomplete(i: APIApplicationCommandAutocompleteInteraction): APIApplicationCommandOptionChoice[] {
  const f = focusedOf(i);
  if (f?.path !== 'tickets hours set' || f.name !== 'timezone') return [];
  return matching(
    f.typed,
    COMMON_ZONES.map((z) => ({ name: z, value: z })),
  );
}
