import { type Text, text } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';

/**
 * A regular-expression engine whose running time is linear in the input, for
 * the patterns guild admins type into `/automod`.
 *
 * Why not `RegExp`: V8's engine backtracks, so one pattern such as `(a+)+$`
 * can run for minutes on a 30-character message, and a running regex cannot
 * be interrupted. Measuring each run with a clock does not help either: on
 * deployed Workers `Date.now()` and `performance.now()` only advance after
 * I/O, so a synchronous match always appears to take 0 ms. This engine
 * simulates the pattern's NFA instead (Thompson's construction, run as a lazy
 * DFA whose states are cached per pattern), so the work per input character
 * is bounded by the program size, and it counts that work in steps. The
 * budget a caller passes is in steps: deterministic, identical in tests and
 * in production, and checkable without a clock.
 *
 * Supported: literals, escapes (\d \w \s and negations, \b \B, \t \n \r \f \v
 * \0, \xHH, \uHHHH, \u{…}, \cX, \p{…} \P{…}), classes with ranges and
 * negation, `.`, `^`, `$`, groups (capturing, non-capturing and named, all
 * treated as grouping only), alternation, `* + ? {n} {n,} {n,m}` (lazy
 * variants accepted), flags i, m, s, u. Refused with a reason: backreferences
 * and lookaround, which have no linear-time simulation.
 */

export type AssertKind = 'bol' | 'eol' | 'word' | 'not-word';

export interface CharItem {
  /** Inclusive code point pairs: [lo0, hi0, lo1, hi1, ...]. */
  ranges: number[];
  negated: boolean;
  /** A single-character Unicode property test (\p{…}); runs natively, on one character only. */
  prop: RegExp | null;
}

export interface CharSet {
  items: CharItem[];
  negated: boolean;
}

export type RegexNode =
  | { t: 'empty' }
  | { t: 'char'; set: CharSet }
  | { t: 'assert'; kind: AssertKind }
  | { t: 'cat'; items: RegexNode[] }
  | { t: 'alt'; items: RegexNode[] }
  | { t: 'rep'; min: number; max: number; item: RegexNode };

export interface RegexFlags {
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
}

export interface ParsedRegex {
  source: string;
  flags: RegexFlags;
  ast: RegexNode;
}

export const REGEX_LIMITS = {
  /** Longest pattern source accepted. */
  maxSourceLength: 500,
  /** Largest `{n,m}` bound. */
  maxRepeat: 1000,
  /** Instructions in the compiled program (counted repetition is expanded). */
  maxInstructions: 5000,
  /** Cached DFA states per pattern before the cache is flushed (bounds memory). */
  maxStates: 200,
} as const;

class RegexSyntaxError extends Error {
  readonly problem: Text;
  constructor(problem: Text) {
    super(problem.key);
    this.problem = problem;
  }
}

const range = (lo: number, hi: number): CharItem => ({ ranges: [lo, hi], negated: false, prop: null });
const DIGIT: number[] = [48, 57];
const WORD: number[] = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE: number[] = [9, 13, 32, 32, 160, 160, 5760, 5760, 8192, 8202, 8232, 8233, 8239, 8239, 8287, 8287, 12288, 12288, 65279, 65279];
const LINE_TERMINATORS: number[] = [10, 10, 13, 13, 8232, 8233];

function classEscape(letter: string): CharItem | null {
  switch (letter) {
    case 'd':
      return { ranges: DIGIT, negated: false, prop: null };
    case 'D':
      return { ranges: DIGIT, negated: true, prop: null };
    case 'w':
      return { ranges: WORD, negated: false, prop: null };
    case 'W':
      return { ranges: WORD, negated: true, prop: null };
    case 's':
      return { ranges: SPACE, negated: false, prop: null };
    case 'S':
      return { ranges: SPACE, negated: true, prop: null };
    default:
      return null;
  }
}

function unicodeProperty(name: string): RegExp | null {
  try {
    return new RegExp(`^\\p{${name}}$`, 'u');
  } catch {
    return null;
  }
}

const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

