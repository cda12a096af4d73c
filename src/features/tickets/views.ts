import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIInteractionResponseCallbackData,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type RESTPostAPIChannelMessageJSONBody,
  TextInputStyle,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import { type MessageKey, t as tr } from '../../i18n/index.ts';
import type { IssueType, Severity, Ticket, TicketStatus } from './model.ts';
import { slaFields } from './upkeep/views.ts';

/** Component actions on a ticket (custom_id `ticket:<action>:<ticket_id>:<version>`). */
export const TICKET_FEATURE = 'ticket';
export const TicketButtons = {
  claim: 'claim',
  escalate: 'escalate',
  close: 'close',
  closeConfirm: 'close-confirm',
  closeCancel: 'close-cancel',
  reopen: 'reopen',
  /** The member's answers to a staff close request (no version: the answer stands whatever staff changed meanwhile). */
  closeRequestAccept: 'closereq-accept',
  closeRequestDeny: 'closereq-deny',
  /** The opener's 1–5 rating after a close (custom_id extra `<closedAt>.<score>`; in the opener's DMs, or the thread). */
  rate: 'rate',
  /** The exit survey form that follows a rating (extra `<closedAt>`). */
  survey: 'survey',
} as const;

/** Guild-owned ticket components: the details modal and the list pager. */
export const TicketGuildActions = { details: 'details', listPage: 'list-page', suggestOpen: 'suggest-open' } as const;

const SEVERITY_COLOR: Record<Severity, number> = { low: 0x95a5a6, medium: 0x3498db, high: 0xe67e22, critical: 0xe74c3c };
const STATUS_LABEL: Record<TicketStatus, MessageKey> = {
  open: 'ticket.status.open',
  claimed: 'ticket.status.claimed',
  waiting: 'ticket.status.waiting',
  escalated: 'ticket.status.escalated',
  resolved: 'ticket.status.resolved',
  closed: 'ticket.status.closed',
};

export const statusLabel = (s: TicketStatus, locale?: string): string => tr(locale, STATUS_LABEL[s]);
export const severityLabel = (severity: Severity, locale?: string) => tr(locale, 'ticket.severity', { severity });
export const typeLabel = (type: IssueType, locale?: string) => tr(locale, 'ticket.type', { type });
const user = (id: string | null) => (id ? `<@${id}>` : '—');
const unix = (ms: number) => Math.floor(ms / 1000);

export const ephemeral = (content: string): APIInteractionResponseCallbackData => ({
  content,
  flags: MessageFlags.Ephemeral,
  allowed_mentions: { parse: [] },
});

function button(
  action: string,
  t: Ticket,
  label: string,
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger | ButtonStyle.Success,
): APIButtonComponent {
  return { type: ComponentType.Button, style, label, custom_id: encodeCustomId({ feature: TICKET_FEATURE, action, id: t.id, extra: String(t.version) }) };
}

/** The ticket as an embed; `locale` is the reader's (a person) or the guild's (a channel post). */
export function ticketEmbed(t: Ticket, locale?: string): APIEmbed {
  return {
    title: tr(locale, 'ticket.embed.title', { number: String(t.number), subject: t.subject }).slice(0, 256),
    description: t.description ? t.description.slice(0, 4096) : undefined,
    color: SEVERITY_COLOR[t.severity],
    fields: [
      { name: tr(locale, 'ticket.embed.status'), value: statusLabel(t.status, locale), inline: true },
      { name: tr(locale, 'ticket.embed.severity'), value: severityLabel(t.severity, locale), inline: true },
      { name: tr(locale, 'ticket.embed.type'), value: typeLabel(t.issueType, locale), inline: true },
      { name: tr(locale, 'ticket.embed.opened-by'), value: user(t.openerId), inline: true },
      { name: tr(locale, 'ticket.embed.assignee'), value: user(t.assigneeId), inline: true },
      { name: tr(locale, 'ticket.embed.opened'), value: `<t:${unix(t.createdAt)}:R>`, inline: true },
      ...slaFields(t, locale),
      ...(t.category ? [{ name: tr(locale, 'ticket.embed.category'), value: t.category.name.slice(0, 1024), inline: true }] : []),
      ...(t.tags?.length
        ? [
            {
              name: tr(locale, 'ticket.embed.tags'),
              value: t.tags
                .map((x) => `\`${x}\``)
                .join(' ')
                .slice(0, 1024),
              inline: true,
            },
          ]
        : []),
      ...(t.closeReason ? [{ name: tr(locale, 'ticket.embed.close-reason'), value: t.closeReason.slice(0, 1024) }] : []),
    ],
  };
}

