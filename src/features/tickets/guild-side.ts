import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandOptionChoice,
  type APIChannel,
  type APIChatInputApplicationCommandInteraction,
  type APIGuildMember,
  type APIInteraction,
  type APIMessage,
  type APIMessageApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  GatewayDispatchEvents,
  type GatewayGuildMemberRemoveDispatchData,
  InteractionType,
  Routes,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import { isPermanent } from '../../discord/errors.ts';
import { type Handled, refused } from '../../discord/handled.ts';
import { displayName, invokerOf, type SubcommandCall } from '../../discord/interaction.ts';
import { syncManagedMessage } from '../../discord/managed-message.ts';
import { describeRestError } from '../../discord/rest.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import type { Result } from '../../lib/result.ts';
import type { GuildFeature, GuildHost, InteractionContext } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import { type AuditEntry, readAuditSince } from '../audit/log.ts';
import { type TriageMetrics, triageMetrics } from '../inbox/metrics.ts';
import { type StaffCheck, StaffChecker } from '../inbox/staff-check.ts';
import { listStaffMembers, type StaffMember } from '../inbox/staff-list.ts';
import { STAFF_LINK_TTL_S, signStaffToken } from '../inbox/token.ts';
import type { TicketDeflector, TicketDesk, TicketDraft } from './deflection.ts';
import { handleOpenFromMessage, OPEN_TICKET_MENU } from './from-message.ts';
import {
  checkLimit,
  type GuildTicketHost,
  handleTicketCommand,
  handleTicketGuildComponent,
  handleTicketModal,
  openDraft,
  openTicket,
  openViaCategory,
} from './guild-commands.ts';
import { GuildTicketIndex, type TicketConfig } from './guild-index.ts';
import { hoursAutocomplete } from './hours/commands.ts';
import type { SupportHours } from './hours/rules.ts';
import { hoursGate, refusedOutsideHours } from './hours/views.ts';
import { suggestionMessage } from './intake/commands.ts';
import { matchesKeyword, SUGGEST_INTERVAL_MS } from './intake/rules.ts';
import { ACTIVE_STATUSES, type IssueType, type Severity, type Ticket } from './model.ts';
import { handleOrganizeCommand, handleSnippetForm, type OrganizeHost, organizeAutocomplete } from './organize/commands.ts';
import { type Snippet, SnippetStore } from './organize/store.ts';
import { handlePanelCommand, handlePanelForm, handlePanelPress, PANEL_COMMAND, type PanelDesk, type PanelHost, panelAutocomplete } from './panels/commands.ts';
import { PanelStore } from './panels/store.ts';
import { PanelActions, panelMessage } from './panels/views.ts';
import { createTicketChannel } from './provision.ts';
import { EXPORT_JOB, type ExportJob, runExport } from './ratings/commands.ts';
import { DAY_MS, type RatingResults, ratingResults, type StatsRow } from './ratings/rules.ts';
import type { ProvisionPlan } from './store.ts';
import type { TicketPort } from './ticket-port.ts';
import type { TicketListRow } from './views.ts';

/** What the staff inbox opens with (and a ticket view's reply box uses: snippets, tags). */
export interface InboxData {
  tickets: TicketListRow[];
  metrics: TriageMetrics & { ratings: RatingResults };
  snippets: Snippet[];
  tags: string[];
}

/** Job kinds of the tickets feature in the guild actor. */
export const TICKET_GUILD_JOBS = {
  handoff: 'handoff',
  logPost: 'log-post',
  export: EXPORT_JOB,
  panelSync: 'panel-sync',
  panelUnpost: 'panel-unpost',
  suggest: 'intake-suggest',
  acknowledge: 'intake-acknowledge',
} as const;

/** The reaction on a member's message that a ticket was opened from. */
const ACKNOWLEDGE_EMOJI = '✅';

/** How long closed tickets stay in the inbox list. */
const INBOX_CLOSED_WINDOW_MS = 7 * 86_400_000;

/** What the tickets feature needs beyond the common host: the guild's ticket actors. */
export interface TicketsGuildHost extends GuildHost {
  ticket(id: string): TicketPort;
  /** The feature that may answer a /ticket open form first (the FAQ), if the guild has one. */
  deflector?(): TicketDeflector | undefined;
}

