import { DurableObject } from 'cloudflare:workers';
import {
  InteractionResponseType, MessageFlags,
  type APIInteractionResponse, type APIInteractionResponseCallbackData, type APIMessageComponentInteraction,
} from 'discord-api-types/v10';
import { parseCustomId } from '../discord/custom-id.ts';
import { invokerOf, reply, type Invoker } from '../discord/interaction.ts';
import type { DiscordRest } from '../discord/rest.ts';
import { describeRestError } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import type { AuditEntry } from '../features/audit/log.ts';
import { maskPersonalData } from '../features/audit/mask.ts';
import type { Ticket } from '../features/tickets/model.ts';
import { EMPTY_SIDE, syncTicketToDiscord, type DiscordSide } from '../features/tickets/provision.ts';
import { decide, type Actor, type TicketAction, type TicketRefusal } from '../features/tickets/rules.ts';
import { isTicketStaff } from '../features/tickets/staff.ts';
import { TICKET_MIGRATIONS, TicketStore, type ProvisionPlan } from '../features/tickets/ticket-store.ts';
import { closeConfirmation, ephemeral, statusLabel, TicketButtons, ticketEmbed } from '../features/tickets/views.ts';
import { migrate } from './migrate.ts';
import { Outbox, type Job, type JobResult } from './outbox.ts';
import { guildActor, restFor } from './rest.ts';
import { forgetOldInteractions, rememberResponse, seenResponse } from './seen.ts';

/** A change requested by a guild command or the staff API, acted on inside the ticket. */
export type TicketRequest =
  | { kind: 'act'; action: TicketAction; expectedVersion?: number }
  | { kind: 'close-request'; reason: string | null }
  | { kind: 'show' };

export type ActOutcome = { ok: true; ticket: Ticket } | { ok: false; refusal: TicketRefusal; ticket: Ticket };

type TicketJob = 'sync' | 'notify';

const success: Record<TicketAction['kind'], (t: Ticket) => string> = {
  claim: (t) => `You claimed ticket #${t.number}.`,
  assign: (t) => `Ticket #${t.number} is now assigned to <@${t.assigneeId}>.`,
  'set-status': (t) => `Ticket #${t.number} is now ${statusLabel(t.status)}.`,
  close: (t) => `Ticket #${t.number} closed.`,
  reopen: (t) => `Ticket #${t.number} reopened.`,
};

/**
 * One Durable Object per ticket: the record with its version, its history,
 * and the work that keeps its Discord thread in line. Every change is decided
 * and written with no await in between, so concurrent presses serialize.
 */
