import { DurableObject } from 'cloudflare:workers';
import {
  InteractionType, Routes,
  type APIChatInputApplicationCommandInteraction, type APIInteraction, type APIInteractionResponse,
  type APIMessageComponentInteraction, type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import { parseCustomId } from '../discord/custom-id.ts';
import { invokerOf, reply, subcommandOf } from '../discord/interaction.ts';
import { describeRestError, type DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import { AUDIT_SCHEMA, insertAudit, readAudit, type AuditEntry } from '../features/audit/log.ts';
import { deliverLogEvent } from '../features/audit/webhook.ts';
import { GUILD_TICKET_MIGRATIONS, GuildTicketIndex, type TicketConfig } from '../features/tickets/guild-index.ts';
import { handleTicketCommand, handleTicketGuildComponent, handleTicketModal, type GuildTicketHost, type Handled } from '../features/tickets/guild-commands.ts';
import type { Ticket } from '../features/tickets/model.ts';
import { createTicketChannel, isPermanent } from '../features/tickets/provision.ts';
import type { ProvisionPlan } from '../features/tickets/ticket-store.ts';
import { ephemeral, type TicketListRow } from '../features/tickets/views.ts';
import { migrate } from './migrate.ts';
import { Outbox, type Job, type JobResult } from './outbox.ts';
import { restFor, ticketActor } from './rest.ts';
import { forgetOldInteractions, rememberResponse, seenResponse } from './seen.ts';

type GuildJob = 'webhook' | 'log-post' | 'handoff';

/**
 * One Durable Object per guild: configuration, the ticket index, the audit
 * log. A thin shell: features decide, this persists and audits.
 */
export class GuildActor extends DurableObject<Env> {
  private readonly index: GuildTicketIndex;
  private readonly outbox: Outbox<GuildJob>;
  private readonly rest: DiscordRest;
  private nextSeenCleanup = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, ctx.storage, [...GUILD_TICKET_MIGRATIONS, AUDIT_SCHEMA, `CREATE TABLE pending_webhook (id INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)`]);
    this.index = new GuildTicketIndex(ctx.storage.sql);
    this.rest = restFor(env, ctx);
    this.outbox = new Outbox({ sql: ctx.storage.sql, storage: ctx.storage, waitUntil: (p) => ctx.waitUntil(p) }, (job) => this.runJob(job));
  }

  /** Commands and guild-owned components/modals, straight from the Worker (verified raw body). */
  async handleInteraction(raw: string): Promise<APIInteractionResponse> {
    const started = performance.now();
    const i = JSON.parse(raw) as APIInteraction;
    const seen = seenResponse(this.ctx.storage.sql, i.id);
    if (seen) return seen;
    if (Date.now() > this.nextSeenCleanup) {
      forgetOldInteractions(this.ctx.storage.sql, Date.now());
      this.nextSeenCleanup = Date.now() + 10 * 60_000;
    }
    const host = this.ticketHost(i);
    let handled: Handled;
    let action: string;
    switch (i.type) {
      case InteractionType.ApplicationCommand: {
        const call = subcommandOf(i as APIChatInputApplicationCommandInteraction);
        action = `/${call.path}`;
        handled = await handleTicketCommand(host, i as APIChatInputApplicationCommandInteraction, call);
        break;
      }
      case InteractionType.MessageComponent: {
        const cid = parseCustomId((i as APIMessageComponentInteraction).data.custom_id);
        action = `button ${cid?.feature}:${cid?.action}`;
        handled = handleTicketGuildComponent(host, i as APIMessageComponentInteraction, cid);
        break;
      }
      case InteractionType.ModalSubmit: {
        const cid = parseCustomId((i as APIModalSubmitInteraction).data.custom_id);
        action = `modal ${cid?.feature}:${cid?.action}`;
        handled = await handleTicketModal(host, i as APIModalSubmitInteraction, cid);
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

  async alarm(): Promise<void> {
    await this.outbox.onAlarm();
  }

  private audit(e: AuditEntry): void {
    insertAudit(this.ctx.storage.sql, e);
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
      } else if (isPermanent(r.error)) {
        finalPlan = { ...plan, channelError: describeRestError(r.error) };
      } else {
        return 'retry';
      }
    }
    await ticketActor(this.env, ticket.id).create({ ...ticket, channelId }, finalPlan);
    return 'done';
  }

  private ticketHost(i: APIInteraction): GuildTicketHost {
    return {
      guildId: i.guild_id ?? '',
      applicationId: this.env.DISCORD_APPLICATION_ID || i.application_id,
      index: this.index,
      sql: this.ctx.storage.sql,
      ticket: (id) => ticketActor(this.env, id),
      handoff: (t, plan) => {
        this.outbox.enqueue('handoff', { ticket: t, plan }, { lane: `handoff:${t.id}`, dedupe: `handoff:${t.id}` });
        this.outbox.kick();
      },
    };
  }

  private async runJob(job: Job<GuildJob>): Promise<JobResult> {
    if (job.kind === 'handoff') return this.handoff(job.payload as { ticket: Ticket; plan: ProvisionPlan });
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

