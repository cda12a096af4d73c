import type { Env } from '../env.ts';
import { verifyAppealToken } from '../features/moderation/appeal-token.ts';
import { newNonce, setPageHeaders } from '../lib/page-headers.ts';
import { guildActor } from '../runtime/actors.ts';

/**
 * The appeal form for banned members, reached from the link in their ban
 * DM: `GET /appeal/<guild_id>/<case>` serves a small page (no data: the
 * signed token stays in the URL fragment, never in a request line or a log),
 * whose script posts `{token, text}` to the same path. The Worker checks the
 * token (guild, case, member, expiry) before the guild actor sees anything.
 */

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Appeal</title>
<style nonce="{{NONCE}}">body{font:16px system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}textarea{width:100%;min-height:10rem;font:inherit}button{font:inherit;padding:.4rem 1rem}#status{margin-top:1rem}</style>
</head><body>
<h1>Appeal a moderation action</h1>
<p>Case <strong id="case"></strong>. Tell the server's staff why the action should be undone.</p>
<form id="f"><textarea id="text" maxlength="1500" required minlength="10"></textarea><p><button type="submit">Send appeal</button></p></form>
<p id="status" role="status"></p>
<script nonce="{{NONCE}}">
const parts = location.pathname.split('/');
document.getElementById('case').textContent = '#' + parts[3];
const token = location.hash.slice(1);
const status = document.getElementById('status');
if (!token) status.textContent = 'This link is incomplete; open it again from the message you received.';
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  status.textContent = 'Sending…';
  try {
    const r = await fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, text: document.getElementById('text').value }) });
    const j = await r.json();
    status.textContent = j.message || j.error || 'Something went wrong.';
    if (r.ok) document.getElementById('f').remove();
  } catch { status.textContent = 'The appeal could not be sent; try again in a moment.'; }
});
</script>
</body></html>`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SNOWFLAKE = /^\d{15,20}$/;
const CASE = /^\d{1,9}$/;

export function handleAppealPage(guildId: string, caseId: string): Response {
  if (!SNOWFLAKE.test(guildId) || !CASE.test(caseId)) return Response.json({ error: 'not found' }, { status: 404 });
  const nonce = newNonce();
  const headers = setPageHeaders(new Headers({ 'content-type': 'text/html; charset=utf-8' }), { scripts: { nonce }, styles: 'nonce' });
  return new Response(PAGE.replaceAll('{{NONCE}}', nonce), { headers });
}

const PROBLEM: Record<string, string> = {
  malformed: 'This link is not valid; open it again from the message you received.',
  'bad-signature': 'This link is not valid; open it again from the message you received.',
  'wrong-case': 'This link is not valid; open it again from the message you received.',
  expired: 'This appeal link has expired.',
};

export async function handleAppealSubmit(request: Request, env: Env, guildId: string, caseText: string): Promise<Response> {
  if (!SNOWFLAKE.test(guildId) || !CASE.test(caseText)) return Response.json({ error: 'not found' }, { status: 404 });
  if (!env.STAFF_LINK_SECRET) return Response.json({ error: 'Appeal links are not set up on this deployment.' }, { status: 404 });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: 'The request is not JSON.' }, { status: 400 });
  }
  if (!isRecord(body) || typeof body.token !== 'string' || typeof body.text !== 'string')
    return Response.json({ error: 'token and text are required.' }, { status: 400 });
  const caseId = Number(caseText);
  const claims = await verifyAppealToken(env.STAFF_LINK_SECRET, body.token, guildId, caseId, Math.floor(Date.now() / 1000));
  if (!claims.ok) return Response.json({ error: PROBLEM[claims.error] }, { status: 401 });
  const answer = await guildActor(env, guildId).submitAppealForm(caseId, claims.value.userId, body.text);
  return Response.json(answer.ok ? { message: answer.message } : { error: answer.message }, { status: answer.ok ? 200 : 409 });
}
