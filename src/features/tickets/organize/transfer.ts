import { type APIChannel, type APIMessage, OverwriteType, RESTJSONErrorCodes, Routes } from 'discord-api-types/v10';
import { isPermanent, isUnknown } from '../../../discord/errors.ts';
import { permissionBits as bits } from '../../../discord/permissions.ts';
import type { DiscordRest, RestError } from '../../../discord/rest.ts';
import { t as tr } from '../../../i18n/index.ts';
import type { JobResult } from '../../../runtime/outbox.ts';
import type { Ticket } from '../model.ts';
import { MEMBER_ALLOW } from '../provision.ts';

/** What a transfer changes on Discord's side, queued with the ticket's version it was made at. */
export interface TransferPost {
  version: number;
  from: string | null;
  to: string;
  by: string;
  /** Staff roles before and after (null: none). */
  oldRoleId: string | null;
  newRoleId: string | null;
  /** Channel mode only: the Discord category the channel moves under (null: it stays). */
  parentId: string | null;
  /** Whether the ticket lives in its own channel (permission overwrites) or a private thread (mention only). */
  channel: boolean;
}

/**
 * Brings the ticket's place in line with its new category, then says so in
 * the conversation, mentioning the new team. Each step is idempotent (an
 * overwrite put twice, an overwrite already gone, the same parent), so a
 * retry after a transient error repeats only harmless calls; the notice comes
 * last so it is posted once the new team can read the channel.
 */
export async function runTransfer(
  rest: DiscordRest,
  t: Ticket,
  p: TransferPost,
  locale: string | undefined,
  skipped: (step: string, e: RestError) => void,
): Promise<JobResult> {
  if (!t.channelId || t.status === 'closed') return 'done';
  const reason = `Ticket #${t.number} transferred to ${p.to}`.slice(0, 512);
  const step = async (name: string, r: { ok: true } | { ok: false; error: RestError }): Promise<'retry' | null> => {
    if (r.ok) return null;
    if (!isPermanent(r.error)) return 'retry';
    skipped(name, r.error);
    return null;
  };
  if (p.channel) {
    if (p.newRoleId && p.newRoleId !== p.oldRoleId) {
      const r = await rest.put<void>(Routes.channelPermission(t.channelId, p.newRoleId), {
        body: { type: OverwriteType.Role, allow: bits(MEMBER_ALLOW), deny: bits(0n) },
        reason,
      });
      if ((await step('transfer:grant', r)) === 'retry') return 'retry';
    }
    if (p.oldRoleId && p.oldRoleId !== p.newRoleId) {
      const r = await rest.delete<void>(Routes.channelPermission(t.channelId, p.oldRoleId), { reason });
      // Already gone (removed by hand, or a retry of this step): that is the goal.
      const settled = !r.ok && isUnknown(r.error, RESTJSONErrorCodes.UnknownPermissionOverwrite) ? { ok: true as const } : r;
      if ((await step('transfer:revoke', settled)) === 'retry') return 'retry';
    }
    if (p.parentId) {
      const r = await rest.patch<APIChannel>(Routes.channel(t.channelId), { body: { parent_id: p.parentId }, reason });
      if ((await step('transfer:move', r)) === 'retry') return 'retry';
    }
  }
  const content = tr(locale, 'ticket.transfer.notice', {
    number: String(t.number),
    hasFrom: p.from ? 'yes' : 'no',
    from: p.from ?? '',
    to: p.to,
    by: p.by,
    hasRole: p.newRoleId ? 'yes' : 'no',
    role: p.newRoleId ?? '',
  });
  const r = await rest.post<APIMessage>(Routes.channelMessages(t.channelId), {
    // The new team is mentioned: in a private thread that is what brings them in.
    body: { content, allowed_mentions: { parse: [], roles: p.newRoleId ? [p.newRoleId] : [] } },
  });
  return (await step('transfer:notice', r)) === 'retry' ? 'retry' : 'done';
}
