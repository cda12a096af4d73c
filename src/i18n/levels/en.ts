/**
 * English texts of the levels feature (src/features/levels): spread into the
 * English catalog. Same rules as en.ts: ICU MessageFormat, typographic
 * apostrophes (’), Discord markup as plain text.
 */
export const levelsEn = {} as const satisfies Record<string, string>;
