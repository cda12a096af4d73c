import { describe, expect, it } from 'vitest';
import { maskDeep, maskPersonalData } from '../../../src/features/audit/mask.ts';

describe('masking personal data', () => {
  it('masks e-mail addresses, card numbers, Discord tokens and passwords', () => {
    const token = 'MTA1MjM0NTY3ODkwMTIzNDU2Nw.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';
    const input = `mail me at jane.doe+games@example.co.uk, card 4111 1111 1111 1111, token ${token}, password: hunter2\npwd=abc`;
    const out = maskPersonalData(input);
    expect(out).toBe('mail me at [email], card [card], token [token], password: [redacted]\npwd=[redacted]');
  });

  it('leaves order numbers and ordinary text alone', () => {
    expect(maskPersonalData('order 1234567890123 failed at 12:30')).toBe('order 1234567890123 failed at 12:30');
    expect(maskPersonalData('my game crashes on level 4')).toBe('my game crashes on level 4');
  });

  it('is idempotent and reaches nested values', () => {
    const once = maskPersonalData('a@b.io 5500-0000-0000-0004');
    expect(maskPersonalData(once)).toBe(once);
    expect(maskDeep({ a: ['x@y.com'], b: { c: 'password is secret' }, n: 3 })).toEqual({ a: ['[email]'], b: { c: 'password is [redacted]' }, n: 3 });
  });
});
