import type { GatewayEvent } from './events.ts';

/**
 * Re-sharding without losing or repeating events.
 *
 * Discord numbers events per session, so two shard sets (the running one and
 * the one with the new shard count) cannot be compared by sequence. The
 * handover therefore runs both sets side by side, with each guild actor
 * deciding per batch:
 *
 * 1. The old set is told a handover has begun before the new set connects;
 *    from then on the guild records a fingerprint of every event it applies
 *    from the old set ("recording").
 * 2. The new set connects as a shadow: its events are held in the guild
 *    actor, not applied. Everything the new sessions saw is also seen by the
 *    old ones while both are connected.
 * 3. When every new shard is ready, the old shards close and drain (every
 *    event they received is applied), then the new set is promoted. The first
 *    live batch of the new generation (or an empty "cutover" batch) makes the
 *    guild apply its held events, skipping each one whose fingerprint the old
 *    set already applied (counted, so two identical events stay two), and
 *    then follow the new generation only.
 *
 * These are the pure rules of that; the guild actor stores the held events
 * and fingerprints, the shard actor carries the generation and flags.
 */
export interface DeliveryTag {
  /** The shard set's generation: bumped by every start and re-shard. */
  generation: number;
  /** A new set that is not yet in charge: hold, don't apply. */
  shadow: boolean;
  /** The set in charge, during a handover: remember what was applied. */
  recording: boolean;
}

export type BatchRoute =
  /** From the set in charge: apply (and remember, if recording). */
  | 'apply'
  /** From a newer set still in shadow: keep until the cutover. */
  | 'hold'
  /** From a newer set, live: cut over to it, then apply. */
  | 'cutover'
  /** From a set that was superseded: everything it could still carry is in the newer set's stream. */
  | 'stale';

export function routeBatch(owner: number | null, tag: DeliveryTag): BatchRoute {
  if (owner !== null && tag.generation < owner) return 'stale';
  if (tag.generation === owner) return 'apply';
  return tag.shadow ? 'hold' : 'cutover';
}

/**
 * A compact identity for "the same event seen on two sessions": Discord sends
 * both the same payload, so its event name and body identify it. 53-bit
 * cyrb53 hashes of the body in two seeds plus its length: collisions within
 * one handover window are not a practical concern.
 */
export function eventFingerprint(t: string, d: unknown): string {
  const body = JSON.stringify(d ?? null);
  return `${t}:${body.length}:${cyrb53(body, 0).toString(36)}${cyrb53(body, 0x9e3779b9).toString(36)}`;
}

function cyrb53(str: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The held events that the old set did not already apply, in order. `seen`
 * counts fingerprints applied by the old set during the handover and is
 * consumed as it matches.
 */
export function unseenHeld(held: readonly GatewayEvent[], seen: Map<string, number>): GatewayEvent[] {
  const out: GatewayEvent[] = [];
  for (const e of held) {
    const fp = eventFingerprint(e.t, e.d);
    const n = seen.get(fp) ?? 0;
    if (n > 0) seen.set(fp, n - 1);
    else out.push(e);
  }
  return out;
}

/** Like discord.js, a shard stops waiting for READY's guilds after 15 s: Discord may never send some (outages). */
export const GUILDS_WAIT_MS = 15_000;

/**
 * READY's guilds still waiting for their GUILD_CREATE: a shadow set is ready
 * to take over only once it has them all.
 */
export class GuildArrivals {
  private pending = new Set<string>();

  /** A new session's READY: these are the guilds to wait for. */
  expect(ids: Iterable<string>): void {
    this.pending = new Set(ids);
  }

  /** A GUILD_CREATE; true when it was one of those waited for. */
  arrived(id: string): boolean {
    return this.pending.delete(id);
  }

  giveUp(): void {
    this.pending.clear();
  }

  get waiting(): number {
    return this.pending.size;
  }
}
