import { runInDurableObject } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmRequests, AlarmSource } from '../../src/runtime/alarms.ts';
import { clock } from '../../src/runtime/clock.ts';
import { Outbox } from '../../src/runtime/outbox.ts';
import { Scheduler, type Timer } from '../../src/runtime/scheduler.ts';
import { ticketActor } from '../../src/runtime/stubs.ts';
import { env } from '../helpers.ts';
import { advanceClock, freezeClock, resetClock } from '../support/clock.ts';

/** Wake-ups asked for, instead of a real alarm (the test runs what is due itself). */
class Wakes implements AlarmRequests {
  readonly asked: number[] = [];
  add(_s: AlarmSource): void {}
  request(at: number): void {
    this.asked.push(at);
  }
  rearm(): void {}
}

let n = 0;
/** A fresh, empty actor's database (a ticket actor nobody opened: it has a timers table and no timers). */
function inFreshStorage<T>(run: (sql: SqlStorage) => Promise<T>): Promise<T> {
  return runInDurableObject(ticketActor(env, `scheduler-test-${Date.now()}-${++n}`), (_i, state) => run(state.storage.sql));
}

describe('the scheduler', () => {
  beforeEach(() => freezeClock());
  afterEach(() => resetClock());

  it('sets, replaces and cancels keyed timers, running each due one once', async () => {
    await inFreshStorage(async (sql) => {
      const ran: Timer[] = [];
      const wakes = new Wakes();
      const s = new Scheduler({ sql, alarms: wakes }, (t) => {
        ran.push(t);
        return 'done';
      });
      const t0 = clock.now();
      s.set('a', 'remind', t0 + 60_000, { n: 1 });
      s.set('a', 'remind', t0 + 120_000, { n: 2 });
      s.set('b', 'remind', t0 + 30_000, { n: 3 });
      s.set('c', 'remind', t0 + 10_000);
      s.cancel('c');
      expect(s.list().map((t) => [t.key, t.at - t0])).toEqual([
        ['b', 30_000],
        ['a', 120_000],
      ]);
      expect(wakes.asked).toContain(t0 + 10_000);
      advanceClock(60_000);
      await s.runDue();
      // "a" was replaced: it is not due at its first time.
      expect(ran.map((t) => [t.key, t.payload])).toEqual([['b', { n: 3 }]]);
      advanceClock(60_000);
      await s.runDue();
      await s.runDue();
      expect(ran.map((t) => [t.key, t.payload])).toEqual([
        ['b', { n: 3 }],
        ['a', { n: 2 }],
      ]);
      expect(s.list()).toEqual([]);
    });
  });

  it('runs a recurring timer once per due time, even after sleeping through several periods, and retries a failed one', async () => {
    await inFreshStorage(async (sql) => {
      let runs = 0;
      let fail = false;
      const s = new Scheduler({ sql, alarms: new Wakes() }, () => {
        runs++;
        return fail ? 'retry' : 'done';
      });
      const t0 = clock.now();
      s.every('sweep', 'sweep', 1000);
      s.every('sweep', 'sweep', 1000); // the same period again keeps the timer as it is
      expect(s.dueAt('sweep')).toBe(t0 + 1000);
      advanceClock(1000);
      await s.runDue();
      expect(runs).toBe(1);
      expect(s.dueAt('sweep')).toBe(t0 + 2000);
      advanceClock(3500);
      await s.runDue();
      expect(runs).toBe(2);
      expect(s.dueAt('sweep')).toBe(t0 + 5000);
      fail = true;
      advanceClock(1000);
      await s.runDue();
      expect(runs).toBe(3);
      // Retried after a backoff, not dropped, not run again at once.
      expect(s.dueAt('sweep')).toBeGreaterThan(clock.now());
      expect(() => s.every('bad', 'sweep', 0)).toThrow(/period must be positive/);
    });
  });

  it('a timer replaced while its handler runs keeps the new setting', async () => {
    await inFreshStorage(async (sql) => {
      const seen: unknown[] = [];
      const s: Scheduler = new Scheduler({ sql, alarms: new Wakes() }, (t) => {
        seen.push(t.payload);
        if (t.payload === 'first') s.set('k', 'x', clock.now() + 5000, 'second');
        return 'done';
      });
      s.set('k', 'x', clock.now(), 'first');
      await s.runDue();
      expect(seen).toEqual(['first']);
      expect(s.list().map((t) => t.key)).toEqual(['k']);
    });
  });

  it('a due timer runs while an outbox lane is busy, and a far timer never holds back a job', async () => {
    await inFreshStorage(async (sql) => {
      const wakes = new Wakes();
      let release: () => void = () => {};
      const jobs: string[] = [];
      const outbox = new Outbox<string>({ sql, alarms: wakes, waitUntil: () => {} }, async (job) => {
        jobs.push(job.kind);
        if (job.kind === 'slow')
          await new Promise<void>((r) => {
            release = r;
          });
        return 'done';
      });
      const timers: string[] = [];
      const s = new Scheduler({ sql, alarms: wakes }, (t) => {
        timers.push(t.key);
        return 'done';
      });
      s.set('next-week', 'remind', clock.now() + 7 * 86_400_000);
      outbox.enqueue('slow', null, { lane: 'discord' });
      outbox.enqueue('fast', null, { lane: 'guild' });
      const draining = outbox.drain();
      await new Promise((r) => setTimeout(r, 0));
      // The far timer held nothing back; the slow job is still running.
      expect(jobs).toEqual(['slow', 'fast']);
      s.set('now', 'remind', clock.now());
      await s.runDue();
      expect(timers).toEqual(['now']);
      release();
      await draining;
      expect(outbox.pending()).toBe(0);
    });
  });
});
