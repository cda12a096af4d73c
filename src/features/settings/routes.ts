import type { IRequest } from 'itty-router';
import type { Env } from '../../env.ts';
import { localeFromAcceptLanguage } from '../../i18n/accept-language.ts';
import type { AppLocale, MessageKey } from '../../i18n/index.ts';
import type { FeatureRoute } from '../../platform/feature.ts';
import { guildActor, sessionActor } from '../../runtime/stubs.ts';
import type { ApiAnswer, ApiCall, Caller } from '../api/guild-api.ts';
import { guildPageAccess } from '../dashboard/access.ts';
import { messagePage } from '../dashboard/pages.ts';
import { sameOrigin } from '../dashboard/rules.ts';
import { changedFields, rawForm } from './form.ts';
import { isSectionName, type SectionName } from './names.ts';
import { type GuildRef, type SectionState, sectionPage, sectionsPage } from './pages.ts';
import { SECTIONS } from './sections.ts';

/**
 * The settings pages' HTTP side. Every request is authorized for its guild
 * (Manage Server, asked of Discord at most a minute ago); a save must come
 * from our own origin (the session cookie is SameSite=Lax, and the Origin
 * header is checked too). Reads and saves go to the guild actor's API part,
 * the same calls the REST API makes, so both front ends share the version
 * check, the rules and the audit entry.
 */

const localeOf = (req: Request): AppLocale => localeFromAcceptLanguage(req.headers.get('accept-language'));
const back = { href: '/dashboard', key: 'dash.back' } as const;

const actorApi = async (env: Env, guildId: string, c: ApiCall): Promise<ApiAnswer> => (await guildActor(env, guildId).api(c)) as unknown as ApiAnswer;

type Versioned = { version: number; changedBy: string | null; changedAt: number | null; config: Record<string, unknown> };
/** What the logging page adds: whether the deployment's audit log webhook (a secret, not a per-server setting) is on. */
const noteOf = (env: Env, s: SectionName): MessageKey | null =>
  s === 'logging' ? (env.LOG_WEBHOOK_URL ? 'set.logging.webhook-on' : 'set.logging.webhook-off') : null;

const stateOf = (v: Versioned): SectionState => ({ version: v.version, changedBy: v.changedBy, changedAt: v.changedAt, values: v.config });

/** The section named in the path, or the page saying there is none. */
function sectionOf(req: IRequest, l: AppLocale): { ok: true; section: SectionName } | { ok: false; response: Response } {
  const s = req.params.section ?? '';
  return isSectionName(s) ? { ok: true, section: s } : { ok: false, response: messagePage(l, 'set.unknown-section', 404, back) };
}

async function list(req: IRequest, env: Env): Promise<Response> {
  const l = localeOf(req);
  const a = await guildPageAccess(req, env, req.params.id ?? '', l);
  if (!a.ok) return a.response;
  return sectionsPage(l, { id: a.guild.id, name: a.guild.name });
}

async function show(req: IRequest, env: Env): Promise<Response> {
  const l = localeOf(req);
  const a = await guildPageAccess(req, env, req.params.id ?? '', l);
  if (!a.ok) return a.response;
  const s = sectionOf(req, l);
  if (!s.ok) return s.response;
  const r = await actorApi(env, a.guild.id, { op: 'config.get', section: s.section });
  if (r.status !== 200) return messagePage(l, 'set.off', 404, { href: `/dashboard/guilds/${a.guild.id}/settings`, key: 'set.all' });
  const saved = Number(new URL(req.url).searchParams.get('saved'));
  const state = stateOf(r.body as Versioned);
  return sectionPage(
    l,
    { id: a.guild.id, name: a.guild.name },
    s.section,
    state,
    Number.isInteger(saved) && saved > 0 ? { kind: 'saved', version: saved } : { kind: 'none' },
    null,
    200,
    noteOf(env, s.section),
  );
}

async function save(req: IRequest, env: Env): Promise<Response> {
  const l = localeOf(req);
  const url = new URL(req.url);
  // A form posted from elsewhere is refused before anything is read or changed (CSRF).
  if (!sameOrigin(req.headers.get('origin'), url.origin)) return messagePage(l, 'set.cross-origin', 403, back);
  const a = await guildPageAccess(req, env, req.params.id ?? '', l);
  if (!a.ok) return a.response;
  const s = sectionOf(req, l);
  if (!s.ok) return s.response;
  const section = s.section;
  const g: GuildRef = { id: a.guild.id, name: a.guild.name };
  const form = await req.formData().catch(() => new FormData());
  const raw = rawForm(form, SECTIONS[section].fields);
  const version = Number(form.get('version'));
  const read = await actorApi(env, g.id, { op: 'config.get', section });
  if (read.status !== 200) return messagePage(l, 'set.off', 404, { href: `/dashboard/guilds/${g.id}/settings`, key: 'set.all' });
  const current = read.body as Versioned;
  const here = `/dashboard/guilds/${g.id}/settings/${section}`;
  const patch = changedFields(SECTIONS[section].fields, raw, current.config);
  // Nothing changed: nothing to save, audit or version.
  if (Object.keys(patch).length === 0 && version === current.version)
    return new Response(null, { status: 303, headers: { Location: here, 'Cache-Control': 'no-store' } });
  const who = await sessionActor(env, a.session.userId).guilds(a.session.sessionId);
  const caller: Caller = {
    userId: a.session.userId,
    name: `user ${a.session.userId}`,
    permissions: a.guild.permissions,
    keyId: null,
    ...(who.ok ? { display: who.value.user.name } : {}),
  };
  const r = await actorApi(env, g.id, {
    op: 'config.update',
    section,
    patch,
    version: Number.isInteger(version) && version > 0 ? version : 0,
    by: caller,
    via: 'dashboard',
    locale: l,
  });
  if (r.status === 200) {
    const v = r.body as Versioned;
    return new Response(null, { status: 303, headers: { Location: `${here}?saved=${v.version}`, 'Cache-Control': 'no-store' } });
  }
  if (r.status === 409) {
    // Someone else saved first: their values are shown, not this admin's.
    const cur = (r.body as { current: Versioned }).current;
    return sectionPage(l, g, section, stateOf(cur), { kind: 'conflict', changedBy: cur.changedBy, changedAt: cur.changedAt }, null, 409, noteOf(env, section));
  }
  if (r.status === 400) {
    const { field, error } = r.body as { field: string; error: string };
    const message = error.startsWith(`${field}: `) ? error.slice(field.length + 2) : error;
    return sectionPage(l, g, section, stateOf(current), { kind: 'invalid', field, message }, raw, 422, noteOf(env, section));
  }
  return messagePage(l, 'set.off', r.status, { href: `/dashboard/guilds/${g.id}/settings`, key: 'set.all' });
}

/** The settings pages' handlers, by route (feature.ts declares the paths and loads this module on first use). */
export const HANDLERS = { list, show, save } satisfies Record<string, FeatureRoute['handle']>;
