import {
  type APIChatInputApplicationCommandInteraction,
  type APIExtendedInvite,
  type APIInvite,
  type APIMessageComponentInteraction,
  GatewayDispatchEvents,
  type GatewayGuildMemberAddDispatchData,
  RESTJSONErrorCodes,
  type RESTPostAPIChannelInviteJSONBody,
  Routes,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import { isPermanent, isUnknown } from '../../discord/errors.ts';
import { type Handled, refused } from '../../discord/handled.ts';
import { invokerOf, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { describeRestError, type UploadFile } from '../../discord/rest.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import type { DiagnosticSection, GuildFeature, GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { MetricEvent } from '../../runtime/metrics.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import { isAlertDesk } from '../alerts/peers.ts';
import { renderJoinsChart } from './chart.ts';
import { ANALYTICS_JOBS, AnalyticsActions, canPause, deferred, pauseAsk, pauseCustomId, statsEmbed } from './commands.ts';
import {
  addDelta,
  bucketsOf,
  type Delta,
  fillSeries,
  isRange,
  isSpike,
  LIVE_INTERVAL_MS,
  MINUTE,
  type Range,
  SERIES,
  type SeriesMetric,
  type SpikeConfig,
  spikeConfigOf,
  toCsv,
} from './rules.ts';
import { AnalyticsStore, type Increment, type PausedInvite } from './store.ts';

/** How many invites, inviters and campaigns a "top" list shows. */
export const TOP_N = 20;

/** What the analytics page, its JSON and /stats read: every series of one range, and the top lists. */
export interface AnalyticsData {
  range: Range;
  /** Bucket starts (ms), oldest first; each series has one value per bucket. */
  buckets: number[];
  bucketMs: number;
  series: Record<SeriesMetric, number[]>;
  totals: Record<SeriesMetric, number>;
  invites: { key: string; n: number }[];
  inviters: { key: string; n: number }[];
  campaigns: { key: string; n: number }[];
  paused: PausedInvite[];
  spike: SpikeConfig;
}

export type CsvTable = 'joins' | 'invites' | 'inviters' | 'campaigns';

interface StatsJob {
  token: string;
  locale: string | undefined;
  range: string;
}
interface PauseJob {
  token: string;
  locale: string | undefined;
  code: string;
  by: string;
}

/** A call from the dashboard or the REST API (the Worker checked who may make it). */
export type AnalyticsCall =
  | { op: 'read'; range: Range }
  | { op: 'csv'; table: CsvTable; range: Range }
  | { op: 'pause'; code: string; by: string }
  | { op: 'resume'; code: string; by: string }
  | { op: 'spike-config'; input: Record<string, unknown>; by: string };

export type AnalyticsAnswer =
  | { ok: true; data: AnalyticsData }
  | { ok: true; csv: string }
  | { ok: true; paused: PausedInvite }
  | { ok: true; resumed: { oldCode: string; code: string } }
  | { ok: true; spike: SpikeConfig }
  | { ok: false; status: number; error: string };

/**
 * Analytics in the guild actor: counts joins and leaves from the gateway
 * batch (buffered, written with the batch's applied sequence, so a
 * redelivered or failed batch never counts twice), attributed joins and
 * verification outcomes from the metric events their features emit; sends
 * live deltas to the dashboard's sockets, at most four a second; watches each
 * invite for a spike and can pause (delete) and resume (recreate) an invite.
 */
export class GuildAnalytics implements GuildFeature {
  readonly store: AnalyticsStore;
  /** Joins and leaves of the gateway batch under way, not stored yet. */
  private pending: Increment[] = [];
  private delta: Delta = {};
  /** Attributed joins per invite code since the last live message (sent with the delta, never one message per join). */
  private inviteDelta = new Map<string, number>();
  /** The spike settings, read once (this actor is their only writer). */
  private spikeCache: SpikeConfig | null = null;
  private lastSent = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  private readonly host: GuildHost;
  /** Sends to the guild's dashboard sockets only (never the staff inbox's). */
  private readonly live: (message: string) => void;

  constructor(host: GuildHost, live: (message: string) => void) {
    this.host = host;
    this.live = live;
    this.store = new AnalyticsStore(host.sql);
  }

  onEvent(e: GatewayEvent): void {
    if (e.t === GatewayDispatchEvents.GuildMemberAdd) {
      const d = e.d as GatewayGuildMemberAddDispatchData;
      if (!d.user?.id) return;
      // In the minute Discord says the member joined (a backlog replayed after an outage lands where it happened), never in the future.
      const t = now();
      const joined = d.joined_at ? Date.parse(d.joined_at) : Number.NaN;
      this.pending.push({ metric: 'join', key: '', at: Number.isFinite(joined) ? Math.min(joined, t) : t, n: 1 });
    } else if (e.t === GatewayDispatchEvents.GuildMemberRemove) this.pending.push({ metric: 'leave', key: '', at: now(), n: 1 });
  }

  writeBatch(): void {
    if (this.pending.length === 0) return;
    const merged = new Map<string, Increment>();
    for (const i of this.pending) {
      const k = `${i.metric}:${Math.floor(i.at / MINUTE)}`;
      const m = merged.get(k);
      if (m) m.n += i.n;
      else merged.set(k, { ...i });
    }
    this.store.add(merged.values());
    for (const i of this.pending) this.delta = addDelta(this.delta, i.metric as SeriesMetric, i.n);
    this.pending = [];
    this.pushLive();
  }

  discardBatch(): void {
    this.pending = [];
  }

  /** A metric event of another feature (the guild actor's metric path): attributed joins and verification outcomes. */
  record(e: MetricEvent): void {
    const at = now();
    if (e.kind === 'verification') {
      const metric = e.outcome === 'pass' ? 'verify-pass' : 'verify-fail';
      this.store.add([{ metric, key: '', at, n: 1 }]);
      this.delta = addDelta(this.delta, metric);
      this.pushLive();
      return;
    }
    if (e.kind !== 'invite' || !e.code) return;
    const incs: Increment[] = [{ metric: 'invite', key: e.code, at, n: 1 }];
    if (e.inviterId) incs.push({ metric: 'inviter', key: e.inviterId, at, n: 1 });
    if (e.campaign) incs.push({ metric: 'campaign', key: e.campaign, at, n: 1 });
    this.store.add(incs);
    this.inviteDelta.set(e.code, (this.inviteDelta.get(e.code) ?? 0) + 1);
    this.pushLive();
    this.checkSpike(e.code, e.inviterId, at);
  }

  /** Sends what was counted since the last message now, or once the interval has passed (coalescing a burst). */
  private pushLive(): void {
    if (this.flushTimer) return;
    // Never longer than the interval, even if the clock stepped back since the last message.
    const wait = Math.min(LIVE_INTERVAL_MS, this.lastSent + LIVE_INTERVAL_MS - now());
    if (wait <= 0) {
      this.flushLive();
      return;
    }
    // In memory only: a delta lost to eviction is not data (the page re-reads on reconnect).
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flushLive();
    }, wait);
  }

  private flushLive(): void {
    if (Object.keys(this.delta).length === 0 && this.inviteDelta.size === 0) return;
    this.lastSent = now();
    this.live(JSON.stringify({ type: 'delta', at: this.lastSent, delta: this.delta, invites: Object.fromEntries(this.inviteDelta) }));
    this.delta = {};
    this.inviteDelta.clear();
  }

  /** The spike rule for one invite after a use: O(window + baseline) minute rows. */
  private checkSpike(code: string, inviterId: string | null, at: number): void {
    this.spikeCache ??= this.store.spikeConfig();
    const c = this.spikeCache;
    const last = this.store.lastSpike(code);
    if (last !== null && at - last < c.cooldownMin * MINUTE) return;
    const windowStart = at - c.windowMin * MINUTE;
    const recent = this.store.sum('invite', code, windowStart, at + MINUTE);
    if (recent < c.floor) return;
    const baseline = this.store.sum('invite', code, windowStart - c.baselineMin * MINUTE, windowStart);
    if (!isSpike(recent, baseline, c)) return;
    this.store.setSpike(code, at);
    const locale = guildLocale(this.host.sql);
    const evidence = tr(locale, 'analytics.spike.evidence', { code, inviter: inviterId ?? 'none', count: recent, minutes: c.windowMin });
    const desk = this.host.peer(isAlertDesk);
    const raised =
      desk?.raise({
        kind: 'invite-spike',
        evidence,
        at,
        action: { customId: pauseCustomId(this.host.guildId, code), label: tr(locale, 'analytics.pause', { code }) },
      }) ?? false;
    this.host.audit({
      at,
      guildId: this.host.guildId,
      userId: 'automation',
      action: 'invite spike',
      outcome: raised ? 'ok' : 'ok:unrouted',
      latencyMs: 0,
      detail: evidence,
    });
    this.live(JSON.stringify({ type: 'spike', code, inviterId, count: recent }));
  }

  /** One range's series and top lists, from stored counts only. */
  read(range: Range, at = now()): AnalyticsData {
    const b = bucketsOf(range, at);
    const series = {} as Record<SeriesMetric, number[]>;
    const totals = {} as Record<SeriesMetric, number>;
    for (const m of SERIES) {
      series[m] = fillSeries(b.starts, this.store.series(m, b.res, '', b.from, b.to));
      totals[m] = series[m].reduce((a, n) => a + n, 0);
    }
    return {
      range,
      buckets: b.starts,
      bucketMs: b.starts.length > 1 ? b.starts[1]! - b.starts[0]! : 0,
      series,
      totals,
      invites: this.store.top('invite', b.res, b.from, b.to, TOP_N),
      inviters: this.store.top('inviter', b.res, b.from, b.to, TOP_N),
      campaigns: this.store.top('campaign', b.res, b.from, b.to, TOP_N),
      paused: this.store.paused(),
      spike: this.store.spikeConfig(),
    };
  }

  /** One table as CSV (every row of the range, not only the top ones). */
  csv(table: CsvTable, range: Range, at = now()): string {
    const d = this.read(range, at);
    if (table === 'joins')
      return toCsv(
        ['bucket_start_utc', ...SERIES],
        d.buckets.map((s, i) => [new Date(s).toISOString(), ...SERIES.map((m) => d.series[m][i]!)]),
      );
    const b = bucketsOf(range, at);
    const metric = table === 'invites' ? 'invite' : table === 'inviters' ? 'inviter' : 'campaign';
    const rows = this.store.top(metric, b.res, b.from, b.to, 100_000);
    return toCsv(
      [table === 'invites' ? 'code' : table === 'inviters' ? 'inviter_id' : 'campaign', 'joins'],
      rows.map((r) => [r.key, r.n]),
    );
  }

  async handle(call: AnalyticsCall): Promise<AnalyticsAnswer> {
    switch (call.op) {
      case 'read':
        return { ok: true, data: this.read(call.range) };
      case 'csv':
        return { ok: true, csv: this.csv(call.table, call.range) };
      case 'pause':
        return this.pause(call.code, call.by);
      case 'resume':
        return this.resume(call.code, call.by);
      case 'spike-config': {
        const c = spikeConfigOf(call.input);
        this.store.setSpikeConfig(c);
        this.spikeCache = c;
        this.audit(call.by, 'analytics spike settings', 'ok', JSON.stringify(c));
        return { ok: true, spike: c };
      }
    }
  }

  /**
   * Discord cannot pause an invite: it is deleted, and its settings kept so
   * Resume makes one like it (with a new code).
   */
  async pause(code: string, by: string): Promise<AnalyticsAnswer> {
    if (!/^[A-Za-z0-9-]{2,32}$/.test(code)) return { ok: false, status: 400, error: 'bad invite code' };
    if (this.store.pausedOne(code)) return { ok: false, status: 409, error: 'that invite is paused already' };
    const list = await this.host.rest.get<APIExtendedInvite[]>(Routes.guildInvites(this.host.guildId));
    if (!list.ok) return this.failed(by, 'analytics pause', code, describeRestError(list.error));
    const inv = list.value.find((i) => i.code === code);
    if (!inv?.channel) return { ok: false, status: 404, error: 'no such invite in this server' };
    const locale = guildLocale(this.host.sql);
    const del = await this.host.rest.delete<APIInvite>(Routes.invite(code), { reason: tr(locale, 'analytics.pause.reason', { code }) });
    if (!del.ok) return this.failed(by, 'analytics pause', code, describeRestError(del.error));
    const p: PausedInvite = {
      code,
      channelId: inv.channel.id,
      maxAge: inv.max_age,
      maxUses: inv.max_uses,
      temporary: inv.temporary,
      inviterId: inv.inviter?.id ?? null,
      pausedAt: now(),
      pausedBy: by,
    };
    this.store.savePaused(p);
    this.audit(by, 'analytics pause', 'ok', `invite ${code} deleted (channel ${p.channelId}, max_age ${p.maxAge}, max_uses ${p.maxUses})`);
    return { ok: true, paused: p };
  }

  async resume(code: string, by: string): Promise<AnalyticsAnswer> {
    const p = this.store.pausedOne(code);
    if (!p) return { ok: false, status: 404, error: 'that invite is not paused' };
    const locale = guildLocale(this.host.sql);
    const body: RESTPostAPIChannelInviteJSONBody = { max_age: p.maxAge, max_uses: p.maxUses, temporary: p.temporary, unique: true };
    const made = await this.host.rest.post<APIInvite>(Routes.channelInvites(p.channelId), { body, reason: tr(locale, 'analytics.resume.reason', { code }) });
    if (!made.ok) return this.failed(by, 'analytics resume', code, describeRestError(made.error));
    this.store.dropPaused(code);
    this.audit(by, 'analytics resume', 'ok', `invite ${code} recreated as ${made.value.code}`);
    return { ok: true, resumed: { oldCode: code, code: made.value.code } };
  }

  private failed(by: string, action: string, code: string, why: string): AnalyticsAnswer {
    this.audit(by, action, 'error', `invite ${code}: ${why}`);
    return { ok: false, status: 502, error: `Discord refused: ${why}` };
  }

  private audit(userId: string, action: string, outcome: string, detail: string): void {
    this.host.audit({ at: now(), guildId: this.host.guildId, userId, action, outcome, latencyMs: 0, detail });
  }

  /** /stats: answered at once as "thinking…"; a job reads the counts, draws the chart and edits the answer. */
  command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
    const raw = stringOption(call, 'range') ?? '24h';
    const range: Range = isRange(raw) ? raw : '24h';
    this.host.enqueue(ANALYTICS_JOBS.stats, { token: i.token, locale: i.locale, range } satisfies StatsJob);
    this.host.kick();
    return deferred(`stats ${range}`);
  }

  /** An invite spike alert's "Pause invite" (asks first), and its confirmation (defers; a job deletes the invite). */
  component(i: APIMessageComponentInteraction, cid: CustomId): Handled {
    const code = cid.extra ?? '';
    if (cid.action === AnalyticsActions.pause && code) return pauseAsk(i, this.host.guildId, code);
    if (cid.action !== AnalyticsActions.confirm || !code) return refused('unknown', tr(i.locale, 'common.button-unknown'));
    // Checked again at the confirmation: permissions may have changed since the alert was posted.
    if (!canPause(i)) return refused('not-allowed', tr(i.locale, 'analytics.pause.not-allowed'));
    this.host.enqueue(ANALYTICS_JOBS.pause, { token: i.token, locale: i.locale, code, by: invokerOf(i).userId } satisfies PauseJob);
    this.host.kick();
    return deferred(`pause ${code}`);
  }

  async runJob(job: Job<string>): Promise<JobResult> {
    if (job.kind === ANALYTICS_JOBS.stats) {
      const p = job.payload as StatsJob;
      const d = this.read(isRange(p.range) ? p.range : '24h');
      const png = renderJoinsChart(d.series.join, d.series.leave);
      return this.edit(p.token, { embeds: [statsEmbed(d, p.locale)], allowed_mentions: { parse: [] } }, [
        { name: 'stats.png', contentType: 'image/png', data: png },
      ]);
    }
    if (job.kind === ANALYTICS_JOBS.pause) {
      const p = job.payload as PauseJob;
      // Already paused (a retried job after the delete went through): say so rather than fail.
      const r = this.store.pausedOne(p.code) ? { ok: true as const } : await this.pause(p.code, p.by);
      const content = r.ok ? tr(p.locale, 'analytics.pause.done', { code: p.code }) : tr(p.locale, 'analytics.pause.failed', { code: p.code, reason: r.error });
      return this.edit(p.token, { content, allowed_mentions: { parse: [] } });
    }
    return 'done';
  }

  /** Finishes a deferred answer by editing @original (Discord keeps the token 15 minutes). */
  private async edit(token: string, body: Record<string, unknown>, files?: UploadFile[]): Promise<JobResult> {
    const r = await this.host.rest.patch(Routes.webhookMessage(this.host.config.applicationId, token, '@original'), { body, ...(files ? { files } : {}) });
    if (r.ok) return 'done';
    // The job may start before Discord has taken in the deferral: the message comes.
    if (isUnknown(r.error, RESTJSONErrorCodes.UnknownMessage)) return 'retry';
    console.error(`guild ${this.host.guildId}: analytics: editing the deferred reply failed: ${describeRestError(r.error)}`);
    return isPermanent(r.error) ? 'done' : 'retry';
  }

  diagnose(locale: string | undefined): DiagnosticSection {
    return { feature: 'analytics', ok: true, lines: [tr(locale, 'analytics.status', { paused: this.store.paused().length })] };
  }

  housekeeping(at: number): void {
    this.store.sweep(at);
  }
}

export const isAnalyticsRecorder = (f: GuildFeature): f is GuildAnalytics => f instanceof GuildAnalytics;
