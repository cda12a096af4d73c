import { isZone, zonedParts } from '../../lib/zoned-time.ts';

/**
 * The alert desk's rules, pure: which kinds exist, how a route is read and
 * checked (the same function for the slash command, the dashboard page and
 * its JSON API), how repeated alerts fold into one message, and quiet hours.
 */

/** The kinds other features raise. */
export const ALERT_KINDS = ['raid', 'lockdown', 'automod', 'approval', 'invite-spike'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const isAlertKind = (k: unknown): k is AlertKind => typeof k === 'string' && (ALERT_KINDS as readonly string[]).includes(k);

export const DEFAULT_WINDOW_MIN = 10;
export const MAX_WINDOW_MIN = 24 * 60;
/** Evidence kept per fold (the latest alert's), so a message never grows past Discord's limit. */
export const MAX_EVIDENCE = 500;

/** Minutes after local midnight, start inclusive, end exclusive; start > end wraps past midnight. */
export interface QuietHours {
  start: number;
  end: number;
}

/** Where one kind of alert goes, and how it is folded and mentioned. */
export interface AlertRoute {
  kind: AlertKind;
  channelId: string;
  roleId: string | null;
  windowMin: number;
  quiet: QuietHours | null;
  timeZone: string;
}

/** A field that was refused, and the catalog key that says why. */
export type RouteErrors = Partial<Record<'kind' | 'channel' | 'role' | 'window' | 'quiet' | 'timezone', RouteErrorKey>>;
export type RouteErrorKey = 'alerts.err.kind' | 'alerts.err.channel' | 'alerts.err.role' | 'alerts.err.window' | 'alerts.err.quiet' | 'alerts.err.timezone';

/** A route as typed by a person (form fields, JSON, command options): every value a string, empty for absent. */
export interface RouteInput {
  kind?: string;
  channel?: string;
  role?: string;
  window?: string;
  quiet?: string;
  timezone?: string;
}

const SNOWFLAKE = /^\d{17,20}$/;
/** A channel or role as a bare id, or as Discord's mention syntax. */
const idOf = (raw: string, prefix: '#' | '@&'): string | null => {
  const s = raw.trim();
  if (SNOWFLAKE.test(s)) return s;
  const m = new RegExp(`^<${prefix}(\\d{17,20})>$`).exec(s);
  return m ? m[1]! : null;
};

/** "HH:MM-HH:MM" (24-hour) → quiet hours; an empty string → none; anything else → null. */
export function parseQuiet(raw: string): QuietHours | 'none' | null {
  const s = raw.trim();
  if (!s || s === 'off') return 'none';
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return null;
  const q = { start: h1 * 60 + m1, end: h2 * 60 + m2 };
  return q.start === q.end ? null : q;
}

const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
/** Quiet hours as typed: "22:00-07:00". */
export const formatQuiet = (q: QuietHours | null): string => (q ? `${hhmm(q.start)}-${hhmm(q.end)}` : '');

/**
 * Checks a whole route; every refused field is named (so a form shows each
 * error next to its field). Nothing is partly accepted.
 */
export function validateRoute(input: RouteInput): { ok: true; value: AlertRoute } | { ok: false; errors: RouteErrors } {
  const errors: RouteErrors = {};
  const kind = (input.kind ?? '').trim();
  if (!isAlertKind(kind)) errors.kind = 'alerts.err.kind';
  const channelId = idOf(input.channel ?? '', '#');
  if (!channelId) errors.channel = 'alerts.err.channel';
  const roleRaw = (input.role ?? '').trim();
  const roleId = roleRaw ? idOf(roleRaw, '@&') : null;
  if (roleRaw && !roleId) errors.role = 'alerts.err.role';
  const windowRaw = (input.window ?? '').trim();
  const windowMin = windowRaw ? Number(windowRaw) : DEFAULT_WINDOW_MIN;
  if (!/^\d+$/.test(windowRaw || '0') || !Number.isInteger(windowMin) || windowMin < 1 || windowMin > MAX_WINDOW_MIN) errors.window = 'alerts.err.window';
  const quiet = parseQuiet(input.quiet ?? '');
  if (quiet === null) errors.quiet = 'alerts.err.quiet';
  const timeZone = (input.timezone ?? '').trim() || 'UTC';
  if (!isZone(timeZone)) errors.timezone = 'alerts.err.timezone';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { kind: kind as AlertKind, channelId: channelId!, roleId, windowMin, quiet: quiet === 'none' ? null : (quiet as QuietHours), timeZone },
  };
}

