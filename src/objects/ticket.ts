import { Server, type Connection, type ConnectionContext } from 'partyserver';
import {
  InteractionResponseType, MessageFlags, Routes,
  type APIInteractionResponse, type APIInteractionResponseCallbackData, type APIMessageComponentInteraction,
} from 'discord-api-types/v10';
import { parseCustomId } from '../discord/custom-id.ts';
import { invokerOf, reply, type Invoker } from '../discord/interaction.ts';
import { describeRestError, type DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import type { AuditEntry } from '../features/audit/log.ts';
import { maskPersonalData } from '../features/audit/mask.ts';
import type { Ticket } from '../features/tickets/model.ts';
import { EMPTY_SIDE, isPermanent, skippedStepAudit, syncTicketToDiscord, type DiscordSide } from '../features/tickets/provision.ts';
import { Transcript, type TranscriptEntry } from '../features/tickets/transcript.ts';
import { canReply, decide, type Actor, type TicketAction, type TicketRefusal } from '../features/tickets/rules.ts';
import { isTicketStaff } from '../discord/staff-permissions.ts';
import { TICKET_MIGRATIONS, TicketStore, type ProvisionPlan } from '../features/tickets/store.ts';
import { closeConfirmation, ephemeral, statusLabel, TicketButtons, ticketEmbed } from '../features/tickets/views.ts';
import { migrate } from '../runtime/migrate.ts';
import { Outbox, type Job, type JobResult } from '../runtime/outbox.ts';
import { guildActor, restFor } from '../runtime/actors.ts';
import { forgetOldInteractions, rememberResponse, seenResponse } from '../runtime/seen.ts';

/** A change requested by a guild command or the staff API, acted on inside the ticket. */
export type TicketRequest =
  | { kind: 'act'; action: TicketAction; expectedVersion?: number }
  | { kind: 'close-request'; reason: string | null }
  | { kind: 'show' };

export type ActOutcome = { ok: true; ticket: Ticket } | { ok: false; refusal: TicketRefusal; ticket: Ticket };

type TicketJob = 'sync' | 'notify' | 'reply' | 'purge';

/** Staff viewing this ticket in the inbox (a socket's state survives hibernation). */
interface Viewer { userId: string; name: string }

/** What the ticket page shows, sent on connect and after every change. */
export interface TicketView {
  ticket: Ticket;
  transcript: TranscriptEntry[];
  history: ReturnType<TicketStore['history']>;
  side: DiscordSide;
}

/** A change from the staff inbox, by a user the Worker has verified as staff. */
export type StaffRequest =
  | { kind: 'act'; action: TicketAction; expectedVersion: number }
  | { kind: 'note'; text: string }
  | { kind: 'reply'; text: string };

export type StaffOutcome =
  | { ok: true; view: TicketView }
  | { ok: false; status: 409 | 422; message: string; view: TicketView };

/** How long a closed ticket's conversation is kept (TRANSCRIPT_RETENTION_DAYS overrides). */
export const DEFAULT_TRANSCRIPT_RETENTION_DAYS = 30;

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
export class TicketActor extends Server<Env> {
  static override options = { hibernate: true };
  private readonly store: TicketStore;
  private readonly transcript: Transcript;
  private readonly outbox: Outbox<TicketJob>;
  private readonly rest: DiscordRest;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, ctx.storage, TICKET_MIGRATIONS);
    this.store = new TicketStore(ctx.storage.sql);
    this.transcript = new Transcript(ctx.storage.sql);
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
        const r = this.askToClose(t, actor, req.reason);
        return { outcome: r.ok ? { ok: true, ticket: t } : { ok: false, refusal: r.refusal, ticket: t }, reply: r.reply };
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
    rememberResponse(this.ctx.storage.sql, i.id, response);
    this.queueAudit({
      at: Date.now(), guildId: i.guild_id ?? '', userId: invoker.userId, action: `button ticket:${cid?.action ?? '?'}`,
      outcome, latencyMs: performance.now() - started, detail: t ? `ticket #${t.number}` : '',
    });
    return response;
  }

  override async onAlarm(): Promise<void> {
    await this.outbox.onAlarm();
  }

  /** The staff page's data. */
  async view(): Promise<TicketView | null> {
    return this.currentView();
  }

  private currentView(): TicketView | null {
    const ticket = this.store.load();
    return ticket ? { ticket, transcript: this.transcript.all(), history: this.store.history(), side: this.side() } : null;
  }

  /**
   * A message in the ticket's thread (the gateway's MESSAGE_CREATE, via the
   * guild). The opener's messages are the member's side; anyone else who can
   * write in the private thread is staff, and their first message is the
   * first response. Replays of the same message are stored once.
   */
  async recordMessage(m: { id: string; authorId: string; authorName: string; content: string; at: number }): Promise<boolean> {
    const t = this.store.load();
    if (!t) return false;
    const kind = m.authorId === t.openerId ? 'member' : 'staff';
    if (this.transcript.add({ at: m.at, kind, authorId: m.authorId, authorName: m.authorName, content: m.content, discordMessageId: m.id }) === null) return false;
    this.touch(t, kind, m.at);
    return true;
  }

  /** Actions from the staff inbox; the caller has checked that `by` is staff right now. */
  async staffRequest(req: StaffRequest, by: { userId: string; name: string }): Promise<StaffOutcome> {
    const t = this.store.load();
    if (!t) throw new Error('ticket does not exist');
    const now = Date.now();
    if (req.kind === 'act') {
      const o = this.act(req.action, { userId: by.userId, name: by.name, isStaff: true }, req.expectedVersion);
      this.queueAudit({ at: now, guildId: t.guildId, userId: by.userId, action: `inbox ${req.action.kind}`, outcome: o.ok ? 'ok' : `refused:${o.refusal.code}`, latencyMs: 0, detail: `ticket #${t.number}` });
      const view = this.currentView()!;
      if (o.ok) return { ok: true, view };
      return o.refusal.code === 'stale-version'
        ? { ok: false, status: 409, message: `Changed by ${o.refusal.changedBy} — refreshed. It is now ${o.ticket.status}${o.ticket.assigneeName ? `, with ${o.ticket.assigneeName}` : ''}.`, view }
        : { ok: false, status: 422, message: o.refusal.message, view };
    }
    const replyable = req.kind === 'reply' ? canReply(t) : null;
    if (replyable && !replyable.ok) return { ok: false, status: 409, message: replyable.error, view: this.currentView()! };
    const text = req.text.trim();
    if (!text || text.length > 2000) return { ok: false, status: 422, message: 'Write between 1 and 2000 characters.', view: this.currentView()! };
    const id = this.transcript.add({ at: now, kind: req.kind === 'note' ? 'note' : 'staff', authorId: by.userId, authorName: by.name, content: text, discordMessageId: null });
    if (req.kind === 'reply') {
      this.outbox.enqueue('reply', { transcriptId: id }, { lane: 'discord' });
      this.touch(t, 'staff', now);
    } else {
      this.broadcastView();
    }
    this.queueAudit({ at: now, guildId: t.guildId, userId: by.userId, action: `inbox ${req.kind}`, outcome: 'ok', latencyMs: 0, detail: `ticket #${t.number}` });
    return { ok: true, view: this.currentView()! };
  }

  override async onConnect(conn: Connection<Viewer>, ctx: ConnectionContext): Promise<void> {
    // The Worker verified the staff link and put the user here; clients cannot set these headers.
    conn.setState({ userId: ctx.request.headers.get('X-Guildkeep-User') ?? '?', name: ctx.request.headers.get('X-Guildkeep-Name') ?? 'staff' });
    conn.send(JSON.stringify({ type: 'view', view: this.currentView() }));
    this.broadcastPresence();
  }

  override onClose(): void {
    this.broadcastPresence();
  }

  override onMessage(): void {
    // The ticket page only listens; changes go through the staff API so each carries its version.
  }

  private broadcastPresence(): void {
    const viewers = new Map<string, Viewer>();
    for (const c of this.getConnections<Viewer>()) if (c.state) viewers.set(c.state.userId, c.state);
    this.broadcast(JSON.stringify({ type: 'presence', viewers: [...viewers.values()] }));
  }

  /** Only when someone is watching: a button press with no staff page open should not read the transcript. */
  private broadcastView(): void {
    if (this.getConnections()[Symbol.iterator]().next().done) return;
    const view = this.currentView();
    if (view) this.broadcast(JSON.stringify({ type: 'view', view }));
  }

  /** A conversation line changed the triage timestamps: save (no version bump: it is not a staff edit) and tell everyone. */
  private touch(t: Ticket, kind: 'member' | 'staff', at: number): void {
    const next = kind === 'member' ? { ...t, lastMemberMessageAt: at, updatedAt: Date.now() } : { ...t, firstResponseAt: t.firstResponseAt ?? at, updatedAt: Date.now() };
    this.store.saveQuietly(next);
    this.outbox.enqueue('notify', null, { lane: 'guild', dedupe: 'notify' });
    this.outbox.kick();
    this.broadcastView();
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
        const r = this.askToClose(t, actor, null, version);
        return { response: reply(r.reply), outcome: r.ok ? 'ok' : `refused:${r.refusal.code}` };
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

  /**
   * The first step of closing (button or /ticket close): check that this
   * actor may close it, remember the reason, and ask for confirmation.
   */
  private askToClose(t: Ticket, actor: Actor, reason: string | null, version?: number):
    { ok: true; reply: APIInteractionResponseCallbackData } | { ok: false; refusal: TicketRefusal; reply: APIInteractionResponseCallbackData } {
    const check = decide(t, { kind: 'close', reason }, actor, Date.now(), version);
    if (!check.ok) return { ok: false, refusal: check.error, reply: ephemeral(check.error.message) };
    this.store.setPendingClose(actor.userId, reason ? maskPersonalData(reason) : null);
    return { ok: true, reply: closeConfirmation(t, reason) };
  }

  /** Decide and write, with no await in between; then queue the Discord-side work. */
  private act(action: TicketAction, actor: Actor, expectedVersion?: number): ActOutcome {
    const t = this.store.load();
    if (!t) throw new Error('ticket does not exist');
    const d = decide(t, action, actor, Date.now(), expectedVersion);
    if (!d.ok) return { ok: false, refusal: d.error, ticket: t };
    const next = action.kind === 'close' && action.reason ? { ...d.value, closeReason: maskPersonalData(action.reason) } : d.value;
    this.store.save(next, action.kind === 'set-status' ? action.status : action.kind);
    // The guild (and so the staff inbox) first; Discord's side right after.
    this.outbox.enqueue('notify', null, { lane: 'guild', dedupe: 'notify' });
    this.outbox.enqueue('sync', null, { lane: 'discord', dedupe: 'sync' });
    if (next.status === 'closed') this.outbox.enqueue('purge', { closedAt: next.closedAt }, { lane: 'purge', delayMs: this.retentionMs() });
    this.outbox.kick();
    this.broadcastView();
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

  private retentionMs(): number {
    const days = Number(this.env.TRANSCRIPT_RETENTION_DAYS ?? DEFAULT_TRANSCRIPT_RETENTION_DAYS);
    return (Number.isFinite(days) && days > 0 ? days : DEFAULT_TRANSCRIPT_RETENTION_DAYS) * 86_400_000;
  }

  private async runJob(job: Job<TicketJob>): Promise<JobResult> {
    const t = this.store.load();
    if (!t) return 'done';
    if (job.kind === 'notify') return this.notifyGuild();
    if (job.kind === 'reply') return this.postReply(t, (job.payload as { transcriptId: number }).transcriptId);
    if (job.kind === 'purge') {
      // Only if the ticket is still closed, and by the close this job was made for (a reopen and re-close makes a newer job).
      if (t.status === 'closed' && t.closedAt === (job.payload as { closedAt: number }).closedAt) {
        this.transcript.purge();
        forgetOldInteractions(this.ctx.storage.sql, Date.now());
        this.broadcastView();
      }
      return 'done';
    }
    const plan = this.store.getMeta<ProvisionPlan>('plan');
    if (!plan) return 'done';
    const r = await syncTicketToDiscord({
      rest: this.rest,
      plan,
      load: () => this.store.load()!,
      saveControlMessage: (controlMessageId) => this.store.saveQuietly({ ...this.store.load()!, controlMessageId }),
      side: () => this.side(),
      saveSide: (s) => this.store.setMeta('side', s),
      skipped: (step, e) => this.queueAudit(skippedStepAudit(t, step, e, Date.now())),
    });
    if (r.kind === 'retry') return 'retry';
    if (r.kind === 'failed') {
      this.store.setMeta('side', { ...this.side(), error: describeRestError(r.error) });
      console.error(`ticket ${t.id}: Discord refused: ${describeRestError(r.error)}`);
    }
    return 'done';
  }

  /** Posts a staff reply from the inbox into the ticket's thread, as the bot, naming the staff member. */
  private async postReply(t: Ticket, transcriptId: number): Promise<JobResult> {
    const entry = this.transcript.get(transcriptId);
    if (!entry || entry.discordMessageId || !t.channelId) return 'done';
    const r = await this.rest.post<{ id: string }>(Routes.channelMessages(t.channelId), {
      body: { content: `**${entry.authorName}** (staff): ${entry.content}`.slice(0, 2000), allowed_mentions: { parse: [] } },
    });
    if (!r.ok && !isPermanent(r.error)) return 'retry';
    if (!r.ok) {
      this.transcript.setError(transcriptId, describeRestError(r.error));
      this.broadcastView();
      return 'done';
    }
    this.transcript.setDiscordMessage(transcriptId, r.value.id);
    this.broadcastView();
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