/** Posted in the thread when someone takes the ticket, so the member knows (the claim's own answer is ephemeral to staff). */
export const claimNotice = (t: Pick<Ticket, 'number' | 'assigneeId'>, locale?: string): string =>
  tr(locale, 'ticket.claim-notice', { user: t.assigneeId ?? '', number: String(t.number) });

function controlRow(t: Ticket, locale?: string): APIActionRowComponent<APIComponentInMessageActionRow> {
  const buttons: APIButtonComponent[] =
    t.status === 'closed' || t.status === 'resolved'
      ? [button(TicketButtons.reopen, t, tr(locale, 'ticket.button.reopen'), ButtonStyle.Secondary)]
      : [
          button(TicketButtons.claim, t, tr(locale, t.assigneeId ? 'ticket.button.claimed' : 'ticket.button.claim'), ButtonStyle.Primary),
          button(TicketButtons.escalate, t, tr(locale, 'ticket.button.escalate'), ButtonStyle.Secondary),
          button(TicketButtons.close, t, tr(locale, 'ticket.button.close'), ButtonStyle.Danger),
        ];
  if (t.assigneeId && buttons[0] && 'custom_id' in buttons[0]) buttons[0].disabled = t.status === 'claimed';
  return { type: ComponentType.ActionRow, components: buttons };
}

/**
 * The control message posted in the ticket's thread; mentions add opener and staff role to a private thread.
 * `note` follows the greeting (when staff answer, for a ticket opened outside support hours).
 */
export function controlMessage(t: Ticket, staffRoleId: string | null, locale?: string, note?: string): RESTPostAPIChannelMessageJSONBody {
  const mentions = [`<@${t.openerId}>`, ...(staffRoleId ? [`<@&${staffRoleId}>`] : [])].join(' ');
  const greeting = tr(locale, 'ticket.control.opened', { mentions, number: String(t.number) });
  return {
    content: note ? `${greeting}\n${note}` : greeting,
    embeds: [ticketEmbed(t, locale)],
    components: [controlRow(t, locale)],
    allowed_mentions: { users: [t.openerId], roles: staffRoleId ? [staffRoleId] : [] },
  };
}

/** The control message after a change (no new mentions). */
export function controlMessageUpdate(t: Ticket, locale?: string): RESTPostAPIChannelMessageJSONBody {
  return { embeds: [ticketEmbed(t, locale)], components: [controlRow(t, locale)], allowed_mentions: { parse: [] } };
}

export function closeConfirmation(t: Ticket, reason: string | null, locale?: string): APIInteractionResponseCallbackData {
  return {
    content: tr(locale, 'ticket.close.confirm', { number: String(t.number), hasReason: reason ? 'yes' : 'no', reason: reason ?? '' }),
    flags: MessageFlags.Ephemeral,
    allowed_mentions: { parse: [] },
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          button(TicketButtons.closeConfirm, t, tr(locale, 'ticket.button.close-confirm'), ButtonStyle.Danger),
          button(TicketButtons.closeCancel, t, tr(locale, 'ticket.button.cancel'), ButtonStyle.Secondary),
        ],
      },
    ],
  };
}

