import type { ticketsFromMessageEn } from './en.ts';

/** pt-BR texts of opening a ticket from a message; same keys and placeholders as ticketsFromMessageEn. */
export const ticketsFromMessagePtBR: Record<keyof typeof ticketsFromMessageEn, string> = {
  'cmd.Open ticket.name': 'Abrir ticket',
  'ticket.from-message.no-message': 'O Discord não enviou a mensagem. Tente de novo.',
  'ticket.from-message.system': 'Tickets são abertos a partir de mensagens de membros, não de mensagens do sistema como esta.',
  'ticket.from-message.bot': 'Tickets são abertos a partir de mensagens de membros, não de mensagens de bots ou webhooks.',
  'ticket.from-message.not-yours': 'Você só pode abrir um ticket a partir das suas próprias mensagens. Alguém da equipe pode abrir um a partir desta mensagem.',
  'ticket.from-message.already':
    'Já foi aberto um ticket a partir desta mensagem: #{number}{channel, select, none {} other { (<#{channel}>)}}. Nenhum novo foi aberto.',
  'ticket.from-message.author-gone': 'O autor desta mensagem não é mais membro deste servidor, então nenhum ticket foi aberto para ele.',
  'ticket.from-message.author-intake':
    '{reason, select, blocked {<@{user}> está bloqueado para abrir tickets} notallowed {<@{user}> não está entre quem pode abrir tickets} other {<@{user}> acabou de abrir um ticket e poderá abrir outro <t:{at}:R>}} (/setup intake). Nada foi aberto.',
  'ticket.from-message.author-limit': '<@{user}> já tem um ticket de {type} aberto{channel, select, none {} other {: <#{channel}>}}. Nada foi aberto.',
  'ticket.from-message.no-text': 'Mensagem sem texto',
  'ticket.from-message.attachments': 'Anexos: {files}',
  'ticket.from-message.source': 'Aberto a partir desta mensagem: {link}',
};
