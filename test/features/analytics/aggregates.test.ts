import { runInDurableObject } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsData } from '../../../src/features/analytics/guild-analytics.ts';
import { bucketOf, DAY, HOUR, MINUTE, type Range } from '../../../src/features/analytics/rules.ts';
import { protection } from '../../../src/features/protection/feature.ts';
import type { GatewayEvent } from '../../../src/gateway/events.ts';
import type { GuildActor } from '../../../src/objects/guild.ts';
import { now } from '../../../src/runtime/clock.ts';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { env, newGuild, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';

/**
 * The counts behind the charts, through the guild actor's real gateway
 * intake: joins and leaves land in their minute, hour and day, and a batch
 * delivered again is counted once.
 */

let g: TestGuild;
let userN = 0;
let seq = 0;
const SESSION = `analytics-${Date.now()}`;

const join = (): GatewayEvent => {
  const id = String(900_000_000_000_000_000n + BigInt(++userN));
  return {
    s: ++seq,
    t: 'GUILD_MEMBER_ADD',
    d: { guild_id: g.guildId, user: { id, username: `u${userN}`, bot: true }, roles: [], joined_at: new Date(now()).toISOString() },
  };
};
const leave = (): GatewayEvent => ({ s: ++seq, t: 'GUILD_MEMBER_REMOVE', d: { guild_id: g.guildId, user: { id: '1', username: 'x' } } });
const apply = (events: GatewayEvent[]) => guildActor(env, g.guildId).applyEvents(0, SESSION, events);
const read = async (range: Range): Promise<AnalyticsData> => {
  const a = await guildActor(env, g.guildId).analytics({ op: 'read', range });
  if (!a.ok || !('data' in a)) throw new Error(JSON.stringify(a));
  return a.data;
};
/** Moves the clock to `ms` before the next boundary of `unit`. */
const toBefore = (unit: number, ms: number) => advanceClock(unit - (now() % unit) - ms);

beforeAll(async () => {
  g = await newGuild(2, 1);
});
afterEach(resetClock);

describe('pre-aggregated counts', () => {
  it('counts joins and leaves into the right minute, hour and day across boundaries', async () => {
    // Just before an hour (and so a minute) ends: two joins.
    toBefore(HOUR, 10_000);
    const before = now();
    await apply([join(), join()]);
    // Into the next minute and hour: a join and a leave.
    advanceClock(20_000);
    const after = now();
    expect(bucketOf(after, 'h')).toBe(bucketOf(before, 'h') + HOUR);
    await apply([join(), leave()]);

    const hour = await read('1h');
    expect(hour.series.join.slice(-2)).toEqual([2, 1]);
    expect(hour.series.leave.slice(-2)).toEqual([0, 1]);
    expect(hour.buckets.at(-1)).toBe(bucketOf(after, 'm'));
    expect(hour.totals).toMatchObject({ join: 3, leave: 1 });

    const day = await read('24h');
    expect(day.series.join.slice(-2)).toEqual([2, 1]);
    expect(day.bucketMs).toBe(HOUR);

    const month = await read('30d');
    expect(month.bucketMs).toBe(DAY);
    expect(month.totals.join).toBe(3);

    // An hour later the minute view has moved on; the day still holds them.
    advanceClock(HOUR + MINUTE);
    expect((await read('1h')).totals.join).toBe(0);
    expect((await read('24h')).totals.join).toBe(3);
  });

  it('counts a join in the minute Discord says it happened (a replayed backlog), never in the future', async () => {
    const t = now();
    const late = join();
    (late.d as { joined_at: string }).joined_at = new Date(t - 10 * MINUTE).toISOString();
    const future = join();
    (future.d as { joined_at: string }).joined_at = new Date(t + 10 * MINUTE).toISOString();
    // By bucket start, so a minute turning over between the reads changes nothing.
    const at = (d: AnalyticsData, ms: number) => d.series.join[d.buckets.indexOf(bucketOf(ms, 'm'))] ?? 0;
    const before = await read('1h');
    await apply([late, future]);
    const after = await read('1h');
    expect(at(after, t - 10 * MINUTE) - at(before, t - 10 * MINUTE)).toBe(1);
    // The one from the future counts when it was applied: now.
    expect(at(after, t) + at(after, t + MINUTE) - at(before, t) - at(before, t + MINUTE)).toBe(1);
  });

  it('counts a redelivered gateway batch once', async () => {
    const start = (await read('24h')).totals.join;
    const batch = [join(), join(), join()];
    expect(await apply(batch)).toMatchObject({ applied: 3 });
    expect(await apply(batch)).toMatchObject({ applied: 0, skipped: 3 });
    // A resend that overlaps: only the new event counts.
    expect(await apply([...batch.slice(1), join()])).toMatchObject({ applied: 1, skipped: 2 });
    expect((await read('24h')).totals.join).toBe(start + 4);
  });

  it('counts verification passes and failures from the metric path protection writes to', async () => {
    const before = (await read('1h')).totals;
    // The host protection is lent (its metric goes to Analytics Engine when bound, and to these counts).
    await runInDurableObject(guildActor(env, g.guildId), (actor: GuildActor) => {
      const host = actor['router'].hostFor(protection);
      host.metric({ kind: 'verification', guildId: g.guildId, outcome: 'pass' });
      host.metric({ kind: 'verification', guildId: g.guildId, outcome: 'pass' });
      host.metric({ kind: 'verification', guildId: g.guildId, outcome: 'fail' });
      // Joins and leaves are counted from the gateway batch, not from this path: no double count.
      host.metric({ kind: 'member', guildId: g.guildId, what: 'join' });
    });
    const after = (await read('1h')).totals;
    expect(after['verify-pass'] - before['verify-pass']).toBe(2);
    expect(after['verify-fail'] - before['verify-fail']).toBe(1);
    expect(after.join).toBe(before.join);
  });

  it('sweeps minute rows after two days and keeps the day rows', async () => {
    const stub = guildActor(env, g.guildId);
    const rows = (res: string) =>
      runInDurableObject(
        stub,
        (_actor: GuildActor, state) => state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM analytics_counts WHERE res = ?`, res).one().n,
      );
    expect(await rows('m')).toBeGreaterThan(0);
    const days = await rows('d');
    advanceClock(3 * DAY);
    await runInDurableObject(stub, (actor: GuildActor) => actor['router'].housekeeping());
    expect(await rows('m')).toBe(0);
    expect(await rows('d')).toBe(days);
    expect((await read('30d')).totals.join).toBeGreaterThan(0);
  });
});
