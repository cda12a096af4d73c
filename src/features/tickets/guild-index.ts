import { JsonKv } from '../../runtime/kv.ts';
import type { Migration } from '../../runtime/migrations.ts';
import type { SupportHours } from './hours/rules.ts';
import { DEFAULT_INTAKE, type IntakeRules } from './intake/rules.ts';
import { ACTIVE_STATUSES, type IssueType, type Ticket, type TicketStatus } from './model.ts';
import { ORGANIZE_SCHEMA } from './organize/store.ts';
import { PANELS_SCHEMA } from './panels/store.ts';
import { DEFAULT_POLICY, type TicketPolicy } from './upkeep/rules.ts';
import type { TicketListRow } from './views.ts';

/** The guild's ticket configuration, set with /setup tickets. Everything works without it. */
export interface TicketConfig {
  staffRoleId: string | null;
  categoryId: string | null;
  logChannelId: string | null;
  maxOpenPerType: number;
  /** Where the transcript of every closed ticket is posted; none without it. */
  transcriptChannelId: string | null;
  /** Whether the opener gets a copy of the transcript by DM on close. */
  transcriptDm: boolean;
  /** Whether staff replies from the inbox are posted as "Support team" instead of naming the staff member. */
  anonymousStaff: boolean;
  /** Whether the opener is asked for a 1–5 rating after a close (/tickets survey). */
  ratingsEnabled: boolean;
  /** The exit survey's questions after a rating (none: no form). */
  surveyQuestions: string[];
}

export const DEFAULT_TICKET_CONFIG: TicketConfig = {
  staffRoleId: null,
  categoryId: null,
  logChannelId: null,
  maxOpenPerType: 1,
  transcriptChannelId: null,
  transcriptDm: false,
  anonymousStaff: false,
  ratingsEnabled: true,
  surveyQuestions: [],
};

/** The guild side's schema, by name (the guild's `seen_interactions` came with the first). */
export const GUILD_TICKET_MIGRATIONS: readonly Migration[] = [
  {
    name: 'index',
    sql: `CREATE TABLE config (k TEXT PRIMARY KEY, v TEXT NOT NULL);
   CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
   CREATE TABLE tickets (id TEXT PRIMARY KEY, number INTEGER NOT NULL, opener_id TEXT NOT NULL, issue_type TEXT NOT NULL,
     severity TEXT NOT NULL, subject TEXT NOT NULL, status TEXT NOT NULL, assignee_id TEXT, channel_id TEXT,
     created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, version INTEGER NOT NULL);
   CREATE INDEX tickets_opener ON tickets(opener_id, issue_type, status);
   CREATE INDEX tickets_channel ON tickets(channel_id);
   CREATE INDEX tickets_status ON tickets(status, number);
   CREATE TABLE seen_interactions (id TEXT PRIMARY KEY, response TEXT NOT NULL, at INTEGER NOT NULL);`,
  },
  // Staff inbox and triage metrics.
  {
    name: 'inbox-triage',
    sql: `ALTER TABLE tickets ADD COLUMN opener_name TEXT NOT NULL DEFAULT '';
   ALTER TABLE tickets ADD COLUMN assignee_name TEXT;
   ALTER TABLE tickets ADD COLUMN last_member_message_at INTEGER;
   ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
   ALTER TABLE tickets ADD COLUMN resolved_at INTEGER;
   ALTER TABLE tickets ADD COLUMN closed_at INTEGER;
   ALTER TABLE tickets ADD COLUMN escalations INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX tickets_created ON tickets(created_at);`,
  },
  // SLA due times (inbox countdowns) and results (attainment).
  {
    name: 'sla',
    sql: `ALTER TABLE tickets ADD COLUMN first_due_at INTEGER;
   ALTER TABLE tickets ADD COLUMN resolve_due_at INTEGER;
   ALTER TABLE tickets ADD COLUMN first_met INTEGER;
   ALTER TABLE tickets ADD COLUMN resolve_met INTEGER;`,
  },
  // Staff workload (one-touch resolution) and the opener's rating and survey of the last close.
  {
    name: 'ratings-workload',
    sql: `ALTER TABLE tickets ADD COLUMN staff_messages INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE tickets ADD COLUMN rating INTEGER;
   ALTER TABLE tickets ADD COLUMN rated_at INTEGER;
   ALTER TABLE tickets ADD COLUMN survey TEXT;
   CREATE INDEX tickets_rated ON tickets(rated_at);`,
  },
  // Ticket panels and their categories (panels/).
  { name: 'panels', sql: PANELS_SCHEMA },
  // When each member last got a keyword suggestion in a help channel (/setup intake suggest).
  { name: 'intake-suggestions', sql: `CREATE TABLE intake_suggested (user_id TEXT PRIMARY KEY, at INTEGER NOT NULL);` },
  // The message a member's next ticket comes from (its suggestion's button), acknowledged with a reaction once the ticket opens.
  {
    name: 'intake-reports',
    sql: `CREATE TABLE intake_reports (user_id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, message_id TEXT NOT NULL, at INTEGER NOT NULL);`,
  },
  // Saved replies, tags (found by tag) and the panel category a ticket is in (organize/).
  { name: 'organize', sql: ORGANIZE_SCHEMA },
  // The message each ticket opened from a message's Apps menu came from: one ticket per message.
  {
    name: 'from-message',
    sql: `CREATE TABLE ticket_sources (message_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, at INTEGER NOT NULL);`,
  },
];

