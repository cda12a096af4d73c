import { JsonKv } from '../../runtime/kv.ts';
import type { Attribution, JoinRecord } from './rules/invites.ts';
import type { VerificationEntry } from './rules/verification.ts';

/** The protection feature's tables (one migration of the guild actor). */
export const PROTECTION_SCHEMA = `
  CREATE TABLE protection_kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
  CREATE TABLE protection_activity (minute INTEGER PRIMARY KEY, joins INTEGER NOT NULL, leaves INTEGER NOT NULL);
  CREATE TABLE protection_lockdowns (id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, record TEXT NOT NULL);
  CREATE TABLE protection_quarantined (lockdown_id TEXT NOT NULL, user_id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (lockdown_id, user_id));
  CREATE TABLE protection_role_ops (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, role_id TEXT, op TEXT NOT NULL, reason TEXT NOT NULL);
  CREATE TABLE protection_invite_pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, joined_at INTEGER NOT NULL);
  CREATE TABLE protection_invite_joins (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, joined_at INTEGER NOT NULL,
    account_created_at INTEGER NOT NULL, attribution TEXT NOT NULL, left_at INTEGER);
  CREATE INDEX protection_invite_joins_user ON protection_invite_joins(user_id, joined_at);
  CREATE TABLE protection_verification (user_id TEXT PRIMARY KEY, entry TEXT NOT NULL);`;

/** A role change waiting to be sent; a null role is the quarantine role (created on first use). */
export interface RoleOp {
  id: number;
  userId: string;
  roleId: string | null;
  op: 'add' | 'remove';
  reason: string;
}

export interface PendingJoin {
  seq: number;
  userId: string;
  joinedAt: number;
}

