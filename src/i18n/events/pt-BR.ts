import type { eventsEn } from './en.ts';

/** pt-BR texts of the events feature; same keys and placeholders as eventsEn. */
export const eventsPtBR: Record<keyof typeof eventsEn, string> = {};
