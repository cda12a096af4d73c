import { err, ok, type Result } from '../../../lib/result.ts';
import type { Severity, Ticket, TicketStatus } from '../model.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * What a guild promises and how its tickets are kept moving: response and
 * resolution targets per severity, reminders, and closing quiet tickets. A
 * ticket keeps the policy in force when it was opened (a later change
 * applies to new tickets), so a target never moves under a running clock.
 */
export interface TicketPolicy {
  sla: {
    enabled: boolean;
    /** Minutes to the first staff answer, and to the first resolve or close. */
    firstResponseMin: Record<Severity, number>;
    resolutionMin: Record<Severity, number>;
    /** The clock stops while the ticket waits for the member. */
    pauseWhileWaiting: boolean;
    /** The clock counts only open time when the guild has support hours (/tickets hours). */
    pauseOutsideHours?: boolean;
    /** Mentioned when a target is missed; null: the staff role. */
    escalationRoleId: string | null;
  };
  /** Ping the assignee (or staff role) after the member has waited this many hours for an answer, once per period; null: off. */
  remindStaffH: number | null;
  /** Ping the member after staff have waited this many hours for them (status waiting), once per period; null: off. */
  remindMemberH: number | null;
  /** Close after this many quiet hours, warning first; null: off. Escalated tickets are never closed this way. */
  autoClose: { warnAfterH: number; closeAfterH: number } | null;
  /** Close a ticket when its opener leaves the server (nobody is left to answer). */
  closeWhenOpenerLeaves?: boolean;
}

/** Targets as support teams commonly start: 15 min / 1 h / 4 h / 24 h to a first answer. */
export const DEFAULT_POLICY: TicketPolicy = {
  sla: {
    enabled: true,
    firstResponseMin: { critical: 15, high: 60, medium: 240, low: 1440 },
    resolutionMin: { critical: 240, high: 1440, medium: 4320, low: 10_080 },
    pauseWhileWaiting: true,
    pauseOutsideHours: true,
    escalationRoleId: null,
  },
  remindStaffH: null,
  remindMemberH: null,
  autoClose: null,
  closeWhenOpenerLeaves: true,
};

/** A warning when this share of a target has passed. */
export const WARN_AT = 0.8;

/** The longest target or period accepted: 90 days. */
export const MAX_MINUTES = 90 * 24 * 60;

/** Where a ticket's clocks are, kept with the ticket (its actor's storage). */
export interface UpkeepState {
  /** Time the SLA clock stood still (waiting for the member), and since when it stands now. */
  pausedMs: number;
  pausedSince: number | null;
  /** Staff's last word in the conversation (reminders, inactivity). */
  lastStaffAt: number | null;
  /** Since when the ticket waits for the member (status waiting). */
  waitingSince: number | null;
  /** Steps already taken, so each fires once: `first-warn`, `resolve-breach`, `remind-staff@<since>#<n>`, `autoclose-warn@<quiet since>`… */
  done: string[];
  /** Staff took this ticket out of auto-close. */
  autoCloseOff: boolean;
  /** A staff request to close, waiting for the member. */
  closeRequest: { by: string; byName: string; reason: string | null; deadline: number; messageId: string | null } | null;
}

export const INITIAL_STATE: UpkeepState = {
  pausedMs: 0,
  pausedSince: null,
  lastStaffAt: null,
  waitingSince: null,
  done: [],
  autoCloseOff: false,
  closeRequest: null,
};

export type UpkeepKind =
  | 'first-warn'
  | 'first-breach'
  | 'resolve-warn'
  | 'resolve-breach'
  | 'remind-staff'
  | 'remind-member'
  | 'autoclose-warn'
  | 'autoclose'
  | 'close-request';

/** Each kind is one keyed timer in the ticket's actor. */
export const UPKEEP_KINDS: readonly UpkeepKind[] = [
  'first-warn',
  'first-breach',
  'resolve-warn',
  'resolve-breach',
  'remind-staff',
  'remind-member',
  'autoclose-warn',
  'autoclose',
  'close-request',
];

/** One step due: when, and the mark that records it was taken (unique per occurrence). */
export interface Due {
  kind: UpkeepKind;
  at: number;
  mark: string;
}

const LIVE: readonly TicketStatus[] = ['open', 'claimed', 'waiting', 'escalated'];

