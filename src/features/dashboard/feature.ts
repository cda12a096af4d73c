import type { FeatureModule, FeatureRoute } from '../../platform/feature.ts';
import type { HANDLERS } from './routes.ts';

/** A route whose handler is loaded on first use (routes.ts reads the feature list, which lists this module). */
const route = (method: FeatureRoute['method'], path: string, name: keyof typeof HANDLERS): FeatureRoute => ({
  method,
  path,
  handle: async (req, env) => (await import('./routes.ts')).HANDLERS[name](req, env),
});

/**
 * The web dashboard, part 1: Login with Discord (OAuth2 authorization code +
 * PKCE), sessions in a SessionActor per user, the server picker and a guild's
 * overview, with the user's right to manage each guild asked of Discord on
 * every request. It has no part inside the guild actor.
 */
export const dashboard: FeatureModule = {
  name: 'dashboard',
  commands: [],
  customIds: [],
  autocomplete: [],
  jobs: [],
  timers: [],
  events: [],
  intents: 0,
  permissions: 0n,
  migrations: {},
  routes: [
    route('GET', '/dashboard', 'dashboard'),
    route('GET', '/dashboard/callback', 'callback'),
    route('GET', '/dashboard/guilds/:id', 'overviewPage'),
    route('POST', '/dashboard/logout', 'logout'),
    route('POST', '/dashboard/logout-everywhere', 'logoutEverywhere'),
    route('GET', '/api/dashboard/guilds/:id/overview', 'overviewApi'),
  ],
};
