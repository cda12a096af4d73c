import type { telegramEn } from './en.ts';

/** Brazilian Portuguese texts of Telegram approvals; same keys and placeholders as telegramEn. */
export const telegramPtBR: Record<keyof typeof telegramEn, string> = {
  'telegram.off':
    'As aprovações pelo Telegram estão desligadas: esta instalação não tem bot do Telegram. Quem administra o Guildkeep define o segredo TELEGRAM_BOT_TOKEN para ligá-las.',
  'telegram.not-admin': 'Só administradores podem mudar para onde vão as aprovações no Telegram.',
  'telegram.not-staff': 'Só moderadores (Expulsar, Banir ou Gerenciar mensagens) podem vincular uma conta do Telegram.',
  'telegram.bad-chat-id': '“{value}” não é um id de chat do Telegram: use o número do chat (o de um grupo é negativo, ex.: -1001234567890). Nada foi alterado.',
  'telegram.chat-set':
    'Novas solicitações da fila de moderação agora também vão para o chat do Telegram {chat}, com botões Aprovar e Rejeitar. Adicione o bot a esse chat; moderadores vinculam a conta do Telegram com /telegram link.',
  'telegram.chat-cleared': 'As aprovações não são mais enviadas ao Telegram.',
  'telegram.chat-none': 'Nenhum chat do Telegram estava definido; nada mudou.',
  'telegram.link-code':
    'Envie isto ao bot do Guildkeep no Telegram em até {minutes} minutos (num chat privado com o bot): /link {code}\nO código vale uma vez.',
  'telegram.unlinked': 'Sua conta do Telegram não está mais vinculada.',
  'telegram.not-linked': 'Nenhuma conta do Telegram está vinculada a você.',
  'telegram.status':
    'Aprovações pelo Telegram: {chat, select, none {nenhum chat definido (um administrador define com /telegram chat)} other {enviadas ao chat {chat}}}. Moderadores vinculados: {count, number}.{linked, select, yes { Sua conta do Telegram está vinculada.} no { Sua conta do Telegram não está vinculada.} other {}}',
  'telegram.button.approve': 'Aprovar',
  'telegram.button.reject': 'Rejeitar',
  'telegram.cb.unknown': 'O Guildkeep não pode fazer nada com este botão.',
  'telegram.cb.off': 'As aprovações não estão disponíveis para este servidor agora.',
  'telegram.cb.not-linked': 'Sua conta do Telegram não está vinculada a nenhum moderador deste servidor. Use /telegram link no Discord primeiro.',
  'telegram.cb.not-member': 'A conta do Discord vinculada a você não é mais membro deste servidor.',
  'telegram.cb.discord-down': 'Não foi possível falar com o Discord para verificar suas permissões. Nada foi alterado; tente de novo daqui a pouco.',
  'telegram.cb.done': '{status, select, approved {Aprovado.} rejected {Rejeitado.} other {Feito.}}',
  'telegram.link.done': 'Vinculado: no Telegram você agora decide aprovações como o membro {user} do Discord naquele servidor.',
  'telegram.link.bad-code': 'Esse código é desconhecido, já foi usado ou expirou. Peça um novo com /telegram link no Discord.',
  'telegram.link.help': 'Para vincular sua conta, envie /link seguido do código que /telegram link mostra no Discord.',
  'cmd.telegram.description': 'Aprovações da fila de moderação no Telegram (opcional)',
  'cmd.telegram.chat.description': 'Administradores: enviar também as novas solicitações a este chat do Telegram',
  'cmd.telegram.chat.id.description': 'O id do chat do Telegram (o de um grupo é negativo, ex.: -1001234567890)',
  'cmd.telegram.off.description': 'Administradores: parar de enviar aprovações ao Telegram',
  'cmd.telegram.link.description': 'Obter um código de uso único para vincular sua conta do Telegram',
  'cmd.telegram.unlink.description': 'Desvincular sua conta do Telegram',
  'cmd.telegram.status.description': 'Se as aprovações pelo Telegram estão ligadas e para onde vão',
  'cmd.telegram.name': 'telegram',
  'cmd.telegram.chat.name': 'chat',
  'cmd.telegram.chat.id.name': 'id',
  'cmd.telegram.off.name': 'desligar',
  'cmd.telegram.link.name': 'vincular',
  'cmd.telegram.unlink.name': 'desvincular',
  'cmd.telegram.status.name': 'status',
};
