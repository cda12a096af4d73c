import type { IRequest } from 'itty-router';
import type { Env } from '../../env.ts';
import { localeFromAcceptLanguage } from '../../i18n/accept-language.ts';
import { type AppLocale, t } from '../../i18n/index.ts';
import type { FeatureRoute } from '../../platform/feature.ts';
import { requiredPermissions } from '../../platform/invite.ts';
import { guildActor } from '../../runtime/stubs.ts';
import { guildApiAccess, guildPageAccess, problem } from '../dashboard/access.ts';
import { messagePage } from '../dashboard/pages.ts';
import { sameOrigin, type UserGuild } from '../dashboard/rules.ts';
import { MODULES } from '../index.ts';
import type { FieldErrors } from './rules.ts';
import { errorKey, type Refused, registerPage } from './views.ts';

/**
 * The register's HTTP side: the page and its forms, and the JSON API. Every
 * route starts with the dashboard's guard for the guild (guildApiAccess, or
 * the same check for pages); every POST must come from our own origin.
 */

const localeOf = (req: Request): AppLocale => localeFromAcceptLanguage(req.headers.get('accept-language'));
const NO_STORE = { 'Cache-Control': 'no-store' };
/** What the enabled features need of Guildkeep (the invite's permissions), for its drift. */
const required = () => String(requiredPermissions(MODULES));

const fieldMessages = (l: AppLocale, errors: FieldErrors) =>
  Object.fromEntries(Object.entries(errors).map(([field, code]) => [field, { code, message: t(l, errorKey(code)) }]));

/** GET /dashboard/guilds/:id/bots */
async function handlePage(req: IRequest, env: Env): Promise<Response> {
  const l = localeOf(req);
  const a = await guildPageAccess(req, env, req.params.id ?? '', l);
  if (!a.ok) return a.response;
  return showPage(req, env, l, a.guild, { saved: new URL(req.url).searchParams.get('saved') });
}

async function showPage(_req: IRequest, env: Env, l: AppLocale, guild: UserGuild, opts: { refused?: Refused; saved?: string | null }): Promise<Response> {
  const r = await guildActor(env, guild.id).botRegister(required());
  if (!r.ok) return messagePage(l, 'dash.unavailable', 503, { href: `/dashboard/guilds/${guild.id}`, key: 'dash.back' });
  return registerPage(l, guild, r.value, opts);
}

/** POST /dashboard/guilds/:id/bots: one bot's record, or the reminder channel; refused input shows the page again, changing nothing. */
async function handleForm(req: IRequest, env: Env): Promise<Response> {
  const l = localeOf(req);
  const url = new URL(req.url);
  if (!sameOrigin(req.headers.get('origin'), url.origin)) return problem(403, 'cross-origin request refused');
  const a = await guildPageAccess(req, env, req.params.id ?? '', l);
  if (!a.ok) return a.response;
  const form = await req.formData().catch(() => null);
  if (!form) return problem(400, 'expected a form');
  const values: Record<string, string | string[]> = {};
  for (const k of new Set(form.keys())) {
    const all = form.getAll(k).filter((x): x is string => typeof x === 'string');
    values[k] = k === 'accepted' ? all : (all[0] ?? '');
  }
  const actor = guildActor(env, a.guild.id);
  const settings = values.action === 'settings';
  const r = settings ? await actor.setBotReminderChannel(values.reminderChannel ?? '', a.session.userId) : await actor.saveBotRecord(values, a.session.userId);
  if (r.ok) {
    const saved = settings ? 'settings' : String(values.bot);
    return new Response(null, { status: 303, headers: { Location: `/dashboard/guilds/${a.guild.id}/bots?saved=${encodeURIComponent(saved)}`, ...NO_STORE } });
  }
  if ('unavailable' in r) return messagePage(l, 'dash.unavailable', 503, { href: `/dashboard/guilds/${a.guild.id}/bots`, key: 'gov.back-register' });
  return showPage(req, env, l, a.guild, { refused: { form: settings ? 'settings' : String(values.bot ?? ''), values, errors: r.errors } });
}

/** GET /api/dashboard/guilds/:id/bots: the register as JSON. */
async function handleApi(req: IRequest, env: Env): Promise<Response> {
  const a = await guildApiAccess(req, env, req.params.id ?? '');
  if (!a.ok) return a.response;
  const r = await guildActor(env, a.guild.id).botRegister(required());
  if (!r.ok) return problem(503, `Discord could not be asked: ${r.error}`);
  return Response.json(r.value, { headers: NO_STORE });
}

/**
 * POST /api/dashboard/guilds/:id/bots: JSON, either a bot's record
 * `{bot, owner, purpose, failurePlan, reviewDate?, accepted?}` or
 * `{reminderChannel}` ('' for DMs to owners). 400 with `fields` changes nothing.
 */
async function handleApiSave(req: IRequest, env: Env): Promise<Response> {
  const l = localeOf(req);
  if (!sameOrigin(req.headers.get('origin'), new URL(req.url).origin)) return problem(403, 'cross-origin request refused');
  const a = await guildApiAccess(req, env, req.params.id ?? '');
  if (!a.ok) return a.response;
  const body = (await req.json().catch(() => null)) as unknown;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return problem(400, 'expected a JSON object');
  const input = body as Record<string, unknown>;
  const actor = guildActor(env, a.guild.id);
  if ('reminderChannel' in input && !('bot' in input)) {
    const r = await actor.setBotReminderChannel(input.reminderChannel, a.session.userId);
    if (r.ok) return Response.json({ reminderChannelId: r.channelId }, { headers: NO_STORE });
    if ('unavailable' in r) return problem(503, `Discord could not be asked: ${r.unavailable}`);
    return Response.json({ error: 'invalid', fields: fieldMessages(l, r.errors) }, { status: 400, headers: NO_STORE });
  }
  const r = await actor.saveBotRecord(input, a.session.userId);
  if (r.ok) return Response.json({ record: r.record }, { headers: NO_STORE });
  if ('unavailable' in r) return problem(503, `Discord could not be asked: ${r.unavailable}`);
  return Response.json({ error: 'invalid', fields: fieldMessages(l, r.errors) }, { status: 400, headers: NO_STORE });
}

/** The register's handlers, by route (feature.ts declares the paths and loads this module on first use). */
export const GOVERNANCE_HANDLERS = {
  page: handlePage,
  form: handleForm,
  api: handleApi,
  apiSave: handleApiSave,
} satisfies Record<string, FeatureRoute['handle']>;
