// Invites (resources/invite, resources/channel, resources/guild): Create
// Channel Invite, Get Channel / Guild Invites, Get / Delete Invite and Get
// Guild Vanity URL. How codes, expiry and use counts behave: invites.ts.
// Where the docs are silent the simulator chooses:
// - Without `unique: true`, a create that matches a live invite the bot made
//   in the channel with the same max_age, max_uses and temporary returns that
//   invite (Discord "may return an existing invite") and dispatches nothing.
// - Get Guild Vanity URL answers {code: null, uses: 0} for a guild without one.

import type { APIInvite, RESTGetAPIGuildVanityUrlResult } from 'discord-api-types/v10';
import { ChannelType, InviteType, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { Ctx, Handler } from './context.ts';
import { ok } from './context.ts';
import { apiError, FormErrors } from './errors.ts';
import { createInvite, DEFAULT_MAX_AGE_S, inviteCreateEvent, inviteDeleteEvent, liveInvite, liveInvites, renderInvite } from './invites.ts';
import { basePermissions, channelPermissions, has, requireChannelPermissions } from './permissions.ts';
import { botGuild } from './rest-guilds.ts';
import { isThread } from './state.ts';
import { isObj } from './validate.ts';

const P = PermissionFlagsBits;

function botGuildPerms(ctx: Ctx, guildId: string): bigint {
  const s = ctx.core.state;
  return basePermissions(s, guildId, s.botUser.id, ctx.now);
}

function intBetween(f: FormErrors, b: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
    f.add([key], 'NUMBER_TYPE_MAX', `int value should be between ${min} and ${max}.`);
    return undefined;
  }
  return v as number;
}

export const inviteHandlers: Record<string, Handler> = {
  'POST /channels/{channel_id}/invites': (ctx) => {
    const s = ctx.core.state;
    if (s.dmChannels.has(ctx.params.channel_id!)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
    const c = s.channel(ctx.params.channel_id!);
    requireChannelPermissions(s, c, s.botUser.id, P.ViewChannel);
    if (isThread(c) || c.type === ChannelType.GuildCategory) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
    requireChannelPermissions(s, c, s.botUser.id, P.CreateInstantInvite);
    const b = isObj(ctx.body) ? ctx.body : {};
    const f = new FormErrors();
    const maxAge = intBetween(f, b, 'max_age', 0, 604_800) ?? DEFAULT_MAX_AGE_S;
    const maxUses = intBetween(f, b, 'max_uses', 0, 100) ?? 0;
    f.throwIfAny();
    const temporary = b.temporary === true;
    if (b.unique !== true) {
      const same = liveInvites(
        s,
        ctx.now,
        (i) => i.channelId === c.id && i.inviterId === s.botUser.id && i.maxAge === maxAge && i.maxUses === maxUses && i.temporary === temporary,
      )[0];
      if (same) return ok(renderInvite(s, same, true));
    }
    const inv = createInvite(s, { guildId: c.guild_id!, channelId: c.id, inviterId: s.botUser.id, maxAge, maxUses, temporary, now: ctx.now });
    return { status: 200, body: renderInvite(s, inv, true), after: (gw) => gw.inviteCreated(inviteCreateEvent(s, inv)) };
  },

  'GET /channels/{channel_id}/invites': (ctx) => {
    const s = ctx.core.state;
    const c = s.channel(ctx.params.channel_id!);
    requireChannelPermissions(s, c, s.botUser.id, P.ManageChannels);
    return ok(liveInvites(s, ctx.now, (i) => i.channelId === c.id).map((i) => renderInvite(s, i, true)));
  },

  // MANAGE_GUILD or VIEW_AUDIT_LOG; the metadata (uses, max_uses...) only with MANAGE_GUILD.
  'GET /guilds/{guild_id}/invites': (ctx) => {
    const s = ctx.core.state;
    const guild = botGuild(s, ctx.params.guild_id!);
    const perms = botGuildPerms(ctx, guild.id);
    const manage = has(perms, P.ManageGuild);
    if (!manage && !has(perms, P.ViewAuditLog)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    return ok(liveInvites(s, ctx.now, (i) => i.guildId === guild.id).map((i) => renderInvite(s, i, manage)));
  },

  'GET /invites/{code}': (ctx) => {
    const s = ctx.core.state;
    const code = ctx.params.code!;
    const counts = ctx.query.get('with_counts') === 'true';
    const vanity = [...s.guilds.values()].find((g) => g.vanity_url_code === code);
    let out: APIInvite;
    let guildId: string;
    if (vanity) {
      guildId = vanity.id;
      const c = vanity.system_channel_id ? s.channels.get(vanity.system_channel_id) : undefined;
      out = {
        type: InviteType.Guild,
        code,
        expires_at: null,
        channel: c ? { id: c.id, type: c.type, name: c.name ?? null } : null,
        guild: {
          id: vanity.id,
          name: vanity.name,
          splash: vanity.splash,
          banner: vanity.banner,
          description: vanity.description,
          icon: vanity.icon,
          features: vanity.features,
          verification_level: vanity.verification_level,
          vanity_url_code: vanity.vanity_url_code,
          nsfw_level: vanity.nsfw_level,
          premium_subscription_count: vanity.premium_subscription_count ?? 0,
        },
      };
    } else {
      const inv = liveInvite(s, code, ctx.now);
      guildId = inv.guildId;
      out = renderInvite(s, inv, false);
    }
    if (!counts) return ok(out);
    const n = s.membersOf(guildId).size;
    return ok({ ...out, approximate_member_count: n, approximate_presence_count: Math.ceil(n / 2) });
  },

  // MANAGE_CHANNELS on the invite's channel, or MANAGE_GUILD.
  'DELETE /invites/{code}': (ctx) => {
    const s = ctx.core.state;
    const inv = liveInvite(s, ctx.params.code!, ctx.now);
    const c = s.channels.get(inv.channelId);
    const mayDelete = has(botGuildPerms(ctx, inv.guildId), P.ManageGuild) || (c !== undefined && has(channelPermissions(s, c, s.botUser.id), P.ManageChannels));
    if (!mayDelete) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    const body = renderInvite(s, inv, true);
    s.invites.delete(inv.code);
    return { status: 200, body, after: (gw) => gw.inviteDeleted(inviteDeleteEvent(inv)) };
  },

  'GET /guilds/{guild_id}/vanity-url': (ctx) => {
    const s = ctx.core.state;
    const guild = botGuild(s, ctx.params.guild_id!);
    if (!has(botGuildPerms(ctx, guild.id), P.ManageGuild)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    const body: RESTGetAPIGuildVanityUrlResult = { code: guild.vanity_url_code, uses: s.vanityUses.get(guild.id) ?? 0 };
    return ok(body);
  },
};
