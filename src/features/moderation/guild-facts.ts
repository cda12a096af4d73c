import { type APIGuild, type APIGuildMember, type APIRole, type APIUser, Routes } from 'discord-api-types/v10';
import { type DiscordRest, describeRestError } from '../../discord/rest.ts';
import { err, ok, type Result } from '../../lib/result.ts';

/** How long role positions, the owner and the bot's roles are trusted. */
const CACHE_MS = 30_000;

export interface Hierarchy {
  ownerId: string;
  botUserId: string;
  /** Role id → position (the @everyone role is 0). */
  positions: ReadonlyMap<string, number>;
  botHighest: number;
  /** The guild name, for DMs. */
  guildName: string;
}

/**
 * What staff checks need from Discord and the interaction does not carry:
 * role positions, the owner, the bot's own roles. Asked with a short cache,
 * so a burst of commands costs one round of calls.
 */
export class GuildFacts {
  private readonly rest: DiscordRest;
  private readonly guildId: () => string;
  private botUser: string | null = null;
  private cached: { at: number; value: Hierarchy } | null = null;

  constructor(rest: DiscordRest, guildId: () => string) {
    this.rest = rest;
    this.guildId = guildId;
  }

  async hierarchy(now = Date.now()): Promise<Result<Hierarchy, string>> {
    if (this.cached && now - this.cached.at < CACHE_MS) return ok(this.cached.value);
    const g = this.guildId();
    if (!this.botUser) {
      const me = await this.rest.get<APIUser>(Routes.user());
      if (!me.ok) return err(describeRestError(me.error));
      this.botUser = me.value.id;
    }
    const [guild, roles, bot] = await Promise.all([
      this.rest.get<APIGuild>(Routes.guild(g)),
      this.rest.get<APIRole[]>(Routes.guildRoles(g)),
      this.rest.get<APIGuildMember>(Routes.guildMember(g, this.botUser)),
    ]);
    if (!guild.ok) return err(describeRestError(guild.error));
    if (!roles.ok) return err(describeRestError(roles.error));
    if (!bot.ok) return err(describeRestError(bot.error));
    const positions = new Map(roles.value.map((r) => [r.id, r.position]));
    const value: Hierarchy = {
      ownerId: guild.value.owner_id,
      botUserId: this.botUser,
      positions,
      botHighest: highestPosition(bot.value.roles, positions),
      guildName: guild.value.name,
    };
    this.cached = { at: now, value };
    return ok(value);
  }

  /** Forget what was read, after a role change the bot itself made or saw. */
  invalidate(): void {
    this.cached = null;
  }
}

/** Position of the highest of `roleIds` (0 when the member has only @everyone). */
export function highestPosition(roleIds: readonly string[], positions: ReadonlyMap<string, number>): number {
  let top = 0;
  for (const id of roleIds) top = Math.max(top, positions.get(id) ?? 0);
  return top;
}
