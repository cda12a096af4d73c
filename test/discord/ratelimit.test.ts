import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  delayBeforeSend,
  GLOBAL_LIMIT_PER_S,
  isGlobalExempt,
  newLimiterState,
  note429,
  noteResponse,
  noteSent,
  routeKey,
} from '../../src/discord/ratelimit.ts';

describe('rate-limit maths', () => {
  it('keys routes by method, template and top-level resource', () => {
    expect(routeKey('POST', '/channels/111111111111/messages')).toEqual({ route: 'POST /channels/:id/messages', major: '111111111111' });
    expect(routeKey('POST', '/channels/222222222222/messages').major).toBe('222222222222');
    expect(routeKey('PATCH', '/webhooks/333333333333/tok-en/messages/@original')).toEqual({
      route: 'PATCH /webhooks/:id/:token/messages/@original',
      major: '333333333333/tok-en',
    });
    expect(routeKey('POST', '/interactions/444444444444/abc/callback').route).toBe('POST /interactions/:id/:token/callback');
    expect(isGlobalExempt('/interactions/1/t/callback')).toBe(true);
    expect(isGlobalExempt('/channels/1/messages')).toBe(false);
  });

  it('waits for an exhausted bucket until its reset, per resource', () => {
    const s = newLimiterState();
    noteResponse(s, 'POST /channels/:id/messages', '1', { bucket: 'abc', remaining: 0, resetAfterS: 2.5 }, 1000);
    expect(delayBeforeSend(s, 'POST /channels/:id/messages', '1', false, 1000)).toBe(2500);
    expect(delayBeforeSend(s, 'POST /channels/:id/messages', '2', false, 1000)).toBe(0);
    expect(delayBeforeSend(s, 'POST /channels/:id/messages', '1', false, 3500)).toBe(0);
  });

  it('counts down remaining locally between responses', () => {
    const s = newLimiterState();
    noteResponse(s, 'r', 'm', { bucket: 'b', remaining: 1, resetAfterS: 1 }, 0);
    noteSent(s, 'r', 'm', false, 10);
    expect(delayBeforeSend(s, 'r', 'm', false, 20)).toBe(980);
  });

  it('honours bucket and global 429s; exempt routes ignore the global one', () => {
    const s = newLimiterState();
    note429(s, 'r', 'm', 1.5, false, 0);
    expect(delayBeforeSend(s, 'r', 'm', false, 0)).toBe(1500);
    note429(s, 'other', 'x', 3, true, 0);
    expect(delayBeforeSend(s, 'any', 'y', false, 0)).toBe(3000);
    expect(delayBeforeSend(s, 'any', 'y', true, 0)).toBe(0);
  });

  it('keeps our own sends under the 50/s global limit', () => {
    const s = newLimiterState();
    for (let i = 0; i < GLOBAL_LIMIT_PER_S; i++) noteSent(s, 'r', String(i), false, i);
    expect(delayBeforeSend(s, 'r', 'new', false, 100)).toBe(900);
    expect(delayBeforeSend(s, 'r', 'new', false, 999)).toBe(1);
    expect(delayBeforeSend(s, 'r', 'new', false, 1000)).toBe(0);
  });

  it('backs off exponentially with jitter and a cap', () => {
    expect(backoffMs(0, 250, 10_000, 0)).toBe(125);
    expect(backoffMs(0, 250, 10_000, 1)).toBe(250);
    expect(backoffMs(3, 250, 10_000, 1)).toBe(2000);
    expect(backoffMs(20, 250, 10_000, 1)).toBe(10_000);
  });
});
