/** Discord snowflakes carry their creation time: milliseconds since 2015-01-01 in the top 42 bits. */

export const DISCORD_EPOCH = 1_420_070_400_000;
export const DAY_MS = 86_400_000;

const SNOWFLAKE = /^\d{1,20}$/;

export const isSnowflake = (s: unknown): s is string => typeof s === 'string' && SNOWFLAKE.test(s);

/** Creation time (epoch ms) of a user, message, channel or role id; null when `id` is not a snowflake. */
export function snowflakeTime(id: string): number | null {
  if (!SNOWFLAKE.test(id)) return null;
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH;
}

/** How long ago (ms) the account or object was created; null when `id` is not a snowflake. */
export function accountAgeMs(id: string, now: number): number | null {
  const t = snowflakeTime(id);
  return t === null ? null : Math.max(0, now - t);
}

/** True when the account is younger than `days`; an id that is not a snowflake counts as young. */
export function isYoungerThan(id: string, days: number, now: number): boolean {
  const age = accountAgeMs(id, now);
  return age === null || age < days * DAY_MS;
}

/** The smallest snowflake created at `time`: lets tests and the simulator make ids of a chosen age. */
export function snowflakeAt(time: number, increment = 0): string {
  return ((BigInt(Math.max(0, time - DISCORD_EPOCH)) << 22n) | BigInt(increment & 0xfff)).toString();
}
