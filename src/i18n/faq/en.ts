/**
 * English texts of the faq feature (src/features/faq): spread into the
 * English catalog. Same rules as en.ts: ICU MessageFormat, typographic
 * apostrophes (’), Discord markup as plain text.
 */
export const faqEn = {} as const satisfies Record<string, string>;
