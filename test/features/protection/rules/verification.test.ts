import { describe, expect, it } from 'vitest';
import { CAPTCHA_ALPHABET } from '../../../../src/features/protection/rules/captcha-image.ts';
import {
  beginChallenge,
  DEFAULT_VERIFICATION,
  emptyVerificationStats,
  expireChallenge,
  issueChallenge,
  looksPasted,
  newVerificationEntry,
  nextDeadline,
  normalizeAnswer,
  parseVerificationConfig,
  removalDue,
  submitAnswer,
  tally,
  type VerificationConfig,
  type VerificationEntry,
} from '../../../../src/features/protection/rules/verification.ts';
import { encodeGrayPng } from '../../../../src/lib/png.ts';

const T0 = Date.UTC(2025, 7, 1);

/** A seeded generator, so challenges are reproducible. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

const config = (over: Partial<VerificationConfig> = {}): VerificationConfig => ({ ...DEFAULT_VERIFICATION, enabled: true, unverifiedRoleId: '900', ...over });

function started(kind: VerificationConfig['challenge'], seed = 1, over: Partial<VerificationConfig> = {}) {
  const cfg = config({ challenge: kind, ...over });
  const r = beginChallenge(newVerificationEntry('u1', T0), cfg, seeded(seed), T0 + 1000);
  if (!r.ok) throw new Error(r.error.message);
  return { cfg, ...r.value };
}

describe('verification challenges', () => {
  it('question: the answer is typed, not shown; a right answer passes', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { cfg, entry, view } = started('question', seed);
      expect(view.kind).toBe('question');
      const answers = entry.challenge!.answers;
      expect(answers.length).toBeGreaterThan(0);
      const r = submitAnswer(entry, ` ${answers[0]!.toUpperCase()}. `, cfg, T0 + 2000);
      expect(r.outcome, view.kind === 'question' ? view.prompt : '').toBe('passed');
      expect(r.entry).toMatchObject({ status: 'verified', verifiedAt: T0 + 2000, challenge: null });
    }
  });

  it('accepts a number in digits or words', () => {
    const { cfg, entry, view } = [...Array(60).keys()]
      .map((s) => started('question', s + 1))
      .find((c) => c.view.kind === 'question' && c.view.prompt.includes(' plus '))!;
    if (view.kind !== 'question') throw new Error('kind');
    const digits = entry.challenge!.answers.find((a) => /^\d+$/.test(a))!;
    const words = entry.challenge!.answers.find((a) => /^[a-z]+$/.test(a))!;
    expect(submitAnswer(entry, digits, cfg, T0 + 2000).outcome).toBe('passed');
    expect(submitAnswer(entry, words, cfg, T0 + 2000).outcome).toBe('passed');
  });

  it('text CAPTCHA: copying the displayed code is detected; typing it passes', () => {
    const { cfg, entry, view } = started('text', 3);
    if (view.kind !== 'text') throw new Error('kind');
    const code = entry.challenge!.answers[0]!;
    expect(code).toHaveLength(6);
    expect([...view.display].some((ch) => ch.charCodeAt(0) < 128)).toBe(false);
    expect(looksPasted(view.display)).toBe(true);
    const pasted = submitAnswer(entry, view.display, cfg, T0 + 2000);
    expect(pasted).toMatchObject({ outcome: 'pasted', attemptsLeft: 2 });
    expect(submitAnswer(pasted.entry, code.toUpperCase(), cfg, T0 + 3000)).toMatchObject({ outcome: 'passed' });
  });

  it('image CAPTCHA: a PNG of the code from the unambiguous alphabet', () => {
    const { cfg, entry, view } = started('image', 5);
    if (view.kind !== 'image') throw new Error('kind');
    expect([...view.png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const ihdr = new DataView(view.png.buffer, view.png.byteOffset + 16, 8);
    expect(ihdr.getUint32(4)).toBe(80);
    const code = entry.challenge!.answers[0]!.toUpperCase();
    expect([...code].every((ch) => CAPTCHA_ALPHABET.includes(ch))).toBe(true);
    expect(submitAnswer(entry, code.toLowerCase(), cfg, T0 + 2000).outcome).toBe('passed');
  });

  it('encodes a valid PNG: chunk layout, and an IDAT that inflates back to the scanlines', async () => {
    const png = encodeGrayPng(2, 1, Uint8Array.of(0, 255));
    expect(png.length).toBe(8 + 25 + (12 + 2 + 5 + 3 + 4) + 12);
    // IEND's CRC is a constant of the format.
    expect([...png.subarray(png.length - 4)]).toEqual([0xae, 0x42, 0x60, 0x82]);
    const idat = png.subarray(8 + 25 + 8, 8 + 25 + 8 + 14);
    const inflated = new Uint8Array(await new Response(new Blob([idat]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer());
    expect([...inflated]).toEqual([0, 0, 255]);
  });
});

describe('verification accounting', () => {
  it('counts wrong answers, uses up the challenge, then enforces the cool-down', () => {
    const { cfg, entry } = started('question', 2, { maxAttempts: 2, retryCooldownMs: 30_000 });
    const first = submitAnswer(entry, 'definitely wrong', cfg, T0 + 2000);
    expect(first).toMatchObject({ outcome: 'wrong', attemptsLeft: 1, message: 'Wrong answer. 1 attempt left.' });
    const second = submitAnswer(first.entry, 'still wrong', cfg, T0 + 3000);
    expect(second).toMatchObject({ outcome: 'used-up', entry: { failures: 2, challenge: null, cooldownUntil: T0 + 33_000 } });
    expect(beginChallenge(second.entry, cfg, seeded(9), T0 + 10_000)).toMatchObject({ ok: false, error: { code: 'cooling-down', retryAt: T0 + 33_000 } });
    expect(beginChallenge(second.entry, cfg, seeded(9), T0 + 33_000).ok).toBe(true);
    let stats = emptyVerificationStats();
    for (const o of [first.outcome, second.outcome, 'passed', 'timed-out', 'removed'] as const) stats = tally(stats, o);
    expect(stats).toEqual({ passed: 1, failed: 2, timedOut: 1, removed: 1 });
  });

  it('times a challenge out, counting it, and refuses a late answer', () => {
    const { cfg, entry } = started('question', 4);
    const due = entry.challenge!.expiresAt;
    expect(due).toBe(T0 + 1000 + cfg.challengeTtlMs);
    expect(expireChallenge(entry, due - 1)).toEqual({ entry, timedOut: false });
    const late = submitAnswer(entry, entry.challenge!.answers[0]!, cfg, due);
    expect(late).toMatchObject({ outcome: 'expired', entry: { timeouts: 1, challenge: null, status: 'pending' } });
    expect(expireChallenge(entry, due)).toMatchObject({ timedOut: true, entry: { timeouts: 1 } });
  });

  it('removes members who never verify when the guild asks for it', () => {
    const cfg = config({ removeAfterMs: 3_600_000 });
    const entry: VerificationEntry = newVerificationEntry('u2', T0);
    expect(nextDeadline(entry, cfg)).toBe(T0 + 3_600_000);
    expect(removalDue(entry, cfg, T0 + 3_599_999)).toBe(false);
    expect(removalDue(entry, cfg, T0 + 3_600_000)).toBe(true);
    expect(removalDue({ ...entry, status: 'verified' }, cfg, T0 + 9_999_999)).toBe(false);
    expect(removalDue(entry, config(), T0 + 9_999_999)).toBe(false);
  });

  it('validates the configuration', () => {
    expect(parseVerificationConfig({})).toEqual({ ok: true, value: DEFAULT_VERIFICATION });
    expect(parseVerificationConfig({ enabled: true })).toMatchObject({ ok: false, error: [{ path: 'verification.unverifiedRoleId' }] });
    expect(parseVerificationConfig({ enabled: true, unverifiedRoleId: '900', challenge: 'image', removeAfterMs: 600_000 })).toMatchObject({
      ok: true,
      value: { challenge: 'image', removeAfterMs: 600_000 },
    });
  });

  it('normalizes answers and issues reproducible challenges from the injected random source', () => {
    expect(normalizeAnswer('  Ｔｗｅｌｖｅ! ')).toBe('twelve');
    expect(issueChallenge('text', seeded(11), T0, 1000).stored).toEqual(issueChallenge('text', seeded(11), T0, 1000).stored);
  });
});
