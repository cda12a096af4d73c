import type { faqEn } from './en.ts';

/** fr texts of the faq feature; same keys and placeholders as faqEn. */
export const faqFr: Record<keyof typeof faqEn, string> = {};