/**
 * How an SLA clock counts time: every millisecond, or only support hours'
 * open time (`measure` the counted time in a span, `advance` to the instant
 * when so much counted time has passed; null: not within a year).
 */
export interface SlaCalendar {
  measure(from: number, to: number): number;
  advance(from: number, ms: number): number | null;
}

export const WALL_CLOCK: SlaCalendar = { measure: (from, to) => Math.max(0, to - from), advance: (from, ms) => from + ms };

/** Keeps the pause bookkeeping in step with a status change (call with the status before and after). */
export function onStatus(state: UpkeepState, from: TicketStatus, to: TicketStatus, at: number, cal: SlaCalendar = WALL_CLOCK): UpkeepState {
  if (from === to) return state;
  const s = { ...state };
  if (to === 'waiting') {
    s.waitingSince = at;
    s.pausedSince = at;
  } else if (from === 'waiting') {
    s.waitingSince = null;
    if (s.pausedSince !== null) s.pausedMs += cal.measure(s.pausedSince, at);
    s.pausedSince = null;
  }
  return s;
}

/**
 * When a share of a target is reached, counting only time the clock runs;
 * null while it stands still (waiting for the member, when the policy says so).
 */
export function targetAt(
  start: number,
  targetMin: number,
  share: number,
  state: UpkeepState,
  pauseWhileWaiting: boolean,
  cal: SlaCalendar = WALL_CLOCK,
): number | null {
  if (pauseWhileWaiting && state.pausedSince !== null) return null;
  return cal.advance(start, (pauseWhileWaiting ? state.pausedMs : 0) + Math.round(share * targetMin * MINUTE));
}

/** The ticket's SLA due times as shown to people (countdowns): null when met, stopped or off. */
export function slaDue(t: Ticket, p: TicketPolicy, state: UpkeepState, cal: SlaCalendar = WALL_CLOCK): { first: number | null; resolve: number | null } {
  if (!p.sla.enabled || !LIVE.includes(t.status)) return { first: null, resolve: null };
  const pause = p.sla.pauseWhileWaiting;
  return {
    first: t.firstResponseAt === null ? targetAt(t.createdAt, p.sla.firstResponseMin[t.severity], 1, state, pause, cal) : null,
    resolve: t.resolvedAt === null ? targetAt(t.createdAt, p.sla.resolutionMin[t.severity], 1, state, pause, cal) : null,
  };
}

/** The last sign of life: the ticket opened, a message either way, a status change. */
export const quietSince = (t: Ticket, state: UpkeepState): number => Math.max(t.createdAt, t.lastMemberMessageAt ?? 0, state.lastStaffAt ?? 0, t.updatedAt);

/**
 * Every step the ticket has ahead of it, at most one per kind, none already
 * taken. The actor sets one timer per kind from this after every change and
 * takes a step only if it is still in this list when its timer fires.
 */
export function dueSteps(t: Ticket, p: TicketPolicy, state: UpkeepState, cal: SlaCalendar = WALL_CLOCK): Due[] {
  if (!LIVE.includes(t.status)) return [];
  const out: Due[] = [];
  const add = (kind: UpkeepKind, at: number | null, mark: string) => {
    if (at !== null && !state.done.includes(mark)) out.push({ kind, at, mark });
  };
  if (p.sla.enabled) {
    const pause = p.sla.pauseWhileWaiting;
    if (t.firstResponseAt === null) {
      add('first-warn', targetAt(t.createdAt, p.sla.firstResponseMin[t.severity], WARN_AT, state, pause, cal), 'first-warn');
      add('first-breach', targetAt(t.createdAt, p.sla.firstResponseMin[t.severity], 1, state, pause, cal), 'first-breach');
    }
    if (t.resolvedAt === null) {
      add('resolve-warn', targetAt(t.createdAt, p.sla.resolutionMin[t.severity], WARN_AT, state, pause, cal), 'resolve-warn');
      add('resolve-breach', targetAt(t.createdAt, p.sla.resolutionMin[t.severity], 1, state, pause, cal), 'resolve-breach');
    }
  }
  // The member's last word is unanswered when staff have not written since.
  const memberAt = t.lastMemberMessageAt;
  if (p.remindStaffH !== null && memberAt !== null && (state.lastStaffAt ?? 0) < memberAt && t.status !== 'waiting') {
    const period = p.remindStaffH * HOUR;
    const n = nextPeriod(state, `remind-staff@${memberAt}`);
    add('remind-staff', memberAt + n * period, `remind-staff@${memberAt}#${n}`);
  }
  if (p.remindMemberH !== null && t.status === 'waiting' && state.waitingSince !== null) {
    const since = Math.max(state.waitingSince, state.lastStaffAt ?? 0);
    if ((memberAt ?? 0) < since) {
      const n = nextPeriod(state, `remind-member@${since}`);
      add('remind-member', since + n * p.remindMemberH * HOUR, `remind-member@${since}#${n}`);
    }
  }
  if (p.autoClose && !state.autoCloseOff && t.status !== 'escalated') {
    const quiet = quietSince(t, state);
    add('autoclose-warn', quiet + p.autoClose.warnAfterH * HOUR, `autoclose-warn@${quiet}`);
    add('autoclose', quiet + p.autoClose.closeAfterH * HOUR, `autoclose@${quiet}`);
  }
  if (state.closeRequest) add('close-request', state.closeRequest.deadline, `close-request@${state.closeRequest.deadline}`);
  return out;
}