const flag = (b: boolean | null | undefined): number | null => (b === true ? 1 : b === false ? 0 : null);
const unflag = (n: number | null): boolean | null => (n === null ? null : n === 1);

const ACTIVE_SQL = ACTIVE_STATUSES.map((s) => `'${s}'`).join(',');

/** The guild actor's index of its tickets: enough to list, count and find a ticket by channel. */
export class GuildTicketIndex {
  private readonly sql: SqlStorage;
  private readonly settings: JsonKv;
  private cachedConfig: TicketConfig | null = null;
  /** Support hours, read by every /ticket open: undefined until loaded, null when none are set. */
  private cachedHours: SupportHours | null | undefined;
  private cachedIntake: IntakeRules | null = null;
  /** Whether any member's report message waits for their next ticket (null: not looked yet); every open asks. */
  private reportsWaiting: boolean | null = null;
  /** The SLA policy, read by every /ticket open. */
  private cachedPolicy: TicketPolicy | null = null;
  /**
   * Channels that hold a ticket: every gateway message asks, and nearly all
   * are elsewhere, so a miss is answered from memory. Only grows (a channel
   * keeps its ticket); this actor is the only writer.
   */
  private ticketChannels: Set<string> | null = null;
  constructor(sql: SqlStorage) {
    this.settings = new JsonKv(sql, 'config');
    this.sql = sql;
  }

  /** Read on every command, so kept in memory; this actor is its only writer. */
  config(): TicketConfig {
    if (!this.cachedConfig) {
      const saved = this.settings.get<Partial<TicketConfig>>('tickets');
      this.cachedConfig = saved ? { ...DEFAULT_TICKET_CONFIG, ...saved } : DEFAULT_TICKET_CONFIG;
    }
    return this.cachedConfig;
  }

  setConfig(c: TicketConfig): void {
    this.settings.set('tickets', c);
    this.cachedConfig = c;
  }

  /** The policy new tickets are opened under (SLA, reminders, auto-close); defaults where nothing was set. */
  policy(): TicketPolicy {
    if (!this.cachedPolicy) {
      const saved = this.settings.get<Partial<TicketPolicy>>('policy');
      this.cachedPolicy = saved ? { ...DEFAULT_POLICY, ...saved, sla: { ...DEFAULT_POLICY.sla, ...saved.sla } } : DEFAULT_POLICY;
    }
    return this.cachedPolicy;
  }

  setPolicy(p: TicketPolicy): void {
    this.settings.set('policy', p);
    this.cachedPolicy = p;
  }

  /** The guild's support hours (/tickets hours), or null: tickets open at any time. */
  hours(): SupportHours | null {
    if (this.cachedHours === undefined) this.cachedHours = this.settings.get<SupportHours>('hours');
    return this.cachedHours;
  }

  setHours(h: SupportHours | null): void {
    if (h) this.settings.set('hours', h);
    else this.settings.delete('hours');
    this.cachedHours = h;
  }