/** Parses a pattern into an AST; the error says what is wrong and where. */
export function parseRegex(source: string, flags = ''): Result<ParsedRegex, Text> {
  if (source.length === 0) return err(text('regex.empty'));
  if (source.length > REGEX_LIMITS.maxSourceLength) return err(text('regex.too-long', { max: REGEX_LIMITS.maxSourceLength }));
  const f: RegexFlags = { ignoreCase: false, multiline: false, dotAll: false };
  for (const ch of flags) {
    if (ch === 'i') f.ignoreCase = true;
    else if (ch === 'm') f.multiline = true;
    else if (ch === 's') f.dotAll = true;
    else if (ch !== 'u') return err(text('regex.flag', { flag: ch }));
  }
  try {
    const p = new PatternParser(source, f);
    const ast = p.parseAlternation();
    if (p.i < source.length) throw new RegexSyntaxError(text('regex.at', { problem: text('regex.unmatched-paren'), position: p.i + 1 }));
    return ok({ source, flags: f, ast });
  } catch (e) {
    if (e instanceof RegexSyntaxError) return err(e.problem);
    throw e;
  }
}

class PatternParser {
  i = 0;
  readonly src: string;
  readonly flags: RegexFlags;

  constructor(src: string, flags: RegexFlags) {
    this.src = src;
    this.flags = flags;
  }

  private fail(problem: Text): never {
    throw new RegexSyntaxError(text('regex.at', { problem, position: this.i + 1 }));
  }

  private peek(offset = 0): string {
    return this.src[this.i + offset] ?? '';
  }

  /** Reads one code point as a literal. */
  private literal(): number {
    const cp = this.src.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  parseAlternation(): RegexNode {
    const items = [this.parseSequence()];
    while (this.peek() === '|') {
      this.i++;
      items.push(this.parseSequence());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private parseSequence(): RegexNode {
    const items: RegexNode[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.parseQuantified());
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  private parseQuantified(): RegexNode {
    const atom = this.parseAtom();
    const q = this.quantifier();
    if (!q) return atom;
    if (atom.t === 'assert') this.fail(text('regex.anchor-repeat', { escape: '\\b' }));
    if (this.peek() === '?') this.i++;
    if (this.quantifierAhead()) this.fail(text('regex.two-quantifiers'));
    return { t: 'rep', min: q.min, max: q.max, item: atom };
  }

  private quantifierAhead(): boolean {
    const c = this.peek();
    return c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i)));
  }

  private quantifier(): { min: number; max: number } | null {
    const c = this.peek();
    if (c === '*') {
      this.i++;
      return { min: 0, max: Infinity };
    }
    if (c === '+') {
      this.i++;
      return { min: 1, max: Infinity };
    }
    if (c === '?') {
      this.i++;
      return { min: 0, max: 1 };
    }
    if (c !== '{') return null;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
    if (!m) this.fail(text('regex.brace', { brace: '{', example: '{2,5}', literal: '\\{' }));
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > REGEX_LIMITS.maxRepeat || (max !== Infinity && max > REGEX_LIMITS.maxRepeat))
      this.fail(text('regex.repeat-bound', { max: REGEX_LIMITS.maxRepeat }));
    if (max < min) this.fail(text('regex.repeat-order', { range: `{${min},${max}}` }));
    this.i += m[0].length;
    return { min, max };
  }

  private parseAtom(): RegexNode {
    const c = this.peek();
    switch (c) {
      case '(':
        return this.parseGroup();
      case '[':
        return { t: 'char', set: this.parseClass() };
      case '.':
        this.i++;
        return { t: 'char', set: { items: [{ ranges: this.flags.dotAll ? [] : LINE_TERMINATORS, negated: true, prop: null }], negated: false } };
      case '^':
        this.i++;
        return { t: 'assert', kind: 'bol' };
      case '$':
        this.i++;
        return { t: 'assert', kind: 'eol' };
      case '\\':
        return this.parseEscape();
      case '*':
      case '+':
      case '?':
      case '{':
        return this.fail(text('regex.nothing-to-repeat', { char: c }));
      default: {
        const cp = this.literal();
        return { t: 'char', set: { items: [range(cp, cp)], negated: false } };
      }
    }
  }

