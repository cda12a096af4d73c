import type { ticketsHoursEn } from './en.ts';

/** fr texts of support hours for tickets; same keys and placeholders as ticketsHoursEn. */
export const ticketsHoursFr: Record<keyof typeof ticketsHoursEn, string> = {
  'ticket.hours.not-admin': 'Seuls les administrateurs peuvent modifier les horaires du support.',
  'ticket.hours.refused.bad-zone':
    '« {zone} » n’est pas un fuseau horaire. Utilise un nom IANA comme Europe/Berlin ou America/New_York (la liste en propose). Rien n’a été modifié.',
  'ticket.hours.refused.bad-days':
    '« {days} » ne sont pas des jours. Écris-les comme mon-fri, mon,wed,fri, sat-sun, mon-fri,sun ou daily. Rien n’a été modifié.',
  'ticket.hours.refused.bad-time':
    '« {time} » n’est pas une heure. Utilise HH:MM sur 24 heures, comme 09:00 ou 17:30 (24:00 termine une journée). Rien n’a été modifié.',
  'ticket.hours.refused.empty-window':
    'Ces horaires ouvrent et ferment à la même heure. Donne une fermeture après l’ouverture, ou avant elle pour des horaires qui passent minuit. Rien n’a été modifié.',
  'ticket.hours.refused.other-zone':
    'Les horaires du support sont lus dans le fuseau {zone}. Donne ce fuseau, ou recommence avec `/tickets hours off`. Rien n’a été modifié.',
  'ticket.hours.refused.overlap':
    'Horaires qui se chevauchent : ils chevauchent `{days}` {from}–{to}, déjà défini. Rien n’a été modifié ; `/tickets hours off` permet de recommencer.',
  'ticket.hours.refused.too-many': 'Un serveur peut avoir au plus {max} plages de support. Rien n’a été modifié.',
  'ticket.hours.refused.bad-date': '« {date} » n’est pas une date. Utilise AAAA-MM-JJ, comme 2026-12-25. Rien n’a été modifié.',
  'ticket.hours.refused.too-many-holidays': 'Un serveur peut avoir au plus {max} jours fériés ; retire d’abord ceux passés. Rien n’a été modifié.',
  'ticket.hours.refused.no-hours': 'Définis d’abord les horaires du support avec `/tickets hours set` : un jour férié est un jour dans leur fuseau.',
  'ticket.hours.refused.not-holiday': 'Le {date} n’est pas un jour férié. Rien n’a été modifié.',
  'ticket.hours.saved': 'Horaires du support enregistrés.',
  'ticket.hours.unchanged': 'Ces horaires étaient déjà définis ; rien n’a changé.',
  'ticket.hours.summary':
    '**Horaires du support** ({zone}). En dehors, /ticket open {outside, select, refuse {est refusé et donne la prochaine ouverture} other {ouvre le ticket et indique quand l’équipe répond}}.',
  'ticket.hours.window': '• `{days}` {from}–{to}{overnight, select, yes { (jusqu’au lendemain)} other {}}',
  'ticket.hours.holidays': 'Fermé toute la journée le : {dates}',
  'ticket.hours.open-now': 'Le support est ouvert en ce moment.',
  'ticket.hours.closed-now': 'Le support est fermé en ce moment ; il ouvre <t:{at}:F> (<t:{at}:R>).',
  'ticket.hours.closed-now-no-date': 'Le support est fermé en ce moment, et aucune ouverture n’est prévue d’ici un an.',
  'ticket.hours.none': 'Aucun horaire de support n’est défini : les tickets peuvent être ouverts à tout moment.',
  'ticket.hours.off': 'Les horaires du support sont retirés : les tickets peuvent être ouverts à tout moment.',
  'ticket.hours.holiday-added': 'Le support est fermé toute la journée le {date} ({zone}).',
  'ticket.hours.holiday-removed': 'Le {date} redevient un jour normal.',
  'ticket.hours.open.refused':
    'Le support est fermé en ce moment, aucun ticket ne peut donc être ouvert. Il ouvre <t:{at}:F> (<t:{at}:R>) ; reviens à ce moment-là, s’il te plaît.',
  'ticket.hours.open.refused-no-date':
    'Le support est fermé en ce moment, aucun ticket ne peut donc être ouvert, et aucune ouverture n’est prévue d’ici un an.',
  'ticket.hours.open.warn': 'Le support est fermé en ce moment : l’équipe répond à partir de <t:{at}:F> (<t:{at}:R>).',
  'ticket.hours.open.warn-no-date': 'Le support est fermé en ce moment : l’équipe répondra à sa réouverture.',

  'cmd.tickets.hours.name': 'horaires',
  'cmd.tickets.hours.description': 'Horaires du support : quand l’équipe répond aux tickets (administrateurs)',
  'cmd.tickets.hours.set.name': 'définir',
  'cmd.tickets.hours.set.description': 'Ajouter des horaires de support pour certains jours (un autre appel en ajoute)',
  'cmd.tickets.hours.set.timezone.name': 'fuseau',
  'cmd.tickets.hours.set.timezone.description': 'Fuseau horaire des horaires, comme Europe/Berlin',
  'cmd.tickets.hours.set.days.name': 'jours',
  'cmd.tickets.hours.set.days.description': 'Jours : mon-fri, mon,wed,fri, sat-sun, mon-fri,sun ou daily',
  'cmd.tickets.hours.set.from.name': 'début',
  'cmd.tickets.hours.set.from.description': 'Heure d’ouverture, HH:MM sur 24 heures',
  'cmd.tickets.hours.set.to.name': 'fin',
  'cmd.tickets.hours.set.to.description': 'Heure de fermeture, HH:MM sur 24 heures (avant l’ouverture : après minuit)',
  'cmd.tickets.hours.set.outside.name': 'hors',
  'cmd.tickets.hours.set.outside.description': 'Hors horaires, /ticket open avertit ou refuse (par défaut : comme avant, sinon avertit)',
  'cmd.tickets.hours.set.outside.choice.warn': 'avertir',
  'cmd.tickets.hours.set.outside.choice.refuse': 'refuser',
  'cmd.tickets.hours.holiday.name': 'férié',
  'cmd.tickets.hours.holiday.description': 'Fermer le support toute la journée à une date, ou la rouvrir',
  'cmd.tickets.hours.holiday.action.name': 'action',
  'cmd.tickets.hours.holiday.action.description': 'Ajouter ou retirer le jour férié',
  'cmd.tickets.hours.holiday.action.choice.add': 'ajouter',
  'cmd.tickets.hours.holiday.action.choice.remove': 'retirer',
  'cmd.tickets.hours.holiday.date.name': 'date',
  'cmd.tickets.hours.holiday.date.description': 'La date, AAAA-MM-JJ, dans le fuseau des horaires',
  'cmd.tickets.hours.show.name': 'afficher',
  'cmd.tickets.hours.show.description': 'Afficher les horaires du support et s’il est ouvert en ce moment',
  'cmd.tickets.hours.off.name': 'désactiver',
  'cmd.tickets.hours.off.description': 'Retirer les horaires du support : tickets à tout moment',
};
