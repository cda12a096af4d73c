import type { AuditEntry } from '../audit/log.ts';
import { SEVERITIES, type Severity, STATUSES, type TicketStatus } from '../tickets/model.ts';
import type { TicketListRow } from '../tickets/views.ts';

/** Triage numbers for one guild, computed from its own index and audit log, off the interaction path. */
export interface TriageMetrics {
  at: number;
  queue: { byStatus: Record<TicketStatus, number>; bySeverity: Record<Severity, number>; open: number };
  firstResponse: Window<Percentiles>;
  resolution: Window<Percentiles>;
  /**
   * Last 30 days, oldest first: `YYYY-MM-DD`, opened, closed, the queue at the
   * day's end (not yet resolved or closed), and the medians of first response
   * and resolution of the tickets opened that day (null: none had one).
   */
  perDay: { day: string; opened: number; closed: number; backlog: number; firstResponseP50Ms: number | null; resolutionP50Ms: number | null }[];
  escalations: Window<number>;
  commands: { action: string; ok: number; refused: number; error: number; p50Ms: number; p90Ms: number }[];
}

interface Window<T> {
  days7: T;
  days30: T;
}
export interface Percentiles {
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
}

const DAY = 86_400_000;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function durations(rows: TicketListRow[], field: 'firstResponseAt' | 'resolvedAt', since: number): Percentiles {
  const d = rows
    .filter((r) => r.createdAt >= since && r[field] !== null)
    .map((r) => r[field]! - r.createdAt)
    .sort((a, b) => a - b);
  return { count: d.length, p50Ms: percentile(d, 50), p90Ms: percentile(d, 90) };
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function triageMetrics(rows: TicketListRow[], audit: AuditEntry[], now: number): TriageMetrics {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let open = 0;
  for (const r of rows) {
    byStatus[r.status]++;
    if (r.status !== 'closed' && r.status !== 'resolved') {
      bySeverity[r.severity]++;
      open++;
    }
  }
  const since7 = now - 7 * DAY;
  const since30 = now - 30 * DAY;
  const days = Array.from({ length: 30 }, (_, i) => ({
    day: dayOf(now - (29 - i) * DAY),
    opened: 0,
    closed: 0,
    backlog: 0,
    first: [] as number[],
    resolved: [] as number[],
  }));
  const index = new Map(days.map((d, i) => [d.day, i]));
  // A day's end, for the queue then: the next day's midnight UTC (now, for today).
  const ends = days.map((d) => Math.min(now, Date.parse(`${d.day}T00:00:00Z`) + DAY));
  for (const r of rows) {
    const o = index.get(dayOf(r.createdAt));
    if (o !== undefined) {
      days[o]!.opened++;
      if (r.firstResponseAt !== null) days[o]!.first.push(r.firstResponseAt - r.createdAt);
      if (r.resolvedAt !== null) days[o]!.resolved.push(r.resolvedAt - r.createdAt);
    }
    const c = r.closedAt !== null ? index.get(dayOf(r.closedAt)) : undefined;
    if (c !== undefined && r.status === 'closed') days[c]!.closed++;
    // Waiting at a day's end: opened by then, and neither resolved nor closed by then.
    // (A ticket reopened since waits still: its old resolution does not count.)
    const finished = r.status === 'resolved' || r.status === 'closed';
    const done = finished ? Math.min(r.resolvedAt ?? Number.POSITIVE_INFINITY, r.closedAt ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    for (let i = 0; i < days.length; i++) if (r.createdAt < ends[i]! && done >= ends[i]!) days[i]!.backlog++;
  }
  const median = (v: number[]) =>
    percentile(
      v.sort((a, b) => a - b),
      50,
    );
  const perDay = days.map(({ first, resolved, ...d }) => ({ ...d, firstResponseP50Ms: median(first), resolutionP50Ms: median(resolved) }));
  const byAction = new Map<string, { ok: number; refused: number; error: number; latencies: number[] }>();
  for (const e of audit) {
    const a = byAction.get(e.action) ?? { ok: 0, refused: 0, error: 0, latencies: [] };
    if (e.outcome === 'ok') a.ok++;
    else if (e.outcome.startsWith('refused')) a.refused++;
    else a.error++;
    a.latencies.push(e.latencyMs);
    byAction.set(e.action, a);
  }
  return {
    at: now,
    queue: { byStatus, bySeverity, open },
    firstResponse: { days7: durations(rows, 'firstResponseAt', since7), days30: durations(rows, 'firstResponseAt', since30) },
    resolution: { days7: durations(rows, 'resolvedAt', since7), days30: durations(rows, 'resolvedAt', since30) },
    perDay,
    escalations: {
      days7: rows.filter((r) => r.createdAt >= since7).reduce((n, r) => n + r.escalations, 0),
      days30: rows.filter((r) => r.createdAt >= since30).reduce((n, r) => n + r.escalations, 0),
    },
    commands: [...byAction.entries()]
      .map(([action, a]) => {
        const sorted = a.latencies.sort((x, y) => x - y);
        return { action, ok: a.ok, refused: a.refused, error: a.error, p50Ms: percentile(sorted, 50) ?? 0, p90Ms: percentile(sorted, 90) ?? 0 };
      })
      .sort((x, y) => x.action.localeCompare(y.action)),
  };
}
