import type { faqEn } from './en.ts';

/** pt-BR texts of the faq feature; same keys and placeholders as faqEn. */
export const faqPtBR: Record<keyof typeof faqEn, string> = {};
