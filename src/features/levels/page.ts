import type { Env } from '../../env.ts';
import { type AppLocale, resolveLocale, t } from '../../i18n/index.ts';
import { newNonce, setPageHeaders } from '../../lib/page-headers.ts';
import { guildActor } from '../../runtime/actors.ts';

/** What the guild actor hands the public page: the top of the board, in the guild's language. */
export interface PublicBoard {
  guildName: string;
  locale: string | undefined;
  rows: { rank: number; name: string; level: number; xp: number }[];
}

export const PAGE_ROWS = 100;
const SNOWFLAKE = /^\d{15,20}$/;
const KEY = /^[A-Za-z0-9_-]{16,64}$/;

const notFound = () =>
  new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });

const html = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Whether two page keys are equal, in time that does not depend on where they differ. */
export function sameKey(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

/**
 * `GET /levels/<guild_id>/<key>`: the guild's public leaderboard, when the
 * guild turned it on (/levels config public_page). The key is random and
 * per guild; a wrong key, a guild with the page off and a malformed path all
 * answer the same 404. Names are the members' own, so everything is escaped,
 * and the page runs no script.
 */
export async function handleBoardPage(env: Env, guildId: string, key: string): Promise<Response> {
  if (!SNOWFLAKE.test(guildId) || !KEY.test(key)) return notFound();
  const board = await guildActor(env, guildId).levelsBoard(key);
  if (!board) return notFound();
  const nonce = newNonce();
  const headers = setPageHeaders(new Headers({ 'content-type': 'text/html; charset=utf-8' }), { scripts: { nonce }, styles: 'nonce' });
  const locale = resolveLocale(board.locale);
  headers.set('content-language', locale);
  return new Response(render(board, locale, nonce), { headers });
}

function render(b: PublicBoard, locale: AppLocale, nonce: string): string {
  const title = b.guildName ? `${b.guildName} · ${t(locale, 'levels.page.title')}` : t(locale, 'levels.page.title');
  const number = new Intl.NumberFormat(locale);
  const rows = b.rows.map((r) => `<tr><td>${r.rank}</td><td>${html(r.name)}</td><td>${r.level}</td><td>${number.format(r.xp)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${html(title)}</title>
<style nonce="${nonce}">body{font:16px system-ui,sans-serif;background:#23272a;color:#fff;margin:0;padding:2rem}table{border-collapse:collapse;width:100%;max-width:48rem}th,td{text-align:left;padding:.4rem .8rem;border-bottom:1px solid #40444b}th{color:#b9bbbe}</style>
</head><body><h1>${html(title)}</h1>
${
  b.rows.length === 0
    ? `<p>${html(t(locale, 'levels.page.empty'))}</p>`
    : `<table><thead><tr><th>${html(t(locale, 'levels.page.rank'))}</th><th>${html(t(locale, 'levels.page.member'))}</th><th>${html(t(locale, 'levels.page.level'))}</th><th>${html(t(locale, 'levels.page.xp'))}</th></tr></thead><tbody>${rows}</tbody></table>`
}
</body></html>`;
}
