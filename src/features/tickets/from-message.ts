import {
  type APIGuildMember,
  type APIMessage,
  type APIMessageApplicationCommandInteraction,
  ApplicationCommandType,
  InteractionContextType,
  MessageType,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { type Handled, refused } from '../../discord/handled.ts';
import { displayName, invokerOf } from '../../discord/interaction.ts';
import { isTicketStaff } from '../../discord/staff-permissions.ts';
import { guildLocaleOf, t as tr } from '../../i18n/index.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { now } from '../../runtime/clock.ts';
import { checkLimit, type GuildTicketHost, openTicket } from './guild-commands.ts';
import { checkIntake, type IntakeRefusal } from './intake/rules.ts';
import type { IssueType, Severity } from './model.ts';

/** The message command's name (a message's Apps menu); localized from the catalog's `cmd.Open ticket.name`. */
export const OPEN_TICKET_MENU = 'Open ticket';

/** "Open ticket" in a message's Apps menu: no description and no options (Discord refuses both on message commands). */
export const openTicketMenuCommand: RESTPostAPIContextMenuApplicationCommandsJSONBody = {
  type: ApplicationCommandType.Message,
  name: OPEN_TICKET_MENU,
  contexts: [InteractionContextType.Guild],
};

/**
 * A ticket from a message starts untriaged: the message says nothing about
 * the kind of problem, so it is `other` at `medium`, and staff set both
 * afterwards (/ticket status, the inbox), as after any other open.
 */
export const FROM_MESSAGE_TRIAGE: { issueType: IssueType; severity: Severity } = { issueType: 'other', severity: 'medium' };

/** The subject's limit: the same as /ticket open's subject option and form field. */
export const SUBJECT_MAX = 100;
/** The message text kept in the description: the same as /ticket open's description field. */
export const DESCRIPTION_MAX = 2000;

/** Message types a member writes; every other type is a system message (joins, pins, boosts, …). */
const MEMBER_MESSAGE_TYPES: readonly MessageType[] = [MessageType.Default, MessageType.Reply];

export type SourceRefusal = 'no-message' | 'system' | 'bot' | 'not-yours';

/**
 * Whether a ticket may open from this message for this invoker: a member's
 * own message, or any member's message for staff; never a system message or
 * one by a bot or webhook.
 */
export function checkSource(msg: APIMessage | undefined, invoker: { userId: string; staff: boolean }): Result<APIMessage, SourceRefusal> {
  if (!msg) return err('no-message');
  if (!MEMBER_MESSAGE_TYPES.includes(msg.type)) return err('system');
  if (msg.author.bot || msg.webhook_id) return err('bot');
  if (msg.author.id !== invoker.userId && !invoker.staff) return err('not-yours');
  return ok(msg);
}

/** Cuts to `max` characters without splitting a character made of two UTF-16 units. */
const cut = (s: string, max: number): string => {
  const chars = [...s];
  return chars.length > max ? chars.slice(0, max).join('') : s;
};

/**
 * The ticket's subject and description from a message: its first line (or
 * its first file's name, or a placeholder) as the subject; its text, its
 * files by name and a jump link to it as the description. Masked later with
 * everything else a ticket stores (openTicket). `locale`: the staff-facing
 * words (the guild's language; the description is read by staff).
 */
export function ticketTextOf(msg: APIMessage, guildId: string, locale: string | undefined): { subject: string; description: string } {
  const text = msg.content.trim();
  const firstLine = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  const files = (msg.attachments ?? []).map((a) => a.filename);
  const subject = cut(firstLine ?? files[0] ?? tr(locale, 'ticket.from-message.no-text'), SUBJECT_MAX);
  const link = `https://discord.com/channels/${guildId}/${msg.channel_id}/${msg.id}`;
  const description = [
    ...(text ? [cut(text, DESCRIPTION_MAX), ''] : []),
    ...(files.length ? [tr(locale, 'ticket.from-message.attachments', { files: files.join(', ') })] : []),
    tr(locale, 'ticket.from-message.source', { link }),
  ].join('\n');
  return { subject, description };
}

/** The catalog's select keys for an intake refusal (ICU select keys are words, without dashes). */
const INTAKE_REASON: Record<IntakeRefusal['code'], string> = { blocked: 'blocked', 'not-allowed': 'notallowed', cooldown: 'cooldown' };

/** What opening a ticket from a message needs beyond the ticket commands' host. */
export interface FromMessageHost {
  tickets: GuildTicketHost;
  /** The author as a member now (roles for the intake rules): null when they left the guild; an error when Discord could not say. */
  member(userId: string): Promise<Result<APIGuildMember | null, string>>;
}

/**
 * "Open ticket" on a message: a ticket whose opener is the message's author,
 * under the same intake rules, per-type limit and support hours as /ticket
 * open. One ticket per message: the source is written with the ticket, with
 * no await between the check and the writes (see openTicket).
 */
export async function handleOpenFromMessage(h: FromMessageHost, i: APIMessageApplicationCommandInteraction): Promise<Handled> {
  const t = h.tickets;
  const locale = i.locale;
  const inv = invokerOf(i);
  const staff = isTicketStaff(inv.permissions, inv.roles, t.index.config().staffRoleId);
  const source = checkSource(i.data.resolved?.messages?.[i.data.target_id], { userId: inv.userId, staff });
  if (!source.ok) return refused(source.error, tr(locale, `ticket.from-message.${source.error}`));
  const msg = source.value;
  const already = () => {
    const row = t.index.ticketFromMessage(msg.id);
    return row
      ? refused('already', tr(locale, 'ticket.from-message.already', { number: String(row.number), channel: row.channelId ?? 'none' }), `ticket #${row.number}`)
      : null;
  };
  const first = already();
  if (first) return first;
  const { issueType, severity } = FROM_MESSAGE_TRIAGE;
  let opener = { userId: inv.userId, name: inv.name, roles: inv.roles };
  if (msg.author.id === inv.userId) {
    const limit = checkLimit(t, inv.userId, issueType, locale);
    if (limit) return limit;
  } else {
    const member = await h.member(msg.author.id);
    // Again after the wait for Discord: a concurrent use on this message may have opened it meanwhile.
    // From here to openTicket's writes, nothing awaits.
    const after = already();
    if (after) return after;
    if (!member.ok) return { ...refused('error', tr(locale, 'common.failed'), member.error), outcome: 'error' };
    if (!member.value) return refused('author-gone', tr(locale, 'ticket.from-message.author-gone'));
    opener = { userId: msg.author.id, name: displayName(msg.author, member.value.nick), roles: member.value.roles };
    // Checked here too (openTicket checks them again) to tell staff about the author, not about themselves.
    const intake = checkIntake(t.index.intake(), opener, t.index.lastOpenedAt(opener.userId), now());
    if (!intake.ok) {
      const at = intake.error.code === 'cooldown' ? Math.floor(intake.error.until / 1000) : 0;
      const reason = INTAKE_REASON[intake.error.code];
      return refused(`intake-${intake.error.code}`, tr(locale, 'ticket.from-message.author-intake', { reason, user: opener.userId, at }));
    }
    if (checkLimit(t, opener.userId, issueType, locale)) {
      const open = t.index.byOpener(opener.userId, 50).find((r) => r.issueType === issueType && r.status !== 'closed' && r.status !== 'resolved');
      return refused(
        'limit',
        tr(locale, 'ticket.from-message.author-limit', {
          user: opener.userId,
          type: tr(locale, 'ticket.type', { type: issueType }),
          channel: open?.channelId ?? 'none',
        }),
      );
    }
  }
  const { subject, description } = ticketTextOf(msg, t.guildId, guildLocaleOf(i));
  return openTicket(t, i, issueType, severity, subject, description, { opener, fromMessage: { channelId: msg.channel_id, messageId: msg.id } });
}
