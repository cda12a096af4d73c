import type { reviewEn } from './en.ts';

/** German texts of the review queue; same keys and placeholders as reviewEn. */
export const reviewDe: Record<keyof typeof reviewEn, string> = {
  'review.title': 'Prüfliste · {guild}',
  'review.heading': 'Wartet auf jemanden',
  'review.intro':
    'Tickets, die auf das Team warten, Moderationsanfragen, die auf Freigabe warten, Einsprüche und Fragen, die das FAQ nicht beantworten konnte, die ältesten zuerst. Die Knöpfe tun dasselbe wie dieselben Knöpfe in Discord.',
  'review.empty': 'Nichts wartet.',
  'review.kind.ticket': 'Ticket',
  'review.kind.approval': 'Freigabe',
  'review.kind.appeal': 'Einspruch',
  'review.kind.faq': 'Unbeantwortete Frage',
  'review.filter.all': 'Alle ({count})',
  'review.filter.kind': '{kind} ({count})',
  'review.filter.mine': 'Meine',
  'review.filter.unowned': 'Noch niemandem zugeteilt',
  'review.owner': 'Zuständig: {name}',
  'review.owner.nobody': 'Zuständig: noch niemand',
  'review.age': 'wartet seit {minutes, plural, one {# Minute} other {# Minuten}}',
  'review.age.hours': 'wartet seit {hours, plural, one {# Stunde} other {# Stunden}}',
  'review.age.days': 'wartet seit {days, plural, one {# Tag} other {# Tagen}}',
  'review.action.claim': 'Übernehmen',
  'review.action.approve': 'Freigeben',
  'review.action.reject': 'Ablehnen',
  'review.bad-filter': 'Diesen Filter gibt es nicht.',
  'review.link': 'Prüfliste: alles, was auf das Team wartet',
  'review.live': 'Aktualisiert sich alle 15 Sekunden selbst.',
  'review.diag.waiting': '{count, plural, one {# Eintrag wartet} other {# Einträge warten}} in der Prüfliste des Dashboards, der älteste {age}.',
};
