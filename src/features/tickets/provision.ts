import {
  type APIChannel,
  type APIMessage,
  ChannelType,
  OverwriteType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type RESTPatchAPIChannelJSONBody,
  type RESTPostAPIChannelThreadsJSONBody,
  type RESTPostAPIGuildChannelJSONBody,
  Routes,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import { isPermanent } from '../../discord/errors.ts';
import { syncManagedMessage } from '../../discord/managed-message.ts';
import { permissionBits as bits } from '../../discord/permissions.ts';
import { type DiscordRest, describeRestError, type RestError } from '../../discord/rest.ts';
import { t as tr } from '../../i18n/index.ts';
import { ok, type Result } from '../../lib/result.ts';
import type { AuditEntry } from '../audit/log.ts';
import { outsideHoursNote } from './hours/views.ts';
import type { Ticket } from './model.ts';
import type { ProvisionPlan } from './store.ts';
import { claimNotice, controlMessage, controlMessageUpdate } from './views.ts';

/** What the ticket actor remembers of the Discord side, so each step runs once. */
export interface DiscordSide {
  memberIds: string[];
  archived: boolean;
  renderedVersion: number;
  originalEdited: boolean;
  /** Set when Discord refused for good (e.g. missing permissions); shown to staff, not retried. */
  error: string | null;
  /** Steps Discord refused for good and that were skipped (audited once each), e.g. `member:<id>`, `control`. */
  skipped: string[];
  /** The close (its closedAt) whose note was posted in the thread, or skipped. */
  closeNotedAt: number | null;
  /** The assignee the thread was last told about (the member sees who took their ticket). */
  announcedAssigneeId: string | null;
}

export const EMPTY_SIDE: DiscordSide = {
  memberIds: [],
  archived: false,
  renderedVersion: 0,
  originalEdited: false,
  error: null,
  skipped: [],
  closeNotedAt: null,
  announcedAssigneeId: null,
};

export type SyncOutcome = { kind: 'done' } | { kind: 'retry'; error: RestError } | { kind: 'failed'; error: RestError };

export { isPermanent };

/** Discord's limit on a message's content. */
export const MAX_MESSAGE_CONTENT = 2000;

/** The note posted in the thread when the ticket closes, cut to fit a Discord message however long the reason. */
export function closingNote(t: Pick<Ticket, 'number' | 'lastChangedBy' | 'closeReason'>, locale?: string): string {
  const full = tr(locale, 'ticket.closed-by', {
    number: String(t.number),
    user: t.lastChangedBy ?? '',
    hasReason: t.closeReason ? 'yes' : 'no',
    reason: t.closeReason ?? '',
  });
  return full.length <= MAX_MESSAGE_CONTENT ? full : `${full.slice(0, MAX_MESSAGE_CONTENT - 1)}…`;
}

/** The audit entry for a sync step Discord refused for good and that was skipped. */
export function skippedStepAudit(t: Pick<Ticket, 'guildId' | 'number'>, step: string, error: RestError, at: number): AuditEntry {
  return {
    at,
    guildId: t.guildId,
    userId: 'guildkeep',
    action: 'ticket sync',
    outcome: `skipped:${step.split(':')[0]}`,
    latencyMs: 0,
    detail: `ticket #${t.number}: ${step} skipped: ${describeRestError(error)}`,
  };
}

/** What the opener and staff may do in a ticket's own channel. */
export const MEMBER_ALLOW =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ReadMessageHistory | PermissionFlagsBits.AttachFiles;
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;

export interface SyncHost {
  rest: DiscordRest;
  plan: ProvisionPlan;
  load(): Ticket;
  /** Remembers the control message (not a status change: no history line). */
  saveControlMessage(messageId: string): void;
  side(): DiscordSide;
  saveSide(s: DiscordSide): void;
  /** A step Discord refused for good was skipped; the rest of the sync goes on. */
  skipped(step: string, error: RestError): void;
}

/**
 * Brings Discord in line with the ticket, in the thread or channel the guild
 * created for it: adds opener and assignee, posts or edits the control message,
 * archives on close and unarchives on reopen. Idempotent; re-reads the ticket
 * after every call so changes made meanwhile are not missed. Each step stands
 * alone: one Discord refuses for good (an assignee who left, a message it will
 * not take) is skipped and audited, so a closed ticket is still archived and locked.
 */
export async function syncTicketToDiscord(h: SyncHost): Promise<SyncOutcome> {
  for (let round = 0; round < 20; round++) {
    const t = h.load();
    // Sides saved before a field existed lack it.
    const side: DiscordSide = { ...EMPTY_SIDE, ...h.side() };
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
  const r =
    plan.categoryId === null
      ? await rest.post<APIChannel>(Routes.threads(t.originChannelId), {
          body: {
            name: `#${t.number} ${t.issueType}: ${t.subject}`.slice(0, 100),
            type: ChannelType.PrivateThread,
            auto_archive_duration: ThreadAutoArchiveDuration.OneWeek,
            invitable: false,
          } satisfies RESTPostAPIChannelThreadsJSONBody,
          reason: `Ticket #${t.number}`,
        })
      : await rest.post<APIChannel>(Routes.guildChannels(t.guildId), {
          body: {
            name: `ticket-${t.number}`,
            type: ChannelType.GuildText,
            parent_id: plan.categoryId,
            topic: `Ticket #${t.number}: ${t.subject}`.slice(0, 1024),
            permission_overwrites: [
              { id: t.guildId, type: OverwriteType.Role, deny: bits(PermissionFlagsBits.ViewChannel) },
              { id: t.openerId, type: OverwriteType.Member, allow: bits(MEMBER_ALLOW) },
              {
                id: plan.applicationId,
                type: OverwriteType.Member,
                allow: bits(MEMBER_ALLOW | PermissionFlagsBits.ManageChannels | PermissionFlagsBits.ManageMessages),
              },
              ...(plan.staffRoleId ? [{ id: plan.staffRoleId, type: OverwriteType.Role, allow: bits(MEMBER_ALLOW) }] : []),
            ],
          } satisfies RESTPostAPIGuildChannelJSONBody,
          reason: `Ticket #${t.number}`,
        });
  return r.ok ? ok(r.value.id) : r;
}

/**
 * The outcome of one step's Discord call: a transient error is returned (the
 * job retries), a permanent one is recorded as skipped and the sync goes on.
 */
function settle(
  h: SyncHost,
  side: DiscordSide,
  step: string,
  r: { ok: true } | { ok: false; error: RestError },
  after: Partial<DiscordSide>,
): 'progress' | RestError {
  if (!r.ok && !isPermanent(r.error)) return r.error;
  if (!r.ok) {
    h.skipped(step, r.error);
    h.saveSide({ ...side, ...after, skipped: [...side.skipped, step] });
    return 'progress';
  }
  h.saveSide({ ...side, ...after });
  return 'progress';
}

async function nextStep(h: SyncHost, t: Ticket, side: DiscordSide): Promise<'in-sync' | 'progress' | RestError> {
  const { rest, plan } = h;
  const isThread = plan.categoryId === null;
  if (!t.channelId) {
    // The guild could not create a channel for good (e.g. missing permissions): tell the member once.
    if (!side.originalEdited && plan.channelError && plan.interactionToken && Date.now() - plan.interactionAt < INTERACTION_TOKEN_LIFETIME_MS) {
      await rest.patch<APIMessage>(Routes.webhookMessage(plan.applicationId, plan.interactionToken, '@original'), {
        body: {
          content: tr(plan.locale, 'ticket.thread-failed', { number: String(t.number), error: plan.channelError ?? '' }),
          allowed_mentions: { parse: [] },
        },
      });
      h.saveSide({ ...side, originalEdited: true, error: plan.channelError });
      return 'progress';
    }
    return 'in-sync';
  }
  const channelId = t.channelId;
  if (side.archived && t.status !== 'closed') {
    return settle(h, side, `unarchive:${t.version}`, await lockChannel(h, t, channelId, false), { archived: false });
  }
  const wanted = isThread ? [t.openerId, ...(t.assigneeId ? [t.assigneeId] : [])] : [];
  const missing = wanted.find((id) => !side.memberIds.includes(id) && !side.skipped.includes(`member:${id}`));
  if (missing && !side.archived) {
    return settle(h, side, `member:${missing}`, await rest.put<void>(Routes.threadMembers(channelId, missing)), { memberIds: [...side.memberIds, missing] });
  }
  if (!t.controlMessageId && !side.skipped.includes('control')) {
    // Opened outside support hours: the thread says when staff answer (only in this first post; later it would be stale).
    const note = plan.outsideHours ? outsideHoursNote(plan.guildLocale ?? undefined, plan.outsideHours.staffFrom) : undefined;
    const r = await rest.post<APIMessage>(Routes.channelMessages(channelId), {
      body: controlMessage(t, plan.staffRoleId, plan.guildLocale ?? undefined, note),
    });
    if (r.ok) h.saveControlMessage(r.value.id);
    return settle(h, { ...EMPTY_SIDE, ...h.side() }, 'control', r, { renderedVersion: t.version });
  }
  if (!side.originalEdited && plan.interactionToken && Date.now() - plan.interactionAt < INTERACTION_TOKEN_LIFETIME_MS) {
    const r = await rest.patch<APIMessage>(Routes.webhookMessage(plan.applicationId, plan.interactionToken, '@original'), {
      body: {
        // The edit replaces the first answer: the note on support hours stays in it.
        content: [
          tr(plan.locale, 'ticket.ready', { number: String(t.number), channel: channelId }),
          ...(plan.outsideHours ? [outsideHoursNote(plan.locale ?? undefined, plan.outsideHours.staffFrom)] : []),
        ].join('\n'),
        allowed_mentions: { parse: [] },
      },
    });
    // The confirmation may already be gone (dismissed); that is not worth a retry, nor an audit entry.
    if (!r.ok && !isPermanent(r.error)) return r.error;
    h.saveSide({ ...side, originalEdited: true });
    return 'progress';
  }
  if (t.assigneeId !== side.announcedAssigneeId && t.status !== 'closed' && !side.archived) {
    // Unassigned (a reopen): nothing to say, but a later claim by the same person is news again.
    if (!t.assigneeId) {
      h.saveSide({ ...side, announcedAssigneeId: null });
      return 'progress';
    }
    const r = await rest.post<APIMessage>(Routes.channelMessages(channelId), {
      body: { content: claimNotice(t, plan.guildLocale ?? undefined), allowed_mentions: { parse: [] } },
    });
    return settle(h, side, `claim-notice:${t.version}`, r, { announcedAssigneeId: t.assigneeId });
  }
  if (side.renderedVersion < t.version && !side.archived && t.controlMessageId) {
    // A managed message: edited in place, or posted again if someone deleted it.
    const r = await syncManagedMessage(
      rest,
      { channelId, messageId: t.controlMessageId, shown: null },
      controlMessage(t, plan.staffRoleId, plan.guildLocale ?? undefined),
      controlMessageUpdate(t, plan.guildLocale ?? undefined),
    );
    if (r.ok && r.value.message.messageId !== t.controlMessageId) h.saveControlMessage(r.value.message.messageId!);
    return settle(h, { ...EMPTY_SIDE, ...h.side() }, `render:${t.version}`, r, { renderedVersion: t.version });
  }
  if (t.status === 'closed' && !side.archived) {
    if (side.closeNotedAt !== t.closedAt) {
      const r = await rest.post<APIMessage>(Routes.channelMessages(channelId), {
        body: { content: closingNote(t, plan.guildLocale ?? undefined), allowed_mentions: { parse: [] } },
      });
      return settle(h, side, `closing-note:${t.version}`, r, { closeNotedAt: t.closedAt });
    }
    // Archiving and locking is the point of closing: a permanent refusal here fails the sync (shown to staff).
    const r = await lockChannel(h, t, channelId, true);
    if (!r.ok) return r.error;
    h.saveSide({ ...side, archived: true });
    return 'progress';
  }
  return 'in-sync';
}

/** Closed threads are archived and locked; closed channels stop the opener from writing. */
async function lockChannel(h: SyncHost, t: Ticket, channelId: string, locked: boolean): Promise<Result<unknown, RestError>> {
  const reason = `Ticket #${t.number} ${locked ? 'closed' : 'reopened'}`;
  if (h.plan.categoryId === null) {
    const patch = (body: RESTPatchAPIChannelJSONBody) => h.rest.patch<APIChannel>(Routes.channel(channelId), { body, reason });
    const r = await patch({ archived: locked, locked });
    // A thread Discord archived by itself (a week without messages) takes only the request that
    // unarchives it: unarchive, then archive and lock, so a closed ticket is always locked.
    if (locked && !r.ok && r.error.kind === 'discord' && r.error.code === RESTJSONErrorCodes.InvalidActionOnArchivedThread) {
      const opened = await patch({ archived: false });
      return opened.ok ? patch({ archived: true, locked: true }) : opened;
    }
    return r;
  }
  return h.rest.put<void>(Routes.channelPermission(channelId, t.openerId), {
    body: {
      type: OverwriteType.Member,
      allow: bits(locked ? PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory : MEMBER_ALLOW),
      deny: bits(locked ? PermissionFlagsBits.SendMessages : 0n),
    },
    reason: `Ticket #${t.number} ${locked ? 'closed' : 'reopened'}`,
  });
}
