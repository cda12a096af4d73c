import type {
  APIInteractionResponse,
  APIInteractionResponseCallbackData,
  APIMessageComponentInteraction,
  APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import { type Connection, type ConnectionContext, Server } from 'partyserver';
import type { Env } from '../env.ts';
import type { Ticket } from '../features/tickets/model.ts';
import type { DiscordSide } from '../features/tickets/provision.ts';
import type { Actor } from '../features/tickets/rules.ts';
import { type ProvisionPlan, TICKET_MIGRATIONS, type TicketStore } from '../features/tickets/store.ts';
import type { ActOutcome, ThreadMessage, TicketPort, TicketRequest, TranscriptRequest } from '../features/tickets/ticket-port.ts';
import { type StaffOutcome, type StaffRequest, TicketSide, type TicketView } from '../features/tickets/ticket-side.ts';
import { AlarmMux } from '../runtime/alarms.ts';
import { migrateFeatures } from '../runtime/migrations.ts';
import { Outbox } from '../runtime/outbox.ts';
import { restFor } from '../runtime/rest-client.ts';
import { Scheduler } from '../runtime/scheduler.ts';
import { guildActor } from '../runtime/stubs.ts';

export { DEFAULT_TRANSCRIPT_RETENTION_DAYS } from '../features/tickets/ticket-side.ts';
export type { ActOutcome, StaffOutcome, StaffRequest, TicketRequest, TicketView };

/** Positions of today's names in the positional `_migrations` list this actor kept before named migrations. */
const LEGACY = [
  ['tickets', 'record'],
  ['tickets', 'transcript'],
] as const;

/** Staff viewing this ticket in the inbox (a socket's state survives hibernation). */
interface Viewer {
  userId: string;
  name: string;
}

/**
 * One Durable Object per ticket: wiring only. The ticket's rules, texts and
 * Discord work are the tickets feature's (TicketSide); this loads it with
 * its storage, jobs, timers and room, and answers RPCs.
 */
export class TicketActor extends Server<Env> implements TicketPort {
  static override options = { hibernate: true };
  private readonly ticket: TicketSide;
  private readonly outbox: Outbox<string>;
  private readonly scheduler: Scheduler;
  private readonly alarms: AlarmMux;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    migrateFeatures(sql, ctx.storage, [{ feature: 'tickets', migrations: TICKET_MIGRATIONS }], LEGACY);
    this.alarms = new AlarmMux(ctx.storage);
    this.outbox = new Outbox({ sql, alarms: this.alarms, waitUntil: (p) => ctx.waitUntil(p) }, (job) => this.ticket.runJob(job));
    this.scheduler = new Scheduler({ sql, alarms: this.alarms }, (t) => this.ticket.runTimer(t));
    this.ticket = new TicketSide({
      sql,
      rest: restFor(env, ctx),
      enqueue: (kind, payload, opts) => this.outbox.enqueue(kind, payload, opts),
      kick: () => this.outbox.kick(),
      timers: this.scheduler,
      watched: () => !this.getConnections()[Symbol.iterator]().next().done,
      broadcast: (m) => this.broadcast(m),
      guild: (guildId) => guildActor(env, guildId),
      retentionDays: env.TRANSCRIPT_RETENTION_DAYS,
    });
  }

  async create(ticket: Ticket, plan: ProvisionPlan): Promise<Ticket> {
    return this.ticket.create(ticket, plan);
  }

  /** The ticket with its status history, for staff views and tests. */
  async snapshot(): Promise<{ ticket: Ticket | null; history: ReturnType<TicketStore['history']>; side: DiscordSide; pendingJobs: number }> {
    return { ticket: this.ticket.store.load(), history: this.ticket.store.history(), side: this.ticket.side(), pendingJobs: this.outbox.pending() };
  }

  async request(req: TicketRequest, actor: Actor): Promise<{ outcome: ActOutcome; reply: APIInteractionResponseCallbackData }> {
    return this.ticket.request(req, actor);
  }

  /** Button presses on the ticket's messages and its survey form (in a guild or the opener's DMs), as the verified raw body. */
  async handleComponent(raw: string): Promise<APIInteractionResponse> {
    return this.ticket.component(JSON.parse(raw) as APIMessageComponentInteraction | APIModalSubmitInteraction);
  }

  async recordMessage(m: ThreadMessage): Promise<boolean> {
    return this.ticket.recordMessage(m);
  }

  /** Queues the transcript file for a deferred /ticket transcript reply. */
  async sendTranscript(req: TranscriptRequest): Promise<void> {
    this.ticket.transcripts.sendTranscript(req);
  }

  /** The staff transcript as one HTML document (the inbox serves it); null for a ticket that does not exist. */
  async transcriptHtml(): Promise<string | null> {
    return this.ticket.transcripts.staffTranscript()?.html ?? null;
  }

  async staffRequest(req: StaffRequest, by: { userId: string; name: string }): Promise<StaffOutcome> {
    return this.ticket.staffRequest(req, by);
  }

  /** The staff page's data. */
  async view(): Promise<TicketView | null> {
    return this.ticket.view();
  }

  /** Timers not yet run (for tests and diagnostics). */
  async timers(): Promise<{ key: string; kind: string; at: number; every: number | null }[]> {
    return this.scheduler.list();
  }

  override async onAlarm(): Promise<void> {
    this.alarms.fired();
    // Timers first and apart from the outbox: a due timer never waits behind a job.
    await Promise.all([this.scheduler.runDue(), this.outbox.onAlarm()]);
  }

  override async onConnect(conn: Connection<Viewer>, ctx: ConnectionContext): Promise<void> {
    // The Worker verified the staff link and put the user here; clients cannot set these headers.
    conn.setState({ userId: ctx.request.headers.get('X-Guildkeep-User') ?? '?', name: ctx.request.headers.get('X-Guildkeep-Name') ?? 'staff' });
    conn.send(JSON.stringify({ type: 'view', view: this.ticket.view() }));
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
}
