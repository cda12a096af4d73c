import type { IRequest } from 'itty-router';
import type { Env } from '../../env.ts';
import { localeFromAcceptLanguage } from '../../i18n/accept-language.ts';
import { type AppLocale, t } from '../../i18n/index.ts';
import type { FeatureRoute } from '../../platform/feature.ts';
import { guildActor } from '../../runtime/stubs.ts';
import { guildApiAccess, guildPageAccess, problem } from '../dashboard/access.ts';
import { htmlPage, messagePage } from '../dashboard/pages.ts';
import { sameOrigin } from '../dashboard/rules.ts';
import { ALERT_KINDS, type AlertKind, isAlertKind, type RouteErrors, type RouteInput } from './rules.ts';
import { alertsPageBody, type KindForm } from './views.ts';

/**
 * The dashboard's alert routing: a page with a form per kind, and the same
 * as JSON. Every request passes the dashboard's guild guard first (a live
 * session whose user may manage this guild now); a save goes through the
 * desk's one validation, so the page, the API and /alerts refuse alike.
 */

const localeOf = (req: Request): AppLocale => localeFromAcceptLanguage(req.headers.get('accept-language'));
const noStore = { 'Cache-Control': 'no-store' };
const FIELDS = ['kind', 'channel', 'role', 'window', 'quiet', 'timezone'] as const;
const EMPTY = (kind: AlertKind): Required<RouteInput> => ({ kind, channel: '', role: '', window: '', quiet: '', timezone: '' });

/** Only the known fields, as strings (a number in JSON is read as its text; anything else as absent). */
function inputOf(raw: Record<string, unknown>): RouteInput {
  const out: RouteInput = {};
  for (const f of FIELDS) {
    const v = raw[f];
    if (typeof v === 'string') out[f] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[f] = String(v);
  }
  return out;
}

async function formsOf(env: Env, guildId: string, submitted?: { input: RouteInput; errors: RouteErrors } | { saved: AlertKind }): Promise<KindForm[] | null> {
  const routes = await guildActor(env, guildId).alertRoutes();
  if (!routes) return null;
  return ALERT_KINDS.map((kind) => {
    const stored = routes.find((r) => r.kind === kind) ?? EMPTY(kind);
    if (submitted && 'input' in submitted && submitted.input.kind === kind)
      return { kind, values: { ...EMPTY(kind), ...submitted.input, kind }, errors: submitted.errors, saved: false };
    return { kind, values: stored, errors: {}, saved: !!submitted && 'saved' in submitted && submitted.saved === kind };
  });
}

async function page(l: AppLocale, env: Env, guild: { id: string; name: string }, status: number, submitted?: Parameters<typeof formsOf>[2]): Promise<Response> {
  const forms = await formsOf(env, guild.id, submitted);
  if (!forms) return messagePage(l, 'alerts.page.off', 404, { href: `/dashboard/guilds/${guild.id}`, key: 'dash.back' });
  return htmlPage(l, t(l, 'alerts.page.title', { guild: guild.name }), alertsPageBody(l, guild, forms), status);
}

/** GET /dashboard/guilds/:id/alerts */
async function handlePage(req: IRequest, env: Env): Promise<Response> {
  const l = localeOf(req);
  const a = await guildPageAccess(req, env, req.params.id ?? '', l);
  if (!a.ok) return a.response;
  return page(l, env, a.guild, 200);
}

/** POST /dashboard/guilds/:id/alerts: one kind's form (same origin only); refused input is shown again with each error by its field. */
async function handlePagePost(req: IRequest, env: Env): Promise<Response> {
  const l = localeOf(req);
  if (!sameOrigin(req.headers.get('origin'), new URL(req.url).origin)) return problem(403, 'cross-origin request refused');
  const a = await guildPageAccess(req, env, req.params.id ?? '', l);
  if (!a.ok) return a.response;
  const form = await req.formData().catch(() => null);
  if (!form) return problem(400, 'a form was expected');
  const raw: Record<string, unknown> = {};
  for (const f of FIELDS) raw[f] = form.get(f) ?? '';
  const input = inputOf(raw);
  if (!isAlertKind(input.kind)) return problem(400, 'unknown alert kind');
  const r = await guildActor(env, a.guild.id).saveAlertRoute(input, a.session.userId);
  if (!r) return messagePage(l, 'alerts.page.off', 404, { href: `/dashboard/guilds/${a.guild.id}`, key: 'dash.back' });
  return r.ok ? page(l, env, a.guild, 200, { saved: r.value.kind }) : page(l, env, a.guild, 400, { input, errors: r.errors });
}

/** GET /api/dashboard/guilds/:id/alerts: `{ routes: [...] }`, each route with the fields a POST takes. */
async function handleApi(req: IRequest, env: Env): Promise<Response> {
  const a = await guildApiAccess(req, env, req.params.id ?? '');
  if (!a.ok) return a.response;
  const routes = await guildActor(env, a.guild.id).alertRoutes();
  if (!routes) return problem(404, 'alerts are off');
  return Response.json({ kinds: ALERT_KINDS, routes }, { headers: noStore });
}

/**
 * POST /api/dashboard/guilds/:id/alerts with one route as JSON (same origin
 * only): 200 with the saved route, or 400 with `errors` by field (English
 * texts, and the catalog keys in `codes`); nothing is changed then.
 */
async function handleApiPost(req: IRequest, env: Env): Promise<Response> {
  if (!sameOrigin(req.headers.get('origin'), new URL(req.url).origin)) return problem(403, 'cross-origin request refused');
  const a = await guildApiAccess(req, env, req.params.id ?? '');
  if (!a.ok) return a.response;
  const body = (await req.json().catch(() => null)) as unknown;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return problem(400, 'a JSON object was expected');
  const r = await guildActor(env, a.guild.id).saveAlertRoute(inputOf(body as Record<string, unknown>), a.session.userId);
  if (!r) return problem(404, 'alerts are off');
  if (!r.ok) {
    const l = localeOf(req);
    const errors = Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, t(l, v)]));
    return Response.json({ error: 'invalid route', errors, codes: r.errors }, { status: 400, headers: noStore });
  }
  return Response.json({ route: (await guildActor(env, a.guild.id).alertRoutes())?.find((x) => x.kind === r.value.kind) ?? null }, { headers: noStore });
}

export const ALERT_HANDLERS = {
  page: handlePage,
  pagePost: handlePagePost,
  api: handleApi,
  apiPost: handleApiPost,
} satisfies Record<string, FeatureRoute['handle']>;
