import type { Migration } from '../../runtime/migrations.ts';
import type { TicketDraft } from '../tickets/deflection.ts';
import type { FaqDraft, FaqEntry } from './rules/entry.ts';

export const FAQ_MIGRATIONS: readonly Migration[] = [
  {
    name: 'faq-schema',
    sql: `CREATE TABLE faq_entries (id INTEGER PRIMARY KEY AUTOINCREMENT, question TEXT NOT NULL, phrasings TEXT NOT NULL,
      answer TEXT NOT NULL, tags TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE faq_settings (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    CREATE TABLE faq_channels (channel_id TEXT PRIMARY KEY);
    CREATE TABLE faq_daily (day INTEGER NOT NULL, metric TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, metric));
    CREATE TABLE faq_answers (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, entry_id INTEGER NOT NULL, question TEXT NOT NULL,
      source TEXT NOT NULL, at INTEGER NOT NULL, feedback TEXT, ticket INTEGER NOT NULL DEFAULT 0, settled INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX faq_answers_open ON faq_answers(settled, at);
    CREATE TABLE faq_unanswered (norm TEXT PRIMARY KEY, question TEXT NOT NULL, n INTEGER NOT NULL, last_at INTEGER NOT NULL);
    CREATE TABLE faq_drafts (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, answer_id TEXT NOT NULL, draft TEXT NOT NULL, expires_at INTEGER NOT NULL);
    CREATE TABLE faq_cooldown (user_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
    CREATE TABLE faq_imports (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, state TEXT NOT NULL, drafts TEXT, count INTEGER NOT NULL DEFAULT 0,
      filename TEXT NOT NULL, reply TEXT, expires_at INTEGER NOT NULL);`,
  },
];

export type Metric = 'seen' | 'answered' | 'helpful' | 'not-helpful' | 'deflected';
export const METRICS: readonly Metric[] = ['seen', 'answered', 'helpful', 'not-helpful', 'deflected'];

/** Where a question was asked. */
export type Source = 'ask' | 'ticket' | 'channel';

export interface AnswerRow {
  id: string;
  userId: string;
  entryId: number;
  question: string;
  source: Source;
  at: number;
  feedback: 'helpful' | 'not-helpful' | null;
  ticket: boolean;
}

/** An import's progress: `confirm` waits for the member to confirm a replace; `done` has been applied (or refused) once. */
export type ImportState = 'confirm' | 'done' | 'cancelled';

export interface ImportRow {
  /** The /faq import interaction's id. */
  id: string;
  userId: string;
  state: ImportState;
  /** The parsed entries while a replace waits for confirmation. */
  drafts: FaqDraft[] | null;
  count: number;
  filename: string;
  /** What the member was told (the deferred answer), kept so a retried job tells the same. */
  reply: string | null;
  expiresAt: number;
}

export interface UnansweredRow {
  question: string;
  n: number;
  lastAt: number;
}

/** Unanswered questions kept for staff, newest first; older ones are dropped past this. */
const UNANSWERED_KEPT = 100;
/** Answers are kept this long after they are settled (for feedback on older messages there is nothing left to count). */
const ANSWERS_KEPT_MS = 30 * 86_400_000;
const DAY_MS = 86_400_000;

export const dayOf = (at: number) => Math.floor(at / DAY_MS);

/** A question as the unanswered list folds repeats: lower case, no punctuation, single spaces. */
const normalise = (q: string) =>
  q
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

type EntryRecord = { id: number; question: string; phrasings: string; answer: string; tags: string };

/** The FAQ's tables in the guild actor's SQLite. */
export class FaqStore {
  private readonly sql: SqlStorage;
  /** Help channels, kept in memory (see isHelpChannel); null until first asked and after a change. */
  private help: Set<string> | null = null;

  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  // ---- entries ----

  entries(): FaqEntry[] {
    return this.sql.exec<EntryRecord>(`SELECT id, question, phrasings, answer, tags FROM faq_entries ORDER BY id`).toArray().map(toEntry);
  }

  entry(id: number): FaqEntry | null {
    const r = this.sql.exec<EntryRecord>(`SELECT id, question, phrasings, answer, tags FROM faq_entries WHERE id = ?`, id).toArray()[0];
    return r ? toEntry(r) : null;
  }

  count(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM faq_entries`).one().n;
  }

  add(d: FaqDraft, by: string, at: number): number {
    return this.sql
      .exec<{ id: number }>(
        `INSERT INTO faq_entries (question, phrasings, answer, tags, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
        d.question,
        JSON.stringify(d.phrasings),
        d.answer,
        JSON.stringify(d.tags),
        by,
        at,
      )
      .one().id;
  }

