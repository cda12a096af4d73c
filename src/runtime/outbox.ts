import { backoffMs } from '../discord/ratelimit.ts';
import { AlarmMux, type AlarmRequests } from './alarms.ts';
import { now } from './clock.ts';

/**
 * Durable background work for an actor: jobs are written to SQLite in the
 * same transaction as the change that needs them, run right after the
 * response, and retried from the actor's alarm if the actor was evicted or a
 * call failed. Handlers must be idempotent (alarms run at least once).
 */
export type JobResult = 'done' | 'retry';
/** What a job may answer: done, retry on the usual backoff, or retry at a time the service named. */
export type JobOutcome = JobResult | RetryAfter;
/** The service said when to ask again (a 429's retry_after): exactly then, not on the usual backoff, and not counted as a failed attempt. */
export interface RetryAfter {
  retryAfterMs: number;
}

/**
 * Where the outbox lives: `alarms` is the actor's one alarm, shared with its
 * scheduler; an actor with no scheduler may hand over its `storage` and the
 * outbox keeps the alarm to itself.
 */
export type OutboxHost = { sql: SqlStorage; waitUntil(p: Promise<unknown>): void } & ({ alarms: AlarmRequests } | { storage: DurableObjectStorage });

export interface Job<K extends string = string> {
  id: number;
  kind: K;
  payload: unknown;
  attempts: number;
}

export const MAX_JOB_ATTEMPTS = 8;
/** How long after enqueueing the alarm fires if the immediate run did not finish the job. */
const WATCHDOG_MS = 5_000;

export class Outbox<K extends string> {
  /** Lanes being worked on now, each by one runner. */
  private readonly lanes = new Map<string, Promise<void>>();
  /** Lanes given a job since the last kick: a kick starts these alone, without a look at the whole queue. */
  private readonly kicked = new Set<string>();
  /** Running lanes given a job after their runner may have looked: run again once it ends. */
  private readonly again = new Set<string>();
  private readonly host: OutboxHost;
  private readonly alarms: AlarmRequests;
  /** Set when the alarm is this outbox's alone, so its onAlarm also clears it. */
  private readonly ownAlarm: boolean;
  private readonly handle: (job: Job<K>) => Promise<JobOutcome>;

  constructor(host: OutboxHost, handle: (job: Job<K>) => Promise<JobOutcome>) {
    this.host = host;
    this.handle = handle;
    // One call (see migrateFeatures); the due-time index because nextDue runs after every run and a queue held back
    // by Discord's limits can be thousands of jobs long.
    host.sql.exec(`CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, lane TEXT NOT NULL, dedupe TEXT UNIQUE,
      payload TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, last_error TEXT);
    CREATE INDEX IF NOT EXISTS outbox_lane ON outbox(lane, id);
    CREATE INDEX IF NOT EXISTS outbox_next ON outbox(next_at);
    CREATE TABLE IF NOT EXISTS outbox_dead (id INTEGER PRIMARY KEY, kind TEXT, payload TEXT, attempts INTEGER, last_error TEXT, at INTEGER)`);
    this.ownAlarm = !('alarms' in host);
    this.alarms = 'alarms' in host ? host.alarms : new AlarmMux(host.storage);
    this.alarms.add(this);
  }

  /** When the earliest queued job is due (for the shared alarm). */
  nextDue(): number | null {
    return this.host.sql.exec<{ at: number | null }>(`SELECT MIN(next_at) AS at FROM outbox`).one().at;
  }

  /**
   * Adds a job (synchronously, so it commits with the caller's other writes).
   * Jobs of one lane run in order, and a failing job holds back only its own
   * lane. A `dedupe` key keeps at most one pending job of that key.
   */
  enqueue(kind: K, payload: unknown = null, opts: { lane?: string; dedupe?: string; delayMs?: number } = {}): void {
    const t = now();
    const at = t + (opts.delayMs ?? 0);
    const lane = opts.lane ?? kind;
    this.host.sql.exec(
      `INSERT INTO outbox (kind, lane, dedupe, payload, next_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(dedupe) DO NOTHING`,
      kind,
      lane,
      opts.dedupe ?? null,
      JSON.stringify(payload),
      at,
    );
    // The watchdog: an alarm already due soon enough covers this job too, and
    // skipping the write keeps the interaction path to one storage commit.
    this.alarms.request(opts.delayMs ? at : t + WATCHDOG_MS);
    if (!opts.delayMs) this.kicked.add(lane);
  }

