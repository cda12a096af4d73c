// Bans (resources/guild): Create / Remove / Get Guild Ban, Get Guild Bans and
// Bulk Guild Ban, with BAN_MEMBERS and the role hierarchy for members.
// Where the docs are silent the simulator chooses:
// - Banning a user who is already banned answers 204 again and dispatches nothing.
// - The messages a ban deletes (delete_message_seconds) are announced as one
//   MESSAGE_DELETE_BULK per channel.
// - Bulk ban counts as failed: unknown users, users already banned, and
//   members the bot does not outrank.

import type { APIBan, APIUser, RESTPostAPIGuildBulkBanResult } from 'discord-api-types/v10';
import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { Ctx, Handler } from './context.ts';
import { ok } from './context.ts';
import { apiError, FormErrors } from './errors.ts';
import type { Gateway } from './gateway.ts';
import { outranks, requireOutranks } from './hierarchy.ts';
import { basePermissions, has } from './permissions.ts';
import { botGuild, intParam } from './rest-guilds.ts';
import { snowflakeTime } from './snowflake.ts';
import type { SimState } from './state.ts';
import { isObj } from './validate.ts';

const P = PermissionFlagsBits;
const MAX_DELETE_SECONDS = 604_800;

function requireBanPermission(ctx: Ctx, extra: bigint = 0n): string {
  const s = ctx.core.state;
  const guild = botGuild(s, ctx.params.guild_id!);
  if (!has(basePermissions(s, guild.id, s.botUser.id, ctx.now), P.BanMembers | extra)) {
    throw apiError(RESTJSONErrorCodes.MissingPermissions);
  }
  return guild.id;
}

