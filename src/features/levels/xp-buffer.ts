import type { LevelsStore, MemberDelta, MemberRow } from './store.ts';

/**
 * Write counts of the message XP buffer in this isolate, for /diagnostics and
 * the tests that prove a batch of messages costs one flush, not a write each.
 */
export const XP_WRITES = { flushes: 0, rows: 0 };

/** One member's XP before and after a flush, and where they last wrote (for the level-up message). */
export interface XpChange {
  userId: string;
  before: number;
  after: MemberRow;
  channelId: string | null;
}

type Pending = MemberDelta & { channelId: string | null };

/**
 * Write-behind for message XP. A gateway batch can carry thousands of
 * messages; each is decided here in memory (cooldown, amount) and the batch's
 * sum per member is written once, when the actor stores the batch's applied
 * sequence (GatewayInbox's batch effects). So an acknowledged batch always
 * has its XP stored (same synchronous step, same output gate) and an
 * eviction loses nothing acknowledged; a batch that fails is discarded here
 * and comes again. Cooldowns are cached write-through: the buffer is their
 * only writer between flushes.
 */
export class XpBuffer {
  private readonly store: LevelsStore;
  private readonly pending = new Map<string, Pending>();
  private readonly lastAward = new Map<string, number | null>();

  constructor(store: LevelsStore) {
    this.store = store;
  }

  lastAwardOf(userId: string): number | null {
    if (!this.lastAward.has(userId)) {
      if (this.lastAward.size > 50_000) this.lastAward.clear();
      this.lastAward.set(userId, this.store.member(userId)?.lastAwardAt ?? null);
    }
    return this.lastAward.get(userId) ?? null;
  }

  /** A message: counted, and `xp` awarded at `at` when positive. */
  message(userId: string, xp: number, at: number, channelId: string, name: string | null, avatar: string | null): void {
    const p = this.pending.get(userId) ?? { xp: 0, messages: 0, events: 0, voiceMinutes: 0, lastAwardAt: null, name: null, avatar: null, channelId: null };
    p.messages++;
    p.name = name ?? p.name;
    p.avatar = avatar ?? p.avatar;
    if (xp > 0) {
      p.xp += xp;
      p.lastAwardAt = at;
      p.channelId = channelId;
      this.lastAward.set(userId, at);
    }
    this.pending.set(userId, p);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Writes every member's sum (one upsert each) and returns what changed. */
  flush(): XpChange[] {
    if (this.pending.size === 0) return [];
    const out: XpChange[] = [];
    for (const [userId, d] of this.pending) {
      const after = this.store.apply(userId, d);
      out.push({ userId, before: after.xp - d.xp, after, channelId: d.channelId });
    }
    XP_WRITES.flushes++;
    XP_WRITES.rows += this.pending.size;
    this.pending.clear();
    return out;
  }

  /** The batch failed: its awards are forgotten, cooldowns read again from what is stored. */
  discard(): void {
    for (const userId of this.pending.keys()) this.lastAward.delete(userId);
    this.pending.clear();
  }

  /** After a staff change to a member (reset): the cached cooldown is no longer true. */
  forget(userId: string): void {
    this.lastAward.delete(userId);
  }
}
