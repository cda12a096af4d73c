import { routePartykitRequest } from 'partyserver';
import type { Env } from '../env.ts';
import { type StaffClaims, signStaffToken, verifyStaffToken } from '../features/inbox/token.ts';
import { isStatus } from '../features/tickets/model.ts';
import { MAX_TAG_LENGTH, normalizeTag } from '../features/tickets/organize/rules.ts';
import type { TicketAction } from '../features/tickets/rules.ts';
import { transcriptFileName } from '../features/tickets/transcript-html.ts';
import { setPageHeaders } from '../lib/page-headers.ts';
import { err, ok, type Result } from '../lib/result.ts';
import type { StaffRequest } from '../objects/ticket.ts';
import { guildActor, ticketActor } from '../runtime/actors.ts';

/**
 * The staff inbox's HTTP API and WebSockets. Every call carries the staff
 * link's token (Authorization: Bearer; a WebSocket its socket token), which must
 * be valid, unexpired and for this guild, and the user must still be staff
 * according to Discord right now. Anything else: 401/403 and no data.
 */
const problem = (status: number, error: string) => Response.json({ error }, { status });

export type Verified = { ok: true; claims: StaffClaims; name: string } | { ok: false; response: Response };

/**
 * Sockets get their own short-lived token (60 s, a derived key), so the
 * 12-hour link token never appears in a URL that a log might keep.
 */
const SOCKET_TOKEN_TTL_S = 60;
const secretFor = (env: Env, purpose: 'link' | 'socket') => (purpose === 'link' ? env.STAFF_LINK_SECRET! : `${env.STAFF_LINK_SECRET}:socket`);

async function socketToken(env: Env, claims: StaffClaims): Promise<string> {
  return signStaffToken(secretFor(env, 'socket'), { ...claims, exp: Math.floor(Date.now() / 1000) + SOCKET_TOKEN_TTL_S });
}

export async function verifyStaff(env: Env, token: string | null, guildId: string, purpose: 'link' | 'socket' = 'link'): Promise<Verified> {
  if (!env.STAFF_LINK_SECRET) return { ok: false, response: problem(503, 'the staff inbox is not configured (STAFF_LINK_SECRET)') };
  if (!token) return { ok: false, response: problem(401, 'missing staff token') };
  const v = await verifyStaffToken(secretFor(env, purpose), token, guildId, Math.floor(Date.now() / 1000));
  if (!v.ok) return { ok: false, response: problem(401, `staff token ${v.error}; run /ticket inbox in Discord for a new link`) };
  const staff = await guildActor(env, guildId).checkStaff(v.value.userId);
  if (!staff.ok) {
    return {
      ok: false,
      response:
        staff.reason === 'discord-unavailable'
          ? problem(503, 'Discord could not be asked whether you are staff; try again')
          : problem(403, 'you are no longer staff in this server'),
    };
  }
  return { ok: true, claims: v.value, name: staff.name };
}

const bearer = (req: Request) => /^Bearer (\S+)$/.exec(req.headers.get('Authorization') ?? '')?.[1] ?? null;
/** Ticket ids are `<guild_id>-<number>`. */
const guildOfTicket = (ticketId: string) => /^(\d{1,20})-\d+$/.exec(ticketId)?.[1] ?? null;

export async function handleInboxData(req: Request, env: Env, guildId: string): Promise<Response> {
  const v = await verifyStaff(env, bearer(req), guildId);
  if (!v.ok) return v.response;
  const g = guildActor(env, guildId);
  return Response.json({
    me: { userId: v.claims.userId, name: v.name },
    socketToken: await socketToken(env, v.claims),
    ...(await g.inboxData()),
  });
}

export async function handleMetrics(req: Request, env: Env, guildId: string): Promise<Response> {
  const v = await verifyStaff(env, bearer(req), guildId);
  if (!v.ok) return v.response;
  return Response.json(await guildActor(env, guildId).metrics());
}

export async function handleTicketView(req: Request, env: Env, ticketId: string): Promise<Response> {
  const guildId = guildOfTicket(ticketId);
  if (!guildId) return problem(404, 'no such ticket');
  const v = await verifyStaff(env, bearer(req), guildId);
  if (!v.ok) return v.response;
  // Ask the guild first: a ticket actor asked about an unknown id would come into being, empty.
  const g = guildActor(env, guildId);
  if (!(await g.findTicket(ticketId))) return problem(404, 'no such ticket');
  const view = await ticketActor(env, ticketId).view();
  if (!view) return problem(404, 'no such ticket');
  return Response.json({
    me: { userId: v.claims.userId, name: v.name },
    socketToken: await socketToken(env, v.claims),
    // The reply box's saved replies and the tag field's suggestions.
    ...(await g.inboxData('reply-aids')),
    ...view,
    audit: await guildActor(env, guildId).auditFor(view.ticket.number),
  });
}

