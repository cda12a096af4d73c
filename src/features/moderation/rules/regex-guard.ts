import { type Text, text } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';
import { type CharSet, compileParsedRegex, type LinearRegex, parseRegex, type RegexNode, setHas } from './linear-regex.ts';

/**
 * Admission and run-time limits for admin-supplied patterns.
 *
 * Three layers, because a JavaScript regex cannot be interrupted once it runs
 * and deployed Workers freeze the clock during synchronous work (so a
 * pattern's run time cannot be measured there):
 * 1. Shape check at `/automod` time: patterns with the shapes that make
 *    backtracking engines explode (a repeated part inside a repeated group
 *    that can consume the same characters as the group's next round, as in
 *    `(a+)+$`; alternatives under a repetition that can match the same
 *    text, as in `(a|ab)*`) are refused with a reason and a hint. Our own
 *    engine would run them in linear time anyway, but they always have a
 *    simpler equivalent, and refusing keeps rule sets portable.
 * 2. Input cap: at most `MAX_PATTERN_INPUT` characters of a message are
 *    matched.
 * 3. A step budget per pattern per message on the linear-time engine
 *    (linear-regex.ts). A pattern that exceeds it is disabled and reported,
 *    so one expensive pattern costs one message's worth of budget, once.
 */

/** Longest input a pattern sees; Discord messages are at most 4000 characters (with Nitro). */
export const MAX_PATTERN_INPUT = 4000;
/**
 * Default steps per pattern per message. A simple pattern on a 4000-character
 * message takes about 4000 steps once its states are cached; 50,000 allows
 * ample warm-up while bounding a pathological pattern to roughly a
 * millisecond of CPU.
 */
export const DEFAULT_PATTERN_BUDGET = 50_000;

// Characters are compared on a sample of code points (ASCII, Latin-1, Latin
// Extended and IPA); anything that can match beyond it is assumed to overlap
// with anything else that can. Conservative: it may refuse a safe pattern,
// never admit one of the refused shapes.
const SAMPLE = 0x300;

interface Sample {
  bits: Uint8Array;
  outside: boolean;
}

const emptySample = (): Sample => ({ bits: new Uint8Array(SAMPLE), outside: false });

function union(x: Sample, y: Sample): Sample {
  const out = emptySample();
  for (let i = 0; i < SAMPLE; i++) out.bits[i] = x.bits[i]! | y.bits[i]!;
  out.outside = x.outside || y.outside;
  return out;
}

function overlaps(x: Sample, y: Sample): boolean {
  if (x.outside && y.outside) return true;
  for (let i = 0; i < SAMPLE; i++) if (x.bits[i]! & y.bits[i]!) return true;
  return false;
}

function canReachOutside(set: CharSet): boolean {
  if (set.negated) return true;
  return set.items.some((it) => it.negated || it.prop !== null || it.ranges.some((v, k) => k % 2 === 1 && v >= SAMPLE));
}

function sampleSet(set: CharSet, ignoreCase: boolean): Sample {
  const s = emptySample();
  for (let cp = 0; cp < SAMPLE; cp++) {
    let hit = setHas(set, cp);
    if (!hit && ignoreCase) {
      const ch = String.fromCodePoint(cp);
      hit = [ch.toLowerCase(), ch.toUpperCase()].some((v) => v.length === 1 && setHas(set, v.codePointAt(0)!));
    }
    s.bits[cp] = hit ? 1 : 0;
  }
  s.outside = canReachOutside(set);
  return s;
}

class Analysis {
  private readonly ignoreCase: boolean;
  private readonly cache = new Map<CharSet, Sample>();

  constructor(ignoreCase: boolean) {
    this.ignoreCase = ignoreCase;
  }

  sample(set: CharSet): Sample {
    let s = this.cache.get(set);
    if (!s) {
      s = sampleSet(set, this.ignoreCase);
      this.cache.set(set, s);
    }
    return s;
  }

  nullable(n: RegexNode): boolean {
    switch (n.t) {
      case 'empty':
      case 'assert':
        return true;
      case 'char':
        return false;
      case 'cat':
        return n.items.every((i) => this.nullable(i));
      case 'alt':
        return n.items.some((i) => this.nullable(i));
      case 'rep':
        return n.min === 0 || this.nullable(n.item);
    }
  }

  /** Characters `n` can start with. */
  first(n: RegexNode): Sample {
    switch (n.t) {
      case 'empty':
      case 'assert':
        return emptySample();
      case 'char':
        return this.sample(n.set);
      case 'alt':
        return n.items.reduce((acc, i) => union(acc, this.first(i)), emptySample());
      case 'rep':
        return this.first(n.item);
      case 'cat': {
        let acc = emptySample();
        for (const i of n.items) {
          acc = union(acc, this.first(i));
          if (!this.nullable(i)) break;
        }
        return acc;
      }
    }
  }

  /** Every character `n` can consume anywhere. */
  chars(n: RegexNode): Sample {
    switch (n.t) {
      case 'empty':
      case 'assert':
        return emptySample();
      case 'char':
        return this.sample(n.set);
      case 'rep':
        return this.chars(n.item);
      case 'cat':
      case 'alt':
        return n.items.reduce((acc, i) => union(acc, this.chars(i)), emptySample());
    }
  }

  /** Per-position character samples of a branch up to its first repetition or alternation. */
  prefix(n: RegexNode): Sample[] {
    if (n.t === 'char') return [this.sample(n.set)];
    if (n.t === 'cat') {
      const out: Sample[] = [];
      for (const i of n.items) {
        if (i.t === 'char') out.push(this.sample(i.set));
        else if (i.t !== 'assert') break;
      }
      return out;
    }
    return [];
  }
}

