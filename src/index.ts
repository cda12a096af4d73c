import { type IRequest, Router } from 'itty-router';
import type { Env } from './env.ts';
import { FEATURES } from './features/index.ts';
import { gatewayWatch } from './gateway/supervisor.ts';
import type { RestGovernor } from './objects/governor.ts';
import type { GuildActor } from './objects/guild.ts';
import type { SessionActor } from './objects/session.ts';
import type { ShardActor } from './objects/shard.ts';
import type { StatusActor } from './objects/status.ts';
import type { TicketActor } from './objects/ticket.ts';
import { assertClaims } from './platform/claims.ts';
import { core } from './platform/core.ts';
import { handleGatewayReshard, handleGatewayStart, handleGatewayStatus } from './routes/admin.ts';
import { handleHealth } from './routes/health.ts';
import { handleInteractionRequest } from './routes/interactions.ts';
import { handleParty } from './routes/staff.ts';

export { RestGovernor } from './objects/governor.ts';
export { GuildActor } from './objects/guild.ts';
export { SessionActor } from './objects/session.ts';
export { ShardActor } from './objects/shard.ts';
export { StatusActor } from './objects/status.ts';
export { TicketActor } from './objects/ticket.ts';

declare module './env.ts' {
  interface ActorClasses {
    GUILD: GuildActor;
    TICKET: TicketActor;
    STATUS: StatusActor;
    GOVERNOR: RestGovernor;
    SHARD: ShardActor;
    SESSION: SessionActor;
  }
}

// Two features claiming one command, custom_id prefix, job, timer, migration or route is a bug: fail at start-up.
assertClaims([core, ...FEATURES]);

const notFound = () => Response.json({ error: 'not found' }, { status: 404 });

const router = Router<IRequest, [Env, ExecutionContext]>({
  catch: (e) => {
    console.error('unhandled error', e instanceof Error ? e.stack : e);
    return Response.json({ error: 'internal error' }, { status: 500 });
  },
});

router
  .post('/interactions', (req, env) => handleInteractionRequest(req, env))
  .get('/health', (_req, env) => handleHealth(env))
  .post('/admin/gateway/start', (req, env) => handleGatewayStart(req, env))
  .post('/admin/gateway/reshard', (req, env) => handleGatewayReshard(req, env))
  .get('/admin/gateway', (req, env) => handleGatewayStatus(req, env))
  .all('/parties/*', async (req, env) => (await handleParty(req, env)) ?? notFound())
  .get('/', () => new Response('Guildkeep is running. Discord sends interactions to POST /interactions; GET /health shows its state.\n'));
// Each feature's pages and APIs, as it declares them.
for (const f of FEATURES) {
  for (const r of f.routes) {
    router.all(r.path, (req, env) => (req.method === r.method ? r.handle(req, env) : undefined));
  }
}
router.all('*', notFound);

export default {
  fetch: (request, env, ctx) => router.fetch(request, env, ctx),
  // The cron trigger (wrangler.jsonc): keeps the gateway running.
  scheduled: async (_controller, env, ctx) => {
    ctx.waitUntil(gatewayWatch(env).then((r) => console.log(`gateway watch: ${r}`)));
  },
} satisfies ExportedHandler<Env>;
