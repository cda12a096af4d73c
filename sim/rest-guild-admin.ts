// Guild settings the moderation features change: Modify Guild (verification
// level, notifications, content filter, mutable features...), Modify Guild
// Incident Actions, and Create Guild Role (resources/guild).
// Where the docs are silent the simulator chooses:
// - Incident actions are a PUT: a field left out is cleared like an explicit
//   null (library maintainers report this of Discord: "This endpoint will reset
//   any previous security measured if not specified"), and each change
//   dispatches GUILD_UPDATE with the new incidents_data.
// - Modify Guild ignores features that cannot be toggled through the API and
//   keeps them; toggling COMMUNITY or DISCOVERABLE needs ADMINISTRATOR.
// - A new role is placed at position 1, just above @everyone, as Discord does,
//   and the roles above it move up by one without GUILD_ROLE_UPDATE events.

import type { APIGuild, APIIncidentsData, GuildDefaultMessageNotifications, GuildExplicitContentFilter, GuildVerificationLevel } from 'discord-api-types/v10';
import { ChannelType, GuildFeature, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { Ctx, Handler } from './context.ts';
import { apiError, FormErrors } from './errors.ts';
import { ALL_PERMISSIONS, basePermissions, has } from './permissions.ts';
import { botGuild } from './rest-guilds.ts';
import { isObj } from './validate.ts';

const P = PermissionFlagsBits;
export const MAX_INCIDENT_ACTION_MS = 24 * 3_600_000;
const MAX_ROLES = 250;
// Features a guild can switch on and off through Modify Guild, and what that needs.
const MUTABLE_FEATURES: Partial<Record<string, bigint>> = {
  [GuildFeature.Community]: P.Administrator,
  [GuildFeature.Discoverable]: P.Administrator,
  [GuildFeature.InvitesDisabled]: P.ManageGuild,
  [GuildFeature.RaidAlertsDisabled]: P.ManageGuild,
};
const CHANNEL_FIELDS = ['system_channel_id', 'rules_channel_id', 'public_updates_channel_id', 'safety_alerts_channel_id'] as const;

function botPerms(ctx: Ctx, guildId: string): bigint {
  const s = ctx.core.state;
  return basePermissions(s, guildId, s.botUser.id, ctx.now);
}

function intChoice(f: FormErrors, b: Record<string, unknown>, key: string, max: number): void {
  const v = b[key];
  if (v !== undefined && v !== null && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > max)) {
    f.add([key], 'BASE_TYPE_CHOICES', `Value must be one of {${Array.from({ length: max + 1 }, (_, i) => i).join(', ')}}.`);
  }
}

function patchGuild(ctx: Ctx, guild: APIGuild, b: Record<string, unknown>): void {
  const s = ctx.core.state;
  const f = new FormErrors();
  if (b.name !== undefined && (typeof b.name !== 'string' || b.name.trim().length < 2 || b.name.trim().length > 100)) {
    f.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 2 and 100 in length.');
  }
  if (b.description !== undefined && b.description !== null && (typeof b.description !== 'string' || b.description.length > 300)) {
    f.add(['description'], 'BASE_TYPE_MAX_LENGTH', 'Must be 300 or fewer in length.');
  }
  intChoice(f, b, 'verification_level', 4);
  intChoice(f, b, 'default_message_notifications', 1);
  intChoice(f, b, 'explicit_content_filter', 2);
  for (const key of CHANNEL_FIELDS) {
    const v = b[key];
    if (v === undefined || v === null) continue;
    const c = s.channels.get(String(v));
    if (!c || c.guild_id !== guild.id || c.type !== ChannelType.GuildText) f.add([key], 'CHANNEL_INVALID', 'Unknown channel.');
  }
  if (b.features !== undefined && (!Array.isArray(b.features) || b.features.some((x) => typeof x !== 'string'))) {
    f.add(['features'], 'BASE_TYPE_ARRAY', 'Must be an array of strings.');
  }
  f.throwIfAny();

  const perms = botPerms(ctx, guild.id);
  let features = guild.features;
  if (Array.isArray(b.features)) {
    const wanted = b.features as string[];
    for (const [feature, needed] of Object.entries(MUTABLE_FEATURES)) {
      const now = guild.features.includes(feature as GuildFeature);
      if (now !== wanted.includes(feature) && !has(perms, needed!)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    }
    features = [
      ...guild.features.filter((x) => !(x in MUTABLE_FEATURES)),
      ...(Object.keys(MUTABLE_FEATURES) as GuildFeature[]).filter((x) => wanted.includes(x)),
    ];
  }
  if (typeof b.name === 'string') guild.name = b.name.trim();
  if (b.description !== undefined) guild.description = (b.description as string | null) ?? null;
  if (typeof b.verification_level === 'number') guild.verification_level = b.verification_level as GuildVerificationLevel;
  if (typeof b.default_message_notifications === 'number')
    guild.default_message_notifications = b.default_message_notifications as GuildDefaultMessageNotifications;
  if (typeof b.explicit_content_filter === 'number') guild.explicit_content_filter = b.explicit_content_filter as GuildExplicitContentFilter;
  for (const key of CHANNEL_FIELDS) if (b[key] !== undefined) guild[key] = b[key] === null ? null : String(b[key]);
  guild.features = features;
}

function incidentTime(f: FormErrors, b: Record<string, unknown>, key: string, now: number): string | null {
  const v = b[key];
  if (v === undefined || v === null) return null;
  const at = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(at)) {
    f.add([key], 'DATE_TIME_TYPE_PARSE', `Could not parse ${JSON.stringify(v)}. Should be ISO8601.`);
    return null;
  }
  if (at > now + MAX_INCIDENT_ACTION_MS) {
    f.add([key], 'INCIDENT_ACTION_TOO_LONG', 'Can be at most 24 hours in the future.');
    return null;
  }
  return new Date(at).toISOString();
}

