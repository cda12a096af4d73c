import {
  type APIInteractionResponse,
  type APIInteractionResponseCallbackData,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  Routes,
} from 'discord-api-types/v10';
import { parseCustomId } from '../../discord/custom-id.ts';
import { isPermanent } from '../../discord/errors.ts';
import { ephemeral, reply } from '../../discord/handled.ts';
import { type Invoker, invokerOf } from '../../discord/interaction.ts';
import { type DiscordRest, describeRestError } from '../../discord/rest.ts';
import { isTicketStaff } from '../../discord/staff-permissions.ts';
import { t as tr } from '../../i18n/index.ts';
import { text as message, render, type Text } from '../../i18n/text.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerControl, TimerResult } from '../../runtime/scheduler.ts';
import { forgetOldInteractions, rememberResponse, seenResponse } from '../../runtime/seen.ts';
import type { AuditEntry } from '../audit/log.ts';
import { maskPersonalData } from '../audit/mask.ts';
import type { TicketConfig } from './guild-index.ts';
import type { Ticket } from './model.ts';
import { fillPlaceholders, namesStaff } from './organize/rules.ts';
import { runTransfer, type TransferPost } from './organize/transfer.ts';
import { placeholderValues } from './organize/views.ts';
import { type DiscordSide, EMPTY_SIDE, MAX_MESSAGE_CONTENT, skippedStepAudit, syncTicketToDiscord } from './provision.ts';
import { RATING_JOB, TicketRatings } from './ratings/ticket-ratings.ts';
import { type Actor, canReply, decide, selectKey, type TicketAction, type TicketRefusal } from './rules.ts';
import { type ProvisionPlan, TicketStore } from './store.ts';
import type { ActOutcome, ThreadMessage, TicketRequest, TranscriptRequest, TransferPlan } from './ticket-port.ts';
import { TicketTranscripts, TRANSCRIPT_JOB, TRANSCRIPT_REPLY_JOB } from './ticket-transcripts.ts';
import { Transcript, type TranscriptEntry } from './transcript.ts';
import { TicketUpkeep, UPKEEP_JOB, UPKEEP_TIMER, type UpkeepPost } from './upkeep/upkeep.ts';
import { closeConfirmation, statusLabel, TicketButtons, ticketEmbed } from './views.ts';

/** Job kinds in a ticket's actor. */
export const TICKET_JOBS = {
  sync: 'sync',
  notify: 'notify',
  reply: 'reply',
  transcript: TRANSCRIPT_JOB,
  transcriptReply: TRANSCRIPT_REPLY_JOB,
  /** A message of the ticket's clocks (SLA warning or breach, reminder, auto-close warning, close request). */
  upkeep: UPKEEP_JOB,
  /** The opener's rating ask after a close (DM, or the conversation when DMs are closed). */
  rating: RATING_JOB,
  /** A transfer's Discord side: the new team's access, the channel's place, the notice. */
  transfer: 'ticket-transfer',
} as const;

/** Timer kinds in a ticket's actor: the transcript's end of retention after a close, and the upkeep clocks (SLA, reminders, auto-close, close requests). */
export const TICKET_TIMERS = { purge: 'purge', upkeep: UPKEEP_TIMER } as const;

/** How long a closed ticket's conversation is kept (TRANSCRIPT_RETENTION_DAYS overrides). */
export const DEFAULT_TRANSCRIPT_RETENTION_DAYS = 30;

/** What the ticket page shows, sent on connect and after every change. */
export interface TicketView {
  ticket: Ticket;
  transcript: TranscriptEntry[];
  history: ReturnType<TicketStore['history']>;
  side: DiscordSide;
}

/** A change from the staff inbox, by a user the Worker has verified as staff. */
export type StaffRequest = { kind: 'act'; action: TicketAction; expectedVersion: number } | { kind: 'note'; text: string } | { kind: 'reply'; text: string };

export type StaffOutcome = { ok: true; view: TicketView } | { ok: false; status: 409 | 422; message: string; view: TicketView };

