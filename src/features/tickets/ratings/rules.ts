import type { Result } from '../../../lib/result.ts';
import { ACTIVE_STATUSES, type IssueType, isSeverity, isStatus, type Severity, type TicketStatus } from '../model.ts';
import type { TicketListRow } from '../views.ts';

/**
 * Pure rules of ratings, the exit survey, staff workload and the ticket
 * export: what may be rated, how results and workload are counted, and how
 * an export's filters and CSV are made. No storage, no Discord.
 */

export const DAY_MS = 86_400_000;
/** A survey has at most five questions: a Discord modal holds five text inputs. */
export const MAX_SURVEY_QUESTIONS = 5;
/** A text input's label is at most 45 characters. */
export const MAX_QUESTION_LENGTH = 45;
/** What one survey answer may hold ("a short form"). */
export const MAX_ANSWER_LENGTH = 500;

/** The rating of one close, kept in the ticket's actor. */
export interface RatingState {
  /** The close this rating is for (a reopen and a new close asks again). */
  closedAt: number;
  /** The survey's questions as the guild had them when the ask was sent. */
  questions: string[];
  score: number | null;
  answers: string[] | null;
  /** Once the survey is in, the rating is final. */
  submitted: boolean;
}

export type RatingRefusal = 'not-opener' | 'old-close' | 'submitted' | 'bad-score' | 'not-rated' | 'no-ask';

/** Whether `userId` may give `score` to the close at `closedAt`. */
export function canRate(state: RatingState | null, ask: { userId: string; openerId: string; closedAt: number; score: number }): Result<true, RatingRefusal> {
  if (ask.userId !== ask.openerId) return { ok: false, error: 'not-opener' };
  if (!state) return { ok: false, error: 'no-ask' };
  if (state.closedAt !== ask.closedAt) return { ok: false, error: 'old-close' };
  if (state.submitted) return { ok: false, error: 'submitted' };
  if (!Number.isInteger(ask.score) || ask.score < 1 || ask.score > 5) return { ok: false, error: 'bad-score' };
  return { ok: true, value: true };
}

/** Whether `userId` may send the survey of the close at `closedAt` (after a rating, once). */
export function canSubmitSurvey(state: RatingState | null, ask: { userId: string; openerId: string; closedAt: number }): Result<true, RatingRefusal> {
  if (ask.userId !== ask.openerId) return { ok: false, error: 'not-opener' };
  if (!state) return { ok: false, error: 'no-ask' };
  if (state.closedAt !== ask.closedAt) return { ok: false, error: 'old-close' };
  if (state.submitted) return { ok: false, error: 'submitted' };
  if (state.score === null) return { ok: false, error: 'not-rated' };
  return { ok: true, value: true };
}

/** `/tickets survey questions:` — questions separated by `|`; `off` or `none` for no form. */
export function parseQuestions(raw: string): Result<string[], { reason: 'too-many' | 'too-long'; question?: string }> {
  const trimmed = raw.trim();
  if (/^(off|none|-)$/i.test(trimmed)) return { ok: true, value: [] };
  const qs = trimmed
    .split('|')
    .map((q) => q.trim().replace(/\s+/g, ' '))
    .filter((q) => q.length > 0);
  if (qs.length > MAX_SURVEY_QUESTIONS) return { ok: false, error: { reason: 'too-many' } };
  const long = qs.find((q) => [...q].length > MAX_QUESTION_LENGTH);
  if (long) return { ok: false, error: { reason: 'too-long', question: long } };
  return { ok: true, value: qs };
}

/** A ticket row with what ratings and workload add to the index. */
export type StatsRow = TicketListRow & { staffMessages?: number; rating?: number | null; ratedAt?: number | null; survey?: string[] | null };

export interface RatingGroup {
  key: string;
  count: number;
  /** Mean score, or null with no ratings. */
  average: number | null;
  /** How many of each score, 1 to 5. */
  scores: [number, number, number, number, number];
  surveys: number;
}

export interface RatingResults {
  overall: RatingGroup;
  /** Per assignee at close (`''`: nobody was assigned). */
  byStaff: RatingGroup[];
  byType: RatingGroup[];
}

function group(key: string, rows: readonly StatsRow[]): RatingGroup {
  const scores: RatingGroup['scores'] = [0, 0, 0, 0, 0];
  let sum = 0;
  let surveys = 0;
  for (const r of rows) {
    const s = r.rating ?? 0;
    if (s >= 1 && s <= 5) {
      scores[s - 1]! += 1;
      sum += s;
    }
    if (r.survey && r.survey.some((a) => a.trim())) surveys += 1;
  }
  const count = scores.reduce((a, b) => a + b, 0);
  return { key, count, average: count ? Math.round((sum / count) * 100) / 100 : null, scores, surveys };
}

