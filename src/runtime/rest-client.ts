import { PermitPool } from '../discord/global-permits.ts';
import { DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import { statusActor } from './stubs.ts';

/** One permit pool per isolate, shared by its actors (see PermitPool on why that is safe). */
let permits: PermitPool | null = null;

/**
 * The REST client an actor uses: the deployment-wide global limit through the
 * RestGovernor, and a 401 from Discord reported once to the StatusActor.
 */
export function restFor(
  env: Pick<Env, 'GOVERNOR' | 'STATUS' | 'DISCORD_TOKEN' | 'DISCORD_API_BASE'>,
  ctx: { waitUntil(p: Promise<unknown>): void },
): DiscordRest {
  // The stub is made by whichever actor refills, in its own context.
  permits ??= new PermitPool(() => env.GOVERNOR.get(env.GOVERNOR.idFromName('global')));
  return new DiscordRest({
    token: env.DISCORD_TOKEN,
    apiBase: env.DISCORD_API_BASE,
    globalPermits: permits,
    onUnauthorized: (route) => ctx.waitUntil(statusActor(env).reportUnauthorized(route, Date.now())),
  });
}
