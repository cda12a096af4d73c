import type { GatewayEvent } from './events.ts';

/**
 * Which sequence numbers are received but not yet applied by their guild:
 * a resume must restart from before the oldest of them, so nothing is lost
 * if the shard dies with events still in its queues. Pure and small: it holds
 * sequence numbers only, not events of guilds that are idle.
 */
export class Outstanding {
  private readonly pending = new Set<number>();
  private highest = 0;

  add(s: number): void {
    this.pending.add(s);
    if (s > this.highest) this.highest = s;
  }

  done(seqs: Iterable<number>): void {
    for (const s of seqs) this.pending.delete(s);
  }

  /** The sequence a resume can safely start after. */
  safeSeq(): number {
    let min = Infinity;
    for (const s of this.pending) if (s < min) min = s;
    return min === Infinity ? this.highest : min - 1;
  }

  get size(): number {
    return this.pending.size;
  }
}

/** The guild an event belongs to, for routing; null for events without one. */
export function guildOf(t: string, d: unknown): string | null {
  if (!d || typeof d !== 'object') return null;
  const o = d as { guild_id?: unknown; id?: unknown };
  if (typeof o.guild_id === 'string') return o.guild_id;
  // GUILD_CREATE/UPDATE/DELETE carry the guild as `id`.
  if ((t === 'GUILD_CREATE' || t === 'GUILD_UPDATE' || t === 'GUILD_DELETE') && typeof o.id === 'string') return o.id;
  return null;
}

/**
 * One tick's events as batches per guild and source, in arrival (sequence)
 * order. The source is what a batch is delivered as (the session it came on,
 * whether the shard was a shadow then): a tick that spans a change yields a
 * separate batch for each, so a guild's per-session "last applied" is never
 * fed another session's numbers.
 */
export function batchByGuild<S>(events: readonly { guildId: string; e: GatewayEvent; source: S }[]): { guildId: string; source: S; events: GatewayEvent[] }[] {
  const out: { guildId: string; source: S; events: GatewayEvent[] }[] = [];
  const open = new Map<string, { source: S; events: GatewayEvent[] }>();
  for (const { guildId, e, source } of events) {
    const cur = open.get(guildId);
    if (cur && cur.source === source) {
      cur.events.push(e);
      continue;
    }
    const batch = { guildId, source, events: [e] };
    out.push(batch);
    open.set(guildId, batch);
  }
  return out;
}
