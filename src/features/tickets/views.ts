import {
  ButtonStyle, ComponentType, MessageFlags, TextInputStyle,
  type APIActionRowComponent, type APIButtonComponent, type APIComponentInMessageActionRow, type APIEmbed,
  type APIInteractionResponseCallbackData, type APIModalInteractionResponseCallbackData,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import type { IssueType, Severity, Ticket, TicketStatus } from './model.ts';

/** Component actions on a ticket (custom_id `ticket:<action>:<ticket_id>:<version>`). */
export const TICKET_FEATURE = 'ticket';
export const TicketButtons = {
  claim: 'claim',
  escalate: 'escalate',
  close: 'close',
  closeConfirm: 'close-confirm',
  closeCancel: 'close-cancel',
  reopen: 'reopen',
} as const;

/** Guild-owned ticket components: the details modal and the list pager. */
export const TicketGuildActions = { details: 'details', listPage: 'list-page' } as const;

const SEVERITY_COLOR: Record<Severity, number> = { low: 0x95a5a6, medium: 0x3498db, high: 0xe67e22, critical: 0xe74c3c };
const STATUS_LABEL: Record<TicketStatus, string> = {
  open: '🟢 Open', claimed: '🙋 Claimed', waiting: '⏳ Waiting on member', escalated: '🚨 Escalated', resolved: '✅ Resolved', closed: '🔒 Closed',
};

export const statusLabel = (s: TicketStatus): string => STATUS_LABEL[s];
const user = (id: string | null) => (id ? `<@${id}>` : '—');
const unix = (ms: number) => Math.floor(ms / 1000);

export const ephemeral = (content: string): APIInteractionResponseCallbackData => ({
  content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] },
});

function button(action: string, t: Ticket, label: string, style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger | ButtonStyle.Success): APIButtonComponent {
  return { type: ComponentType.Button, style, label, custom_id: encodeCustomId({ feature: TICKET_FEATURE, action, id: t.id, extra: String(t.version) }) };
}

export function ticketEmbed(t: Ticket): APIEmbed {
  return {
    title: `Ticket #${t.number}: ${t.subject}`.slice(0, 256),
    description: t.description ? t.description.slice(0, 4096) : undefined,
    color: SEVERITY_COLOR[t.severity],
    fields: [
      { name: 'Status', value: STATUS_LABEL[t.status], inline: true },
      { name: 'Severity', value: t.severity, inline: true },
      { name: 'Type', value: t.issueType, inline: true },
      { name: 'Opened by', value: user(t.openerId), inline: true },
      { name: 'Assignee', value: user(t.assigneeId), inline: true },
      { name: 'Opened', value: `<t:${unix(t.createdAt)}:R>`, inline: true },
      ...(t.closeReason ? [{ name: 'Close reason', value: t.closeReason.slice(0, 1024) }] : []),
    ],
  };
}

/** Posted in the thread when someone takes the ticket, so the member knows (the claim's own answer is ephemeral to staff). */
export const claimNotice = (t: Pick<Ticket, 'number' | 'assigneeId'>): string =>
  `🙋 <@${t.assigneeId}> from the support team has taken ticket #${t.number} and will help you here.`;

function controlRow(t: Ticket): APIActionRowComponent<APIComponentInMessageActionRow> {
  const buttons: APIButtonComponent[] = t.status === 'closed' || t.status === 'resolved'
    ? [button(TicketButtons.reopen, t, 'Reopen', ButtonStyle.Secondary)]
    : [
        button(TicketButtons.claim, t, t.assigneeId ? 'Claimed' : 'Claim', ButtonStyle.Primary),
        button(TicketButtons.escalate, t, 'Escalate', ButtonStyle.Secondary),
        button(TicketButtons.close, t, 'Close', ButtonStyle.Danger),
      ];
  if (t.assigneeId && buttons[0] && 'custom_id' in buttons[0]) buttons[0].disabled = t.status === 'claimed';
  return { type: ComponentType.ActionRow, components: buttons };
}