function deleteSeconds(b: Record<string, unknown>): number {
  const f = new FormErrors();
  const secs = b.delete_message_seconds;
  const days = b.delete_message_days;
  if (secs !== undefined && secs !== null && (!Number.isInteger(secs) || (secs as number) < 0 || (secs as number) > MAX_DELETE_SECONDS)) {
    f.add(['delete_message_seconds'], 'NUMBER_TYPE_MAX', `int value should be between 0 and ${MAX_DELETE_SECONDS}.`);
  }
  if (days !== undefined && days !== null && (!Number.isInteger(days) || (days as number) < 0 || (days as number) > 7)) {
    f.add(['delete_message_days'], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 7.');
  }
  f.throwIfAny();
  if (typeof secs === 'number') return secs;
  return typeof days === 'number' ? days * 86_400 : 0;
}

// Removes the user's messages sent within the last `seconds` from every channel of the guild.
function purgeMessages(s: SimState, guildId: string, userId: string, seconds: number, now: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (seconds <= 0) return out;
  const since = now - seconds * 1000;
  for (const c of s.guildChannels(guildId)) {
    const list = s.messages.get(c.id);
    if (!list) continue;
    const gone = list.filter((m) => m.author.id === userId && snowflakeTime(m.id) >= since);
    if (gone.length === 0) continue;
    s.messages.set(
      c.id,
      list.filter((m) => !gone.includes(m)),
    );
    out.set(
      c.id,
      gone.map((m) => m.id),
    );
  }
  return out;
}

interface BanOutcome {
  banned: boolean;
  user: APIUser;
  wasMember: boolean;
  purged: Map<string, string[]>;
}

function ban(s: SimState, guildId: string, user: APIUser, reason: string | null, seconds: number, now: number): BanOutcome {
  const bans = s.bansOf(guildId);
  if (bans.has(user.id)) return { banned: false, user, wasMember: s.membersOf(guildId).has(user.id), purged: new Map() };
  bans.set(user.id, { user, reason });
  const purged = purgeMessages(s, guildId, user.id, seconds, now);
  const wasMember = s.removeMember(guildId, user.id) !== undefined;
  return { banned: true, user, wasMember, purged };
}

function announce(gw: Gateway, guildId: string, o: BanOutcome): void {
  if (!o.banned) return;
  gw.banAdded(guildId, o.user);
  if (o.wasMember) gw.memberRemoved(guildId, o.user);
  for (const [channelId, ids] of o.purged) gw.messagesDeleted(channelId, ids);
}

export const banHandlers: Record<string, Handler> = {
  'PUT /guilds/{guild_id}/bans/{user_id}': (ctx) => {
    const s = ctx.core.state;
    const guildId = requireBanPermission(ctx);
    const seconds = deleteSeconds(isObj(ctx.body) ? ctx.body : {});
    const user = s.users.get(ctx.params.user_id!);
    if (!user) throw apiError(RESTJSONErrorCodes.UnknownUser);
    if (s.membersOf(guildId).has(user.id) || s.guild(guildId).owner_id === user.id) requireOutranks(s, guildId, s.botUser.id, user.id);
    const o = ban(s, guildId, user, ctx.auditLogReason ?? null, seconds, ctx.now);
    return { status: 204, after: (gw) => announce(gw, guildId, o) };
  },

  'DELETE /guilds/{guild_id}/bans/{user_id}': (ctx) => {
    const s = ctx.core.state;
    const guildId = requireBanPermission(ctx);
    const bans = s.bansOf(guildId);
    const entry = bans.get(ctx.params.user_id!);
    if (!entry) throw apiError(RESTJSONErrorCodes.UnknownBan);
    bans.delete(entry.user.id);
    return { status: 204, after: (gw) => gw.banRemoved(guildId, entry.user) };
  },

  'GET /guilds/{guild_id}/bans/{user_id}': (ctx) => {
    const guildId = requireBanPermission(ctx);
    const entry = ctx.core.state.bansOf(guildId).get(ctx.params.user_id!);
    if (!entry) throw apiError(RESTJSONErrorCodes.UnknownBan);
    return ok(entry);
  },

  // Ascending by user id; with both `before` and `after`, only `before` counts.
  'GET /guilds/{guild_id}/bans': (ctx) => {
    const guildId = requireBanPermission(ctx);
    const limit = intParam(ctx.query, 'limit', 1000, 1, 1000);
    const before = ctx.query.get('before');
    const after = ctx.query.get('after');
    let list: APIBan[] = [...ctx.core.state.bansOf(guildId).values()].sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1));
    if (before) list = list.filter((x) => BigInt(x.user.id) < BigInt(before)).slice(-limit);
    else list = list.filter((x) => !after || BigInt(x.user.id) > BigInt(after)).slice(0, limit);
    return ok(list);
  },

  'POST /guilds/{guild_id}/bulk-ban': (ctx) => {
    const s = ctx.core.state;
    const guildId = requireBanPermission(ctx, P.ManageGuild);
    const b = isObj(ctx.body) ? ctx.body : {};
    const f = new FormErrors();
    if (!Array.isArray(b.user_ids)) f.add(['user_ids'], 'BASE_TYPE_REQUIRED', 'This field is required');
    else if (b.user_ids.length > 200) f.add(['user_ids'], 'BASE_TYPE_MAX_LENGTH', 'Must be 200 or fewer in length.');
    f.throwIfAny();
    const seconds = deleteSeconds(b);
    const result: RESTPostAPIGuildBulkBanResult = { banned_users: [], failed_users: [] };
    const outcomes: BanOutcome[] = [];
    for (const raw of [...new Set((b.user_ids as unknown[]).map(String))]) {
      const user = s.users.get(raw);
      const isMember = user !== undefined && s.membersOf(guildId).has(user.id);
      if (!user || (isMember && !outranks(s, guildId, s.botUser.id, user.id))) {
        result.failed_users.push(raw);
        continue;
      }
      const o = ban(s, guildId, user, ctx.auditLogReason ?? null, seconds, ctx.now);
      if (!o.banned) {
        result.failed_users.push(raw);
        continue;
      }
      result.banned_users.push(user.id);
      outcomes.push(o);
    }
    if (result.banned_users.length === 0) throw apiError(RESTJSONErrorCodes.FailedToBanUsers);
    return {
      status: 200,
      body: result,
      after: (gw) => {
        for (const o of outcomes) announce(gw, guildId, o);
      },
    };
  },
};
