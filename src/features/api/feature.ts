import { type FeatureModule, type FeatureRoute, lazyRoutes, NO_CLAIMS } from '../../platform/feature.ts';
import { SECTION_NAMES } from '../settings/names.ts';
import { API_MIGRATIONS, GuildApi } from './guild-api.ts';

/** Loaded on first use (routes.ts reads the feature list, which lists this module). */
const route = lazyRoutes(() => import('./routes.ts').then((m) => m.HANDLERS));

const V1 = '/api/v1/guilds/:guildId';

/** Every route of the REST API: the OpenAPI document must describe each one (test/features/api/contract.test.ts). */
export const API_ROUTES: readonly FeatureRoute[] = [
  route('GET', '/api/openapi.json', 'openapi'),
  route('GET', `${V1}/config`, 'getConfig'),
  ...SECTION_NAMES.map((s) => route('PATCH', `${V1}/config/${s}`, `patch-config-${s}`)),
  route('GET', `${V1}/stats`, 'getStats'),
  route('GET', `${V1}/analytics`, 'getAnalytics'),
  route('GET', `${V1}/moderation/cases`, 'getCases'),
  route('GET', `${V1}/moderation/approvals`, 'getApprovals'),
  route('POST', `${V1}/moderation/approvals/:approvalId`, 'decideApproval'),
  route('GET', `${V1}/members/:userId`, 'getMember'),
  route('GET', `${V1}/leaderboard`, 'getLeaderboard'),
  route('GET', `${V1}/tickets`, 'getTickets'),
  route('POST', `${V1}/tickets`, 'createTicket'),
  route('PATCH', `${V1}/tickets/:number`, 'patchTicket'),
  route('GET', '/api/dashboard/guilds/:id/keys', 'listKeys'),
  route('POST', '/api/dashboard/guilds/:id/keys', 'createKey'),
  route('DELETE', '/api/dashboard/guilds/:id/keys/:keyId', 'revokeKey'),
];

/**
 * The REST API per guild (/api/v1/guilds/:guildId/…): configuration,
 * statistics, the moderation log and approvals, members' levels, the
 * leaderboard and tickets, for a dashboard session or a per-guild key
 * (hashed, scoped, rate-limited in the guild actor); the keys page; and the
 * OpenAPI document at /api/openapi.json.
 */
export const api: FeatureModule = {
  name: 'api',
  ...NO_CLAIMS,
  migrations: { guild: API_MIGRATIONS },
  routes: [
    ...API_ROUTES,
    route('GET', '/dashboard/guilds/:id/keys', 'keysPageGet'),
    route('POST', '/dashboard/guilds/:id/keys', 'keysPageCreate'),
    route('POST', '/dashboard/guilds/:id/keys/:keyId/revoke', 'keysPageRevoke'),
  ],
  guild: (host) => new GuildApi(host),
};
