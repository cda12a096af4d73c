import { SELF } from 'cloudflare:test';
import type { APIMessage } from 'discord-api-types/v10';
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { signStaffToken } from '../../../src/features/inbox/token.ts';
import type { Actor } from '../../../src/features/tickets/rules.ts';
import { guildActor, ticketActor } from '../../../src/runtime/actors.ts';
import {
  deliver,
  env,
  eventually,
  type InteractionSpec,
  lastSeq,
  newGuild,
  openTicket,
  replyText,
  type SimCall,
  simApi,
  simLog,
  slash,
  type TestGuild,
  uploadAttachment,
} from '../../helpers.ts';

const SECRET = 'test-staff-link-secret';
const BASE = 'http://guildkeep.test';
const token = (g: TestGuild, userId: string) => signStaffToken(SECRET, { guildId: g.guildId, userId, exp: Math.floor(Date.now() / 1000) + 3600 });

/** /setup tickets with the transcript options (booleans are option type 5). */
async function setup(g: TestGuild, opts: { channel?: string; dm?: boolean; anonymous?: boolean }) {
  const spec: InteractionSpec = slash(g, g.adminId, 'setup tickets', {
    staff_role: g.staffRoleId,
    ...(opts.channel ? { transcript_channel: opts.channel } : {}),
  });
  const leaf = (spec.data as { options: { options: unknown[] }[] }).options[0]!.options;
  if (opts.dm !== undefined) leaf.push({ name: 'transcript_dm', type: 5, value: opts.dm });
  if (opts.anonymous !== undefined) leaf.push({ name: 'anonymous_staff', type: 5, value: opts.anonymous });
  return deliver(spec);
}

const staffActor = (g: TestGuild): Actor => ({ userId: g.staffId, isStaff: true, name: 'Sam' });

/** Parses an HTML file with parse5 and fails on any parse error. */
function wellFormed(html: string) {
  const errors: string[] = [];
  parse(html, { onParseError: (e) => errors.push(e.code) });
  expect(errors).toEqual([]);
  return html;
}

const download = async (url: string) => (await fetch(url)).text();
const transcriptPosts = (calls: SimCall[], channelId: string) =>
  calls.filter((c) => c.route === 'POST /channels/{channel_id}/messages' && c.path === `/channels/${channelId}/messages` && c.files?.length);
const dmsOf = (userId: string) => simApi<{ channel: { id: string } | null; messages: APIMessage[] }>(`/_sim/users/${userId}/dms`);