export const DETAIL_FIELDS = { subject: 'subject', description: 'description' } as const;

/** Asks for the subject and description when /ticket open came without them. */
export function detailsModal(guildId: string, issueType: IssueType, severity: Severity, locale?: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: encodeCustomId({ feature: TICKET_FEATURE, action: TicketGuildActions.details, id: guildId, extra: `${issueType}.${severity}` }),
    title: tr(locale, 'ticket.modal.title', { type: typeLabel(issueType, locale), severity: severityLabel(severity, locale) }).slice(0, 45),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: DETAIL_FIELDS.subject,
            label: tr(locale, 'ticket.modal.subject'),
            style: TextInputStyle.Short,
            min_length: 3,
            max_length: 100,
            required: true,
          },
        ],
      },
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: DETAIL_FIELDS.description,
            label: tr(locale, 'ticket.modal.description'),
            style: TextInputStyle.Paragraph,
            max_length: 2000,
            required: false,
          },
        ],
      },
    ],
  };
}

/** A ticket as the guild's index holds it: what lists, the staff inbox and metrics need. */
export type TicketListRow = Pick<
  Ticket,
  | 'id'
  | 'number'
  | 'status'
  | 'severity'
  | 'issueType'
  | 'subject'
  | 'openerId'
  | 'assigneeId'
  | 'channelId'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
  | 'openerName'
  | 'assigneeName'
  | 'lastMemberMessageAt'
  | 'firstResponseAt'
  | 'resolvedAt'
  | 'closedAt'
  | 'escalations'
  | 'firstDueAt'
  | 'resolveDueAt'
  | 'firstMet'
  | 'resolveMet'
  | 'staffMessages'
  | 'rating'
  | 'ratedAt'
  | 'survey'
> & { tags: string[]; categoryName: string | null };

export const LIST_PAGE_SIZE = 10;

/** One page of /ticket list, with pager buttons routed back to the guild actor. */
export function ticketListPage(
  guildId: string,
  filter: string,
  page: number,
  rows: TicketListRow[],
  total: number,
  locale?: string,
  tag: string | null = null,
): APIInteractionResponseCallbackData {
  const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const lines = rows.map((r) =>
    tr(locale, 'ticket.list.line', {
      number: String(r.number),
      status: statusLabel(r.status, locale),
      severity: severityLabel(r.severity, locale),
      type: typeLabel(r.issueType, locale),
      where: r.channelId ? `<#${r.channelId}>` : r.subject.slice(0, 60),
      opener: user(r.openerId),
      assignee: r.assigneeId ? `→ ${user(r.assigneeId)}` : tr(locale, 'ticket.list.unassigned'),
      created: unix(r.createdAt),
    }),
  );
  const filterLabel = tag
    ? tr(locale, 'ticket.list.tagged', { filter: tr(locale, 'ticket.filter', { filter }), tag })
    : tr(locale, 'ticket.filter', { filter });
  const pager = (p: number, label: string): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    disabled: p < 0 || p >= pages,
    custom_id: encodeCustomId({
      feature: TICKET_FEATURE,
      action: TicketGuildActions.listPage,
      id: guildId,
      extra: `${filter}.${Math.max(0, Math.min(p, pages - 1))}.${label === '◀' ? 'p' : 'n'}${tag ? `.${tag}` : ''}`,
    }),
  });
  return {
    content: (total === 0
      ? tr(locale, 'ticket.list.empty', { filter: filterLabel })
      : `${tr(locale, 'ticket.list.header', { filter: filterLabel, total, page: page + 1, pages })}\n${lines.join('\n')}`
    ).slice(0, 2000),
    flags: MessageFlags.Ephemeral,
    allowed_mentions: { parse: [] },
    components: total > LIST_PAGE_SIZE ? [{ type: ComponentType.ActionRow, components: [pager(page - 1, '◀'), pager(page + 1, '▶')] }] : [],
  };
}
