import { isSnowflake } from '../../../discord/snowflake.ts';
import { type AppLocale, resolveLocale, t } from '../../../i18n/index.ts';
import { CHALLENGE_WORDS, numberSpellings, numberWord } from '../../../i18n/number-words.ts';
import { text } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';
import type { ConfigIssue } from '../../moderation/rules/automod-config.ts';
import { foldText, hasInvisible } from '../../moderation/rules/normalize.ts';
import { CAPTCHA_ALPHABET, renderCaptchaPng } from './captcha-image.ts';

/**
 * The verification gate: new members hold only the unverified role until
 * they answer a challenge. Three kinds: a question behind a Verify button
 * (the answer is typed in a modal, never shown on a button), a text code
 * written in look-alike characters with invisible joiners (copying it
 * pastes the wrong characters, which is detected), and the same code drawn
 * as an image. Attempts, failures and timeouts are counted; members who
 * never verify can be removed after a set time. Randomness is passed in.
 */

export type ChallengeKind = 'question' | 'text' | 'image';

export interface VerificationConfig {
  enabled: boolean;
  unverifiedRoleId: string | null;
  /** Given on success, when the guild uses one. */
  verifiedRoleId: string | null;
  challenge: ChallengeKind;
  challengeTtlMs: number;
  /** Wrong answers allowed per challenge. */
  maxAttempts: number;
  /** Wait after a challenge is used up before a new one is issued. */
  retryCooldownMs: number;
  /** Remove members still unverified this long after joining; null keeps them. */
  removeAfterMs: number | null;
}

export const DEFAULT_VERIFICATION: VerificationConfig = {
  enabled: false,
  unverifiedRoleId: null,
  verifiedRoleId: null,
  challenge: 'question',
  challengeTtlMs: 5 * 60_000,
  maxAttempts: 3,
  retryCooldownMs: 30_000,
  removeAfterMs: null,
};

export function parseVerificationConfig(input: unknown): Result<VerificationConfig, ConfigIssue[]> {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const d = DEFAULT_VERIFICATION;
  const issues: ConfigIssue[] = [];
  const num = (k: keyof VerificationConfig, min: number, max: number): number => {
    const v = o[k] ?? d[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      issues.push({ path: `verification.${k}`, problem: text('rule.int-range', { min, max }) });
      return min;
    }
    return v;
  };
  const role = (k: 'unverifiedRoleId' | 'verifiedRoleId'): string | null => {
    const v = o[k] ?? null;
    if (v !== null && !isSnowflake(v)) {
      issues.push({ path: `verification.${k}`, problem: text('prot.cfg.role-id') });
      return null;
    }
    return v;
  };
  const enabled = o.enabled ?? d.enabled;
  if (typeof enabled !== 'boolean') issues.push({ path: 'verification.enabled', problem: text('rule.bool') });
  const challenge = o.challenge ?? d.challenge;
  if (challenge !== 'question' && challenge !== 'text' && challenge !== 'image')
    issues.push({ path: 'verification.challenge', problem: text('prot.cfg.challenge-kind') });
  const removeIn = o.removeAfterMs ?? null;
  let removeAfterMs: number | null = null;
  if (removeIn !== null) removeAfterMs = num('removeAfterMs', 60_000, 30 * 86_400_000);
  const config: VerificationConfig = {
    enabled: enabled === true,
    unverifiedRoleId: role('unverifiedRoleId'),
    verifiedRoleId: role('verifiedRoleId'),
    challenge: challenge === 'text' || challenge === 'image' ? challenge : 'question',
    challengeTtlMs: num('challengeTtlMs', 30_000, 3_600_000),
    maxAttempts: num('maxAttempts', 1, 10),
    retryCooldownMs: num('retryCooldownMs', 0, 3_600_000),
    removeAfterMs,
  };
  if (config.enabled && !config.unverifiedRoleId) issues.push({ path: 'verification.unverifiedRoleId', problem: text('prot.cfg.role-needed') });
  return issues.length > 0 ? err(issues) : ok(config);
}