/** The first period (1, 2, …) of a repeating reminder not yet sent. */
function nextPeriod(state: UpkeepState, prefix: string): number {
  let n = 1;
  while (state.done.includes(`${prefix}#${n}`)) n++;
  return n;
}

/** Marks older than the ticket's current clocks are dropped, so the list stays short over a long ticket. */
export function prune(state: UpkeepState, keep: readonly Due[]): UpkeepState {
  const fixed = new Set(['first-warn', 'first-breach', 'resolve-warn', 'resolve-breach']);
  const prefixes = keep.map((d) => d.mark.replace(/#\d+$/, ''));
  const done = state.done.filter((m) => fixed.has(m) || prefixes.some((p) => m.startsWith(p)));
  return done.length === state.done.length ? state : { ...state, done };
}

/**
 * A duration as staff type it: `15m`, `4h`, `2d`, `1h30m` or plain minutes.
 * Whole minutes, at least one, at most 90 days.
 */
export function parseMinutes(input: string): Result<number, 'format' | 'range'> {
  const s = input.trim().toLowerCase().replace(/\s+/g, '');
  if (/^\d+$/.test(s)) return rangeCheck(Number(s));
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?:in)?)?$/.exec(s);
  if (!m || s === '' || (!m[1] && !m[2] && !m[3])) return err('format');
  return rangeCheck(Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
}

const rangeCheck = (min: number): Result<number, 'range'> => (Number.isInteger(min) && min >= 1 && min <= MAX_MINUTES ? ok(min) : err('range'));

/** Minutes as staff read them back: `15m`, `4h`, `1d 2h`. */
export function showMinutes(min: number): string {
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].filter(Boolean).join(' ') || '0m';
}

/** SLA attainment of closed-out clocks: met / (met + missed), per severity and per ISO week (Monday, UTC). */
export interface SlaRow {
  severity: Severity;
  createdAt: number;
  firstMet: boolean | null;
  resolveMet: boolean | null;
}

export interface Attainment {
  met: number;
  missed: number;
}

export function attainment(rows: readonly SlaRow[]): {
  bySeverity: Record<Severity, { first: Attainment; resolve: Attainment }>;
  byWeek: { week: string; first: Attainment; resolve: Attainment }[];
} {
  const empty = () => ({ first: { met: 0, missed: 0 }, resolve: { met: 0, missed: 0 } });
  const bySeverity = { critical: empty(), high: empty(), medium: empty(), low: empty() };
  const weeks = new Map<string, ReturnType<typeof empty>>();
  for (const r of rows) {
    const wk = weekOf(r.createdAt);
    if (!weeks.has(wk)) weeks.set(wk, empty());
    for (const bucket of [bySeverity[r.severity], weeks.get(wk)!]) {
      if (r.firstMet !== null) bucket.first[r.firstMet ? 'met' : 'missed']++;
      if (r.resolveMet !== null) bucket.resolve[r.resolveMet ? 'met' : 'missed']++;
    }
  }
  return {
    bySeverity,
    byWeek: [...weeks.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([week, v]) => ({ week, ...v })),
  };
}

/** The Monday (UTC) starting the week of `at`, as YYYY-MM-DD. */
export function weekOf(at: number): string {
  const d = new Date(at);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - back)).toISOString().slice(0, 10);
}
