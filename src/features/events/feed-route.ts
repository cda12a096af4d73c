import type { Env } from '../../env.ts';
import { guildActor } from '../../runtime/actors.ts';

const notFound = () =>
  new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });

/**
 * `GET /events/feed/<guild>/<token>.ics`: the guild's calendar. The token
 * (random, shown by `/event feed`, rotated there) is the permission; an
 * unknown guild, a wrong or old token and a malformed name all answer the
 * same 404.
 */
export async function handleFeed(env: Env, guild: string, file: string): Promise<Response> {
  const m = /^([0-9a-f]{48})\.ics$/.exec(file);
  if (!m || !/^\d{15,20}$/.test(guild)) return notFound();
  const body = await guildActor(env, guild).eventsCalendar(m[1]!);
  if (body === null) return notFound();
  return new Response(body, {
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'cache-control': 'private, max-age=300',
      'x-content-type-options': 'nosniff',
    },
  });
}
