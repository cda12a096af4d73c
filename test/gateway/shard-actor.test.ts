import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ShardConfig } from '../../src/gateway/shard-config.ts';
import { shardActor } from '../../src/runtime/actors.ts';
import { env } from '../helpers.ts';

describe('shard actor start', () => {
  it('refuses a bad config with a clear error and changes nothing: no config stored, no alarm, still stopped', async () => {
    // A shard name no other test uses, so nothing else has started it.
    const shard = shardActor(env, 5, 9);
    const bad: ShardConfig = { shardId: 5, shardCount: 9, intents: 513, gatewayUrl: 'https://not-a-socket.example', notBefore: Date.now() };
    const r = await shard.start(bad);
    expect(r).toEqual({ ok: false, error: expect.stringContaining('gatewayUrl must be a ws:// or wss:// URL') });
    expect((await shard.status()).phase).toBe('stopped');
    await runInDurableObject(shard as never, async (_i: unknown, state: DurableObjectState) => {
      expect(await state.storage.getAlarm()).toBeNull();
      expect(state.storage.sql.exec(`SELECT k FROM shard`).toArray()).toEqual([]);
    });
  });
});
