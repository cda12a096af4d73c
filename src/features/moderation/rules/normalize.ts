/**
 * Text folding for matching, so the usual evasions (zero-width characters,
 * fullwidth or "fancy" letters, accents, Cyrillic and Greek look-alikes,
 * leetspeak) do not get a word past a blocked-word list.
 */

// Zero-width and formatting characters that render as nothing.
const INVISIBLE_CLASS = '[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]';
const INVISIBLE = new RegExp(INVISIBLE_CLASS, 'g');
const ANY_INVISIBLE = new RegExp(INVISIBLE_CLASS);
const MARKS = /\p{M}+/gu;

/** Look-alikes that NFKC leaves alone, mapped to the Latin letter they imitate. */
export const HOMOGLYPHS: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  с: 'c',
  е: 'e',
  һ: 'h',
  і: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  ѕ: 's',
  т: 't',
  у: 'y',
  х: 'x',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
};

const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

export const stripInvisible = (s: string): string => s.replace(INVISIBLE, '');

export const hasInvisible = (s: string): boolean => ANY_INVISIBLE.test(s);

/** Lower case, compatibility-folded (NFKC), accents and invisible characters removed, look-alikes mapped to Latin. */
export function foldText(s: string): string {
  const base = stripInvisible(s).normalize('NFKC').toLowerCase().normalize('NFD').replace(MARKS, '');
  let out = '';
  for (const ch of base) out += HOMOGLYPHS[ch] ?? ch;
  return out;
}

/**
 * `foldText` plus leetspeak read as letters ("fr33 n1tr0" → "free nitro"),
 * only inside words that have a letter, so plain numbers stay numbers.
 */
export function foldLeet(folded: string): string {
  return folded.replace(/[\p{L}\p{N}@$]+/gu, (w) => {
    if (!/\p{L}/u.test(w)) return w;
    let out = '';
    for (const ch of w) out += LEET[ch] ?? ch;
    return out;
  });
}

/** Words of folded text: runs of letters and digits. */
export function words(folded: string): string[] {
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** 32-bit FNV-1a of folded text (from `foldText`), whitespace collapsed: the duplicate-message key. */
export function contentKey(folded: string): number {
  const t = folded.replace(/\s+/g, ' ').trim();
  let h = 0x811c9dc5;
  for (let i = 0; i < t.length; i++) {
    h ^= t.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
