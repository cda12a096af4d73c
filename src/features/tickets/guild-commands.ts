import {
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  ChannelType,
  InteractionResponseType,
  MessageFlags,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import { ephemeral, type Handled, refused } from '../../discord/handled.ts';
import { displayName, type Invoker, invokerOf, modalValues, numberOption, reply, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { isAdministrator, isTicketStaff } from '../../discord/staff-permissions.ts';
import { guildLocaleOf, localeOf, t as tr } from '../../i18n/index.ts';
import { now } from '../../runtime/clock.ts';
import { maskPersonalData } from '../audit/mask.ts';
import type { TicketDraft } from './deflection.ts';
import type { GuildTicketIndex, TicketConfig } from './guild-index.ts';
import { handleHoursCommand } from './hours/commands.ts';
import { hoursGate, outsideHoursNote, refusedOutsideHours } from './hours/views.ts';
import { handleIntakeCommand, intakeRefusalText } from './intake/commands.ts';
import { checkIntake, REPORT_WINDOW_MS } from './intake/rules.ts';
import { type IssueType, isIssueType, isSeverity, isStatus, type Severity, type Ticket, type TicketStatus, TRIAGE_DEFAULTS, ticketId } from './model.ts';
import { MAX_TAG_LENGTH, normalizeTag, tagReason } from './organize/rules.ts';
import { categoryPolicy, type PanelCategory } from './panels/rules.ts';
import { type ExportJob, handleRatingsCommand } from './ratings/commands.ts';
import type { Actor } from './rules.ts';
import type { ProvisionPlan } from './store.ts';
import type { TicketPort, TicketRequest } from './ticket-port.ts';
import { handlePolicyCommand } from './upkeep/commands.ts';
import { parseMinutes, type TicketPolicy } from './upkeep/rules.ts';
import { DETAIL_FIELDS, detailsModal, LIST_PAGE_SIZE, TICKET_FEATURE, TicketGuildActions, ticketListPage } from './views.ts';

/** What the guild actor lends the ticket commands: its index and a way to reach ticket actors. */
export interface GuildTicketHost {
  guildId: string;
  /** A signed link to the staff inbox for this user, or null when the inbox is not configured. */
  staffLink(userId: string): Promise<string | null>;
  applicationId: string;
  index: GuildTicketIndex;
  sql: SqlStorage;
  ticket(id: string): TicketPort;
  /** Queues the reaction on the member's message a ticket was opened from. */
  acknowledge(report: { channelId: string; messageId: string }): void;
  /** Queues the new ticket for its own actor (and its channel), in the same transaction. */
  handoff(t: Ticket, plan: ProvisionPlan): void;
  /** Another feature's answer to the form before the ticket is opened (FAQ suggestions), or null. */
  deflect?(i: APIModalSubmitInteraction, draft: TicketDraft): Handled | null;
  /** Queues /tickets export's file for its deferred reply. */
  queueExport(job: ExportJob): void;
}

export type { Handled };

const THREAD_TYPES: readonly ChannelType[] = [ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread];

/** /ticket … and /setup tickets. */
export async function handleTicketCommand(h: GuildTicketHost, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled> {
  const inv = invokerOf(i);
  const cfg = h.index.config();
  const staff = isTicketStaff(inv.permissions, inv.roles, cfg.staffRoleId);
  const locale = i.locale;
  const policy = handlePolicyCommand(h.index, i, call);
  if (policy) return policy;
  const ratings = handleRatingsCommand(h, i, call);
  if (ratings) return ratings;
  if (call.path.startsWith('tickets hours ')) return handleHoursCommand(h.index, i, call, now());
  if (call.path.startsWith('setup intake ')) return handleIntakeCommand(h.index, i, call);
  switch (call.path) {
    case 'ticket open': {
      const issueType = stringOption(call, 'issue_type');
      const severity = stringOption(call, 'severity');
      if (!isIssueType(issueType) || !isSeverity(severity)) return refused('bad-input', tr(locale, 'ticket.open.bad-input'));
      // Refused before the form too, like the hours below.
      const intake = intakeGate(h, i);
      if (intake) return intake;
      const limit = checkLimit(h, inv.userId, issueType, locale);
      if (limit) return limit;
      // Refused before the form, so nobody types out a problem that cannot be sent.
      const gate = hoursGate(h.index.hours(), now());
      if (gate.kind === 'refuse') return refused('outside-hours', refusedOutsideHours(locale, gate.staffFrom));
      const subject = stringOption(call, 'subject')?.trim();
      if (!subject) {
        return {
          response: { type: InteractionResponseType.Modal, data: detailsModal(h.guildId, issueType, severity, locale) },
          outcome: 'ok',
          detail: 'asked for details',
        };
      }
      return openTicket(h, i, issueType, severity, subject, '');
    }
    case 'ticket list': {
      if (!staff) return refused('not-staff', tr(locale, 'ticket.list.not-staff'));
      const filter = stringOption(call, 'status') ?? 'active';
      const tag = stringOption(call, 'tag');
      const normal = tag === null ? null : normalizeTag(tag);
      if (normal && !normal.ok)
        return refused('bad-tag', tr(locale, 'ticket.tag.refused', { reason: tagReason(normal.error.code), tag: '', number: '', max: MAX_TAG_LENGTH }));
      return { response: reply(listPage(h, filter, 0, locale, normal?.value ?? null)), outcome: 'ok', detail: `${filter}${normal ? ` #${normal.value}` : ''}` };
    }
    case 'ticket inbox': {
      if (!staff) return refused('not-staff', tr(locale, 'ticket.inbox.not-staff'));
      const link = await h.staffLink(inv.userId);
      if (!link) return refused('inbox-off', tr(locale, 'ticket.inbox.off'));
      return { response: reply(ephemeral(tr(locale, 'ticket.inbox.link', { link }))), outcome: 'ok', detail: '' };
    }
    case 'setup tickets': {
      if (!isAdministrator(inv.permissions)) return refused('not-admin', tr(locale, 'ticket.setup.not-admin'));
      const staffRoleId = stringOption(call, 'staff_role');
      const bool = (name: string) => {
        const v = call.options.get(name);
        return typeof v === 'boolean' ? v : null;
      };
      const next: TicketConfig = {
        staffRoleId,
        categoryId: stringOption(call, 'category'),
        logChannelId: stringOption(call, 'log_channel'),
        maxOpenPerType: numberOption(call, 'max_open_per_type') ?? cfg.maxOpenPerType,
        // Like the channels above, the transcript channel is what this setup names (none when left out);
        // the switches keep their value unless given.
        transcriptChannelId: stringOption(call, 'transcript_channel'),
        transcriptDm: bool('transcript_dm') ?? cfg.transcriptDm,
        anonymousStaff: bool('anonymous_staff') ?? cfg.anonymousStaff,
        // Set with /tickets survey; /setup tickets keeps them.
        ratingsEnabled: cfg.ratingsEnabled,
        surveyQuestions: cfg.surveyQuestions,
      };
      h.index.setConfig(next);
      return {
        response: reply(
          ephemeral(
            [
              tr(locale, 'ticket.setup.saved', { role: staffRoleId ?? '' }),
              next.categoryId ? tr(locale, 'ticket.setup.category', { category: next.categoryId }) : tr(locale, 'ticket.setup.threads'),
              next.logChannelId ? tr(locale, 'ticket.setup.log-channel', { channel: next.logChannelId }) : tr(locale, 'ticket.setup.no-log-channel'),
              tr(locale, 'ticket.setup.limit', { max: next.maxOpenPerType }),
              next.transcriptChannelId
                ? tr(locale, 'ticket.setup.transcript-channel', { channel: next.transcriptChannelId })
                : tr(locale, 'ticket.setup.no-transcript-channel'),
              tr(locale, 'ticket.setup.transcript-dm', { on: next.transcriptDm ? 'yes' : 'no' }),
              tr(locale, 'ticket.setup.anonymous-staff', { on: next.anonymousStaff ? 'yes' : 'no' }),
            ].join('\n'),
          ),
        ),
        outcome: 'ok',
        detail: JSON.stringify(next),
      };
    }
  }
  if (call.path === 'ticket transcript') return transcriptCommand(h, i, call, staff);
  // The rest act on the ticket whose thread or channel this is.
  const row = h.index.byChannel(i.channel.id);
  if (!row) {
    if (call.path === 'ticket status' && !stringOption(call, 'set')) return myTickets(h, inv.userId, locale);
    return refused('not-in-ticket', tr(locale, 'ticket.not-in-ticket'));
  }
  const actor: Actor = { userId: inv.userId, isStaff: staff, name: inv.name, locale };
  let req: TicketRequest;
  switch (call.path) {
    case 'ticket close':
      req = { kind: 'close-request', reason: stringOption(call, 'reason') };
      break;
    case 'ticket claim':
      req = { kind: 'act', action: { kind: 'claim' } };
      break;
    case 'ticket assign': {
      const target = stringOption(call, 'member') ?? '';
      const member = i.data.resolved?.members?.[target];
      if (staff && (!member || !isTicketStaff(member.permissions, member.roles, cfg.staffRoleId))) {
        return refused('assignee-not-staff', tr(locale, 'ticket.assign.not-staff', { user: target }));
      }
      const user = i.data.resolved?.users?.[target];
      req = { kind: 'act', action: { kind: 'assign', assigneeId: target, assigneeName: user ? displayName(user, member?.nick) : target } };
      break;
    }
    case 'ticket status': {
      const set = stringOption(call, 'set');
      req = set === 'waiting' || set === 'escalated' || set === 'resolved' ? { kind: 'act', action: { kind: 'set-status', status: set } } : { kind: 'show' };
      break;
    }
    case 'ticket closerequest': {
      const delay = stringOption(call, 'delay');
      const minutes = delay === null ? { ok: true as const, value: 24 * 60 } : parseMinutes(delay);
      if (!minutes.ok) return refused('bad-duration', tr(locale, 'ticket.upkeep.bad-duration', { value: (delay ?? '').slice(0, 40) }));
      req = { kind: 'ask-member-to-close', reason: stringOption(call, 'reason'), delayMin: minutes.value };
      break;
    }
    case 'ticket autoclose':
      req = { kind: 'auto-close', on: call.options.get('enabled') === true };
      break;
    default:
      return refused('unknown-command', tr(locale, 'ticket.unknown-command', { command: call.path }));
  }
  try {
    const r = await h.ticket(row.id).request(req, actor);
    return { response: reply(r.reply), outcome: r.outcome.ok ? 'ok' : `refused:${r.outcome.refusal.code}`, detail: `ticket #${row.number}` };
  } catch (e) {
    console.error(`ticket ${row.id}: ${e instanceof Error ? e.message : String(e)}`);
    return { response: reply(ephemeral(tr(locale, 'ticket.unreachable', { number: String(row.number) }))), outcome: 'error', detail: `ticket #${row.number}` };
  }
}

/**
 * /ticket transcript (staff): the ticket of this thread or channel, or the one
 * numbered. Deferred: the ticket's actor renders the file and attaches it to
 * the reply (@original) in a job of its own.
 */
async function transcriptCommand(h: GuildTicketHost, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall, staff: boolean): Promise<Handled> {
  const locale = i.locale;
  if (!staff) return refused('not-staff', tr(locale, 'ticket.transcript.not-staff'));
  const number = numberOption(call, 'number');
  const row = number !== null ? h.index.byId(ticketId(h.guildId, number)) : h.index.byChannel(i.channel.id);
  if (!row) {
    return number !== null
      ? refused('unknown-ticket', tr(locale, 'ticket.transcript.unknown', { number: String(number) }))
      : refused('not-in-ticket', tr(locale, 'ticket.transcript.where'));
  }
  try {
    await h.ticket(row.id).sendTranscript({ applicationId: h.applicationId, interactionToken: i.token, locale: locale ?? null });
  } catch (e) {
    console.error(`ticket ${row.id}: ${e instanceof Error ? e.message : String(e)}`);
    return {
      response: reply(ephemeral(tr(locale, 'ticket.transcript.failed', { number: String(row.number) }))),
      outcome: 'error',
      detail: `ticket #${row.number}`,
    };
  }
  return {
    response: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } },
    outcome: 'ok',
    detail: `transcript of ticket #${row.number}`,
  };
}

/** The details form of /ticket open. */
export async function handleTicketModal(h: GuildTicketHost, i: APIModalSubmitInteraction, cid: CustomId | null): Promise<Handled> {
  const locale = i.locale;
  if (cid?.feature !== TICKET_FEATURE || cid.action !== TicketGuildActions.details) return refused('unknown-modal', tr(locale, 'common.form-unknown'));
  const [issueType, severity] = (cid.extra ?? '').split('.');
  if (!isIssueType(issueType) || !isSeverity(severity)) return refused('bad-input', tr(locale, 'ticket.modal.broken'));
  const values = modalValues(i);
  const subject = values.get(DETAIL_FIELDS.subject)?.trim() ?? '';
  if (!subject) return refused('bad-input', tr(locale, 'ticket.modal.no-subject'));
  // Before the FAQ's suggestions: a member who may not open a ticket is told so at once.
  const intake = intakeGate(h, i);
  if (intake) return intake;
  const limit = checkLimit(h, invokerOf(i).userId, issueType, locale);
  if (limit) return limit;
  const draft: TicketDraft = { issueType, severity, subject, description: values.get(DETAIL_FIELDS.description)?.trim() ?? '' };
  return h.deflect?.(i, draft) ?? openTicket(h, i, issueType, severity, subject, draft.description);
}

/** Opens a ticket from a kept draft (another feature's button), within the member's limit. */
export async function openDraft(h: GuildTicketHost, i: APIInteraction, draft: TicketDraft): Promise<Handled> {
  const limit = checkLimit(h, invokerOf(i).userId, draft.issueType, localeOf(i) ?? '');
  if (limit) return limit;
  return openTicket(h, i, draft.issueType, draft.severity, draft.subject, draft.description);
}

/** The /ticket list pager. */
export function handleTicketGuildComponent(h: GuildTicketHost, i: APIMessageComponentInteraction, cid: CustomId | null): Handled {
  const locale = i.locale;
  if (cid?.feature === TICKET_FEATURE && cid.action === TicketGuildActions.suggestOpen) {
    // The help channel's suggestion: /ticket open's form, after the same checks as the command.
    const intake = intakeGate(h, i);
    if (intake) return intake;
    const gate = hoursGate(h.index.hours(), now());
    if (gate.kind === 'refuse') return refused('outside-hours', refusedOutsideHours(locale, gate.staffFrom));
    const [messageId, authorId] = (cid.extra ?? '').split('.');
    if (messageId && authorId === invokerOf(i).userId && i.channel) h.index.rememberReport(authorId, i.channel.id, messageId, now());
    return {
      response: { type: InteractionResponseType.Modal, data: detailsModal(h.guildId, 'other', 'medium', locale) },
      outcome: 'ok',
      detail: 'suggested form',
    };
  }
  if (cid?.feature !== TICKET_FEATURE || cid.action !== TicketGuildActions.listPage) return refused('unknown-button', tr(locale, 'common.button-unknown'));
  const inv = invokerOf(i);
  if (!isTicketStaff(inv.permissions, inv.roles, h.index.config().staffRoleId)) return refused('not-staff', tr(locale, 'ticket.list.not-staff'));
  const [filter = 'active', page = '0', , tag] = (cid.extra ?? '').split('.');
  const { flags: _ephemeralStays, ...data } = listPage(h, filter, Number(page) || 0, locale, tag || null);
  return { response: { type: InteractionResponseType.UpdateMessage, data }, outcome: 'ok', detail: `${filter} page ${page}` };
}

function listPage(h: GuildTicketHost, filter: string, page: number, locale: string, tag: string | null) {
  const f: TicketStatus | 'active' | 'all' = filter === 'all' || filter === 'active' || isStatus(filter) ? filter : 'active';
  const { rows, total } = h.index.page(f, page, LIST_PAGE_SIZE, tag);
  return ticketListPage(h.guildId, f, page, rows, total, locale, tag);
}

function myTickets(h: GuildTicketHost, userId: string, locale: string): Handled {
  const rows = h.index.byOpener(userId, 10);
  const text = rows.length
    ? rows
        .map((r) =>
          tr(locale, 'ticket.mine.line', {
            number: String(r.number),
            status: tr(locale, 'ticket.state', { status: r.status }),
            type: tr(locale, 'ticket.type', { type: r.issueType }),
            where: r.channelId ? `<#${r.channelId}>` : r.subject,
          }),
        )
        .join('\n')
    : tr(locale, 'ticket.mine.none');
  return { response: reply(ephemeral(text)), outcome: 'ok', detail: '' };
}

/** The guild's intake rules (/setup intake) for the member opening a ticket (the invoker unless named): block, allowlist, cooldown. */
function intakeGate(h: GuildTicketHost, i: APIInteraction, opener: Pick<Invoker, 'userId' | 'roles'> = invokerOf(i)): Handled | null {
  const rules = h.index.intake();
  // The member's last open matters only to a cooldown: no query on every open without one.
  const last = rules.cooldownMin > 0 ? h.index.lastOpenedAt(opener.userId) : null;
  const r = checkIntake(rules, { userId: opener.userId, roles: opener.roles }, last, now());
  return r.ok ? null : refused(`intake-${r.error.code}`, intakeRefusalText(localeOf(i), r.error));
}

export function checkLimit(h: GuildTicketHost, userId: string, issueType: IssueType, locale: string): Handled | null {
  const max = h.index.config().maxOpenPerType;
  if (h.index.activeCount(userId, issueType) < max) return null;
  const open = h.index.byOpener(userId, 50).find((r) => r.issueType === issueType && r.status !== 'closed' && r.status !== 'resolved');
  return refused('limit', tr(locale, 'ticket.limit', { type: tr(locale, 'ticket.type', { type: issueType }), channel: open?.channelId ?? 'none' }));
}

/**
 * How a ticket opened from a panel's category differs from /ticket open:
 * its staff role, where it goes (null: a private thread), its targets, and
 * whether support hours apply (false: no gate, and an SLA clock that never pauses for them).
 */
export interface OpenVia {
  staffRoleId?: string | null;
  categoryId?: string | null;
  policy?: TicketPolicy;
  hours?: boolean;
  /** Whose ticket it is when not the invoker's (staff opening one from a member's message). */
  opener?: Pick<Invoker, 'userId' | 'name' | 'roles'>;
  /** The message it came from (a message's Apps menu): remembered, one ticket per message, and acknowledged there. */
  fromMessage?: { channelId: string; messageId: string };
}

/** Opens a ticket from a panel category's form, within the member's limit (checked by the caller), through the same path as /ticket open. */
export function openViaCategory(h: GuildTicketHost, i: APIModalSubmitInteraction, c: PanelCategory, subject: string, description: string): Promise<Handled> {
  const cfg = h.index.config();
  return openTicket(h, i, c.issueType, c.severity, subject, description, {
    staffRoleId: c.staffRoleId ?? cfg.staffRoleId,
    categoryId: c.mode === 'thread' ? null : (c.parentId ?? cfg.categoryId),
    policy: categoryPolicy(h.index.policy(), c),
    hours: c.hours,
  });
}

/**
 * Writes the ticket before answering: the index row and the handoff job
 * commit together with the remembered answer, with no await in between, so a
 * concurrent duplicate delivery or a second open of the same type sees them.
 */
export async function openTicket(
  h: GuildTicketHost,
  i: APIInteraction,
  issueType: IssueType,
  severity: Severity,
  subject: string,
  description: string,
  via: OpenVia = {},
): Promise<Handled> {
  const channel = i.channel;
  const locale = localeOf(i);
  if (!channel) return refused('no-channel', tr(locale, 'ticket.no-channel'));
  // Every way a ticket opens comes here (command, form, the FAQ's buttons): intake rules and support hours are checked once for all.
  const inv = invokerOf(i);
  const opener = via.opener ?? inv;
  const intake = intakeGate(h, i, opener);
  if (intake) return intake;
  const hours = via.hours === false ? null : h.index.hours();
  const gate = hoursGate(hours, now());
  if (gate.kind === 'refuse') return refused('outside-hours', refusedOutsideHours(locale, gate.staffFrom));
  const staffFrom = gate.kind === 'warn' ? gate.staffFrom : null;
  const cfg = h.index.config();
  const categoryId = via.categoryId === undefined ? cfg.categoryId : via.categoryId;
  const isThread = THREAD_TYPES.includes(channel.type);
  const origin = isThread && 'parent_id' in channel && channel.parent_id ? channel.parent_id : channel.id;
  if (!categoryId && !isThread && channel.type !== ChannelType.GuildText) {
    return refused('bad-channel', tr(locale, 'ticket.bad-channel'));
  }
  // The ticket's clocks (SLA, reminders) run on the injectable clock; the interaction token's lifetime is Discord's real time.
  const at = now();
  const number = h.index.nextNumber();
  const ticket: Ticket = {
    id: ticketId(h.guildId, number),
    guildId: h.guildId,
    number,
    openerId: opener.userId,
    issueType,
    severity,
    subject: maskPersonalData(subject),
    description: maskPersonalData(description),
    status: 'open',
    assigneeId: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    channelId: null,
    originChannelId: origin,
    controlMessageId: null,
    closeReason: null,
    lastChangedBy: inv.userId,
    lastChangedByName: inv.name,
    openerName: opener.name,
    ...TRIAGE_DEFAULTS,
  };
  h.index.upsert(ticket);
  // Opened from a member's message (its Apps menu, or the suggestion's button): acknowledged there.
  if (via.fromMessage) h.index.rememberSource(via.fromMessage.messageId, ticket.id, at);
  const report = via.fromMessage ?? h.index.takeReport(inv.userId, at - REPORT_WINDOW_MS);
  if (report) h.acknowledge(report);
  // The guild holds the record until its ticket actor has it (a job, retried until done),
  // so the member's answer waits for one actor's write, not two.
  h.handoff(ticket, {
    applicationId: h.applicationId,
    staffRoleId: via.staffRoleId ?? cfg.staffRoleId,
    categoryId,
    interactionToken: i.token,
    interactionAt: Date.now(),
    policy: via.policy ?? h.index.policy(),
    hours,
    locale: locale ?? null,
    guildLocale: guildLocaleOf(i) ?? null,
    outsideHours: gate.kind === 'warn' ? { staffFrom } : null,
  });
  const opened = tr(locale, 'ticket.opened', {
    number: String(number),
    type: tr(locale, 'ticket.type', { type: issueType }),
    severity: tr(locale, 'ticket.severity', { severity }),
    subject: ticket.subject,
  });
  const response = reply(ephemeral(gate.kind === 'warn' ? `${opened}\n${outsideHoursNote(locale, staffFrom)}` : opened));
  return {
    response,
    outcome: 'ok',
    detail: `ticket #${number} ${issueType}/${severity}: ${ticket.subject}${gate.kind === 'warn' ? ' (outside support hours)' : ''}`,
  };
}
