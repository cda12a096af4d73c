import { Routes } from 'discord-api-types/v10';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../../src/lib/hex.ts';
import { lastSeq, newGuild, sim, simApi, simLog } from '../helpers.ts';

/** Raw calls to the simulator's REST API, marked so the suite's OpenAPI audit of the bot's own requests leaves them out. */
async function discord(method: string, path: string, body?: unknown, token = sim.botToken) {
  const res = await fetch(sim.apiBase + path, {
    method,
    headers: { Authorization: `Bot ${token}`, 'X-Sim-Deliberately-Invalid': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

const button = (id: string) => ({ type: 2, style: 1, label: 'x', custom_id: id });
const row = (n: number) => ({ type: 1, components: Array.from({ length: n }, (_, i) => button(`b${i}`)) });

describe('the local Discord simulator follows Discord’s documented limits', () => {
  it('refuses a bad token with 401 and counts it as an invalid request', async () => {
    const r = await discord('GET', '/users/@me', undefined, 'not-the-token');
    expect(r.status).toBe(401);
  });

  it('validates message payloads: content ≤ 2000, ≤ 5 action rows, ≤ 5 buttons, custom_id ≤ 100 and unique', async () => {
    // Invalid requests count against the bucket too (5 per 5 s per channel), so spread them.
    const [a, b] = [await newGuild(), await newGuild()];
    const channels = [a.generalChannelId, a.supportChannelId, b.generalChannelId, b.supportChannelId];
    let n = 0;
    const post = (body: unknown) => discord('POST', Routes.channelMessages(channels[n++ % channels.length]!), body);
    expect((await post({ content: 'x'.repeat(2000) })).status).toBe(200);
    const long = await post({ content: 'x'.repeat(2001) });
    expect(long.body).toMatchObject({ code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
    expect(
      (await post({ content: 'rows', components: Array.from({ length: 6 }, () => row(1)).map((r, i) => ({ ...r, components: [button(`r${i}`)] })) })).body,
    ).toMatchObject({ code: 50035 });
    expect((await post({ content: 'buttons', components: [row(6)] })).body).toMatchObject({ code: 50035 });
    expect((await post({ content: 'id', components: [{ type: 1, components: [button('x'.repeat(101))] }] })).body).toMatchObject({ code: 50035 });
    expect((await post({ content: 'dup', components: [{ type: 1, components: [button('same'), button('same')] }] })).body).toMatchObject({ code: 50035 });
    expect((await post({})).body).toMatchObject({ code: 50006 });
  });

  it('validates commands: at most 25 choices per option', async () => {
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` }));
    const r = await discord('PUT', Routes.applicationCommands(sim.applicationId), [
      { name: 'x', description: 'x', options: [{ type: 3, name: 'o', description: 'o', choices }] },
    ]);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 50035 });
  });

  it("sends Discord's rate-limit headers and a 429 with retry_after when a bucket is spent", async () => {
    const g = await newGuild();
    const before = await lastSeq();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof discord>> | null = null;
    for (let i = 0; i < 6; i++) {
      const r = await discord('POST', Routes.channelMessages(g.supportChannelId), { content: `m${i}` });
      statuses.push(r.status);
      if (r.status === 200) {
        expect(r.headers.get('x-ratelimit-limit')).toBe('5');
        expect(r.headers.get('x-ratelimit-bucket')).toMatch(/.+/);
        expect(Number(r.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(0);
      } else limited = r;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(limited!.body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(limited!.body!.retry_after).toBeGreaterThan(0);
    expect(limited!.headers.get('x-ratelimit-scope')).toBe('user');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await simLog(before)).map((c) => c.status)).toEqual(statuses);
  });

  it('signs interactions with its own Ed25519 key, as Discord does', async () => {
    const s = await simApi<{ body: string; headers: Record<string, string> }>('/_sim/interactions', { body: { type: 1 } });
    const ok = nacl.sign.detached.verify(
      new TextEncoder().encode(s.headers['X-Signature-Timestamp']! + s.body),
      hexToBytes(s.headers['X-Signature-Ed25519']!)!,
      hexToBytes(sim.publicKeyHex)!,
    );
    expect(ok).toBe(true);
  });
});
