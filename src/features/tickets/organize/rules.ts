import { err, ok, type Result } from '../../../lib/result.ts';

/**
 * Saved replies (snippets), tags and transfers: the pure rules. A snippet is
 * a named template staff send with `/ticket reply` or from the inbox; tags
 * are short labels staff put on tickets to find them again; a transfer moves
 * a ticket to another panel category (its staff, targets and place).
 */

export const MAX_SNIPPETS = 100;
export const MAX_SNIPPET_NAME = 32;
/** Discord's message limit, less room for the "— name:" prefix a named reply gets. */
export const MAX_SNIPPET_CONTENT = 1800;
export const MAX_TAGS_PER_TICKET = 10;
export const MAX_TAG_LENGTH = 24;

/** What a reply may name in braces, filled from the ticket when it is sent. */
export const PLACEHOLDERS = ['user', 'user.name', 'staff', 'ticket', 'subject', 'type', 'severity', 'assignee', 'category'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

export type SnippetRefusal =
  | { code: 'bad-name'; max: number }
  | { code: 'empty-content' }
  | { code: 'content-too-long'; length: number; max: number }
  | { code: 'unknown-placeholder'; name: string }
  | { code: 'full'; max: number };

/** `{word}` or `{word.word}`: anything else in braces is left as typed (a code sample, an emoticon). */
const PLACEHOLDER = /\{([a-z]+(?:\.[a-z]+)?)\}/g;

/** A snippet's name as staff type it: 1–32 characters of letters, digits, spaces, `-` and `_`, trimmed, case kept. */
export function checkSnippetName(raw: string): Result<string, SnippetRefusal> {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0 || [...name].length > MAX_SNIPPET_NAME || !/^[\p{L}\p{N} _-]+$/u.test(name)) return err({ code: 'bad-name', max: MAX_SNIPPET_NAME });
  return ok(name);
}

/** A template refuses placeholders that do not exist, so a typo shows when it is saved, not when a member reads `{usr}`. */
export function checkSnippetContent(raw: string): Result<string, SnippetRefusal> {
  const content = raw.trim();
  if (!content) return err({ code: 'empty-content' });
  if (content.length > MAX_SNIPPET_CONTENT) return err({ code: 'content-too-long', length: content.length, max: MAX_SNIPPET_CONTENT });
  for (const m of content.matchAll(PLACEHOLDER)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) return err({ code: 'unknown-placeholder', name: m[0] });
  }
  return ok(content);
}

/** Fills every known placeholder; unknown braces stay as they are (inbox replies are free text). */
export function fillPlaceholders(template: string, values: PlaceholderValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => ((PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole));
}

/** Whether a text names `{staff}` (whose value depends on the guild's anonymity switch). */
export const namesStaff = (text: string): boolean => text.includes('{staff}');

export type TagRefusal =
  | { code: 'bad-tag'; max: number }
  | { code: 'tag-present'; tag: string }
  | { code: 'tag-absent'; tag: string }
  | { code: 'too-many-tags'; max: number };

/** Tags are compared as typed by anyone: lower case, single spaces; letters, digits, spaces, `-` and `_`, 1–24 characters. */
export function normalizeTag(raw: string): Result<string, TagRefusal> {
  const tag = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (tag.length === 0 || [...tag].length > MAX_TAG_LENGTH || !/^[\p{L}\p{N} _-]+$/u.test(tag)) return err({ code: 'bad-tag', max: MAX_TAG_LENGTH });
  return ok(tag);
}

/** A ticket's tags after adding or removing one (sorted, so the same set always looks the same). */
export function retag(tags: readonly string[], tag: string, on: boolean): Result<string[], TagRefusal> {
  const has = tags.includes(tag);
  if (on && has) return err({ code: 'tag-present', tag });
  if (!on && !has) return err({ code: 'tag-absent', tag });
  if (on && tags.length >= MAX_TAGS_PER_TICKET) return err({ code: 'too-many-tags', max: MAX_TAGS_PER_TICKET });
  return ok(on ? [...tags, tag].sort() : tags.filter((t) => t !== tag));
}

/** A tag refusal as a message's select key (ICU select keys cannot hold hyphens). */
export const tagReason = (code: TagRefusal['code']): string =>
  ({ 'bad-tag': 'bad', 'tag-present': 'present', 'tag-absent': 'absent', 'too-many-tags': 'full' })[code];
