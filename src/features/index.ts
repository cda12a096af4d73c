import { core } from '../platform/core.ts';
import type { FeatureModule } from '../platform/feature.ts';
import { alerts } from './alerts/feature.ts';
import { analytics } from './analytics/feature.ts';
import { api } from './api/feature.ts';
import { dashboard } from './dashboard/feature.ts';
import { diagnostics } from './diagnostics/feature.ts';
import { events } from './events/feature.ts';
import { faq } from './faq/feature.ts';
import { governance } from './governance/feature.ts';
import { levels } from './levels/feature.ts';
import { moderation } from './moderation/feature.ts';
import { protection } from './protection/feature.ts';
import { review } from './review/feature.ts';
import { servers } from './servers/feature.ts';
import { settings } from './settings/feature.ts';
import { telegram } from './telegram/feature.ts';
import { tickets } from './tickets/feature.ts';

/**
 * Every feature, in the order the guild actor hands them gateway events
 * (tickets' transcript first, then protection, then moderation). Adding a
 * feature is adding it here; its claims are checked against the others' when
 * the Worker loads (src/index.ts) and in test/platform/claims.test.ts.
 */
export const FEATURES: readonly FeatureModule[] = [
  tickets,
  protection,
  moderation,
  servers,
  levels,
  events,
  faq,
  diagnostics,
  dashboard,
  telegram,
  api,
  governance,
  alerts,
  review,
  analytics,
  settings,
];

/** The guild's own part and every feature: what the guild actor hosts, the gateway listens for and the invite asks for. */
export const MODULES: readonly FeatureModule[] = [core, ...FEATURES];
