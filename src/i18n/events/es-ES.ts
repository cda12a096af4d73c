import type { eventsEn } from './en.ts';

/** es-ES texts of the events feature; same keys and placeholders as eventsEn. */
export const eventsEsES: Record<keyof typeof eventsEn, string> = {};
