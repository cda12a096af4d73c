import type { dashboardEn } from './en.ts';

/** German texts of the dashboard; same keys and placeholders as dashboardEn. */
export const dashboardDe: Record<keyof typeof dashboardEn, string> = {
  'dash.title': 'Guildkeep-Dashboard',
  'dash.setup.title': 'Das Dashboard ist noch nicht eingerichtet',
  'dash.setup.missing': 'Setze {count, plural, one {dieses Secret} other {diese Secrets}}, um „Mit Discord anmelden“ einzuschalten: {names}.',
  'dash.setup.how':
    'Mit wrangler secret put NAME (oder .dev.vars bei lokalen Läufen). DISCORD_CLIENT_SECRET steht im Discord Developer Portal unter OAuth2, wo auch {redirect} als Redirect eingetragen sein muss; SESSION_SECRET ist eine beliebige lange Zufallszeichenfolge.',
  'dash.signed-in': 'Angemeldet als {name}',
  'dash.picker.open': 'Deine Server mit Guildkeep',
  'dash.picker.open-none': 'Keiner der Server, die du verwaltest, hat Guildkeep bisher.',
  'dash.picker.add': 'Guildkeep zu einem deiner Server hinzufügen',
  'dash.picker.add-link': 'Zum Server hinzufügen',
  'dash.logout': 'Abmelden',
  'dash.logout-everywhere': 'Überall abmelden',
  'dash.logged-out': 'Du bist abgemeldet.',
  'dash.logged-out-everywhere': 'Du bist auf allen Geräten abgemeldet, und Guildkeeps Zugriff auf dein Discord-Konto ist widerrufen.',
  'dash.login': 'Mit Discord anmelden',
  'dash.login.cancelled': 'Die Anmeldung wurde bei Discord abgebrochen.',
  'dash.login.failed': 'Die Anmeldung konnte nicht abgeschlossen werden. Bitte versuche es erneut.',
  'dash.unavailable': 'Discord ist gerade nicht erreichbar. Bitte versuche es gleich noch einmal.',
  'dash.forbidden': 'Du kannst diesen Server nicht verwalten, oder Guildkeep ist nicht auf ihm.',
  'dash.overview.features': 'Funktionen',
  'dash.overview.open-tickets': 'Offene Tickets',
  'dash.overview.members': 'Mitglieder',
  'dash.overview.unknown': 'noch unbekannt',
  'dash.overview.link-alerts': 'Warnungen: wohin jede Art geht und wie Wiederholungen zusammengefasst werden',
  'dash.overview.link-keys': 'API-Schlüssel für diesen Server',
  'dash.back': 'Alle Server',
};
