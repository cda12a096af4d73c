import type { eventsEn } from './en.ts';

/** fr texts of the events feature; same keys and placeholders as eventsEn. */
export const eventsFr: Record<keyof typeof eventsEn, string> = {};
