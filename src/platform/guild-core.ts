import { type AuditEntry, insertAudit, purgeAuditBefore } from '../features/audit/log.ts';
import { deliverLogEvent, type LogWebhookConfig } from '../features/audit/webhook.ts';
import { now } from '../runtime/clock.ts';
import { auditMetric } from '../runtime/metrics.ts';
import type { Job, JobResult } from '../runtime/outbox.ts';
import type { Timer, TimerResult } from '../runtime/scheduler.ts';
import { forgetOldInteractions } from '../runtime/seen.ts';
import { CORE_JOBS, CORE_TIMERS } from './core.ts';
import type { GuildFeature, GuildHost } from './feature.ts';

const DAY_MS = 86_400_000;
const DEFAULT_AUDIT_RETENTION_DAYS = 90;

export interface GuildCoreConfig {
  /** Where audit entries are POSTed (optional). */
  webhookUrl: string | undefined;
  /** AUDIT_RETENTION_DAYS as configured (may be absent or malformed). */
  retentionDays: string | undefined;
  deliver: LogWebhookConfig;
}

/**
 * What the guild actor owns itself, beside its features: the audit log (and
 * its webhook queue) and the daily housekeeping sweep, a keyed timer set
 * while the guild is active (interactions or gateway events) rather than a
 * recurring one, so an idle guild's actor is not woken every day.
 */
export class GuildCore implements GuildFeature {
  private readonly host: GuildHost;
  private readonly cfg: GuildCoreConfig;
  private readonly sweepFeatures: () => void;
  /** Whether this instance has made sure the housekeeping timer exists. */
  private housekeepingSet = false;

  constructor(host: GuildHost, cfg: GuildCoreConfig, sweepFeatures: () => void) {
    this.host = host;
    this.cfg = cfg;
    this.sweepFeatures = sweepFeatures;
  }

  audit(e: AuditEntry): void {
    insertAudit(this.host.sql, e);
    this.host.metric(auditMetric(e));
    this.ensureHousekeeping();
    if (this.cfg.webhookUrl) {
      this.host.sql.exec(`INSERT INTO pending_webhook (entry) VALUES (?)`, JSON.stringify(e));
      this.host.enqueue(CORE_JOBS.webhook, null, { dedupe: 'webhook' });
      this.host.kick();
    }
  }

  /** Checked once per wake-up, not on every call. */
  ensureHousekeeping(): void {
    if (this.housekeepingSet) return;
    if (this.host.timers.dueAt(CORE_TIMERS.housekeeping) === null) this.host.timers.set(CORE_TIMERS.housekeeping, CORE_TIMERS.housekeeping, now() + DAY_MS);
    this.housekeepingSet = true;
  }

  runTimer(t: Timer<string>): TimerResult {
    if (t.kind === CORE_TIMERS.housekeeping) this.sweep();
    return 'done';
  }

  /** Audit entries to the log webhook, in batches, until none are left. Also the housekeeping job of code before the scheduler. */
  async runJob(job: Job<string>): Promise<JobResult> {
    if (job.kind === CORE_TIMERS.housekeeping) {
      this.sweep();
      return 'done';
    }
    for (;;) {
      const rows = this.host.sql.exec<{ id: number; entry: string }>(`SELECT id, entry FROM pending_webhook ORDER BY id LIMIT 100`).toArray();
      const last = rows.at(-1);
      if (!last) return 'done';
      if (!(await deliverLogEvent(this.cfg.deliver, { type: 'audit', entries: rows.map((r) => JSON.parse(r.entry) as AuditEntry) }))) return 'retry';
      this.host.sql.exec(`DELETE FROM pending_webhook WHERE id <= ?`, last.id);
    }
  }

  /** Retention of the audit log, old interaction ids, old gateway sessions; then each feature's own sweep. */
  private sweep(): void {
    const t = now();
    const days = Number(this.cfg.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS);
    purgeAuditBefore(this.host.sql, t - (Number.isFinite(days) && days > 0 ? days : DEFAULT_AUDIT_RETENTION_DAYS) * DAY_MS);
    forgetOldInteractions(this.host.sql, t);
    // Each gateway session leaves one "last applied" row; a day later only the newest few can still be resumed.
    this.host.sql.exec(`DELETE FROM gateway_applied WHERE rowid NOT IN (SELECT rowid FROM gateway_applied ORDER BY rowid DESC LIMIT 32)`);
    this.housekeepingSet = false;
    this.sweepFeatures();
  }
}
