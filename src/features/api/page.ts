import { type AppLocale, type MessageKey, type MessageValues, t } from '../../i18n/index.ts';
import { htmlPage } from '../dashboard/pages.ts';
import type { KeyInfo } from './guild-api.ts';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const tx = (l: AppLocale, k: MessageKey, v?: MessageValues) => esc(t(l, k, v));
const when = (l: AppLocale, at: number | null) => (at === null ? tx(l, 'api.keys.never') : esc(new Date(at).toLocaleString(l, { timeZone: 'UTC' })));

/**
 * The dashboard's keys page: the guild's keys by name, prefix, scope, created
 * and last used; a form to create one (the new key shown on the answer only)
 * and one to revoke each. Forms post to the same origin; no script.
 */
export function keysPage(
  l: AppLocale,
  guild: { id: string; name: string },
  keys: readonly KeyInfo[],
  created: { key: string } | { error: string } | null,
): Response {
  const base = `/dashboard/guilds/${esc(guild.id)}/keys`;
  const fresh =
    created && 'key' in created
      ? `<section class="new-key"><p>${tx(l, 'api.keys.new')}</p><pre><code>${esc(created.key)}</code></pre></section>`
      : created
        ? `<p class="error">${tx(l, 'api.keys.bad-input', { error: created.error })}</p>`
        : '';
  const rows = keys
    .map(
      (
        k,
      ) => `<tr><td>${esc(k.name)}</td><td><code>${esc(k.prefix)}…</code></td><td>${tx(l, k.scope === 'read' ? 'api.keys.scope.read' : 'api.keys.scope.read-write')}</td>
<td>${when(l, k.createdAt)}</td><td>${when(l, k.lastUsedAt)}</td>
<td><form method="post" action="${base}/${esc(k.id)}/revoke"><button>${tx(l, 'api.keys.revoke')}</button></form></td></tr>`,
    )
    .join('');
  const table =
    keys.length === 0
      ? `<p class="none">${tx(l, 'api.keys.none')}</p>`
      : `<table class="keys"><thead><tr><th>${tx(l, 'api.keys.name')}</th><th>${tx(l, 'api.keys.prefix')}</th><th>${tx(l, 'api.keys.scope')}</th>
<th>${tx(l, 'api.keys.created')}</th><th>${tx(l, 'api.keys.last-used')}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
  return htmlPage(
    l,
    `${t(l, 'api.keys.title')} · ${guild.name}`,
    `<header><p><a href="/dashboard/guilds/${esc(guild.id)}">${esc(guild.name)}</a></p><h1>${tx(l, 'api.keys.title')}</h1></header>
<p>${tx(l, 'api.keys.intro')}</p><p><a href="/api/openapi.json">${tx(l, 'api.keys.docs')}</a></p>${fresh}${table}
<form method="post" action="${base}"><label>${tx(l, 'api.keys.name')} <input name="name" maxlength="64" required></label>
<label>${tx(l, 'api.keys.scope')} <select name="scope"><option value="read">${tx(l, 'api.keys.scope.read')}</option><option value="read-write">${tx(l, 'api.keys.scope.read-write')}</option></select></label>
<button>${tx(l, 'api.keys.create')}</button></form>`,
    created && 'error' in created ? 400 : 200,
  );
}
