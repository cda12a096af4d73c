import { SELF } from 'cloudflare:test';
import { afterAll, describe, expect, it } from 'vitest';
import { guildActor, shardActor } from '../../src/runtime/actors.ts';
import { env, eventually, simApi } from '../helpers.ts';

const BASE = 'http://guildkeep.test';
const admin = (path: string, method = 'GET', body?: string) =>
  SELF.fetch(BASE + path, { method, headers: { Authorization: 'Bearer test-admin-token' }, ...(body !== undefined ? { body } : {}) });

interface Shard {
  phase: string;
  shadow: boolean;
  generation: number;
  guildsPending: number;
  shard: [number, number] | null;
}
interface Status {
  running: boolean;
  plan?: { shardCount: number; generation: number; next?: unknown; promoting?: boolean };
  shards: Shard[];
  next?: Shard[];
}
const status = async () => (await (await admin('/admin/gateway')).json()) as Status;

afterAll(async () => {
  for (const [id, count] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ] as const)
    await shardActor(env, id, count).stop();
  await simApi('/_sim/gateway/reset', { body: {} });
  await simApi('/_sim/gateway/config', { body: { shards: 1 } });
});

describe('re-sharding', () => {
  it('moves from 1 to 2 shards while 6,000 events flow, applying every event exactly once', async () => {
    await simApi('/_sim/gateway/config', { body: { shards: 1, maxConcurrency: 2, heartbeatIntervalMs: 1000, identifyIntervalMs: 0 } });
    expect((await admin('/admin/gateway/start', 'POST')).status).toBe(202);
    await eventually(async () => (await status()).shards[0]?.phase === 'ready', 15_000, 'one shard ready');

    const flood = simApi<{ sent: number; perGuild: Record<string, number> }>('/_sim/gateway/flood', { body: { guilds: 200, events: 6_000, ratePerS: 400 } });
    await new Promise((r) => setTimeout(r, 3_000));
    // Discord now recommends two shards.
    await simApi('/_sim/gateway/config', { body: { shards: 2 } });
    expect((await admin('/admin/gateway/reshard', 'POST', '{"shards": 0}')).status).toBe(400);
    const started = await admin('/admin/gateway/reshard', 'POST');
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ from: 1, to: 2 });
    const again = await admin('/admin/gateway/reshard', 'POST');
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'a re-shard to 2 shards is already in progress' });

    // While both sets run, /admin/gateway shows the new one as shadows.
    const during = await status();
    expect(during.next?.map((s) => s.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);

    const done = await eventually(
      async () => {
        const s = await status();
        return s.plan?.shardCount === 2 && !s.plan.next && !s.plan.promoting && s.shards.every((x) => x.phase === 'ready' && !x.shadow) ? s : null;
      },
      45_000,
      'the new set in charge',
    );
    expect(done.shards.map((s) => s.generation)).toEqual([done.plan!.generation, done.plan!.generation]);
    expect((await shardActor(env, 0, 1).status()).phase).toBe('stopped');

    const sent = await flood;
    expect(sent.sent).toBe(6_000);
    const ids = Object.keys(sent.perGuild);
    const applied = async (id: string) => (await guildActor(env, id).gatewaySummary()).counts.find((c) => c.kind === 'message')?.n ?? 0;
    try {
      await eventually(
        async () => {
          for (const id of ids) if ((await applied(id)) < sent.perGuild[id]!) return false;
          return true;
        },
        45_000,
        'every flood event applied',
      );
    } catch (err) {
      const { runInDurableObject } = await import('cloudflare:test');
      console.log('DIAG status', JSON.stringify(await status()).slice(0, 3000));
      for (const id of ids) {
        const n = await applied(id);
        if (n === sent.perGuild[id]) continue;
        await runInDurableObject(guildActor(env, id) as never, (_i: unknown, state: DurableObjectState) => {
          const q = (x: string) => JSON.stringify(state.storage.sql.exec(x).toArray());
          console.log(
            'DIAG guild',
            id,
            n,
            sent.perGuild[id],
            q('SELECT * FROM gateway_owner'),
            q('SELECT generation, s, t FROM handover_held'),
            q('SELECT count(*) c FROM handover_seen'),
            q('SELECT * FROM gateway_applied'),
          );
        });
      }
      throw err;
    }
    // Nothing twice, although both sets received the overlap.
    for (const id of ids) expect(await applied(id), id).toBe(sent.perGuild[id]);
    // Both shard sets really carried part of the stream: the old one's session and the two new ones.
    const sessions = (await simApi<{ sessions: { shard: [number, number]; seq: number }[] }>('/_sim/gateway/sessions')).sessions;
    for (const shard of [
      [0, 1],
      [0, 2],
      [1, 2],
    ])
      expect(
        sessions.some((x) => x.shard[0] === shard[0] && x.shard[1] === shard[1] && x.seq > 100),
        JSON.stringify(shard),
      ).toBe(true);
  }, 150_000);
});
