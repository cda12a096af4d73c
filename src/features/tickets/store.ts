import { JsonKv } from '../../runtime/kv.ts';
import type { Migration } from '../../runtime/migrations.ts';
import type { SupportHours } from './hours/rules.ts';
import type { Ticket } from './model.ts';
import { TRANSCRIPT_ATTACHMENTS_MIGRATION, TRANSCRIPT_ERROR_MIGRATION, TRANSCRIPT_SCHEMA } from './transcript.ts';
import type { TicketPolicy } from './upkeep/rules.ts';

/**
 * Persistence of one ticket inside its TicketActor: the record (one row, JSON),
 * its status history, per-user pending close reasons and the provisioning
 * progress. All synchronous SQLite, so a decide-and-write never awaits.
 */
/** The ticket actor's schema, by name. */
export const TICKET_MIGRATIONS: readonly Migration[] = [
  {
    name: 'record',
    sql: `CREATE TABLE ticket (k INTEGER PRIMARY KEY CHECK (k = 1), data TEXT NOT NULL);
   CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL, by_user TEXT NOT NULL, action TEXT NOT NULL);
   CREATE TABLE pending_close (user_id TEXT PRIMARY KEY, reason TEXT);
   CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
   CREATE TABLE seen_interactions (id TEXT PRIMARY KEY, response TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE TABLE pending_audit (id INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL);`,
  },
  { name: 'transcript', sql: TRANSCRIPT_SCHEMA },
  { name: 'transcript-error', sql: TRANSCRIPT_ERROR_MIGRATION },
  { name: 'transcript-attachments', sql: TRANSCRIPT_ATTACHMENTS_MIGRATION },
];

/** What the ticket needs to provision its thread, fixed at creation. */
export interface ProvisionPlan {
  applicationId: string;
  staffRoleId: string | null;
  categoryId: string | null;
  /** Interaction token of /ticket open, to edit the confirmation once the thread exists (valid 15 min). */
  interactionToken: string | null;
  interactionAt: number;
  /** The opener's locale (the confirmation they see) and the guild's (posts in the ticket's channel); absent on tickets opened before i18n. */
  locale?: string | null;
  guildLocale?: string | null;
  /** Why the guild could not create the ticket's channel, when Discord refused for good. */
  channelError?: string | null;
  /** The guild's ticket policy when the ticket was opened (SLA, reminders, auto-close); absent on older tickets. */
  policy?: TicketPolicy;
  /** The guild's support hours when the ticket was opened, for an SLA clock that counts only open time. */
  hours?: SupportHours | null;
  /** Set when the ticket opened outside support hours: when staff answer (null: no opening within a year). */
  outsideHours?: { staffFrom: number | null } | null;
}

export class TicketStore {
  private readonly sql: SqlStorage;
  private readonly meta: JsonKv;
  /**
   * The record's stored text (null: none yet; undefined: not read). This store is the only reader and writer of
   * `ticket` and `meta` in its actor, and a ticket's work reads its record many times per step: each read would be
   * an SQL call, which costs tens of µs in workerd. Text, so every load is a fresh object nobody else holds.
   */
  private data: string | null | undefined;
  constructor(sql: SqlStorage) {
    this.meta = new JsonKv(sql, 'meta', { soleWriter: true });
    this.sql = sql;
  }

  load(): Ticket | null {
    if (this.data === undefined) this.data = this.sql.exec<{ data: string }>(`SELECT data FROM ticket WHERE k = 1`).toArray()[0]?.data ?? null;
    return this.data === null ? null : (JSON.parse(this.data) as Ticket);
  }

  save(t: Ticket, action: string): void {
    const data = JSON.stringify(t);
    this.sql.exec(`INSERT INTO ticket (k, data) VALUES (1, ?) ON CONFLICT(k) DO UPDATE SET data = excluded.data`, data);
    this.data = data;
    this.sql.exec(
      `INSERT INTO history (at, version, status, by_user, action) VALUES (?, ?, ?, ?, ?)`,
      t.updatedAt,
      t.version,
      t.status,
      t.lastChangedBy,
      action,
    );
  }

  /** Saves without a history line (conversation timestamps, not a status change). */
  saveQuietly(t: Ticket): void {
    const data = JSON.stringify(t);
    // An update of a record that does not exist writes nothing, and nothing is remembered.
    if (this.sql.exec(`UPDATE ticket SET data = ? WHERE k = 1`, data).rowsWritten > 0) this.data = data;
  }

  history(): { at: number; version: number; status: string; by: string; action: string }[] {
    return this.sql
      .exec<{ at: number; version: number; status: string; by_user: string; action: string }>(
        `SELECT at, version, status, by_user, action FROM history ORDER BY id`,
      )
      .toArray()
      .map((r) => ({ at: r.at, version: r.version, status: r.status, by: r.by_user, action: r.action }));
  }

  getMeta<T>(k: string): T | null {
    return this.meta.get<T>(k);
  }

  setMeta(k: string, v: unknown): void {
    this.meta.set(k, v);
  }

  setPendingClose(userId: string, reason: string | null): void {
    this.sql.exec(`INSERT INTO pending_close (user_id, reason) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET reason = excluded.reason`, userId, reason);
  }

  takePendingClose(userId: string): string | null {
    const row = this.sql.exec<{ reason: string | null }>(`SELECT reason FROM pending_close WHERE user_id = ?`, userId).toArray()[0];
    this.sql.exec(`DELETE FROM pending_close WHERE user_id = ?`, userId);
    return row?.reason ?? null;
  }
}