/** What the ticket's guild answers: its ticket configuration, and the ticket's latest state with its audit entries. */
export interface GuildPort {
  getTicketConfig(): Promise<TicketConfig>;
  ticketChanged(t: Ticket, audit: AuditEntry[]): Promise<void>;
}

/** What the TicketActor lends the ticket: its database, Discord client, jobs, timers, room and guild. */
export interface TicketHost {
  sql: SqlStorage;
  rest: DiscordRest;
  enqueue(kind: string, payload: unknown, opts?: { lane?: string; dedupe?: string }): void;
  kick(): void;
  timers: TimerControl;
  /** Whether anyone is watching the ticket's page (reading the transcript for nobody is waste). */
  watched(): boolean;
  broadcast(message: string): void;
  guild(guildId: string): GuildPort;
  /** TRANSCRIPT_RETENTION_DAYS as configured (may be absent or malformed). */
  retentionDays: string | undefined;
}

/** What the actor is told after a change, in their language. */
const success = (kind: TicketAction['kind'], t: Ticket, locale?: string | null): string =>
  kind === 'tag'
    ? tr(locale, 'ticket.tag.done', { number: String(t.number), hasTags: t.tags?.length ? 'yes' : 'no', tags: (t.tags ?? []).map((x) => `\`${x}\``).join(' ') })
    : kind === 'transfer'
      ? tr(locale, 'ticket.transfer.done', { number: String(t.number), category: t.category?.name ?? '' })
      : tr(locale, 'ticket.done', {
          action: selectKey(kind),
          number: String(t.number),
          user: t.assigneeId ?? '',
          status: statusLabel(t.status, locale ?? undefined),
        });

/** A refusal in the actor's language. */
const refusalText = (r: TicketRefusal, locale?: string | null): string => render(locale, r.text);

/**
 * One ticket inside its actor: decisions, texts and Discord work. Every
 * change is decided and written with no await in between, so concurrent
 * presses serialize.
 */
export class TicketSide {
  readonly store: TicketStore;
  readonly transcript: Transcript;
  private readonly host: TicketHost;
  private readonly upkeep: TicketUpkeep;
  private readonly ratings: TicketRatings;
  readonly transcripts: TicketTranscripts;

  constructor(host: TicketHost) {
    this.host = host;
    this.store = new TicketStore(host.sql);
    this.transcript = new Transcript(host.sql);
    this.upkeep = new TicketUpkeep(
      {
        ...host,
        act: (action, actor) => this.act(action, actor),
        audit: (action, detail) => {
          const t = this.store.load();
          this.queueAudit({ at: now(), guildId: t?.guildId ?? '', userId: '', action, outcome: 'ok', latencyMs: 0, detail });
        },
      },
      this.store,
    );
    this.transcripts = new TicketTranscripts(
      {
        ...host,
        config: (guildId) => host.guild(guildId).getTicketConfig(),
        guildLocale: () => this.guildLocale(),
        skipped: (t, step, e) => this.queueAudit(skippedStepAudit(t, step, e, now())),
      },
      this.store,
      this.transcript,
    );
    this.ratings = new TicketRatings(
      {
        rest: host.rest,
        config: (guildId) => host.guild(guildId).getTicketConfig(),
        saveQuietly: (t) => {
          this.store.saveQuietly({ ...t, updatedAt: now() });
          this.host.enqueue(TICKET_JOBS.notify, null, { lane: 'guild', dedupe: 'notify' });
          this.host.kick();
          this.broadcastView();
        },
        skipped: (t, step, e) => this.queueAudit(skippedStepAudit(t, step, e, now())),
      },
      this.store,
    );
  }

  /** Stores a new ticket and starts provisioning its thread; answers the ticket as stored (with its SLA clocks). Idempotent for the same id. */
  create(ticket: Ticket, plan: ProvisionPlan): Ticket {
    const existing = this.store.load();
    if (existing) return existing;
    this.store.setMeta('plan', plan);
    const withClocks = this.upkeep.changed(null, ticket, ticket.createdAt);
    this.store.save(withClocks, 'open');
    this.host.enqueue(TICKET_JOBS.sync, null, { lane: 'discord', dedupe: 'sync' });
    this.host.kick();
    // With its SLA due times: the guild's hand-off writes them to its index from this answer, rather than
    // this actor calling back (one turn less in the guild actor per new ticket).
    return withClocks;
  }

