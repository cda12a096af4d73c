import { err, ok, type Result } from '../lib/result.ts';
import type { DeliveryTag } from './handover.ts';
import type { Phase, SessionConfig } from './session.ts';

/** What a ShardActor runs with; the supervisor builds it, the actor persists it. */
export interface ShardConfig {
  shardId: number;
  shardCount: number;
  intents: number;
  gatewayUrl: string;
  /** Epoch ms before which this shard must not identify (Discord's identify buckets). */
  notBefore: number;
  /** The shard set's generation (src/gateway/handover.ts); absent in configs saved before re-sharding existed. */
  generation?: number;
  /** A new set during a re-shard: its events are held by the guilds until it is promoted. */
  shadow?: boolean;
  /** The set in charge during a re-shard: guilds remember what they applied from it. */
  recording?: boolean;
}

const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isOptionalBool = (v: unknown) => v === undefined || typeof v === 'boolean';

/**
 * A config a shard can run with, or what is wrong with it. Checked before
 * anything is stored or closed, so a bad one changes nothing.
 */
export function validateShardConfig(c: ShardConfig): Result<ShardConfig, string> {
  const problems: string[] = [];
  if (!isInt(c.shardCount, 1)) problems.push(`shardCount must be a whole number ≥ 1 (got ${String(c.shardCount)})`);
  if (!isInt(c.shardId, 0) || (isInt(c.shardCount, 1) && c.shardId >= c.shardCount))
    problems.push(`shardId must be a whole number in [0, shardCount) (got ${String(c.shardId)})`);
  if (!isInt(c.intents, 0)) problems.push(`intents must be a non-negative bitfield (got ${String(c.intents)})`);
  if (typeof c.gatewayUrl !== 'string' || !/^wss?:\/\/[^\s/]+/.test(c.gatewayUrl))
    problems.push(`gatewayUrl must be a ws:// or wss:// URL (got ${JSON.stringify(c.gatewayUrl)})`);
  if (typeof c.notBefore !== 'number' || !Number.isFinite(c.notBefore)) problems.push(`notBefore must be epoch milliseconds (got ${String(c.notBefore)})`);
  if (c.generation !== undefined && !isInt(c.generation, 1)) problems.push(`generation must be a whole number ≥ 1 (got ${String(c.generation)})`);
  if (!isOptionalBool(c.shadow) || !isOptionalBool(c.recording)) problems.push('shadow and recording must be true, false or absent');
  if (c.shadow === true && c.recording === true) problems.push('a shard cannot be a shadow and recording at once');
  return problems.length ? err(`bad shard config: ${problems.join('; ')}`) : ok(c);
}

export const WATCHDOG_MS = 30_000;

/**
 * The alarm: before `notBefore` it only waits; after, a shard without a
 * socket that is not fatally stopped or already backing off connects again.
 * It always comes back, so every constructor run (deploy, eviction) ends in a
 * reconnect and resume.
 */
export function watchdog(config: ShardConfig, now: number, connected: boolean, phase: Phase): { connect: boolean; nextAt: number } {
  if (now < config.notBefore) return { connect: false, nextAt: config.notBefore };
  return { connect: !connected && phase !== 'fatal' && phase !== 'backoff', nextAt: now + WATCHDOG_MS };
}

/** What the protocol machine needs of a config at one step. */
export const sessionConfig = (c: ShardConfig, token: string, now: number, random: number): SessionConfig => ({
  token,
  intents: c.intents,
  shard: [c.shardId, c.shardCount],
  gatewayUrl: c.gatewayUrl,
  now,
  random,
});

/**
 * How a batch is tagged for its guild (src/gateway/handover.ts): generation
 * and recording as the config says when it is sent, since a handover may have
 * begun since its events arrived; shadow as when they arrived.
 */
export const deliveryTag = (c: ShardConfig | null, shadow: boolean): DeliveryTag => ({
  generation: c?.generation ?? 1,
  shadow,
  recording: c?.recording === true,
});
