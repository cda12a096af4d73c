import { backoffMs } from '../discord/ratelimit.ts';
import type { AlarmRequests } from './alarms.ts';
import { now } from './clock.ts';

/** A due timer, as its handler sees it. */
export interface Timer<K extends string = string> {
  key: string;
  kind: K;
  /** When it was due (clock time); for a recurring timer, the occurrence being run. */
  at: number;
  payload: unknown;
}

/** `retry` runs the timer again after a backoff (a recurring one keeps its period after that). */
export type TimerResult = 'done' | 'retry';

export interface SchedulerHost {
  sql: SqlStorage;
  alarms: AlarmRequests;
}

/** What a feature may do with timers: its own kinds only (the host checks). */
export interface TimerControl<K extends string = string> {
  /** Sets the timer of `key`, replacing any timer of that key (its kind, time and payload). */
  set(key: string, kind: K, at: number, payload?: unknown): void;
  /** A timer that runs every `periodMs`, first one period from now; kept as is if it exists with the same period. */
  every(key: string, kind: K, periodMs: number, payload?: unknown): void;
  cancel(key: string): void;
  /** When the timer of `key` is due, or null when there is none. */
  dueAt(key: string): number | null;
}

const MAX_RETRY_DELAY_MS = 10 * 60_000;

/**
 * Keyed timers beside the outbox: set, replace, cancel, recurring. A due timer
 * runs from the actor's alarm without waiting for any outbox lane, so a timer
 * set for next week never holds back a job due now (the outbox's delayed jobs
 * did: a delayed job at the head of its lane blocked the lane). Handlers
 * should be short and queue slow Discord work as outbox jobs; they run at
 * least once, so they check current state.
 */
export class Scheduler<K extends string = string> implements TimerControl<K> {
  private readonly host: SchedulerHost;
  private readonly handle: (t: Timer<K>) => Promise<TimerResult> | TimerResult;
  private running: Promise<void> | null = null;

  constructor(host: SchedulerHost, handle: (t: Timer<K>) => Promise<TimerResult> | TimerResult) {
    this.host = host;
    this.handle = handle;
    // `gen` tells a timer replaced while its handler ran from the one that ran. One call: see migrateFeatures.
    host.sql.exec(`CREATE TABLE IF NOT EXISTS timers (key TEXT PRIMARY KEY, kind TEXT NOT NULL, at INTEGER NOT NULL, every INTEGER,
      payload TEXT NOT NULL, gen INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX IF NOT EXISTS timers_at ON timers(at)`);
    host.alarms.add(this);
  }

  set(key: string, kind: K, at: number, payload: unknown = null): void {
    this.write(key, kind, at, null, payload);
  }

  every(key: string, kind: K, periodMs: number, payload: unknown = null): void {
    if (!(periodMs > 0)) throw new Error(`timer ${key}: the period must be positive, got ${periodMs}`);
    const row = this.host.sql.exec<{ every: number | null; kind: string }>(`SELECT every, kind FROM timers WHERE key = ?`, key).toArray()[0];
    if (row && row.every === periodMs && row.kind === kind) return;
    this.write(key, kind, now() + periodMs, periodMs, payload);
  }

  cancel(key: string): void {
    this.host.sql.exec(`DELETE FROM timers WHERE key = ?`, key);
  }

  dueAt(key: string): number | null {
    return this.host.sql.exec<{ at: number }>(`SELECT at FROM timers WHERE key = ?`, key).toArray()[0]?.at ?? null;
  }

  /** Timers not yet run, soonest first (for status pages and tests). */
  list(): { key: string; kind: string; at: number; every: number | null }[] {
    return this.host.sql
      .exec<{ key: string; kind: string; at: number; every: number | null }>(`SELECT key, kind, at, every FROM timers ORDER BY at, key`)
      .toArray();
  }

  nextDue(): number | null {
    return this.host.sql.exec<{ at: number | null }>(`SELECT MIN(at) AS at FROM timers`).one().at;
  }

  /** For the actor's alarm (after AlarmMux.fired): runs every due timer; one run at a time. */
  runDue(): Promise<void> {
    this.running ??= this.runAll().finally(() => {
      this.running = null;
      this.host.alarms.rearm();
    });
    return this.running;
  }

  private write(key: string, kind: K, at: number, every: number | null, payload: unknown): void {
    this.host.sql.exec(
      `INSERT INTO timers (key, kind, at, every, payload, gen, attempts) VALUES (?, ?, ?, ?, ?, ?, 0)
       ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, at = excluded.at, every = excluded.every, payload = excluded.payload, gen = excluded.gen, attempts = 0`,
      // A fresh random generation (not a counter): a cancel and set of the same key must not look like the timer that ran.
      key,
      kind,
      at,
      every,
      JSON.stringify(payload),
      Math.floor(Math.random() * 2 ** 52),
    );
    this.host.alarms.request(at);
  }

  private async runAll(): Promise<void> {
    for (;;) {
      const t = now();
      const row = this.host.sql
        .exec<{ key: string; kind: string; at: number; every: number | null; payload: string; gen: number; attempts: number }>(
          `SELECT key, kind, at, every, payload, gen, attempts FROM timers WHERE at <= ? ORDER BY at, key LIMIT 1`,
          t,
        )
        .toArray()[0];
      if (!row) return;
      let result: TimerResult;
      try {
        result = await this.handle({ key: row.key, kind: row.kind as K, at: row.at, payload: JSON.parse(row.payload) });
      } catch (e) {
        console.error(`scheduler: timer ${row.key} (${row.kind}) failed: ${e instanceof Error ? e.stack : String(e)}`);
        result = 'retry';
      }
      // Replaced or cancelled while it ran: the new timer stands as set.
      const current = this.host.sql.exec<{ gen: number }>(`SELECT gen FROM timers WHERE key = ?`, row.key).toArray()[0];
      if (!current || current.gen !== row.gen) continue;
      const after = now();
      if (result === 'retry') {
        this.host.sql.exec(
          `UPDATE timers SET at = ?, attempts = attempts + 1 WHERE key = ?`,
          after + backoffMs(row.attempts + 1, 1000, MAX_RETRY_DELAY_MS, Math.random()),
          row.key,
        );
      } else if (row.every) {
        // The next occurrence after now: a recurring timer that slept through several periods runs once, not once per period.
        const next = row.at + row.every * Math.max(1, Math.ceil((after - row.at + 1) / row.every));
        this.host.sql.exec(`UPDATE timers SET at = ?, attempts = 0 WHERE key = ?`, next, row.key);
      } else {
        this.host.sql.exec(`DELETE FROM timers WHERE key = ?`, row.key);
      }
    }
  }
}
