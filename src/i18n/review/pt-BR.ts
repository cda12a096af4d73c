import type { reviewEn } from './en.ts';

/** Brazilian Portuguese texts of the review queue; same keys and placeholders as reviewEn. */
export const reviewPtBR: Record<keyof typeof reviewEn, string> = {
  'review.title': 'Fila de revisão · {guild}',
  'review.heading': 'Esperando alguém',
  'review.intro':
    'Tickets esperando a equipe, pedidos de moderação esperando aprovação, recursos e perguntas que o FAQ não soube responder, os mais antigos primeiro. Os botões fazem o mesmo que os mesmos botões no Discord.',
  'review.empty': 'Nada está esperando.',
  'review.kind.ticket': 'Ticket',
  'review.kind.approval': 'Aprovação',
  'review.kind.appeal': 'Recurso',
  'review.kind.faq': 'Pergunta sem resposta',
  'review.filter.all': 'Tudo ({count})',
  'review.filter.kind': '{kind} ({count})',
  'review.filter.mine': 'Meus',
  'review.filter.unowned': 'Ainda de ninguém',
  'review.owner': 'Responsável: {name}',
  'review.owner.nobody': 'Responsável: ninguém ainda',
  'review.age': 'esperando há {minutes, plural, one {# minuto} other {# minutos}}',
  'review.age.hours': 'esperando há {hours, plural, one {# hora} other {# horas}}',
  'review.age.days': 'esperando há {days, plural, one {# dia} other {# dias}}',
  'review.action.claim': 'Assumir',
  'review.action.approve': 'Aprovar',
  'review.action.reject': 'Rejeitar',
  'review.bad-filter': 'Esse filtro não existe.',
  'review.link': 'Fila de revisão: tudo o que espera a equipe',
  'review.live': 'Atualiza sozinha a cada 15 segundos.',
  'review.diag.waiting': '{count, plural, one {# item espera} other {# itens esperam}} na fila de revisão do painel, o mais antigo {age}.',
};
