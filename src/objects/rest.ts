import { DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';

/** The REST client an actor uses; a 401 from Discord is reported once to the StatusActor. */
export function restFor(env: Env, ctx: { waitUntil(p: Promise<unknown>): void }): DiscordRest {
  return new DiscordRest({
    token: env.DISCORD_TOKEN,
    apiBase: env.DISCORD_API_BASE,
    onUnauthorized: (route) => ctx.waitUntil(statusActor(env).reportUnauthorized(route, Date.now())),
  });
}

export const statusActor = (env: Env) => env.STATUS.get(env.STATUS.idFromName('status'));
export const guildActor = (env: Env, guildId: string) => env.GUILD.get(env.GUILD.idFromName(guildId));
export const ticketActor = (env: Env, ticketId: string) => env.TICKET.get(env.TICKET.idFromName(ticketId));
