import type { faqEn } from './en.ts';

/** de texts of the faq feature; same keys and placeholders as faqEn. */
export const faqDe: Record<keyof typeof faqEn, string> = {};