export type Random = () => number;

const pick = <T>(rand: Random, items: readonly T[]): T => items[Math.floor(rand() * items.length) % items.length]!;
const int = (rand: Random, lo: number, hi: number): number => lo + (Math.floor(rand() * (hi - lo + 1)) % (hi - lo + 1));

/** What is stored between issuing a challenge and checking the answer: the accepted answers, never the picture. */
export interface StoredChallenge {
  kind: ChallengeKind;
  /** Accepted answers, already normalized. */
  answers: string[];
  issuedAt: number;
  expiresAt: number;
  attempts: number;
}

/** What the member is shown. */
export type ChallengeView =
  | { kind: 'question'; prompt: string }
  | { kind: 'text'; prompt: string; display: string }
  | { kind: 'image'; prompt: string; png: Uint8Array };

/** Answers are compared folded, without spaces or final punctuation. */
export const normalizeAnswer = (s: string): string => foldText(s).replace(/[\s.,!?'"`-]+/g, '');

function question(rand: Random, locale: AppLocale): { prompt: string; answers: string[] } {
  const say = (n: number) => numberWord(locale, n);
  // Digits, or the number as a word in the member's language (English words are accepted too).
  const numberAnswers = (n: number) => [String(n), ...numberSpellings(locale, n)];
  const words = CHALLENGE_WORDS[locale];
  switch (int(rand, 0, 3)) {
    case 0: {
      const a = int(rand, 2, 9);
      const b = int(rand, 2, 9);
      if (rand() < 0.5) return { prompt: t(locale, 'prot.q.plus', { a: say(a), b: say(b) }), answers: numberAnswers(a + b) };
      const [hi, lo] = a >= b ? [a, b] : [b, a];
      return { prompt: t(locale, 'prot.q.minus', { a: say(hi), b: say(lo) }), answers: numberAnswers(hi - lo) };
    }
    case 1: {
      const w = pick(rand, words);
      return { prompt: t(locale, 'prot.q.backwards', { word: w }), answers: [[...w].reverse().join('')] };
    }
    case 2: {
      const w = pick(rand, words);
      return { prompt: t(locale, 'prot.q.letters', { word: w }), answers: numberAnswers(w.length) };
    }
    default: {
      const pool = [...words];
      const list: string[] = [];
      for (let k = 0; k < 4; k++) list.push(pool.splice(int(rand, 0, pool.length - 1), 1)[0]!);
      const at = int(rand, 0, 3);
      return { prompt: t(locale, 'prot.q.which', { at: String(at + 1), list: list.join(', ') }), answers: [list[at]!] };
    }
  }
}

/** Look-alikes for each CAPTCHA character: Greek, Cyrillic or fullwidth forms, never ASCII. */
const LOOKALIKES: Readonly<Record<string, readonly string[]>> = {
  A: ['\u0391', '\u0410'],
  C: ['\u0421', '\u03F9'],
  E: ['\u0395', '\u0415'],
  H: ['\u0397', '\u041D'],
  K: ['\u039A', '\u041A'],
  M: ['\u039C', '\u041C'],
  N: ['\u039D'],
  P: ['\u03A1', '\u0420'],
  T: ['\u03A4', '\u0422'],
  X: ['\u03A7', '\u0425'],
  Y: ['\u03A5', '\u04AE'],
  '3': ['\u0417'],
};
const JOINERS = ['\u200B', '\u200C', '\u200D', '\u2060'];

const fullwidth = (ch: string) => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0);

/** The code written so that a copy carries different characters than a person types. */
export function obfuscateCode(code: string, rand: Random): string {
  let out = '';
  for (const ch of code) {
    const alikes = LOOKALIKES[ch];
    const glyph = alikes && rand() < 0.75 ? pick(rand, alikes) : fullwidth(ch);
    out += glyph + pick(rand, JOINERS);
  }
  return out;
}

/** A random code from the CAPTCHA alphabet. */
export function captchaCode(rand: Random, length = 6): string {
  let s = '';
  for (let i = 0; i < length; i++) s += pick(rand, [...CAPTCHA_ALPHABET]);
  return s;
}

/** Creates a challenge of the given kind: what to store, and what to show. */
export function issueChallenge(
  kind: ChallengeKind,
  rand: Random,
  now: number,
  ttlMs: number,
  memberLocale?: string | null,
): { stored: StoredChallenge; view: ChallengeView } {
  const locale = resolveLocale(memberLocale);
  const base = { kind, issuedAt: now, expiresAt: now + ttlMs, attempts: 0 };
  if (kind === 'question') {
    const q = question(rand, locale);
    return { stored: { ...base, answers: q.answers.map(normalizeAnswer) }, view: { kind, prompt: q.prompt } };
  }
  const code = captchaCode(rand);
  const stored = { ...base, answers: [normalizeAnswer(code)] };
  if (kind === 'text') {
    return { stored, view: { kind, prompt: t(locale, 'prot.q.text'), display: obfuscateCode(code, rand) } };
  }
  return { stored, view: { kind, prompt: t(locale, 'prot.q.image'), png: renderCaptchaPng(code, rand) } };
}

export interface VerificationEntry {
  userId: string;
  joinedAt: number;
  status: 'pending' | 'verified' | 'removed';
  challenge: StoredChallenge | null;
  /** Wrong answers, all challenges together. */
  failures: number;
  /** Challenges that expired unanswered. */
  timeouts: number;
  /** A used-up challenge blocks a new one until then. */
  cooldownUntil: number | null;
  verifiedAt: number | null;
}

export const newVerificationEntry = (userId: string, now: number): VerificationEntry => ({
  userId,
  joinedAt: now,
  status: 'pending',
  challenge: null,
  failures: 0,
  timeouts: 0,
  cooldownUntil: null,
  verifiedAt: null,
});

export type BeginRefusal =
  | { code: 'already-verified'; message: string }
  | { code: 'removed'; message: string }
  | { code: 'cooling-down'; message: string; retryAt: number };

/** The member pressed Verify: issue a fresh challenge (an unexpired one is replaced, a stale one counted as a timeout). */
export function beginChallenge(
  entry: VerificationEntry,
  config: VerificationConfig,
  rand: Random,
  now: number,
  memberLocale?: string | null,
): Result<{ entry: VerificationEntry; view: ChallengeView }, BeginRefusal> {
  if (entry.status === 'verified') return err({ code: 'already-verified', message: 'You are already verified.' });
  if (entry.status === 'removed') return err({ code: 'removed', message: 'This verification has ended; rejoin the server to try again.' });
  if (entry.cooldownUntil !== null && now < entry.cooldownUntil) {
    return err({
      code: 'cooling-down',
      retryAt: entry.cooldownUntil,
      message: `Too many wrong answers. Try again <t:${Math.ceil(entry.cooldownUntil / 1000)}:R>.`,
    });
  }
  const expired = expireChallenge(entry, now);
  const { stored, view } = issueChallenge(config.challenge, rand, now, config.challengeTtlMs, memberLocale);
  return ok({ entry: { ...expired.entry, challenge: stored, cooldownUntil: null }, view });
}

export type AnswerOutcome = 'passed' | 'wrong' | 'pasted' | 'used-up' | 'expired' | 'no-challenge' | 'already-verified';

export interface AnswerResult {
  outcome: AnswerOutcome;
  entry: VerificationEntry;
  attemptsLeft: number;
  /** What to tell the member. */
  message: string;
}

/** True when the answer carries what only a copy of the obfuscated code contains. */
export function looksPasted(raw: string): boolean {
  if (hasInvisible(raw)) return true;
  for (const ch of raw) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0xff01 && cp <= 0xff5e) || (cp >= 0x0370 && cp <= 0x04ff)) return true;
  }
  return false;
}

