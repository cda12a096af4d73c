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

// Ids for things created in the past (users whose accounts are days old) must
// not drag the monotonic clock above backwards, so they use worker 2 and their
// own per-millisecond counter (process bits × increment: 131072 per ms).
const backdated = new Map<bigint, number>();

export function snowflakeAt(at: number): string {
  const ms = BigInt(Math.floor(at)) - DISCORD_EPOCH;
  if (ms < 0n) throw new Error('snowflakeAt: time before the Discord epoch');
  const n = backdated.get(ms) ?? 0;
  if (n >= 1 << 17) throw new Error('snowflakeAt: more than 131072 ids in one millisecond');
  backdated.set(ms, n + 1);
  const worker = 2n;
  const proc = BigInt(n >> 12);
  return ((ms << 22n) | (worker << 17n) | (proc << 12n) | BigInt(n & 0xfff)).toString();
}
