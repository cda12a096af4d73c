import type { IRequest } from 'itty-router';
import type { Env } from '../../env.ts';
import { localeFromAcceptLanguage } from '../../i18n/accept-language.ts';
import { type AppLocale, t } from '../../i18n/index.ts';
import type { FeatureRoute } from '../../platform/feature.ts';
import { guildActor } from '../../runtime/stubs.ts';
import { guildApiAccess, guildPageAccess, problem } from '../dashboard/access.ts';
import { htmlPage, messagePage } from '../dashboard/pages.ts';
import { sameOrigin } from '../dashboard/rules.ts';
import type { TriageMetrics } from '../inbox/metrics.ts';
import type { AnalyticsAnswer, AnalyticsCall, AnalyticsData, CsvTable } from './guild-analytics.ts';
import { VIEWER_HEADER, viewerHeader } from './live.ts';
import { isRange, type Range, toCsv } from './rules.ts';
import { analyticsPageBody, type PageNotice } from './views.ts';

/**
 * The dashboard's analytics: the page, its JSON, CSV exports, pause and
 * resume of an invite, the spike settings, and the live socket. Every
 * request (and the socket's upgrade) passes the dashboard's guild guard
 * first: a live session whose user may manage this guild now.
 */

const localeOf = (req: Request): AppLocale => localeFromAcceptLanguage(req.headers.get('accept-language'));
const noStore = { 'Cache-Control': 'no-store' };
const rangeOf = (req: IRequest): Range | null => {
  const r = new URL(req.url).searchParams.get('range') ?? '24h';
  return isRange(r) ? r : null;
};
const CSV_TABLES = ['joins', 'invites', 'inviters', 'campaigns', 'tickets'] as const;
type Table = (typeof CSV_TABLES)[number];
const isTable = (t: unknown): t is Table => typeof t === 'string' && (CSV_TABLES as readonly string[]).includes(t);

const INVITE_CODE = /^[A-Za-z0-9-]{2,32}$/;
const failed = (a: AnalyticsAnswer) => (a.ok ? null : problem(a.status, a.error));

/** The series and top lists of one range, or the error to answer. */
async function read(env: Env, guildId: string, range: Range): Promise<AnalyticsData | Response> {
  const a = await guildActor(env, guildId).analytics({ op: 'read', range });
  return failed(a) ?? (a as { data: AnalyticsData }).data;
}

/** Ticket metrics as the page's chart and the CSV read them (the tickets desk computes them off the interaction path). */
async function ticketMetrics(env: Env, guildId: string): Promise<TriageMetrics> {
  return guildActor(env, guildId).metrics();
}

/** GET /dashboard/guilds/:id/analytics?range= */
async function handlePage(req: IRequest, env: Env): Promise<Response> {
  const l = localeOf(req);
  const a = await guildPageAccess(req, env, req.params.id ?? '', l);
  if (!a.ok) return a.response;
  const range = rangeOf(req) ?? '24h';
  const [d, tickets] = await Promise.all([read(env, a.guild.id, range), ticketMetrics(env, a.guild.id)]);
  if (d instanceof Response) return messagePage(l, 'analytics.off', 404, { href: `/dashboard/guilds/${a.guild.id}`, key: 'dash.back' });
  return htmlPage(l, t(l, 'analytics.title', { guild: a.guild.name }), analyticsPageBody(l, a.guild, d, tickets, noticeOf(new URL(req.url))));
}

/** What a form's change left in the address it came back to (only known words, a code only in an invite code's form). */
function noticeOf(url: URL): PageNotice | null {
  const done = url.searchParams.get('done');
  const code = url.searchParams.get('new') ?? '';
  if (done === 'resumed' && INVITE_CODE.test(code)) return { kind: 'resumed', code };
  return done === 'paused' || done === 'saved' ? { kind: done } : null;
}

/**
 * GET /api/dashboard/guilds/:id/analytics?range=1h|24h|7d|30d[&tickets=1]: the
 * series (one value per bucket), totals, top invites, inviters and campaigns,
 * read from pre-aggregated counts only. Ticket metrics (computed from the
 * ticket index, not pre-aggregated) only when asked for: the page asks once
 * when it opens, not on every refresh.
 */
async function handleApi(req: IRequest, env: Env): Promise<Response> {
  const a = await guildApiAccess(req, env, req.params.id ?? '');
  if (!a.ok) return a.response;
  const range = rangeOf(req);
  if (!range) return problem(400, 'range must be one of 1h, 24h, 7d, 30d');
  const withTickets = new URL(req.url).searchParams.get('tickets') === '1';
  const [d, tickets] = await Promise.all([read(env, a.guild.id, range), withTickets ? ticketMetrics(env, a.guild.id) : null]);
  if (d instanceof Response) return d;
  if (!tickets) return Response.json(d, { headers: noStore });
  const { queue, firstResponse, resolution, perDay } = tickets;
  return Response.json({ ...d, tickets: { queue, firstResponse, resolution, perDay } }, { headers: noStore });
}

