import type { Migration } from '../../runtime/migrations.ts';
import type { BotRecord } from './rules.ts';

/** The register's tables: what admins wrote per bot, the last message seen per bot, and the register's settings. */
export const GOVERNANCE_MIGRATIONS: readonly Migration[] = [
  {
    name: 'governance-schema',
    sql: `CREATE TABLE gov_bots (bot_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, purpose TEXT NOT NULL, failure_plan TEXT NOT NULL,
      review_date TEXT, accepted TEXT NOT NULL, reminded_for TEXT, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL);
    CREATE TABLE gov_seen (bot_id TEXT PRIMARY KEY, last_seen INTEGER NOT NULL);
    CREATE TABLE gov_settings (k INTEGER PRIMARY KEY CHECK (k = 1), watch_since INTEGER NOT NULL, reminder_channel TEXT)`,
  },
];

export interface StoredRecord extends BotRecord {
  remindedFor: string | null;
  updatedAt: number;
  updatedBy: string;
}

type Row = {
  bot_id: string;
  owner_id: string;
  purpose: string;
  failure_plan: string;
  review_date: string | null;
  accepted: string;
  reminded_for: string | null;
  updated_at: number;
  updated_by: string;
};

const fromRow = (r: Row): StoredRecord => ({
  botId: r.bot_id,
  ownerId: r.owner_id,
  purpose: r.purpose,
  failurePlan: r.failure_plan,
  reviewDate: r.review_date,
  accepted: r.accepted === '' ? [] : r.accepted.split(','),
  remindedFor: r.reminded_for,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export class GovernanceStore {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  /** Since when bots' messages are watched: the first time the register existed in this guild. */
  settings(now: number): { watchSince: number; reminderChannel: string | null } {
    this.sql.exec(`INSERT OR IGNORE INTO gov_settings (k, watch_since, reminder_channel) VALUES (1, ?, NULL)`, now);
    const r = this.sql.exec<{ watch_since: number; reminder_channel: string | null }>(`SELECT watch_since, reminder_channel FROM gov_settings`).one();
    return { watchSince: r.watch_since, reminderChannel: r.reminder_channel };
  }

  setReminderChannel(channelId: string | null, now: number): void {
    this.settings(now);
    this.sql.exec(`UPDATE gov_settings SET reminder_channel = ?`, channelId);
  }

  all(): StoredRecord[] {
    return this.sql.exec<Row>(`SELECT * FROM gov_bots`).toArray().map(fromRow);
  }

  get(botId: string): StoredRecord | null {
    const r = this.sql.exec<Row>(`SELECT * FROM gov_bots WHERE bot_id = ?`, botId).toArray()[0];
    return r ? fromRow(r) : null;
  }

  /** Saves what an admin wrote (a date already reminded of keeps its mark: one reminder per review date). */
  save(r: BotRecord, by: string, now: number): void {
    this.sql.exec(
      `INSERT INTO gov_bots (bot_id, owner_id, purpose, failure_plan, review_date, accepted, reminded_for, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)
       ON CONFLICT(bot_id) DO UPDATE SET owner_id = excluded.owner_id, purpose = excluded.purpose, failure_plan = excluded.failure_plan,
         review_date = excluded.review_date, accepted = excluded.accepted, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      r.botId,
      r.ownerId,
      r.purpose,
      r.failurePlan,
      r.reviewDate,
      r.accepted.join(','),
      now,
      by,
    );
  }

  markReminded(botId: string, date: string): void {
    this.sql.exec(`UPDATE gov_bots SET reminded_for = ? WHERE bot_id = ?`, date, botId);
  }

  /** The last message seen per bot. */
  lastSeen(): Map<string, number> {
    return new Map(
      this.sql
        .exec<{ bot_id: string; last_seen: number }>(`SELECT bot_id, last_seen FROM gov_seen`)
        .toArray()
        .map((r) => [r.bot_id, r.last_seen]),
    );
  }

  /** Writes a batch's last-seen times: one upsert per bot, never moving back in time. */
  writeSeen(seen: ReadonlyMap<string, number>): void {
    for (const [botId, at] of seen)
      this.sql.exec(
        `INSERT INTO gov_seen (bot_id, last_seen) VALUES (?, ?) ON CONFLICT(bot_id) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)`,
        botId,
        at,
      );
  }
}
