import { maskPersonalData } from './mask.ts';

/** One row of a guild's audit log: who did what, how it ended, and how long it took. */
export interface AuditEntry {
  at: number;
  guildId: string;
  userId: string;
  /** e.g. `/ticket open`, `button ticket:claim` */
  action: string;
  /** `ok`, `refused:<reason code>` or `error` */
  outcome: string;
  latencyMs: number;
  /** Free text, masked before it is stored. */
  detail: string;
}

export const AUDIT_SCHEMA = `CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, guild_id TEXT NOT NULL, user_id TEXT NOT NULL,
  action TEXT NOT NULL, outcome TEXT NOT NULL, latency_ms REAL NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at)`;

export function insertAudit(sql: SqlStorage, e: AuditEntry): void {
  sql.exec(
    `INSERT INTO audit (at, guild_id, user_id, action, outcome, latency_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    e.at,
    e.guildId,
    e.userId,
    e.action,
    e.outcome,
    e.latencyMs,
    maskPersonalData(e.detail),
  );
}

export function readAudit(sql: SqlStorage, limit: number): AuditEntry[] {
  return mapRows(
    sql.exec<AuditRow>(`SELECT at, guild_id, user_id, action, outcome, latency_ms, detail FROM audit ORDER BY at DESC, id DESC LIMIT ?`, limit).toArray(),
  );
}

export function readAuditSince(sql: SqlStorage, since: number): AuditEntry[] {
  return mapRows(sql.exec<AuditRow>(`SELECT at, guild_id, user_id, action, outcome, latency_ms, detail FROM audit WHERE at >= ? ORDER BY at`, since).toArray());
}

/** Entries whose detail names the ticket (`ticket #12` or `ticket #12 …`). */
export function readAuditForTicket(sql: SqlStorage, ticketNumber: number): AuditEntry[] {
  return mapRows(
    sql
      .exec<AuditRow>(
        `SELECT at, guild_id, user_id, action, outcome, latency_ms, detail FROM audit WHERE detail = ? OR detail LIKE ? ORDER BY at, id`,
        `ticket #${ticketNumber}`,
        `ticket #${ticketNumber} %`,
      )
      .toArray(),
  );
}

export function purgeAuditBefore(sql: SqlStorage, before: number): number {
  return sql.exec(`DELETE FROM audit WHERE at < ?`, before).rowsWritten;
}

type AuditRow = { at: number; guild_id: string; user_id: string; action: string; outcome: string; latency_ms: number; detail: string };

function mapRows(rows: AuditRow[]): AuditEntry[] {
  return rows.map((r) => ({
    at: r.at,
    guildId: r.guild_id,
    userId: r.user_id,
    action: r.action,
    outcome: r.outcome,
    latencyMs: r.latency_ms,
    detail: r.detail,
  }));
}
