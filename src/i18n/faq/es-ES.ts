import type { faqEn } from './en.ts';

/** es-ES texts of the faq feature; same keys and placeholders as faqEn. */
export const faqEsES: Record<keyof typeof faqEn, string> = {};
