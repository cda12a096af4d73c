import { describe, expect, it } from 'vitest';
import { type Clock, Dispatcher, FANOUT_TIMING, type FanoutHost, retryDelayMs, type Source } from '../../src/gateway/dispatcher.ts';
import type { GatewayEvent } from '../../src/gateway/events.ts';
import { err, ok, type Result } from '../../src/lib/result.ts';

/** Lets every promise chain that is ready run to its next wait. */
const settle = async () => {
  for (let i = 0; i < 50; i++) await Promise.resolve();
};

/** Timers that fire only when the test moves time. */
class FakeClock implements Clock {
  t = 1_000_000;
  private timers: { at: number; id: number; fn: () => void }[] = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, id, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Runs every timer due within `ms`, in time order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
    await settle();
  }
}

interface Call {
  guildId: string;
  session: string;
  shadow: boolean;
  seqs: number[];
  at: number;
}

/**
 * Guild actors as the dispatcher sees them. Automatic guilds apply at once
 * (or fail the next `failures` times); held guilds answer when the test says.
 */
class FakeGuilds implements FanoutHost {
  readonly calls: Call[] = [];
  readonly shadowSent: string[] = [];
  appliedCalls = 0;
  private readonly held = new Set<string>();
  private readonly answers = new Map<string, ((r: Result<void, string>) => void)[]>();
  private readonly failures = new Map<string, number>();
  private readonly clock: FakeClock;
  constructor(clock: FakeClock) {
    this.clock = clock;
  }

  hold(guildId: string): void {
    this.held.add(guildId);
  }
  failNext(guildId: string, times: number): void {
    this.failures.set(guildId, times);
  }
  /** Answers the oldest open delivery to a held guild. */
  answer(guildId: string, r: Result<void, string> = ok(undefined)): void {
    const next = this.answers.get(guildId)?.shift();
    if (!next) throw new Error(`no open delivery to ${guildId}`);
    next(r);
  }
  of(guildId: string): number[][] {
    return this.calls.filter((c) => c.guildId === guildId).map((c) => c.seqs);
  }

  deliver(guildId: string, source: Source, events: GatewayEvent[]): Promise<Result<void, string>> {
    this.calls.push({ guildId, session: source.session, shadow: source.shadow, seqs: events.map((e) => e.s), at: this.clock.t });
    if (this.held.has(guildId)) {
      return new Promise((resolve) => {
        const q = this.answers.get(guildId) ?? [];
        q.push(resolve);
        this.answers.set(guildId, q);
      });
    }
    const left = this.failures.get(guildId) ?? 0;
    if (left > 0) {
      this.failures.set(guildId, left - 1);
      return Promise.resolve(err('guild actor overloaded'));
    }
    return Promise.resolve(ok(undefined));
  }
  sentAsShadow(guildId: string): void {
    this.shadowSent.push(guildId);
  }
  applied(): void {
    this.appliedCalls++;
  }
}

function setup(timing = FANOUT_TIMING) {
  const clock = new FakeClock();
  const guilds = new FakeGuilds(clock);
  const d = new Dispatcher(guilds, clock, timing);
  const ev = (s: number, d: unknown = null): GatewayEvent => ({ s, t: 'MESSAGE_CREATE', d });
  const receive = (guildId: string, s: number, session = 'sess-1', shadow = false) => d.receive(guildId, ev(s), session, shadow);
  return { clock, guilds, d, ev, receive };
}

const TICK = FANOUT_TIMING.tickMs;

