import { type APIMessage, Routes } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordRest } from '../../src/discord/rest.ts';
import { lastSeq, newGuild, sim, simApi, simLog } from '../helpers.ts';

const client = (opts: Partial<ConstructorParameters<typeof DiscordRest>[0]> = {}) =>
  new DiscordRest({ token: sim.botToken, apiBase: sim.apiBase, backoffBaseMs: 20, ...opts });

afterEach(async () => {
  await simApi('/_sim/faults', { method: 'DELETE' });
});

describe('REST client against the simulator', () => {
  it('uses DISCORD_API_BASE and reads per-route buckets so a burst never hits a 429', async () => {
    const g = await newGuild();
    const rest = client();
    expect(rest.apiBase).toBe(sim.apiBase);
    await simApi('/_sim/ratelimits', { body: { route: 'POST /channels/{channel_id}/messages', limit: 3, windowMs: 600 } });
    const before = await lastSeq();
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) => rest.post<APIMessage>(Routes.channelMessages(g.generalChannelId), { body: { content: `burst ${i}` } })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const calls = (await simLog(before)).filter((c) => c.route === 'POST /channels/{channel_id}/messages');
    expect(calls.map((c) => c.status).filter((s) => s === 429).length).toBeLessThanOrEqual(1);
    // 7 messages at 3 per 600 ms need at least two refills.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await simApi('/_sim/ratelimits', { body: { route: 'POST /channels/{channel_id}/messages', limit: 5, windowMs: 5000 } });
  });

  it('honours a bucket 429 and a global 429 (retry_after, X-RateLimit-Global), then succeeds', async () => {
    const g = await newGuild();
    const rest = client();
    await simApi('/_sim/faults', { body: { path: `^/channels/${g.generalChannelId}$`, status: 429, retryAfter: 0.3, times: 1 } });
    const t0 = Date.now();
    const r1 = await rest.get(Routes.channel(g.generalChannelId));
    expect(r1.ok).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await simApi('/_sim/faults', { body: { path: `^/guilds/${g.guildId}$`, status: 429, retryAfter: 0.4, global: true, times: 1 } });
    const t1 = Date.now();
    const [r2, r3] = await Promise.all([
      rest.get(Routes.guild(g.guildId)),
      (async () => {
        await new Promise((r) => setTimeout(r, 100));
        return rest.get(Routes.channel(g.supportChannelId));
      })(),
    ]);
    expect(r2.ok && r3.ok).toBe(true);
    // The second request waited out the global limit too.
    expect(Date.now() - t1).toBeGreaterThanOrEqual(390);
  });

  it('retries 5xx and network errors with backoff, a bounded number of times', async () => {
    const g = await newGuild();
    const rest = client({ maxRetries: 3 });
    const before = await lastSeq();
    await simApi('/_sim/faults', { body: { path: `^/channels/${g.generalChannelId}$`, status: 502, times: 2 } });
    expect((await rest.get(Routes.channel(g.generalChannelId))).ok).toBe(true);
    await simApi('/_sim/faults', { body: { path: `^/channels/${g.supportChannelId}$`, status: 'reset', times: 1 } });
    expect((await rest.get(Routes.channel(g.supportChannelId))).ok).toBe(true);
    await simApi('/_sim/faults', { body: { path: `^/guilds/${g.guildId}$`, status: 500, times: 10 } });
    const failed = await rest.get(Routes.guild(g.guildId));
    expect(failed).toMatchObject({ ok: false, error: { kind: 'discord', status: 500 } });
    const calls = (await simLog(before)).filter((c) => c.path === `/guilds/${g.guildId}`);
    expect(calls).toHaveLength(4);
  });

  it('returns Discord errors as values with their code', async () => {
    const g = await newGuild();
    const r = await client().post(Routes.channelMessages(g.generalChannelId), { body: { content: 'x'.repeat(2001) } });
    expect(r).toMatchObject({ ok: false, error: { kind: 'discord', status: 400, code: 50035 } });
    const unknown = await client().get(Routes.channel('1234567890123456789'));
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'discord', status: 404, code: 10003 } });
  });
});
