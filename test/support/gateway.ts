import { SELF } from 'cloudflare:test';
import { shardActor } from '../../src/runtime/actors.ts';
import { env, eventually, simApi } from '../helpers.ts';

const ADMIN = { Authorization: 'Bearer test-admin-token' };

/**
 * Starts the bot's gateway shard (one of one) against the simulator, fast
 * heartbeats and no IDENTIFY spacing, and waits until it is ready.
 *
 * `reseed` first empties the simulator of earlier files' guilds: at IDENTIFY a
 * bot gets a GUILD_CREATE for every guild it is in, and each starts a
 * background invite read (rate-limited like Discord's), so a few hundred
 * leftover guilds delay the first snapshot by seconds. Not for a file that
 * made its guilds before starting.
 */
export async function startGateway(opts: { reseed?: boolean } = {}): Promise<void> {
  if (opts.reseed) await simApi('/_sim/reseed', { body: {} });
  await simApi('/_sim/gateway/config', { body: { heartbeatIntervalMs: 1000, identifyIntervalMs: 0 } });
  const r = await SELF.fetch('http://guildkeep.test/admin/gateway/start', { method: 'POST', headers: ADMIN });
  await r.body?.cancel();
  if (r.status !== 202) throw new Error(`gateway start: ${r.status}`);
  await eventually(
    async () => {
      const s = (await (await SELF.fetch('http://guildkeep.test/admin/gateway', { headers: ADMIN })).json()) as { shards: { phase: string }[] };
      return s.shards[0]?.phase === 'ready';
    },
    20_000,
    'shard ready',
  );
}

/** Stops the shard and closes the simulator's sessions (for the next file). */
export async function stopGateway(): Promise<void> {
  await shardActor(env, 0, 1).stop();
  await simApi('/_sim/gateway/reset', { body: {} });
}