  /** Who may open tickets and how often (/setup intake); read on every open, so kept in memory (this actor is its only writer). */
  intake(): IntakeRules {
    this.cachedIntake ??= { ...DEFAULT_INTAKE, ...this.settings.get<Partial<IntakeRules>>('intake') };
    return this.cachedIntake;
  }

  setIntake(r: IntakeRules): void {
    this.settings.set('intake', r);
    this.cachedIntake = r;
  }

  /** When the member last opened a ticket (any type, any status), for the intake cooldown. */
  lastOpenedAt(openerId: string): number | null {
    return this.sql.exec<{ at: number | null }>(`SELECT MAX(created_at) AS at FROM tickets WHERE opener_id = ?`, openerId).one().at;
  }

  /**
   * Takes the member's suggestion for this interval: true (and stored) when
   * they got none in the last `intervalMs`, false otherwise.
   */
  claimSuggestion(userId: string, at: number, intervalMs: number): boolean {
    return (
      this.sql
        .exec(
          `INSERT INTO intake_suggested (user_id, at) VALUES (?, ?)
           ON CONFLICT(user_id) DO UPDATE SET at = excluded.at WHERE intake_suggested.at <= excluded.at - ?
           RETURNING user_id`,
          userId,
          at,
          intervalMs,
        )
        .toArray().length > 0
    );
  }

  /** Remembers the message the member's next ticket comes from (one per member; a newer one replaces it). */
  rememberReport(userId: string, channelId: string, messageId: string, at: number): void {
    this.sql.exec(
      `INSERT INTO intake_reports (user_id, channel_id, message_id, at) VALUES (?, ?, ?, ?)
       ON CONFLICT(user_id) DO UPDATE SET channel_id = excluded.channel_id, message_id = excluded.message_id, at = excluded.at`,
      userId,
      channelId,
      messageId,
      at,
    );
    this.reportsWaiting = true;
  }

  /** Takes the member's remembered message if it was remembered at or after `since`. */
  takeReport(userId: string, since: number): { channelId: string; messageId: string } | null {
    // Most guilds never have one waiting: no SQL call on their opens once that is known.
    this.reportsWaiting ??= this.sql.exec<{ n: number }>(`SELECT EXISTS (SELECT 1 FROM intake_reports) AS n`).one().n === 1;
    if (!this.reportsWaiting) return null;
    this.reportsWaiting = null;
    const row = this.sql
      .exec<{ channel_id: string; message_id: string; at: number }>(`DELETE FROM intake_reports WHERE user_id = ? RETURNING channel_id, message_id, at`, userId)
      .toArray()[0];
    return row && row.at >= since ? { channelId: row.channel_id, messageId: row.message_id } : null;
  }

  /** The ticket opened from this message ("Open ticket" in its Apps menu), if any. */
  ticketFromMessage(messageId: string): TicketListRow | null {
    const row = this.sql.exec<{ ticket_id: string }>(`SELECT ticket_id FROM ticket_sources WHERE message_id = ?`, messageId).toArray()[0];
    return row ? this.byId(row.ticket_id) : null;
  }

  /** Records that the ticket came from this message; a message starts one ticket (its primary key refuses a second). */
  rememberSource(messageId: string, ticketId: string, at: number): void {
    this.sql.exec(`INSERT INTO ticket_sources (message_id, ticket_id, at) VALUES (?, ?, ?)`, messageId, ticketId, at);
  }

  nextNumber(): number {
    return this.sql
      .exec<{ value: number }>(`INSERT INTO counters (name, value) VALUES ('ticket', 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`)
      .one().value;
  }

