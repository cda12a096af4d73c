import { JsonKv } from '../../runtime/kv.ts';
import type { Appeal, AppealableCase } from './rules/appeals.ts';
import type { PendingApproval } from './rules/approvals.ts';
import type { DisabledPattern } from './rules/automod.ts';
import { type AutomodConfig, DEFAULT_AUTOMOD_CONFIG, parseAutomodConfig } from './rules/automod-config.ts';
import { parseLadder } from './rules/escalation.ts';
import type { Infraction, InfractionRecord, InfractionSource } from './rules/infractions.ts';
import { DEFAULT_SETTINGS, type ModSettings } from './settings.ts';

/**
 * The moderation tables of the guild actor (one migration, in the actor's
 * "Feature schemas" list). Records are JSON with the columns queries need.
 */
export const MODERATION_DESK_SCHEMA = `
CREATE TABLE mod_kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE mod_infractions (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, at INTEGER NOT NULL, source TEXT NOT NULL,
  rule_id TEXT, reason TEXT NOT NULL, moderator_id TEXT, pardon TEXT);
CREATE INDEX mod_infractions_user ON mod_infractions(user_id, id);
CREATE TABLE mod_cases (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX mod_cases_user ON mod_cases(user_id, id);
CREATE TABLE mod_approvals (id INTEGER PRIMARY KEY, status TEXT NOT NULL, user_id TEXT, kind TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE mod_appeals (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, user_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX mod_appeals_case ON mod_appeals(case_id);
CREATE TABLE mod_channels (id TEXT PRIMARY KEY, parent_id TEXT);
`;

export type CaseSource = 'moderator' | 'automod' | 'escalation' | 'classifier' | 'appeal';

/**
 * One Discord call of a case, run in this order: delete the message, tell
 * the member, time out, add the role, kick or ban; or, for reverts, lift
 * the ban, the timeout, the role.
 */
export type WorkStep = 'delete' | 'purge' | 'notify' | 'timeout' | 'role' | 'kick' | 'ban' | 'unban' | 'untimeout' | 'unrole';

/** The Discord work of a case, run inline by a staff command or as a job, step by step. */
export interface CaseWork {
  steps: WorkStep[];
  /** Steps finished so far, so a retried job does not repeat them. */
  done: WorkStep[];
  /** A step Discord refused (the case ends as failed). */
  failed?: boolean;
  deleteMessageSeconds?: number;
  /** For an approved mass delete. */
  messageIds?: string[];
}

/** One moderation action: what the mod log shows and what an appeal refers to. */
export interface ModCase extends AppealableCase {
  at: number;
  source: CaseSource;
  /** null for automation. */
  moderatorId: string | null;
  reason: string;
  evidence: string;
  durationMs: number | null;
  channelId: string | null;
  messageId: string | null;
  /** What happened on Discord's side (e.g. "DM closed: notice posted in #general"). */
  resultNote: string;
  approvalId: string | null;
  work: CaseWork | null;
}

/** An approval as stored: the pure record plus what the queue message shows. */
export interface StoredApproval extends PendingApproval {
  /** The member concerned (for a message deletion: its author). */
  userId: string | null;
  evidence: string;
  /** Where the queue message was posted. */
  channelId: string | null;
  /** The case the executed action became. */
  caseId: number | null;
  /** The moderator-facing note on how execution went. */
  outcome: string;
}

type Row<T> = { data: string } & T;

export class ModerationStore {
  private readonly sql: SqlStorage;

