import type { eventsEn } from './en.ts';

/** de texts of the events feature; same keys and placeholders as eventsEn. */
export const eventsDe: Record<keyof typeof eventsEn, string> = {};