  activeCount(openerId: string, issueType: IssueType): number {
    return this.sql
      .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM tickets WHERE opener_id = ? AND issue_type = ? AND status IN (${ACTIVE_SQL})`, openerId, issueType)
      .one().n;
  }

  /** Inserts or updates from the ticket's own record; older versions never overwrite newer ones. */
  upsert(t: Ticket): void {
    const written = this.sql.exec(
      `INSERT INTO tickets (id, number, opener_id, issue_type, severity, subject, status, assignee_id, channel_id, created_at, updated_at, version,
         opener_name, assignee_name, last_member_message_at, first_response_at, resolved_at, closed_at, escalations,
         first_due_at, resolve_due_at, first_met, resolve_met, staff_messages, rating, rated_at, survey, tags, category_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET status = excluded.status, assignee_id = excluded.assignee_id,
         issue_type = excluded.issue_type, severity = excluded.severity, tags = excluded.tags, category_name = excluded.category_name,
         channel_id = COALESCE(excluded.channel_id, tickets.channel_id), updated_at = excluded.updated_at, version = excluded.version,
         subject = excluded.subject, assignee_name = excluded.assignee_name, last_member_message_at = excluded.last_member_message_at,
         first_response_at = excluded.first_response_at, resolved_at = excluded.resolved_at, closed_at = excluded.closed_at, escalations = excluded.escalations,
         first_due_at = excluded.first_due_at, resolve_due_at = excluded.resolve_due_at, first_met = excluded.first_met, resolve_met = excluded.resolve_met,
         staff_messages = excluded.staff_messages, rating = excluded.rating, rated_at = excluded.rated_at, survey = excluded.survey
       WHERE excluded.version > tickets.version OR (excluded.version = tickets.version AND excluded.updated_at >= tickets.updated_at)
       RETURNING id`,
      t.id,
      t.number,
      t.openerId,
      t.issueType,
      t.severity,
      t.subject,
      t.status,
      t.assigneeId,
      t.channelId,
      t.createdAt,
      t.updatedAt,
      t.version,
      t.openerName,
      t.assigneeName,
      t.lastMemberMessageAt,
      t.firstResponseAt,
      t.resolvedAt,
      t.closedAt,
      t.escalations,
      t.firstDueAt ?? null,
      t.resolveDueAt ?? null,
      flag(t.firstMet),
      flag(t.resolveMet),
      t.staffMessages ?? 0,
      t.rating ?? null,
      t.ratedAt ?? null,
      t.survey ? JSON.stringify(t.survey) : null,
      t.tags?.length ? JSON.stringify(t.tags) : null,
      t.category?.name ?? null,
    );
    // Only when the row took this version: an older copy arriving late must not bring back removed tags.
    if (written.toArray().length > 0) {
      // Tags come with later versions only: a ticket's first has none to remove (one SQL call less per open).
      if (t.version > 1) this.sql.exec(`DELETE FROM ticket_tags WHERE ticket_id = ?`, t.id);
      for (const tag of t.tags ?? []) this.sql.exec(`INSERT OR IGNORE INTO ticket_tags (tag, ticket_id) VALUES (?, ?)`, tag, t.id);
    }
    if (t.channelId) this.ticketChannels?.add(t.channelId);
  }

  setChannel(id: string, channelId: string): void {
    this.sql.exec(`UPDATE tickets SET channel_id = ? WHERE id = ?`, channelId, id);
    this.ticketChannels?.add(channelId);
  }

  byId(id: string): TicketListRow | null {
    return this.rows(`WHERE id = ?`, [id], 1)[0] ?? null;
  }

  byChannel(channelId: string): TicketListRow | null {
    this.ticketChannels ??= new Set(
      this.sql
        .exec<{ c: string }>(`SELECT channel_id AS c FROM tickets WHERE channel_id IS NOT NULL`)
        .toArray()
        .map((r) => r.c),
    );
    if (!this.ticketChannels.has(channelId)) return null;
    return this.rows(`WHERE channel_id = ?`, [channelId], 1)[0] ?? null;
  }

  byOpener(openerId: string, limit: number): TicketListRow[] {
    return this.rows(`WHERE opener_id = ? ORDER BY number DESC`, [openerId], limit);
  }

  /** `filter` is a status or `active`/`all`; `tag`, when given, keeps the tickets with that tag. Sorted by severity, then oldest first. */
  page(filter: TicketStatus | 'active' | 'all', page: number, size: number, tag: string | null = null): { rows: TicketListRow[]; total: number } {
    const conds = [
      ...(filter === 'all' ? [] : filter === 'active' ? [`status IN (${ACTIVE_SQL})`] : [`status = ?`]),
      ...(tag ? [`id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?)`] : []),
    ];
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const args = [...(filter === 'all' || filter === 'active' ? [] : [filter]), ...(tag ? [tag] : [])];
    const total = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM tickets ${where}`, ...args).one().n;
    const order = `ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, created_at`;
    return { rows: this.rows(`${where} ${order} LIMIT ${size} OFFSET ${page * size}`, args, null), total };
  }

  /** Tickets created since `since` (metrics). */
  since(since: number): TicketListRow[] {
    return this.rows(`WHERE created_at >= ?`, [since], 100_000);
  }

  /** Tickets that bear on a window starting at `since`: created since, still active, or closed since (workload, backlog). */
  activeOrSince(since: number): TicketListRow[] {
    return this.rows(`WHERE created_at >= ? OR status IN (${ACTIVE_SQL}) OR closed_at >= ? OR resolved_at >= ?`, [since, since, since], 100_000);
  }

  /** Tickets rated since `since` (/tickets ratings, the inbox's ratings). */
  ratedSince(since: number): TicketListRow[] {
    return this.rows(`WHERE rated_at >= ?`, [since], 100_000);
  }

  /** Every ticket, by number, for an export (filtered by the caller; at most `limit`). */
  all(limit: number): TicketListRow[] {
    return this.rows(`ORDER BY number`, [], limit);
  }

  /** Every ticket not closed, plus those closed in the last `closedWithinMs` — what the staff inbox shows. */
  inbox(closedWithinMs: number, now: number): TicketListRow[] {
    return this.rows(`WHERE status != 'closed' OR closed_at >= ? ORDER BY number DESC`, [now - closedWithinMs], 2000);
  }

  /** Tags on any ticket, the most used first (autocomplete of /ticket tag add, the inbox's filter). */
  tagsInUse(limit: number): string[] {
    return this.sql
      .exec<{ tag: string }>(`SELECT tag FROM ticket_tags GROUP BY tag ORDER BY COUNT(*) DESC, tag LIMIT ?`, limit)
      .toArray()
      .map((r) => r.tag);
  }

  private rows(clause: string, args: unknown[], limit: number | null): TicketListRow[] {
    const sql = `SELECT id, number, status, severity, issue_type, subject, opener_id, assignee_id, channel_id, created_at, updated_at, version,
      opener_name, assignee_name, last_member_message_at, first_response_at, resolved_at, closed_at, escalations,
      first_due_at, resolve_due_at, first_met, resolve_met, staff_messages, rating, rated_at, survey, tags, category_name FROM tickets ${clause}${limit ? ` LIMIT ${limit}` : ''}`;
    return this.sql
      .exec<IndexRow>(sql, ...args)
      .toArray()
      .map(fromRow);
  }
}

