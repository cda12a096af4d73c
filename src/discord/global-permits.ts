/**
 * Discord allows a bot 50 requests per second in all (interaction callbacks
 * and webhooks aside), however many actors send them. A single governor
 * grants permits from a sliding one-second window; each isolate takes them in
 * small batches and must use each within PERMIT_TTL_MS, so the requests
 * actually sent in any second stay under the limit.
 */
export const GLOBAL_WINDOW_MS = 1000;
export const PERMIT_TTL_MS = 200;
/** 35 grants per window, each used within 200 ms: at most 42 sends in any second, leaving room for network jitter bunching arrivals at Discord. */
export const GRANTS_PER_WINDOW = 35;

export interface GrantState {
  /** Grant times within the last window, oldest first. */
  grants: number[];
  /** After a global 429 nobody sends until then. */
  pausedUntil: number;
}

export interface Grant {
  granted: number;
  /** When they were granted: a permit is good for PERMIT_TTL_MS from then, however slow the answer was. */
  at: number;
  retryAfterMs: number;
}

/** Pure: how many of `wanted` permits may be granted now, and how long to wait when none. */
export function grant(state: GrantState, wanted: number, now: number): Grant {
  while (state.grants.length && state.grants[0]! <= now - GLOBAL_WINDOW_MS) state.grants.shift();
  if (state.pausedUntil > now) return { granted: 0, at: now, retryAfterMs: state.pausedUntil - now };
  const granted = Math.max(0, Math.min(wanted, GRANTS_PER_WINDOW - state.grants.length));
  for (let i = 0; i < granted; i++) state.grants.push(now);
  const retryAfterMs = granted > 0 ? 0 : state.grants[0]! + GLOBAL_WINDOW_MS - now;
  return { granted, at: now, retryAfterMs };
}

export interface PermitSource {
  take(wanted: number): Promise<Grant>;
  pause(ms: number): Promise<void>;
}

/**
 * Per-isolate pool in front of the governor: one RPC per small batch of
 * requests, shared by the actors of an isolate. An actor never awaits a
 * promise another actor started (Durable Objects may not share I/O): whoever
 * finds the pool empty and no refill under way asks the governor itself; the
 * others wait on their own short timers and look again.
 */
export class PermitPool {
  private expiries: number[] = [];
  private refilling = false;
  private waiting = 0;
  /** Waiters that are not background work: a background request lets them go first. */
  private waitingForeground = 0;
  private readonly source: () => PermitSource;

  constructor(source: () => PermitSource) {
    this.source = source;
  }

  /**
   * `background`: work nobody waits for (snapshots, refreshes) takes a permit
   * only when no other request of this isolate is waiting for one, so a burst
   * of it cannot delay a moderator's action behind it.
   */
  async acquire(background = false): Promise<void> {
    this.waiting++;
    if (!background) this.waitingForeground++;
    try {
      for (;;) {
        const now = Date.now();
        while (this.expiries.length && this.expiries[0]! <= now) this.expiries.shift();
        if (background && this.waitingForeground > 0) {
          await this.lookAgainLater();
          continue;
        }
        if (this.expiries.length) {
          this.expiries.shift();
          return;
        }
        if (this.refilling) {
          await this.lookAgainLater();
          continue;
        }
        this.refilling = true;
        try {
          await this.refill();
        } finally {
          this.refilling = false;
        }
      }
    } finally {
      this.waiting--;
      if (!background) this.waitingForeground--;
    }
  }

  /**
   * A waiter's look-again interval grows with the number of waiters (1 ms each, 5 to 100 ms): a thousand
   * ticket actors waiting at 5 ms woke 200,000 times a second and starved the isolate they wait in, while
   * a refill's permits (good for 200 ms) are still taken within a few ms by one of that many.
   */
  private lookAgainLater(): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.min(100, Math.max(5, this.waiting))));
  }

  pause(ms: number): Promise<void> {
    this.expiries = [];
    return this.source().pause(ms);
  }

  private async refill(): Promise<void> {
    // As many as are waiting right now, in this isolate.
    const r = await this.source().take(Math.min(8, Math.max(1, this.waiting)));
    const until = r.at + PERMIT_TTL_MS;
    for (let i = 0; i < r.granted; i++) this.expiries.push(until);
    if (r.granted === 0) await new Promise((res) => setTimeout(res, Math.max(5, r.retryAfterMs)));
  }
}
