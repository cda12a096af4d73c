import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../../src/features/audit/mask.ts';

describe('masking: the gaps an attacker found', () => {
  it('masks card numbers written with dots', () => {
    expect(maskPersonalData('card 4111.1111.1111.1111 please')).toBe('card [card] please');
    // Still Luhn-checked: a dotted version string or a wrong number stays.
    expect(maskPersonalData('build 1.2.3.4 and 4111.1111.1111.1112')).toBe('build 1.2.3.4 and 4111.1111.1111.1112');
  });

  it('masks pw: and passcode values', () => {
    expect(maskPersonalData('pw: hunter2')).toBe('pw: [redacted]');
    expect(maskPersonalData('my passcode is 0042')).toBe('my passcode is [redacted]');
    expect(maskPersonalData('PASSCODE=778899')).toBe('PASSCODE=[redacted]');
  });

  it('masks the whole passphrase to the end of the line, not only its first word', () => {
    expect(maskPersonalData('password: correct horse battery')).toBe('password: [redacted]');
    expect(maskPersonalData('login fails\npassword is correct horse battery staple\nthanks')).toBe('login fails\npassword is [redacted]\nthanks');
  });

  it('never takes a Discord id for a card number, even one that passes the Luhn check', () => {
    // 1578446447672688644 passes the Luhn check; it is a user id from 2026.
    expect(maskPersonalData('member:1578446447672688644 skipped, <@1578446447672688644>')).toBe('member:1578446447672688644 skipped, <@1578446447672688644>');
    expect(maskPersonalData('card 6011000990139424')).toBe('card [card]');
    expect(maskPersonalData('card 6200000000000000000')).toBe('card [card]');
  });

  it('leaves words that only start like a keyword alone, and stays idempotent', () => {
    expect(maskPersonalData('I passed the pwned check; passport expired')).toBe('I passed the pwned check; passport expired');
    expect(maskPersonalData('my battle pass is broken since the update')).toBe('my battle pass is broken since the update');
    expect(maskPersonalData('pass: hunter2 hunter3')).toBe('pass: [redacted]');
    const once = maskPersonalData('pw: a b c, card 4111.1111.1111.1111');
    expect(maskPersonalData(once)).toBe(once);
  });
});
