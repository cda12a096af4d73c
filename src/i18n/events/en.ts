/**
 * English texts of the events feature (src/features/events): spread into the
 * English catalog. Same rules as en.ts: ICU MessageFormat, typographic
 * apostrophes (’), Discord markup as plain text.
 */
export const eventsEn = {} as const satisfies Record<string, string>;