  private parseGroup(): RegexNode {
    this.i++;
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') this.i += 2;
      else if (next === '=' || next === '!' || (next === '<' && (this.peek(2) === '=' || this.peek(2) === '!'))) {
        this.fail(text('regex.lookaround'));
      } else if (next === '<') {
        const m = /^\?<([A-Za-z_$][\w$]*)>/.exec(this.src.slice(this.i));
        if (!m) this.fail(text('regex.group-name'));
        this.i += m[0].length;
      } else this.fail(text('regex.group-type'));
    }
    const inner = this.parseAlternation();
    if (this.peek() !== ')') this.fail(text('regex.missing-paren'));
    this.i++;
    return inner;
  }

  private parseEscape(): RegexNode {
    this.i++;
    const c = this.peek();
    if (c === '') this.fail(text('regex.lone-backslash'));
    if (c === 'b') {
      this.i++;
      return { t: 'assert', kind: 'word' };
    }
    if (c === 'B') {
      this.i++;
      return { t: 'assert', kind: 'not-word' };
    }
    if (/[1-9]/.test(c) || (c === 'k' && this.peek(1) === '<')) this.fail(text('regex.backreference'));
    return { t: 'char', set: { items: [this.escapeItem(false)], negated: false } };
  }

  /** An escape after the backslash, inside or outside a class, as a character item. */
  private escapeItem(inClass: boolean): CharItem {
    const c = this.peek();
    const cls = classEscape(c);
    if (cls) {
      this.i++;
      return cls;
    }
    if (c === 'p' || c === 'P') {
      const m = /^[pP]\{([A-Za-z_=]+)\}/.exec(this.src.slice(this.i));
      if (!m) this.fail(text('regex.property-malformed', { escape: '\\p{…}' }));
      const prop = unicodeProperty(m[1]!);
      if (!prop) this.fail(text('regex.property-unknown', { name: m[1]! }));
      this.i += m[0].length;
      return { ranges: [], negated: c === 'P', prop };
    }
    this.i++;
    if (inClass && c === 'b') return range(8, 8);
    if (c in CONTROL_ESCAPES) {
      const v = CONTROL_ESCAPES[c]!;
      return range(v, v);
    }
    if (c === '0') return range(0, 0);
    if (c === 'c') {
      const letter = this.peek();
      if (!/[A-Za-z]/.test(letter)) this.fail(text('regex.control-letter', { escape: '\\c' }));
      this.i++;
      const v = letter.charCodeAt(0) % 32;
      return range(v, v);
    }
    if (c === 'x') {
      const m = /^[0-9A-Fa-f]{2}/.exec(this.src.slice(this.i));
      if (!m) this.fail(text('regex.hex', { escape: '\\x' }));
      this.i += 2;
      const v = parseInt(m[0], 16);
      return range(v, v);
    }
    if (c === 'u') {
      const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(this.src.slice(this.i));
      const plain = /^[0-9A-Fa-f]{4}/.exec(this.src.slice(this.i));
      const hex = braced ? braced[1]! : plain ? plain[0] : this.fail(text('regex.unicode-escape', { escape: '\\u', braced: '{…}' }));
      this.i += braced ? braced[0].length : 4;
      const v = parseInt(hex, 16);
      if (v > 0x10ffff) this.fail(text('regex.code-point'));
      return range(v, v);
    }
    this.i--;
    const cp = this.literal();
    return range(cp, cp);
  }

  private parseClass(): CharSet {
    this.i++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const items: CharItem[] = [];
    while (this.peek() !== ']') {
      if (this.i >= this.src.length) this.fail(text('regex.missing-bracket'));
      const lo = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.i++;
        const hi = this.classAtom();
        const single = (it: CharItem) => !it.negated && !it.prop && it.ranges.length === 2 && it.ranges[0] === it.ranges[1];
        if (!single(lo) || !single(hi)) this.fail(text('regex.class-range'));
        if (hi.ranges[0]! < lo.ranges[0]!) this.fail(text('regex.class-order'));
        items.push(range(lo.ranges[0]!, hi.ranges[0]!));
      } else items.push(lo);
    }
    this.i++;
    return { items, negated };
  }

  private classAtom(): CharItem {
    if (this.peek() === '\\') {
      this.i++;
      if (this.peek() === '') this.fail(text('regex.lone-backslash'));
      return this.escapeItem(true);
    }
    const cp = this.literal();
    return range(cp, cp);
  }
}

// ---- character tests ------------------------------------------------------

function itemHas(it: CharItem, cp: number): boolean {
  let hit = false;
  if (it.prop) hit = it.prop.test(String.fromCodePoint(cp));
  else {
    const r = it.ranges;
    for (let k = 0; k < r.length; k += 2)
      if (cp >= r[k]! && cp <= r[k + 1]!) {
        hit = true;
        break;
      }
  }
  return hit !== it.negated;
}

function itemsHave(s: CharSet, cp: number): boolean {
  for (const it of s.items) if (itemHas(it, cp)) return true;
  return false;
}

