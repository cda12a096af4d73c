import type { ticketsTranscriptEn } from './en.ts';

/** es-ES texts of ticket transcripts and staff anonymity; same keys and placeholders as ticketsTranscriptEn. */
export const ticketsTranscriptEsES: Record<keyof typeof ticketsTranscriptEn, string> = {
  'ticket.transcript.html.title': 'Transcripción del ticket #{number}',
  'ticket.transcript.html.subject': 'Asunto',
  'ticket.transcript.html.opener': 'Abierto por',
  'ticket.transcript.html.opened-at': 'Abierto',
  'ticket.transcript.html.type': 'Tipo',
  'ticket.transcript.html.severity': 'Gravedad',
  'ticket.transcript.html.status': 'Estado',
  'ticket.transcript.html.closed-at': 'Cerrado',
  'ticket.transcript.html.close-reason': 'Motivo del cierre',
  'ticket.transcript.html.description': 'Descripción',
  'ticket.transcript.html.history': 'Historial de estados',
  'ticket.transcript.html.history-line': '{status} ({action}) por {by}',
  'ticket.transcript.html.messages': 'Conversación',
  'ticket.transcript.html.no-messages': 'Sin mensajes.',
  'ticket.transcript.html.left-out':
    '{n, plural, one {Se omitió # mensaje anterior} other {Se omitieron # mensajes anteriores}} para que el archivo no sea demasiado grande.',
  'ticket.transcript.html.staff': 'equipo',
  'ticket.transcript.html.note': 'nota interna',
  'ticket.transcript.html.attachments': 'Archivos adjuntos',
  'ticket.transcript.html.generated': 'Generado el {at}. Los datos personales se ocultaron al guardar los mensajes.',
  'ticket.transcript.html.none': '—',
  'ticket.transcript.posted':
    'Transcripción del ticket #{number} ({type}, {severity}): {messages, plural, one {# mensaje} other {# mensajes}}, cerrado por <@{user}>.',
  'ticket.transcript.dm': 'Tu ticket #{number} en {guild} está cerrado. Aquí tienes una copia de la conversación.',
  'ticket.transcript.ready': 'Transcripción del ticket #{number}.',
  'ticket.transcript.not-staff': 'Solo el equipo de soporte puede obtener la transcripción de un ticket.',
  'ticket.transcript.where': 'Úsalo en el hilo o canal de un ticket, o indica el número del ticket (`number`).',
  'ticket.transcript.unknown': 'No hay ningún ticket #{number} en este servidor.',
  'ticket.transcript.failed': 'No se pudo generar la transcripción del ticket #{number} en este momento; inténtalo de nuevo.',
  'ticket.setup.transcript-channel': 'Las transcripciones de los tickets cerrados se publican en <#{channel}>.',
  'ticket.setup.no-transcript-channel':
    'Sin canal de transcripciones: los tickets cerrados no publican transcripción (el equipo puede usar /ticket transcript).',
  'ticket.setup.transcript-dm':
    '{on, select, yes {Los miembros reciben una copia de su transcripción por MD.} other {Los miembros no reciben la transcripción por MD.}}',
  'ticket.setup.anonymous-staff':
    '{on, select, yes {Las respuestas del equipo desde la bandeja se publican como «Equipo de soporte».} other {Las respuestas del equipo desde la bandeja muestran quién las escribió.}}',
  'ticket.support-team': 'Equipo de soporte',
  'ticket.reply.anonymous': '**Equipo de soporte**: {text}',
  'ticket.reply.named': '**{name}** (equipo): {text}',
  'cmd.ticket.transcript.name': 'transcripcion',
  'cmd.ticket.transcript.description': 'Obtener la transcripción de este ticket como archivo HTML (equipo)',
  'cmd.ticket.transcript.number.name': 'numero',
  'cmd.ticket.transcript.number.description': 'El número del ticket (por defecto: el ticket de este hilo o canal)',
  'cmd.setup.tickets.transcript_channel.name': 'canal_transcripciones',
  'cmd.setup.tickets.transcript_channel.description': 'Publicar aquí la transcripción de cada ticket cerrado',
  'cmd.setup.tickets.transcript_dm.name': 'transcripcion_por_md',
  'cmd.setup.tickets.transcript_dm.description': 'Enviar al miembro una copia de la transcripción por MD al cerrar (por defecto no)',
  'cmd.setup.tickets.anonymous_staff.name': 'equipo_anonimo',
  'cmd.setup.tickets.anonymous_staff.description': 'Publicar las respuestas del equipo desde la bandeja como «Equipo de soporte» (por defecto no)',
};
