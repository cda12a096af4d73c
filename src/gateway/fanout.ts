import type { GatewayEvent } from '../features/events/apply.ts';

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

  get size(): number { return this.pending.size; }
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
 * One tick's events as batches per guild and session, in arrival (sequence)
 * order. A tick that spans a new session yields a separate batch for each, so
 * the guild actor's per-session "last applied" is never fed the other's numbers.
 */
export function batchByGuild<O>(events: readonly { guildId: string; e: GatewayEvent; session: string; outstanding: O }[]): { guildId: string; session: string; outstanding: O; events: GatewayEvent[] }[] {
  const out: { guildId: string; session: string; outstanding: O; events: GatewayEvent[] }[] = [];
  const open = new Map<string, { session: string; events: GatewayEvent[] }>();
  for (const { guildId, e, session, outstanding } of events) {
    const cur = open.get(guildId);
    if (cur && cur.session === session) { cur.events.push(e); continue; }
    const batch = { guildId, session, outstanding, events: [e] };
    out.push(batch);
    open.set(guildId, batch);
  }
  return out;
}
