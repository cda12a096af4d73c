// Discord snowflakes: ms since the Discord epoch in the top 42 bits, then
// worker/process/increment. Ids are time-ordered so message lists sort like
// Discord's, and (id >> 22) gives the creation time as clients expect.
export const DISCORD_EPOCH = 1420070400000n;

let lastMs = 0n;
let increment = 0n;

export function snowflake(at: number = Date.now()): string {
  let ms = BigInt(at) - DISCORD_EPOCH;
  // Monotonic even when the clock stalls or steps back, so ids never collide.
  if (ms < lastMs) ms = lastMs;
  if (ms === lastMs) {
    increment = (increment + 1n) & 0xfffn;
    if (increment === 0n) ms += 1n;
  } else {
    increment = 0n;
  }
  lastMs = ms;
  const worker = 1n;
  const proc = 0n;
  return ((ms << 22n) | (worker << 17n) | (proc << 12n) | increment).toString();
}

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export function isSnowflake(id: string): boolean {
  return /^(0|[1-9][0-9]{0,19})$/.test(id);
}