describe('fan-out dispatcher: batching and order', () => {
  it('sends one batch per guild per tick, in arrival order, and nothing before the tick ends', async () => {
    const { clock, guilds, d, receive } = setup();
    receive('A', 1);
    receive('B', 2);
    receive('A', 3);
    receive('A', 4);
    receive('B', 5);
    await clock.advance(TICK - 1);
    expect(guilds.calls).toEqual([]);
    await clock.advance(1);
    expect(guilds.calls.map((c) => [c.guildId, c.seqs])).toEqual([
      ['A', [1, 3, 4]],
      ['B', [2, 5]],
    ]);
    receive('A', 6);
    await clock.advance(TICK);
    expect(guilds.of('A')).toEqual([[1, 3, 4], [6]]);
    expect(d.applied).toBe(6);
    expect(d.safeSeq()).toBe(6);
    expect(d.queued).toBe(0);
  });

  it("a busy guild's later ticks join one batch waiting behind its in-flight RPC; other guilds are not held up", async () => {
    const { clock, guilds, receive } = setup();
    guilds.hold('A');
    receive('A', 1);
    await clock.advance(TICK);
    expect(guilds.of('A')).toEqual([[1]]);
    receive('A', 2);
    receive('B', 3);
    await clock.advance(TICK);
    receive('A', 4);
    receive('A', 5);
    await clock.advance(TICK);
    receive('B', 6);
    await clock.advance(TICK);
    // Three ticks for A while its first batch is in flight: still one RPC to A; B went each tick.
    expect(guilds.of('A')).toEqual([[1]]);
    expect(guilds.of('B')).toEqual([[3], [6]]);
    guilds.answer('A');
    await clock.advance(0);
    expect(guilds.of('A')).toEqual([[1], [2, 4, 5]]);
    // A tick after the waiting batch left gets a new waiting batch, not the one in flight.
    receive('A', 7);
    await clock.advance(TICK);
    expect(guilds.of('A')).toEqual([[1], [2, 4, 5]]);
    guilds.answer('A');
    await clock.advance(0);
    expect(guilds.of('A')).toEqual([[1], [2, 4, 5], [7]]);
    guilds.answer('A');
    await clock.advance(0);
    expect(guilds.calls.filter((c) => c.guildId === 'A').map((c) => c.seqs.join())).toEqual(['1', '2,4,5', '7']);
  });

  it('never sends more than maxBatch events in one RPC: a flooded guild gets full batches in order, not one that grows without end', async () => {
    const { clock, guilds, d, receive } = setup({ ...FANOUT_TIMING, maxBatch: 3 });
    // One tick of seven events with nothing in flight: three batches, in order.
    for (let s = 1; s <= 7; s++) receive('A', s);
    guilds.hold('A');
    await clock.advance(TICK);
    expect(guilds.of('A')).toEqual([[1, 2, 3]]);
    // Two more ticks while A is busy: the waiting batch fills to three, then a new one starts.
    receive('A', 8);
    await clock.advance(TICK);
    receive('A', 9);
    receive('A', 10);
    await clock.advance(TICK);
    for (let i = 0; i < 3; i++) {
      guilds.answer('A');
      await clock.advance(0);
    }
    expect(guilds.of('A')).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]);
    guilds.answer('A');
    await clock.advance(0);
    expect(d.applied).toBe(10);
    expect(d.safeSeq()).toBe(10);
  });

  it('flushNow sends the current tick at once and cancels its timer', async () => {
    const { clock, guilds, d, receive } = setup();
    receive('A', 1);
    expect(clock.pending).toBe(1);
    d.flushNow();
    await clock.advance(0);
    expect(guilds.of('A')).toEqual([[1]]);
    expect(clock.pending).toBe(0);
  });
});

describe('fan-out dispatcher: failures', () => {
  it("retries a failed batch with backoff, ahead of the guild's later events, without holding up other guilds", async () => {
    const { clock, guilds, d, receive } = setup();
    guilds.failNext('A', 3);
    receive('A', 1);
    receive('B', 2);
    await clock.advance(TICK);
    const start = clock.t;
    receive('A', 3);
    receive('B', 4);
    await clock.advance(TICK);
    // While A's first batch is failing, the resume point stays before it.
    expect(d.safeSeq()).toBe(0);
    receive('A', 5);
    await clock.advance(10_000);
    expect(guilds.of('A')).toEqual([[1], [1], [1], [1], [3, 5]]);
    expect(guilds.of('B')).toEqual([[2], [4]]);
    // Backoff 50, 100, 200 ms between the attempts of the first batch.
    const times = guilds.calls.filter((c) => c.guildId === 'A').map((c) => c.at - start);
    expect(times.slice(0, 4)).toEqual([0, 50, 150, 350]);
    expect(d.retries).toBe(3);
    expect(d.applied).toBe(5);
    expect(d.safeSeq()).toBe(5);
  });

  it('keeps the resume point before a failing batch until it is applied', async () => {
    const { clock, guilds, d, receive } = setup();
    guilds.failNext('A', 1);
    receive('B', 1);
    receive('A', 2);
    receive('B', 3);
    await clock.advance(TICK);
    expect(d.safeSeq()).toBe(1);
    expect(d.queued).toBe(1);
    await clock.advance(retryDelayMs(0));
    expect(d.safeSeq()).toBe(3);
    expect(d.queued).toBe(0);
  });

  it('treats a host that throws like one that returns an error', async () => {
    const { clock } = setup();
    let attempts = 0;
    const throwing = new Dispatcher(
      {
        deliver: async () => {
          if (attempts++ === 0) throw new Error('rpc broke');
          return ok(undefined);
        },
        sentAsShadow: () => {},
        applied: () => {},
      },
      clock,
    );
    throwing.receive('A', { s: 1, t: 'MESSAGE_CREATE', d: null }, 's', false);
    await clock.advance(TICK + retryDelayMs(0));
    expect(attempts).toBe(2);
    expect(throwing.applied).toBe(1);
    expect(throwing.retries).toBe(1);
  });

  it('backs off exponentially up to a cap', () => {
    expect([0, 1, 2, 3, 6, 7, 20].map((a) => retryDelayMs(a))).toEqual([50, 100, 200, 400, 3_200, 5_000, 5_000]);
  });

  it('drain resolves only once every batch, retries included, is applied', async () => {
    const { clock, guilds, d, receive } = setup();
    guilds.failNext('A', 2);
    receive('A', 1);
    receive('B', 2);
    d.flushNow();
    let drained = false;
    void d.drain().then(() => {
      drained = true;
    });
    await clock.advance(retryDelayMs(0));
    expect(drained).toBe(false);
    await clock.advance(retryDelayMs(1));
    expect(drained).toBe(true);
    expect(d.applied).toBe(2);
  });
});

