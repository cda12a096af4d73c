import { err, ok, type Result } from '../lib/result.ts';
import type { GatewayEvent } from './events.ts';
import { batchByGuild, Outstanding } from './fanout.ts';
import { emptyLag, type LagHistogram, recordLag } from './lag-histogram.ts';

/**
 * What a received event is delivered as: the session it came on (sequences of
 * different sessions are not comparable, so each has its own Outstanding) and
 * whether the shard was a shadow then. Compared by identity: a new object
 * whenever either changes.
 */
export interface Source {
  readonly session: string;
  readonly outstanding: Outstanding;
  readonly shadow: boolean;
}

/** The timers the dispatcher runs on: the actor's own, or a fake one in tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What the dispatcher needs from its host: the RPC and two storage hooks. */
export interface FanoutHost {
  /** One guild applies one batch; an error is retried with backoff, ahead of that guild's later events. */
  deliver(guildId: string, source: Source, events: GatewayEvent[]): Promise<Result<void, string>>;
  /** A batch from a shadow source is being sent: promotion owes this guild a cutover batch. */
  sentAsShadow(guildId: string): void;
  /** A batch was applied: the resume point may have moved. */
  applied(): void;
}

export interface FanoutTiming {
  /** A short tick: one RPC per guild per tick carries all its events. */
  tickMs: number;
  retryBaseMs: number;
  retryCapMs: number;
  /**
   * Most events in one RPC. A guild flooded faster than it applies (a join
   * raid, a mass role sync) would otherwise gather everything received while
   * its batch is in flight into one waiting batch: 900,000 joins in one RPC
   * are past what an RPC may carry, so it failed on every retry and the
   * guild's events stopped there (seen in the dashboard bench). Full batches
   * wait in order behind each other instead.
   */
  maxBatch: number;
}

export const FANOUT_TIMING: FanoutTiming = { tickMs: 5, retryBaseMs: 50, retryCapMs: 5_000, maxBatch: 1_000 };

/** Backoff before the `attempt`-th retry (0-based) of a batch. */
export const retryDelayMs = (attempt: number, t: FanoutTiming = FANOUT_TIMING) => Math.min(t.retryCapMs, t.retryBaseMs * 2 ** attempt);

/**
 * The shard's fan-out policy: received dispatches are queued per tick and
 * sent as one batch per guild and source, in order per guild. A guild whose
 * batch is still in flight gets one waiting batch that later ticks join (same
 * source only), so a busy guild costs one RPC per round trip, not per tick. A
 * failed batch is retried until applied, still ahead of the guild's later
 * events. The resume point is the lowest sequence not applied by every guild.
 * Holds only sequence numbers and the current tick's events, so it does not
 * grow with guild count.
 */
export class Dispatcher {
  private outstanding = new Outstanding();
  private source: Source = { session: 'none', outstanding: this.outstanding, shadow: false };
  private queue: { guildId: string; e: GatewayEvent; source: Source }[] = [];
  private tick: unknown = null;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Per guild, the batch queued behind the one in flight. */
  private readonly waiting = new Map<string, { source: Source; events: GatewayEvent[] }>();
  private appliedEvents = 0;
  private failedDeliveries = 0;
  /** Discord's timestamp → applied by the guild, cumulative. */
  readonly lag: LagHistogram = emptyLag();

  private readonly host: FanoutHost;
  private readonly clock: Clock;
  private readonly timing: FanoutTiming;

  constructor(host: FanoutHost, clock: Clock, timing: FanoutTiming = FANOUT_TIMING) {
    this.host = host;
    this.clock = clock;
    this.timing = timing;
  }

  /** A new session numbers from 1 again; batches of the old one still finish against their own record. */
  newSession(): void {
    this.outstanding = new Outstanding();
  }

  /** The sequence a resume can safely start after, in the current session. */
  safeSeq(): number {
    return this.outstanding.safeSeq();
  }

  /** Events applied by their guilds since this dispatcher started. */
  get applied(): number {
    return this.appliedEvents;
  }

  /** Failed deliveries since this dispatcher started (each retried until applied). */
  get retries(): number {
    return this.failedDeliveries;
  }

