import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { AlarmRequests, AlarmSource } from '../../src/runtime/alarms.ts';
import { type Job, Outbox } from '../../src/runtime/outbox.ts';
import { ticketActor } from '../../src/runtime/stubs.ts';
import { env } from '../helpers.ts';

class Wakes implements AlarmRequests {
  add(_s: AlarmSource): void {}
  request(_at: number): void {}
  rearm(): void {}
}

let n = 0;
function inFreshStorage<T>(run: (sql: SqlStorage) => Promise<T>): Promise<T> {
  return runInDurableObject(ticketActor(env, `outbox-test-${Date.now()}-${++n}`), (_i, state) => run(state.storage.sql));
}

/** An outbox whose kicks are collected, so the test can await what a kick started. */
function outboxIn(sql: SqlStorage, handle: (job: Job) => Promise<'done' | 'retry'>) {
  const started: Promise<unknown>[] = [];
  const outbox = new Outbox<string>({ sql, alarms: new Wakes(), waitUntil: (p) => started.push(p) }, handle);
  const settled = async () => {
    for (let i = 0; i < started.length; i++) await started[i];
  };
  return { outbox, settled };
}

describe('the outbox kick', () => {
  it('starts the lanes given a job, not a lane waiting out its retry', async () => {
    await inFreshStorage(async (sql) => {
      const ran: string[] = [];
      let failFirst = true;
      const { outbox, settled } = outboxIn(sql, async (job) => {
        ran.push(String(job.payload));
        if (job.payload === 'flaky' && failFirst) {
          failFirst = false;
          return 'retry';
        }
        return 'done';
      });
      outbox.enqueue('k', 'flaky', { lane: 'a' });
      outbox.kick();
      await settled();
      expect(ran).toEqual(['flaky']);
      // Lane a's head now waits for its backoff; a kick for lane b runs b alone.
      outbox.enqueue('k', 'other', { lane: 'b' });
      outbox.kick();
      await settled();
      expect(ran).toEqual(['flaky', 'other']);
      expect(outbox.pending()).toBe(1);
      // The alarm's drain still finds it once due (here: made due).
      sql.exec(`UPDATE outbox SET next_at = 0`);
      await outbox.drain();
      expect(ran).toEqual(['flaky', 'other', 'flaky']);
      expect(outbox.pending()).toBe(0);
    });
  });

  it('runs a job given to a lane while that lane is running, in order, without another kick', async () => {
    await inFreshStorage(async (sql) => {
      const ran: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const { outbox, settled } = outboxIn(sql, async (job) => {
        if (job.payload === 'first') await gate;
        ran.push(String(job.payload));
        return 'done';
      });
      outbox.enqueue('k', 'first', { lane: 'x' });
      outbox.kick();
      await new Promise((r) => setTimeout(r, 5));
      // Lane x is busy with its first job; the second is kicked meanwhile.
      outbox.enqueue('k', 'second', { lane: 'x' });
      outbox.kick();
      await new Promise((r) => setTimeout(r, 5));
      expect(ran).toEqual([]);
      release();
      await settled();
      await new Promise((r) => setTimeout(r, 5));
      expect(ran).toEqual(['first', 'second']);
      expect(outbox.pending()).toBe(0);
    });
  });
});
