import { type APIMessage, RESTJSONErrorCodes, type RESTPostAPIChannelMessageJSONBody, Routes } from 'discord-api-types/v10';
import { isUnknown } from '../../discord/errors.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import type { ServerEvents } from './events.ts';
import type { PanelAccess } from './panels.ts';
import type { DisplayRow, ServersStore } from './store.ts';
import { failureText, statusEmbed } from './views.ts';

export const DISPLAY_TIMER = 'servers-display';
export const DISPLAY_JOB = 'servers-display-refresh';
/** A display is edited this often while its panel answers… */
export const DISPLAY_INTERVAL_MS = 60_000;
/** …and backs off, doubling, up to this while it does not. */
export const DISPLAY_MAX_BACKOFF_MS = 10 * 60_000;
const timerKey = (id: number) => `srv-disp:${id}`;

/** When the next refresh is due: the interval, doubled per failure in a row, capped. */
export const nextDisplayDelay = (failures: number): number => Math.min(DISPLAY_MAX_BACKOFF_MS, DISPLAY_INTERVAL_MS * 2 ** Math.min(failures, 10));

/**
 * Live status messages: one per display, edited in place from the guild
 * actor's alarm (a keyed timer per display; the Discord and panel work runs
 * as an outbox job on the display's own lane). Up/down transitions are
 * announced. Deleting the message, or the display, stops it.
 */
export class ServerDisplays {
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

  /** Starts a display: its first message is posted by a job right after the reply. */
  start(id: number): void {
    this.host.timers.set(timerKey(id), DISPLAY_TIMER, now() + DISPLAY_INTERVAL_MS, { id });
    this.queue(id);
  }

  stop(d: DisplayRow): void {
    this.store.removeDisplay(d.id);
    this.host.timers.cancel(timerKey(d.id));
  }

  private queue(id: number): void {
    this.host.enqueue(DISPLAY_JOB, { id }, { lane: `srv-display-${id}`, dedupe: `srv-display:${id}` });
    this.host.kick();
  }

  onTimer(t: Timer<string>): TimerResult {
    const id = (t.payload as { id?: number } | null)?.id;
    if (typeof id === 'number' && this.store.display(id)) this.queue(id);
    return 'done';
  }

  async refresh(job: Job<string>): Promise<JobResult> {
    const d = this.store.display((job.payload as { id: number }).id);
    if (!d) return 'done';
    const target = this.panels.find(d.panelId, d.serverId);
    if (!target) {
      this.stop(d);
      return 'done';
    }
    const locale = guildLocale(this.host.sql);
    const st = await this.panels.status(target);
    const next: DisplayRow = { ...d };
    let body: RESTPostAPIChannelMessageJSONBody;
    if (st.ok) {
      next.failures = 0;
      next.downSince = null;
      const embed = statusEmbed(target.server.name, target.panel.name, st.value, locale);
      embed.timestamp = new Date(now()).toISOString();
      body = { embeds: [embed], allowed_mentions: { parse: [] } };
      const wasUp = d.lastState === 'running';
      const isUp = st.value.state === 'running';
      if (d.lastState !== null && wasUp !== isUp) await this.announce(d, target.server.name, isUp, locale);
      if (d.lastState !== st.value.state)
        this.events.emit({ type: 'server.state', panel: d.panelId, server: d.serverId, serverName: target.server.name, from: d.lastState, to: st.value.state });
      next.lastState = st.value.state;
    } else {
      next.failures = d.failures + 1;
      next.downSince = d.downSince ?? now();
      body = {
        content: tr(locale, 'srv.display.unreachable', {
          server: target.server.name,
          since: Math.floor(next.downSince / 1000),
          reason: failureText(st.error, (k, v) => tr(locale, k, v)),
        }),
        embeds: [],
        allowed_mentions: { parse: [] },
      };
    }
    if (next.messageId) {
      const r = await this.host.rest.patch<APIMessage>(Routes.channelMessage(d.channelId, next.messageId), { body: st.ok ? { ...body, content: '' } : body });
      if (!r.ok && isUnknown(r.error, RESTJSONErrorCodes.UnknownMessage)) {
        // Someone deleted the display: that is how members turn it off.
        this.stop(d);
        return 'done';
      }
    } else {
      const r = await this.host.rest.post<APIMessage>(Routes.channelMessages(d.channelId), { body });
      if (r.ok) next.messageId = r.value.id;
      else if (r.error.kind === 'discord' && r.error.status >= 400 && r.error.status < 500) {
        // No access to the channel: nothing will fix that by retrying.
        console.error(`guild ${this.host.guildId}: display ${d.id} cannot be posted in ${d.channelId} (HTTP ${r.error.status}); stopped`);
        this.stop(d);
        return 'done';
      }
    }
    if (!this.store.display(d.id)) return 'done';
    this.store.updateDisplay(next);
    this.host.timers.set(timerKey(d.id), DISPLAY_TIMER, now() + nextDisplayDelay(next.failures), { id: d.id });
    return 'done';
  }

  private async announce(d: DisplayRow, name: string, up: boolean, locale: string | undefined): Promise<void> {
    const channel = d.announceChannelId;
    if (!channel) return;
    await this.host.rest.post<APIMessage>(Routes.channelMessages(channel), {
      body: { content: tr(locale, up ? 'srv.display.up' : 'srv.display.down', { server: name }), allowed_mentions: { parse: [] } },
    });
  }
}