/** Whether `cp` is in the set, ignoring case folding. */
export const setHas = (s: CharSet, cp: number): boolean => itemsHave(s, cp) !== s.negated;

function caseVariants(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  const out = [cp];
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
    const vcp = v.codePointAt(0)!;
    if (v.length === String.fromCodePoint(vcp).length && vcp !== cp) out.push(vcp);
  }
  return out;
}

/** A compiled character test with an ASCII table and a bounded cache for the rest. */
class CharMatcher {
  private readonly ascii = new Uint8Array(128);
  private readonly other = new Map<number, boolean>();
  private readonly set: CharSet;
  private readonly ignoreCase: boolean;

  constructor(set: CharSet, ignoreCase: boolean) {
    this.set = set;
    this.ignoreCase = ignoreCase;
    for (let c = 0; c < 128; c++) this.ascii[c] = this.compute(c) ? 1 : 0;
  }

  private compute(cp: number): boolean {
    if (!this.ignoreCase) return setHas(this.set, cp);
    // As in JavaScript: a class's negation applies after case-insensitive membership ([^a] with i excludes A).
    let hit = false;
    for (const v of caseVariants(cp))
      if (itemsHave(this.set, v)) {
        hit = true;
        break;
      }
    return hit !== this.set.negated;
  }

  test(cp: number): boolean {
    if (cp < 128) return this.ascii[cp] === 1;
    let v = this.other.get(cp);
    if (v === undefined) {
      v = this.compute(cp);
      if (this.other.size >= 512) this.other.clear();
      this.other.set(cp, v);
    }
    return v;
  }
}

// ---- program --------------------------------------------------------------

const OP_CHAR = 0;
const OP_SPLIT = 1;
const OP_JMP = 2;
const OP_ASSERT = 3;
const OP_MATCH = 4;

const ASSERT_CODES: Record<AssertKind, number> = { bol: 0, eol: 1, word: 2, 'not-word': 3 };

// What the character on each side of a position is, for anchors and \b.
const K_EDGE = 0;
const K_WORD = 1;
const K_LINE = 2;
const K_OTHER = 3;

function kindOf(cp: number): number {
  if ((cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || cp === 95 || (cp >= 97 && cp <= 122)) return K_WORD;
  if (cp === 10 || cp === 13 || cp === 8232 || cp === 8233) return K_LINE;
  return K_OTHER;
}

interface Program {
  op: Uint8Array;
  a: Int32Array;
  b: Int32Array;
  chars: CharMatcher[];
  multiline: boolean;
}

class TooLarge extends Error {}

function compileProgram(parsed: ParsedRegex): Program {
  const op: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const chars: CharMatcher[] = [];
  const push = (o: number, x = -1, y = -1): number => {
    if (op.length >= REGEX_LIMITS.maxInstructions) throw new TooLarge();
    op.push(o);
    a.push(x);
    b.push(y);
    return op.length - 1;
  };
  const matchers = new Map<CharSet, number>();
  const emit = (n: RegexNode): void => {
    switch (n.t) {
      case 'empty':
        return;
      case 'char': {
        let idx = matchers.get(n.set);
        if (idx === undefined) {
          idx = chars.length;
          chars.push(new CharMatcher(n.set, parsed.flags.ignoreCase));
          matchers.set(n.set, idx);
        }
        push(OP_CHAR, idx);
        return;
      }
      case 'assert':
        push(OP_ASSERT, ASSERT_CODES[n.kind]);
        return;
      case 'cat':
        for (const it of n.items) emit(it);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let k = 0; k < n.items.length - 1; k++) {
          const split = push(OP_SPLIT, op.length + 1);
          emit(n.items[k]!);
          jumps.push(push(OP_JMP));
          b[split] = op.length;
        }
        emit(n.items[n.items.length - 1]!);
        for (const j of jumps) a[j] = op.length;
        return;
      }
      case 'rep': {
        for (let k = 0; k < n.min; k++) emit(n.item);
        if (n.max === Infinity) {
          const loop = push(OP_SPLIT, op.length + 1);
          emit(n.item);
          push(OP_JMP, loop);
          b[loop] = op.length;
        } else {
          const splits: number[] = [];
          for (let k = n.min; k < n.max; k++) {
            splits.push(push(OP_SPLIT, op.length + 1));
            emit(n.item);
          }
          for (const s of splits) b[s] = op.length;
        }
        return;
      }
    }
  };
  emit(parsed.ast);
  push(OP_MATCH);
  return { op: Uint8Array.from(op), a: Int32Array.from(a), b: Int32Array.from(b), chars, multiline: parsed.flags.multiline };
}

