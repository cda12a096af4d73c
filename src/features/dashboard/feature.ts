import { type FeatureModule, lazyRoutes, NO_CLAIMS } from '../../platform/feature.ts';

/** Loaded on first use (routes.ts reads the feature list, which lists this module). */
const route = lazyRoutes(() => import('./routes.ts').then((m) => m.HANDLERS));

/**
 * The web dashboard, part 1: Login with Discord (OAuth2 authorization code +
 * PKCE), sessions in a SessionActor per user, the server picker and a guild's
 * overview, with the user's right to manage each guild asked of Discord on
 * every request. It has no part inside the guild actor.
 */
export const dashboard: FeatureModule = {
  name: 'dashboard',
  ...NO_CLAIMS,
  routes: [
    route('GET', '/dashboard', 'dashboard'),
    route('GET', '/dashboard/callback', 'callback'),
    route('GET', '/dashboard/guilds/:id', 'overviewPage'),
    route('POST', '/dashboard/logout', 'logout'),
    route('POST', '/dashboard/logout-everywhere', 'logoutEverywhere'),
    route('GET', '/api/dashboard/guilds/:id/overview', 'overviewApi'),
  ],
};