/** The control message posted in the ticket's thread; mentions add opener and staff role to a private thread. */
export function controlMessage(t: Ticket, staffRoleId: string | null): RESTPostAPIChannelMessageJSONBody {
  const mentions = [`<@${t.openerId}>`, ...(staffRoleId ? [`<@&${staffRoleId}>`] : [])].join(' ');
  return {
    content: `${mentions} — ticket #${t.number} opened. Describe the problem here; staff will answer in this thread.`,
    embeds: [ticketEmbed(t)],
    components: [controlRow(t)],
    allowed_mentions: { users: [t.openerId], roles: staffRoleId ? [staffRoleId] : [] },
  };
}

/** The control message after a change (no new mentions). */
export function controlMessageUpdate(t: Ticket): RESTPostAPIChannelMessageJSONBody {
  return { embeds: [ticketEmbed(t)], components: [controlRow(t)], allowed_mentions: { parse: [] } };
}

export function closeConfirmation(t: Ticket, reason: string | null): APIInteractionResponseCallbackData {
  return {
    content: `Close ticket #${t.number}${reason ? ` with reason “${reason}”` : ''}? The thread will be archived and locked.`,
    flags: MessageFlags.Ephemeral,
    allowed_mentions: { parse: [] },
    components: [{
      type: ComponentType.ActionRow,
      components: [
        button(TicketButtons.closeConfirm, t, 'Close ticket', ButtonStyle.Danger),
        button(TicketButtons.closeCancel, t, 'Cancel', ButtonStyle.Secondary),
      ],
    }],
  };
}

export const DETAIL_FIELDS = { subject: 'subject', description: 'description' } as const;

/** Asks for the subject and description when /ticket open came without them. */
export function detailsModal(guildId: string, issueType: IssueType, severity: Severity): APIModalInteractionResponseCallbackData {
  return {
    custom_id: encodeCustomId({ feature: TICKET_FEATURE, action: TicketGuildActions.details, id: guildId, extra: `${issueType}.${severity}` }),
    title: `New ${issueType} ticket (${severity})`.slice(0, 45),
    components: [
      { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: DETAIL_FIELDS.subject, label: 'Subject', style: TextInputStyle.Short, min_length: 3, max_length: 100, required: true }] },
      { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: DETAIL_FIELDS.description, label: 'What happened? Steps, error text, device', style: TextInputStyle.Paragraph, max_length: 2000, required: false }] },
    ],
  };
}

/** A ticket as the guild's index holds it: what lists, the staff inbox and metrics need. */
export type TicketListRow = Pick<Ticket, 'id' | 'number' | 'status' | 'severity' | 'issueType' | 'subject' | 'openerId' | 'assigneeId' | 'channelId'
  | 'createdAt' | 'updatedAt' | 'version' | 'openerName' | 'assigneeName' | 'lastMemberMessageAt' | 'firstResponseAt' | 'resolvedAt' | 'closedAt' | 'escalations'>;

export const LIST_PAGE_SIZE = 10;

/** One page of /ticket list, with pager buttons routed back to the guild actor. */
export function ticketListPage(guildId: string, filter: string, page: number, rows: TicketListRow[], total: number): APIInteractionResponseCallbackData {
  const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const lines = rows.map((r) =>
    `**#${r.number}** ${STATUS_LABEL[r.status]} · ${r.severity} · ${r.issueType} · ${r.channelId ? `<#${r.channelId}>` : r.subject.slice(0, 60)} · by ${user(r.openerId)} · ${r.assigneeId ? `→ ${user(r.assigneeId)}` : 'unassigned'} · <t:${unix(r.createdAt)}:R>`);
  const pager = (p: number, label: string): APIButtonComponent => ({
    type: ComponentType.Button, style: ButtonStyle.Secondary, label, disabled: p < 0 || p >= pages,
    custom_id: encodeCustomId({ feature: TICKET_FEATURE, action: TicketGuildActions.listPage, id: guildId, extra: `${filter}.${Math.max(0, Math.min(p, pages - 1))}.${label === '◀' ? 'p' : 'n'}` }),
  });
  return {
    content: (total === 0 ? `No ${filter} tickets.` : `**${filter} tickets** — ${total} total, page ${page + 1}/${pages}\n${lines.join('\n')}`).slice(0, 2000),
    flags: MessageFlags.Ephemeral,
    allowed_mentions: { parse: [] },
    components: total > LIST_PAGE_SIZE ? [{ type: ComponentType.ActionRow, components: [pager(page - 1, '◀'), pager(page + 1, '▶')] }] : [],
  };
}
