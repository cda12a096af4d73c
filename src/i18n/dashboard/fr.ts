import type { dashboardEn } from './en.ts';

/** French texts of the dashboard; same keys and placeholders as dashboardEn. */
export const dashboardFr: Record<keyof typeof dashboardEn, string> = {
  'dash.title': 'Tableau de bord Guildkeep',
  'dash.setup.title': 'Le tableau de bord n’est pas encore configuré',
  'dash.setup.missing': 'Définissez {count, plural, one {ce secret} other {ces secrets}} pour activer la connexion avec Discord : {names}.',
  'dash.setup.how':
    'Utilisez wrangler secret put NOM (ou .dev.vars en local). DISCORD_CLIENT_SECRET se trouve dans le Discord Developer Portal, rubrique OAuth2, où {redirect} doit aussi être ajouté comme redirection ; SESSION_SECRET est une longue chaîne aléatoire quelconque.',
  'dash.signed-in': 'Connecté en tant que {name}',
  'dash.picker.open': 'Vos serveurs avec Guildkeep',
  'dash.picker.open-none': 'Aucun des serveurs que vous gérez n’a encore Guildkeep.',
  'dash.picker.add': 'Ajouter Guildkeep à un serveur que vous gérez',
  'dash.picker.add-link': 'Ajouter au serveur',
  'dash.logout': 'Se déconnecter',
  'dash.logout-everywhere': 'Se déconnecter partout',
  'dash.logged-out': 'Vous êtes déconnecté.',
  'dash.logged-out-everywhere': 'Vous êtes déconnecté sur tous vos appareils, et l’accès de Guildkeep à votre compte Discord est révoqué.',
  'dash.login': 'Se connecter avec Discord',
  'dash.login.cancelled': 'La connexion a été annulée sur Discord.',
  'dash.login.failed': 'La connexion n’a pas pu aboutir. Veuillez réessayer.',
  'dash.unavailable': 'Discord est injoignable. Veuillez réessayer dans un instant.',
  'dash.forbidden': 'Vous ne pouvez pas gérer ce serveur, ou Guildkeep n’y est pas.',
  'dash.overview.features': 'Fonctionnalités',
  'dash.overview.open-tickets': 'Tickets ouverts',
  'dash.overview.members': 'Membres',
  'dash.overview.unknown': 'pas encore connu',
  'dash.overview.link-alerts': 'Alertes : où va chaque type et comment les répétitions sont regroupées',
  'dash.overview.link-keys': 'Clés d’API pour ce serveur',
  'dash.back': 'Tous les serveurs',
};
