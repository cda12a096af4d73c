import type { IRequest } from 'itty-router';
import type { Env } from '../../env.ts';
import { localeFromAcceptLanguage } from '../../i18n/accept-language.ts';
import { type AppLocale, t } from '../../i18n/index.ts';
import type { FeatureRoute } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import { guildActor } from '../../runtime/stubs.ts';
import { guildApiAccess, guildPageAccess, problem } from '../dashboard/access.ts';
import { messagePage } from '../dashboard/pages.ts';
import { countByKind, filterItems, parseReviewFilter, type ReviewItem, reviewItems } from './rules.ts';
import { reviewPage } from './views.ts';

const localeOf = (req: Request): AppLocale => localeFromAcceptLanguage(req.headers.get('accept-language'));

async function queueOf(env: Env, guildId: string): Promise<ReviewItem[]> {
  const sources = await guildActor(env, guildId).reviewSources();
  return sources ? reviewItems(sources, now()) : [];
}

/** GET /api/dashboard/guilds/:id/review?kind=&owner=: the queue as JSON, for the page's live refresh. */
async function handleApi(req: IRequest, env: Env): Promise<Response> {
  const a = await guildApiAccess(req, env, req.params.id ?? '');
  if (!a.ok) return a.response;
  const filter = parseReviewFilter(new URL(req.url).searchParams);
  if (!filter.ok) return problem(400, filter.error);
  const all = await queueOf(env, a.guild.id);
  return Response.json(
    { items: filterItems(all, filter.value, a.session.userId), counts: countByKind(all), total: all.length },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}

/** GET /dashboard/guilds/:id/review: the same queue as a page. */
async function handlePage(req: IRequest, env: Env): Promise<Response> {
  const l = localeOf(req);
  const a = await guildPageAccess(req, env, req.params.id ?? '', l);
  if (!a.ok) return a.response;
  const filter = parseReviewFilter(new URL(req.url).searchParams);
  if (!filter.ok) return messagePage(l, 'review.bad-filter', 400, { href: `/dashboard/guilds/${a.guild.id}/review`, key: 'dash.back' });
  const all = await queueOf(env, a.guild.id);
  return reviewPage(l, {
    guild: a.guild,
    filter: filter.value,
    items: filterItems(all, filter.value, a.session.userId),
    counts: countByKind(all),
    total: all.length,
    title: t(l, 'review.title', { guild: a.guild.name }),
  });
}

export const HANDLERS = { page: handlePage, api: handleApi } satisfies Record<string, FeatureRoute['handle']>;
