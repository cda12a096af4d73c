import {
  ChannelType, InteractionResponseType,
  type APIChatInputApplicationCommandInteraction, type APIInteraction,
  type APIMessageComponentInteraction, type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import { displayName, invokerOf, modalValues, numberOption, reply, stringOption, type SubcommandCall } from '../../discord/interaction.ts';
import { maskPersonalData } from '../audit/mask.ts';
import type { TicketPort, TicketRequest } from './ticket-port.ts';
import type { GuildTicketIndex } from './guild-index.ts';
import { isIssueType, isSeverity, isStatus, ticketId, TRIAGE_DEFAULTS, type IssueType, type Severity, type Ticket, type TicketStatus } from './model.ts';
import type { Actor } from './rules.ts';
import type { ProvisionPlan } from './store.ts';
import { isAdministrator, isTicketStaff } from '../../discord/staff-permissions.ts';
import { ephemeral, refused, type Handled } from '../../discord/handled.ts';
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
  /** Queues the new ticket for its own actor (and its channel), in the same transaction. */
  handoff(t: Ticket, plan: ProvisionPlan): void;
}

export type { Handled };
const THREAD_TYPES: readonly ChannelType[] = [ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread];

/** /ticket … and /setup tickets. */
export async function handleTicketCommand(h: GuildTicketHost, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled> {
  const inv = invokerOf(i);
  const cfg = h.index.config();
  const staff = isTicketStaff(inv.permissions, inv.roles, cfg.staffRoleId);
  switch (call.path) {
    case 'ticket open': {
      const issueType = stringOption(call, 'issue_type');
      const severity = stringOption(call, 'severity');
      if (!isIssueType(issueType) || !isSeverity(severity)) return refused('bad-input', 'Pick an issue type and a severity from the lists.');
      const limit = checkLimit(h, inv.userId, issueType);
      if (limit) return limit;
      const subject = stringOption(call, 'subject')?.trim();
      if (!subject) {
        return { response: { type: InteractionResponseType.Modal, data: detailsModal(h.guildId, issueType, severity) }, outcome: 'ok', detail: 'asked for details' };
      }
      return openTicket(h, i, issueType, severity, subject, '');
    }
    case 'ticket list': {
      if (!staff) return refused('not-staff', 'Only support staff can list tickets.');
      const filter = stringOption(call, 'status') ?? 'active';
      return { response: reply(listPage(h, filter, 0)), outcome: 'ok', detail: filter };
    }
    case 'ticket inbox': {
      if (!staff) return refused('not-staff', 'Only support staff can open the inbox.');
      const link = await h.staffLink(inv.userId);
      if (!link) return refused('inbox-off', 'The staff inbox is not set up on this deployment (STAFF_LINK_SECRET is missing).');
      return { response: reply(ephemeral(`Your staff inbox (valid 12 hours, only for you — don't share it): ${link}`)), outcome: 'ok', detail: '' };
    }
    case 'setup tickets': {
      if (!isAdministrator(inv.permissions)) return refused('not-admin', 'Only administrators can change the ticket setup.');
      const staffRoleId = stringOption(call, 'staff_role');
      const next = {
        staffRoleId,
        categoryId: stringOption(call, 'category'),
        logChannelId: stringOption(call, 'log_channel'),
        maxOpenPerType: numberOption(call, 'max_open_per_type') ?? cfg.maxOpenPerType,
      };
      h.index.setConfig(next);
      return {
        response: reply(ephemeral([
          `Ticket setup saved. Staff role: <@&${staffRoleId}>.`,
          next.categoryId ? `New tickets open as private channels in <#${next.categoryId}>.` : 'New tickets open as private threads in the channel where /ticket open is used.',
          next.logChannelId ? `Ticket events are posted in <#${next.logChannelId}>.` : 'No log channel.',
          `Members may have ${next.maxOpenPerType} open ticket(s) per issue type.`,
        ].join('\n'))),
        outcome: 'ok',
        detail: JSON.stringify(next),
      };
    }
  }
  // The rest act on the ticket whose thread or channel this is.
  const row = h.index.byChannel(i.channel.id);
  if (!row) {
    if (call.path === 'ticket status' && !stringOption(call, 'set')) return myTickets(h, inv.userId);
    return refused('not-in-ticket', 'Run this inside a ticket thread (or use /ticket list to find one).');
  }
  const actor: Actor = { userId: inv.userId, isStaff: staff, name: inv.name };
  let req: TicketRequest;
  switch (call.path) {
    case 'ticket close': req = { kind: 'close-request', reason: stringOption(call, 'reason') }; break;
    case 'ticket claim': req = { kind: 'act', action: { kind: 'claim' } }; break;
    case 'ticket assign': {
      const target = stringOption(call, 'member') ?? '';
      const member = i.data.resolved?.members?.[target];
      if (staff && (!member || !isTicketStaff(member.permissions, member.roles, cfg.staffRoleId))) {
        return refused('assignee-not-staff', `<@${target}> is not support staff here, so they can't take tickets.`);
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
    default:
      return refused('unknown-command', `/${call.path} is not a command this bot knows. Re-register commands with npm run register.`);
  }
  try {
    const r = await h.ticket(row.id).request(req, actor);
    return { response: reply(r.reply), outcome: r.outcome.ok ? 'ok' : `refused:${r.outcome.refusal.code}`, detail: `ticket #${row.number}` };
  } catch (e) {
    console.error(`ticket ${row.id}: ${e instanceof Error ? e.message : String(e)}`);
    return { response: reply(ephemeral(`Ticket #${row.number} could not be reached just now. Nothing was changed; please try again.`)), outcome: 'error', detail: `ticket #${row.number}` };
  }
}

/** The details form of /ticket open. */
export async function handleTicketModal(h: GuildTicketHost, i: APIModalSubmitInteraction, cid: CustomId | null): Promise<Handled> {
  if (cid?.feature !== TICKET_FEATURE || cid.action !== TicketGuildActions.details) return refused('unknown-modal', 'This form is not handled any more.');
  const [issueType, severity] = (cid.extra ?? '').split('.');
  if (!isIssueType(issueType) || !isSeverity(severity)) return refused('bad-input', 'This form is broken; run /ticket open again.');
  const values = modalValues(i);
  const subject = values.get(DETAIL_FIELDS.subject)?.trim() ?? '';
  if (!subject) return refused('bad-input', 'A subject is needed; run /ticket open again.');
  const limit = checkLimit(h, invokerOf(i).userId, issueType);
  if (limit) return limit;
  return openTicket(h, i, issueType, severity, subject, values.get(DETAIL_FIELDS.description)?.trim() ?? '');
}

/** The /ticket list pager. */
export function handleTicketGuildComponent(h: GuildTicketHost, i: APIMessageComponentInteraction, cid: CustomId | null): Handled {
  if (cid?.feature !== TICKET_FEATURE || cid.action !== TicketGuildActions.listPage) return refused('unknown-button', 'That button is not handled any more.');
  const inv = invokerOf(i);
  if (!isTicketStaff(inv.permissions, inv.roles, h.index.config().staffRoleId)) return refused('not-staff', 'Only support staff can list tickets.');
  const [filter = 'active', page = '0'] = (cid.extra ?? '').split('.');
  const { flags: _ephemeralStays, ...data } = listPage(h, filter, Number(page) || 0);
  return { response: { type: InteractionResponseType.UpdateMessage, data }, outcome: 'ok', detail: `${filter} page ${page}` };
}

function listPage(h: GuildTicketHost, filter: string, page: number) {
  const f: TicketStatus | 'active' | 'all' = filter === 'all' || filter === 'active' || isStatus(filter) ? filter : 'active';
  const { rows, total } = h.index.page(f, page, LIST_PAGE_SIZE);
  return ticketListPage(h.guildId, f, page, rows, total);
}

function myTickets(h: GuildTicketHost, userId: string): Handled {
  const rows = h.index.byOpener(userId, 10);
  const text = rows.length
    ? rows.map((r) => `#${r.number} · ${r.status} · ${r.issueType} · ${r.channelId ? `<#${r.channelId}>` : r.subject}`).join('\n')
    : 'You have no tickets. Open one with /ticket open.';
  return { response: reply(ephemeral(text)), outcome: 'ok', detail: '' };
}

function checkLimit(h: GuildTicketHost, userId: string, issueType: IssueType): Handled | null {
  const max = h.index.config().maxOpenPerType;
  if (h.index.activeCount(userId, issueType) < max) return null;
  const open = h.index.byOpener(userId, 50).find((r) => r.issueType === issueType && r.status !== 'closed' && r.status !== 'resolved');
  return refused('limit', `You already have an open ${issueType} ticket${open?.channelId ? `: <#${open.channelId}>` : ''}. Continue there, or close it first.`);
}

/**
 * Writes the ticket before answering: the index row and the handoff job
 * commit together with the remembered answer, with no await in between, so a
 * concurrent duplicate delivery or a second open of the same type sees them.
 */
async function openTicket(h: GuildTicketHost, i: APIInteraction, issueType: IssueType, severity: Severity, subject: string, description: string): Promise<Handled> {
  const channel = i.channel;
  if (!channel) return refused('no-channel', 'Open tickets from a channel of the server.');
  const cfg = h.index.config();
  const isThread = THREAD_TYPES.includes(channel.type);
  const origin = isThread && 'parent_id' in channel && channel.parent_id ? channel.parent_id : channel.id;
  if (!cfg.categoryId && !isThread && channel.type !== ChannelType.GuildText) {
    return refused('bad-channel', 'Private ticket threads can only be made in text channels. Run /ticket open in a text channel, or ask an admin to set a ticket category with /setup tickets.');
  }
  const inv = invokerOf(i);
  const now = Date.now();
  const number = h.index.nextNumber();
  const ticket: Ticket = {
    id: ticketId(h.guildId, number), guildId: h.guildId, number, openerId: inv.userId, issueType, severity,
    subject: maskPersonalData(subject), description: maskPersonalData(description), status: 'open', assigneeId: null,
    version: 1, createdAt: now, updatedAt: now, channelId: null, originChannelId: origin, controlMessageId: null,
    closeReason: null, lastChangedBy: inv.userId, lastChangedByName: inv.name, openerName: inv.name, ...TRIAGE_DEFAULTS,
  };
  h.index.upsert(ticket);
  // The guild holds the record until its ticket actor has it (a job, retried until done),
  // so the member's answer waits for one actor's write, not two.
  h.handoff(ticket, { applicationId: h.applicationId, staffRoleId: cfg.staffRoleId, categoryId: cfg.categoryId, interactionToken: i.token, interactionAt: now });
  const response = reply(ephemeral(`🎫 Ticket #${number} opened (${issueType}, ${severity}): “${ticket.subject}”. Setting up a private thread for you…`));
  return { response, outcome: 'ok', detail: `ticket #${number} ${issueType}/${severity}: ${ticket.subject}` };
}
