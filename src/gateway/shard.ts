/** Shard maths, as Discord documents it. */

/** The shard that receives a guild's events: `(guild_id >> 22) % shard_count`. */
export function shardForGuild(guildId: string, shardCount: number): number {
  if (!/^\d{1,20}$/.test(guildId)) throw new Error(`not a snowflake: ${guildId}`);
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new Error(`bad shard count: ${shardCount}`);
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Shards that may IDENTIFY together share a key: `shard_id % max_concurrency`; one identify per key per 5 s. */
export function identifyKey(shardId: number, maxConcurrency: number): number {
  return shardId % Math.max(1, maxConcurrency);
}

export const IDENTIFY_INTERVAL_MS = 5_000;

/** At least Discord's recommendation, and never more than 1,000 guilds a shard (2,500 is the hard cap). */
export function shardCountFor(recommended: number, guilds: number): number {
  return Math.max(1, recommended, Math.ceil(guilds / 1000));
}

/**
 * When each shard may identify: shards in the same key wait 5 s after the
 * previous one of that key; different keys go together.
 */
export function identifySchedule(shardCount: number, maxConcurrency: number, startAt: number): number[] {
  const nextByKey = new Map<number, number>();
  return Array.from({ length: shardCount }, (_, id) => {
    const key = identifyKey(id, maxConcurrency);
    const at = nextByKey.get(key) ?? startAt;
    nextByKey.set(key, at + IDENTIFY_INTERVAL_MS);
    return at;
  });
}
