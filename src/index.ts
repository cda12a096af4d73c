import { Router, type IRequest } from 'itty-router';
import type { Env } from './env.ts';
import { gatewayWatch } from './gateway/supervisor.ts';
import { handleGatewayReshard, handleGatewayStart, handleGatewayStatus } from './routes/admin.ts';
import { handleAppealPage, handleAppealSubmit } from './routes/appeal.ts';
import { handleHealth } from './routes/health.ts';
import { handleInteractionRequest } from './routes/interactions.ts';
import { handleInboxData, handleInboxPage, handleMetrics, handleParty, handleStaffList, handleTicketAction, handleTicketView } from './routes/staff.ts';
import { handleProtectionForAdmin, handleProtectionForStaff } from './routes/protection.ts';

export { GuildActor } from './objects/guild.ts';
export { TicketActor } from './objects/ticket.ts';
export { StatusActor } from './objects/status.ts';
export { RestGovernor } from './objects/governor.ts';
export { ShardActor } from './objects/shard.ts';

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
  .get('/appeal/:guildId/:caseId', (req) => handleAppealPage(req.params.guildId!, req.params.caseId!))
  .post('/appeal/:guildId/:caseId', (req, env) => handleAppealSubmit(req, env, req.params.guildId!, req.params.caseId!))
  .get('/inbox/:guildId', (req, env) => handleInboxPage(req, env))
  .get('/inbox/:guildId/tickets/:ticketId', (req, env) => handleInboxPage(req, env))
  .get('/api/guilds/:guildId/inbox', (req, env) => handleInboxData(req, env, req.params.guildId!))
  .get('/api/guilds/:guildId/metrics', (req, env) => handleMetrics(req, env, req.params.guildId!))
  .get('/api/guilds/:guildId/staff', (req, env) => handleStaffList(req, env, req.params.guildId!))
  .get('/api/guilds/:guildId/protection', (req, env) => handleProtectionForStaff(req, env, req.params.guildId!))
  .get('/admin/guilds/:guildId/protection', (req, env) => handleProtectionForAdmin(req, env, req.params.guildId!))
  .get('/api/tickets/:ticketId', (req, env) => handleTicketView(req, env, req.params.ticketId!))
  .post('/api/tickets/:ticketId/actions', (req, env) => handleTicketAction(req, env, req.params.ticketId!))
  .all('/parties/*', async (req, env) => (await handleParty(req, env)) ?? notFound())
  .get('/', () => new Response('Guildkeep is running. Discord sends interactions to POST /interactions; GET /health shows its state.\n'))
  .all('*', notFound);

export default {
  fetch: (request, env, ctx) => router.fetch(request, env, ctx),
  // The cron trigger (wrangler.jsonc): keeps the gateway running.
  scheduled: async (_controller, env, ctx) => {
    ctx.waitUntil(gatewayWatch(env).then((r) => console.log(`gateway watch: ${r}`)));
  },
} satisfies ExportedHandler<Env>;
