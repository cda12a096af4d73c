import { IntlMessageFormat } from 'intl-messageformat';
import { de } from './de.ts';
import { en, type MessageKey } from './en.ts';
import { esES } from './es-ES.ts';
import { fr } from './fr.ts';
import { ptBR } from './pt-BR.ts';

export type { MessageKey } from './en.ts';

/** The locales Guildkeep ships, by Discord's locale codes (English is Discord's `en-US`/`en-GB`, kept as `en`). */
export const SHIPPED_LOCALES = ['en', 'de', 'es-ES', 'pt-BR', 'fr'] as const;
export type AppLocale = (typeof SHIPPED_LOCALES)[number];

/** Every catalog, English first; the others are typed by English's keys, so a missing key fails the typecheck too. */
export const CATALOGS: Readonly<Record<AppLocale, Readonly<Record<MessageKey, string>>>> = { en, de, 'es-ES': esES, 'pt-BR': ptBR, fr };

/** Values a message may take: ids and names as strings, counts as numbers (plural rules need numbers). */
export type MessageValues = Readonly<Record<string, string | number>>;

/**
 * The shipped locale for a Discord locale: an exact match, else the same
 * language (`es-419` → Spanish, `pt` → Brazilian Portuguese, `en-GB` → English),
 * else English.
 */
export function resolveLocale(locale: string | null | undefined): AppLocale {
  if (!locale) return 'en';
  const exact = SHIPPED_LOCALES.find((l) => l.toLowerCase() === locale.toLowerCase());
  if (exact) return exact;
  const lang = locale.split('-')[0]!.toLowerCase();
  return SHIPPED_LOCALES.find((l) => l.split('-')[0] === lang) ?? 'en';
}

// Discord markup (`<@id>`, `<#id>`, `<t:…:R>`) is text, not ICU rich-text tags.
const OPTIONS = { ignoreTag: true } as const;
const compiled = new Map<string, IntlMessageFormat>();

function format(locale: AppLocale, key: MessageKey): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let f = compiled.get(id);
  if (!f) {
    f = new IntlMessageFormat(CATALOGS[locale][key], locale, undefined, OPTIONS);
    compiled.set(id, f);
  }
  return f;
}

/**
 * The message `key` in the locale closest to `locale`, with `values` filled in.
 * Never throws: a message that cannot be formatted in that locale falls back to
 * English, and failing that to the key itself (the catalog test is what keeps
 * placeholders in step; this only keeps a reply going out).
 */
export function t(locale: string | null | undefined, key: MessageKey, values: MessageValues = {}): string {
  const target = resolveLocale(locale);
  for (const l of target === 'en' ? (['en'] as const) : [target, 'en' as const]) {
    try {
      const out = format(l, key).format(values);
      if (typeof out === 'string') return out;
      return (Array.isArray(out) ? out : [out]).map(String).join('');
    } catch (e) {
      // Only the key and the error: values can hold member text.
      console.error(`i18n: ${l} ${key}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return key;
}

/** A function bound to one locale, for code that renders many messages for the same reader. */
export const translator =
  (locale: string | null | undefined) =>
  (key: MessageKey, values?: MessageValues): string =>
    t(locale, key, values);
export type Translate = ReturnType<typeof translator>;

/** The locale of the person who sent an interaction (PING has none). */
export const localeOf = (i: object): string | undefined => ('locale' in i && typeof i.locale === 'string' ? i.locale : undefined);

/** The guild's locale as an interaction reports it (absent in DMs). */
export const guildLocaleOf = (i: object): string | undefined => ('guild_locale' in i && typeof i.guild_locale === 'string' ? i.guild_locale : undefined);
