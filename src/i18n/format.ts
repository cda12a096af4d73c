import { type MessageKey, t } from './index.ts';

const DAY_MS = 86_400_000;
const UNITS: ReadonlyArray<readonly [number, MessageKey]> = [
  [DAY_MS, 'duration.day'],
  [3_600_000, 'duration.hour'],
  [60_000, 'duration.minute'],
  [1000, 'duration.second'],
];

/**
 * A duration in words in `locale`, the largest two units ("1 minute 30
 * seconds"): the localized form of rules/automod-config.ts `formatDuration`,
 * which stays for stored English text.
 */
export function formatDurationIn(locale: string | null | undefined, ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [size, key] of UNITS) {
    if (rest >= size && parts.length < 2) {
      parts.push(t(locale, key, { n: Math.floor(rest / size) }));
      rest %= size;
    }
  }
  return parts.length > 0 ? parts.join(' ') : t(locale, 'duration.second', { n: 0 });
}
