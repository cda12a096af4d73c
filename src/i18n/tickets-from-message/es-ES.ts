import type { ticketsFromMessageEn } from './en.ts';

/** es-ES texts of opening a ticket from a message; same keys and placeholders as ticketsFromMessageEn. */
export const ticketsFromMessageEsES: Record<keyof typeof ticketsFromMessageEn, string> = {
  'cmd.Open ticket.name': 'Abrir ticket',
  'ticket.from-message.no-message': 'Discord no envió el mensaje. Vuelve a intentarlo.',
  'ticket.from-message.system': 'Los tickets se abren desde mensajes de miembros, no desde mensajes del sistema como este.',
  'ticket.from-message.bot': 'Los tickets se abren desde mensajes de miembros, no desde mensajes de bots o webhooks.',
  'ticket.from-message.not-yours': 'Solo puedes abrir un ticket desde tus propios mensajes. Un miembro del equipo puede abrir uno desde este mensaje.',
  'ticket.from-message.already':
    'Ya se abrió un ticket desde este mensaje: #{number}{channel, select, none {} other { (<#{channel}>)}}. No se abrió ninguno nuevo.',
  'ticket.from-message.author-gone': 'El autor de este mensaje ya no es miembro de este servidor, así que no se le abrió ningún ticket.',
  'ticket.from-message.author-intake':
    '{reason, select, blocked {<@{user}> tiene bloqueado abrir tickets} notallowed {<@{user}> no está entre quienes pueden abrir tickets} other {<@{user}> acaba de abrir un ticket y podrá abrir otro <t:{at}:R>}} (/setup intake). No se abrió nada.',
  'ticket.from-message.author-limit': '<@{user}> ya tiene un ticket de {type} abierto{channel, select, none {} other {: <#{channel}>}}. No se abrió nada.',
  'ticket.from-message.no-text': 'Mensaje sin texto',
  'ticket.from-message.attachments': 'Adjuntos: {files}',
  'ticket.from-message.source': 'Abierto desde este mensaje: {link}',
};