/**
 * Tickets inside the guild actor: the index and configuration, /ticket and
 * /setup, the hand-off of a new ticket to its own actor (with its channel),
 * ticket events to the log channel, the transcript of ticket threads, and
 * what the staff inbox reads.
 */
export class TicketsGuildSide implements GuildFeature, TicketDesk {
  readonly index: GuildTicketIndex;
  readonly panels: PanelStore;
  readonly snippets: SnippetStore;
  private readonly host: TicketsGuildHost;
  private staff: StaffChecker | null = null;

  constructor(host: TicketsGuildHost) {
    this.host = host;
    this.index = new GuildTicketIndex(host.sql);
    this.panels = new PanelStore(host.sql);
    this.snippets = new SnippetStore(host.sql);
  }

  command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall, ctx?: InteractionContext): Promise<Handled> {
    if (i.data.name === PANEL_COMMAND) return handlePanelCommand(this.panelHost(), i, call);
    const organized = handleOrganizeCommand(this.organizeHost(), i, call);
    if (organized) return Promise.resolve(organized);
    return handleTicketCommand(this.commandHost(ctx?.origin ?? ''), i, call);
  }

  /** "Open ticket" in a message's Apps menu. */
  messageCommand(i: APIMessageApplicationCommandInteraction): Promise<Handled> | Handled {
    if (i.data.name !== OPEN_TICKET_MENU) return refused('unknown-command', tr(i.locale, 'ticket.unknown-command', { command: i.data.name }));
    return handleOpenFromMessage({ tickets: this.commandHost(''), member: (userId) => this.memberNow(userId) }, i);
  }

  /** A member as Discord has them now; null when they are not in the guild. */
  private async memberNow(userId: string): Promise<Result<APIGuildMember | null, string>> {
    const r = await this.host.rest.get<APIGuildMember>(Routes.guildMember(this.host.guildId, userId));
    if (r.ok) return { ok: true, value: r.value };
    if (r.error.kind === 'discord' && r.error.status === 404) return { ok: true, value: null };
    return { ok: false, error: describeRestError(r.error) };
  }

  /**
   * Opens a ticket for a member on someone else's behalf (the REST API),
   * through the same openTicket path as /ticket open: the member's intake
   * rules and open-ticket limit, support hours, and the thread or channel made
   * by the provisioning job. The opener is the member as Discord has them now;
   * `channelId` is where a thread opens (its parent when it is a thread). There
   * is no interaction to answer, so the request stands in for one without a
   * token (nothing edits an original response).
   */
  async openFor(req: {
    openerId: string;
    channelId: string;
    issueType: IssueType;
    severity: Severity;
    subject: string;
    description: string;
    by: { userId: string; name: string };
  }): Promise<Result<TicketListRow, { status: 404 | 422 | 503; error: string }>> {
    const member = await this.memberNow(req.openerId);
    if (!member.ok) return { ok: false, error: { status: 503, error: `Discord did not answer about the member (${member.error}); try again` } };
    if (!member.value?.user) return { ok: false, error: { status: 404, error: 'that person is not a member of this server' } };
    const channel = await this.host.rest.get<APIChannel>(Routes.channel(req.channelId));
    if (!channel.ok) {
      const gone = channel.error.kind === 'discord' && channel.error.status === 404;
      return {
        ok: false,
        error: gone
          ? { status: 404, error: 'no such channel' }
          : { status: 503, error: `Discord did not answer about the channel (${describeRestError(channel.error)})` },
      };
    }
    if (!('guild_id' in channel.value) || channel.value.guild_id !== this.host.guildId)
      return { ok: false, error: { status: 404, error: 'no such channel in this server' } };
    const opener = { userId: req.openerId, name: displayName(member.value.user, member.value.nick), roles: member.value.roles };
    const locale = guildLocale(this.host.sql);
    const standIn = {
      id: '0',
      application_id: this.host.config.applicationId,
      type: InteractionType.ApplicationCommand,
      token: '',
      version: 1,
      guild_id: this.host.guildId,
      channel: channel.value,
      channel_id: channel.value.id,
      member: { user: { id: req.by.userId, username: req.by.name, global_name: req.by.name }, roles: [], permissions: '0', nick: null },
      locale,
      guild_locale: locale,
    } as unknown as APIInteraction;
    const h = this.commandHost('');
    const limited = checkLimit(h, opener.userId, req.issueType, locale ?? 'en');
    const handled = limited ?? (await openTicket(h, standIn, req.issueType, req.severity, req.subject, req.description, { opener }));
    if (handled.outcome !== 'ok') {
      const data = 'data' in handled.response ? (handled.response.data as { content?: string } | undefined) : undefined;
      return { ok: false, error: { status: 422, error: data?.content ?? handled.outcome } };
    }
    return { ok: true, value: this.index.byOpener(opener.userId, 1)[0]! };
  }

  component(i: APIMessageComponentInteraction, cid: CustomId): Handled {
    if (cid.action === PanelActions.press || cid.action === PanelActions.pick) return handlePanelPress(this.panelDesk(), i, cid);
    return handleTicketGuildComponent(this.commandHost(''), i, cid);
  }

  modal(i: APIModalSubmitInteraction, cid: CustomId): Promise<Handled> {
    if (cid.action === PanelActions.form) return handlePanelForm(this.panelDesk(), i, cid);
    const snippet = handleSnippetForm(this.organizeHost(), i, cid);
    if (snippet) return Promise.resolve(snippet);
    return handleTicketModal(this.commandHost(''), i, cid);
  }

  /** The time zone of /tickets hours set, and the categories and panels of /panel, while typing. */
  autocomplete(i: APIApplicationCommandAutocompleteInteraction): APIApplicationCommandOptionChoice[] {
    if (i.data.name === PANEL_COMMAND) return panelAutocomplete(this.panels, i);
    return organizeAutocomplete(this.organizeHost(), i) ?? hoursAutocomplete(i);
  }

  /**
   * The guild's support hours, or null when tickets open at any time. For SLA
   * clocks that pause outside them (with openDuration in hours/rules.ts).
   */
  supportHours(): SupportHours | null {
    return this.index.hours();
  }

  /** Messages in a ticket's thread go to its transcript; synchronous (no promise) for every other message. */
  onEvent(e: GatewayEvent): Promise<unknown> | void {
    if (e.t === GatewayDispatchEvents.GuildMemberRemove) return this.openerLeft((e.d as GatewayGuildMemberRemoveDispatchData).user.id);
    if (e.t !== GatewayDispatchEvents.MessageCreate) return;
    const m = e.d as APIMessage;
    const recorded = this.transcribe(m);
    if (recorded) return recorded;
    this.suggestTicket(m);
  }

  /**
   * A member's message in a help channel (/setup intake suggest) that names
   * a keyword gets "open a ticket?" under it, at most once per member per
   * hour: the claim is stored before the post is queued.
   */
  private suggestTicket(m: APIMessage): void {
    if (m.author.bot || m.webhook_id) return;
    const channel = this.index.intake().suggest.find((c) => c.channelId === m.channel_id);
    if (!channel || !matchesKeyword(channel.keywords, m.content)) return;
    if (!this.index.claimSuggestion(m.author.id, now(), SUGGEST_INTERVAL_MS)) return;
    this.host.enqueue(TICKET_GUILD_JOBS.suggest, { channelId: m.channel_id, messageId: m.id, authorId: m.author.id }, { lane: 'suggest' });
    this.host.kick();
  }

  private async postSuggestion({ channelId, messageId, authorId }: { channelId: string; messageId: string; authorId: string }): Promise<JobResult> {
    // Read by anyone in the help channel: the guild's language.
    const r = await this.host.rest.post(Routes.channelMessages(channelId), {
      body: suggestionMessage(this.host.guildId, messageId, authorId, guildLocale(this.host.sql)),
    });
    return r.ok || (r.error.kind === 'discord' && r.error.status < 500 && r.error.status !== 429) ? 'done' : 'retry';
  }

  /** Reacts on the member's message a ticket was opened from; a deleted message or a missing permission is not retried. */
  private async acknowledge({ channelId, messageId }: { channelId: string; messageId: string }): Promise<JobResult> {
    const r = await this.host.rest.put(Routes.channelMessageOwnReaction(channelId, messageId, encodeURIComponent(ACKNOWLEDGE_EMOJI)));
    return r.ok || (r.error.kind === 'discord' && r.error.status < 500 && r.error.status !== 429) ? 'done' : 'retry';
  }

  /** A member left: each of their tickets still going is told (it closes itself when the guild's policy says so). */
  private async openerLeft(userId: string): Promise<void> {
    const live = this.index.byOpener(userId, 50).filter((r) => ACTIVE_STATUSES.includes(r.status));
    const bot = { userId: this.host.config.applicationId, isStaff: true, name: 'Guildkeep' };
    for (const r of live) {
      try {
        await this.host.ticket(r.id).request({ kind: 'opener-left' }, bot);
      } catch (err) {
        // The member is gone either way; the ticket stays open for staff to close.
        console.error(`ticket ${r.id}: opener left, not closed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  transcribe(m: APIMessage): Promise<boolean> | false {
    if (m.author.bot || m.webhook_id) return false;
    const row = this.index.byChannel(m.channel_id);
    if (!row) return false;
    return this.host.ticket(row.id).recordMessage({
      id: m.id,
      authorId: m.author.id,
      authorName: displayName(m.author, (m as { member?: { nick?: string | null } }).member?.nick),
      content: m.content,
      at: Date.parse(m.timestamp),
      attachments: (m.attachments ?? []).map((a) => ({ filename: a.filename, size: a.size, url: a.url })),
    });
  }

  openDraft(i: APIInteraction, draft: TicketDraft): Promise<Handled> {
    return openDraft(this.commandHost(''), i, draft);
  }

  openedBetween(userId: string, from: number, to: number): boolean {
    return this.index.byOpener(userId, 50).some((r) => r.createdAt >= from && r.createdAt <= to);
  }

  runJob(job: Job<string>): Promise<JobResult> {
    if (job.kind === TICKET_GUILD_JOBS.handoff) return this.handoff(job.payload as { ticket: Ticket; plan: ProvisionPlan });
    if (job.kind === TICKET_GUILD_JOBS.export)
      return runExport(this.host.rest, this.host.config.applicationId, this.index, this.host.guildId, job.payload as ExportJob);
    if (job.kind === TICKET_GUILD_JOBS.panelSync) return this.syncPanel((job.payload as { panelId: number }).panelId);
    if (job.kind === TICKET_GUILD_JOBS.panelUnpost) return this.unpostPanel(job.payload as { channelId: string; messageId: string });
    if (job.kind === TICKET_GUILD_JOBS.suggest) return this.postSuggestion(job.payload as { channelId: string; messageId: string; authorId: string });
    if (job.kind === TICKET_GUILD_JOBS.acknowledge) return this.acknowledge(job.payload as { channelId: string; messageId: string });
    return this.postLog((job.payload as { content: string }).content);
  }

  config(): TicketConfig {
    return this.index.config();
  }

  /** A ticket's latest state and its audit entries; stale versions never overwrite newer ones. */
  ticketChanged(t: Ticket, audit: AuditEntry[]): void {
    const before = this.index.byId(t.id);
    this.index.upsert(t);
    for (const e of audit) this.host.audit(e);
    if (before && before.status !== t.status) this.announce(t);
    const row = this.index.byId(t.id);
    // Audit-only notifications change nothing staff can see: no broadcast.
    if (row && (!before || row.version !== before.version || row.updatedAt !== before.updatedAt || row.channelId !== before.channelId)) this.pushRow(t.id);
  }

  /** Whether a staff-link holder is still staff, from Discord (cached a minute). */
  /** Everyone a ticket can be assigned to (the inbox's assign list), from Discord. */
  listStaff(): Promise<Result<StaffMember[], string>> {
    return listStaffMembers(this.host.rest, this.host.guildId, this.index.config().staffRoleId);
  }

  checkStaff(userId: string): Promise<StaffCheck> {
    this.staff ??= new StaffChecker(this.host.rest, this.host.guildId);
    return this.staff.check(userId, this.index.config().staffRoleId, now());
  }

  /** The inbox list: every ticket not closed, and those closed in the last week. */
  inbox(): TicketListRow[] {
    return this.index.inbox(INBOX_CLOSED_WINDOW_MS, now());
  }

  /** What the staff inbox opens with: the list, the metrics, saved replies and tags in use. */
  inboxData(): InboxData {
    return { tickets: this.inbox(), metrics: this.metrics(), ...this.replyAids() };
  }

  /** Saved replies and tags in use: the reply box and the tag field's suggestions. */
  replyAids(): Pick<InboxData, 'snippets' | 'tags'> {
    return { snippets: this.snippets.all(), tags: this.index.tagsInUse(100) };
  }

  metrics(): TriageMetrics & { ratings: RatingResults } {
    const t = now();
    return {
      ...triageMetrics(this.index.since(t - 30 * 86_400_000), readAuditSince(this.host.sql, t - 30 * 86_400_000), t),
      // The inbox's small ratings card: the last 30 days, per staff member and per issue type.
      ratings: ratingResults(this.index.ratedSince(t - 30 * DAY_MS) as StatsRow[], t - 30 * DAY_MS),
    };
  }

  /** Tells the inbox room about a ticket's current row. */
  private pushRow(id: string): void {
    this.host.broadcast(() => {
      const row = this.index.byId(id);
      return row ? JSON.stringify({ type: 'ticket', ticket: row }) : null;
    });
  }

  /** Posts a ticket's new status to the configured log channel, if any. */
  private announce(t: Pick<Ticket, 'number' | 'issueType' | 'severity' | 'status' | 'channelId' | 'assigneeId'>): void {
    const cfg = this.index.config();
    if (!cfg.logChannelId || !t.channelId) return;
    // The log channel is read by the guild's staff: the guild's language.
    const locale = guildLocale(this.host.sql);
    this.host.enqueue(
      TICKET_GUILD_JOBS.logPost,
      {
        content: tr(locale, 'ticket.log.status', {
          number: String(t.number),
          type: tr(locale, 'ticket.type', { type: t.issueType }),
          severity: tr(locale, 'ticket.severity', { severity: t.severity }),
          status: tr(locale, 'ticket.state', { status: t.status }),
          channel: t.channelId,
          hasAssignee: t.assigneeId ? 'yes' : 'no',
          assignee: t.assigneeId ?? '',
        }),
      },
      { lane: 'log-post' },
    );
    this.host.kick();
  }

  private async postLog(content: string): Promise<JobResult> {
    const cfg = this.index.config();
    if (!cfg.logChannelId) return 'done';
    const r = await this.host.rest.post(Routes.channelMessages(cfg.logChannelId), { body: { content, allowed_mentions: { parse: [] } } });
    return r.ok || (r.error.kind === 'discord' && r.error.status < 500 && r.error.status !== 429) ? 'done' : 'retry';
  }

  /**
   * Creates the new ticket's channel (this actor's REST client knows the
   * guild's channel buckets) and gives the ticket to its own actor.
   */
  private async handoff({ ticket, plan }: { ticket: Ticket; plan: ProvisionPlan }): Promise<JobResult> {
    let channelId = this.index.byId(ticket.id)?.channelId ?? null;
    let finalPlan = plan;
    if (!channelId) {
      const r = await createTicketChannel(this.host.rest, ticket, plan);
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
    // The answer carries the SLA due times the ticket's policy gave it (or, on a retried hand-off, the ticket as it is now).
    const created = await this.host.ticket(ticket.id).create({ ...ticket, channelId }, finalPlan);
    this.ticketChanged(created, []);
    return 'done';
  }

  /**
   * Posts or edits a panel's message from what is stored now (a later edit
   * queued meanwhile finds it already shown), or posts it again if it was
   * deleted. Discord refusing for good is kept on the panel for /panel list.
   */
  private async syncPanel(panelId: number): Promise<JobResult> {
    const p = this.panels.panel(panelId);
    if (!p) return 'done';
    const categories = p.categoryIds.map((id) => this.panels.category(id)).filter((c) => c !== null);
    const body = panelMessage(this.host.guildId, p, categories, guildLocale(this.host.sql));
    const r = await syncManagedMessage(this.host.rest, { channelId: p.channelId, messageId: p.messageId, shown: p.shown }, body);
    // Re-read: the panel may have been edited or deleted while the request was out.
    const now = this.panels.panel(panelId);
    if (!now) {
      if (r.ok && r.value.message.messageId) this.unpost(p.channelId, r.value.message.messageId);
      return 'done';
    }
    if (r.ok) {
      const changed = now.title !== p.title || now.description !== p.description || now.style !== p.style || now.categoryIds.join() !== p.categoryIds.join();
      this.panels.savePanel({ ...now, messageId: r.value.message.messageId, shown: changed ? null : r.value.message.shown, error: null });
      return changed ? 'retry' : 'done';
    }
    if (!isPermanent(r.error)) return 'retry';
    this.panels.savePanel({ ...now, error: describeRestError(r.error) });
    return 'done';
  }

  private async unpostPanel({ channelId, messageId }: { channelId: string; messageId: string }): Promise<JobResult> {
    const r = await this.host.rest.delete<void>(Routes.channelMessage(channelId, messageId), { reason: 'Ticket panel deleted' });
    // Already gone, or not ours to delete any more: nothing to retry.
    return r.ok || isPermanent(r.error) ? 'done' : 'retry';
  }

  private unpost(channelId: string, messageId: string): void {
    this.host.enqueue(TICKET_GUILD_JOBS.panelUnpost, { channelId, messageId }, { lane: `panel-message:${messageId}` });
    this.host.kick();
  }

  private panelHost(): PanelHost {
    return {
      guildId: this.host.guildId,
      store: this.panels,
      rest: this.host.rest,
      config: () => this.index.config(),
      sync: (panelId) => {
        this.host.enqueue(TICKET_GUILD_JOBS.panelSync, { panelId }, { lane: `panel:${panelId}`, dedupe: `panel-sync:${panelId}` });
        this.host.kick();
      },
      unpost: (channelId, messageId) => this.unpost(channelId, messageId),
    };
  }

  private panelDesk(): PanelDesk {
    const h = this.commandHost('');
    return {
      guildId: this.host.guildId,
      store: this.panels,
      gate: (i, c) => {
        const limit = checkLimit(h, invokerOf(i).userId, c.issueType, i.locale);
        if (limit) return limit;
        // Refused before the form when support is closed, so nobody types out a problem that cannot be sent.
        const gate = c.hours ? hoursGate(this.index.hours(), now()) : null;
        return gate?.kind === 'refuse' ? refused('outside-hours', refusedOutsideHours(i.locale, gate.staffFrom)) : null;
      },
      open: (i, c, subject, description) => openViaCategory(h, i, c, subject, description),
    };
  }

  private organizeHost(): OrganizeHost {
    return { guildId: this.host.guildId, index: this.index, snippets: this.snippets, panels: this.panels, ticket: (id) => this.host.ticket(id) };
  }

  private commandHost(origin: string): GuildTicketHost {
    const { host, index } = this;
    return {
      staffLink: async (userId) => {
        if (!host.config.staffLinkSecret || !origin) return null;
        const token = await signStaffToken(host.config.staffLinkSecret, { guildId: host.guildId, userId, exp: Math.floor(now() / 1000) + STAFF_LINK_TTL_S });
        return `${origin}/inbox/${host.guildId}#${token}`;
      },
      guildId: host.guildId,
      applicationId: host.config.applicationId,
      index,
      sql: host.sql,
      ticket: (id) => host.ticket(id),
      deflect: (i, draft) => host.deflector?.()?.deflectTicket(i, draft) ?? null,
      queueExport: (job) => {
        host.enqueue(TICKET_GUILD_JOBS.export, job, { lane: 'ticket-export' });
        host.kick();
      },
      acknowledge: (report) => {
        host.enqueue(TICKET_GUILD_JOBS.acknowledge, report, { lane: 'acknowledge' });
        host.kick();
      },
      handoff: (t, plan) => {
        host.enqueue(TICKET_GUILD_JOBS.handoff, { ticket: t, plan }, { lane: `handoff:${t.id}`, dedupe: `handoff:${t.id}` });
        host.kick();
        this.pushRow(t.id);
      },
    };
  }
}