/** Checks an answer against the member's current challenge. */
export function submitAnswer(entry: VerificationEntry, raw: string, config: VerificationConfig, now: number): AnswerResult {
  const c = entry.challenge;
  if (entry.status === 'verified') return { outcome: 'already-verified', entry, attemptsLeft: 0, message: 'You are already verified.' };
  if (!c) return { outcome: 'no-challenge', entry, attemptsLeft: 0, message: 'Press Verify to get a challenge first.' };
  if (now >= c.expiresAt) {
    const { entry: e } = expireChallenge(entry, now);
    return { outcome: 'expired', entry: e, attemptsLeft: 0, message: 'That challenge expired. Press Verify for a new one.' };
  }
  const pasted = c.kind !== 'question' && looksPasted(raw);
  if (!pasted && c.answers.includes(normalizeAnswer(raw))) {
    return {
      outcome: 'passed',
      entry: { ...entry, status: 'verified', challenge: null, verifiedAt: now, cooldownUntil: null },
      attemptsLeft: 0,
      message: 'Verified. Welcome!',
    };
  }
  const attempts = c.attempts + 1;
  const failures = entry.failures + 1;
  const left = config.maxAttempts - attempts;
  if (left <= 0) {
    return {
      outcome: 'used-up',
      attemptsLeft: 0,
      entry: { ...entry, failures, challenge: null, cooldownUntil: now + config.retryCooldownMs },
      message:
        config.retryCooldownMs > 0
          ? `Wrong answer. Press Verify again <t:${Math.ceil((now + config.retryCooldownMs) / 1000)}:R> for a new challenge.`
          : 'Wrong answer. Press Verify for a new challenge.',
    };
  }
  return {
    outcome: pasted ? 'pasted' : 'wrong',
    attemptsLeft: left,
    entry: { ...entry, failures, challenge: { ...c, attempts } },
    message: `${pasted ? 'That looks copied; type the code yourself.' : 'Wrong answer.'} ${left} attempt${left === 1 ? '' : 's'} left.`,
  };
}