function groupBy(rows: readonly StatsRow[], key: (r: StatsRow) => string): RatingGroup[] {
  const m = new Map<string, StatsRow[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return [...m.entries()].map(([k, rs]) => group(k, rs)).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** Ratings given since `since`, overall, per staff member (assignee at close) and per issue type. */
export function ratingResults(rows: readonly StatsRow[], since: number): RatingResults {
  const rated = rows.filter((r) => r.rating != null && r.rating >= 1 && r.rating <= 5 && (r.ratedAt ?? 0) >= since);
  return { overall: group('all', rated), byStaff: groupBy(rated, (r) => r.assigneeId ?? ''), byType: groupBy(rated, (r) => r.issueType) };
}

/** Median of the values (the mean of the middle two for an even count); null when there are none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface StaffLoad {
  staffId: string;
  name: string | null;
  /** Assigned and active but not in `claimed` (waiting, escalated, open). */
  open: number;
  claimed: number;
  /** Resolved or closed within the window. */
  resolved: number;
  medianFirstResponseMs: number | null;
  medianResolutionMs: number | null;
  /** Share of the resolved tickets that took exactly one staff message; null with none resolved. */
  oneTouchPct: number | null;
}

export interface Workload {
  staff: StaffLoad[];
  /** Open tickets at the end of each of the last days, oldest first (today: now). */
  backlog: { day: string; open: number }[];
}

const ACTIVE = new Set<TicketStatus>(ACTIVE_STATUSES);
const doneAt = (r: StatsRow): number | null => r.resolvedAt ?? r.closedAt ?? null;

/** When a ticket left the backlog: its close, else its resolution; null while it is active (a reopened ticket is open again). */
const leftBacklogAt = (r: StatsRow): number | null => (ACTIVE.has(r.status) ? null : (r.closedAt ?? r.resolvedAt ?? null));

/** Tickets still open at `at`: created by then and not yet resolved or closed. */
export function openAt(rows: readonly StatsRow[], at: number): number {
  return rows.filter((r) => {
    const left = leftBacklogAt(r);
    return r.createdAt <= at && (left === null || left > at);
  }).length;
}

/** The UTC date of `ms`, `YYYY-MM-DD`. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Open tickets at the end of each of the last `days` UTC days, oldest first; today's point is `now`. */
export function backlogTrend(rows: readonly StatsRow[], now: number, days: number): { day: string; open: number }[] {
  const startOfToday = Math.floor(now / DAY_MS) * DAY_MS;
  const out: { day: string; open: number }[] = [];
  for (let k = days - 1; k >= 0; k--) {
    const end = Math.min(now, startOfToday + DAY_MS - k * DAY_MS - 1);
    out.push({ day: dayOf(end), open: openAt(rows, end) });
  }
  return out;
}

/**
 * Per staff member (the assignee): open and claimed tickets now, those
 * resolved in the window, median first response and resolution of the
 * window's tickets, and the one-touch share; then the backlog trend.
 */
export function workload(rows: readonly StatsRow[], now: number, days: number, trendDays = Math.min(days, 14)): Workload {
  const since = now - days * DAY_MS;
  const byStaff = new Map<string, StatsRow[]>();
  for (const r of rows) if (r.assigneeId) byStaff.set(r.assigneeId, [...(byStaff.get(r.assigneeId) ?? []), r]);
  const staff: StaffLoad[] = [...byStaff.entries()].map(([staffId, rs]) => {
    const resolved = rs.filter((r) => !ACTIVE.has(r.status) && (doneAt(r) ?? 0) >= since && (doneAt(r) ?? 0) <= now);
    const inWindow = rs.filter((r) => r.createdAt >= since);
    const oneTouch = resolved.filter((r) => (r.staffMessages ?? 0) === 1).length;
    return {
      staffId,
      name: rs.find((r) => r.assigneeName)?.assigneeName ?? null,
      open: rs.filter((r) => ACTIVE.has(r.status) && r.status !== 'claimed').length,
      claimed: rs.filter((r) => r.status === 'claimed').length,
      resolved: resolved.length,
      medianFirstResponseMs: median(inWindow.filter((r) => r.firstResponseAt !== null).map((r) => r.firstResponseAt! - r.createdAt)),
      medianResolutionMs: median(resolved.map((r) => doneAt(r)! - r.createdAt)),
      oneTouchPct: resolved.length ? Math.round((100 * oneTouch) / resolved.length) : null,
    };
  });
  staff.sort((a, b) => b.open + b.claimed - (a.open + a.claimed) || b.resolved - a.resolved || a.staffId.localeCompare(b.staffId));
  return { staff, backlog: backlogTrend(rows, now, trendDays) };
}

export type ExportFormat = 'csv' | 'json';

/** What /tickets export keeps: tickets created in [since, until] (UTC days, until inclusive) with the given fields. */
export interface ExportFilter {
  status: TicketStatus | 'active' | null;
  severity: Severity | null;
  assigneeId: string | null;
  since: number | null;
  /** Exclusive end (the day after `until`). */
  before: number | null;
}

export type FilterError =
  | { kind: 'bad-date'; value: string }
  | { kind: 'since-after-until' }
  | { kind: 'bad-status'; value: string }
  | { kind: 'bad-severity'; value: string };

/** A `YYYY-MM-DD` UTC date as epoch ms at its start; null when it is not a real date. */
export function parseDay(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayOf(ms) === s.trim() ? ms : null;
}

/** The export's filters from the command's options; a bad date or since after until refuses the whole export. */
export function parseExportFilter(o: {
  status: string | null;
  severity: string | null;
  assignee: string | null;
  since: string | null;
  until: string | null;
}): Result<ExportFilter, FilterError> {
  if (o.status !== null && o.status !== 'active' && !isStatus(o.status)) return { ok: false, error: { kind: 'bad-status', value: o.status } };
  if (o.severity !== null && !isSeverity(o.severity)) return { ok: false, error: { kind: 'bad-severity', value: o.severity } };
  const since = o.since === null ? null : parseDay(o.since);
  if (o.since !== null && since === null) return { ok: false, error: { kind: 'bad-date', value: o.since } };
  const until = o.until === null ? null : parseDay(o.until);
  if (o.until !== null && until === null) return { ok: false, error: { kind: 'bad-date', value: o.until } };
  if (since !== null && until !== null && since > until) return { ok: false, error: { kind: 'since-after-until' } };
  return {
    ok: true,
    value: {
      status: (o.status as ExportFilter['status']) ?? null,
      severity: (o.severity as Severity | null) ?? null,
      assigneeId: o.assignee,
      since,
      before: until === null ? null : until + DAY_MS,
    },
  };
}

/** Whether a row passes the filter. */
export function matchesFilter(r: StatsRow, f: ExportFilter): boolean {
  if (f.status === 'active' ? !ACTIVE.has(r.status) : f.status !== null && r.status !== f.status) return false;
  if (f.severity !== null && r.severity !== f.severity) return false;
  if (f.assigneeId !== null && r.assigneeId !== f.assigneeId) return false;
  if (f.since !== null && r.createdAt < f.since) return false;
  if (f.before !== null && r.createdAt >= f.before) return false;
  return true;
}

/** One exported ticket: masked subject only (the index never holds descriptions or unmasked text). */
export interface ExportRecord {
  number: number;
  status: TicketStatus;
  severity: Severity;
  issue_type: IssueType;
  subject: string;
  opener_id: string;
  assignee_id: string | null;
  created_at: string;
  first_response_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  staff_messages: number;
  first_met: boolean | null;
  resolve_met: boolean | null;
  rating: number | null;
  survey: string[] | null;
  category: string | null;
  tags: string[];
}

const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());

