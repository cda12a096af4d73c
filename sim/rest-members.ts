// Member moderation: Modify Guild Member (nick, roles, timeout, flags), Add /
// Remove Guild Member Role and Remove Guild Member (kick), with Discord's
// permission and hierarchy checks (resources/guild, topics/permissions).
// Where the docs are silent the simulator chooses:
// - A timeout more than 28 days ahead, an unknown role or an unparseable date
//   in the body answers 50035 with the field's error.
// - mute, deaf and channel_id answer 40032: nobody is ever in a voice channel here.
// - `roles: null` leaves the roles as they are (only an array replaces them).

import type { APIGuildMember } from 'discord-api-types/v10';
import { GuildMemberFlags, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { Ctx, Handler } from './context.ts';
import { noContent } from './context.ts';
import { apiError, FormErrors } from './errors.ts';
import { requireAssignable, requireOutranks } from './hierarchy.ts';
import { ALL_PERMISSIONS, basePermissions, has } from './permissions.ts';
import { botGuild } from './rest-guilds.ts';
import { isObj } from './validate.ts';

const P = PermissionFlagsBits;
/** Adding or removing one role: Discord's checks are the same both ways (Manage Roles, the member and the role below the bot). */
function roleChange(ctx: Parameters<typeof target>[0]) {
  const s = ctx.core.state;
  const { guildId, member, perms } = target(ctx);
  const role = s.role(guildId, ctx.params.role_id!);
  if (role.id === guildId) throw apiError(RESTJSONErrorCodes.UnknownRole);
  requirePerm(perms, P.ManageRoles);
  if (member.user.id !== s.botUser.id) requireOutranks(s, guildId, s.botUser.id, member.user.id);
  requireAssignable(s, guildId, s.botUser.id, role);
  return { guildId, member, role };
}

export const MAX_TIMEOUT_MS = 28 * 86_400_000;

function requirePerm(perms: bigint, flag: bigint): void {
  if (!has(perms, flag)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
}

function target(ctx: Ctx): { guildId: string; member: APIGuildMember; perms: bigint } {
  const s = ctx.core.state;
  const guild = botGuild(s, ctx.params.guild_id!);
  const member = s.member(guild.id, ctx.params.user_id!);
  return { guildId: guild.id, member, perms: basePermissions(s, guild.id, s.botUser.id, ctx.now) };
}

function validateMemberPatch(b: Record<string, unknown>, now: number): FormErrors {
  const f = new FormErrors();
  if (b.nick !== undefined && b.nick !== null && (typeof b.nick !== 'string' || [...b.nick].length > 32)) {
    f.add(['nick'], 'BASE_TYPE_MAX_LENGTH', 'Must be 32 or fewer in length.');
  }
  if (b.roles !== undefined && b.roles !== null && (!Array.isArray(b.roles) || b.roles.some((r) => typeof r !== 'string'))) {
    f.add(['roles'], 'BASE_TYPE_ARRAY', 'Must be an array of role ids.');
  }
  const until = b.communication_disabled_until;
  if (until !== undefined && until !== null) {
    const at = typeof until === 'string' ? Date.parse(until) : NaN;
    if (Number.isNaN(at)) f.add(['communication_disabled_until'], 'DATE_TIME_TYPE_PARSE', `Could not parse ${JSON.stringify(until)}. Should be ISO8601.`);
    else if (at > now + MAX_TIMEOUT_MS) {
      f.add(['communication_disabled_until'], 'TIMEOUT_TOO_LONG', 'A timeout can be at most 28 days in the future.');
    }
  }
  if (b.flags !== undefined && b.flags !== null && !Number.isInteger(b.flags)) f.add(['flags'], 'NUMBER_TYPE_COERCE', 'Must be an integer.');
  return f;
}

export const memberHandlers: Record<string, Handler> = {
  'PATCH /guilds/{guild_id}/members/{user_id}': (ctx) => {
    const s = ctx.core.state;
    const { guildId, member, perms } = target(ctx);
    const b = isObj(ctx.body) ? ctx.body : {};
    const bot = s.botUser.id;
    const self = member.user.id === bot;
    const f = validateMemberPatch(b, ctx.now);
    const guild = s.guild(guildId);
    let roles: string[] | undefined;
    if (Array.isArray(b.roles)) {
      roles = [];
      (b.roles as unknown[]).forEach((r, i) => {
        const role = guild.roles.find((x) => x.id === r);
        if (!role || role.id === guildId) f.add(['roles', i], 'UNKNOWN_ROLE', `Unknown role ${String(r)}.`);
        else if (!roles!.includes(role.id)) roles!.push(role.id);
      });
    }
    f.throwIfAny();
    if (b.mute !== undefined || b.deaf !== undefined || b.channel_id !== undefined) {
      throw apiError(RESTJSONErrorCodes.TargetUserIsNotConnectedToVoice);
    }
    if (b.nick !== undefined) {
      requirePerm(perms, self ? P.ChangeNickname : P.ManageNicknames);
      if (!self) requireOutranks(s, guildId, bot, member.user.id);
    }
    if (roles !== undefined) {
      requirePerm(perms, P.ManageRoles);
      if (!self) requireOutranks(s, guildId, bot, member.user.id);
      const changed = [...roles.filter((r) => !member.roles.includes(r)), ...member.roles.filter((r) => !roles!.includes(r))];
      for (const id of changed) requireAssignable(s, guildId, bot, s.role(guildId, id));
    }
    if (b.communication_disabled_until !== undefined) {
      requirePerm(perms, P.ModerateMembers);
      // "Will throw a 403 error if the user has the ADMINISTRATOR permission or is the owner of the guild."
      if (basePermissions(s, guildId, member.user.id, ctx.now) === ALL_PERMISSIONS) throw apiError(RESTJSONErrorCodes.MissingPermissions);
      requireOutranks(s, guildId, bot, member.user.id);
    }
    if (b.flags !== undefined && b.flags !== null) {
      const mayEdit = has(perms, P.ManageGuild) || has(perms, P.ManageRoles) || has(perms, P.ModerateMembers | P.KickMembers | P.BanMembers);
      if (!mayEdit) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    }

    if (b.nick !== undefined) member.nick = typeof b.nick === 'string' && b.nick.length > 0 ? b.nick : null;
    if (roles !== undefined) member.roles = roles;
    if (b.communication_disabled_until !== undefined) {
      member.communication_disabled_until =
        typeof b.communication_disabled_until === 'string' ? new Date(Date.parse(b.communication_disabled_until)).toISOString() : null;
    }
    if (typeof b.flags === 'number') {
      // Only BYPASSES_VERIFICATION is editable.
      const editable = GuildMemberFlags.BypassesVerification;
      member.flags = ((member.flags & ~editable) | (b.flags & editable)) as GuildMemberFlags;
    }
    return { status: 200, body: member, after: (gw) => gw.memberUpdated(guildId, member) };
  },

  'PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}': (ctx) => {
    const { guildId, member, role } = roleChange(ctx);
    if (member.roles.includes(role.id)) return noContent();
    member.roles.push(role.id);
    return { status: 204, after: (gw) => gw.memberUpdated(guildId, member) };
  },

  'DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}': (ctx) => {
    const { guildId, member, role } = roleChange(ctx);
    if (!member.roles.includes(role.id)) return noContent();
    member.roles = member.roles.filter((r) => r !== role.id);
    return { status: 204, after: (gw) => gw.memberUpdated(guildId, member) };
  },

  // Kick.
  'DELETE /guilds/{guild_id}/members/{user_id}': (ctx) => {
    const s = ctx.core.state;
    const { guildId, member, perms } = target(ctx);
    requirePerm(perms, P.KickMembers);
    requireOutranks(s, guildId, s.botUser.id, member.user.id);
    s.removeMember(guildId, member.user.id);
    return { status: 204, after: (gw) => gw.memberRemoved(guildId, member.user) };
  },
};
