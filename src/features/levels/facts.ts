import { type APIGuildMember, type APIRole, type APIUser, Routes } from 'discord-api-types/v10';
import { type DiscordRest, describeRestError } from '../../discord/rest.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { now } from '../../runtime/clock.ts';

const CACHE_MS = 30_000;

/** What deciding whether the bot can give a role needs: its guild permissions and highest position, and every role. */
export interface BotFacts {
  permissions: bigint;
  highest: number;
  roles: ReadonlyMap<string, { position: number; managed: boolean }>;
}

/**
 * The bot's standing in the guild, read from Discord (jobs carry no
 * interaction and its app_permissions) with a short cache, so a burst of
 * level-ups costs one round of calls.
 */
export class BotStanding {
  private botUser: string | null = null;
  private cached: { at: number; value: BotFacts } | null = null;

  private readonly rest: DiscordRest;
  private readonly guildId: () => string;

  constructor(rest: DiscordRest, guildId: () => string) {
    this.rest = rest;
    this.guildId = guildId;
  }

  async read(at = now()): Promise<Result<BotFacts, string>> {
    if (this.cached && at - this.cached.at < CACHE_MS) return ok(this.cached.value);
    if (!this.botUser) {
      const me = await this.rest.get<APIUser>(Routes.user());
      if (!me.ok) return err(describeRestError(me.error));
      this.botUser = me.value.id;
    }
    const g = this.guildId();
    const [roles, bot] = await Promise.all([
      this.rest.get<APIRole[]>(Routes.guildRoles(g)),
      this.rest.get<APIGuildMember>(Routes.guildMember(g, this.botUser)),
    ]);
    if (!roles.ok) return err(describeRestError(roles.error));
    if (!bot.ok) return err(describeRestError(bot.error));
    const mine = new Set([...bot.value.roles, g]);
    let permissions = 0n;
    let highest = 0;
    for (const r of roles.value)
      if (mine.has(r.id)) {
        permissions |= BigInt(r.permissions);
        highest = Math.max(highest, r.position);
      }
    const value: BotFacts = { permissions, highest, roles: new Map(roles.value.map((r) => [r.id, { position: r.position, managed: r.managed }])) };
    this.cached = { at, value };
    return ok(value);
  }

  forget(): void {
    this.cached = null;
  }
}
