import type { Env } from '../env.ts';
import { verifyAppealToken } from '../features/moderation/appeal-token.ts';
import { localeFromAcceptLanguage } from '../i18n/accept-language.ts';
import { type AppLocale, type MessageKey, t, translator } from '../i18n/index.ts';
import { newNonce, setPageHeaders } from '../lib/page-headers.ts';
import { guildActor } from '../runtime/actors.ts';

/**
 * The appeal form for banned members, reached from the link in their ban
 * DM: `GET /appeal/<guild_id>/<case>` serves a small page (no data: the
 * signed token stays in the URL fragment, never in a request line or a log),
 * whose script posts `{token, text}` to the same path. The Worker checks the
 * token (guild, case, member, expiry) before the guild actor sees anything.
 */

/** Text for HTML: the catalog's messages are plain text. */
const html = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Text as a JavaScript string literal inside the page's script. */
const js = (s: string): string => JSON.stringify(s).replace(/</g, '\\u003c');

/** The page in `locale` (from the browser's Accept-Language). */
function page(locale: AppLocale): string {
  const tr = translator(locale);
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(tr('appeal.page.title'))}</title>
<style nonce="{{NONCE}}">body{font:16px system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}textarea{width:100%;min-height:10rem;font:inherit}button{font:inherit;padding:.4rem 1rem}#status{margin-top:1rem}</style>
</head><body>
<h1>${html(tr('appeal.page.heading'))}</h1>
<p>${html(tr('appeal.page.case'))} <strong id="case"></strong>. ${html(tr('appeal.page.intro'))}</p>
<form id="f"><textarea id="text" maxlength="1500" required minlength="10"></textarea><p><button type="submit">${html(tr('appeal.page.send'))}</button></p></form>
<p id="status" role="status"></p>
<script nonce="{{NONCE}}">
const parts = location.pathname.split('/');
document.getElementById('case').textContent = '#' + parts[3];
const token = location.hash.slice(1);
const status = document.getElementById('status');
if (!token) status.textContent = ${js(tr('appeal.page.incomplete'))};
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  status.textContent = ${js(tr('appeal.page.sending'))};
  try {
    const r = await fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, text: document.getElementById('text').value }) });
    const j = await r.json();
    status.textContent = j.message || j.error || ${js(tr('appeal.page.failed'))};
    if (r.ok) document.getElementById('f').remove();
  } catch { status.textContent = ${js(tr('appeal.page.unreachable'))}; }
});
</script>
</body></html>`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SNOWFLAKE = /^\d{15,20}$/;
const CASE = /^\d{1,9}$/;

export function handleAppealPage(guildId: string, caseId: string, acceptLanguage?: string | null): Response {
  if (!SNOWFLAKE.test(guildId) || !CASE.test(caseId)) return Response.json({ error: 'not found' }, { status: 404 });
  const nonce = newNonce();
  const headers = setPageHeaders(new Headers({ 'content-type': 'text/html; charset=utf-8' }), { scripts: { nonce }, styles: 'nonce' });
  headers.set('content-language', localeFromAcceptLanguage(acceptLanguage));
  headers.append('vary', 'Accept-Language');
  return new Response(page(localeFromAcceptLanguage(acceptLanguage)).replaceAll('{{NONCE}}', nonce), { headers });
}

const PROBLEM: Record<string, MessageKey> = {
  malformed: 'appeal.link.invalid',
  'bad-signature': 'appeal.link.invalid',
  'wrong-case': 'appeal.link.invalid',
  expired: 'appeal.link.expired',
};

export async function handleAppealSubmit(request: Request, env: Env, guildId: string, caseText: string): Promise<Response> {
  if (!SNOWFLAKE.test(guildId) || !CASE.test(caseText)) return Response.json({ error: 'not found' }, { status: 404 });
  const locale = localeFromAcceptLanguage(request.headers.get('accept-language'));
  if (!env.STAFF_LINK_SECRET) return Response.json({ error: t(locale, 'appeal.off') }, { status: 404 });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: t(locale, 'appeal.not-json') }, { status: 400 });
  }
  if (!isRecord(body) || typeof body.token !== 'string' || typeof body.text !== 'string')
    return Response.json({ error: t(locale, 'appeal.fields') }, { status: 400 });
  const caseId = Number(caseText);
  const claims = await verifyAppealToken(env.STAFF_LINK_SECRET, body.token, guildId, caseId, Math.floor(Date.now() / 1000));
  if (!claims.ok) return Response.json({ error: t(locale, PROBLEM[claims.error] ?? 'appeal.link.invalid') }, { status: 401 });
  const answer = await guildActor(env, guildId).submitAppealForm(caseId, claims.value.userId, body.text, locale);
  return Response.json(answer.ok ? { message: answer.message } : { error: answer.message }, { status: answer.ok ? 200 : 409 });
}
