/**
 * English texts of the dashboard (src/features/dashboard): spread into the
 * English catalog. Same rules as en.ts: ICU MessageFormat, typographic
 * apostrophes (’).
 */
export const dashboardEn = {
  'dash.title': 'Guildkeep dashboard',
  'dash.setup.title': 'The dashboard is not set up yet',
  'dash.setup.missing': 'Set {count, plural, one {this secret} other {these secrets}} to turn on Login with Discord: {names}.',
  'dash.setup.how':
    'Use wrangler secret put NAME (or .dev.vars for local runs). DISCORD_CLIENT_SECRET is in the Discord Developer Portal under OAuth2, where {redirect} must also be added as a redirect; SESSION_SECRET is any long random string.',
  'dash.signed-in': 'Signed in as {name}',
  'dash.picker.open': 'Your servers with Guildkeep',
  'dash.picker.open-none': 'None of the servers you manage has Guildkeep yet.',
  'dash.picker.add': 'Add Guildkeep to a server you manage',
  'dash.picker.add-link': 'Add to server',
  'dash.logout': 'Log out',
  'dash.logout-everywhere': 'Log out everywhere',
  'dash.logged-out': 'You are logged out.',
  'dash.logged-out-everywhere': 'You are logged out on every device, and Guildkeep’s access to your Discord account is revoked.',
  'dash.login': 'Log in with Discord',
  'dash.login.cancelled': 'The login was cancelled at Discord.',
  'dash.login.failed': 'The login could not be completed. Please try again.',
  'dash.unavailable': 'Discord could not be reached. Please try again in a moment.',
  'dash.forbidden': 'You can’t manage this server, or Guildkeep is not in it.',
  'dash.overview.features': 'Features',
  'dash.overview.open-tickets': 'Open tickets',
  'dash.overview.members': 'Members',
  'dash.overview.unknown': 'not known yet',
  'dash.overview.link-alerts': 'Alerts: where each kind goes, and how repeats fold',
  'dash.overview.link-keys': 'API keys for this server',
  'dash.back': 'All servers',
};