/** Ends a challenge whose time is up, counting a timeout. */
export function expireChallenge(entry: VerificationEntry, now: number): { entry: VerificationEntry; timedOut: boolean } {
  if (!entry.challenge || now < entry.challenge.expiresAt) return { entry, timedOut: false };
  return { entry: { ...entry, challenge: null, timeouts: entry.timeouts + 1 }, timedOut: true };
}

/** Whether a still-unverified member should now be removed. */
export function removalDue(entry: VerificationEntry, config: VerificationConfig, now: number): boolean {
  return entry.status === 'pending' && config.removeAfterMs !== null && now >= entry.joinedAt + config.removeAfterMs;
}

/** The next time this entry needs attention (challenge expiry or removal), for the actor's alarm. */
export function nextDeadline(entry: VerificationEntry, config: VerificationConfig): number | null {
  if (entry.status !== 'pending') return null;
  const times = [entry.challenge?.expiresAt, config.removeAfterMs !== null ? entry.joinedAt + config.removeAfterMs : undefined].filter(
    (t): t is number => t !== undefined,
  );
  return times.length > 0 ? Math.min(...times) : null;
}

export interface VerificationStats {
  passed: number;
  failed: number;
  timedOut: number;
  removed: number;
}

export const emptyVerificationStats = (): VerificationStats => ({ passed: 0, failed: 0, timedOut: 0, removed: 0 });

/** Adds an outcome to the guild's counters (returns a new object). */
export function tally(stats: VerificationStats, event: AnswerOutcome | 'timed-out' | 'removed'): VerificationStats {
  switch (event) {
    case 'passed':
      return { ...stats, passed: stats.passed + 1 };
    case 'wrong':
    case 'pasted':
    case 'used-up':
      return { ...stats, failed: stats.failed + 1 };
    case 'expired':
    case 'timed-out':
      return { ...stats, timedOut: stats.timedOut + 1 };
    case 'removed':
      return { ...stats, removed: stats.removed + 1 };
    default:
      return stats;
  }
}