// ---- matcher --------------------------------------------------------------

const UNKNOWN = -1;
const MATCHED = -2;

interface DState {
  core: Int32Array;
  prev: number;
  ascii: Int32Array | null;
  other: Map<number, number> | null;
  atEnd: number;
}

export interface RegexRun {
  matched: boolean;
  /** Work done, in steps (one per cached transition, one per NFA state visited otherwise). */
  steps: number;
  /** The budget ran out before the input did: `matched` is then meaningless. */
  overBudget: boolean;
}

export interface RegexMatch {
  start: number;
  end: number;
  text: string;
}

/** A compiled pattern. Reuse it: the DFA cache it builds makes later runs cheaper. */
export class LinearRegex {
  readonly source: string;
  private readonly prog: Program;
  private states: DState[] = [];
  private index = new Map<string, number>();
  private startState = -1;
  // Scratch space for closures, reused across calls.
  private readonly mark: Uint32Array;
  private gen = 0;
  private readonly stack: number[] = [];

  constructor(source: string, prog: Program) {
    this.source = source;
    this.prog = prog;
    this.mark = new Uint32Array(prog.op.length);
  }

  /** Size of the compiled program (instructions). */
  get size(): number {
    return this.prog.op.length;
  }

  private nextGen(): number {
    if (++this.gen === 0xffffffff) {
      this.mark.fill(0);
      this.gen = 1;
    }
    return this.gen;
  }

  private assertHolds(code: number, prev: number, next: number): boolean {
    switch (code) {
      case 0:
        return prev === K_EDGE || (this.prog.multiline && prev === K_LINE);
      case 1:
        return next === K_EDGE || (this.prog.multiline && next === K_LINE);
      case 2:
        return (prev === K_WORD) !== (next === K_WORD);
      default:
        return (prev === K_WORD) === (next === K_WORD);
    }
  }