  /** The guild's language (from the plan stored at creation), for the staff inbox and channel posts. */
  private guildLocale(): string | undefined {
    return this.store.getMeta<ProvisionPlan>('plan')?.guildLocale ?? undefined;
  }

  side(): DiscordSide {
    return this.store.getMeta<DiscordSide>('side') ?? EMPTY_SIDE;
  }

  view(): TicketView | null {
    const ticket = this.store.load();
    return ticket ? { ticket, transcript: this.transcript.all(), history: this.store.history(), side: this.side() } : null;
  }

  /** Applies a change for a caller that has already established who is acting (guild commands, staff API). */
  request(req: TicketRequest, actor: Actor): { outcome: ActOutcome; reply: APIInteractionResponseCallbackData } {
    const t = this.store.load();
    if (!t) throw new Error('ticket does not exist');
    switch (req.kind) {
      case 'show':
        return {
          outcome: { ok: true, ticket: t },
          reply: { embeds: [ticketEmbed(t, actor.locale ?? undefined)], flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
        };
      case 'close-request': {
        const r = this.askToClose(t, actor, req.reason);
        return { outcome: r.ok ? { ok: true, ticket: t } : { ok: false, refusal: r.refusal, ticket: t }, reply: r.reply };
      }
      case 'opener-left': {
        const closes = this.upkeep.policy()?.closeWhenOpenerLeaves === true && t.status !== 'closed';
        const o = closes ? this.act({ kind: 'close', reason: tr(this.guildLocale(), 'ticket.autoclose.left') }, actor) : null;
        return { outcome: o ?? { ok: true, ticket: t }, reply: ephemeral('') };
      }
      case 'ask-member-to-close':
      case 'auto-close': {
        const l = actor.locale ?? undefined;
        const refuse = (text: string) => ({ outcome: { ok: true as const, ticket: t }, reply: ephemeral(text) });
        if (!actor.isStaff) return refuse(tr(l, 'ticket.upkeep.staff-only'));
        if (t.status === 'closed' || t.status === 'resolved') return refuse(tr(l, 'ticket.upkeep.not-live', { number: String(t.number) }));
        if (req.kind === 'auto-close') {
          this.upkeep.setAutoClose(t, req.on);
          return refuse(tr(l, req.on ? 'ticket.autoclose.ticket-on' : 'ticket.autoclose.ticket-off', { number: String(t.number) }));
        }
        this.upkeep.requestClose(t, { userId: actor.userId, name: actor.name ?? actor.userId }, req.reason ? maskPersonalData(req.reason) : null, req.delayMin);
        this.queueAudit({
          at: now(),
          guildId: t.guildId,
          userId: actor.userId,
          action: 'ticket closerequest',
          outcome: 'ok',
          latencyMs: 0,
          detail: `ticket #${t.number}`,
        });
        return refuse(tr(l, 'ticket.closerequest.sent', { number: String(t.number), at: Math.floor((now() + req.delayMin * 60_000) / 1000) }));
      }
      case 'reply': {
        const r = this.queueReply(t, { userId: actor.userId, name: actor.name ?? actor.userId }, req.text, req.staffShownAs);
        const l = actor.locale ?? undefined;
        if (!r.ok)
          return {
            outcome: { ok: false, refusal: { code: 'closed', message: render('en', r.error), text: r.error }, ticket: t },
            reply: ephemeral(render(l, r.error)),
          };
        return { outcome: { ok: true, ticket: t }, reply: ephemeral(tr(l, 'ticket.snippet.sent', { name: req.label, number: String(t.number) })) };
      }
      case 'transfer': {
        const outcome = this.act({ kind: 'transfer', to: req.to }, actor, undefined, req.plan);
        return { outcome, reply: ephemeral(outcome.ok ? success('transfer', outcome.ticket, actor.locale) : refusalText(outcome.refusal, actor.locale)) };
      }
      case 'act': {
        const outcome = this.act(req.action, actor, req.expectedVersion);
        return { outcome, reply: ephemeral(outcome.ok ? success(req.action.kind, outcome.ticket, actor.locale) : refusalText(outcome.refusal, actor.locale)) };
      }
    }
  }

  /**
   * Button presses on the ticket's messages (custom_id `ticket:<action>:<id>:<version>`) and the exit survey form,
   * answered once per interaction id. Ratings come from the opener's DMs too (no guild, no member).
   */
  async component(i: APIMessageComponentInteraction | APIModalSubmitInteraction): Promise<APIInteractionResponse> {
    const started = performance.now();
    const seen = seenResponse(this.host.sql, i.id);
    if (seen) return seen;
    const cid = parseCustomId(i.data.custom_id);
    const t = this.store.load();
    const invoker = invokerOf(i);
    let response: APIInteractionResponse;
    let outcome = 'ok';
    if (!t || !cid) {
      response = reply(ephemeral(tr(i.locale, 'ticket.gone')));
      outcome = 'refused:unknown-ticket';
    } else if (cid.action === TicketButtons.rate || cid.action === TicketButtons.survey) {
      // Decided and saved before any await: only the opener's own identity matters, no staff lookup.
      const r =
        cid.action === TicketButtons.survey && i.type === InteractionType.ModalSubmit
          ? this.ratings.submit(t, i, invoker.userId, cid.extra, i.locale)
          : this.ratings.press(t, invoker.userId, cid.extra, i.locale);
      response = r.response;
      outcome = r.outcome;
    } else if (i.type === InteractionType.ModalSubmit) {
      response = reply(ephemeral(tr(i.locale, 'common.form-unknown')));
      outcome = 'refused:unknown-form';
    } else {
      const actor = { ...(await this.actorFor(t, invoker)), locale: i.locale };
      const version = cid.extra !== undefined ? Number(cid.extra) : undefined;
      const r = this.onButton(cid.action, actor, version);
      response = r.response;
      outcome = r.outcome;
    }
    rememberResponse(this.host.sql, i.id, response);
    this.queueAudit({
      at: now(),
      guildId: i.guild_id ?? t?.guildId ?? '',
      userId: invoker.userId,
      action: `${i.type === InteractionType.ModalSubmit ? 'form' : 'button'} ticket:${cid?.action ?? '?'}`,
      outcome,
      latencyMs: performance.now() - started,
      detail: t ? `ticket #${t.number}` : '',
    });
    return response;
  }

  /**
   * A message in the ticket's thread. The opener's messages are the member's
   * side; anyone else who can write in the private thread is staff, and their
   * first message is the first response. Replays are stored once.
   */
  recordMessage(m: ThreadMessage): boolean {
    const t = this.store.load();
    if (!t) return false;
    const kind = m.authorId === t.openerId ? 'member' : 'staff';
    const added = this.transcript.add({
      at: m.at,
      kind,
      authorId: m.authorId,
      authorName: m.authorName,
      content: m.content,
      discordMessageId: m.id,
      attachments: m.attachments ?? [],
    });
    if (added === null) return false;
    this.touch(t, kind, m.at);
    return true;
  }

  /** Actions from the staff inbox; the caller has checked that `by` is staff right now. */
  async staffRequest(req: StaffRequest, by: { userId: string; name: string }): Promise<StaffOutcome> {
    // {staff} in a reply reads "Support team" when the guild keeps staff anonymous: asked before anything is read, so the rest stays one step.
    const guildId = this.store.load()?.guildId;
    const anonymous = req.kind === 'reply' && namesStaff(req.text) && guildId ? (await this.host.guild(guildId).getTicketConfig()).anonymousStaff : false;
    const t = this.store.load();
    if (!t) throw new Error('ticket does not exist');
    const at = now();
    if (req.kind === 'act') {
      // The staff inbox speaks the guild's language.
      const o = this.act(req.action, { userId: by.userId, name: by.name, isStaff: true, locale: this.guildLocale() }, req.expectedVersion);
      this.queueAudit({
        at,
        guildId: t.guildId,
        userId: by.userId,
        action: `inbox ${req.action.kind}`,
        outcome: o.ok ? 'ok' : `refused:${o.refusal.code}`,
        latencyMs: 0,
        detail: `ticket #${t.number}`,
      });
      const view = this.view()!;
      if (o.ok) return { ok: true, view };
      return o.refusal.code === 'stale-version'
        ? {
            ok: false,
            status: 409,
            message: tr(this.guildLocale(), 'ticket.inbox.changed', {
              by: o.refusal.changedBy,
              status: tr(this.guildLocale(), 'ticket.state', { status: o.ticket.status }),
              hasAssignee: o.ticket.assigneeName ? 'yes' : 'no',
              assignee: o.ticket.assigneeName ?? '',
            }),
            view,
          }
        : { ok: false, status: 422, message: refusalText(o.refusal, this.guildLocale()), view };
    }
    if (req.kind === 'reply') {
      const r = this.queueReply(t, by, req.text, anonymous ? tr(this.guildLocale(), 'ticket.snippet.team') : by.name);
      if (!r.ok)
        return { ok: false, status: r.error.key === 'ticket.reply.closed' ? 409 : 422, message: render(this.guildLocale(), r.error), view: this.view()! };
    } else {
      const text = req.text.trim();
      if (!text || text.length > 2000) return { ok: false, status: 422, message: tr(this.guildLocale(), 'ticket.inbox.length'), view: this.view()! };
      this.transcript.add({ at, kind: 'note', authorId: by.userId, authorName: by.name, content: text, discordMessageId: null });
      this.broadcastView();
    }
    this.queueAudit({ at, guildId: t.guildId, userId: by.userId, action: `inbox ${req.kind}`, outcome: 'ok', latencyMs: 0, detail: `ticket #${t.number}` });
    return { ok: true, view: this.view()! };
  }

  /**
   * A staff reply into the conversation (inbox or /ticket reply): placeholders
   * filled, kept in the transcript under the real staff member, posted by a job.
   */
  private queueReply(t: Ticket, by: { userId: string; name: string }, template: string, staffShownAs: string): Result<number | null, Text> {
    const replyable = canReply(t);
    if (!replyable.ok) return err(replyable.error);
    const text = fillPlaceholders(template, placeholderValues(t, staffShownAs, this.guildLocale())).trim();
    if (!text || text.length > 2000) return err(message('ticket.inbox.length'));
    const at = now();
    const id = this.transcript.add({ at, kind: 'staff', authorId: by.userId, authorName: by.name, content: text, discordMessageId: null });
    this.host.enqueue(TICKET_JOBS.reply, { transcriptId: id }, { lane: 'discord' });
    this.touch(t, 'staff', at);
    return ok(id);
  }

  /** Only when someone is watching: a button press with no staff page open should not read the transcript. */
  broadcastView(): void {
    if (!this.host.watched()) return;
    const view = this.view();
    if (view) this.host.broadcast(JSON.stringify({ type: 'view', view }));
  }

  async runJob(job: Job<string>): Promise<JobResult> {
    const t = this.store.load();
    if (!t) return 'done';
    if (job.kind === TICKET_JOBS.notify) return this.notifyGuild();
    if (job.kind === TICKET_JOBS.reply) return this.postReply(t, (job.payload as { transcriptId: number }).transcriptId);
    if (job.kind === TICKET_JOBS.upkeep) return this.upkeep.runPost(job.payload as UpkeepPost);
    if (job.kind === TICKET_JOBS.transcript) return this.transcripts.post(t, (job.payload as { closedAt: number }).closedAt);
    if (job.kind === TICKET_JOBS.transcriptReply) return this.transcripts.reply(t, job.payload as TranscriptRequest);
    if (job.kind === TICKET_JOBS.rating) return this.ratings.send(t, (job.payload as { closedAt: number }).closedAt);
    if (job.kind === TICKET_JOBS.transfer) {
      // Who moved it is named to the member only when the guild does not keep staff anonymous.
      const { anonymousStaff } = await this.host.guild(t.guildId).getTicketConfig();
      const post = job.payload as TransferPost;
      const by = anonymousStaff ? tr(this.guildLocale(), 'ticket.snippet.team') : post.by;
      return runTransfer(this.host.rest, t, { ...post, by }, this.guildLocale(), (step, e) => this.queueAudit(skippedStepAudit(t, step, e, now())));
    }
    // A purge queued as a delayed job by code before the scheduler.
    if (job.kind === TICKET_TIMERS.purge) return this.purge(t, (job.payload as { closedAt: number }).closedAt);
    return this.sync(t);
  }

  runTimer(timer: Timer<string>): Promise<TimerResult> | TimerResult {
    if (timer.kind === TICKET_TIMERS.upkeep) return this.upkeep.onTimer(timer.payload as Parameters<TicketUpkeep['onTimer']>[0]);
    const t = this.store.load();
    if (!t || timer.kind !== TICKET_TIMERS.purge) return 'done';
    return this.purge(t, (timer.payload as { closedAt: number }).closedAt);
  }

  /** The transcript, once retention has run out, if the ticket is still closed by the close the timer was set for. */
  private purge(t: Ticket, closedAt: number): JobResult {
    if (t.status === 'closed' && t.closedAt === closedAt) {
      this.transcript.purge();
      forgetOldInteractions(this.host.sql, now());
      this.broadcastView();
    }
    return 'done';
  }

  /** A conversation line changed the triage timestamps: save (no version bump: it is not a staff edit) and tell everyone. */
  private touch(t: Ticket, kind: 'member' | 'staff', at: number): void {
    const moved =
      kind === 'member'
        ? { ...t, lastMemberMessageAt: at, updatedAt: now() }
        : // Counted for one-touch resolution (a ticket resolved with a single staff message).
          { ...t, firstResponseAt: t.firstResponseAt ?? at, staffMessages: (t.staffMessages ?? 0) + 1, updatedAt: now() };
    const next = this.upkeep.changed(t, moved, at, kind);
    this.store.saveQuietly(next);
    // The countdown on the control message goes once the first answer is in.
    if ((t.firstDueAt ?? null) !== (next.firstDueAt ?? null)) this.host.enqueue(TICKET_JOBS.sync, null, { lane: 'discord', dedupe: 'sync' });
    this.host.enqueue(TICKET_JOBS.notify, null, { lane: 'guild', dedupe: 'notify' });
    this.host.kick();
    this.broadcastView();
  }

  private onButton(action: string, actor: Actor, version: number | undefined): { response: APIInteractionResponse; outcome: string } {
    const t = this.store.load()!;
    const act = (a: TicketAction): { response: APIInteractionResponse; outcome: string } => {
      const o = this.act(a, actor, version);
      return o.ok
        ? { response: reply(ephemeral(success(a.kind, o.ticket, actor.locale))), outcome: 'ok' }
        : { response: reply(ephemeral(refusalText(o.refusal, actor.locale))), outcome: `refused:${o.refusal.code}` };
    };
    switch (action) {
      case TicketButtons.claim:
        return act({ kind: 'claim' });
      case TicketButtons.escalate:
        return act({ kind: 'set-status', status: 'escalated' });
      case TicketButtons.reopen:
        return act({ kind: 'reopen' });
      case TicketButtons.close: {
        const r = this.askToClose(t, actor, null, version);
        return { response: reply(r.reply), outcome: r.ok ? 'ok' : `refused:${r.refusal.code}` };
      }
      case TicketButtons.closeConfirm: {
        const reason = this.store.takePendingClose(actor.userId);
        const o = this.act({ kind: 'close', reason }, actor, version);
        const content = o.ok ? success('close', o.ticket, actor.locale) : refusalText(o.refusal, actor.locale);
        return {
          response: { type: InteractionResponseType.UpdateMessage, data: { content, components: [] } },
          outcome: o.ok ? 'ok' : `refused:${o.refusal.code}`,
        };
      }
      case TicketButtons.closeRequestAccept:
      case TicketButtons.closeRequestDeny: {
        if (actor.userId !== t.openerId)
          return {
            response: reply(ephemeral(tr(actor.locale, 'ticket.closerequest.not-opener', { number: String(t.number) }))),
            outcome: 'refused:not-opener',
          };
        const req = this.upkeep.endCloseRequest();
        if (!req) return { response: reply(ephemeral(tr(actor.locale, 'ticket.closerequest.gone'))), outcome: 'refused:no-request' };
        const accepted = action === TicketButtons.closeRequestAccept;
        const o = accepted ? this.act({ kind: 'close', reason: req.reason }, actor) : null;
        const content = tr(actor.locale, accepted ? 'ticket.closerequest.accepted' : 'ticket.closerequest.denied', { number: String(t.number), staff: req.by });
        return {
          response: { type: InteractionResponseType.UpdateMessage, data: { content, components: [], allowed_mentions: { parse: [] } } },
          outcome: o && !o.ok ? `refused:${o.refusal.code}` : 'ok',
        };
      }
      case TicketButtons.closeCancel:
        this.store.takePendingClose(actor.userId);
        return {
          response: {
            type: InteractionResponseType.UpdateMessage,
            data: { content: tr(actor.locale, 'ticket.stays-open', { number: String(t.number) }), components: [] },
          },
          outcome: 'ok',
        };
      default:
        return { response: reply(ephemeral(tr(actor.locale, 'common.button-unknown'))), outcome: 'refused:unknown-button' };
    }
  }

  /**
   * The first step of closing (button or /ticket close): check that this
   * actor may close it, remember the reason, and ask for confirmation.
   */
  private askToClose(
    t: Ticket,
    actor: Actor,
    reason: string | null,
    version?: number,
  ): { ok: true; reply: APIInteractionResponseCallbackData } | { ok: false; refusal: TicketRefusal; reply: APIInteractionResponseCallbackData } {
    const check = decide(t, { kind: 'close', reason }, actor, now(), version);
    if (!check.ok) return { ok: false, refusal: check.error, reply: ephemeral(refusalText(check.error, actor.locale)) };
    this.store.setPendingClose(actor.userId, reason ? maskPersonalData(reason) : null);
    return { ok: true, reply: closeConfirmation(t, reason, actor.locale ?? undefined) };
  }

  /** Decide and write, with no await in between; then queue the Discord-side work. */
  private act(action: TicketAction, actor: Actor, expectedVersion?: number, transfer?: TransferPlan): ActOutcome {
    const t = this.store.load();
    if (!t) throw new Error('ticket does not exist');
    const d = decide(t, action, actor, now(), expectedVersion);
    if (!d.ok) return { ok: false, refusal: d.error, ticket: t };
    // Before the clocks are worked out again: they read the new category's targets and hours.
    if (action.kind === 'transfer' && transfer) this.moveTo(t, d.value, actor, transfer);
    const decided = action.kind === 'close' && action.reason ? { ...d.value, closeReason: maskPersonalData(action.reason) } : d.value;
    const next = this.upkeep.changed(t, decided, now());
    this.store.save(next, action.kind === 'set-status' ? action.status : action.kind);
    // The guild (and so the staff inbox) first; Discord's side right after.
    this.host.enqueue(TICKET_JOBS.notify, null, { lane: 'guild', dedupe: 'notify' });
    this.host.enqueue(TICKET_JOBS.sync, null, { lane: 'discord', dedupe: 'sync' });
    // One purge timer per ticket: a reopen and re-close replaces it.
    if (next.status === 'closed') {
      this.host.timers.set(TICKET_TIMERS.purge, TICKET_TIMERS.purge, (next.closedAt ?? now()) + this.retentionMs(), { closedAt: next.closedAt });
      // One transcript per close, named by its time: a reopen and a new close makes a new one.
      this.host.enqueue(TICKET_JOBS.transcript, { closedAt: next.closedAt }, { lane: 'transcript', dedupe: `transcript:${next.closedAt}` });
      // One rating ask per close, likewise.
      this.host.enqueue(TICKET_JOBS.rating, { closedAt: next.closedAt }, { lane: 'rating', dedupe: `rating:${next.closedAt}` });
    }
    this.host.kick();
    this.broadcastView();
    return { ok: true, ticket: next };
  }

  /** The ticket's plan takes the new category's staff role, targets and hours; its Discord side follows in a job. */
  private moveTo(t: Ticket, next: Ticket, actor: Actor, to: TransferPlan): void {
    const plan = this.store.getMeta<ProvisionPlan>('plan');
    if (!plan) return;
    const channel = plan.categoryId !== null;
    // A thread stays a thread (and a channel a channel): only a channel moves, under the category's Discord category.
    this.store.setMeta('plan', {
      ...plan,
      staffRoleId: to.staffRoleId,
      policy: to.policy,
      hours: to.hours,
      categoryId: channel ? (to.parentId ?? plan.categoryId) : null,
    });
    const post: TransferPost = {
      version: next.version,
      from: t.category?.name ?? null,
      to: next.category?.name ?? '',
      by: actor.name ?? actor.userId,
      oldRoleId: plan.staffRoleId,
      newRoleId: to.staffRoleId,
      parentId: channel && to.parentId !== plan.categoryId ? to.parentId : null,
      channel,
    };
    this.host.enqueue(TICKET_JOBS.transfer, post, { lane: 'discord', dedupe: `transfer:${next.version}` });
  }

  /**
   * Staff by permission needs no lookup, nor does the staff role the ticket was opened with (a panel
   * category's); otherwise the guild's staff role decides (fresh on every action).
   */
  private async actorFor(t: Ticket, inv: Invoker): Promise<Actor> {
    const opened = this.store.getMeta<ProvisionPlan>('plan')?.staffRoleId ?? null;
    if (isTicketStaff(inv.permissions, inv.roles, opened)) return { userId: inv.userId, isStaff: true, name: inv.name };
    const cfg = await this.host.guild(t.guildId).getTicketConfig();
    return { userId: inv.userId, isStaff: isTicketStaff(inv.permissions, inv.roles, cfg.staffRoleId), name: inv.name };
  }

  private queueAudit(e: AuditEntry): void {
    this.host.sql.exec(`INSERT INTO pending_audit (entry) VALUES (?)`, JSON.stringify(e));
    this.host.enqueue(TICKET_JOBS.notify, null, { lane: 'guild', dedupe: 'notify' });
    this.host.kick();
  }

  private retentionMs(): number {
    const days = Number(this.host.retentionDays ?? DEFAULT_TRANSCRIPT_RETENTION_DAYS);
    return (Number.isFinite(days) && days > 0 ? days : DEFAULT_TRANSCRIPT_RETENTION_DAYS) * 86_400_000;
  }

  private async sync(t: Ticket): Promise<JobResult> {
    const plan = this.store.getMeta<ProvisionPlan>('plan');
    if (!plan) return 'done';
    const r = await syncTicketToDiscord({
      rest: this.host.rest,
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
    // Read when posting, so a switch made meanwhile applies; the transcript and audit keep the real staff member either way.
    const { anonymousStaff } = await this.host.guild(t.guildId).getTicketConfig();
    const locale = this.guildLocale();
    const content = anonymousStaff
      ? tr(locale, 'ticket.reply.anonymous', { text: entry.content })
      : tr(locale, 'ticket.reply.named', { name: entry.authorName, text: entry.content });
    const r = await this.host.rest.post<{ id: string }>(Routes.channelMessages(t.channelId), {
      // A reply may mention the member ({user}), which should reach them; nobody else is pinged.
      body: { content: content.slice(0, MAX_MESSAGE_CONTENT), allowed_mentions: { parse: [], users: [t.openerId] } },
    });
    if (!r.ok && !isPermanent(r.error)) return 'retry';
    if (!r.ok) {
      // Staff see Discord's reason on their reply instead of a message that silently never arrived.
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
      const rows = this.host.sql.exec<{ id: number; entry: string }>(`SELECT id, entry FROM pending_audit ORDER BY id LIMIT 100`).toArray();
      await this.host.guild(t.guildId).ticketChanged(
        t,
        rows.map((r) => JSON.parse(r.entry) as AuditEntry),
      );
      const last = rows.at(-1);
      if (last) this.host.sql.exec(`DELETE FROM pending_audit WHERE id <= ?`, last.id);
      const after = this.store.load()!;
      const more = this.host.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM pending_audit`).one().n;
      if (after.version === t.version && more === 0) return 'done';
    }
  }
}
