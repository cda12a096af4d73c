/**
 * Whether the FAQ answers a question, from the matcher's ranked hits. Raw
 * BM25 scores depend on the query's length and the collection, so each hit
 * is first normalised: its score over the entry's ideal self-match (the
 * score its own question gets), and the share of the question's words that
 * matched at all. It answers only when the best entry is confident on both
 * and clearly ahead of the runner-up; otherwise it stays quiet, with the
 * reason.
 */

export interface Hit {
  id: number;
  /** The ranking function's score for this question. */
  score: number;
  /** The score the entry's own question gets against the same index. */
  self: number;
  /** Matched distinct query terms over all distinct query terms (0–1). */
  coverage: number;
}

export interface Thresholds {
  /** Minimum score relative to the entry's self-match. */
  confidence: number;
  /** Minimum share of the question's words that matched. */
  coverage: number;
  /** How many times the runner-up's score the best one must reach. */
  margin: number;
}

// Tuned on the tests' knowledge base: a short question naming two of an entry's three words scores about 0.43 of
// its self-match (the entry's other phrasings and tags repeat those words), one incidental shared word about 0.15.
export const DEFAULT_THRESHOLDS: Thresholds = { confidence: 0.35, coverage: 0.5, margin: 1.5 };

export type Decision =
  | { kind: 'answer'; id: number; confidence: number }
  | { kind: 'quiet'; reason: 'no-match' | 'low-confidence' | 'ambiguous'; candidates: number[] };

/** Confidence of one hit: its score relative to the ideal self-match, at most 1. */
export const confidenceOf = (h: Hit): number => (h.self > 0 ? Math.min(1, h.score / h.self) : 0);

export function decide(hits: readonly Hit[], t: Thresholds = DEFAULT_THRESHOLDS): Decision {
  const sorted = [...hits].sort((a, b) => b.score - a.score);
  const [top, second] = sorted;
  if (!top || top.score <= 0) return { kind: 'quiet', reason: 'no-match', candidates: [] };
  const confidence = confidenceOf(top);
  if (confidence < t.confidence || top.coverage < t.coverage) return { kind: 'quiet', reason: 'low-confidence', candidates: [top.id] };
  if (second && top.score < second.score * t.margin) return { kind: 'quiet', reason: 'ambiguous', candidates: [top.id, second.id] };
  return { kind: 'answer', id: top.id, confidence };
}

/**
 * Up to `max` entries worth suggesting (the /ticket open form): the confident
 * ones, best first. Unlike `decide`, near-equal entries are both offered —
 * the member picks, and nothing is answered in their name.
 */
export function suggestions(hits: readonly Hit[], max: number, t: Thresholds = DEFAULT_THRESHOLDS): number[] {
  return [...hits]
    .sort((a, b) => b.score - a.score)
    .filter((h) => confidenceOf(h) >= t.confidence && h.coverage >= t.coverage)
    .slice(0, max)
    .map((h) => h.id);
}

const QUESTION_WORDS =
  /^(how|what|why|where|when|who|which|can|could|is|are|do|does|did|should|will|would|wie|was|warum|wieso|wo|wann|wer|kann|gibt|c[oó]mo|qu[eé]|por ?qu[eé]|d[oó]nde|cu[aá]ndo|qui[eé]n|puedo|o que|onde|quando|quem|posso|comment|pourquoi|o[uù]|quand|qui|quoi|est-ce)\b/i;

/** Whether a chat message reads as a question worth matching: a question mark, or a question word first; neither too short nor too long. */
export function looksLikeQuestion(text: string): boolean {
  const s = text.trim();
  if (s.length < 8 || s.length > 500) return false;
  return s.includes('?') || QUESTION_WORDS.test(s);
}