export function exportRecord(r: StatsRow): ExportRecord {
  return {
    number: r.number,
    status: r.status,
    severity: r.severity,
    issue_type: r.issueType,
    subject: r.subject,
    opener_id: r.openerId,
    assignee_id: r.assigneeId,
    created_at: iso(r.createdAt)!,
    first_response_at: iso(r.firstResponseAt),
    resolved_at: iso(r.resolvedAt),
    closed_at: iso(r.closedAt),
    staff_messages: r.staffMessages ?? 0,
    first_met: r.firstMet ?? null,
    resolve_met: r.resolveMet ?? null,
    rating: r.rating ?? null,
    survey: r.survey ?? null,
    category: r.categoryName ?? null,
    tags: r.tags ?? [],
  };
}

export const EXPORT_COLUMNS: readonly (keyof ExportRecord)[] = [
  'number',
  'status',
  'severity',
  'issue_type',
  'subject',
  'opener_id',
  'assignee_id',
  'created_at',
  'first_response_at',
  'resolved_at',
  'closed_at',
  'staff_messages',
  'first_met',
  'resolve_met',
  'rating',
  'survey',
  'category',
  'tags',
];

/** One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' | ') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV: a header line, CRLF line ends. */
export function toCsv(records: readonly ExportRecord[]): string {
  const lines = [EXPORT_COLUMNS.join(','), ...records.map((r) => EXPORT_COLUMNS.map((c) => csvField(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
