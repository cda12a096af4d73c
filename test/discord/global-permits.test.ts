import type { APIInteraction } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { GRANTS_PER_WINDOW, grant, PERMIT_TTL_MS, PermitPool } from '../../src/discord/global-permits.ts';
import { deliverSigned, lastSeq, newGuild, provisioned, replyText, type SimCall, simApi, simLog, slash } from '../helpers.ts';

describe('the global request limit across actors', () => {
  it('grants at most 35 permits per sliding second, and nothing while paused', () => {
    const s = { grants: [] as number[], pausedUntil: 0 };
    expect(grant(s, 30, 0)).toEqual({ granted: 30, at: 0, retryAfterMs: 0 });
    expect(grant(s, 30, 500)).toEqual({ granted: GRANTS_PER_WINDOW - 30, at: 500, retryAfterMs: 0 });
    expect(GRANTS_PER_WINDOW).toBe(35);
    expect(grant(s, 5, 900)).toEqual({ granted: 0, at: 900, retryAfterMs: 100 });
    expect(grant(s, 5, 1000)).toEqual({ granted: 5, at: 1000, retryAfterMs: 0 });
    s.pausedUntil = 3000;
    expect(grant(s, 5, 2000)).toEqual({ granted: 0, at: 2000, retryAfterMs: 1000 });
    // Grants per window, each used within PERMIT_TTL_MS, stay well under Discord's 50/s.
    expect(GRANTS_PER_WINDOW * (1 + PERMIT_TTL_MS / 1000)).toBeLessThanOrEqual(45);
  });

  it('a pool takes small batches and shares them between callers', async () => {
    const takes: number[] = [];
    const pool = new PermitPool(() => ({
      take: async (n) => {
        takes.push(n);
        return { granted: n, at: Date.now(), retryAfterMs: 0 };
      },
      pause: async () => {},
    }));
    await Promise.all(Array.from({ length: 20 }, () => pool.acquire()));
    expect(takes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(20);
    expect(takes.every((n) => n <= 8)).toBe(true);
  });

  it('background requests wait while any other request of the isolate wants a permit', async () => {
    // The governor answers one permit at a time, when the test says: ten background requests queue first, then one a moderator waits for.
    const answers: (() => void)[] = [];
    const pool = new PermitPool(() => ({
      take: () => new Promise((resolve) => answers.push(() => resolve({ granted: 1, at: Date.now(), retryAfterMs: 0 }))),
      pause: async () => {},
    }));
    const settled = async (ok: () => boolean) => {
      for (let i = 0; i < 1000 && !ok(); i++) await new Promise((r) => setTimeout(r, 0));
      expect(ok()).toBe(true);
    };
    const order: string[] = [];
    const background = Array.from({ length: 10 }, (_, i) => pool.acquire(true).then(() => order.push(`b${i}`)));
    await settled(() => answers.length === 1);
    const foreground = pool.acquire().then(() => order.push('f'));
    while (order.length < 11) {
      await settled(() => answers.length > 0);
      answers.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
    await Promise.all([...background, foreground]);
    // The background request already asking may come first; no other.
    expect(order.indexOf('f')).toBeLessThanOrEqual(1);
    expect(order).toHaveLength(11);
  });

  it('a burst of 72 tickets in 12 guilds is provisioned without a 429 storm', async () => {
    const guilds = await Promise.all(Array.from({ length: 12 }, () => newGuild(6, 1)));
    const before = await lastSeq();
    const signed = await Promise.all(
      guilds.flatMap((g) =>
        g.memberIds.map((m) =>
          simApi<{ interaction: APIInteraction; body: string; headers: Record<string, string> }>('/_sim/interactions', {
            body: slash(g, m, 'ticket open', { issue_type: 'crash', severity: 'high', subject: 'burst' }),
          }),
        ),
      ),
    );
    const answers = await Promise.all(signed.map((s) => deliverSigned(s)));
    expect(answers.every((a) => /Ticket #\d+ opened/.test(replyText(a)))).toBe(true);
    // 216 bot requests at 35 per second take about 6 s.
    await Promise.all(guilds.flatMap((g) => g.memberIds.map((_, i) => provisioned(`${g.guildId}-${i + 1}`, 30_000))));
    const calls = (await simLog(before)).filter((c) => !c.path.startsWith('/webhooks/') && !c.path.startsWith('/interactions/'));
    expect(calls.length).toBeGreaterThanOrEqual(72 * 3);
    // Sent at most 42 per second; arrivals can bunch when this machine's two cores are
    // saturated, so a rare global 429 is tolerated (and honoured), a storm is not.
    expect(calls.filter((c) => c.status === 429).length).toBeLessThanOrEqual(2);
    expect(maxInAnySecond(calls)).toBeLessThanOrEqual(60);
  }, 60_000);
});

function maxInAnySecond(calls: (SimCall & { time?: number })[]): number {
  const times = calls.map((c) => (c as { time: number }).time).sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}
