import { describe, expect, it } from 'vitest';
import { checkTimeoutDuration, formatDurationIn, parseDuration } from '../../src/features/moderation/rules/duration.ts';
import { issueChallenge, normalizeAnswer } from '../../src/features/protection/rules/verification.ts';
import { localeFromAcceptLanguage } from '../../src/i18n/accept-language.ts';
import { SHIPPED_LOCALES } from '../../src/i18n/index.ts';
import { NUMBER_WORDS, numberSpellings, numberWord } from '../../src/i18n/number-words.ts';
import { render } from '../../src/i18n/text.ts';

// Pure rules answer with catalog messages, not English sentences: the reply
// boundary renders them in the reader's language.

/** A deterministic source of randomness, so each locale is asked the same question. */
const seeded = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

describe('rule errors as messages', () => {
  it('renders a duration refusal in each shipped language, with the nested duration in the same language', () => {
    const bad = parseDuration('ten minutes');
    expect(bad.ok).toBe(false);
    const tooLong = checkTimeoutDuration(30 * 86_400_000);
    expect(tooLong.ok).toBe(false);
    if (bad.ok || tooLong.ok) return;
    const rendered = SHIPPED_LOCALES.map((l) => render(l, tooLong.error));
    expect(new Set(rendered).size).toBe(SHIPPED_LOCALES.length);
    for (const l of SHIPPED_LOCALES) {
      expect(render(l, bad.error)).toContain('ten minutes');
      expect(render(l, tooLong.error)).toContain(formatDurationIn(l, 30 * 86_400_000));
    }
    expect(render('de', tooLong.error)).toMatch(/30 Tage/);
    expect(render('en', tooLong.error)).toMatch(/30 days/);
  });

  it('parses what it formats', () => {
    const r = parseDuration('1h30m');
    expect(r.ok && r.value).toBe(5_400_000);
    expect(formatDurationIn('en', 5_400_000)).toBe('1 hour 30 minutes');
    expect(formatDurationIn('fr', 5_400_000)).not.toBe('1 hour 30 minutes');
  });
});

describe('verification questions in the member’s language', () => {
  it('asks in German with German number words and accepts the German word, the English word or the digits', () => {
    let asked = 0;
    for (let seed = 1; seed < 200 && asked < 3; seed++) {
      const de = issueChallenge('question', seeded(seed), 0, 60_000, 'de');
      if (de.view.kind !== 'question' || !/plus|minus/.test(de.view.prompt)) continue;
      asked++;
      const en = issueChallenge('question', seeded(seed), 0, 60_000, 'en-US');
      expect(de.view.prompt).not.toBe(en.view.kind === 'question' ? en.view.prompt : '');
      expect(de.view.prompt).toMatch(/^Was ist /);
      const digits = de.stored.answers.find((a) => /^\d+$/.test(a))!;
      const n = Number(digits);
      expect(de.stored.answers).toContain(normalizeAnswer(numberWord('de', n)));
      expect(de.stored.answers).toContain(normalizeAnswer(numberWord('en', n)));
    }
    expect(asked).toBe(3);
  });

  it('has a word for every number 0–20 in every language, and accepts English spellings everywhere', () => {
    for (const l of SHIPPED_LOCALES) {
      expect(NUMBER_WORDS[l]).toHaveLength(21);
      for (let n = 0; n <= 20; n++) expect(numberSpellings(l, n)).toContain(numberWord('en', n));
    }
    expect(numberWord('es-ES', 7)).toBe('siete');
    expect(numberWord('pt-BR', 2)).toBe('dois');
  });
});

describe('Accept-Language for the appeal page', () => {
  it('picks the first shipped language by weight, by language when the region differs, else English', () => {
    expect(localeFromAcceptLanguage('de-CH,de;q=0.9,en;q=0.8')).toBe('de');
    expect(localeFromAcceptLanguage('ja,fr-CA;q=0.8,en;q=0.5')).toBe('fr');
    expect(localeFromAcceptLanguage('en;q=0.3, pt-PT;q=0.9')).toBe('pt-BR');
    expect(localeFromAcceptLanguage('es-MX')).toBe('es-ES');
    expect(localeFromAcceptLanguage('ja, zh;q=0.5')).toBe('en');
    expect(localeFromAcceptLanguage('fr;q=0, de;q=0.1')).toBe('de');
    expect(localeFromAcceptLanguage(undefined)).toBe('en');
    expect(localeFromAcceptLanguage('*')).toBe('en');
  });
});
