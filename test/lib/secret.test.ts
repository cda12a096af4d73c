import { afterEach, describe, expect, it, vi } from 'vitest';
import { sameSecret } from '../../src/lib/hex.ts';

describe('sameSecret', () => {
  afterEach(() => vi.restoreAllMocks());

  it('tells equal secrets from different ones, whatever their lengths', async () => {
    expect(await sameSecret('a'.repeat(64), 'a'.repeat(64))).toBe(true);
    expect(await sameSecret('a'.repeat(64), `${'a'.repeat(63)}b`)).toBe(false);
    expect(await sameSecret('abc', 'abcd')).toBe(false);
    expect(await sameSecret('', 'x')).toBe(false);
    expect(await sameSecret('', '')).toBe(true);
  });

  it('does the same work when the lengths differ: both sides are digested, nothing returns early', async () => {
    const digest = vi.spyOn(crypto.subtle, 'digest');
    expect(await sameSecret('short', 'a much longer guess at the secret')).toBe(false);
    const seen = digest.mock.calls.map(([, data]) => new TextDecoder().decode(data as Uint8Array));
    expect(seen.sort()).toEqual(['a much longer guess at the secret', 'short']);
  });
});