export class TicketActor extends DurableObject<Env> {
  private readonly store: TicketStore;
  private readonly outbox: Outbox<TicketJob>;
  private readonly rest: DiscordRest;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, ctx.storage, TICKET_MIGRATIONS);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS pending_audit (id INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)`);
    this.store = new TicketStore(ctx.storage.sql);
    this.rest = restFor(env, ctx);
    this.outbox = new Outbox({ sql: ctx.storage.sql, storage: ctx.storage, waitUntil: (p) => ctx.waitUntil(p) }, (job) => this.runJob(job));
  }

  /** Stores a new ticket and starts provisioning its thread. Idempotent for the same id. */
  async create(ticket: Ticket, plan: ProvisionPlan): Promise<Ticket> {
    const existing = this.store.load();
    if (existing) return existing;
    this.store.save(ticket, 'open');
    this.store.setMeta('plan', plan);
    this.outbox.enqueue('sync', null, { lane: 'discord', dedupe: 'sync' });
    this.outbox.kick();
    return ticket;
  }

  /** The ticket with its status history, for staff views and tests. */
  async snapshot(): Promise<{ ticket: Ticket | null; history: ReturnType<TicketStore['history']>; side: DiscordSide; pendingJobs: number }> {
    return { ticket: this.store.load(), history: this.store.history(), side: this.side(), pendingJobs: this.outbox.pending() };
  }

  /** Applies a change for a caller that has already established who is acting (guild commands, staff API). */
  async request(req: TicketRequest, actor: Actor): Promise<{ outcome: ActOutcome; reply: APIInteractionResponseCallbackData }> {
    const t = this.store.load();
    if (!t) throw new Error('ticket does not exist');
    switch (req.kind) {
      case 'show':
        return { outcome: { ok: true, ticket: t }, reply: { embeds: [ticketEmbed(t)], flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } };
      case 'close-request': {
        const check = decide(t, { kind: 'close', reason: req.reason }, actor, Date.now());
        if (!check.ok) return { outcome: { ok: false, refusal: check.error, ticket: t }, reply: ephemeral(check.error.message) };
        this.store.setPendingClose(actor.userId, req.reason ? maskPersonalData(req.reason) : null);
        return { outcome: { ok: true, ticket: t }, reply: closeConfirmation(t, req.reason) };
      }
      case 'act': {
        const outcome = this.act(req.action, actor, req.expectedVersion);
        return { outcome, reply: ephemeral(outcome.ok ? success[req.action.kind](outcome.ticket) : outcome.refusal.message) };
      }
    }
  }

  /** Button presses on the ticket's messages (custom_id `ticket:<action>:<id>:<version>`), as the verified raw body. */
  async handleComponent(raw: string): Promise<APIInteractionResponse> {
    const started = performance.now();
    const i = JSON.parse(raw) as APIMessageComponentInteraction;
    const seen = seenResponse(this.ctx.storage.sql, i.id);
    if (seen) return seen;
    const cid = parseCustomId(i.data.custom_id);
    const t = this.store.load();
    const invoker = invokerOf(i);
    let response: APIInteractionResponse;
    let outcome = 'ok';
    if (!t || !cid) {
      response = reply(ephemeral('This ticket no longer exists.'));
      outcome = 'refused:unknown-ticket';
    } else {
      const actor = await this.actorFor(t, invoker);
      const version = cid.extra !== undefined ? Number(cid.extra) : undefined;
      const r = this.onButton(cid.action, actor, version);
      response = r.response;
      outcome = r.outcome;
    }
    forgetOldInteractions(this.ctx.storage.sql, Date.now());
    rememberResponse(this.ctx.storage.sql, i.id, response);
    this.queueAudit({
      at: Date.now(), guildId: i.guild_id ?? '', userId: invoker.userId, action: `button ticket:${cid?.action ?? '?'}`,
      outcome, latencyMs: performance.now() - started, detail: t ? `ticket #${t.number}` : '',
    });
    return response;
  }

  async alarm(): Promise<void> {
    await this.outbox.onAlarm();
  }

  private onButton(action: string, actor: Actor, version: number | undefined): { response: APIInteractionResponse; outcome: string } {
    const t = this.store.load()!;
    const act = (a: TicketAction): { response: APIInteractionResponse; outcome: string } => {
      const o = this.act(a, actor, version);
      return o.ok
        ? { response: reply(ephemeral(success[a.kind](o.ticket))), outcome: 'ok' }
        : { response: reply(ephemeral(o.refusal.message)), outcome: `refused:${o.refusal.code}` };
    };
    switch (action) {
      case TicketButtons.claim: return act({ kind: 'claim' });
      case TicketButtons.escalate: return act({ kind: 'set-status', status: 'escalated' });
      case TicketButtons.reopen: return act({ kind: 'reopen' });
      case TicketButtons.close: {
        const check = decide(t, { kind: 'close', reason: null }, actor, Date.now(), version);
        if (!check.ok) return { response: reply(ephemeral(check.error.message)), outcome: `refused:${check.error.code}` };
        this.store.setPendingClose(actor.userId, null);
        return { response: reply(closeConfirmation(t, null)), outcome: 'ok' };
      }
      case TicketButtons.closeConfirm: {
        const reason = this.store.takePendingClose(actor.userId);
        const o = this.act({ kind: 'close', reason }, actor, version);
        const content = o.ok ? success.close(o.ticket) : o.refusal.message;
        return { response: { type: InteractionResponseType.UpdateMessage, data: { content, components: [] } }, outcome: o.ok ? 'ok' : `refused:${o.refusal.code}` };
      }
      case TicketButtons.closeCancel:
        this.store.takePendingClose(actor.userId);
        return { response: { type: InteractionResponseType.UpdateMessage, data: { content: `Ticket #${t.number} stays open.`, components: [] } }, outcome: 'ok' };
      default:
        return { response: reply(ephemeral('That button is not handled any more.')), outcome: 'refused:unknown-button' };
    }
  }

  /** Decide and write, with no await in between; then queue the Discord-side work. */
  private act(action: TicketAction, actor: Actor, expectedVersion?: number): ActOutcome {
    const t = this.store.load();
    if (!t) throw new Error('ticket does not exist');
    const d = decide(t, action, actor, Date.now(), expectedVersion);
    if (!d.ok) return { ok: false, refusal: d.error, ticket: t };
    const next = action.kind === 'close' && action.reason ? { ...d.value, closeReason: maskPersonalData(action.reason) } : d.value;
    this.store.save(next, action.kind === 'set-status' ? action.status : action.kind);
    this.outbox.enqueue('sync', null, { lane: 'discord', dedupe: 'sync' });
    this.outbox.enqueue('notify', null, { lane: 'guild', dedupe: 'notify' });
    this.outbox.kick();
    return { ok: true, ticket: next };
  }

  /** Staff by permission needs no lookup; otherwise the guild's staff role decides (fresh on every action). */
  private async actorFor(t: Ticket, inv: Invoker): Promise<Actor> {
    if (isTicketStaff(inv.permissions, inv.roles, null)) return { userId: inv.userId, isStaff: true, name: inv.name };
    const cfg = await guildActor(this.env, t.guildId).getTicketConfig();
    return { userId: inv.userId, isStaff: isTicketStaff(inv.permissions, inv.roles, cfg.staffRoleId), name: inv.name };
  }

  private queueAudit(e: AuditEntry): void {
    this.ctx.storage.sql.exec(`INSERT INTO pending_audit (entry) VALUES (?)`, JSON.stringify(e));
    this.outbox.enqueue('notify', null, { lane: 'guild', dedupe: 'notify' });
    this.outbox.kick();
  }

  private side(): DiscordSide {
    return this.store.getMeta<DiscordSide>('side') ?? EMPTY_SIDE;
  }

  private async runJob(job: Job<TicketJob>): Promise<JobResult> {
    const t = this.store.load();
    if (!t) return 'done';
    if (job.kind === 'notify') return this.notifyGuild();
    const plan = this.store.getMeta<ProvisionPlan>('plan');
    if (!plan) return 'done';
    const r = await syncTicketToDiscord({
      rest: this.rest,
      plan,
      load: () => this.store.load()!,
      saveChannel: (channelId, controlMessageId) => {
        const cur = this.store.load()!;
        this.store.save({ ...cur, channelId, controlMessageId: controlMessageId ?? cur.controlMessageId }, controlMessageId ? 'control-message' : 'channel-created');
        this.outbox.enqueue('notify', null, { lane: 'guild', dedupe: 'notify' });
      },
      side: () => this.side(),
      saveSide: (s) => this.store.setMeta('side', s),
    });
    if (r.kind === 'retry') return 'retry';
    if (r.kind === 'failed') {
      this.store.setMeta('side', { ...this.side(), error: describeRestError(r.error) });
      console.error(`ticket ${t.id}: Discord refused: ${describeRestError(r.error)}`);
    }
    return 'done';
  }

  /** Sends the ticket's current summary and its pending audit entries to the guild, in one call. */
  private async notifyGuild(): Promise<JobResult> {
    for (;;) {
      const t = this.store.load()!;
      const rows = this.ctx.storage.sql.exec<{ id: number; entry: string }>(`SELECT id, entry FROM pending_audit ORDER BY id LIMIT 100`).toArray();
      await guildActor(this.env, t.guildId).ticketChanged(t, rows.map((r) => JSON.parse(r.entry) as AuditEntry));
      const last = rows.at(-1);
      if (last) this.ctx.storage.sql.exec(`DELETE FROM pending_audit WHERE id <= ?`, last.id);
      const after = this.store.load()!;
      const more = this.ctx.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM pending_audit`).one().n;
      if (after.version === t.version && more === 0) return 'done';
    }
  }
}