  /** Received and not yet applied, in the current session. */
  get queued(): number {
    return this.outstanding.size;
  }

  /** Queues one event for the next tick; the source is captured now, since the shard may be on a new session by then. */
  receive(guildId: string, e: GatewayEvent, session: string, shadow: boolean): void {
    this.outstanding.add(e.s);
    this.queue.push({ guildId, e, source: this.sourceFor(session, shadow) });
    this.tick ??= this.clock.setTimeout(() => {
      this.tick = null;
      this.flush();
    }, this.timing.tickMs);
  }

  /** Sends the current tick now instead of at its end. */
  flushNow(): void {
    if (this.tick !== null) {
      this.clock.clearTimeout(this.tick);
      this.tick = null;
    }
    this.flush();
  }

  /** Resolves once every batch sent so far (and retried) has been applied. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** An empty batch to each guild, after whatever is already on its way there: the re-shard cutover. */
  cutover(guildIds: readonly string[], session: string): Promise<void> {
    const live = this.sourceFor(session, false);
    return Promise.all(guildIds.map((id) => this.chain(id, () => this.deliver(id, live, [])))).then(() => undefined);
  }

  private sourceFor(session: string, shadow: boolean): Source {
    const s = this.source;
    if (s.session !== session || s.outstanding !== this.outstanding || s.shadow !== shadow) this.source = { session, outstanding: this.outstanding, shadow };
    return this.source;
  }

  private flush(): void {
    const batches = batchByGuild(this.queue);
    this.queue = [];
    const max = this.timing.maxBatch;
    for (const { guildId, source, events } of batches) {
      // Recorded when sent, not when applied: promotion must reach every guild that may hold events.
      if (source.shadow) this.host.sentAsShadow(guildId);
      let rest = events;
      const waiting = this.waiting.get(guildId);
      if (waiting && waiting.source === source && waiting.events.length < max) {
        const room = max - waiting.events.length;
        waiting.events.push(...rest.slice(0, room));
        rest = rest.slice(room);
      }
      for (let at = 0; at < rest.length; at += max) this.send(guildId, source, rest.slice(at, at + max));
    }
  }

  /** One batch: at once when nothing is in flight to this guild, else as its newest waiting batch, which later ticks may join. */
  private send(guildId: string, source: Source, events: GatewayEvent[]): void {
    if (!this.inFlight.has(guildId)) {
      void this.chain(guildId, () => this.deliver(guildId, source, events));
      return;
    }
    const batch = { source, events };
    this.waiting.set(guildId, batch);
    void this.chain(guildId, () => {
      if (this.waiting.get(guildId) === batch) this.waiting.delete(guildId);
      return this.deliver(guildId, batch.source, batch.events);
    });
  }

  /** Runs after this guild's batch in flight, if any: one guild's events stay in order. */
  private chain(guildId: string, fn: () => Promise<void>): Promise<void> {
    const run = (this.inFlight.get(guildId) ?? Promise.resolve()).then(fn);
    this.inFlight.set(guildId, run);
    void run.finally(() => {
      if (this.inFlight.get(guildId) === run) this.inFlight.delete(guildId);
    });
    return run;
  }

  private async deliver(guildId: string, source: Source, events: GatewayEvent[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // A host that throws instead of returning an error is retried all the same.
      const r = await this.host.deliver(guildId, source, events).catch((e: unknown) => err(String(e)));
      if (r.ok) break;
      // Never dropped: retried with backoff, still ahead of this guild's later events.
      this.failedDeliveries++;
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, retryDelayMs(attempt, this.timing)));
    }
    source.outstanding.done(events.map((e) => e.s));
    this.appliedEvents += events.length;
    const now = this.clock.now();
    for (const e of events) {
      const at = (e.d as { timestamp?: unknown } | null)?.timestamp;
      if (typeof at === 'string') recordLag(this.lag, now - Date.parse(at));
    }
    this.host.applied();
  }
}

/** The actor's own timers and wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A promise as a Result: an RPC that throws is an error value at this edge. */
export const settled = (p: Promise<unknown>): Promise<Result<void, string>> =>
  p.then(
    () => ok(undefined),
    (e: unknown) => err(String(e)),
  );
