import { Server, type Connection } from 'partyserver';
import {
  GatewayDispatchEvents, InteractionType, Routes, type GatewayGuildCreateDispatchData,
  type APIChatInputApplicationCommandInteraction, type APIInteraction, type APIInteractionResponse,
  type APIMessage, type APIMessageComponentInteraction, type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import { parseCustomId } from '../discord/custom-id.ts';
import { displayName, invokerOf, reply, subcommandOf } from '../discord/interaction.ts';
import { describeRestError, type DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import { AUDIT_SCHEMA, insertAudit, purgeAuditBefore, readAudit, readAuditForTicket, readAuditSince, type AuditEntry } from '../features/audit/log.ts';
import { COUNTED, hourOf, type GatewayEvent } from '../gateway/events.ts';
import { GATEWAY_INBOX_MIGRATION, GatewayInbox, type Received } from '../gateway/intake.ts';
import type { DeliveryTag } from '../gateway/handover.ts';
import type { GuildFeature, GuildFeatureHost } from '../features/guild-feature.ts';
import { GuildProtection, type ProtectionStatus } from '../features/protection/feature.ts';
import { PROTECTION_SCHEMA } from '../features/protection/store.ts';
import { triageMetrics, type TriageMetrics } from '../features/inbox/metrics.ts';
import { StaffChecker, type StaffCheck } from '../features/inbox/staff-check.ts';
import { signStaffToken, STAFF_LINK_TTL_S } from '../features/inbox/token.ts';
import { deliverLogEvent } from '../features/audit/webhook.ts';
import { GuildModeration, type AppealFormAnswer } from '../features/moderation/feature.ts';
import { MODERATION_DESK_SCHEMA } from '../features/moderation/store.ts';
import { GUILD_TICKET_MIGRATIONS, GuildTicketIndex, type TicketConfig } from '../features/tickets/guild-index.ts';
import { handleTicketCommand, handleTicketGuildComponent, handleTicketModal, type GuildTicketHost, type Handled } from '../features/tickets/guild-commands.ts';
import type { Ticket } from '../features/tickets/model.ts';
import { createTicketChannel, isPermanent } from '../features/tickets/provision.ts';
import type { ProvisionPlan } from '../features/tickets/store.ts';
import { ephemeral, type TicketListRow } from '../features/tickets/views.ts';
import { guildLocaleOf } from '../i18n/index.ts';
import { rememberGuildLocale } from '../i18n/guild-locale.ts';
import { migrate } from '../runtime/migrate.ts';
import { Outbox, type Job, type JobResult } from '../runtime/outbox.ts';
import { restFor, ticketActor } from '../runtime/actors.ts';
import { forgetOldInteractions, rememberResponse, seenResponse } from '../runtime/seen.ts';

/** The guild as its last GUILD_CREATE described it. */
export interface GuildSummary { id: string; name: string; ownerId: string; memberCount: number | undefined; channels: number; threads: number; roles: number; at: number }

/** The actor's own jobs; features bring their own kinds (GuildFeature.jobKinds). */
type GuildJob = 'webhook' | 'log-post' | 'handoff' | 'housekeeping' | (string & {});

/** How long closed tickets stay in the inbox list. */
const INBOX_CLOSED_WINDOW_MS = 7 * 86_400_000;
const DEFAULT_AUDIT_RETENTION_DAYS = 90;

/**
 * One Durable Object per guild: configuration, the ticket index, the audit
 * log. A thin shell: features decide, this persists and audits.
 */
export class GuildActor extends Server<Env> {
  static override options = { hibernate: true };
  private readonly index: GuildTicketIndex;
  private staff: StaffChecker | null = null;
  private readonly outbox: Outbox<GuildJob>;
  private readonly rest: DiscordRest;
  private readonly gateway: GatewayInbox;
  /** Event counters of the batch being applied, written with its sequence (one upsert per kind, not per event). */
  private readonly pendingCounts = new Map<string, number>();
  /** Features living in this actor (moderation, protection), routed by the names they claim. */
  private readonly features: GuildFeature[];
  /** Whether this instance has made sure the daily housekeeping job exists. */
  private housekeepingQueued = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, ctx.storage, [...GUILD_TICKET_MIGRATIONS, AUDIT_SCHEMA, `CREATE TABLE pending_webhook (id INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)`,
      // Gateway events: the last sequence applied per shard session (exactly-once across resumes), the guild as GUILD_CREATE described it, hourly counters.
      `CREATE TABLE gateway_applied (shard INTEGER NOT NULL, session TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (shard, session));
       CREATE TABLE guild_info (k TEXT PRIMARY KEY, v TEXT NOT NULL);
       CREATE TABLE event_counts (hour INTEGER NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (hour, kind));`,
      GATEWAY_INBOX_MIGRATION,
      // Feature schemas, in this order forever (migrations are numbered by position).
      PROTECTION_SCHEMA,
      MODERATION_DESK_SCHEMA,
    ]);
    this.gateway = new GatewayInbox(ctx.storage.sql, (e) => this.applyEvent(e), {
      write: () => this.writeCounts(),
      discard: () => this.pendingCounts.clear(),
    });
    this.index = new GuildTicketIndex(ctx.storage.sql);
    this.rest = restFor(env, ctx);
    this.outbox = new Outbox({ sql: ctx.storage.sql, storage: ctx.storage, waitUntil: (p) => ctx.waitUntil(p) }, (job) => this.runJob(job));
    this.features = featuresOf(this.featureHost());
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
    const host = this.ticketHost(i, origin);
    let handled: Handled;
    let action: string;
    switch (i.type) {
      case InteractionType.ApplicationCommand: {
        const call = subcommandOf(i as APIChatInputApplicationCommandInteraction);
        action = `/${call.path}`;
        const feature = this.features.find((f) => f.commands.includes((i as APIChatInputApplicationCommandInteraction).data.name));
        handled = feature?.command
          ? await feature.command(i as APIChatInputApplicationCommandInteraction, call)
          : await handleTicketCommand(host, i as APIChatInputApplicationCommandInteraction, call);
        break;
      }
      case InteractionType.MessageComponent: {
        const cid = parseCustomId((i as APIMessageComponentInteraction).data.custom_id);
        action = `button ${cid?.feature}:${cid?.action}`;
        const feature = cid ? this.features.find((f) => f.componentFeatures.includes(cid.feature)) : undefined;
        handled = feature?.component && cid
          ? await feature.component(i as APIMessageComponentInteraction, cid)
          : handleTicketGuildComponent(host, i as APIMessageComponentInteraction, cid);
        break;
      }
      case InteractionType.ModalSubmit: {
        const cid = parseCustomId((i as APIModalSubmitInteraction).data.custom_id);
        action = `modal ${cid?.feature}:${cid?.action}`;
        const feature = cid ? this.features.find((f) => f.componentFeatures.includes(cid.feature)) : undefined;
        handled = feature?.modal && cid
          ? await feature.modal(i as APIModalSubmitInteraction, cid)
          : await handleTicketModal(host, i as APIModalSubmitInteraction, cid);
        break;
      }
      default:
        action = `interaction type ${i.type}`;
        handled = { response: reply(ephemeral('This kind of interaction is not handled here.')), outcome: 'refused:unsupported', detail: '' };
    }
    // A redelivered interaction id is answered from here. The first delivery's
    // response is remembered before any await in the handlers that change
    // state, so a concurrent duplicate cannot slip in (see guild-commands).
    // An error is not remembered: Discord's redelivery should get a fresh try.
    if (handled.outcome !== 'error') rememberResponse(this.ctx.storage.sql, i.id, handled.response);
    this.audit({
      at: Date.now(), guildId: i.guild_id ?? '', userId: invokerOf(i).userId, action,
      outcome: handled.outcome, latencyMs: performance.now() - started, detail: handled.detail,
    });
    return handled.response;
  }

  /** An appeal from the signed web form (src/routes/appeal.ts checked the link: guild, case, member). */
  async submitAppealForm(caseId: number, userId: string, text: string): Promise<AppealFormAnswer> {
    const moderation = this.features.find((f): f is GuildModeration => f instanceof GuildModeration);
    return moderation ? moderation.appealFromForm(caseId, userId, text) : { ok: false, message: 'Appeals are not available.' };
  }

  /** Anti-raid, invite and verification state, and join/leave counts per minute: for staff pages and the bench. */
  async protectionStatus(): Promise<ProtectionStatus | null> {
    const p = this.features.find((f): f is GuildProtection => f instanceof GuildProtection);
    return p ? p.status() : null;
  }

  /** The ticket configuration, for tickets checking staff role on each action. */
  async getTicketConfig(): Promise<TicketConfig> {
    return this.index.config();
  }

  /** A ticket's latest state and its audit entries; stale versions never overwrite newer ones. */
  async ticketChanged(t: Ticket, audit: AuditEntry[]): Promise<void> {
    const before = this.index.byId(t.id);
    this.index.upsert(t);
    for (const e of audit) this.audit(e);
    if (before && before.status !== t.status) this.announce(t);
    const row = this.index.byId(t.id);
    // Audit-only notifications change nothing staff can see: no broadcast.
    if (row && (!before || row.version !== before.version || row.updatedAt !== before.updatedAt || row.channelId !== before.channelId)) this.pushRow(t.id);
  }

  /** Whether a staff-link holder is still staff, from Discord (cached a minute). */
  async checkStaff(userId: string): Promise<StaffCheck> {
    this.staff ??= new StaffChecker(this.rest, this.name);
    return this.staff.check(userId, this.index.config().staffRoleId, Date.now());
  }

  /** The inbox list: every ticket not closed, and those closed in the last week. */
  async inbox(): Promise<TicketListRow[]> {
    return this.index.inbox(INBOX_CLOSED_WINDOW_MS, Date.now());
  }

  async metrics(): Promise<TriageMetrics> {
    const now = Date.now();
    return triageMetrics(this.index.since(now - 30 * 86_400_000), readAuditSince(this.ctx.storage.sql, now - 30 * 86_400_000), now);
  }

  /** The audit trail of one ticket, oldest first. */
  async auditFor(ticketNumber: number): Promise<AuditEntry[]> {
    return readAuditForTicket(this.ctx.storage.sql, ticketNumber);
  }

  /**
   * A message in a channel of this guild (what the gateway's MESSAGE_CREATE
   * will deliver): messages in a ticket's thread go to its transcript.
   */
  async onMessageCreate(m: APIMessage): Promise<boolean> {
    return this.transcribe(m);
  }

  /** Synchronous (no await, no promise) for the many messages outside ticket threads. */
  private transcribe(m: APIMessage): Promise<boolean> | false {
    if (m.author.bot || m.webhook_id) return false;
    const row = this.index.byChannel(m.channel_id);
    if (!row) return false;
    return ticketActor(this.env, row.id).recordMessage({
      id: m.id, authorId: m.author.id, authorName: displayName(m.author, (m as { member?: { nick?: string | null } }).member?.nick), content: m.content, at: Date.parse(m.timestamp),
    });
  }

  /**
   * A shard's batch of this guild's dispatches, in order, applied exactly
   * once across resumes and re-shards (src/gateway/intake.ts).
   */
  async applyEvents(shard: number, session: string, events: GatewayEvent[], tag?: DeliveryTag): Promise<Received> {
    this.ensureHousekeeping();
    return this.gateway.receive(shard, session, events, tag);
  }

  /**
   * One gateway event's effects: the ticket transcript, then each feature, then
   * the guild record and counters. Async only where a step must wait. Counted
   * last, after every await: a failed event is retried and must count once
   * (steps before the failure run again, so they are idempotent).
   */
  private applyEvent(e: GatewayEvent): Promise<void> | void {
    const steps: (() => Promise<unknown> | void)[] = [];
    if (e.t === GatewayDispatchEvents.MessageCreate) steps.push(() => this.transcribe(e.d as APIMessage) || undefined);
    for (const f of this.features) if (f.onEvent) steps.push(() => f.onEvent!(e));
    steps.push(() => this.recordGuild(e));
    return inOrder(steps);
  }

  private writeCounts(): void {
    if (this.pendingCounts.size === 0) return;
    const hour = hourOf(Date.now());
    for (const [kind, n] of this.pendingCounts) this.ctx.storage.sql.exec(`INSERT INTO event_counts (hour, kind, n) VALUES (?, ?, ?) ON CONFLICT(hour, kind) DO UPDATE SET n = n + excluded.n`, hour, kind, n);
    this.pendingCounts.clear();
  }

  private recordGuild(e: GatewayEvent): void {
    const sql = this.ctx.storage.sql;
    const kind = COUNTED[e.t];
    if (kind) this.pendingCounts.set(kind, (this.pendingCounts.get(kind) ?? 0) + 1);
    if (e.t === GatewayDispatchEvents.GuildCreate) {
      const g = e.d as GatewayGuildCreateDispatchData;
      const summary: GuildSummary = { id: g.id, name: g.name, ownerId: g.owner_id, memberCount: g.member_count, channels: g.channels.length, threads: g.threads.length, roles: g.roles.length, at: Date.now() };
      sql.exec(`INSERT OR REPLACE INTO guild_info (k, v) VALUES ('guild', ?)`, JSON.stringify(summary));
      rememberGuildLocale(sql, g.preferred_locale);
    }
  }

  /** What the gateway has told us about this guild: its GUILD_CREATE summary and the hourly event counts of the last day. */
  async gatewaySummary(): Promise<{ guild: GuildSummary | null; counts: { hour: number; kind: string; n: number }[] }> {
    const sql = this.ctx.storage.sql;
    const g = sql.exec<{ v: string }>(`SELECT v FROM guild_info WHERE k = 'guild'`).toArray()[0];
    const counts = sql.exec<{ hour: number; kind: string; n: number }>(`SELECT hour, kind, n FROM event_counts WHERE hour >= ? ORDER BY hour, kind`, hourOf(Date.now()) - 23 * 3_600_000).toArray();
    return { guild: g ? (JSON.parse(g.v) as GuildSummary) : null, counts };
  }

  override async onConnect(conn: Connection): Promise<void> {
    conn.send(JSON.stringify({ type: 'inbox', tickets: await this.inbox(), metrics: await this.metrics() }));
  }

  override onMessage(): void {
    // The inbox only listens.
  }

  /** Tells the inbox room about a ticket's current row. */
  private pushRow(id: string): void {
    const row = this.index.byId(id);
    if (row) this.broadcast(JSON.stringify({ type: 'ticket', ticket: row }));
  }

  /** Posts a ticket's new status to the configured log channel, if any. */
  private announce(t: Pick<Ticket, 'number' | 'issueType' | 'severity' | 'status' | 'channelId' | 'assigneeId'>): void {
    const cfg = this.index.config();
    if (!cfg.logChannelId || !t.channelId) return;
    this.outbox.enqueue('log-post', { content: `Ticket #${t.number} (${t.issueType}, ${t.severity}) is now **${t.status}** — <#${t.channelId}>${t.assigneeId ? ` · <@${t.assigneeId}>` : ''}` }, { lane: 'log-post' });
    this.outbox.kick();
  }

  /** A ticket as the guild's index knows it (also before its own actor has it). */
  async findTicket(id: string): Promise<TicketListRow | null> {
    return this.index.byId(id);
  }

  /** The newest audit entries, newest first. */
  async auditLog(limit = 100): Promise<AuditEntry[]> {
    return readAudit(this.ctx.storage.sql, limit);
  }

  override async onAlarm(): Promise<void> {
    await this.outbox.onAlarm();
  }

  /**
   * Retention, old interaction ids and old gateway sessions: one sweep a day
   * while the guild is active (interactions or gateway events), queued once
   * per wake-up rather than on every call.
   */
  private ensureHousekeeping(): void {
    if (this.housekeepingQueued) return;
    this.outbox.enqueue('housekeeping', null, { dedupe: 'housekeeping', delayMs: 86_400_000 });
    this.housekeepingQueued = true;
  }

  private audit(e: AuditEntry): void {
    insertAudit(this.ctx.storage.sql, e);
    this.ensureHousekeeping();
    if (this.env.LOG_WEBHOOK_URL) {
      this.ctx.storage.sql.exec(`INSERT INTO pending_webhook (entry) VALUES (?)`, JSON.stringify(e));
      this.outbox.enqueue('webhook', null, { dedupe: 'webhook' });
      this.outbox.kick();
    }
  }

  /**
   * Creates the new ticket's channel (this actor's REST client knows the
   * guild's channel buckets) and gives the ticket to its own actor.
   */
  private async handoff({ ticket, plan }: { ticket: Ticket; plan: ProvisionPlan }): Promise<JobResult> {
    let channelId = this.index.byId(ticket.id)?.channelId ?? null;
    let finalPlan = plan;
    if (!channelId) {
      const r = await createTicketChannel(this.rest, ticket, plan);
      if (r.ok) {
        channelId = r.value;
        this.index.setChannel(ticket.id, channelId);
        this.announce({ ...ticket, channelId });
        this.pushRow(ticket.id);
      } else if (isPermanent(r.error)) {
        finalPlan = { ...plan, channelError: describeRestError(r.error) };
      } else {
        return 'retry';
      }
    }
    await ticketActor(this.env, ticket.id).create({ ...ticket, channelId }, finalPlan);
    return 'done';
  }

  private ticketHost(i: APIInteraction, origin: string): GuildTicketHost {
    return {
      staffLink: async (userId) => {
        if (!this.env.STAFF_LINK_SECRET || !origin) return null;
        const token = await signStaffToken(this.env.STAFF_LINK_SECRET, { guildId: i.guild_id ?? '', userId, exp: Math.floor(Date.now() / 1000) + STAFF_LINK_TTL_S });
        return `${origin}/inbox/${i.guild_id}#${token}`;
      },
      guildId: i.guild_id ?? '',
      applicationId: this.env.DISCORD_APPLICATION_ID || i.application_id,
      index: this.index,
      sql: this.ctx.storage.sql,
      ticket: (id) => ticketActor(this.env, id),
      handoff: (t, plan) => {
        this.outbox.enqueue('handoff', { ticket: t, plan }, { lane: `handoff:${t.id}`, dedupe: `handoff:${t.id}` });
        this.outbox.kick();
        this.pushRow(t.id);
      },
    };
  }

  private featureHost(): GuildFeatureHost {
    // The guild id is the actor's name, known once partyserver has it (not yet in the constructor).
    const name = () => this.name;
    return {
      get guildId() { return name(); },
      env: this.env, sql: this.ctx.storage.sql, storage: this.ctx.storage, rest: this.rest,
      enqueue: (kind, payload, opts) => this.outbox.enqueue(kind, payload, opts),
      kick: () => this.outbox.kick(),
      audit: (e) => this.audit(e),
    };
  }

  private async runJob(job: Job<GuildJob>): Promise<JobResult> {
    const feature = this.features.find((f) => f.jobKinds.includes(job.kind));
    if (feature?.runJob) return feature.runJob(job);
    if (job.kind === 'handoff') return this.handoff(job.payload as { ticket: Ticket; plan: ProvisionPlan });
    if (job.kind === 'housekeeping') {
      const days = Number(this.env.AUDIT_RETENTION_DAYS ?? DEFAULT_AUDIT_RETENTION_DAYS);
      purgeAuditBefore(this.ctx.storage.sql, Date.now() - (Number.isFinite(days) && days > 0 ? days : DEFAULT_AUDIT_RETENTION_DAYS) * 86_400_000);
      forgetOldInteractions(this.ctx.storage.sql, Date.now());
      // Each gateway session leaves one "last applied" row; a day later only the newest few can still be resumed.
      this.ctx.storage.sql.exec(`DELETE FROM gateway_applied WHERE rowid NOT IN (SELECT rowid FROM gateway_applied ORDER BY rowid DESC LIMIT 32)`);
      this.housekeepingQueued = false;
      return 'done';
    }
    if (job.kind === 'log-post') {
      const cfg = this.index.config();
      if (!cfg.logChannelId) return 'done';
      const r = await this.rest.post(Routes.channelMessages(cfg.logChannelId), { body: { content: (job.payload as { content: string }).content, allowed_mentions: { parse: [] } } });
      return r.ok || (r.error.kind === 'discord' && r.error.status < 500 && r.error.status !== 429) ? 'done' : 'retry';
    }
    // Audit entries to the log webhook, in batches, until none are left.
    for (;;) {
      const rows = this.ctx.storage.sql.exec<{ id: number; entry: string }>(`SELECT id, entry FROM pending_webhook ORDER BY id LIMIT 100`).toArray();
      const last = rows.at(-1);
      if (!last) return 'done';
      if (!(await deliverLogEvent(this.env, { type: 'audit', entries: rows.map((r) => JSON.parse(r.entry)) }))) return 'retry';
      this.ctx.storage.sql.exec(`DELETE FROM pending_webhook WHERE id <= ?`, last.id);
    }
  }
}

/** Runs steps in order, synchronously until one returns a promise. */
function inOrder(steps: readonly (() => Promise<unknown> | void)[], from = 0): Promise<void> | void {
  for (let i = from; i < steps.length; i++) {
    const r = steps[i]!();
    if (r) return r.then(() => inOrder(steps, i + 1));
  }
}

/** The features living in the guild actor, in the order they see events. */
function featuresOf(host: GuildFeatureHost): GuildFeature[] {
  return [
    new GuildProtection(host),
    new GuildModeration(host),
  ];
}
