import type { ticketsFromMessageEn } from './en.ts';

/** fr texts of opening a ticket from a message; same keys and placeholders as ticketsFromMessageEn. */
export const ticketsFromMessageFr: Record<keyof typeof ticketsFromMessageEn, string> = {
  'cmd.Open ticket.name': 'Ouvrir un ticket',
  'ticket.from-message.no-message': 'Discord n’a pas transmis le message. Réessaie.',
  'ticket.from-message.system': 'Les tickets s’ouvrent à partir des messages des membres, pas des messages système comme celui-ci.',
  'ticket.from-message.bot': 'Les tickets s’ouvrent à partir des messages des membres, pas des messages de bots ou de webhooks.',
  'ticket.from-message.not-yours':
    'Tu ne peux ouvrir un ticket qu’à partir de tes propres messages. Un membre de l’équipe peut en ouvrir un à partir de ce message.',
  'ticket.from-message.already':
    'Un ticket a déjà été ouvert à partir de ce message : #{number}{channel, select, none {} other { (<#{channel}>)}}. Aucun nouveau n’a été ouvert.',
  'ticket.from-message.author-gone': 'L’auteur de ce message n’est plus membre de ce serveur, aucun ticket n’a donc été ouvert pour lui.',
  'ticket.from-message.author-intake':
    '{reason, select, blocked {<@{user}> ne peut pas ouvrir de tickets (bloqué)} notallowed {<@{user}> ne fait pas partie de ceux qui peuvent ouvrir des tickets} other {<@{user}> vient d’ouvrir un ticket et pourra en ouvrir un autre <t:{at}:R>}} (/setup intake). Rien n’a été ouvert.',
  'ticket.from-message.author-limit': '<@{user}> a déjà un ticket {type} ouvert{channel, select, none {} other { : <#{channel}>}}. Rien n’a été ouvert.',
  'ticket.from-message.no-text': 'Message sans texte',
  'ticket.from-message.attachments': 'Pièces jointes : {files}',
  'ticket.from-message.source': 'Ouvert à partir de ce message : {link}',
};
