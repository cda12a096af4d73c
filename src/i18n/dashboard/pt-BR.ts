import type { dashboardEn } from './en.ts';

/** Brazilian Portuguese texts of the dashboard; same keys and placeholders as dashboardEn. */
export const dashboardPtBR: Record<keyof typeof dashboardEn, string> = {
  'dash.title': 'Painel do Guildkeep',
  'dash.setup.title': 'O painel ainda não está configurado',
  'dash.setup.missing': 'Defina {count, plural, one {este segredo} other {estes segredos}} para ativar o login com o Discord: {names}.',
  'dash.setup.how':
    'Use wrangler secret put NOME (ou .dev.vars em execuções locais). DISCORD_CLIENT_SECRET fica no Discord Developer Portal, em OAuth2, onde {redirect} também precisa ser adicionado como redirecionamento; SESSION_SECRET é qualquer sequência aleatória longa.',
  'dash.signed-in': 'Conectado como {name}',
  'dash.picker.open': 'Seus servidores com o Guildkeep',
  'dash.picker.open-none': 'Nenhum dos servidores que você gerencia tem o Guildkeep ainda.',
  'dash.picker.add': 'Adicione o Guildkeep a um servidor que você gerencia',
  'dash.picker.add-link': 'Adicionar ao servidor',
  'dash.logout': 'Sair',
  'dash.logout-everywhere': 'Sair de todos os dispositivos',
  'dash.logged-out': 'Você saiu.',
  'dash.logged-out-everywhere': 'Você saiu em todos os dispositivos, e o acesso do Guildkeep à sua conta do Discord foi revogado.',
  'dash.login': 'Entrar com o Discord',
  'dash.login.cancelled': 'O login foi cancelado no Discord.',
  'dash.login.failed': 'Não foi possível concluir o login. Tente novamente.',
  'dash.unavailable': 'Não foi possível falar com o Discord. Tente novamente em instantes.',
  'dash.forbidden': 'Você não pode gerenciar este servidor, ou o Guildkeep não está nele.',
  'dash.overview.features': 'Recursos',
  'dash.overview.open-tickets': 'Tickets abertos',
  'dash.overview.members': 'Membros',
  'dash.overview.unknown': 'ainda desconhecido',
  'dash.overview.link-alerts': 'Alertas: para onde vai cada tipo e como as repetições são agrupadas',
  'dash.overview.link-keys': 'Chaves de API deste servidor',
  'dash.back': 'Todos os servidores',
};