/** The transcript's own policy: nothing but its inline styles may load or run. */
export const TRANSCRIPT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/**
 * A ticket's transcript as the self-contained HTML file Discord gets (staff
 * version, the guild's language), for staff with a valid inbox token.
 */
export async function handleTicketTranscript(req: Request, env: Env, ticketId: string): Promise<Response> {
  const guildId = guildOfTicket(ticketId);
  if (!guildId) return problem(404, 'no such ticket');
  const v = await verifyStaff(env, bearer(req), guildId);
  if (!v.ok) return v.response;
  if (!(await guildActor(env, guildId).findTicket(ticketId))) return problem(404, 'no such ticket');
  const html = await ticketActor(env, ticketId).transcriptHtml();
  if (html === null) return problem(404, 'no such ticket');
  return new Response(html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': TRANSCRIPT_CSP,
      'Content-Disposition': `inline; filename="${transcriptFileName(Number(ticketId.split('-')[1]))}"`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
  });
}

/** The longest close reason the staff API takes (it is posted in the thread's closing note and the log). */
export const MAX_CLOSE_REASON = 500;
const SNOWFLAKE = /^\d{15,20}$/;
const USAGE = 'expected {kind:"act", version, action:{kind:claim|assign|set-status|close|reopen|tag,…}} or {kind:"note"|"reply", text}';

/** A staff request as the body gives it: an assignment names only the member; the Worker asks Discord for the rest. */
export type StaffRequestDraft =
  | Exclude<StaffRequest, { kind: 'act' }>
  | { kind: 'act'; action: Exclude<TicketAction, { kind: 'assign' }> | { kind: 'assign'; assigneeId: string }; expectedVersion: number };

/** Parses a staff action body; the error says what is wrong with it. */
export function parseStaffRequest(body: unknown): Result<StaffRequestDraft, string> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return err(USAGE);
  const b = body as Record<string, unknown>;
  if ((b.kind === 'note' || b.kind === 'reply') && typeof b.text === 'string') return ok({ kind: b.kind, text: b.text });
  if (b.kind !== 'act' || typeof b.version !== 'number' || !b.action || typeof b.action !== 'object') return err(USAGE);
  const a = b.action as Record<string, unknown>;
  let action: Extract<StaffRequestDraft, { kind: 'act' }>['action'] | null = null;
  if (a.kind === 'claim' || a.kind === 'reopen') action = { kind: a.kind };
  else if (a.kind === 'close') {
    if (a.reason !== undefined && a.reason !== null && typeof a.reason !== 'string') return err('close reason must be a string');
    const reason = typeof a.reason === 'string' ? a.reason.trim() : '';
    if (reason.length > MAX_CLOSE_REASON) return err(`close reason is ${reason.length} characters; at most ${MAX_CLOSE_REASON}`);
    action = { kind: 'close', reason: reason || null };
  } else if (a.kind === 'assign') {
    if (typeof a.assigneeId !== 'string' || !SNOWFLAKE.test(a.assigneeId)) return err('assign needs assigneeId, a Discord user id');
    action = { kind: 'assign', assigneeId: a.assigneeId };
  } else if (a.kind === 'tag') {
    const tag = typeof a.tag === 'string' ? normalizeTag(a.tag) : null;
    if (!tag?.ok || typeof a.on !== 'boolean')
      return err(`tag needs tag (1–${MAX_TAG_LENGTH} letters, digits, spaces, - or _) and on (true to add, false to remove)`);
    action = { kind: 'tag', tag: tag.value, on: a.on };
  } else if (a.kind === 'set-status' && (a.status === 'waiting' || a.status === 'escalated' || a.status === 'resolved') && isStatus(a.status))
    action = { kind: 'set-status', status: a.status };
  return action ? ok({ kind: 'act', action, expectedVersion: b.version }) : err(USAGE);
}

/**
 * Completes a draft: an assignee must be staff right now according to
 * Discord (as `/ticket assign` requires), and their name is Discord's.
 */
export async function completeStaffRequest(env: Env, guildId: string, d: StaffRequestDraft): Promise<Result<StaffRequest, Response>> {
  if (d.kind !== 'act' || d.action.kind !== 'assign') return ok(d as StaffRequest);
  const staff = await guildActor(env, guildId).checkStaff(d.action.assigneeId);
  if (!staff.ok) {
    return err(
      staff.reason === 'discord-unavailable'
        ? problem(503, 'Discord could not be asked whether the assignee is staff; try again')
        : problem(
            422,
            staff.reason === 'not-member'
              ? 'That person is not a member of this server, so they cannot take tickets.'
              : 'That member is not support staff here, so they cannot take tickets.',
          ),
    );
  }
  return ok({ ...d, action: { kind: 'assign', assigneeId: d.action.assigneeId, assigneeName: staff.name } });
}

