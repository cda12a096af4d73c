import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { matching } from '../../discord/autocomplete.ts';
import { ephemeral, type Handled, refused, reply } from '../../discord/handled.ts';
import { type Invoker, numberOption, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { localeOf, type MessageKey } from '../../i18n/index.ts';
import { COMMON_ZONES } from '../../lib/zoned-time.ts';
import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import { chartLink } from './chart-link.ts';
import type { ServerDisplays } from './displays.ts';
import { parseWebhookUrl, WEBHOOK_HEADERS, WEBHOOK_SEAL_ID } from './events.ts';
import type { PanelAccess, Target } from './panels.ts';
import { targetLabel } from './panels.ts';
import { PERIODS, type Period, type Summary, spanFor, summarise } from './rules/history.ts';
import { parseRecurrence, SCHEDULE_ACTIONS, type ScheduleAction } from './rules/schedule.ts';
import { seal } from './rules/secret-box.ts';
import type { ServerSchedules } from './schedules.ts';
import type { ServersStore } from './store.ts';
import { statsEmbed } from './views.ts';

type Reply = (key: MessageKey, values?: Record<string, string | number>) => string;
const done = (content: string, detail: string): Handled => ({ response: reply(ephemeral(content)), outcome: 'ok', detail });

/** Displays at most per guild, schedules at most per guild: each costs panel calls for as long as it lives. */
export const MAX_DISPLAYS = 25;
export const MAX_SCHEDULES = 50;

export function zoneChoices(typed: string) {
  return matching(
    typed,
    COMMON_ZONES.map((z) => ({ name: z, value: z })),
  );
}

/**
 * The long-lived parts of /server: status displays, schedules, usage
 * statistics and the event webhook (each `manage`, stats `view`; the caller
 * checked the capability).
 */
export class ServerOpsCommands {
  private readonly host: GuildHost;
  private readonly store: ServersStore;
  private readonly panels: PanelAccess;
  private readonly displays: ServerDisplays;
  private readonly schedules: ServerSchedules;

  constructor(host: GuildHost, store: ServersStore, panels: PanelAccess, displays: ServerDisplays, schedules: ServerSchedules) {
    this.host = host;
    this.store = store;
    this.panels = panels;
    this.displays = displays;
    this.schedules = schedules;
  }

  async handle(
    sub: string,
    i: APIChatInputApplicationCommandInteraction,
    call: SubcommandCall,
    inv: Invoker,
    target: Target | null,
    t: Reply,
  ): Promise<Handled | null> {
    switch (sub) {
      case 'stats':
        return target ? await this.stats(target, (stringOption(call, 'period') ?? '24h') as Period, localeOf(i), t) : null;
      case 'display set':
        return target ? this.displaySet(target, stringOption(call, 'channel') ?? '', stringOption(call, 'announce'), inv, t) : null;
      case 'display remove':
        return target ? this.displayRemove(target, t) : null;
      case 'schedule add':
        return target ? this.scheduleAdd(target, call, inv, t) : null;
      case 'schedule list':
        return this.scheduleList(t);
      case 'schedule remove':
        return this.scheduleRemove(numberOption(call, 'id') ?? 0, t);
      case 'webhook set':
        return this.webhookSet(stringOption(call, 'url') ?? '', t);
      case 'webhook off': {
        const s = this.store.settings();
        this.store.saveSettings({ ...s, webhookUrl: null, webhookSecret: null });
        return done(t('srv.webhook.off'), 'webhook off');
      }
    }
    return null;
  }

  /** A server's usage over a period, from the stored buckets (also drawn by the chart route). */
  summary(panelId: string, serverId: string, period: Period): Summary {
    const to = now();
    const from = to - PERIODS[period];
    return summarise(this.store.buckets(panelId, serverId, spanFor(period).ms, from), from, to);
  }

  private async stats(target: Target, period: Period, locale: string | undefined, t: Reply): Promise<Handled> {
    const p = period in PERIODS ? period : '24h';
    const summary = this.summary(target.panel.id, target.server.id, p);
    if (summary.samples === 0) return done(t('srv.stats.none', { server: target.server.name }), '');
    const { publicUrl, staffLinkSecret } = this.host.config;
    const claims = { guildId: this.host.guildId, panelId: target.panel.id, serverId: target.server.id, period: p };
    const chart = await chartLink(publicUrl, staffLinkSecret, claims, Math.floor(now() / 1000));
    return {
      response: reply({ embeds: [statsEmbed(target.server.name, p, summary, locale, chart)], flags: 64, allowed_mentions: { parse: [] } }),
      outcome: 'ok',
      detail: `${targetLabel(target)} ${p}`,
    };
  }

  private displaySet(target: Target, channelId: string, announce: string | null, inv: Invoker, t: Reply): Handled {
    if (!/^\d{15,20}$/.test(channelId)) return refused('bad-channel', t('srv.display.bad-channel'));
    if (this.store.displays().length >= MAX_DISPLAYS) return refused('too-many-displays', t('srv.display.too-many', { max: MAX_DISPLAYS }));
    const id = this.store.addDisplay({ panelId: target.panel.id, serverId: target.server.id, channelId, announceChannelId: announce, createdBy: inv.userId });
    this.displays.start(id);
    return done(t('srv.display.started', { server: target.server.name, channel: channelId }), `${targetLabel(target)}: display ${id} in ${channelId}`);
  }

  private displayRemove(target: Target, t: Reply): Handled {
    const mine = this.store.displays().filter((d) => d.panelId === target.panel.id && d.serverId === target.server.id);
    for (const d of mine) this.displays.stop(d);
    return done(t('srv.display.removed', { server: target.server.name, n: mine.length }), `${targetLabel(target)}: ${mine.length} displays removed`);
  }

  private scheduleAdd(target: Target, call: SubcommandCall, inv: Invoker, t: Reply): Handled {
    const action = stringOption(call, 'action') ?? '';
    if (!(SCHEDULE_ACTIONS as readonly string[]).includes(action)) return refused('bad-action', t('srv.schedule.bad-action'));
    const command = stringOption(call, 'command')?.trim() || null;
    if (action === 'command' && !command) return refused('no-command', t('srv.schedule.no-command'));
    const rec = parseRecurrence(stringOption(call, 'time') ?? '', stringOption(call, 'weekday'), stringOption(call, 'timezone') ?? 'UTC');
    if (!rec.ok) return refused(rec.error, t(`srv.schedule.${rec.error}`));
    if (this.store.schedules().length >= MAX_SCHEDULES) return refused('too-many-schedules', t('srv.schedule.too-many', { max: MAX_SCHEDULES }));
    const channelId = stringOption(call, 'channel');
    const row = {
      panelId: target.panel.id,
      serverId: target.server.id,
      action: action as ScheduleAction,
      command: action === 'command' ? command : null,
      recurrence: rec.value,
      channelId,
      createdBy: inv.userId,
    };
    const id = this.store.addSchedule(row);
    const at = this.schedules.arm({ ...row, id, lastSlot: 0 });
    return done(
      t('srv.schedule.added', { id, action: t(`srv.action.${row.action}`), server: target.server.name, next: Math.floor(at / 1000) }),
      `${targetLabel(target)}: schedule ${id} ${action} ${rec.value.weekday ?? 'daily'} ${rec.value.hour}:${rec.value.minute} ${rec.value.timeZone}`,
    );
  }

  private scheduleList(t: Reply): Handled {
    const all = this.store.schedules();
    if (all.length === 0) return done(t('srv.schedule.none'), '');
    const lines = all.map((s) => {
      const target = this.panels.find(s.panelId, s.serverId);
      const r = s.recurrence;
      return t('srv.schedule.line', {
        id: s.id,
        action: t(`srv.action.${s.action}`),
        server: target?.server.name ?? s.serverId,
        time: `${String(r.hour).padStart(2, '0')}:${String(r.minute).padStart(2, '0')}`,
        zone: r.timeZone,
        weekday: t(`srv.weekday.${r.weekday ?? 'daily'}`),
        next: Math.floor((this.schedules.nextAt(s.id) ?? 0) / 1000),
      });
    });
    return done([t('srv.schedule.title'), ...lines].join('\n'), '');
  }

  private scheduleRemove(id: number, t: Reply): Handled {
    if (!this.store.removeSchedule(id)) return refused('unknown-schedule', t('srv.schedule.unknown'));
    this.schedules.disarm(id);
    return done(t('srv.schedule.removed', { id }), `schedule ${id} removed`);
  }

  private async webhookSet(input: string, t: Reply): Promise<Handled> {
    const url = parseWebhookUrl(input, this.host.config.allowHttpPanels === true);
    if (!url) return refused('bad-url', t('srv.webhook.bad-url'));
    const secret = [...crypto.getRandomValues(new Uint8Array(24))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const sealed = await seal(this.host.config.configKey, this.host.guildId, WEBHOOK_SEAL_ID, secret);
    if (!sealed.ok) return refused('no-config-key', t('srv.connect.no-config-key'));
    this.store.saveSettings({ ...this.store.settings(), webhookUrl: url, webhookSecret: sealed.value });
    // The secret is shown this once, to the administrator, ephemerally; the audit detail names only the address.
    return done(
      t('srv.webhook.set', { url, secret, header: WEBHOOK_HEADERS.signature, ts: WEBHOOK_HEADERS.timestamp }),
      `webhook set to ${new URL(url).origin}`,
    );
  }
}
