// Application command registration (bulk overwrite and listing).

import type { APIApplicationCommand } from 'discord-api-types/v10';
import { ApplicationCommandType, ApplicationIntegrationType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { Ctx, Handler } from './context.ts';
import { ok } from './context.ts';
import { apiError } from './errors.ts';
import { snowflake } from './snowflake.ts';
import { validateCommands } from './validate.ts';

function checkApp(ctx: Ctx): void {
  if (ctx.params.application_id !== ctx.core.state.applicationId) throw apiError(RESTJSONErrorCodes.UnknownApplication);
}

function guildOf(ctx: Ctx): string {
  const s = ctx.core.state;
  const g = s.guild(ctx.params.guild_id!);
  if (!s.membersOf(g.id).has(s.botUser.id)) throw apiError(RESTJSONErrorCodes.MissingAccess);
  return g.id;
}

// Discord keeps a command's id when a bulk overwrite keeps its name and type,
// and bumps `version` only when the definition changed.
function overwrite(ctx: Ctx, previous: APIApplicationCommand[], guildId: string | undefined): APIApplicationCommand[] {
  const input = validateCommands(ctx.body);
  return input.map((raw) => {
    const type = (raw.type ?? ApplicationCommandType.ChatInput) as ApplicationCommandType;
    const prev = previous.find((p) => p.name === raw.name && p.type === type);
    const definition = {
      type,
      name: String(raw.name),
      name_localizations: (raw.name_localizations ?? null) as APIApplicationCommand['name_localizations'],
      description: String(raw.description ?? ''),
      description_localizations: (raw.description_localizations ?? null) as APIApplicationCommand['description_localizations'],
      ...(raw.options !== undefined ? { options: raw.options as APIApplicationCommand['options'] } : {}),
      default_member_permissions:
        raw.default_member_permissions === undefined || raw.default_member_permissions === null ? null : String(raw.default_member_permissions),
      nsfw: raw.nsfw === true,
      integration_types: (raw.integration_types ?? [ApplicationIntegrationType.GuildInstall]) as APIApplicationCommand['integration_types'],
      contexts: (raw.contexts ?? null) as APIApplicationCommand['contexts'],
      ...(guildId === undefined ? { dm_permission: raw.dm_permission !== false } : {}),
    };
    const prevDefinition = prev ? JSON.stringify({ ...prev, id: undefined, version: undefined, application_id: undefined, guild_id: undefined }) : null;
    const cmd: APIApplicationCommand = {
      id: prev?.id ?? snowflake(),
      application_id: ctx.core.state.applicationId,
      ...(guildId !== undefined ? { guild_id: guildId } : {}),
      version: prev?.version ?? snowflake(),
      ...definition,
    };
    const nextDefinition = JSON.stringify({ ...cmd, id: undefined, version: undefined, application_id: undefined, guild_id: undefined });
    if (prev && prevDefinition !== nextDefinition) cmd.version = snowflake();
    return cmd;
  });
}

export const commandHandlers: Record<string, Handler> = {
  'GET /applications/{application_id}/commands': (ctx) => {
    checkApp(ctx);
    return ok(ctx.core.state.globalCommands);
  },
  'PUT /applications/{application_id}/commands': (ctx) => {
    checkApp(ctx);
    const s = ctx.core.state;
    s.globalCommands = overwrite(ctx, s.globalCommands, undefined);
    return ok(s.globalCommands);
  },
  'GET /applications/{application_id}/guilds/{guild_id}/commands': (ctx) => {
    checkApp(ctx);
    return ok(ctx.core.state.guildCommands.get(guildOf(ctx)) ?? []);
  },
  'PUT /applications/{application_id}/guilds/{guild_id}/commands': (ctx) => {
    checkApp(ctx);
    const s = ctx.core.state;
    const gid = guildOf(ctx);
    const next = overwrite(ctx, s.guildCommands.get(gid) ?? [], gid);
    s.guildCommands.set(gid, next);
    return ok(next);
  },
};
