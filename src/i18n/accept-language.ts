import { type AppLocale, SHIPPED_LOCALES } from './index.ts';

/**
 * The shipped locale a browser asks for in `Accept-Language` ("de-CH,de;q=0.9,
 * en;q=0.8" → German): languages in order of their q weight, the first one
 * Guildkeep ships (exactly, or by language), else English.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): AppLocale {
  if (!header) return 'en';
  const asked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag!.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((a) => a.tag && a.tag !== '*' && Number.isFinite(a.q) && a.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of asked) {
    const exact = SHIPPED_LOCALES.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    const lang = tag.split('-')[0];
    const same = SHIPPED_LOCALES.find((l) => l.split('-')[0]!.toLowerCase() === lang);
    if (same) return same;
  }
  return 'en';
}
