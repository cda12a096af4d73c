import type { levelsEn } from './en.ts';

/** es-ES texts of the levels feature; same keys and placeholders as levelsEn. */
export const levelsEsES: Record<keyof typeof levelsEn, string> = {};
