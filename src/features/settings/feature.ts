import { type FeatureModule, lazyRoutes, NO_CLAIMS } from '../../platform/feature.ts';

/** Loaded on first use: the pages pull in every feature's rules. */
const route = lazyRoutes(() => import('./routes.ts').then((m) => m.HANDLERS));

/**
 * The dashboard's settings pages: one form per feature (tickets, moderation
 * and automod, anti-raid, verification, invites, levels, events, FAQ, game
 * servers, logging), checked by the rules the slash commands use and saved
 * through the REST API's versioned config calls in the guild actor, so a
 * stale form gets "changed by X" instead of overwriting. It has no part
 * inside the guild actor of its own.
 */
export const settings: FeatureModule = {
  name: 'settings',
  ...NO_CLAIMS,
  routes: [
    route('GET', '/dashboard/guilds/:id/settings', 'list'),
    route('GET', '/dashboard/guilds/:id/settings/:section', 'show'),
    route('POST', '/dashboard/guilds/:id/settings/:section', 'save'),
  ],
};
