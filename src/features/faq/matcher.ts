import MiniSearch, { type SearchOptions } from 'minisearch';
import type { Hit } from './rules/decide.ts';
import type { FaqEntry } from './rules/entry.ts';

/**
 * The per-guild FAQ index: MiniSearch (BM25+) over questions, other
 * phrasings, answers and tags, with typo tolerance (fuzzy) and prefixes.
 * Built in the actor's memory from the stored entries and rebuilt after a
 * change; never stored. Self-match scores are computed on demand and kept
 * until the next rebuild (they depend on the whole collection).
 */

// Words that say nothing about the topic; without them "how do I …" questions
// would all look alike. Short lists for the shipped languages.
const STOP_WORDS = new Set(
  (
    'a an the and or but of to in on at for with from by as is are was were be been am do does did done i me my mine you your we our it its this that these those ' +
    'there here what how why when where who which can could should would will shall may might must have has had not no yes so if then than just please ' +
    'der die das den dem des ein eine einen und oder ich mein meine du dein wir es ist sind war wie was warum wo wann wer kann mit von zu im in auf für nicht bitte ' +
    'el la los las un una y o de del en con por para es son yo mi tu que como cómo qué por favor no se lo ' +
    'o a os as um uma e de do da em com por para é eu meu minha você que como não ' +
    'le la les un une et ou de du des en avec pour est sont je mon ma mes tu vous nous que comment pourquoi où quand ne pas'
  ).split(/\s+/),
);

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (t.length < 2 || STOP_WORDS.has(t)) return null;
  return fold(t);
}

interface Doc {
  id: number;
  question: string;
  phrasings: string;
  answer: string;
  tags: string;
}

const SEARCH: SearchOptions = {
  boost: { question: 3, phrasings: 2.5, tags: 1.5, answer: 1 },
  fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
  prefix: (term) => term.length >= 4,
  combineWith: 'OR',
};

export class FaqMatcher {
  private readonly index: MiniSearch<Doc>;
  private readonly questions = new Map<number, string>();
  private readonly selfScores = new Map<number, number>();

  constructor(entries: readonly FaqEntry[]) {
    this.index = new MiniSearch<Doc>({ fields: ['question', 'phrasings', 'answer', 'tags'], processTerm, searchOptions: SEARCH });
    this.index.addAll(entries.map((e) => ({ id: e.id, question: e.question, phrasings: e.phrasings.join('\n'), answer: e.answer, tags: e.tags.join(' ') })));
    for (const e of entries) this.questions.set(e.id, e.question);
  }

  get size(): number {
    return this.index.documentCount;
  }

  /** The best `max` entries for a question, each with what the decision needs. */
  rank(text: string, max = 5): Hit[] {
    const terms = queryTerms(text);
    if (terms.size === 0) return [];
    return this.index
      .search(text)
      .slice(0, max)
      .map((r) => ({ id: r.id as number, score: r.score, self: this.selfScore(r.id as number), coverage: coverage(terms, r.queryTerms) }));
  }

  private selfScore(id: number): number {
    let s = this.selfScores.get(id);
    if (s === undefined) {
      const q = this.questions.get(id) ?? '';
      s = this.index.search(q).find((r) => r.id === id)?.score ?? 0;
      this.selfScores.set(id, s);
    }
    return s;
  }
}

/** The question's distinct meaningful terms, as the index sees them. */
function queryTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of MiniSearch.getDefault('tokenize')(text) as string[]) {
    const t = processTerm(raw);
    if (t) out.add(t);
  }
  return out;
}

// MiniSearch reports each matched query term after processing; a fuzzy or
// prefix match counts as the term it came from.
function coverage(terms: Set<string>, matched: readonly string[]): number {
  const hit = new Set(matched.filter((m) => terms.has(m)));
  return hit.size / terms.size;
}
