import {
  ChannelType, OverwriteType, PermissionFlagsBits, Routes, ThreadAutoArchiveDuration,
  type APIChannel, type APIMessage, type RESTPatchAPIChannelJSONBody, type RESTPostAPIGuildChannelJSONBody,
  type RESTPostAPIChannelThreadsJSONBody,
} from 'discord-api-types/v10';
import { permissionBits as bits } from '../../discord/permissions.ts';
import type { DiscordRest, RestError } from '../../discord/rest.ts';
import { ok, type Result } from '../../lib/result.ts';
import type { Ticket } from './model.ts';
import type { ProvisionPlan } from './store.ts';
import { controlMessage, controlMessageUpdate } from './views.ts';
import { t as tr } from '../../i18n/index.ts';

/** What the ticket actor remembers of the Discord side, so each step runs once. */
export interface DiscordSide {
  memberIds: string[];
  archived: boolean;
  renderedVersion: number;
  originalEdited: boolean;
  /** Set when Discord refused for good (e.g. missing permissions); shown to staff, not retried. */
  error: string | null;
}

export const EMPTY_SIDE: DiscordSide = { memberIds: [], archived: false, renderedVersion: 0, originalEdited: false, error: null };

export type SyncOutcome = { kind: 'done' } | { kind: 'retry'; error: RestError } | { kind: 'failed'; error: RestError };

/** 4xx other than 429 will fail the same way again; everything else is worth retrying. */
export function isPermanent(e: RestError): boolean {
  return e.kind === 'discord' && e.status >= 400 && e.status < 500;
}

const MEMBER_ALLOW = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ReadMessageHistory | PermissionFlagsBits.AttachFiles;
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;

export interface SyncHost {
  rest: DiscordRest;
  plan: ProvisionPlan;
  load(): Ticket;
  /** Remembers the control message (not a status change: no history line). */
  saveControlMessage(messageId: string): void;
  side(): DiscordSide;
  saveSide(s: DiscordSide): void;
}

/**
 * Brings Discord in line with the ticket, in the thread or channel the guild
 * created for it: adds opener and assignee, posts or edits the control message,
 * archives on close and unarchives on reopen. Idempotent; re-reads the ticket
 * after every call so changes made meanwhile are not missed.
 */
export async function syncTicketToDiscord(h: SyncHost): Promise<SyncOutcome> {
  for (let round = 0; round < 10; round++) {
    const t = h.load();
    const side = h.side();
    const step = await nextStep(h, t, side);
    if (step === 'in-sync') return { kind: 'done' };
    if (step !== 'progress') return isPermanent(step) ? { kind: 'failed', error: step } : { kind: 'retry', error: step };
  }
  return { kind: 'done' };
}

/**
 * Creates the ticket's private thread in the channel it was opened from (or a
 * private channel in the configured category). Run by the guild actor, whose
 * one REST client sees the shared buckets of the guild's channels, so a burst
 * of new tickets queues instead of hitting 429s.
 */
export async function createTicketChannel(rest: DiscordRest, t: Ticket, plan: ProvisionPlan): Promise<Result<string, RestError>> {
  const r = plan.categoryId === null
    ? await rest.post<APIChannel>(Routes.threads(t.originChannelId), {
        body: { name: `#${t.number} ${t.issueType}: ${t.subject}`.slice(0, 100), type: ChannelType.PrivateThread, auto_archive_duration: ThreadAutoArchiveDuration.OneWeek, invitable: false } satisfies RESTPostAPIChannelThreadsJSONBody,
        reason: `Ticket #${t.number}`,
      })
    : await rest.post<APIChannel>(Routes.guildChannels(t.guildId), {
        body: {
          name: `ticket-${t.number}`, type: ChannelType.GuildText, parent_id: plan.categoryId, topic: `Ticket #${t.number}: ${t.subject}`.slice(0, 1024),
          permission_overwrites: [
            { id: t.guildId, type: OverwriteType.Role, deny: bits(PermissionFlagsBits.ViewChannel) },
            { id: t.openerId, type: OverwriteType.Member, allow: bits(MEMBER_ALLOW) },
            { id: plan.applicationId, type: OverwriteType.Member, allow: bits(MEMBER_ALLOW | PermissionFlagsBits.ManageChannels | PermissionFlagsBits.ManageMessages) },
            ...(plan.staffRoleId ? [{ id: plan.staffRoleId, type: OverwriteType.Role, allow: bits(MEMBER_ALLOW) }] : []),
          ],
        } satisfies RESTPostAPIGuildChannelJSONBody,
        reason: `Ticket #${t.number}`,
      });
  return r.ok ? ok(r.value.id) : r;
}