  /**
   * Follows empty moves from `core` with the characters on both sides known;
   * fills `out` with the character instructions reached. Returns the number
   * of instructions visited, negated when MATCH was reached.
   */
  private closure(core: ArrayLike<number>, prev: number, next: number, out: number[]): number {
    const { op, a, b } = this.prog;
    const g = this.nextGen();
    const stack = this.stack;
    let visited = 0;
    let matched = false;
    for (let k = core.length - 1; k >= 0; k--) stack.push(core[k]!);
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (this.mark[pc] === g) continue;
      this.mark[pc] = g;
      visited++;
      switch (op[pc]) {
        case OP_CHAR:
          out.push(pc);
          break;
        case OP_SPLIT:
          stack.push(b[pc]!, a[pc]!);
          break;
        case OP_JMP:
          stack.push(a[pc]!);
          break;
        case OP_ASSERT:
          if (this.assertHolds(a[pc]!, prev, next)) stack.push(pc + 1);
          break;
        default:
          matched = true;
      }
    }
    return matched ? -visited - 1 : visited + 1;
  }

  private stateFor(core: Int32Array, prev: number): number {
    const key = `${prev}:${core.join(',')}`;
    const found = this.index.get(key);
    if (found !== undefined) return found;
    if (this.states.length >= REGEX_LIMITS.maxStates) {
      this.states = [];
      this.index = new Map();
      this.startState = -1;
    }
    this.states.push({ core, prev, ascii: null, other: null, atEnd: UNKNOWN });
    this.index.set(key, this.states.length - 1);
    return this.states.length - 1;
  }

  private start(): number {
    if (this.startState < 0) this.startState = this.stateFor(Int32Array.of(0), K_EDGE);
    return this.startState;
  }

  /** Computes a transition; returns [next state or MATCHED, work]. */
  private transition(from: number, cp: number): [number, number] {
    const st = this.states[from]!;
    const kind = kindOf(cp);
    const reached: number[] = [];
    const c = this.closure(st.core, st.prev, kind, reached);
    if (c < 0) return [MATCHED, -c];
    const { a, chars } = this.prog;
    const targets = new Set<number>([0]);
    for (const pc of reached) if (chars[a[pc]!]!.test(cp)) targets.add(pc + 1);
    const core = Int32Array.from([...targets].sort((x, y) => x - y));
    const next = this.stateFor(core, kind);
    // The cache may have been flushed by stateFor; only remember the edge if `from` survived.
    if (this.states[from] === st) {
      if (cp < 128) (st.ascii ??= new Int32Array(128).fill(UNKNOWN))[cp] = next;
      else {
        st.other ??= new Map();
        if (st.other.size < 256) st.other.set(cp, next);
      }
    }
    return [next, c + reached.length];
  }

  /**
   * Whether the pattern matches anywhere in `input`, spending at most
   * `budget` steps. Linear: about one step per character once the states it
   * needs are cached.
   */
  test(input: string, budget = Infinity): RegexRun {
    let s = this.start();
    let steps = 0;
    for (let i = 0; i < input.length; ) {
      const cp = input.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      const st = this.states[s]!;
      let next = cp < 128 ? (st.ascii ? st.ascii[cp]! : UNKNOWN) : (st.other?.get(cp) ?? UNKNOWN);
      if (next === UNKNOWN) {
        const [t, work] = this.transition(s, cp);
        next = t;
        steps += work;
      } else steps++;
      if (next === MATCHED) return { matched: true, steps, overBudget: false };
      if (steps > budget) return { matched: false, steps, overBudget: true };
      s = next;
    }
    const st = this.states[s]!;
    if (st.atEnd === UNKNOWN) {
      const c = this.closure(st.core, st.prev, K_EDGE, []);
      st.atEnd = c < 0 ? 1 : 0;
      steps += Math.abs(c);
    } else steps++;
    return { matched: st.atEnd === 1, steps, overBudget: steps > budget };
  }

  /**
   * The leftmost of the matches that end first, for evidence. Runs the NFA
   * directly (no cache), tracking the earliest start that reaches each
   * state; call it only after `test` said there is a match.
   */
  find(input: string, budget = Infinity): (RegexMatch & { steps: number }) | null {
    const { op, a, chars } = this.prog;
    let core: { pc: number; start: number }[] = [];
    let prev = K_EDGE;
    let steps = 0;
    for (let i = 0; ; ) {
      const cp = i < input.length ? input.codePointAt(i)! : -1;
      const next = cp < 0 ? K_EDGE : kindOf(cp);
      core.push({ pc: 0, start: i });
      // Seeds in order of start, so the first visit of each state has the earliest start.
      const g = this.nextGen();
      const reached: { pc: number; start: number }[] = [];
      for (const seed of core) {
        const stack = [seed.pc];
        while (stack.length > 0) {
          const pc = stack.pop()!;
          if (this.mark[pc] === g) continue;
          this.mark[pc] = g;
          steps++;
          switch (op[pc]) {
            case OP_CHAR:
              reached.push({ pc, start: seed.start });
              break;
            case OP_SPLIT:
              stack.push(this.prog.b[pc]!, a[pc]!);
              break;
            case OP_JMP:
              stack.push(a[pc]!);
              break;
            case OP_ASSERT:
              if (this.assertHolds(a[pc]!, prev, next)) stack.push(pc + 1);
              break;
            default:
              return { start: seed.start, end: i, text: input.slice(seed.start, i), steps };
          }
        }
      }
      if (cp < 0 || steps > budget) return null;
      const g2 = this.nextGen();
      const moved: { pc: number; start: number }[] = [];
      for (const r of reached) {
        if (!chars[a[r.pc]!]!.test(cp) || this.mark[r.pc + 1] === g2) continue;
        this.mark[r.pc + 1] = g2;
        moved.push({ pc: r.pc + 1, start: r.start });
      }
      core = moved.sort((x, y) => x.start - y.start);
      prev = next;
      i += cp > 0xffff ? 2 : 1;
    }
  }
}

/** Parses and compiles a pattern; the error says why it cannot be used. */
export function compileRegex(source: string, flags = ''): Result<LinearRegex, Text> {
  const parsed = parseRegex(source, flags);
  if (!parsed.ok) return parsed;
  return compileParsedRegex(parsed.value);
}

export function compileParsedRegex(parsed: ParsedRegex): Result<LinearRegex, Text> {
  try {
    return ok(new LinearRegex(parsed.source, compileProgram(parsed)));
  } catch (e) {
    if (e instanceof TooLarge) return err(text('regex.too-large', { max: REGEX_LIMITS.maxInstructions }));
    throw e;
  }
}