export const guildAdminHandlers: Record<string, Handler> = {
  'PATCH /guilds/{guild_id}': (ctx) => {
    const guild = botGuild(ctx.core.state, ctx.params.guild_id!);
    if (!has(botPerms(ctx, guild.id), P.ManageGuild)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    patchGuild(ctx, guild, isObj(ctx.body) ? ctx.body : {});
    return { status: 200, body: guild, after: (gw) => gw.guildUpdated(guild.id) };
  },

  'PUT /guilds/{guild_id}/incident-actions': (ctx) => {
    const guild = botGuild(ctx.core.state, ctx.params.guild_id!);
    if (!has(botPerms(ctx, guild.id), P.ManageGuild)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    const b = isObj(ctx.body) ? ctx.body : {};
    const f = new FormErrors();
    const invites = incidentTime(f, b, 'invites_disabled_until', ctx.now);
    const dms = incidentTime(f, b, 'dms_disabled_until', ctx.now);
    f.throwIfAny();
    const data: APIIncidentsData = { ...(guild.incidents_data ?? {}), invites_disabled_until: invites, dms_disabled_until: dms };
    guild.incidents_data = data;
    const body: APIIncidentsData = { invites_disabled_until: invites, dms_disabled_until: dms };
    return { status: 200, body, after: (gw) => gw.guildUpdated(guild.id) };
  },

  'POST /guilds/{guild_id}/roles': (ctx) => {
    const s = ctx.core.state;
    const guild = botGuild(s, ctx.params.guild_id!);
    const perms = botPerms(ctx, guild.id);
    if (!has(perms, P.ManageRoles)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    const b = isObj(ctx.body) ? ctx.body : {};
    const f = new FormErrors();
    if (b.name !== undefined && b.name !== null && (typeof b.name !== 'string' || b.name.length < 1 || b.name.length > 100)) {
      f.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    const rawPerms = b.permissions;
    if (rawPerms !== undefined && rawPerms !== null && !/^\d+$/.test(String(rawPerms))) {
      f.add(['permissions'], 'NUMBER_TYPE_COERCE', `Value "${String(rawPerms)}" is not int.`);
    }
    if (b.color !== undefined && b.color !== null && (!Number.isInteger(b.color) || (b.color as number) < 0 || (b.color as number) > 0xffffff)) {
      f.add(['color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    }
    f.throwIfAny();
    const everyone = guild.roles.find((r) => r.id === guild.id);
    const wanted = rawPerms !== undefined && rawPerms !== null ? BigInt(String(rawPerms)) : BigInt(everyone?.permissions ?? '0');
    // A member can only grant permissions they hold.
    if (perms !== ALL_PERMISSIONS && (wanted & ~perms) !== 0n) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    if (guild.roles.length >= MAX_ROLES) throw apiError(RESTJSONErrorCodes.MaximumNumberOfGuildRolesReached);
    const role = s.addRole(guild.id, typeof b.name === 'string' ? b.name : 'new role', wanted);
    if (typeof b.color === 'number') {
      role.color = b.color;
      role.colors.primary_color = b.color;
    }
    if (typeof b.hoist === 'boolean') role.hoist = b.hoist;
    if (typeof b.mentionable === 'boolean') role.mentionable = b.mentionable;
    s.placeRole(guild.id, role, 1);
    return { status: 200, body: role, after: (gw) => gw.roleCreated(guild.id, role) };
  },
};
