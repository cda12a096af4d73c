import {
  bucketOf,
  DAY_RETENTION_MS,
  DEFAULT_SPIKE,
  HOUR_RETENTION_MS,
  type Metric,
  MINUTE,
  MINUTE_RETENTION_MS,
  type Resolution,
  type SpikeConfig,
  spikeConfigOf,
} from './rules.ts';

/**
 * Pre-aggregated counts: one row per (metric, resolution, key, bucket). An
 * event adds 1 to three rows per thing it counts (its minute, hour and day);
 * a chart reads at most a few hundred rows, never the events themselves.
 */
export const ANALYTICS_SCHEMA = `
  CREATE TABLE analytics_counts (
    metric TEXT NOT NULL,
    res TEXT NOT NULL,
    key TEXT NOT NULL,
    at INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (metric, res, key, at)
  ) WITHOUT ROWID;
  CREATE TABLE analytics_spikes (code TEXT PRIMARY KEY, alerted_at INTEGER NOT NULL);
  CREATE TABLE analytics_paused (
    code TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL,
    max_age INTEGER NOT NULL,
    max_uses INTEGER NOT NULL,
    temporary INTEGER NOT NULL,
    inviter_id TEXT,
    paused_at INTEGER NOT NULL,
    paused_by TEXT NOT NULL
  );
  CREATE TABLE analytics_config (k TEXT PRIMARY KEY, v TEXT NOT NULL);`;

/** One increment: `n` more of `metric` (for `key`, '' for the guild total) at `at`. */
export interface Increment {
  metric: Metric;
  key: string;
  at: number;
  n: number;
}

/** An invite deleted by "Pause invite", with what "Resume" needs to create its like. */
export interface PausedInvite {
  code: string;
  channelId: string;
  maxAge: number;
  maxUses: number;
  temporary: boolean;
  inviterId: string | null;
  pausedAt: number;
  pausedBy: string;
}

const RESOLUTIONS: readonly Resolution[] = ['m', 'h', 'd'];
const SPIKE_KEY = 'spike';

export class AnalyticsStore {
  private readonly sql: SqlStorage;
  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  /** Adds increments (already merged by the caller where it can): three upserts each. */
  add(incs: Iterable<Increment>): void {
    for (const i of incs) {
      for (const res of RESOLUTIONS) {
        this.sql.exec(
          `INSERT INTO analytics_counts (metric, res, key, at, n) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(metric, res, key, at) DO UPDATE SET n = n + excluded.n`,
          i.metric,
          res,
          i.key,
          bucketOf(i.at, res),
          i.n,
        );
      }
    }
  }

  /** One key's stored buckets of one resolution in [from, to). */
  series(metric: Metric, res: Resolution, key: string, from: number, to: number): { at: number; n: number }[] {
    return this.sql
      .exec<{ at: number; n: number }>(
        `SELECT at, n FROM analytics_counts WHERE metric = ? AND res = ? AND key = ? AND at >= ? AND at < ? ORDER BY at`,
        metric,
        res,
        key,
        from,
        to,
      )
      .toArray();
  }

  /** The sum of one key's minute counts in [from, to) (the spike rule's windows: at most a day of minutes). */
  sum(metric: Metric, key: string, from: number, to: number): number {
    return (
      this.sql
        .exec<{ n: number | null }>(
          `SELECT SUM(n) AS n FROM analytics_counts WHERE metric = ? AND res = 'm' AND key = ? AND at >= ? AND at < ?`,
          metric,
          key,
          from,
          to,
        )
        .one().n ?? 0
    );
  }

  /** Keys of a per-key metric by their count in [from, to), largest first. */
  top(metric: Metric, res: Resolution, from: number, to: number, limit: number): { key: string; n: number }[] {
    return this.sql
      .exec<{ key: string; n: number }>(
        `SELECT key, SUM(n) AS n FROM analytics_counts WHERE metric = ? AND res = ? AND at >= ? AND at < ? AND key != ''
         GROUP BY key ORDER BY n DESC, key LIMIT ?`,
        metric,
        res,
        from,
        to,
        limit,
      )
      .toArray();
  }

  lastSpike(code: string): number | null {
    return this.sql.exec<{ alerted_at: number }>(`SELECT alerted_at FROM analytics_spikes WHERE code = ?`, code).toArray()[0]?.alerted_at ?? null;
  }

  setSpike(code: string, at: number): void {
    this.sql.exec(`INSERT INTO analytics_spikes (code, alerted_at) VALUES (?, ?) ON CONFLICT(code) DO UPDATE SET alerted_at = excluded.alerted_at`, code, at);
  }

  spikeConfig(): SpikeConfig {
    const raw = this.sql.exec<{ v: string }>(`SELECT v FROM analytics_config WHERE k = ?`, SPIKE_KEY).toArray()[0]?.v;
    return raw ? spikeConfigOf(JSON.parse(raw) as Partial<SpikeConfig>) : DEFAULT_SPIKE;
  }

  setSpikeConfig(c: SpikeConfig): void {
    this.sql.exec(`INSERT INTO analytics_config (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, SPIKE_KEY, JSON.stringify(c));
  }

  paused(): PausedInvite[] {
    return this.sql
      .exec<{
        code: string;
        channel_id: string;
        max_age: number;
        max_uses: number;
        temporary: number;
        inviter_id: string | null;
        paused_at: number;
        paused_by: string;
      }>(`SELECT * FROM analytics_paused ORDER BY paused_at DESC`)
      .toArray()
      .map((r) => ({
        code: r.code,
        channelId: r.channel_id,
        maxAge: r.max_age,
        maxUses: r.max_uses,
        temporary: r.temporary === 1,
        inviterId: r.inviter_id,
        pausedAt: r.paused_at,
        pausedBy: r.paused_by,
      }));
  }

  pausedOne(code: string): PausedInvite | null {
    return this.paused().find((p) => p.code === code) ?? null;
  }

  savePaused(p: PausedInvite): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO analytics_paused (code, channel_id, max_age, max_uses, temporary, inviter_id, paused_at, paused_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      p.code,
      p.channelId,
      p.maxAge,
      p.maxUses,
      p.temporary ? 1 : 0,
      p.inviterId,
      p.pausedAt,
      p.pausedBy,
    );
  }

  dropPaused(code: string): void {
    this.sql.exec(`DELETE FROM analytics_paused WHERE code = ?`, code);
  }

  /** Retention: minutes two days, hours five weeks, days two years; spike memory a day. */
  sweep(now: number): void {
    this.sql.exec(`DELETE FROM analytics_counts WHERE res = 'm' AND at < ?`, now - MINUTE_RETENTION_MS);
    this.sql.exec(`DELETE FROM analytics_counts WHERE res = 'h' AND at < ?`, now - HOUR_RETENTION_MS);
    this.sql.exec(`DELETE FROM analytics_counts WHERE res = 'd' AND at < ?`, now - DAY_RETENTION_MS);
    this.sql.exec(`DELETE FROM analytics_spikes WHERE alerted_at < ?`, now - 24 * 60 * MINUTE);
  }
}
