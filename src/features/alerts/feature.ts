import { type APIChatInputApplicationCommandInteraction, type APIMessage, PermissionFlagsBits as P, Routes } from 'discord-api-types/v10';
import { isPermanent } from '../../discord/errors.ts';
import type { Handled } from '../../discord/handled.ts';
import type { SubcommandCall } from '../../discord/interaction.ts';
import { describeRestError } from '../../discord/rest.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import { type DiagnosticSection, type FeatureModule, type GuildFeature, type GuildHost, lazyRoutes } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import { maskPersonalData } from '../audit/mask.ts';
import { BatchedJob } from '../protection/batched-job.ts';
import { alertsCommand, handleAlertsCommand, type RouteDesk } from './commands.ts';
import type { AlertDesk } from './peers.ts';
import {
  type AlertAction,
  type AlertKind,
  type AlertRoute,
  foldAlert,
  isAlertKind,
  type RouteErrors,
  type RouteInput,
  routeInputOf,
  validateRoute,
} from './rules.ts';
import { ALERTS_SCHEMA, AlertsStore } from './store.ts';
import { foldEdit, foldPost } from './views.ts';

/** The one job kind: show a fold's current state in Discord (post it, or edit it to the latest count). */
export const ALERT_JOBS = { show: 'alert-show' } as const;
/**
 * An edit waits this long, so a burst's alerts that arrive while it waits
 * share it: 100 alerts cost a first post and a few edits, never 100 requests.
 */
export const EDIT_DELAY_MS = 3000;

/**
 * The alert desk: other features raise alerts through it (host.peer with
 * isAlertDesk); alerts of one kind within the route's window fold into one
 * Discord message, edited with the count, the span and the latest evidence.
 * Its one writer to Discord is a batched outbox job per fold.
 */
export class GuildAlerts implements GuildFeature, AlertDesk, RouteDesk {
  private readonly host: GuildHost;
  readonly store: AlertsStore;
  private readonly show: BatchedJob;

  constructor(host: GuildHost) {
    this.host = host;
    this.store = new AlertsStore(host.sql);
    this.show = new BatchedJob(host, ALERT_JOBS.show);
  }

  routes(kind: AlertKind): boolean {
    return this.store.route(kind) !== null;
  }

  raise(a: { kind: AlertKind; evidence: string; at: number; action?: AlertAction }): boolean {
    const route = this.store.route(a.kind);
    if (!route) return false;
    const open = this.store.openFold(a.kind);
    // Evidence is shown to staff and stored: personal data is masked first.
    const { fold, started } = foldAlert(open, { ...a, evidence: maskPersonalData(a.evidence) }, route, this.store.nextFoldId());
    this.store.saveFold(fold);
    // A fold not yet posted goes out at once; an edit waits so the alerts behind it share it.
    this.show.request({ key: String(fold.id), payload: { id: fold.id }, ...(started || fold.messageId === null ? {} : { delayMs: EDIT_DELAY_MS }) });
    return true;
  }

  async runJob(job: Job<string>): Promise<JobResult> {
    if (job.kind !== ALERT_JOBS.show) return 'done';
    this.show.taking();
    const id = Number((job.payload as { id?: number } | null)?.id ?? 0);
    const f = this.store.fold(id);
    if (!f || f.count === f.shownCount) return 'done';
    const locale = guildLocale(this.host.sql);
    const res =
      f.messageId === null
        ? await this.host.rest.post<APIMessage>(Routes.channelMessages(f.channelId), { body: foldPost(f, locale) })
        : await this.host.rest.patch<APIMessage>(Routes.channelMessage(f.channelId, f.messageId), { body: foldEdit(f, locale) });
    if (!res.ok) {
      if (!isPermanent(res.error)) return 'retry';
      const what = `${f.kind} alert #${f.id} in <#${f.channelId}>: ${describeRestError(res.error)}`;
      console.error(`guild ${this.host.guildId}: ${what}`);
      this.audit('automation', 'alert post', 'error', what);
      return 'done';
    }
    // Alerts raised while the request was out stay counted; they have queued the next run.
    const after = this.store.fold(id) ?? f;
    this.store.saveFold({ ...after, messageId: res.value.id, shownCount: f.count });
    return 'done';
  }

  command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
    return handleAlertsCommand(this, i, call);
  }

  routeList(): AlertRoute[] {
    return this.store.routes();
  }

  /** The routes as the dashboard form and API show them. */
  routeInputs(): Required<RouteInput>[] {
    return this.store.routes().map(routeInputOf);
  }

  /** Validates and saves one route (the command, the page and the API all come here); audited. Bad input changes nothing. */
  saveRoute(input: RouteInput, by: string, via: string): { ok: true; value: AlertRoute } | { ok: false; errors: RouteErrors } {
    const r = validateRoute(input);
    if (!r.ok) {
      this.audit(by, 'alerts route', 'refused:bad-input', `via ${via}: ${Object.keys(r.errors).join(', ')}`);
      return r;
    }
    this.store.setRoute(r.value);
    const v = routeInputOf(r.value);
    this.audit(
      by,
      'alerts route',
      'ok',
      `via ${via}: ${v.kind} → <#${v.channel}>${v.role ? ` mention <@&${v.role}>` : ''}, window ${v.window} min${v.quiet ? `, quiet ${v.quiet} ${v.timezone}` : ''}`,
    );
    return r;
  }

  clearRoute(kind: string, by: string, via: string): boolean {
    if (!isAlertKind(kind) || !this.store.clearRoute(kind)) return false;
    this.audit(by, 'alerts clear', 'ok', `via ${via}: ${kind}`);
    return true;
  }

  private audit(userId: string, action: string, outcome: string, detail: string): void {
    this.host.audit({ at: now(), guildId: this.host.guildId, userId, action, outcome, latencyMs: 0, detail });
  }

  diagnose(locale: string | undefined): DiagnosticSection {
    return { feature: 'alerts', ok: true, lines: [tr(locale, 'alerts.status', { count: this.store.routes().length })] };
  }

  housekeeping(at: number): void {
    this.store.sweep(at);
  }
}

/** The alert desk as a feature: /alerts, its job, and the dashboard's alerts page and API. */
/** Loaded on first use, so Node scripts read these declarations without the Worker runtime. */
const route = lazyRoutes(() => import('./routes.ts').then((m) => m.ALERT_HANDLERS));

export const alerts: FeatureModule = {
  name: 'alerts',
  commands: [alertsCommand],
  customIds: [],
  autocomplete: [],
  jobs: Object.values(ALERT_JOBS),
  timers: [],
  events: [],
  intents: 0,
  permissions: P.ViewChannel | P.SendMessages,
  migrations: { guild: [{ name: 'alerts-schema', sql: ALERTS_SCHEMA }] },
  routes: [
    route('GET', '/dashboard/guilds/:id/alerts', 'page'),
    route('POST', '/dashboard/guilds/:id/alerts', 'pagePost'),
    route('GET', '/api/dashboard/guilds/:id/alerts', 'api'),
    route('POST', '/api/dashboard/guilds/:id/alerts', 'apiPost'),
  ],
  guild: (host) => new GuildAlerts(host),
};
