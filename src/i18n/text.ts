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

const LIST_KEYS = { comma: 'list.comma', semicolon: 'list.semicolon', line: 'list.line' } as const;

/**
 * Several values as one: joined with `list.comma` (", "), `list.semicolon`
 * ("; ", French " ; ") or `list.line` (one per line) once rendered. Empty is
 * the empty string.
 */
export function textList(items: readonly TextValue[], separator: 'comma' | 'semicolon' | 'line' = 'comma'): TextValue {
  if (items.length === 0) return '';
  const key = LIST_KEYS[separator];
  let out = items[items.length - 1]!;
  for (let i = items.length - 2; i >= 0; i--) out = text(key, { first: items[i]!, rest: out });
  return out;
}

/** A message value as text in `locale` (strings and numbers as they are). */
export const renderValue = (locale: string | null | undefined, v: TextValue): string => (isText(v) ? render(locale, v) : String(v));
