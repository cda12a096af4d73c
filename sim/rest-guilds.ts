// Users, gateway discovery and guild routes.

import type { APIOverwrite } from 'discord-api-types/v10';
import { ChannelType, GatewayIntentBits, OverwriteType, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { Handler } from './context.ts';
import { ok } from './context.ts';
import { apiError, httpError, singleFormError } from './errors.ts';
import { ALL_PERMISSIONS, basePermissions, has, requireGuildPermissions } from './permissions.ts';
import type { SimState } from './state.ts';
import { isThread } from './state.ts';
import { validateChannelCreate } from './validate.ts';

const P = PermissionFlagsBits;

// The bot only sees guilds it is a member of; Discord answers those as unknown.
export function botGuild(state: SimState, guildId: string) {
  const g = state.guild(guildId);
  if (!state.membersOf(guildId).has(state.botUser.id)) throw apiError(RESTJSONErrorCodes.UnknownGuild);
  return g;
}

function intParam(q: URLSearchParams, name: string, def: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return def;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw singleFormError([name], 'NUMBER_TYPE_COERCE', `Value "${raw}" is not int.`);
  if (n < min || n > max) throw singleFormError([name], 'NUMBER_TYPE_MAX', `int value should be between ${min} and ${max}.`);
  return n;
}

export { intParam };

export const guildHandlers: Record<string, Handler> = {
  // The bot, or with a user's Bearer token (scope identify) that user.
  'GET /users/@me': ({ core, bearer }) => {
    if (!bearer) return ok({ ...core.state.botUser, verified: true, mfa_enabled: false, locale: 'en-US', email: null });
    const user = core.state.users.get(bearer.userId);
    if (!user) throw httpError(401);
    return ok({ ...user, mfa_enabled: false, locale: 'en-US' });
  },

  'GET /gateway': ({ core }) => ok({ url: core.gatewayUrl() }),

  'GET /gateway/bot': ({ core }) =>
    ok({
      url: core.gatewayUrl(),
      shards: 1,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
    }),

  'GET /guilds/{guild_id}': ({ core, params, query }) => {
    const g = botGuild(core.state, params.guild_id!);
    if (query.get('with_counts') === 'true') {
      const n = core.state.membersOf(g.id).size;
      return ok({ ...g, approximate_member_count: n, approximate_presence_count: Math.ceil(n / 2) });
    }
    return ok(g);
  },

  'GET /guilds/{guild_id}/channels': ({ core, params }) => {
    botGuild(core.state, params.guild_id!);
    return ok(core.state.guildChannels(params.guild_id!).filter((c) => !isThread(c)));
  },

  'POST /guilds/{guild_id}/channels': ({ core, params, body }) => {
    const s = core.state;
    const guild = botGuild(s, params.guild_id!);
    requireGuildPermissions(s, guild.id, s.botUser.id, P.ManageChannels);
    const b = validateChannelCreate(body);
    const type = (b.type ?? ChannelType.GuildText) as ChannelType.GuildText | ChannelType.GuildCategory;
    let parentId: string | null = null;
    if (b.parent_id !== undefined && b.parent_id !== null) {
      const parent = s.channels.get(String(b.parent_id));
      if (!parent || parent.guild_id !== guild.id || parent.type !== ChannelType.GuildCategory || type === ChannelType.GuildCategory) {
        throw singleFormError(['parent_id'], 'CHANNEL_PARENT_INVALID', 'Not a category');
      }
      parentId = parent.id;
    }
    const overwrites: APIOverwrite[] = [];
    if (Array.isArray(b.permission_overwrites)) {
      const botPerms = basePermissions(s, guild.id, s.botUser.id);
      for (const [i, raw] of (b.permission_overwrites as Array<Record<string, unknown>>).entries()) {
        const o: APIOverwrite = {
          id: String(raw.id),
          type: Number(raw.type ?? OverwriteType.Role) as OverwriteType,
          allow: String(raw.allow ?? '0'),
          deny: String(raw.deny ?? '0'),
        };
        const known = o.type === OverwriteType.Role ? guild.roles.some((r) => r.id === o.id) : s.membersOf(guild.id).has(o.id);
        if (!known)
          throw singleFormError(
            ['permission_overwrites', i, 'id'],
            'UNKNOWN_OVERWRITE_TARGET',
            o.type === OverwriteType.Role ? 'Unknown role' : 'Unknown member',
          );
        // Without Administrator a bot may only grant or deny what it has itself.
        if (botPerms !== ALL_PERMISSIONS) {
          if (!has(botPerms, P.ManageRoles) || ((BigInt(o.allow) | BigInt(o.deny)) & ~botPerms) !== 0n) {
            throw apiError(RESTJSONErrorCodes.MissingPermissions);
          }
        }
        overwrites.push(o);
      }
    }
    if (s.guildChannels(guild.id).filter((c) => !isThread(c)).length >= 500) {
      throw apiError(RESTJSONErrorCodes.MaximumNumberOfGuildChannelsReached);
    }
    const channel = s.createChannel(guild.id, {
      name: String(b.name),
      type,
      parent_id: parentId,
      topic: (b.topic as string | undefined) ?? null,
      permission_overwrites: overwrites,
      nsfw: b.nsfw === true,
      rate_limit_per_user: typeof b.rate_limit_per_user === 'number' ? b.rate_limit_per_user : 0,
      ...(typeof b.position === 'number' ? { position: b.position } : {}),
    });
    return ok(channel, 201);
  },

  'GET /guilds/{guild_id}/roles': ({ core, params }) => ok(botGuild(core.state, params.guild_id!).roles),

  'GET /guilds/{guild_id}/members/{user_id}': ({ core, params }) => {
    botGuild(core.state, params.guild_id!);
    return ok(core.state.member(params.guild_id!, params.user_id!));
  },

  // "Restricted according to whether the GUILD_MEMBERS Privileged Intent is enabled for your application."
  'GET /guilds/{guild_id}/members': ({ core, params, query }) => {
    botGuild(core.state, params.guild_id!);
    if ((core.gateway.config.privilegedIntents & GatewayIntentBits.GuildMembers) === 0) throw apiError(RESTJSONErrorCodes.MissingAccess);
    const limit = intParam(query, 'limit', 1, 1, 1000);
    const after = BigInt(query.get('after') ?? '0');
    const list = [...core.state.membersOf(params.guild_id!).values()]
      .filter((m) => BigInt(m.user.id) > after)
      .sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1))
      .slice(0, limit);
    return ok(list);
  },
};
