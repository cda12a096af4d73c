import { DAY_MS } from '../../../discord/snowflake.ts';
import { render, type Text, text } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';

/**
 * Durations, the one module: parsing what staff type ("10m", "1h30m", "2d")
 * and saying a duration in words. Errors and words are message values
 * (`Text`), rendered in the reader's locale with its plural rules;
 * src/discord/hierarchy.ts re-exports the parser.
 */

/** Discord's longest timeout. */
export const MAX_TIMEOUT_MS = 28 * DAY_MS;

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/** Parses "10m", "1h30m", "2d", "45s" or "1w" into milliseconds. */
export function parseDuration(input: string): Result<number, Text> {
  const s = input.trim().toLowerCase().replace(/\s+/g, '');
  if (!/^(\d{1,6}[smhdw])+$/.test(s)) return err(text('rule.duration.bad', { text: input }));
  let ms = 0;
  for (const m of s.matchAll(/(\d+)([smhdw])/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms > 0 ? ok(ms) : err(text('rule.duration.zero'));
}

/** A timeout lasts from 1 second to 28 days (Discord's limit). */
export function checkTimeoutDuration(ms: number): Result<number, Text> {
  if (!Number.isFinite(ms) || ms < 1000) return err(text('rule.timeout.too-short'));
  if (ms > MAX_TIMEOUT_MS) return err(text('rule.timeout.too-long', { asked: durationText(ms) }));
  return ok(ms);
}

const UNITS = [
  [DAY_MS, 'duration.day'],
  [3_600_000, 'duration.hour'],
  [60_000, 'duration.minute'],
  [1000, 'duration.second'],
] as const;

/** A duration in words, the largest two units ("1 minute 30 seconds"), as a message value. */
export function durationText(ms: number): Text {
  const parts: Text[] = [];
  let rest = Math.round(ms);
  for (const [size, key] of UNITS) {
    if (rest >= size && parts.length < 2) {
      parts.push(text(key, { n: Math.floor(rest / size) }));
      rest %= size;
    }
  }
  if (parts.length === 0) return text('duration.second', { n: 0 });
  return parts.length === 1 ? parts[0]! : text('duration.pair', { first: parts[0]!, second: parts[1]! });
}

/** A duration in words in `locale` (plural rules of that language). */
export const formatDurationIn = (locale: string | null | undefined, ms: number): string => render(locale, durationText(ms));

/** A duration in English words, for text that is stored (infraction reasons, rule descriptions). */
export const formatDuration = (ms: number): string => formatDurationIn('en', ms);
