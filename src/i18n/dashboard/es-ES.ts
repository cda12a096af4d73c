import type { dashboardEn } from './en.ts';

/** Spanish (Spain) texts of the dashboard; same keys and placeholders as dashboardEn. */
export const dashboardEsES: Record<keyof typeof dashboardEn, string> = {
  'dash.title': 'Panel de Guildkeep',
  'dash.setup.title': 'El panel aún no está configurado',
  'dash.setup.missing': 'Define {count, plural, one {este secreto} other {estos secretos}} para activar «Iniciar sesión con Discord»: {names}.',
  'dash.setup.how':
    'Usa wrangler secret put NOMBRE (o .dev.vars en local). DISCORD_CLIENT_SECRET está en el Discord Developer Portal, en OAuth2, donde también hay que añadir {redirect} como redirección; SESSION_SECRET es cualquier cadena aleatoria larga.',
  'dash.signed-in': 'Sesión iniciada como {name}',
  'dash.picker.open': 'Tus servidores con Guildkeep',
  'dash.picker.open-none': 'Ninguno de los servidores que gestionas tiene Guildkeep todavía.',
  'dash.picker.add': 'Añade Guildkeep a un servidor que gestionas',
  'dash.picker.add-link': 'Añadir al servidor',
  'dash.logout': 'Cerrar sesión',
  'dash.logout-everywhere': 'Cerrar sesión en todas partes',
  'dash.logged-out': 'Has cerrado la sesión.',
  'dash.logged-out-everywhere': 'Has cerrado la sesión en todos los dispositivos y se ha revocado el acceso de Guildkeep a tu cuenta de Discord.',
  'dash.login': 'Iniciar sesión con Discord',
  'dash.login.cancelled': 'El inicio de sesión se canceló en Discord.',
  'dash.login.failed': 'No se pudo completar el inicio de sesión. Inténtalo de nuevo.',
  'dash.unavailable': 'No se pudo contactar con Discord. Inténtalo de nuevo en un momento.',
  'dash.forbidden': 'No puedes gestionar este servidor, o Guildkeep no está en él.',
  'dash.overview.features': 'Funciones',
  'dash.overview.open-tickets': 'Tickets abiertos',
  'dash.overview.members': 'Miembros',
  'dash.overview.unknown': 'aún no se sabe',
  'dash.overview.link-alerts': 'Alertas: adónde va cada tipo y cómo se agrupan las repeticiones',
  'dash.overview.link-keys': 'Claves de API de este servidor',
  'dash.back': 'Todos los servidores',
};
