import { type APIChannel, type APIGuildMember, type APIMessage, type RESTPostAPIChannelMessageJSONBody, Routes } from 'discord-api-types/v10';
import type { DiscordRest, RestError } from '../../discord/rest.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { type PurgePlan, planPurge } from './rules/purge.ts';

/**
 * The Discord calls moderation makes, each one request (or one DM: open the
 * channel, then post). Results are values; callers decide what a failure
 * means. Reasons go to Discord's audit log (X-Audit-Log-Reason).
 */

type Call<T = unknown> = Promise<Result<T, RestError>>;

export const timeoutMember = (rest: DiscordRest, guildId: string, userId: string, until: string | null, reason: string): Call<APIGuildMember> =>
  rest.patch<APIGuildMember>(Routes.guildMember(guildId, userId), { body: { communication_disabled_until: until }, reason });

export const kickMember = (rest: DiscordRest, guildId: string, userId: string, reason: string): Call =>
  rest.delete(Routes.guildMember(guildId, userId), { reason });

export const banUser = (rest: DiscordRest, guildId: string, userId: string, deleteMessageSeconds: number, reason: string): Call =>
  rest.put(Routes.guildBan(guildId, userId), { body: { delete_message_seconds: deleteMessageSeconds }, reason });

// Discord's description requires a (possibly empty) JSON body on unban.
export const unbanUser = (rest: DiscordRest, guildId: string, userId: string, reason: string): Call =>
  rest.delete(Routes.guildBan(guildId, userId), { body: {}, reason });

export const addRole = (rest: DiscordRest, guildId: string, userId: string, roleId: string, reason: string): Call =>
  rest.put(Routes.guildMemberRole(guildId, userId, roleId), { reason });

export const removeRole = (rest: DiscordRest, guildId: string, userId: string, roleId: string, reason: string): Call =>
  rest.delete(Routes.guildMemberRole(guildId, userId, roleId), { reason });

export const deleteMessage = (rest: DiscordRest, channelId: string, messageId: string, reason: string): Call =>
  rest.delete(Routes.channelMessage(channelId, messageId), { reason });

export const postMessage = (rest: DiscordRest, channelId: string, body: RESTPostAPIChannelMessageJSONBody): Call<APIMessage> =>
  rest.post<APIMessage>(Routes.channelMessages(channelId), { body });

/** Opens the DM channel and posts; Discord answers 50007 when the member takes no DMs from the bot. */
export async function sendDm(rest: DiscordRest, userId: string, body: RESTPostAPIChannelMessageJSONBody): Call<APIMessage> {
  const dm = await rest.post<APIChannel>(Routes.userChannels(), { body: { recipient_id: userId } });
  if (!dm.ok) return dm;
  return postMessage(rest, dm.value.id, body);
}

export interface PurgeOutcome {
  deleted: number;
  plan: PurgePlan;
}

/**
 * Deletes the newest `count` messages of a channel: bulk delete for those
 * younger than 14 days (2–100 per request), the one-message delete for a
 * lone one; older ones are left and reported.
 */
export async function purgeChannel(
  rest: DiscordRest,
  channelId: string,
  count: number,
  reason: string,
  now = Date.now(),
): Promise<Result<PurgeOutcome, RestError>> {
  const listed = await rest.get<APIMessage[]>(Routes.channelMessages(channelId), { query: { limit: count } });
  if (!listed.ok) return listed;
  const plan = planPurge(
    listed.value.map((m) => m.id),
    now,
  );
  let deleted = 0;
  for (const chunk of plan.bulk) {
    const r = await rest.post(Routes.channelBulkDelete(channelId), { body: { messages: chunk }, reason });
    if (!r.ok) return err(r.error);
    deleted += chunk.length;
  }
  for (const id of plan.single) {
    const r = await deleteMessage(rest, channelId, id, reason);
    if (!r.ok && !(r.error.kind === 'discord' && r.error.status === 404)) return err(r.error);
    if (r.ok) deleted++;
  }
  return ok({ deleted, plan });
}

/** Unknown member, message, ban or channel: the thing is already gone, so there is nothing left to do. */
export const isGone = (e: RestError): boolean => e.kind === 'discord' && e.status === 404;

/** A failure that will not change on retry (403 missing permission, 400 invalid...): the shared classification. */
export { isPermanent } from '../../discord/errors.ts';
