import type { ticketsHoursEn } from './en.ts';

/** de texts of support hours for tickets; same keys and placeholders as ticketsHoursEn. */
export const ticketsHoursDe: Record<keyof typeof ticketsHoursEn, string> = {
  'ticket.hours.not-admin': 'Nur Administratoren können die Support-Zeiten ändern.',
  'ticket.hours.refused.bad-zone':
    '„{zone}“ ist keine Zeitzone. Nimm einen IANA-Namen wie Europe/Berlin oder America/New_York (die Liste schlägt welche vor). Nichts wurde geändert.',
  'ticket.hours.refused.bad-days': '„{days}“ sind keine Tage. Schreib sie wie mon-fri, mon,wed,fri, sat-sun, mon-fri,sun oder daily. Nichts wurde geändert.',
  'ticket.hours.refused.bad-time':
    '„{time}“ ist keine Uhrzeit. Nimm 24-Stunden-Format HH:MM, etwa 09:00 oder 17:30 (24:00 beendet einen Tag). Nichts wurde geändert.',
  'ticket.hours.refused.empty-window':
    'Diese Zeiten beginnen und enden zur selben Uhrzeit. Gib ein Ende nach dem Beginn an, oder davor für Zeiten über Mitternacht. Nichts wurde geändert.',
  'ticket.hours.refused.other-zone':
    'Die Support-Zeiten gelten in {zone}. Gib diese Zeitzone an oder fang mit `/tickets hours off` neu an. Nichts wurde geändert.',
  'ticket.hours.refused.overlap':
    'Überlappende Zeiten: Sie überschneiden sich mit `{days}` {from}–{to}, bereits festgelegt. Nichts wurde geändert; `/tickets hours off` fängt neu an.',
  'ticket.hours.refused.too-many': 'Ein Server kann höchstens {max} Support-Zeitfenster haben. Nichts wurde geändert.',
  'ticket.hours.refused.bad-date': '„{date}“ ist kein Datum. Nimm JJJJ-MM-TT, etwa 2026-12-25. Nichts wurde geändert.',
  'ticket.hours.refused.too-many-holidays': 'Ein Server kann höchstens {max} Feiertage haben; entferne zuerst vergangene. Nichts wurde geändert.',
  'ticket.hours.refused.no-hours': 'Leg zuerst die Support-Zeiten mit `/tickets hours set` fest: Ein Feiertag ist ein Tag in ihrer Zeitzone.',
  'ticket.hours.refused.not-holiday': '{date} ist kein Feiertag. Nichts wurde geändert.',
  'ticket.hours.saved': 'Support-Zeiten gespeichert.',
  'ticket.hours.unchanged': 'Diese Zeiten waren schon festgelegt; nichts hat sich geändert.',
  'ticket.hours.summary':
    '**Support-Zeiten** ({zone}). Außerhalb davon {outside, select, refuse {lehnt /ticket open ab und nennt die nächste Öffnungszeit} other {öffnet /ticket open das Ticket und sagt, wann das Team antwortet}}.',
  'ticket.hours.window': '• `{days}` {from}–{to}{overnight, select, yes { (bis in den nächsten Tag)} other {}}',
  'ticket.hours.holidays': 'Ganztägig geschlossen am: {dates}',
  'ticket.hours.open-now': 'Der Support ist gerade geöffnet.',
  'ticket.hours.closed-now': 'Der Support ist gerade geschlossen; er öffnet <t:{at}:F> (<t:{at}:R>).',
  'ticket.hours.closed-now-no-date': 'Der Support ist gerade geschlossen, und innerhalb eines Jahres ist keine Öffnung geplant.',
  'ticket.hours.none': 'Keine Support-Zeiten festgelegt: Tickets können jederzeit eröffnet werden.',
  'ticket.hours.off': 'Die Support-Zeiten sind entfernt: Tickets können jederzeit eröffnet werden.',
  'ticket.hours.holiday-added': 'Der Support ist am {date} ganztägig geschlossen ({zone}).',
  'ticket.hours.holiday-removed': 'Der {date} ist wieder ein normaler Tag.',
  'ticket.hours.open.refused':
    'Der Support ist gerade geschlossen, daher kann kein Ticket eröffnet werden. Er öffnet <t:{at}:F> (<t:{at}:R>); bitte komm dann wieder.',
  'ticket.hours.open.refused-no-date':
    'Der Support ist gerade geschlossen, daher kann kein Ticket eröffnet werden, und innerhalb eines Jahres ist keine Öffnung geplant.',
  'ticket.hours.open.warn': 'Der Support ist gerade geschlossen: Das Team antwortet ab <t:{at}:F> (<t:{at}:R>).',
  'ticket.hours.open.warn-no-date': 'Der Support ist gerade geschlossen: Das Team antwortet, sobald er wieder öffnet.',

  'cmd.tickets.hours.name': 'zeiten',
  'cmd.tickets.hours.description': 'Support-Zeiten: wann das Team Tickets beantwortet (Administratoren)',
  'cmd.tickets.hours.set.name': 'festlegen',
  'cmd.tickets.hours.set.description': 'Support-Zeiten für einige Tage hinzufügen (ein weiterer Aufruf fügt mehr hinzu)',
  'cmd.tickets.hours.set.timezone.name': 'zeitzone',
  'cmd.tickets.hours.set.timezone.description': 'Zeitzone der Zeiten, etwa Europe/Berlin',
  'cmd.tickets.hours.set.days.name': 'tage',
  'cmd.tickets.hours.set.days.description': 'Tage: mon-fri, mon,wed,fri, sat-sun, mon-fri,sun oder daily',
  'cmd.tickets.hours.set.from.name': 'von',
  'cmd.tickets.hours.set.from.description': 'Beginn, 24 Stunden HH:MM',
  'cmd.tickets.hours.set.to.name': 'bis',
  'cmd.tickets.hours.set.to.description': 'Ende, 24 Stunden HH:MM (vor dem Beginn: über Mitternacht)',
  'cmd.tickets.hours.set.outside.name': 'außerhalb',
  'cmd.tickets.hours.set.outside.description': 'Außerhalb der Zeiten warnt /ticket open oder lehnt ab (Standard: wie bisher, sonst warnen)',
  'cmd.tickets.hours.set.outside.choice.warn': 'warnen',
  'cmd.tickets.hours.set.outside.choice.refuse': 'ablehnen',
  'cmd.tickets.hours.holiday.name': 'feiertag',
  'cmd.tickets.hours.holiday.description': 'Den Support an einem Datum ganztägig schließen oder wieder öffnen',
  'cmd.tickets.hours.holiday.action.name': 'aktion',
  'cmd.tickets.hours.holiday.action.description': 'Feiertag hinzufügen oder entfernen',
  'cmd.tickets.hours.holiday.action.choice.add': 'hinzufügen',
  'cmd.tickets.hours.holiday.action.choice.remove': 'entfernen',
  'cmd.tickets.hours.holiday.date.name': 'datum',
  'cmd.tickets.hours.holiday.date.description': 'Das Datum, JJJJ-MM-TT, in der Zeitzone der Zeiten',
  'cmd.tickets.hours.show.name': 'anzeigen',
  'cmd.tickets.hours.show.description': 'Die Support-Zeiten zeigen und ob der Support gerade offen ist',
  'cmd.tickets.hours.off.name': 'aus',
  'cmd.tickets.hours.off.description': 'Die Support-Zeiten entfernen: Tickets jederzeit',
};