/** The feature's rows. Synchronous, so a decision and its record commit together. */
export class ProtectionStore {
  private readonly sql: SqlStorage;
  private readonly cache = new Map<string, unknown>();
  private readonly kv: JsonKv;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    this.kv = new JsonKv(sql, 'protection_kv');
  }

  /** A small JSON value, kept in memory after the first read (this actor is its only writer). */
  get<T>(k: string, fallback: T): T {
    if (this.cache.has(k)) return this.cache.get(k) as T;
    const v = this.kv.get<T>(k) ?? fallback;
    this.cache.set(k, v);
    return v;
  }

  set<T>(k: string, v: T): void {
    this.kv.set(k, v);
    this.cache.set(k, v);
  }

  // ---- lockdowns ---------------------------------------------------------------

  lockdown<T>(id: string): T | null {
    const row = this.sql.exec<{ record: string }>(`SELECT record FROM protection_lockdowns WHERE id = ?`, id).toArray()[0];
    return row ? (JSON.parse(row.record) as T) : null;
  }

  saveLockdown(id: string, startedAt: number, record: unknown): void {
    this.sql.exec(
      `INSERT INTO protection_lockdowns (id, started_at, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record`,
      id,
      startedAt,
      JSON.stringify(record),
    );
  }

  /** Records members as quarantined by a lockdown; returns those not already recorded. */
  quarantine(lockdownId: string, userIds: readonly string[], now: number): string[] {
    const added: string[] = [];
    for (const u of userIds) {
      const r = this.sql.exec(`INSERT OR IGNORE INTO protection_quarantined (lockdown_id, user_id, at) VALUES (?, ?, ?)`, lockdownId, u, now);
      if (r.rowsWritten > 0) added.push(u);
    }
    return added;
  }

  quarantinedBy(lockdownId: string): string[] {
    return this.sql
      .exec<{ user_id: string }>(`SELECT user_id FROM protection_quarantined WHERE lockdown_id = ? ORDER BY at, user_id`, lockdownId)
      .toArray()
      .map((r) => r.user_id);
  }

  quarantinedCount(lockdownId: string): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM protection_quarantined WHERE lockdown_id = ?`, lockdownId).one().n;
  }

  // ---- role changes ----------------------------------------------------------------

  queueRole(userId: string, roleId: string | null, op: RoleOp['op'], reason: string): void {
    this.sql.exec(`INSERT INTO protection_role_ops (user_id, role_id, op, reason) VALUES (?, ?, ?, ?)`, userId, roleId, op, reason);
  }

  roleOps(limit: number): RoleOp[] {
    return this.sql
      .exec<{ id: number; user_id: string; role_id: string | null; op: string; reason: string }>(
        `SELECT id, user_id, role_id, op, reason FROM protection_role_ops ORDER BY id LIMIT ?`,
        limit,
      )
      .toArray()
      .map((r) => ({ id: r.id, userId: r.user_id, roleId: r.role_id, op: r.op === 'remove' ? 'remove' : 'add', reason: r.reason }));
  }

  roleOpsPending(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM protection_role_ops`).one().n;
  }

  roleOpDone(id: number): void {
    this.sql.exec(`DELETE FROM protection_role_ops WHERE id = ?`, id);
  }

  // ---- invite attribution ------------------------------------------------------------

  addPendingJoin(userId: string, joinedAt: number): void {
    this.sql.exec(`INSERT INTO protection_invite_pending (user_id, joined_at) VALUES (?, ?)`, userId, joinedAt);
  }

  pendingJoins(): PendingJoin[] {
    return this.sql
      .exec<{ seq: number; user_id: string; joined_at: number }>(`SELECT seq, user_id, joined_at FROM protection_invite_pending ORDER BY seq`)
      .toArray()
      .map((r) => ({ seq: r.seq, userId: r.user_id, joinedAt: r.joined_at }));
  }

  /** Attributed joins leave the pending list and become records, in one step. */
  recordJoins(upToSeq: number, records: readonly JoinRecord[]): void {
    for (const r of records) {
      this.sql.exec(
        `INSERT INTO protection_invite_joins (user_id, joined_at, account_created_at, attribution, left_at) VALUES (?, ?, ?, ?, ?)`,
        r.userId,
        r.joinedAt,
        r.accountCreatedAt,
        JSON.stringify(r.attribution),
        r.leftAt,
      );
    }
    this.sql.exec(`DELETE FROM protection_invite_pending WHERE seq <= ?`, upToSeq);
  }

  /** Marks the member's latest join as left (see recordLeave in invites.ts for the rule). */
  recordLeave(userId: string, now: number): void {
    this.sql.exec(
      `UPDATE protection_invite_joins SET left_at = ? WHERE id = (SELECT id FROM protection_invite_joins WHERE user_id = ? AND left_at IS NULL ORDER BY joined_at DESC, id DESC LIMIT 1)`,
      now,
      userId,
    );
  }

  joinRecords(): JoinRecord[] {
    return this.sql
      .exec<{ user_id: string; joined_at: number; account_created_at: number; attribution: string; left_at: number | null }>(
        `SELECT user_id, joined_at, account_created_at, attribution, left_at FROM protection_invite_joins ORDER BY id`,
      )
      .toArray()
      .map((r) => ({
        userId: r.user_id,
        joinedAt: r.joined_at,
        accountCreatedAt: r.account_created_at,
        attribution: JSON.parse(r.attribution) as Attribution,
        leftAt: r.left_at,
      }));
  }

  trackedJoins(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM protection_invite_joins`).one().n;
  }

  pendingJoinCount(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM protection_invite_pending`).one().n;
  }

  latestJoin(userId: string): JoinRecord | null {
    const r = this.sql
      .exec<{ user_id: string; joined_at: number; account_created_at: number; attribution: string; left_at: number | null }>(
        `SELECT user_id, joined_at, account_created_at, attribution, left_at FROM protection_invite_joins WHERE user_id = ? ORDER BY joined_at DESC, id DESC LIMIT 1`,
        userId,
      )
      .toArray()[0];
    return r
      ? {
          userId: r.user_id,
          joinedAt: r.joined_at,
          accountCreatedAt: r.account_created_at,
          attribution: JSON.parse(r.attribution) as Attribution,
          leftAt: r.left_at,
        }
      : null;
  }

  // ---- verification -------------------------------------------------------------------

  verification(userId: string): VerificationEntry | null {
    const row = this.sql.exec<{ entry: string }>(`SELECT entry FROM protection_verification WHERE user_id = ?`, userId).toArray()[0];
    return row ? (JSON.parse(row.entry) as VerificationEntry) : null;
  }

  saveVerification(e: VerificationEntry): void {
    this.sql.exec(
      `INSERT INTO protection_verification (user_id, entry) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET entry = excluded.entry`,
      e.userId,
      JSON.stringify(e),
    );
  }

  dropVerification(userId: string): void {
    this.sql.exec(`DELETE FROM protection_verification WHERE user_id = ?`, userId);
  }

  pendingVerifications(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM protection_verification WHERE json_extract(entry, '$.status') = 'pending'`).one().n;
  }

  // ---- activity (written behind) ------------------------------------------------------

  activityRows(sinceMinute: number): { minute: number; joins: number; leaves: number }[] {
    return this.sql
      .exec<{ minute: number; joins: number; leaves: number }>(
        `SELECT minute, joins, leaves FROM protection_activity WHERE minute >= ? ORDER BY minute`,
        sinceMinute,
      )
      .toArray();
  }

  writeActivity(rows: readonly { minute: number; joins: number; leaves: number }[], dropBefore: number): void {
    for (const r of rows) {
      this.sql.exec(
        `INSERT INTO protection_activity (minute, joins, leaves) VALUES (?, ?, ?) ON CONFLICT(minute) DO UPDATE SET joins = excluded.joins, leaves = excluded.leaves`,
        r.minute,
        r.joins,
        r.leaves,
      );
    }
    this.sql.exec(`DELETE FROM protection_activity WHERE minute < ?`, dropBefore);
  }
}
