import { type APIMessage, Routes } from 'discord-api-types/v10';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import type { ServerEvents } from './events.ts';
import type { PanelResult } from './panel/types.ts';
import type { PanelAccess } from './panels.ts';
import { targetLabel } from './panels.ts';
import { nextRun } from './rules/schedule.ts';
import type { ScheduleRow, ServersStore } from './store.ts';
import { failureText } from './views.ts';

export const SCHEDULE_TIMER = 'servers-schedule';
export const SCHEDULE_JOB = 'servers-schedule-run';
const timerKey = (id: number) => `srv-sched:${id}`;

/**
 * Restarts, backups and console commands at a wall-clock time in a zone,
 * daily or weekly. One keyed timer per schedule on the guild actor's alarm;
 * the occurrence is claimed in storage before its job is queued, so a timer
 * that fires late (nothing was awake) or is retried runs it once, and the
 * next time is computed from now, not from the missed slot.
 */
export class ServerSchedules {
  private readonly host: GuildHost;
  private readonly store: ServersStore;
  private readonly panels: PanelAccess;
  private readonly events: ServerEvents;

  constructor(host: GuildHost, store: ServersStore, panels: PanelAccess, events: ServerEvents) {
    this.host = host;
    this.store = store;
    this.panels = panels;
    this.events = events;
  }

  /** Sets the schedule's timer to its next occurrence after `after`; returns when that is. */
  arm(s: ScheduleRow, after = now()): number {
    const at = nextRun(s.recurrence, after);
    this.host.timers.set(timerKey(s.id), SCHEDULE_TIMER, at, { id: s.id });
    return at;
  }

  disarm(id: number): void {
    this.host.timers.cancel(timerKey(id));
  }

  nextAt(id: number): number | null {
    return this.host.timers.dueAt(timerKey(id));
  }

  onTimer(t: Timer<string>): TimerResult {
    const id = (t.payload as { id?: number } | null)?.id;
    const s = typeof id === 'number' ? this.store.schedule(id) : undefined;
    if (!s) return 'done';
    if (this.store.claimSlot(s.id, t.at)) {
      this.host.enqueue(SCHEDULE_JOB, { id: s.id, slot: t.at }, { lane: `srv-sched-${s.id}`, dedupe: `srv-sched:${s.id}:${t.at}` });
      this.host.kick();
    }
    this.arm(s, Math.max(now(), t.at));
    return 'done';
  }

  async run(job: Job<string>): Promise<JobResult> {
    const { id, slot } = job.payload as { id: number; slot: number };
    const s = this.store.schedule(id);
    const target = s ? this.panels.find(s.panelId, s.serverId) : null;
    if (!s || !target) return 'done';
    const r = await this.panels.with<unknown>(
      target.panel,
      (o): Promise<PanelResult<unknown>> =>
        s.action === 'restart'
          ? o.power(target.server.id, 'restart')
          : s.action === 'backup'
            ? o.createBackup(target.server.id, `scheduled-${new Date(slot).toISOString().slice(0, 16).replace(/[:T]/g, '-')}`)
            : o.command(target.server.id, s.command ?? ''),
    );
    if (s.action === 'restart') this.panels.invalidate(target);
    const outcome = r.ok ? 'ok' : `failed:${r.error.kind}`;
    this.host.audit({
      at: now(),
      guildId: this.host.guildId,
      userId: s.createdBy,
      action: `server schedule ${s.action}`,
      outcome,
      latencyMs: 0,
      detail: `${targetLabel(target)}: schedule #${s.id} for ${new Date(slot).toISOString()}${r.ok ? '' : `: ${r.error.detail}`}`,
    });
    this.events.emit({
      type: 'server.schedule',
      panel: s.panelId,
      server: s.serverId,
      serverName: target.server.name,
      schedule: s.id,
      action: s.action,
      outcome,
    });
    if (s.channelId) {
      const locale = guildLocale(this.host.sql);
      const content = r.ok
        ? tr(locale, `srv.schedule.ran-${s.action}`, { server: target.server.name, id: s.id })
        : tr(locale, 'srv.schedule.failed', { server: target.server.name, id: s.id, reason: failureText(r.error, (k, v) => tr(locale, k, v)) });
      // An announcement that cannot be posted does not undo the run.
      await this.host.rest.post<APIMessage>(Routes.channelMessages(s.channelId), { body: { content, allowed_mentions: { parse: [] } } });
    }
    return 'done';
  }
}