  /**
   * Starts running due jobs after the current response (no await on the
   * interaction path). On the next macrotask, not now: a job's first steps up
   * to its first await (reading it, building its request) would otherwise run
   * before the caller's answer is returned. Only the lanes given a job since
   * the last kick are started (a kick with none looks at the whole queue):
   * scanning every queued job on each interaction cost more than the
   * interaction's own writes once Discord's limits held back a few hundred.
   * Lanes waiting out a retry are the alarm's.
   */
  kick(): void {
    this.host.waitUntil(new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => this.runKicked()));
  }

  private runKicked(): Promise<void> {
    if (this.kicked.size === 0) return this.drain();
    for (const lane of this.kicked) this.start(lane);
    this.kicked.clear();
    return Promise.all(this.lanes.values()).then(() => this.alarms.rearm());
  }

  /** One runner per lane; a lane already running is run again after, in case its runner had already looked for more. */
  private start(lane: string): void {
    if (this.lanes.has(lane)) {
      this.again.add(lane);
      return;
    }
    this.lanes.set(
      lane,
      this.runLane(lane).finally(() => {
        this.lanes.delete(lane);
        if (this.again.delete(lane)) this.start(lane);
      }),
    );
  }

  pending(): number {
    return this.host.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox`).one().n;
  }

  /**
   * Runs due jobs: lanes side by side (a slow Discord call in one lane must
   * not hold back a guild notification in another), each lane in order.
   * Resolves when every lane started here has nothing due left.
   */
  drain(): Promise<void> {
    // Lanes start in the order their heads were queued.
    const due = this.host.sql
      .exec<{ lane: string }>(`SELECT lane FROM outbox o WHERE next_at <= ? AND id = (SELECT MIN(id) FROM outbox WHERE lane = o.lane) ORDER BY id`, now())
      .toArray();
    for (const { lane } of due) if (!this.lanes.has(lane)) this.start(lane);
    return Promise.all(this.lanes.values()).then(() => this.alarms.rearm());
  }

  /** For the actor's alarm (after AlarmMux.fired): run what is due; the next wake-up is asked for after. */
  async onAlarm(): Promise<void> {
    if (this.ownAlarm) (this.alarms as AlarmMux).fired();
    await this.drain();
  }

  private async runLane(lane: string): Promise<void> {
    for (;;) {
      // The lane's oldest job only: a lane waits for its failed head to be retried.
      const row = this.host.sql
        .exec<{ id: number; kind: string; payload: string; attempts: number; next_at: number }>(
          `SELECT id, kind, payload, attempts, next_at FROM outbox WHERE lane = ? ORDER BY id LIMIT 1`,
          lane,
        )
        .toArray()[0];
      if (!row || row.next_at > now()) return;
      const job: Job<K> = { id: row.id, kind: row.kind as K, payload: JSON.parse(row.payload), attempts: row.attempts };
      let result: JobOutcome;
      let error = '';
      try {
        result = await this.handle(job);
      } catch (e) {
        result = 'retry';
        error = e instanceof Error ? e.message : String(e);
      }
      if (result === 'done') {
        this.host.sql.exec(`DELETE FROM outbox WHERE id = ?`, job.id);
        continue;
      }
      if (typeof result === 'object') {
        const at = now() + Math.max(0, result.retryAfterMs);
        this.host.sql.exec(`UPDATE outbox SET next_at = ?, last_error = ? WHERE id = ?`, at, `asked to wait ${result.retryAfterMs} ms`, job.id);
        this.alarms.request(at);
        return;
      }
      const attempts = job.attempts + 1;
      if (attempts >= MAX_JOB_ATTEMPTS) {
        // Kept, not dropped: an operator can inspect and replay dead jobs.
        this.host.sql.exec(
          `INSERT OR REPLACE INTO outbox_dead (id, kind, payload, attempts, last_error, at) VALUES (?, ?, ?, ?, ?, ?)`,
          job.id,
          job.kind,
          row.payload,
          attempts,
          error,
          now(),
        );
        this.host.sql.exec(`DELETE FROM outbox WHERE id = ?`, job.id);
        console.error(`outbox: job ${job.kind} #${job.id} gave up after ${attempts} attempts: ${error}`);
        continue;
      }
      this.host.sql.exec(
        `UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?`,
        attempts,
        now() + backoffMs(attempts, 1000, 60_000, Math.random()),
        error,
        job.id,
      );
      return;
    }
  }
}