/** A ticket with a conversation: the member's message with a file, a staff reply and an internal note. */
async function conversation(g: TestGuild) {
  const opened = await openTicket(g, g.memberIds[0]!);
  const file = await uploadAttachment('crash.log', 'text/plain', 'boom');
  const msg = await simApi<APIMessage>(`/_sim/channels/${opened.ticket.channelId}/messages`, {
    body: { user_id: g.memberIds[0], content: 'Still crashing <script>alert(1)</script>, mail me at mia@example.com', attachments: [file.id] },
  });
  expect(await guildActor(env, g.guildId).onMessageCreate(msg)).toBe(true);
  const tok = await token(g, g.staffId);
  const note = await SELF.fetch(`${BASE}/api/tickets/${opened.id}/actions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'note', text: 'internal: probably the launcher' }),
  });
  expect(note.status).toBe(200);
  await note.body?.cancel();
  return { ...opened, tok };
}

const idle = (id: string) => eventually(async () => (await ticketActor(env, id).snapshot()).pendingJobs === 0, 8000, 'jobs done');

describe('ticket transcripts', () => {
  it('on close, posts the HTML file to the transcript channel as Discord documents uploads (payload_json + files[0]), once, and DMs the member a copy', async () => {
    const g = await newGuild();
    expect(replyText(await setup(g, { channel: g.generalChannelId, dm: true }))).toContain(`Transcripts of closed tickets go to <#${g.generalChannelId}>.`);
    const { id, number, stub } = await conversation(g);
    const before = await lastSeq();
    const closed = await stub.request({ kind: 'act', action: { kind: 'close', reason: 'fixed, thanks' } }, staffActor(g));
    expect(closed.outcome.ok).toBe(true);

    const [post] = await eventually(
      async () => {
        const p = transcriptPosts(await simLog(before), g.generalChannelId);
        return p.length ? p : null;
      },
      8000,
      'transcript posted',
    );
    // The multipart form: the file as files[0], described in payload_json's attachments by its placeholder id.
    expect(post!.status).toBe(200);
    expect(post!.form).toEqual(['payload_json', 'files[0]']);
    expect(post!.files).toEqual([{ field: 'files[0]', filename: `transcript-${number}.html`, content_type: 'text/html', size: expect.any(Number) }]);
    expect(post!.request).toMatchObject({
      content: expect.stringContaining(`Transcript of ticket #${number} (crash, high)`),
      attachments: [{ id: '0', filename: `transcript-${number}.html` }],
      allowed_mentions: { parse: [] },
    });
    expect(post!.openapi).toEqual({ checked: true, errors: [] });

    // The simulator hosts the file: fetched back, it is well-formed, masked, escaped, with the file and the note (staff copy).
    const message = post!.response as APIMessage;
    const html = wellFormed(await download(message.attachments[0]!.url));
    expect(html).toContain(`<title>Ticket #${number} transcript</title>`);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('mia@example.com');
    expect(html).toContain('[email]');
    expect(html).toContain('crash.log');
    expect(html).toContain('internal: probably the launcher');
    expect(html).toContain('fixed, thanks');

    // The member's copy by DM: the same conversation without the internal note.
    const dm = await eventually(async () => (await dmsOf(g.memberIds[0]!)).messages.find((m) => m.attachments.length) ?? null, 8000, 'DM copy');
    expect(dm.content).toContain(`Your ticket #${number}`);
    expect(dm.attachments[0]!.filename).toBe(`transcript-${number}.html`);
    const copy = wellFormed(await download(dm.attachments[0]!.url));
    expect(copy).toContain('Still crashing');
    expect(copy).not.toContain('internal: probably the launcher');

    // Once per close: nothing more once the job is done.
    await idle(id);
    expect(transcriptPosts(await simLog(before), g.generalChannelId)).toHaveLength(1);
    // A reopen and a new close make a new transcript.
    expect((await stub.request({ kind: 'act', action: { kind: 'reopen' } }, staffActor(g))).outcome.ok).toBe(true);
    expect((await stub.request({ kind: 'act', action: { kind: 'close', reason: null } }, staffActor(g))).outcome.ok).toBe(true);
    await eventually(async () => transcriptPosts(await simLog(before), g.generalChannelId).length === 2 || null, 8000, 'second transcript');
    await idle(id);
    expect(transcriptPosts(await simLog(before), g.generalChannelId)).toHaveLength(2);
  });

  it('takes a refused DM (50007) as final: the channel copy is posted, the DM is tried once, nothing is retried', async () => {
    const g = await newGuild();
    await setup(g, { channel: g.generalChannelId, dm: true });
    const { id, stub } = await openTicket(g, g.memberIds[1]!);
    await simApi(`/_sim/users/${g.memberIds[1]}/dms`, { body: { open: false } });
    const before = await lastSeq();
    await stub.request({ kind: 'act', action: { kind: 'close', reason: null } }, staffActor(g));
    await eventually(async () => transcriptPosts(await simLog(before), g.generalChannelId).length === 1 || null, 8000, 'transcript posted');
    await idle(id);
    const dmPosts = (await simLog(before)).filter(
      (c) =>
        c.route === 'POST /channels/{channel_id}/messages' &&
        c.path !== `/channels/${g.generalChannelId}/messages` &&
        // The rating ask after the close is a DM of its own (test/features/tickets/ratings.test.ts).
        !JSON.stringify(c.request ?? null).includes('ticket:rate:'),
    );
    const refused = dmPosts.filter((c) => c.status === 403);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.response).toMatchObject({ code: 50007 });
    // Nobody gets a transcript without a channel or the DM switch.
    const h = await newGuild();
    await setup(h, {});
    const other = await openTicket(h, h.memberIds[0]!);
    const start = await lastSeq();
    await other.stub.request({ kind: 'act', action: { kind: 'close', reason: null } }, staffActor(h));
    await idle(other.id);
    expect((await simLog(start)).filter((c) => c.files?.length)).toEqual([]);
  });

  it('/ticket transcript: staff get the file on the deferred reply (in the thread, or by number anywhere); members and unknown numbers are refused', async () => {
    const g = await newGuild();
    await setup(g, {});
    const { number, ticket } = await conversation(g);
    const before = await lastSeq();
    const d = await deliver(slash(g, g.staffId, 'ticket transcript', {}, ticket.channelId!));
    expect(d.response).toEqual({ type: 5, data: { flags: 64 } });
    const original = await eventually(
      async () => (await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${d.interaction.id}`)).original?.attachments?.[0] ?? null,
      8000,
      'file on @original',
    );
    expect(original.filename).toBe(`transcript-${number}.html`);
    const calls = await simLog(before);
    const edit = calls.find((c) => c.method === 'PATCH' && c.status === 200 && c.files?.length);
    if (!edit) throw new Error(JSON.stringify(calls.map((c) => [c.method, c.path, c.status])));
    expect(edit.form).toEqual(['payload_json', 'files[0]']);
    expect(edit.request).toMatchObject({ attachments: [{ id: '0', filename: `transcript-${number}.html` }] });
    expect(edit.openapi).toEqual({ checked: true, errors: [] });
    const html = wellFormed(await download(original.url));
    expect(html).toContain('Still crashing');
    expect(html).toContain('internal: probably the launcher');

    const byNumber = await deliver(slash(g, g.staffId, 'ticket transcript', { number }, g.generalChannelId));
    expect(byNumber.response).toEqual({ type: 5, data: { flags: 64 } });
    await eventually(
      async () => (await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${byNumber.interaction.id}`)).original?.attachments?.length,
      8000,
      'by number',
    );

    expect(replyText(await deliver(slash(g, g.memberIds[0]!, 'ticket transcript', {}, ticket.channelId!)))).toBe(
      'Only support staff can get a ticket’s transcript.',
    );
    expect(replyText(await deliver(slash(g, g.staffId, 'ticket transcript', { number: 99 }, g.generalChannelId)))).toBe(
      'There is no ticket #99 in this server.',
    );
    expect(replyText(await deliver(slash(g, g.staffId, 'ticket transcript', {}, g.generalChannelId)))).toMatch(/^Use this in a ticket’s thread or channel/);
  });

  it('serves the transcript to inbox staff only, as a sandboxed HTML page, and links it from the ticket page', async () => {
    const g = await newGuild();
    const { id, tok } = await conversation(g);
    const url = `${BASE}/api/tickets/${id}/transcript`;
    const anonymous = await SELF.fetch(url);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    const forged = await SELF.fetch(url, { headers: { Authorization: 'Bearer nope' } });
    expect(forged.status).toBe(401);
    await forged.body?.cancel();
    const member = await SELF.fetch(url, { headers: { Authorization: `Bearer ${await token(g, g.memberIds[2]!)}` } });
    expect(member.status).toBe(403);
    await member.body?.cancel();
    const missing = await SELF.fetch(`${BASE}/api/tickets/${g.guildId}-42/transcript`, { headers: { Authorization: `Bearer ${tok}` } });
    expect(missing.status).toBe(404);
    await missing.body?.cancel();

    const r = await SELF.fetch(url, { headers: { Authorization: `Bearer ${tok}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('Content-Security-Policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(r.headers.get('Content-Disposition')).toMatch(/^inline; filename="transcript-\d+\.html"$/);
    const html = wellFormed(await r.text());
    expect(html).toContain('internal: probably the launcher');
    expect(html).not.toContain('mia@example.com');

    // The ticket page links it (the page fetches it with the staff token, which a plain link cannot carry).
    expect(await (await SELF.fetch(`${BASE}/inbox/${g.guildId}/tickets/${id}`)).text()).toContain('id="t-transcript"');
  });

  it('posts inbox replies as “Support team” when staff are anonymous, keeping the real staff member in the transcript and audit', async () => {
    const g = await newGuild();
    await setup(g, { anonymous: true });
    const { id, ticket, tok } = await conversation(g);
    const before = await lastSeq();
    const r = await SELF.fetch(`${BASE}/api/tickets/${id}/actions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'reply', text: 'Please reinstall the launcher.' }),
    });
    expect(r.status).toBe(200);
    await r.body?.cancel();
    const [posted] = await eventually(
      async () => {
        const calls = (await simLog(before)).filter((c) => c.path === `/channels/${ticket.channelId}/messages` && c.method === 'POST');
        return calls.length ? calls : null;
      },
      8000,
      'reply posted',
    );
    const content = (posted!.request as { content: string }).content;
    expect(content).toBe('**Support team**: Please reinstall the launcher.');
    const view = await ticketActor(env, id).view();
    expect(view!.transcript.find((e) => e.content === 'Please reinstall the launcher.')).toMatchObject({ kind: 'staff', authorId: g.staffId });
    const audit = await eventually(
      async () => (await guildActor(env, g.guildId).auditLog()).find((e) => e.action === 'inbox reply') ?? null,
      8000,
      'reply audited',
    );
    expect(audit.userId).toBe(g.staffId);

    // Switched off, replies name the staff member again.
    await setup(g, { anonymous: false });
    const next = await lastSeq();
    const again = await SELF.fetch(`${BASE}/api/tickets/${id}/actions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'reply', text: 'Did that help?' }),
    });
    await again.body?.cancel();
    const [named] = await eventually(
      async () => {
        const calls = (await simLog(next)).filter((c) => c.path === `/channels/${ticket.channelId}/messages` && c.method === 'POST');
        return calls.length ? calls : null;
      },
      8000,
      'named reply',
    );
    expect((named!.request as { content: string }).content).toMatch(/^\*\*.+\*\* \(staff\): Did that help\?$/);
  });
});
