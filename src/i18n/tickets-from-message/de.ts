import type { ticketsFromMessageEn } from './en.ts';

/** de texts of opening a ticket from a message; same keys and placeholders as ticketsFromMessageEn. */
export const ticketsFromMessageDe: Record<keyof typeof ticketsFromMessageEn, string> = {
  'cmd.Open ticket.name': 'Ticket öffnen',
  'ticket.from-message.no-message': 'Discord hat die Nachricht nicht mitgeschickt. Versuch es noch einmal.',
  'ticket.from-message.system': 'Tickets entstehen aus Nachrichten von Mitgliedern, nicht aus Systemnachrichten wie dieser.',
  'ticket.from-message.bot': 'Tickets entstehen aus Nachrichten von Mitgliedern, nicht aus Nachrichten von Bots oder Webhooks.',
  'ticket.from-message.not-yours': 'Du kannst nur aus deinen eigenen Nachrichten ein Ticket öffnen. Ein Teammitglied kann aus dieser Nachricht eines öffnen.',
  'ticket.from-message.already':
    'Aus dieser Nachricht wurde schon ein Ticket geöffnet: #{number}{channel, select, none {} other { (<#{channel}>)}}. Es wurde kein neues geöffnet.',
  'ticket.from-message.author-gone': 'Der Autor dieser Nachricht ist kein Mitglied dieses Servers mehr, darum wurde kein Ticket für ihn geöffnet.',
  'ticket.from-message.author-intake':
    '{reason, select, blocked {<@{user}> ist für Tickets gesperrt} notallowed {<@{user}> gehört nicht zu denen, die Tickets öffnen dürfen} other {<@{user}> hat gerade erst ein Ticket geöffnet und kann <t:{at}:R> ein weiteres öffnen}} (/setup intake). Es wurde nichts geöffnet.',
  'ticket.from-message.author-limit':
    '<@{user}> hat schon ein offenes Ticket vom Typ {type}{channel, select, none {} other {: <#{channel}>}}. Es wurde nichts geöffnet.',
  'ticket.from-message.no-text': 'Nachricht ohne Text',
  'ticket.from-message.attachments': 'Anhänge: {files}',
  'ticket.from-message.source': 'Geöffnet aus dieser Nachricht: {link}',
};
