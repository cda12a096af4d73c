/**
 * English texts of opening a ticket from a message (src/features/tickets/from-message.ts):
 * spread into the English catalog. Same rules as en.ts: ICU MessageFormat,
 * typographic apostrophes (’), Discord markup as plain text.
 */
export const ticketsFromMessageEn = {
  // The message command's name in a message's Apps menu (mixed case and spaces are allowed there).
  'cmd.Open ticket.name': 'Open ticket',
  'ticket.from-message.no-message': 'Discord didn’t send the message along. Try again.',
  'ticket.from-message.system': 'Tickets open from members’ messages, not from system messages like this one.',
  'ticket.from-message.bot': 'Tickets open from members’ messages, not from messages of bots or webhooks.',
  'ticket.from-message.not-yours': 'You can open a ticket from your own messages only. A staff member can open one from this message.',
  'ticket.from-message.already':
    'A ticket was already opened from this message: #{number}{channel, select, none {} other { (<#{channel}>)}}. Nothing new was opened.',
  'ticket.from-message.author-gone': 'The author of this message is not a member of this server any more, so no ticket was opened for them.',
  'ticket.from-message.author-intake':
    '{reason, select, blocked {<@{user}> is blocked from opening tickets} notallowed {<@{user}> is not among those who may open tickets} other {<@{user}> opened a ticket a moment ago and can open another <t:{at}:R>}} (/setup intake). Nothing was opened.',
  'ticket.from-message.author-limit': '<@{user}> already has an open {type} ticket{channel, select, none {} other {: <#{channel}>}}. Nothing was opened.',
  'ticket.from-message.no-text': 'Message without text',
  'ticket.from-message.attachments': 'Attachments: {files}',
  'ticket.from-message.source': 'Opened from this message: {link}',
};