describe('fan-out dispatcher: resume point and sources', () => {
  it('the resume point is the lowest sequence not applied by every guild', async () => {
    const { clock, guilds, d, receive } = setup();
    guilds.hold('A');
    guilds.hold('B');
    receive('A', 1);
    receive('B', 2);
    receive('A', 3);
    receive('B', 4);
    await clock.advance(TICK);
    expect(d.safeSeq()).toBe(0);
    guilds.answer('B');
    await clock.advance(0);
    expect(d.safeSeq()).toBe(0);
    guilds.answer('A');
    await clock.advance(0);
    expect(d.safeSeq()).toBe(4);
    expect(guilds.appliedCalls).toBe(2);
  });

  it("a new session has its own resume point; the old session's batches still finish against theirs", async () => {
    const { clock, guilds, d, receive } = setup();
    guilds.hold('A');
    receive('A', 41, 'old');
    await clock.advance(TICK);
    d.newSession();
    receive('B', 1, 'new');
    receive('B', 2, 'new');
    await clock.advance(TICK);
    expect(d.safeSeq()).toBe(2);
    expect(guilds.calls.map((c) => [c.guildId, c.session, c.seqs])).toEqual([
      ['A', 'old', [41]],
      ['B', 'new', [1, 2]],
    ]);
    guilds.answer('A');
    await clock.advance(0);
    expect(d.safeSeq()).toBe(2);
    expect(d.applied).toBe(3);
  });

  it("splits a guild's tick where the session or the shadow role changes, in order, and never joins a waiting batch of another source", async () => {
    const { clock, guilds, receive } = setup();
    receive('A', 7, 'old');
    receive('A', 1, 'new');
    receive('A', 2, 'new', true);
    await clock.advance(TICK);
    expect(guilds.calls.map((c) => [c.session, c.shadow, c.seqs])).toEqual([
      ['old', false, [7]],
      ['new', false, [1]],
      ['new', true, [2]],
    ]);
    guilds.hold('B');
    receive('B', 3, 'new');
    await clock.advance(TICK);
    receive('B', 4, 'new');
    await clock.advance(TICK);
    receive('B', 5, 'newer');
    await clock.advance(TICK);
    receive('B', 6, 'newer');
    await clock.advance(TICK);
    for (let i = 0; i < 3; i++) {
      guilds.answer('B');
      await clock.advance(0);
    }
    expect(guilds.calls.filter((c) => c.guildId === 'B').map((c) => [c.session, c.seqs])).toEqual([
      ['new', [3]],
      ['new', [4]],
      ['newer', [5, 6]],
    ]);
  });

  it('records each guild a shadow batch goes to when it is sent, and only for shadow batches', async () => {
    const { clock, guilds, receive } = setup();
    receive('A', 1, 's', true);
    receive('B', 2, 's', false);
    receive('C', 3, 's', true);
    await clock.advance(TICK);
    expect(guilds.shadowSent).toEqual(['A', 'C']);
  });

  it('cutover sends an empty live batch to each guild, after whatever is already on its way', async () => {
    const { clock, guilds, d, receive } = setup();
    guilds.hold('A');
    receive('A', 1, 's', true);
    await clock.advance(TICK);
    receive('A', 2, 's', true);
    d.flushNow();
    let done = false;
    void d.cutover(['A', 'C'], 's').then(() => {
      done = true;
    });
    await clock.advance(0);
    expect(guilds.of('C')).toEqual([[]]);
    expect(guilds.of('A')).toEqual([[1]]);
    guilds.answer('A');
    await clock.advance(0);
    guilds.answer('A');
    await clock.advance(0);
    expect(done).toBe(false);
    guilds.answer('A');
    await clock.advance(0);
    expect(done).toBe(true);
    expect(guilds.calls.filter((c) => c.guildId === 'A').map((c) => [c.shadow, c.seqs])).toEqual([
      [true, [1]],
      [true, [2]],
      [false, []],
    ]);
  });

  it("records apply lag from Discord's timestamp to the moment the guild applied it", async () => {
    const { clock, guilds, d, ev } = setup();
    guilds.hold('A');
    d.receive('A', ev(1, { timestamp: new Date(clock.t - 40).toISOString() }), 's', false);
    d.receive('A', ev(2, { content: 'no timestamp' }), 's', false);
    await clock.advance(TICK);
    clock.t += 95;
    guilds.answer('A');
    await clock.advance(0);
    expect(d.lag.counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(d.lag.max).toBe(40 + TICK + 95);
  });
});