  private readonly kv: JsonKv;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    this.kv = new JsonKv(sql, 'mod_kv');
  }

  private get<T>(k: string): T | null {
    return this.kv.get<T>(k);
  }

  private put(k: string, v: unknown): void {
    this.kv.set(k, v);
  }

  settings(): ModSettings {
    const s = this.get<Partial<ModSettings>>('settings');
    if (!s) return DEFAULT_SETTINGS;
    const ladder = parseLadder(s.ladder ?? DEFAULT_SETTINGS.ladder);
    return { ...DEFAULT_SETTINGS, ...s, ladder: ladder.ok ? ladder.value : DEFAULT_SETTINGS.ladder };
  }

  setSettings(s: ModSettings): void {
    this.put('settings', s);
  }

  /** The stored automod configuration; one that no longer validates falls back to no rules rather than half of them. */
  automod(): AutomodConfig {
    const raw = this.get<unknown>('automod');
    if (raw === null) return DEFAULT_AUTOMOD_CONFIG;
    const parsed = parseAutomodConfig(raw);
    return parsed.ok ? parsed.value : DEFAULT_AUTOMOD_CONFIG;
  }

  setAutomod(c: AutomodConfig): void {
    this.put('automod', c);
  }

  disabledPatterns(): DisabledPattern[] {
    return this.get<DisabledPattern[]>('disabled-patterns') ?? [];
  }

  addDisabledPatterns(list: readonly DisabledPattern[]): void {
    const known = this.disabledPatterns();
    const key = (d: DisabledPattern) => `${d.ruleId}\u0000${d.pattern}`;
    const seen = new Set(known.map(key));
    this.put('disabled-patterns', [...known, ...list.filter((d) => !seen.has(key(d)))]);
  }

  /** Forgets the disabled patterns of a rule that was replaced or removed. */
  clearDisabledPatterns(ruleId: string): void {
    this.put(
      'disabled-patterns',
      this.disabledPatterns().filter((d) => d.ruleId !== ruleId),
    );
  }

  // ---- infractions ----

  record(userId: string): InfractionRecord {
    const rows = this.sql
      .exec<{ id: number; at: number; source: string; rule_id: string | null; reason: string; moderator_id: string | null; pardon: string | null }>(
        `SELECT id, at, source, rule_id, reason, moderator_id, pardon FROM mod_infractions WHERE user_id = ? ORDER BY id DESC LIMIT 100`,
        userId,
      )
      .toArray()
      .reverse();
    return {
      userId,
      items: rows.map(
        (r): Infraction => ({
          id: String(r.id),
          userId,
          at: r.at,
          source: r.source as InfractionSource,
          ruleId: r.rule_id,
          reason: r.reason,
          moderatorId: r.moderator_id,
          pardon: r.pardon ? (JSON.parse(r.pardon) as Infraction['pardon']) : null,
        }),
      ),
    };
  }

  addInfraction(i: Omit<Infraction, 'id' | 'pardon'>): string {
    this.sql.exec(
      `INSERT INTO mod_infractions (user_id, at, source, rule_id, reason, moderator_id) VALUES (?, ?, ?, ?, ?, ?)`,
      i.userId,
      i.at,
      i.source,
      i.ruleId,
      i.reason,
      i.moderatorId,
    );
    return String(this.sql.exec<{ id: number }>(`SELECT last_insert_rowid() AS id`).one().id);
  }

  savePardon(userId: string, inf: Infraction): void {
    this.sql.exec(`UPDATE mod_infractions SET pardon = ? WHERE id = ? AND user_id = ?`, JSON.stringify(inf.pardon), Number(inf.id), userId);
  }

  // ---- cases ----

  private nextId(table: 'mod_cases' | 'mod_approvals' | 'mod_appeals'): number {
    return this.sql.exec<{ n: number }>(`SELECT COALESCE(MAX(id), 0) + 1 AS n FROM ${table}`).one().n;
  }

  addCase(c: Omit<ModCase, 'id'>): ModCase {
    const full: ModCase = { ...c, id: this.nextId('mod_cases') };
    this.sql.exec(`INSERT INTO mod_cases (id, user_id, at, data) VALUES (?, ?, ?, ?)`, full.id, full.userId, full.at, JSON.stringify(full));
    return full;
  }

  case(id: number): ModCase | null {
    const row = this.sql.exec<Row<object>>(`SELECT data FROM mod_cases WHERE id = ?`, id).toArray()[0];
    return row ? (JSON.parse(row.data) as ModCase) : null;
  }

  saveCase(c: ModCase): void {
    this.sql.exec(`UPDATE mod_cases SET data = ? WHERE id = ?`, JSON.stringify(c), c.id);
  }

  casesOf(userId: string, limit = 10): ModCase[] {
    return this.sql
      .exec<Row<object>>(`SELECT data FROM mod_cases WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userId, limit)
      .toArray()
      .map((r) => JSON.parse(r.data) as ModCase);
  }

  /** Cases newest first, those with an id below `beforeId` when given (the REST API's pages). */
  casesPage(beforeId: number | null, limit: number): ModCase[] {
    return this.sql
      .exec<Row<object>>(`SELECT data FROM mod_cases WHERE id < ? ORDER BY id DESC LIMIT ?`, beforeId ?? Number.MAX_SAFE_INTEGER, limit)
      .toArray()
      .map((r) => JSON.parse(r.data) as ModCase);
  }

  // ---- approvals ----

  /** Approvals still waiting for a decision, oldest first. */
  pendingApprovals(limit: number): StoredApproval[] {
    return this.sql
      .exec<Row<object>>(`SELECT data FROM mod_approvals WHERE status = 'pending' ORDER BY id LIMIT ?`, limit)
      .toArray()
      .map((r) => JSON.parse(r.data) as StoredApproval);
  }

  newApprovalId(): string {
    return String(this.nextId('mod_approvals'));
  }

  saveApproval(a: StoredApproval): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO mod_approvals (id, status, user_id, kind, data) VALUES (?, ?, ?, ?, ?)`,
      Number(a.id),
      a.status,
      a.userId,
      a.action.kind,
      JSON.stringify(a),
    );
  }

  /** A pending request of this kind about this member, so automation does not ask twice. */
  pendingApprovalFor(userId: string, kind: string): StoredApproval | null {
    const row = this.sql
      .exec<Row<object>>(`SELECT data FROM mod_approvals WHERE user_id = ? AND kind = ? AND status = 'pending' ORDER BY id DESC LIMIT 1`, userId, kind)
      .toArray()[0];
    return row ? (JSON.parse(row.data) as StoredApproval) : null;
  }

  approval(id: string): StoredApproval | null {
    if (!/^\d{1,15}$/.test(id)) return null;
    const row = this.sql.exec<Row<object>>(`SELECT data FROM mod_approvals WHERE id = ?`, Number(id)).toArray()[0];
    return row ? (JSON.parse(row.data) as StoredApproval) : null;
  }

  // ---- appeals ----

  addAppeal(a: Omit<Appeal, 'id'>): Appeal {
    const full: Appeal = { ...a, id: this.nextId('mod_appeals') };
    this.sql.exec(`INSERT INTO mod_appeals (id, case_id, user_id, data) VALUES (?, ?, ?, ?)`, full.id, full.caseId, full.userId, JSON.stringify(full));
    return full;
  }

  appeal(id: number): Appeal | null {
    const row = this.sql.exec<Row<object>>(`SELECT data FROM mod_appeals WHERE id = ?`, id).toArray()[0];
    return row ? (JSON.parse(row.data) as Appeal) : null;
  }

  /** Appeals nobody has decided yet, oldest first (the dashboard's review queue). */
  openAppeals(limit: number): Appeal[] {
    return this.sql
      .exec<Row<object>>(`SELECT data FROM mod_appeals WHERE json_extract(data, '$.status') = 'open' ORDER BY id LIMIT ?`, limit)
      .toArray()
      .map((r) => JSON.parse(r.data) as Appeal);
  }

  appealsOf(caseId: number): Appeal[] {
    return this.sql
      .exec<Row<object>>(`SELECT data FROM mod_appeals WHERE case_id = ? ORDER BY id`, caseId)
      .toArray()
      .map((r) => JSON.parse(r.data) as Appeal);
  }

  saveAppeal(a: Appeal): void {
    this.sql.exec(`UPDATE mod_appeals SET data = ? WHERE id = ?`, JSON.stringify(a), a.id);
  }

  // ---- channel parents (for automod exemptions on categories and thread parents) ----

  channelParents(): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of this.sql.exec<{ id: string; parent_id: string | null }>(`SELECT id, parent_id FROM mod_channels`))
      if (r.parent_id) out.set(r.id, r.parent_id);
    return out;
  }

  setChannelParent(id: string, parentId: string | null): void {
    this.sql.exec(`INSERT OR REPLACE INTO mod_channels (id, parent_id) VALUES (?, ?)`, id, parentId);
  }

  forgetChannel(id: string): void {
    this.sql.exec(`DELETE FROM mod_channels WHERE id = ?`, id);
  }
}
