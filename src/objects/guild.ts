import type { APIApplicationCommandAutocompleteInteraction, APIInteraction, APIInteractionResponse, APIMessage } from 'discord-api-types/v10';
import { type Connection, type ConnectionContext, Server } from 'partyserver';
import { invokerOf } from '../discord/interaction.ts';
import type { DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import { GuildAlerts } from '../features/alerts/feature.ts';
import type { AlertRoute, RouteErrors, RouteInput } from '../features/alerts/rules.ts';
import { analytics } from '../features/analytics/feature.ts';
import { type AnalyticsAnswer, type AnalyticsCall, GuildAnalytics } from '../features/analytics/guild-analytics.ts';
import { DASHBOARD_TAG, DashboardLive, isDashboardSocket, type LiveState } from '../features/analytics/live.ts';
import type { ApiAnswer, ApiCall } from '../features/api/guild-api.ts';
import { GuildApi } from '../features/api/guild-api.ts';
import { type AuditEntry, readAudit, readAuditForTicket } from '../features/audit/log.ts';
import { GuildEvents } from '../features/events/feature.ts';
import { faq, GuildFaq } from '../features/faq/feature.ts';
import { type BotRegister, GuildGovernance, type SaveAnswer } from '../features/governance/feature.ts';
import type { FieldErrors } from '../features/governance/rules.ts';
import type { StaffCheck } from '../features/inbox/staff-check.ts';
import type { StaffMember } from '../features/inbox/staff-list.ts';
import { FEATURES } from '../features/index.ts';
import { GuildLevels } from '../features/levels/feature.ts';
import type { PublicBoard } from '../features/levels/page.ts';
import { type AppealFormAnswer, appealsUnavailable, GuildModeration } from '../features/moderation/feature.ts';
import { GuildProtection, type ProtectionStatus } from '../features/protection/feature.ts';
import { GuildReview } from '../features/review/feature.ts';
import type { ReviewSources } from '../features/review/rules.ts';
import { GuildServers } from '../features/servers/feature.ts';
import type { Period, Summary } from '../features/servers/rules/history.ts';
import { GuildTelegram, type TgUpdate, type UpdateOutcome } from '../features/telegram/feature.ts';
import { isTicketDeflector } from '../features/tickets/deflection.ts';
import { tickets } from '../features/tickets/feature.ts';
import type { TicketConfig } from '../features/tickets/guild-index.ts';
import { type InboxData, TicketsGuildSide } from '../features/tickets/guild-side.ts';
import type { Ticket } from '../features/tickets/model.ts';
import type { TicketListRow } from '../features/tickets/views.ts';
import type { GatewayEvent } from '../gateway/events.ts';
import { type GatewaySummary, GuildRecord } from '../gateway/guild-record.ts';
import type { DeliveryTag } from '../gateway/handover.ts';
import { GatewayInbox, type Received } from '../gateway/intake.ts';
import { rememberGuildLocale } from '../i18n/guild-locale.ts';
import { guildLocaleOf } from '../i18n/index.ts';
import type { Result } from '../lib/result.ts';
import { core, GUILD_LEGACY_POSITIONS } from '../platform/core.ts';
import { featureConfigOf, type GuildFeature } from '../platform/feature.ts';
import { GuildCore } from '../platform/guild-core.ts';
import { GuildRouter } from '../platform/guild-router.ts';
import { AlarmMux } from '../runtime/alarms.ts';
import { now } from '../runtime/clock.ts';
import { type MetricEvent, metricSink } from '../runtime/metrics.ts';
import { migrateFeatures } from '../runtime/migrations.ts';
import { Outbox } from '../runtime/outbox.ts';
import { restFor } from '../runtime/rest-client.ts';
import { Scheduler } from '../runtime/scheduler.ts';
import { rememberResponse, seenResponse } from '../runtime/seen.ts';
import { ticketActor } from '../runtime/stubs.ts';

/**
 * One Durable Object per guild: wiring only. Features (tickets, protection,
 * moderation) decide; the router hands them interactions, events, jobs and
 * timers by the names they claim; this persists answers and audits.
 */
export class GuildActor extends Server<Env> {
  static override options = { hibernate: true };
  private readonly alarms: AlarmMux;
  private readonly outbox: Outbox<string>;
  private readonly scheduler: Scheduler;
  private readonly rest: DiscordRest;
  private readonly gateway: GatewayInbox;
  private readonly core: GuildCore;
  private readonly tickets: TicketsGuildSide;
  private readonly router: GuildRouter;
  private readonly record: GuildRecord;
  private readonly live = new DashboardLive({
    env: this.env,
    guildId: () => this.name,
    now,
    waitUntil: (p) => this.ctx.waitUntil(p),
    sockets: () => this.getConnections<LiveState>(DASHBOARD_TAG),
    open: () => this.ctx.getWebSockets(DASHBOARD_TAG).length,
  });

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    migrateFeatures(
      sql,
      ctx.storage,
      [core, ...FEATURES].map((f) => ({ feature: f.name, migrations: f.migrations.guild ?? [] })),
      GUILD_LEGACY_POSITIONS,
    );
    this.alarms = new AlarmMux(ctx.storage);
    this.outbox = new Outbox({ sql, alarms: this.alarms, waitUntil: (p) => ctx.waitUntil(p) }, (job) => this.router.runJob(job));
    this.scheduler = new Scheduler({ sql, alarms: this.alarms }, (t) => this.router.runTimer(t));
    this.rest = restFor(env, ctx);
    this.record = new GuildRecord(sql);
    // The guild record's counters and the features' buffers (levels' XP) are written with each batch's applied sequence.
    const features = { write: () => this.router.writeBatch(), discard: () => this.router.discardBatch() };
    this.gateway = new GatewayInbox(sql, (e) => this.applyEvent(e), [this.record, features]);
    // The guild id is the actor's name, known once partyserver has it (not yet in the constructor).
    const name = () => this.name;
    const sink = metricSink(env);
    const base = {
      get guildId() {
        return name();
      },
      sql,
      rest: this.rest,
      config: featureConfigOf(env),
      audit: (e: AuditEntry) => this.core.audit(e),
      // Also the guild's own aggregates (analytics), which serve the dashboard and /stats without Analytics Engine.
      metric: (e: MetricEvent) => {
        sink.write(e);
        this.part(GuildAnalytics)?.record(e);
      },
      broadcast: (m: string | (() => string | null)) => {
        if (typeof m === 'string') return this.toInbox(m);
        // Most guilds have no inbox open: the message is not even built then.
        if (this.ctx.getWebSockets().length === 0) return;
        const text = m();
        if (text !== null) this.toInbox(text);
      },
    };
    this.router = new GuildRouter([core, ...FEATURES], base, this.outbox, this.scheduler, (module, host): GuildFeature | undefined => {
      if (module === core) return this.core;
      // The ticket desk also serves this actor's ticket RPCs, so the actor keeps it.
      if (module === tickets) return this.tickets;
      if (module === faq) return new GuildFaq(host, this.tickets);
      if (module === analytics) return new GuildAnalytics(host, (m) => this.live.send(m));
      return module.guild?.(host);
    });
    this.core = new GuildCore(this.router.hostFor(core), { webhookUrl: env.LOG_WEBHOOK_URL, retentionDays: env.AUDIT_RETENTION_DAYS, deliver: env }, () =>
      this.router.housekeeping(),
    );
    this.tickets = new TicketsGuildSide({
      ...this.router.hostFor(tickets),
      ticket: (id) => ticketActor(env, id),
      deflector: () => this.router.find(isTicketDeflector),
    });
  }

  /**
   * Commands and guild-owned components/modals, straight from the Worker
   * (verified raw body). `origin` is where Discord reached us, for staff links.
   */
  async handleInteraction(raw: string, origin = ''): Promise<APIInteractionResponse> {
    const started = performance.now();
    const i = JSON.parse(raw) as APIInteraction;
    const seen = seenResponse(this.ctx.storage.sql, i.id);
    if (seen) return seen;
    rememberGuildLocale(this.ctx.storage.sql, guildLocaleOf(i));
    const { handled, action } = await this.router.interaction(i, { origin });
    // A redelivered interaction id is answered from here. The first delivery's
    // response is remembered before any await in the handlers that change
    // state, so a concurrent duplicate cannot slip in (see guild-commands).
    // An error is not remembered: Discord's redelivery should get a fresh try.
    if (handled.outcome !== 'error') rememberResponse(this.ctx.storage.sql, i.id, handled.response);
    this.core.audit({
      at: now(),
      guildId: i.guild_id ?? '',
      userId: invokerOf(i).userId,
      action,
      outcome: handled.outcome,
      latencyMs: performance.now() - started,
      detail: handled.detail,
    });
    this.live.reviewMayHaveChanged();
    return handled.response;
  }

  /** Autocomplete (type 4): the owning feature answers from memory or storage; nothing is stored or audited. */
  async autocomplete(raw: string): Promise<APIInteractionResponse> {
    return this.router.autocomplete(JSON.parse(raw) as APIApplicationCommandAutocompleteInteraction);
  }

  /** An appeal from the signed web form (src/routes/appeal.ts checked the link: guild, case, member). */
  async submitAppealForm(caseId: number, userId: string, text: string, locale?: string): Promise<AppealFormAnswer> {
    const answer = (await this.part(GuildModeration)?.appealFromForm(caseId, userId, text, locale)) ?? appealsUnavailable(locale);
    this.live.reviewMayHaveChanged();
    return answer;
  }

  /** A Telegram update for this guild (the webhook checked its secret): a press on an approval's button, or `/link CODE`. */
  async telegramUpdate(u: TgUpdate): Promise<UpdateOutcome> {
    const outcome = (await this.part(GuildTelegram)?.update(u)) ?? 'off';
    this.live.reviewMayHaveChanged();
    return outcome;
  }

  /** The alert desk's routes, as the dashboard shows them (null: the feature is off). */
  async alertRoutes(): Promise<Required<RouteInput>[] | null> {
    return this.part(GuildAlerts)?.routeInputs() ?? null;
  }

  /** One route from the dashboard (its route checked the session and the guild): validated and audited by the desk. */
  async saveAlertRoute(input: RouteInput, by: string): Promise<{ ok: true; value: AlertRoute } | { ok: false; errors: RouteErrors } | null> {
    return this.part(GuildAlerts)?.saveRoute(input, by, 'dashboard') ?? null;
  }

  /** What is waiting for someone (the dashboard's review queue). */
  async reviewSources(): Promise<ReviewSources | null> {
    return this.part(GuildReview)?.sources() ?? null;
  }

  /** Anti-raid, invite and verification state, and join/leave counts per minute: for staff pages and the bench. */
  async protectionStatus(): Promise<ProtectionStatus | null> {
    return this.part(GuildProtection)?.status() ?? null;
  }

  /** The guild's instance of one feature's runtime part, for the RPCs below that routes call. */
  private part<T>(cls: abstract new (...args: never[]) => T): T | undefined {
    return this.router.find((f): f is T & GuildFeature => f instanceof cls) as T | undefined;
  }

  /** The REST API's reads and changes of this guild (src/features/api; the Worker has authenticated the caller). */
  async api(call: ApiCall): Promise<ApiAnswer> {
    const answer = (await this.part(GuildApi)?.handle(call)) ?? { status: 503, body: { error: 'the REST API is not on' } };
    this.live.reviewMayHaveChanged();
    return answer;
  }

  /** The analytics page's reads, exports and invite actions (src/features/analytics; the route checked the session and the guild). */
  async analytics(call: AnalyticsCall): Promise<AnalyticsAnswer> {
    return (await this.part(GuildAnalytics)?.handle(call)) ?? { ok: false, status: 503, error: 'analytics is not on' };
  }

  /** A game server's usage history, for its chart image (the route checked the signed link). */
  async serverUsage(panelId: string, serverId: string, period: Period): Promise<Summary | null> {
    return this.part(GuildServers)?.usage(panelId, serverId, period) ?? null;
  }

  /** The public leaderboard, when `key` is the guild's page key (the route checked nothing else). */
  async levelsBoard(key: string): Promise<PublicBoard | null> {
    return this.part(GuildLevels)?.publicBoard(key, this.record.summary().guild?.name ?? '') ?? null;
  }

  /** The guild's calendar feed, or null for a wrong token (the route answers 404). */
  async eventsCalendar(token: string): Promise<string | null> {
    return this.part(GuildEvents)?.calendar(token) ?? null;
  }

  /** The bot governance register; `required` is what the enabled features need of Guildkeep (a bitfield string, for its drift). */
  async botRegister(required: string): Promise<Result<BotRegister, string>> {
    return (await this.part(GuildGovernance)?.register(BigInt(required))) ?? { ok: false, error: 'governance is off' };
  }

  /** Saves what an admin wrote about a bot (validated; refused input changes nothing). */
  async saveBotRecord(input: Record<string, unknown>, by: string): Promise<SaveAnswer> {
    return (await this.part(GuildGovernance)?.save(input, by)) ?? { ok: false, unavailable: 'governance is off' };
  }

  /** Where bot review reminders go: a text channel id, or '' for a DM to each bot's owner. */
  async setBotReminderChannel(
    raw: unknown,
    by: string,
  ): Promise<{ ok: true; channelId: string | null } | { ok: false; errors: FieldErrors } | { ok: false; unavailable: string }> {
    return (await this.part(GuildGovernance)?.setReminderChannel(raw, by)) ?? { ok: false, unavailable: 'governance is off' };
  }

  async getTicketConfig(): Promise<TicketConfig> {
    return this.tickets.config();
  }
  async ticketChanged(t: Ticket, audit: AuditEntry[]): Promise<void> {
    this.tickets.ticketChanged(t, audit);
    this.live.reviewMayHaveChanged();
  }
  async checkStaff(userId: string): Promise<StaffCheck> {
    return this.tickets.checkStaff(userId);
  }
  /** Everyone a ticket can be assigned to (the inbox's assign list), from Discord. */
  async listStaff(): Promise<Result<StaffMember[], string>> {
    return this.tickets.listStaff();
  }
  /** What the staff inbox opens with, in one call (or only the reply box's snippets and tags): the active list, the metrics, saved replies and tags in use. */
  async inboxData(only?: 'reply-aids'): Promise<Partial<InboxData>> {
    return only ? this.tickets.replyAids() : this.tickets.inboxData();
  }
  async metrics(): Promise<ReturnType<TicketsGuildSide['metrics']>> {
    return this.tickets.metrics();
  }
  async findTicket(id: string): Promise<TicketListRow | null> {
    return this.tickets.index.byId(id);
  }
  /** The audit trail of one ticket, oldest first. */
  async auditFor(ticketNumber: number): Promise<AuditEntry[]> {
    return readAuditForTicket(this.ctx.storage.sql, ticketNumber);
  }
  /** The newest audit entries, newest first. */
  async auditLog(limit = 100): Promise<AuditEntry[]> {
    return readAudit(this.ctx.storage.sql, limit);
  }
  /** Timers not yet run (for tests and diagnostics). */
  async timers(): Promise<{ key: string; kind: string; at: number; every: number | null }[]> {
    return this.scheduler.list();
  }

  /** A message in a channel of this guild (what the gateway's MESSAGE_CREATE delivers): ticket threads feed transcripts. */
  async onMessageCreate(m: APIMessage): Promise<boolean> {
    return this.tickets.transcribe(m);
  }

  /**
   * A shard's batch of this guild's dispatches, in order, applied exactly
   * once across resumes and re-shards (src/gateway/intake.ts).
   */
  async applyEvents(shard: number, session: string, events: GatewayEvent[], tag?: DeliveryTag): Promise<Received> {
    this.core.ensureHousekeeping();
    const received = await this.gateway.receive(shard, session, events, tag);
    this.live.reviewMayHaveChanged();
    return received;
  }

  /**
   * One gateway event's effects: each feature that takes it, in feature
   * order, then the guild record and counters. Counted last, after every
   * await: a failed event is retried and must count once.
   */
  private applyEvent(e: GatewayEvent): Promise<void> | void {
    const r = this.router.event(e);
    if (r) return r.then(() => this.record.record(e));
    this.record.record(e);
  }

  /** What the gateway has told us about this guild: its GUILD_CREATE summary and the hourly event counts of the last day. */
  async gatewaySummary(): Promise<GatewaySummary> {
    return this.record.summary();
  }

  /** The dashboard's live analytics sockets are tagged apart from the staff inbox's: neither ever gets the other's messages. */
  override getConnectionTags(_conn: Connection, ctx: ConnectionContext): string[] {
    return isDashboardSocket(ctx.request.url, this.name) ? [DASHBOARD_TAG] : ['inbox'];
  }

  override async onConnect(conn: Connection, ctx: ConnectionContext): Promise<void> {
    if (isDashboardSocket(ctx.request.url, this.name)) {
      this.live.connected(conn as Connection<LiveState>, ctx.request.headers, now());
      return;
    }
    conn.send(JSON.stringify({ type: 'inbox', tickets: this.tickets.inbox(), metrics: this.tickets.metrics() }));
  }

  /** The staff inbox's sockets: every socket not tagged as the dashboard's (sockets from before tags count as the inbox's). */
  private toInbox(message: string): void {
    for (const c of this.getConnections()) if (!c.tags.includes(DASHBOARD_TAG)) c.send(message);
  }

  override onMessage(): void {
    // The inbox only listens.
  }

  override async onAlarm(): Promise<void> {
    this.alarms.fired();
    // Timers apart from the outbox: a due timer never waits behind a job.
    await Promise.all([this.scheduler.runDue(), this.outbox.onAlarm()]);
    this.live.reviewMayHaveChanged();
  }
}
