/**
 * The seam between the guild actor and its features now lives in
 * src/platform/feature.ts; these names stay for modules written against it.
 */
export type { GuildFeature, GuildHost as GuildFeatureHost } from '../platform/feature.ts';