async function nextStep(h: SyncHost, t: Ticket, side: DiscordSide): Promise<'in-sync' | 'progress' | RestError> {
  const { rest, plan } = h;
  const isThread = plan.categoryId === null;
  if (!t.channelId) {
    // The guild could not create a channel for good (e.g. missing permissions): tell the member once.
    if (!side.originalEdited && plan.channelError && plan.interactionToken && Date.now() - plan.interactionAt < INTERACTION_TOKEN_LIFETIME_MS) {
      await rest.patch<APIMessage>(Routes.webhookMessage(plan.applicationId, plan.interactionToken, '@original'), {
        body: { content: tr(plan.locale, 'ticket.thread-failed', { number: t.number, error: plan.channelError ?? '' }), allowed_mentions: { parse: [] } },
      });
      h.saveSide({ ...side, originalEdited: true, error: plan.channelError });
      return 'progress';
    }
    return 'in-sync';
  }
  const channelId = t.channelId;
  if (side.archived && t.status !== 'closed') {
    const r = await lockChannel(h, t, channelId, false);
    if (!r.ok) return r.error;
    h.saveSide({ ...side, archived: false });
    return 'progress';
  }
  const wanted = isThread ? [t.openerId, ...(t.assigneeId ? [t.assigneeId] : [])] : [];
  const missing = wanted.find((id) => !side.memberIds.includes(id));
  if (missing && !side.archived) {
    const r = await rest.put<void>(Routes.threadMembers(channelId, missing));
    if (!r.ok) return r.error;
    h.saveSide({ ...side, memberIds: [...side.memberIds, missing] });
    return 'progress';
  }
  if (!t.controlMessageId) {
    const r = await rest.post<APIMessage>(Routes.channelMessages(channelId), { body: controlMessage(t, plan.staffRoleId, plan.guildLocale ?? undefined) });
    if (!r.ok) return r.error;
    h.saveControlMessage(r.value.id);
    h.saveSide({ ...h.side(), renderedVersion: t.version });
    return 'progress';
  }
  if (!side.originalEdited && plan.interactionToken && Date.now() - plan.interactionAt < INTERACTION_TOKEN_LIFETIME_MS) {
    const r = await rest.patch<APIMessage>(Routes.webhookMessage(plan.applicationId, plan.interactionToken, '@original'), {
      body: { content: tr(plan.locale, 'ticket.ready', { number: t.number, channel: channelId }), allowed_mentions: { parse: [] } },
    });
    // The confirmation may already be gone (dismissed); that is not worth a retry.
    if (!r.ok && !isPermanent(r.error)) return r.error;
    h.saveSide({ ...side, originalEdited: true });
    return 'progress';
  }
  if (side.renderedVersion < t.version && !side.archived) {
    const r = await rest.patch<APIMessage>(Routes.channelMessage(channelId, t.controlMessageId), { body: controlMessageUpdate(t, plan.guildLocale ?? undefined) });
    if (!r.ok) return r.error;
    h.saveSide({ ...side, renderedVersion: t.version });
    return 'progress';
  }
  if (t.status === 'closed' && !side.archived) {
    const note = await rest.post<APIMessage>(Routes.channelMessages(channelId), {
      body: { content: tr(plan.guildLocale, 'ticket.closed-by', { number: t.number, user: t.lastChangedBy, hasReason: t.closeReason ? 'yes' : 'no', reason: t.closeReason ?? '' }), allowed_mentions: { parse: [] } },
    });
    if (!note.ok) return note.error;
    const r = await lockChannel(h, t, channelId, true);
    if (!r.ok) return r.error;
    h.saveSide({ ...side, archived: true });
    return 'progress';
  }
  return 'in-sync';
}

/** Closed threads are archived and locked; closed channels stop the opener from writing. */
function lockChannel(h: SyncHost, t: Ticket, channelId: string, locked: boolean) {
  if (h.plan.categoryId === null) {
    return h.rest.patch<APIChannel>(Routes.channel(channelId), { body: { archived: locked, locked } satisfies RESTPatchAPIChannelJSONBody, reason: `Ticket #${t.number} ${locked ? 'closed' : 'reopened'}` });
  }
  return h.rest.put<void>(Routes.channelPermission(channelId, t.openerId), {
    body: { type: OverwriteType.Member, allow: bits(locked ? PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory : MEMBER_ALLOW), deny: bits(locked ? PermissionFlagsBits.SendMessages : 0n) },
    reason: `Ticket #${t.number} ${locked ? 'closed' : 'reopened'}`,
  });
}
