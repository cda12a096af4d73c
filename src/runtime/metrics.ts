import type { AuditEntry } from '../features/audit/log.ts';

/**
 * Metric events, written to Workers Analytics Engine when the deployment binds
 * a dataset as `METRICS` (README, "Metrics in Analytics Engine"): separate from
 * production state and queryable with SQL. Without the binding nothing is
 * written here: the guild actor's own aggregates (audit log, per-minute join
 * counts, ticket index, src/features/analytics) serve the dashboard and /stats, as
 * they do locally.
 *
 * The data point layout is a contract with the operator's SQL:
 *   index1  guild id (the sampling key: one guild's events are sampled together)
 *   blob1   kind: 'interaction' | 'member' | 'invite' | 'verification'
 *   blob2   name: the interaction's action ('/ticket open', 'button ticket:claim'),
 *           or 'join' / 'leave', or the attribution kind ('invite', 'vanity', 'ambiguous', 'unknown'),
 *           or 'pass' / 'fail'
 *   blob3   outcome ('ok', 'refused:<code>', 'error'), or the invite code
 *   blob4   the inviter's user id ('' when none)
 *   double1 a count (1 per event)
 *   double2 latency in ms (interactions; 0 otherwise)
 */
export type MetricEvent =
  | { kind: 'interaction'; guildId: string; action: string; outcome: string; latencyMs: number }
  | { kind: 'member'; guildId: string; what: 'join' | 'leave' }
  | {
      kind: 'invite';
      guildId: string;
      attribution: 'invite' | 'vanity' | 'ambiguous' | 'unknown';
      code: string | null;
      inviterId: string | null;
      /** The campaign the invite is named for (/invites name): the guild's own aggregates count it; not a data point blob (the layout stays). */
      campaign?: string | null;
    }
  | { kind: 'verification'; guildId: string; outcome: 'pass' | 'fail' };

/** What Analytics Engine's writeDataPoint takes (the subset used). */
export interface MetricDataPoint {
  indexes: string[];
  blobs: string[];
  doubles: number[];
}

/** Analytics Engine allows blobs of 16 KB in total; ours are short, but an action name comes from a command path. */
const MAX_BLOB = 256;

export function dataPointOf(e: MetricEvent): MetricDataPoint {
  const blobs = (...b: string[]) => b.map((x) => x.slice(0, MAX_BLOB));
  switch (e.kind) {
    case 'interaction':
      return { indexes: [e.guildId], blobs: blobs('interaction', e.action, e.outcome, ''), doubles: [1, e.latencyMs] };
    case 'member':
      return { indexes: [e.guildId], blobs: blobs('member', e.what, '', ''), doubles: [1, 0] };
    case 'invite':
      return { indexes: [e.guildId], blobs: blobs('invite', e.attribution, e.code ?? '', e.inviterId ?? ''), doubles: [1, 0] };
    case 'verification':
      return { indexes: [e.guildId], blobs: blobs('verification', e.outcome, '', ''), doubles: [1, 0] };
  }
}

/** An audit entry as a metric event: every interaction and every ticket step the audit log records. */
export const auditMetric = (e: AuditEntry): MetricEvent => ({
  kind: 'interaction',
  guildId: e.guildId,
  action: e.action,
  outcome: e.outcome,
  latencyMs: e.latencyMs,
});

export interface MetricSink {
  write(e: MetricEvent): void;
}

/**
 * The deployment's sink: Analytics Engine when bound, otherwise nothing.
 * Never throws: a metric must not fail the action it describes.
 */
export function metricSink(env: { METRICS?: { writeDataPoint(p: MetricDataPoint): void } }): MetricSink {
  const dataset = env.METRICS;
  if (!dataset) return { write: () => {} };
  return {
    write: (e) => {
      try {
        // The real dataset answers nothing; one reached over RPC (the tests' recorder) answers a promise, whose failure is not ours to raise.
        const r: unknown = dataset.writeDataPoint(dataPointOf(e));
        if (r instanceof Promise) r.catch(() => {});
      } catch (err) {
        console.warn(`metrics: writeDataPoint failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
