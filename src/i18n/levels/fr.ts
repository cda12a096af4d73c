import type { levelsEn } from './en.ts';

/** fr texts of the levels feature; same keys and placeholders as levelsEn. */
export const levelsFr: Record<keyof typeof levelsEn, string> = {};