/** GET /api/dashboard/guilds/:id/analytics.csv?table=joins|invites|inviters|campaigns|tickets&range= */
async function handleCsv(req: IRequest, env: Env): Promise<Response> {
  const a = await guildApiAccess(req, env, req.params.id ?? '');
  if (!a.ok) return a.response;
  const range = rangeOf(req);
  const table = new URL(req.url).searchParams.get('table');
  if (!range || !isTable(table)) return problem(400, 'table must be one of joins, invites, inviters, campaigns, tickets; range one of 1h, 24h, 7d, 30d');
  let body: string;
  if (table === 'tickets') {
    const m = await ticketMetrics(env, a.guild.id);
    body = toCsv(
      ['day', 'opened', 'closed', 'backlog', 'first_response_p50_ms', 'resolution_p50_ms'],
      m.perDay.map((r) => [r.day, r.opened, r.closed, r.backlog, r.firstResponseP50Ms ?? '', r.resolutionP50Ms ?? '']),
    );
  } else {
    const r = await guildActor(env, a.guild.id).analytics({ op: 'csv', table: table as CsvTable, range });
    const f = failed(r);
    if (f) return f;
    body = (r as { csv: string }).csv;
  }
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${table}-${range}.csv"`,
      'X-Content-Type-Options': 'nosniff',
      ...noStore,
    },
  });
}

/**
 * A change (same origin only). A form post (the page without script) is
 * answered by going back to the page; a script's fetch gets JSON.
 */
const isForm = (req: Request) => (req.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded');

async function change(req: IRequest, env: Env, call: (by: string) => AnalyticsCall): Promise<Response> {
  if (!sameOrigin(req.headers.get('origin'), new URL(req.url).origin)) return problem(403, 'cross-origin request refused');
  const a = await guildApiAccess(req, env, req.params.id ?? '');
  if (!a.ok) return a.response;
  const r = await guildActor(env, a.guild.id).analytics(call(a.session.userId));
  if (isForm(req) && r.ok) {
    const done = 'resumed' in r ? `resumed&new=${encodeURIComponent(r.resumed.code)}` : 'paused' in r ? 'paused' : 'saved';
    return new Response(null, { status: 303, headers: { Location: `/dashboard/guilds/${a.guild.id}/analytics?done=${done}`, ...noStore } });
  }
  if (!r.ok) return problem(r.status, r.error);
  const { ok: _, ...rest } = r;
  return Response.json(rest, { headers: noStore });
}

const codeOf = (req: IRequest) => decodeURIComponent(req.params.code ?? '');

async function handlePause(req: IRequest, env: Env): Promise<Response> {
  return change(req, env, (by) => ({ op: 'pause', code: codeOf(req), by }));
}

async function handleResume(req: IRequest, env: Env): Promise<Response> {
  return change(req, env, (by) => ({ op: 'resume', code: codeOf(req), by }));
}

/** POST /api/dashboard/guilds/:id/analytics/spike {windowMin, baselineMin, floor, factor, cooldownMin} as JSON or the page's form: values out of range keep their default. */
async function handleSpike(req: IRequest, env: Env): Promise<Response> {
  const body: unknown = isForm(req)
    ? Object.fromEntries([...((await req.formData().catch(() => null))?.entries() ?? [])].filter((e): e is [string, string] => typeof e[1] === 'string'))
    : await req.json().catch(() => null);
  if (!body || typeof body !== 'object' || Array.isArray(body)) return problem(400, 'a JSON object was expected');
  return change(req, env, (by) => ({ op: 'spike-config', input: body as Record<string, unknown>, by }));
}

/**
 * GET /dashboard/guilds/:id/live (WebSocket): the session cookie and the
 * guild guard on the upgrade, a same-origin page only (a cookie-carrying
 * socket from another site is refused), then handed to the guild actor,
 * which tags it as the dashboard's by this path.
 */
async function handleLive(req: IRequest, env: Env): Promise<Response> {
  if (req.headers.get('upgrade')?.toLowerCase() !== 'websocket') return problem(426, 'WebSocket only');
  if (!sameOrigin(req.headers.get('origin'), new URL(req.url).origin)) return problem(403, 'cross-origin socket refused');
  const a = await guildApiAccess(req, env, req.params.id ?? '');
  if (!a.ok) return a.response;
  const headers = new Headers(req.headers);
  // The actor has no use for the cookie; it re-checks the session it names while the socket stays open.
  headers.delete('cookie');
  headers.set(VIEWER_HEADER, viewerHeader(a.session));
  return guildActor(env, a.guild.id).fetch(new Request(req.url, { headers }));
}

export const ANALYTICS_HANDLERS = {
  page: handlePage,
  api: handleApi,
  csv: handleCsv,
  pause: handlePause,
  resume: handleResume,
  spike: handleSpike,
  live: handleLive,
} satisfies Record<string, FeatureRoute['handle']>;
