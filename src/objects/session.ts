import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env.ts';
import type { TokenSet } from '../features/dashboard/discord-oauth.ts';
import { type GuildsAnswer, SESSION_MIGRATIONS, type SessionProblem, SessionStore, type SessionUser } from '../features/dashboard/store.ts';
import { err, ok, type Result } from '../lib/result.ts';
import { now } from '../runtime/clock.ts';
import { migrate } from '../runtime/migrate.ts';
import { restFor } from '../runtime/rest-client.ts';

/** Page size of the bot's GET /users/@me/guilds. */
const PAGE = 200;

/**
 * One per Discord user (named by user id): that user's dashboard sessions and
 * Discord grant. Wiring only; the rules are in features/dashboard/store.ts.
 */
export class SessionActor extends DurableObject<Env> {
  private readonly store: SessionStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, ctx.storage, SESSION_MIGRATIONS);
    const rest = restFor(env, ctx);
    this.store = new SessionStore({
      sql: ctx.storage.sql,
      now,
      sealKey: env.SESSION_SECRET ?? '',
      client: { apiBase: rest.apiBase, clientId: env.DISCORD_APPLICATION_ID, clientSecret: env.DISCORD_CLIENT_SECRET ?? '' },
      botGuildIds: async () => {
        const ids: string[] = [];
        let after = '';
        for (;;) {
          const r = await rest.get<{ id: string }[]>('/users/@me/guilds', { query: { limit: PAGE, ...(after ? { after } : {}) } });
          if (!r.ok) return err({ kind: 'unavailable', status: 'status' in r.error ? r.error.status : 0 });
          ids.push(...r.value.map((g) => g.id));
          if (r.value.length < PAGE) return ok(ids);
          after = r.value[r.value.length - 1]!.id;
        }
      },
    });
  }

  async open(user: SessionUser, tokens: TokenSet): Promise<string> {
    return this.store.open(user, tokens);
  }
  async check(sessionId: string): Promise<SessionUser | null> {
    return this.store.check(sessionId);
  }
  async guilds(sessionId: string): Promise<Result<GuildsAnswer, SessionProblem>> {
    return this.store.guilds(sessionId);
  }
  async logout(sessionId: string): Promise<void> {
    return this.store.logout(sessionId);
  }
  async logoutEverywhere(sessionId: string): Promise<boolean> {
    return this.store.logoutEverywhere(sessionId);
  }
}