/** A route as the form and the API show it (the same field names `validateRoute` reads). */
export const routeInputOf = (r: AlertRoute): Required<RouteInput> => ({
  kind: r.kind,
  channel: r.channelId,
  role: r.roleId ?? '',
  window: String(r.windowMin),
  quiet: formatQuiet(r.quiet),
  timezone: r.timeZone,
});

/** Whether `at` falls in the quiet hours, read on the wall clock of the route's zone. */
export function inQuietHours(at: number, quiet: QuietHours | null, timeZone: string): boolean {
  if (!quiet) return false;
  const p = zonedParts(at, timeZone);
  const m = p.h * 60 + p.mi;
  return quiet.start < quiet.end ? m >= quiet.start && m < quiet.end : m >= quiet.start || m < quiet.end;
}

/** The alerts of one kind shown as one Discord message. */
export interface Fold {
  id: number;
  kind: AlertKind;
  channelId: string;
  firstAt: number;
  lastAt: number;
  count: number;
  evidence: string;
  /** The role mentioned by the first message (null: none, or quiet hours). */
  mentionRoleId: string | null;
  messageId: string | null;
  /** The count the message shows now (0: not posted yet). */
  shownCount: number;
  /** A button the latest alert offers (absent: none), e.g. an invite spike's "Pause invite". */
  action?: AlertAction | null;
}

/** A button on an alert's message: its custom_id routes to the raising feature, which checks the presser's permissions. */
export interface AlertAction {
  customId: string;
  /** Already in the guild's language (the alert's text is too). */
  label: string;
}

/** One alert, as a feature raises it. */
export interface Alert {
  kind: AlertKind;
  evidence: string;
  at: number;
  action?: AlertAction;
}

/**
 * Where an alert goes: into the kind's open fold while it is within the
 * window of that fold's first alert (and to the same channel), else into a
 * new fold (whose mention is decided now, once: the route's role unless
 * quiet hours hold). `nextId` is the new fold's id.
 */
export function foldAlert(open: Fold | null, a: Alert, route: AlertRoute, nextId: number): { fold: Fold; started: boolean } {
  const evidence = a.evidence.slice(0, MAX_EVIDENCE);
  if (open && open.channelId === route.channelId && a.at >= open.firstAt && a.at - open.firstAt < route.windowMin * 60_000) {
    return {
      fold: { ...open, count: open.count + 1, lastAt: Math.max(open.lastAt, a.at), evidence, ...(a.action || open.action ? { action: a.action ?? null } : {}) },
      started: false,
    };
  }
  const mentionRoleId = route.roleId && !inQuietHours(a.at, route.quiet, route.timeZone) ? route.roleId : null;
  return {
    fold: {
      id: nextId,
      kind: a.kind,
      channelId: route.channelId,
      firstAt: a.at,
      lastAt: a.at,
      count: 1,
      evidence,
      mentionRoleId,
      messageId: null,
      shownCount: 0,
      ...(a.action ? { action: a.action } : {}),
    },
    started: true,
  };
}

/** Whole minutes between a fold's first and last alert (at least 1 once there are two). */
export const foldMinutes = (f: Pick<Fold, 'firstAt' | 'lastAt' | 'count'>): number =>
  f.count < 2 ? 0 : Math.max(1, Math.round((f.lastAt - f.firstAt) / 60_000));
