import { err, ok, type Result } from '../../../lib/result.ts';
import { checkDraft, type DraftProblem, FAQ_LIMITS, type FaqDraft } from './entry.ts';

/**
 * Importing a knowledge base from a file: JSON (an array of {question,
 * phrasings?, answer, tags?}) or Markdown (`## Question` headings, an
 * optional "Also:" line or list of other phrasings, an optional "Tags:" line,
 * then the answer). A file either parses whole or is refused with the entry
 * or line that is wrong: an import never half-applies.
 */

export type ImportFormat = 'json' | 'markdown';

export type ImportIssue =
  | { code: 'not-json'; detail: string }
  | { code: 'not-array' }
  | { code: 'empty' }
  | { code: 'too-many'; max: number }
  | { code: 'not-object' }
  | { code: 'bad-field'; field: string }
  | { code: 'text-before-question' }
  | { code: 'draft'; problem: DraftProblem };

/** Where the problem is: an entry of a JSON array (1-based) or a line of a Markdown file (1-based). */
export interface ImportProblem {
  at: { entry: number } | { line: number } | null;
  issue: ImportIssue;
}

const fail = (at: ImportProblem['at'], issue: ImportIssue) => err<ImportProblem>({ at, issue });

/** The format a file's name or content type names; null when it is neither. */
export function formatOf(filename: string, contentType?: string | null): ImportFormat | null {
  const name = filename.toLowerCase();
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.md') || name.endsWith('.markdown')) return 'markdown';
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'text/markdown') return 'markdown';
  return null;
}

export function parseImport(format: ImportFormat, text: string): Result<FaqDraft[], ImportProblem> {
  return format === 'json' ? parseJsonImport(text) : parseMarkdownImport(text);
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function parseJsonImport(text: string): Result<FaqDraft[], ImportProblem> {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return fail(null, { code: 'not-json', detail: e instanceof Error ? e.message.slice(0, 120) : 'invalid' });
  }
  if (!Array.isArray(raw)) return fail(null, { code: 'not-array' });
  if (raw.length === 0) return fail(null, { code: 'empty' });
  if (raw.length > FAQ_LIMITS.entries) return fail(null, { code: 'too-many', max: FAQ_LIMITS.entries });
  const out: FaqDraft[] = [];
  for (const [n, item] of raw.entries()) {
    const at = { entry: n + 1 };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return fail(at, { code: 'not-object' });
    const o = item as Record<string, unknown>;
    if (typeof o.question !== 'string') return fail(at, { code: 'bad-field', field: 'question' });
    if (typeof o.answer !== 'string') return fail(at, { code: 'bad-field', field: 'answer' });
    if (o.phrasings !== undefined && !strings(o.phrasings)) return fail(at, { code: 'bad-field', field: 'phrasings' });
    if (o.tags !== undefined && !strings(o.tags)) return fail(at, { code: 'bad-field', field: 'tags' });
    const checked = checkDraft({ question: o.question, answer: o.answer, phrasings: (o.phrasings as string[]) ?? [], tags: (o.tags as string[]) ?? [] });
    if (!checked.ok) return fail(at, { code: 'draft', problem: checked.error });
    out.push(checked.value);
  }
  return ok(out);
}

const HEADING = /^##\s+(.*)$/;
const ALSO = /^(?:also|other phrasings|phrasings)\s*:\s*(.*)$/i;
const TAGS = /^tags\s*:\s*(.*)$/i;
const ITEM = /^\s*[-*]\s+(.*)$/;

export function parseMarkdownImport(text: string): Result<FaqDraft[], ImportProblem> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const sections: { line: number; question: string; body: string[] }[] = [];
  for (const [n, line] of lines.entries()) {
    const h = HEADING.exec(line);
    if (h) {
      sections.push({ line: n + 1, question: h[1]!.replace(/\s*#+\s*$/, ''), body: [] });
      continue;
    }
    const current = sections.at(-1);
    if (current) current.body.push(line);
    // Before the first question only blank lines and a `# Title` are allowed.
    else if (line.trim() && !/^#\s/.test(line)) return fail({ line: n + 1 }, { code: 'text-before-question' });
  }
  if (sections.length === 0) return fail(null, { code: 'empty' });
  if (sections.length > FAQ_LIMITS.entries) return fail(null, { code: 'too-many', max: FAQ_LIMITS.entries });
  const out: FaqDraft[] = [];
  for (const s of sections) {
    const body = [...s.body];
    const phrasings: string[] = [];
    let tags: string[] = [];
    // Header lines (Also:, its list, Tags:) come before the answer, blank lines aside.
    for (;;) {
      while (body.length && !body[0]!.trim()) body.shift();
      const first = body[0] ?? '';
      const also = ALSO.exec(first.trim());
      const tagLine = TAGS.exec(first.trim());
      if (also) {
        body.shift();
        if (also[1]!.trim()) phrasings.push(...also[1]!.split(';'));
        else
          while (body.length && ITEM.test(body[0]!)) {
            phrasings.push(ITEM.exec(body.shift()!)![1]!);
          }
      } else if (tagLine) {
        body.shift();
        tags = tagLine[1]!.split(',');
      } else break;
    }
    const checked = checkDraft({ question: s.question, phrasings, tags, answer: body.join('\n') });
    if (!checked.ok) return fail({ line: s.line }, { code: 'draft', problem: checked.error });
    out.push(checked.value);
  }
  return ok(out);
}
