import { err, ok, type Result } from '../../../lib/result.ts';

/**
 * What one FAQ entry may hold. The sizes follow where the entry is shown:
 * the question is an embed title (Discord allows 256), the answer an embed
 * description (4,096) and a modal text input (4,000).
 */
export const FAQ_LIMITS = {
  entries: 500,
  question: 200,
  phrasings: 10,
  phrasing: 200,
  answer: 4000,
  tags: 10,
  tag: 32,
} as const;

/** An entry as staff write it, before it is stored. */
export interface FaqDraft {
  question: string;
  phrasings: string[];
  answer: string;
  tags: string[];
}

export interface FaqEntry extends FaqDraft {
  id: number;
}

/** Which field of a draft is wrong, and how. */
export interface DraftProblem {
  field: 'question' | 'phrasings' | 'answer' | 'tags';
  issue: 'empty' | 'too-long' | 'too-many';
  max: number;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** "Other phrasings" as typed in the form: one per line, blanks and repeats dropped. */
export function parseLines(text: string): string[] {
  return unique(text.split(/\r?\n/).map(collapse).filter(Boolean));
}

/** Tags as typed: separated by commas (or new lines), lower-cased, without a leading #. */
export function parseTags(text: string): string[] {
  return unique(
    text
      .split(/[,\n]/)
      .map((s) => collapse(s).replace(/^#/, '').toLowerCase())
      .filter(Boolean),
  );
}

function unique(xs: string[]): string[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = x.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Trims a draft and checks it against FAQ_LIMITS; the first problem found, or the clean draft. */
export function checkDraft(d: FaqDraft): Result<FaqDraft, DraftProblem> {
  const question = collapse(d.question);
  const answer = d.answer.trim();
  const phrasings = unique(d.phrasings.map(collapse).filter(Boolean));
  const tags = unique(d.tags.map((s) => collapse(s).replace(/^#/, '').toLowerCase()).filter(Boolean));
  if (!question) return err({ field: 'question', issue: 'empty', max: FAQ_LIMITS.question });
  if (question.length > FAQ_LIMITS.question) return err({ field: 'question', issue: 'too-long', max: FAQ_LIMITS.question });
  if (!answer) return err({ field: 'answer', issue: 'empty', max: FAQ_LIMITS.answer });
  if (answer.length > FAQ_LIMITS.answer) return err({ field: 'answer', issue: 'too-long', max: FAQ_LIMITS.answer });
  if (phrasings.length > FAQ_LIMITS.phrasings) return err({ field: 'phrasings', issue: 'too-many', max: FAQ_LIMITS.phrasings });
  if (phrasings.some((p) => p.length > FAQ_LIMITS.phrasing)) return err({ field: 'phrasings', issue: 'too-long', max: FAQ_LIMITS.phrasing });
  if (tags.length > FAQ_LIMITS.tags) return err({ field: 'tags', issue: 'too-many', max: FAQ_LIMITS.tags });
  if (tags.some((t) => t.length > FAQ_LIMITS.tag)) return err({ field: 'tags', issue: 'too-long', max: FAQ_LIMITS.tag });
  return ok({ question, phrasings, answer, tags });
}
