import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.ts';
import { type AppLocale, CATALOGS, SHIPPED_LOCALES } from '../../src/i18n/index.ts';

/** The argument element types of intl-messageformat's AST (TYPE in @formatjs/icu-messageformat-parser). */
const ARG_TYPES: Record<number, string> = { 1: 'argument', 2: 'number', 3: 'date', 4: 'time', 5: 'select', 6: 'plural', 8: 'tag' };

interface Element {
  type: number;
  value?: string;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
  pluralType?: string;
}

/**
 * Every placeholder of a message, as `name:kind`, and every plural/select
 * problem found on the way (a plural key the locale's rules never produce, a
 * select without the branches English has).
 */
function shape(message: string, locale: AppLocale): { args: Set<string>; numeric: Set<string>; selects: Map<string, string[]>; plurals: string[][] } {
  const ast = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).getAst() as unknown as Element[];
  const args = new Set<string>();
  const numeric = new Set<string>();
  const selects = new Map<string, string[]>();
  const plurals: string[][] = [];
  const walk = (els: Element[]) => {
    for (const el of els) {
      const kind = ARG_TYPES[el.type];
      // A translation may count where English does not ({n} vs {n, plural, …}); a select must stay a select.
      if (kind && el.value !== undefined) args.add(`${el.value}:${kind === 'select' ? 'select' : 'value'}`);
      if ((kind === 'plural' || kind === 'number') && el.value !== undefined) numeric.add(el.value);
      if (kind === 'select') selects.set(el.value!, Object.keys(el.options ?? {}).sort());
      if (kind === 'plural') plurals.push(Object.keys(el.options ?? {}));
      for (const o of Object.values(el.options ?? {})) walk(o.value);
      if (el.children) walk(el.children);
    }
  };
  walk(ast);
  return { args, numeric, selects, plurals };
}

/** A value for every placeholder: a number where either message counts with it, else its name. */
const sample = (args: Set<string>, numeric: Set<string>) =>
  Object.fromEntries(
    [...args].map((a) => {
      const name = a.split(':')[0]!;
      return [name, numeric.has(name) ? 2 : name];
    }),
  );

describe('message catalog', () => {
  const keys = Object.keys(en).sort();

  it.each(SHIPPED_LOCALES.filter((l) => l !== 'en'))('%s has exactly the English keys', (locale) => {
    const theirs = Object.keys(CATALOGS[locale]).sort();
    expect({ missing: keys.filter((k) => !theirs.includes(k)), extra: theirs.filter((k) => !keys.includes(k)) }).toEqual({ missing: [], extra: [] });
  });

  it.each(SHIPPED_LOCALES.filter((l) => l !== 'en'))('%s uses the same placeholders, plural and select forms as English', (locale) => {
    const problems: string[] = [];
    for (const key of keys) {
      const message = (CATALOGS[locale] as Record<string, string | undefined>)[key];
      if (message === undefined) continue; // reported by the key test
      const want = shape(en[key as keyof typeof en], 'en');
      let got: ReturnType<typeof shape>;
      try {
        got = shape(message, locale);
      } catch (e) {
        problems.push(`${key}: does not parse: ${String(e)}`);
        continue;
      }
      const a = [...want.args].sort().join(', ');
      const b = [...got.args].sort().join(', ');
      if (a !== b) problems.push(`${key}: placeholders {${b}} instead of {${a}}`);
      for (const [name, branches] of want.selects) {
        const theirs = got.selects.get(name);
        if (theirs && theirs.join() !== branches.join()) problems.push(`${key}: select ${name} has [${theirs}] instead of [${branches}]`);
      }
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories as string[];
      for (const forms of got.plurals) {
        const bad = forms.filter((f) => !f.startsWith('=') && !categories.includes(f));
        if (bad.length) problems.push(`${key}: plural forms [${bad}] do not exist in ${locale} (${categories})`);
        if (!forms.includes('other')) problems.push(`${key}: plural without other`);
      }
      try {
        new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).format(sample(want.args, new Set([...want.numeric, ...got.numeric])));
      } catch (e) {
        problems.push(`${key}: ${String(e)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('English messages all parse and format', () => {
    const problems: string[] = [];
    for (const key of keys) {
      try {
        const { args, numeric } = shape(en[key as keyof typeof en], 'en');
        new IntlMessageFormat(en[key as keyof typeof en], 'en', undefined, { ignoreTag: true }).format(sample(args, numeric));
      } catch (e) {
        problems.push(`${key}: ${String(e)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps modal texts within 45 characters and button labels within 80 (Discord’s limits) in every locale', () => {
    const MODAL = ['ticket.modal.subject', 'ticket.modal.description', 'mod.appeal.modal.label', 'prot.answer.title', 'prot.answer.label'];
    const tooLong: string[] = [];
    for (const locale of SHIPPED_LOCALES) {
      for (const [key, message] of Object.entries(CATALOGS[locale])) {
        const limit = MODAL.includes(key) ? 45 : /\.button(\.|$)/.test(key) ? 80 : null;
        if (limit === null) continue;
        const { args, numeric } = shape(message, locale);
        const text = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).format(sample(args, new Set([...numeric, 'count']))) as string;
        if ([...text].length > limit) tooLong.push(`${locale} ${key}: ${[...text].length} > ${limit}`);
      }
    }
    expect(tooLong).toEqual([]);
  });
});