export async function handleTicketAction(req: Request, env: Env, ticketId: string): Promise<Response> {
  const guildId = guildOfTicket(ticketId);
  if (!guildId) return problem(404, 'no such ticket');
  const v = await verifyStaff(env, bearer(req), guildId);
  if (!v.ok) return v.response;
  const parsed = parseStaffRequest(await req.json().catch(() => null));
  if (!parsed.ok) return problem(400, parsed.error);
  if (!(await guildActor(env, guildId).findTicket(ticketId))) return problem(404, 'no such ticket');
  const request = await completeStaffRequest(env, guildId, parsed.value);
  if (!request.ok) return request.error;
  const r = await ticketActor(env, ticketId).staffRequest(request.value, { userId: v.claims.userId, name: v.name });
  return r.ok ? Response.json(r.view) : Response.json({ error: r.message, view: r.view }, { status: r.status });
}

/**
 * The people a ticket can be assigned to: `200 {"staff": [{userId, name}]}`,
 * sorted by name, for the inbox's assign list.
 */
export async function handleStaffList(req: Request, env: Env, guildId: string): Promise<Response> {
  const v = await verifyStaff(env, bearer(req), guildId);
  if (!v.ok) return v.response;
  const list = await guildActor(env, guildId).listStaff();
  return list.ok ? Response.json({ staff: list.value }) : problem(503, `Discord did not list the server's members (${list.error}); try again`);
}

/** Serves the inbox page (static, no data in it: the page asks the API with its token). */
export async function handleInboxPage(req: Request, env: Env): Promise<Response> {
  if (!env.ASSETS) return problem(503, 'static assets are not configured');
  const res = await env.ASSETS.fetch(new Request(new URL('/inbox.html', req.url)));
  const url = new URL(req.url);
  const headers = setPageHeaders(new Headers(res.headers), {
    scripts: { self: true },
    styles: 'self',
    // Older browsers do not count a same-host ws:/wss: URL as 'self'.
    connect: [`${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`],
  });
  return new Response(res.body, { status: res.status, headers });
}

/**
 * The WebSocket subprotocols of the inbox rooms. The client offers
 * `guildkeep` and `guildkeep.auth.<socket token>`; the server answers with
 * `guildkeep`. The token travels in the Sec-WebSocket-Protocol header, never
 * in the URL, which servers and proxies (partyserver among them) log.
 */
export const SOCKET_PROTOCOL = 'guildkeep';
export const SOCKET_AUTH_PREFIX = 'guildkeep.auth.';

/** The socket token a WebSocket request offers as a subprotocol; null without one (or without `guildkeep`). */
export function socketTokenOf(req: Request): string | null {
  const offered = (req.headers.get('Sec-WebSocket-Protocol') ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(SOCKET_PROTOCOL)) return null;
  const auth = offered.find((p) => p.startsWith(SOCKET_AUTH_PREFIX));
  return auth ? auth.slice(SOCKET_AUTH_PREFIX.length) || null : null;
}

/**
 * WebSockets: /parties/guild/<guild_id> (the inbox room) and
 * /parties/ticket/<ticket_id> (a ticket's room), authenticated by the socket
 * token in the subprotocol header. A ticket room opens only for a ticket the
 * guild knows, so a made-up id never brings an empty ticket actor into being.
 */
export async function handleParty(req: Request, env: Env): Promise<Response | null> {
  const res = await routePartykitRequest(req, env as unknown as Record<string, unknown>, {
    onBeforeRequest: () => problem(404, 'rooms are WebSocket only'),
    onBeforeConnect: async (r, lobby) => {
      const guildId = lobby.className === 'GUILD' ? lobby.name : lobby.className === 'TICKET' ? guildOfTicket(lobby.name) : null;
      if (!guildId) return problem(404, 'no such room');
      if (new URL(r.url).searchParams.has('token'))
        return problem(400, `send the socket token as the "${SOCKET_AUTH_PREFIX}<token>" WebSocket subprotocol, not in the URL`);
      const v = await verifyStaff(env, socketTokenOf(r), guildId, 'socket');
      if (!v.ok) return v.response;
      if (lobby.className === 'TICKET' && !(await guildActor(env, guildId).findTicket(lobby.name))) return problem(404, 'no such ticket');
      const headers = new Headers(r.headers);
      // The room has no use for the token; keep it out of the actor's request.
      headers.delete('Sec-WebSocket-Protocol');
      headers.set('X-Guildkeep-User', v.claims.userId);
      headers.set('X-Guildkeep-Name', v.name);
      return new Request(r, { headers });
    },
  });
  // A browser drops a socket whose handshake does not name one of the subprotocols it offered.
  if (res?.status === 101 && res.webSocket)
    return new Response(null, { status: 101, webSocket: res.webSocket, headers: { 'Sec-WebSocket-Protocol': SOCKET_PROTOCOL } });
  return res;
}
