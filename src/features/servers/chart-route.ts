import type { Env } from '../../env.ts';
import { guildActor } from '../../runtime/actors.ts';
import { now } from '../../runtime/clock.ts';
import { verifyChartFile } from './chart-link.ts';
import { renderStatsChart } from './rules/chart.ts';

const notFound = () =>
  new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });

/**
 * `GET /charts/servers/<payload>.<signature>.png`: the usage chart of one
 * server, drawn now from the guild actor's history. A forged, expired or
 * malformed name, a deployment without a link secret and a server no longer
 * connected all answer the same 404, so the route tells nothing to a prober.
 */
export async function handleChart(env: Env, file: string): Promise<Response> {
  const secret = env.STAFF_LINK_SECRET;
  if (!secret) return notFound();
  const claims = await verifyChartFile(secret, file, Math.floor(now() / 1000));
  if (!claims) return notFound();
  const usage = await guildActor(env, claims.guildId).serverUsage(claims.panelId, claims.serverId, claims.period);
  if (!usage) return notFound();
  return new Response(renderStatsChart(usage.series), {
    headers: {
      'content-type': 'image/png',
      // Discord's media proxy caches it; a few minutes keeps a re-post fresh without redrawing on every view.
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    },
  });
}