/** Two alternatives can start the same text unless their fixed prefixes diverge somewhere. */
function branchesMayOverlap(an: Analysis, x: RegexNode, y: RegexNode): boolean {
  const px = an.prefix(x);
  const py = an.prefix(y);
  const n = Math.min(px.length, py.length);
  if (n === 0) return overlaps(an.first(x), an.first(y)) || an.nullable(x) || an.nullable(y);
  for (let k = 0; k < n; k++) if (!overlaps(px[k]!, py[k]!)) return false;
  return true;
}

/** A repetition that can run a variable number of rounds (a fixed `{3}` is just a sequence). */
const isLoop = (n: RegexNode & { t: 'rep' }): boolean => n.max > n.min && n.max > 1;

/** The repetition as written (`*`, `+`, `{2,}`, `{2,5}`): notation, the same in every language. */
const describe = (n: RegexNode): string =>
  n.t === 'rep' ? (n.max === Infinity ? (n.min === 0 ? '*' : n.min === 1 ? '+' : `{${n.min},}`) : `{${n.min},${n.max}}`) : '…';

/**
 * Refuses the catastrophic-backtracking shapes; returns a reason an admin
 * can act on, or null when the shape is acceptable.
 */
export function unsafeShape(ast: RegexNode, ignoreCase: boolean): Text | null {
  const an = new Analysis(ignoreCase);
  if (an.nullable(ast)) return text('regex.matches-empty');
  let problem: Text | null = null;

  // Inside the body of an outer loop, an inner loop whose characters can
  // also be taken by what follows it (including the outer loop's next
  // round) gives exponentially many ways to split the input.
  const visitInner = (n: RegexNode, follow: Sample): void => {
    if (problem) return;
    switch (n.t) {
      case 'cat': {
        for (let k = n.items.length - 1; k >= 0; k--) {
          visitInner(n.items[k]!, follow);
          const item = n.items[k]!;
          follow = an.nullable(item) ? union(an.first(item), follow) : an.first(item);
        }
        return;
      }
      case 'alt':
        for (const i of n.items) visitInner(i, follow);
        return;
      case 'rep':
        if (n.max > n.min && overlaps(an.chars(n.item), follow)) {
          problem = text('regex.nested', { repetition: describe(n) });
          return;
        }
        visitInner(n.item, isLoop(n) ? union(an.first(n.item), follow) : follow);
        return;
      default:
        return;
    }
  };

  const visit = (n: RegexNode): void => {
    if (problem) return;
    switch (n.t) {
      case 'cat':
      case 'alt':
        for (const i of n.items) visit(i);
        return;
      case 'rep': {
        if (isLoop(n)) {
          const body = n.item;
          if (body.t === 'alt') {
            for (let x = 0; x < body.items.length && !problem; x++) {
              for (let y = x + 1; y < body.items.length; y++) {
                if (branchesMayOverlap(an, body.items[x]!, body.items[y]!)) {
                  problem = text('regex.overlap', { a: x + 1, b: y + 1 });
                  break;
                }
              }
            }
          }
          visitInner(body, an.first(body));
        }
        visit(n.item);
        return;
      }
      default:
        return;
    }
  };
  visit(ast);
  return problem;
}

/** A pattern admitted by the guard, with its run-time state. */
export interface GuardedPattern {
  source: string;
  regex: LinearRegex;
  /** Set when the pattern exceeded its budget; it is then skipped. */
  disabled: { at: number; steps: number; budget: number } | null;
}

/** Parses, checks the shape and compiles; the error explains the refusal. */
export function admitPattern(source: string, flags = 'i'): Result<GuardedPattern, Text> {
  const parsed = parseRegex(source, flags);
  if (!parsed.ok) return err(text('regex.refused', { source, reason: parsed.error }));
  const shape = unsafeShape(parsed.value.ast, parsed.value.flags.ignoreCase);
  if (shape) return err(text('regex.refused', { source, reason: shape }));
  const compiled = compileParsedRegex(parsed.value);
  if (!compiled.ok) return err(text('regex.refused', { source, reason: compiled.error }));
  return ok({ source, regex: compiled.value, disabled: null });
}

export type PatternOutcome =
  | { kind: 'match'; evidence: string; steps: number }
  | { kind: 'no-match'; steps: number }
  | { kind: 'over-budget'; steps: number }
  | { kind: 'disabled' };

/**
 * Runs a pattern on (at most MAX_PATTERN_INPUT characters of) `input`. On
 * exceeding `budget` steps the pattern disables itself (the caller reports
 * and persists that) and answers `over-budget`.
 */
export function runPattern(p: GuardedPattern, input: string, budget: number, now: number): PatternOutcome {
  if (p.disabled) return { kind: 'disabled' };
  const text = input.length > MAX_PATTERN_INPUT ? input.slice(0, MAX_PATTERN_INPUT) : input;
  const run = p.regex.test(text, budget);
  if (run.overBudget) {
    p.disabled = { at: now, steps: run.steps, budget };
    return { kind: 'over-budget', steps: run.steps };
  }
  if (!run.matched) return { kind: 'no-match', steps: run.steps };
  const span = p.regex.find(text, Math.max(budget - run.steps, 0));
  return { kind: 'match', evidence: span ? span.text.slice(0, 100) : `/${p.source}/`, steps: run.steps + (span?.steps ?? 0) };
}
