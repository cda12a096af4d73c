import { GatewayDispatchEvents, GatewayIntentBits, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { type FeatureModule, lazyRoutes, NO_CLAIMS } from '../../platform/feature.ts';
import { ANALYTICS_FEATURE, ANALYTICS_JOBS, statsCommand } from './commands.ts';
import { ANALYTICS_SCHEMA } from './store.ts';

/** Loaded on first use, so Node scripts read these declarations without the Worker runtime. */
const route = lazyRoutes(() => import('./routes.ts').then((m) => m.ANALYTICS_HANDLERS));

/**
 * Join, leave, verification and invite analytics: counts pre-aggregated in
 * the guild actor, a dashboard page with live charts, CSV exports, per-invite
 * spike alerts with pause and resume. Its runtime part is built by the guild
 * actor (src/objects/guild.ts), which lends it the dashboard sockets.
 */
export const analytics: FeatureModule = {
  name: 'analytics',
  ...NO_CLAIMS,
  commands: [statsCommand],
  customIds: [ANALYTICS_FEATURE],
  jobs: Object.values(ANALYTICS_JOBS),
  // Resuming a paused invite creates one in its channel. Listing and deleting invites needs Manage Server, which
  // protection asks for (its invite tracking is where the invite counts come from: without it there is nothing to pause).
  permissions: P.CreateInstantInvite,
  events: [GatewayDispatchEvents.GuildMemberAdd, GatewayDispatchEvents.GuildMemberRemove],
  intents: GatewayIntentBits.GuildMembers,
  migrations: { guild: [{ name: 'analytics-schema', sql: ANALYTICS_SCHEMA }] },
  routes: [
    route('GET', '/dashboard/guilds/:id/analytics', 'page'),
    route('GET', '/api/dashboard/guilds/:id/analytics', 'api'),
    route('GET', '/api/dashboard/guilds/:id/analytics.csv', 'csv'),
    route('POST', '/api/dashboard/guilds/:id/analytics/invites/:code/pause', 'pause'),
    route('POST', '/api/dashboard/guilds/:id/analytics/invites/:code/resume', 'resume'),
    route('POST', '/api/dashboard/guilds/:id/analytics/spike', 'spike'),
    route('GET', '/dashboard/guilds/:id/live', 'live'),
  ],
};
