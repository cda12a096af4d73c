import type { reviewEn } from './en.ts';

/** French texts of the review queue; same keys and placeholders as reviewEn. */
export const reviewFr: Record<keyof typeof reviewEn, string> = {
  'review.title': 'File de revue · {guild}',
  'review.heading': 'En attente de quelqu’un',
  'review.intro':
    'Tickets en attente de l’équipe, demandes de modération en attente d’approbation, appels et questions auxquelles la FAQ n’a pas su répondre, les plus anciens d’abord. Les boutons font ce que font les mêmes boutons dans Discord.',
  'review.empty': 'Rien n’attend.',
  'review.kind.ticket': 'Ticket',
  'review.kind.approval': 'Approbation',
  'review.kind.appeal': 'Appel',
  'review.kind.faq': 'Question sans réponse',
  'review.filter.all': 'Tout ({count})',
  'review.filter.kind': '{kind} ({count})',
  'review.filter.mine': 'Les miens',
  'review.filter.unowned': 'Encore à personne',
  'review.owner': 'Responsable : {name}',
  'review.owner.nobody': 'Responsable : personne pour l’instant',
  'review.age': 'en attente depuis {minutes, plural, one {# minute} other {# minutes}}',
  'review.age.hours': 'en attente depuis {hours, plural, one {# heure} other {# heures}}',
  'review.age.days': 'en attente depuis {days, plural, one {# jour} other {# jours}}',
  'review.action.claim': 'Prendre',
  'review.action.approve': 'Approuver',
  'review.action.reject': 'Refuser',
  'review.bad-filter': 'Ce filtre n’existe pas.',
  'review.link': 'File de revue : tout ce qui attend l’équipe',
  'review.live': 'Se met à jour toute seule toutes les 15 secondes.',
  'review.diag.waiting': '{count, plural, one {# élément attend} other {# éléments attendent}} dans la file de revue du tableau de bord, le plus ancien {age}.',
};