  update(id: number, d: FaqDraft, by: string, at: number): boolean {
    return (
      this.sql.exec(
        `UPDATE faq_entries SET question = ?, phrasings = ?, answer = ?, tags = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
        d.question,
        JSON.stringify(d.phrasings),
        d.answer,
        JSON.stringify(d.tags),
        by,
        at,
        id,
      ).rowsWritten > 0
    );
  }

  remove(id: number): boolean {
    return this.sql.exec(`DELETE FROM faq_entries WHERE id = ?`, id).rowsWritten > 0;
  }

  removeAll(): void {
    this.sql.exec(`DELETE FROM faq_entries`);
  }

  /** Adds every draft, with no await between: the actor commits them together. */
  addAll(drafts: readonly FaqDraft[], by: string, at: number): void {
    for (const d of drafts) this.add(d, by, at);
  }

  /** Replaces every entry by the drafts, with no await between: the actor commits it as one change. */
  replaceAll(drafts: readonly FaqDraft[], by: string, at: number): void {
    this.removeAll();
    this.addAll(drafts, by, at);
  }

  // ---- imports ----

  importRow(id: string): ImportRow | null {
    const r = this.sql
      .exec<{ user_id: string; state: string; drafts: string | null; count: number; filename: string; reply: string | null; expires_at: number }>(
        `SELECT user_id, state, drafts, count, filename, reply, expires_at FROM faq_imports WHERE id = ?`,
        id,
      )
      .toArray()[0];
    if (!r) return null;
    return {
      id,
      userId: r.user_id,
      state: r.state as ImportState,
      drafts: r.drafts ? (JSON.parse(r.drafts) as FaqDraft[]) : null,
      count: r.count,
      filename: r.filename,
      reply: r.reply,
      expiresAt: r.expires_at,
    };
  }

  saveImport(row: ImportRow): void {
    this.sql.exec(
      `INSERT INTO faq_imports (id, user_id, state, drafts, count, filename, reply, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, drafts = excluded.drafts, count = excluded.count, reply = excluded.reply`,
      row.id,
      row.userId,
      row.state,
      row.drafts ? JSON.stringify(row.drafts) : null,
      row.count,
      row.filename,
      row.reply,
      row.expiresAt,
    );
  }

  // ---- settings and channels ----

  setting(k: string): string | null {
    return this.sql.exec<{ v: string }>(`SELECT v FROM faq_settings WHERE k = ?`, k).toArray()[0]?.v ?? null;
  }

  setSetting(k: string, v: string): void {
    this.sql.exec(`INSERT INTO faq_settings (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, k, v);
  }

  channels(): string[] {
    return this.sql
      .exec<{ channel_id: string }>(`SELECT channel_id FROM faq_channels ORDER BY channel_id`)
      .toArray()
      .map((r) => r.channel_id);
  }

  /**
   * Asked for every message the gateway brings, so answered from memory: the
   * set is read once per actor life and changed only through this store.
   */
  isHelpChannel(id: string): boolean {
    this.help ??= new Set(this.channels());
    return this.help.has(id);
  }

  addChannel(id: string): boolean {
    this.help = null;
    return this.sql.exec(`INSERT OR IGNORE INTO faq_channels (channel_id) VALUES (?)`, id).rowsWritten > 0;
  }

  removeChannel(id: string): boolean {
    this.help = null;
    return this.sql.exec(`DELETE FROM faq_channels WHERE channel_id = ?`, id).rowsWritten > 0;
  }

  /** Takes the member's slot for a help-channel reply: false while the last one is younger than `windowMs`. */
  takeCooldown(userId: string, at: number, windowMs: number): boolean {
    const last = this.sql.exec<{ at: number }>(`SELECT at FROM faq_cooldown WHERE user_id = ?`, userId).toArray()[0]?.at;
    if (last !== undefined && at - last < windowMs) return false;
    this.sql.exec(`INSERT INTO faq_cooldown (user_id, at) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET at = excluded.at`, userId, at);
    return true;
  }

  // ---- metrics ----

  bump(metric: Metric, at: number, by = 1): void {
    this.sql.exec(`INSERT INTO faq_daily (day, metric, n) VALUES (?, ?, ?) ON CONFLICT (day, metric) DO UPDATE SET n = n + excluded.n`, dayOf(at), metric, by);
  }

  /** Totals per metric over the days in [fromDay, toDay]. */
  totals(fromDay: number, toDay: number): Record<Metric, number> {
    const out = Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<Metric, number>;
    for (const r of this.sql.exec<{ metric: Metric; n: number }>(
      `SELECT metric, SUM(n) AS n FROM faq_daily WHERE day BETWEEN ? AND ? GROUP BY metric`,
      fromDay,
      toDay,
    ))
      if (r.metric in out) out[r.metric] = r.n;
    return out;
  }

  recordAnswer(a: Omit<AnswerRow, 'feedback' | 'ticket'>): void {
    this.sql.exec(
      `INSERT INTO faq_answers (id, user_id, entry_id, question, source, at) VALUES (?, ?, ?, ?, ?, ?)`,
      a.id,
      a.userId,
      a.entryId,
      a.question,
      a.source,
      a.at,
    );
  }

  answer(id: string): AnswerRow | null {
    const r = this.sql
      .exec<{ id: string; user_id: string; entry_id: number; question: string; source: Source; at: number; feedback: string | null; ticket: number }>(
        `SELECT id, user_id, entry_id, question, source, at, feedback, ticket FROM faq_answers WHERE id = ?`,
        id,
      )
      .toArray()[0];
    return r
      ? {
          id: r.id,
          userId: r.user_id,
          entryId: r.entry_id,
          question: r.question,
          source: r.source,
          at: r.at,
          feedback: r.feedback === 'helpful' || r.feedback === 'not-helpful' ? r.feedback : null,
          ticket: r.ticket === 1,
        }
      : null;
  }

  /** Records the member's feedback once: false when they already gave it. */
  setFeedback(id: string, feedback: 'helpful' | 'not-helpful'): boolean {
    return this.sql.exec(`UPDATE faq_answers SET feedback = ? WHERE id = ? AND feedback IS NULL`, feedback, id).rowsWritten > 0;
  }

  markTicket(id: string): void {
    this.sql.exec(`UPDATE faq_answers SET ticket = 1 WHERE id = ?`, id);
  }

  /** Answers not yet settled whose 24 hours have passed. */
  due(before: number): AnswerRow[] {
    return this.sql
      .exec<{ id: string }>(`SELECT id FROM faq_answers WHERE settled = 0 AND at <= ? ORDER BY at LIMIT 1000`, before)
      .toArray()
      .map((r) => this.answer(r.id)!)
      .filter(Boolean);
  }

  settle(id: string): void {
    this.sql.exec(`UPDATE faq_answers SET settled = 1 WHERE id = ?`, id);
  }

  noteUnanswered(question: string, at: number): void {
    const norm = normalise(question).slice(0, 200);
    if (!norm) return;
    this.sql.exec(
      `INSERT INTO faq_unanswered (norm, question, n, last_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (norm) DO UPDATE SET n = n + 1, last_at = excluded.last_at, question = excluded.question`,
      norm,
      question.slice(0, 300),
      at,
    );
    this.sql.exec(`DELETE FROM faq_unanswered WHERE norm NOT IN (SELECT norm FROM faq_unanswered ORDER BY last_at DESC LIMIT ${UNANSWERED_KEPT})`);
  }

  /** Most asked first, then most recent. */
  unanswered(limit: number): UnansweredRow[] {
    return this.sql
      .exec<{ question: string; n: number; last_at: number }>(`SELECT question, n, last_at FROM faq_unanswered ORDER BY n DESC, last_at DESC LIMIT ?`, limit)
      .toArray()
      .map((r) => ({ question: r.question, n: r.n, lastAt: r.last_at }));
  }

  // ---- kept /ticket open forms ----

  keepDraft(id: string, userId: string, answerId: string, draft: TicketDraft, expiresAt: number): void {
    this.sql.exec(
      `INSERT INTO faq_drafts (id, user_id, answer_id, draft, expires_at) VALUES (?, ?, ?, ?, ?)`,
      id,
      userId,
      answerId,
      JSON.stringify(draft),
      expiresAt,
    );
  }

  draft(id: string): { userId: string; answerId: string; draft: TicketDraft; expiresAt: number } | null {
    const r = this.sql
      .exec<{ user_id: string; answer_id: string; draft: string; expires_at: number }>(
        `SELECT user_id, answer_id, draft, expires_at FROM faq_drafts WHERE id = ?`,
        id,
      )
      .toArray()[0];
    return r ? { userId: r.user_id, answerId: r.answer_id, draft: JSON.parse(r.draft) as TicketDraft, expiresAt: r.expires_at } : null;
  }

  dropDraft(id: string): boolean {
    return this.sql.exec(`DELETE FROM faq_drafts WHERE id = ?`, id).rowsWritten > 0;
  }

  /** The daily sweep: expired drafts, settled answers past their month, old cooldowns. */
  sweep(at: number): void {
    this.sql.exec(`DELETE FROM faq_drafts WHERE expires_at < ?`, at);
    this.sql.exec(`DELETE FROM faq_imports WHERE expires_at < ?`, at);
    this.sql.exec(`DELETE FROM faq_answers WHERE settled = 1 AND at < ?`, at - ANSWERS_KEPT_MS);
    this.sql.exec(`DELETE FROM faq_cooldown WHERE at < ?`, at - DAY_MS);
  }
}

function toEntry(r: EntryRecord): FaqEntry {
  return { id: r.id, question: r.question, phrasings: JSON.parse(r.phrasings) as string[], answer: r.answer, tags: JSON.parse(r.tags) as string[] };
}
