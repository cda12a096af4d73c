import { beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../../src/gateway/events.ts';
import { now } from '../../../src/runtime/clock.ts';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { env, newGuild, type TestGuild } from '../../helpers.ts';
import { adminSession, allowCallback, api, createKey } from '../api/support.ts';

/** The same counts through the REST API (GET /api/v1/guilds/:id/analytics), with a read key. */

let g: TestGuild;
let other: TestGuild;
let key: string;
let otherKey: string;

beforeAll(async () => {
  await allowCallback();
  [g, other] = await Promise.all([newGuild(2, 1), newGuild(2, 1)]);
  key = (await createKey(g, await adminSession(g), 'read')).key;
  otherKey = (await createKey(other, await adminSession(other), 'read')).key;
  const join = (i: number): GatewayEvent => ({
    s: i,
    t: 'GUILD_MEMBER_ADD',
    d: {
      guild_id: g.guildId,
      user: { id: String(930_000_000_000_000_000n + BigInt(i)), username: `a${i}`, bot: true },
      roles: [],
      joined_at: new Date(now()).toISOString(),
    },
  });
  await guildActor(env, g.guildId).applyEvents(0, `api-${Date.now()}`, [join(1), join(2)]);
});

describe('GET /api/v1/guilds/:id/analytics', () => {
  it('answers the range’s series and totals to a read key', async () => {
    const r = await api<{ range: string; totals: { join: number }; series: { join: number[] }; buckets: number[] }>(
      'GET',
      `/api/v1/guilds/${g.guildId}/analytics?range=1h`,
      { auth: key },
    );
    expect(r.status).toBe(200);
    expect(r.body.range).toBe('1h');
    expect(r.body.totals.join).toBe(2);
    expect(r.body.series.join).toHaveLength(r.body.buckets.length);
    expect(r.body).not.toHaveProperty('paused');
  });

  it('refuses a bad range, no credentials and another guild’s key', async () => {
    expect((await api('GET', `/api/v1/guilds/${g.guildId}/analytics?range=5y`, { auth: key })).status).toBe(400);
    expect((await api('GET', `/api/v1/guilds/${g.guildId}/analytics`)).status).toBe(401);
    expect((await api('GET', `/api/v1/guilds/${g.guildId}/analytics`, { auth: otherKey })).status).toBe(403);
  });
});
