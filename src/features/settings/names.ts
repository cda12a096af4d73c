/** The settings sections, one per feature (a module of its own: route tables list them without loading the rules). */
export const SECTION_NAMES = ['tickets', 'moderation', 'antiraid', 'verification', 'invites', 'levels', 'events', 'faq', 'servers', 'logging'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];
export const isSectionName = (s: string): s is SectionName => (SECTION_NAMES as readonly string[]).includes(s);