type IndexRow = {
  id: string;
  number: number;
  status: string;
  severity: string;
  issue_type: string;
  subject: string;
  opener_id: string;
  assignee_id: string | null;
  channel_id: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  opener_name: string;
  assignee_name: string | null;
  last_member_message_at: number | null;
  first_response_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  escalations: number;
  first_due_at: number | null;
  resolve_due_at: number | null;
  first_met: number | null;
  resolve_met: number | null;
  staff_messages: number;
  rating: number | null;
  rated_at: number | null;
  survey: string | null;
  tags: string | null;
  category_name: string | null;
};

function fromRow(r: IndexRow): TicketListRow {
  return {
    id: r.id,
    number: r.number,
    status: r.status as TicketListRow['status'],
    severity: r.severity as TicketListRow['severity'],
    issueType: r.issue_type as TicketListRow['issueType'],
    subject: r.subject,
    openerId: r.opener_id,
    assigneeId: r.assignee_id,
    channelId: r.channel_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    openerName: r.opener_name,
    assigneeName: r.assignee_name,
    lastMemberMessageAt: r.last_member_message_at,
    firstResponseAt: r.first_response_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    escalations: r.escalations,
    firstDueAt: r.first_due_at,
    resolveDueAt: r.resolve_due_at,
    firstMet: unflag(r.first_met),
    resolveMet: unflag(r.resolve_met),
    staffMessages: r.staff_messages,
    rating: r.rating,
    ratedAt: r.rated_at,
    survey: r.survey ? (JSON.parse(r.survey) as string[]) : null,
    tags: r.tags ? (JSON.parse(r.tags) as string[]) : [],
    categoryName: r.category_name,
  };
}
