import { type AppLocale, type MessageKey, type MessageValues, t } from '../../i18n/index.ts';
import { setPageHeaders } from '../../lib/page-headers.ts';
import type { UserGuild } from './rules.ts';

/**
 * The dashboard's server-rendered pages: no script at all, one stylesheet
 * file (/dashboard.css), never framed. Every text comes from the catalog in
 * the reader's language (Accept-Language); names from Discord are escaped.
 */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An HTML response with the pages' headers (CSP without inline code, frame-ancestors 'none', no-store). */
export function htmlPage(locale: AppLocale, title: string, body: string, status = 200, extra: [string, string][] = []): Response {
  const headers = setPageHeaders(new Headers({ 'content-type': 'text/html; charset=utf-8', 'content-language': locale }), {
    scripts: { self: true },
    styles: 'self',
  });
  // The pages' forms post to their own origin, which checks the Origin header (sameOrigin). Under
  // no-referrer a browser sends `Origin: null` with a form's POST, even to the same origin, and every
  // form (log out, bots, alerts, keys) was refused; same-origin still sends other sites nothing.
  headers.set('Referrer-Policy', 'same-origin');
  for (const [k, v] of extra) headers.append(k, v);
  const doc = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title><link rel="stylesheet" href="/dashboard.css"></head>
<body><main>${body}</main></body></html>`;
  return new Response(doc, { status, headers });
}

const tx = (l: AppLocale, k: MessageKey, v?: MessageValues) => esc(t(l, k, v));

/** Only what to set, and where: the page /dashboard answers while the secrets are missing. */
export function setupPage(l: AppLocale, missing: readonly string[], redirectUri: string): Response {
  return htmlPage(
    l,
    t(l, 'dash.setup.title'),
    `<h1>${tx(l, 'dash.setup.title')}</h1>
<p>${tx(l, 'dash.setup.missing', { count: missing.length, names: missing.join(', ') })}</p>
<p>${tx(l, 'dash.setup.how', { redirect: redirectUri })}</p>`,
    503,
  );
}

/** A short message and a way on (log in again, or back to the picker). */
export function messagePage(l: AppLocale, key: MessageKey, status: number, link: { href: string; key: MessageKey }, extra: [string, string][] = []): Response {
  return htmlPage(
    l,
    t(l, 'dash.title'),
    `<h1>${tx(l, 'dash.title')}</h1><p>${tx(l, key)}</p><p><a href="${esc(link.href)}">${tx(l, link.key)}</a></p>`,
    status,
    extra,
  );
}

function logoutForms(l: AppLocale): string {
  return `<form method="post" action="/dashboard/logout"><button>${tx(l, 'dash.logout')}</button></form>
<form method="post" action="/dashboard/logout-everywhere"><button>${tx(l, 'dash.logout-everywhere')}</button></form>`;
}

/** The server picker: servers to open, and servers to add Guildkeep to. */
export function pickerPage(l: AppLocale, name: string, open: readonly UserGuild[], add: readonly (UserGuild & { url: string })[]): Response {
  const openList =
    open.length === 0
      ? `<p class="none">${tx(l, 'dash.picker.open-none')}</p>`
      : `<ul class="guilds open">${open.map((g) => `<li><a href="/dashboard/guilds/${esc(g.id)}" data-guild="${esc(g.id)}">${esc(g.name)}</a></li>`).join('')}</ul>`;
  const addList =
    add.length === 0
      ? ''
      : `<h2>${tx(l, 'dash.picker.add')}</h2><ul class="guilds add">${add
          .map((g) => `<li>${esc(g.name)} <a class="add" href="${esc(g.url)}" data-guild="${esc(g.id)}">${tx(l, 'dash.picker.add-link')}</a></li>`)
          .join('')}</ul>`;
  return htmlPage(
    l,
    t(l, 'dash.title'),
    `<header><h1>${tx(l, 'dash.title')}</h1><p>${tx(l, 'dash.signed-in', { name })}</p>${logoutForms(l)}</header>
<h2>${tx(l, 'dash.picker.open')}</h2>${openList}${addList}`,
  );
}

/** What GET /api/dashboard/guilds/:id/overview answers, also shown as a page. */
export interface GuildOverview {
  guild: { id: string; name: string };
  features: string[];
  counts: { openTickets: number; members: number | null };
}

/** One guild's overview page. */
export function overviewPage(l: AppLocale, o: GuildOverview): Response {
  const members = o.counts.members === null ? tx(l, 'dash.overview.unknown') : String(o.counts.members);
  return htmlPage(
    l,
    `${o.guild.name} · ${t(l, 'dash.title')}`,
    `<header><p><a href="/dashboard">${tx(l, 'dash.back')}</a></p><h1>${esc(o.guild.name)}</h1>${logoutForms(l)}</header>
<dl><dt>${tx(l, 'dash.overview.open-tickets')}</dt><dd>${o.counts.openTickets}</dd><dt>${tx(l, 'dash.overview.members')}</dt><dd>${members}</dd></dl>
<ul class="links"><li><a href="/dashboard/guilds/${esc(o.guild.id)}/settings">${tx(l, 'set.link')}</a></li>
<li><a href="/dashboard/guilds/${esc(o.guild.id)}/bots">${tx(l, 'gov.link')}</a></li>
<li><a href="/dashboard/guilds/${esc(o.guild.id)}/review">${tx(l, 'review.link')}</a></li>
<li><a href="/dashboard/guilds/${esc(o.guild.id)}/alerts">${tx(l, 'dash.overview.link-alerts')}</a></li>
<li><a href="/dashboard/guilds/${esc(o.guild.id)}/analytics">${tx(l, 'analytics.link')}</a></li>
<li><a href="/dashboard/guilds/${esc(o.guild.id)}/keys">${tx(l, 'dash.overview.link-keys')}</a></li></ul>
<h2>${tx(l, 'dash.overview.features')}</h2><ul class="features">${o.features.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`,
  );
}
