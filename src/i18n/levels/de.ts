import type { levelsEn } from './en.ts';

/** de texts of the levels feature; same keys and placeholders as levelsEn. */
export const levelsDe: Record<keyof typeof levelsEn, string> = {};
