import type { MessageKey } from './en.ts';
import { t } from './index.ts';

/**
 * A message as a value: a catalog key and its values, which may themselves be
 * messages. Pure rule modules (automod, ladder, durations, regex checks)
 * return these instead of English sentences; the reply boundary renders them
 * in the reader's locale with `render`.
 */
export interface Text {
  readonly key: MessageKey;
  readonly values?: Readonly<Record<string, TextValue>>;
}
export type TextValue = string | number | Text;

export const text = (key: MessageKey, values?: Readonly<Record<string, TextValue>>): Text => (values ? { key, values } : { key });

const isText = (v: TextValue): v is Text => typeof v === 'object' && v !== null && 'key' in v;

/** `message` in `locale`, nested messages rendered first in the same locale. */
export function render(locale: string | null | undefined, message: Text): string {
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(message.values ?? {})) values[k] = isText(v) ? render(locale, v) : v;
  return t(locale, message.key, values);
}
