import type { levelsEn } from './en.ts';

/** pt-BR texts of the levels feature; same keys and placeholders as levelsEn. */
export const levelsPtBR: Record<keyof typeof levelsEn, string> = {};
