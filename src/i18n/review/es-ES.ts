import type { reviewEn } from './en.ts';

/** Spanish texts of the review queue; same keys and placeholders as reviewEn. */
export const reviewEsES: Record<keyof typeof reviewEn, string> = {
  'review.title': 'Cola de revisión · {guild}',
  'review.heading': 'Esperando a alguien',
  'review.intro':
    'Tickets que esperan al equipo, solicitudes de moderación que esperan aprobación, apelaciones y preguntas que el FAQ no supo responder, las más antiguas primero. Los botones hacen lo mismo que los mismos botones en Discord.',
  'review.empty': 'No hay nada esperando.',
  'review.kind.ticket': 'Ticket',
  'review.kind.approval': 'Aprobación',
  'review.kind.appeal': 'Apelación',
  'review.kind.faq': 'Pregunta sin respuesta',
  'review.filter.all': 'Todo ({count})',
  'review.filter.kind': '{kind} ({count})',
  'review.filter.mine': 'Míos',
  'review.filter.unowned': 'Aún de nadie',
  'review.owner': 'Responsable: {name}',
  'review.owner.nobody': 'Responsable: nadie aún',
  'review.age': 'esperando {minutes, plural, one {# minuto} other {# minutos}}',
  'review.age.hours': 'esperando {hours, plural, one {# hora} other {# horas}}',
  'review.age.days': 'esperando {days, plural, one {# día} other {# días}}',
  'review.action.claim': 'Asumir',
  'review.action.approve': 'Aprobar',
  'review.action.reject': 'Rechazar',
  'review.bad-filter': 'Ese filtro no existe.',
  'review.link': 'Cola de revisión: todo lo que espera al equipo',
  'review.live': 'Se actualiza sola cada 15 segundos.',
  'review.diag.waiting': '{count, plural, one {# elemento espera} other {# elementos esperan}} en la cola de revisión del panel, el más antiguo {age}.',
};
