import type { IRequest } from 'itty-router';
import type { Env } from '../../env.ts';
import { localeFromAcceptLanguage } from '../../i18n/accept-language.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import type { FeatureRoute } from '../../platform/feature.ts';
import { completeStaffRequest, parseStaffRequest } from '../../routes/staff.ts';
import { guildActor, ticketActor } from '../../runtime/stubs.ts';
import { isRange } from '../analytics/rules.ts';
import { guildApiAccess, problem } from '../dashboard/access.ts';
import { isSnowflake, sameOrigin } from '../dashboard/rules.ts';
import { SECTION_NAMES, type SectionName } from '../settings/names.ts';
import { ISSUE_TYPES, isIssueType, isSeverity, SEVERITIES, STATUSES, type TicketStatus } from '../tickets/model.ts';
import { normalizeTag } from '../tickets/organize/rules.ts';
import { versionOf } from './config.ts';
import type { ApiAnswer, ApiCall, Caller, KeyInfo } from './guild-api.ts';
import { guildOfKey, hashKey, type KeyScope, parseNewKey } from './keys.ts';
import { OPENAPI } from './openapi.ts';
import { keysPage } from './page.ts';
import { ticketView } from './views.ts';

/**
 * The REST API's HTTP side. Every /api/v1/guilds/:guildId route is
 * authenticated here, by a per-guild key (`Authorization: Bearer gk_…`,
 * bound to its guild, scoped, rate-limited in the guild actor) or by a
 * dashboard session that may manage the guild; then it hands the guild
 * actor one typed call, or (ticket changes) the ticket actor the same staff
 * request the inbox sends. Keys are never logged and never answered again
 * after their creation.
 */

const NO_STORE = { 'Cache-Control': 'no-store' } as const;
const answer = (a: ApiAnswer): Response =>
  a.status === 204
    ? new Response(null, { status: 204, headers: NO_STORE })
    : Response.json(a.body, { status: a.status, headers: { ...NO_STORE, ...a.headers } });
const bad = (field: string, error: string) => Response.json({ error: `${field}: ${error}`, field }, { status: 400, headers: NO_STORE });

type Need = 'read' | 'write';
type Authorized = { ok: true; caller: Caller; guildId: string } | { ok: false; response: Response };

/** Who is calling and whether they may do this: a key of this guild with the scope, or a dashboard session that may manage it. */
export async function authorize(req: Request, env: Env, guildId: string, need: Need): Promise<Authorized> {
  if (!isSnowflake(guildId)) return { ok: false, response: bad('guildId', 'a Discord server id (digits)') };
  const header = req.headers.get('authorization');
  if (header !== null) {
    const key = /^Bearer (\S+)$/.exec(header)?.[1];
    const keyGuild = key ? guildOfKey(key) : null;
    if (!key || !keyGuild) return { ok: false, response: problem(401, 'expected Authorization: Bearer gk_<server id>_<secret>') };
    // Bound to its guild: another guild's key is refused before anything is looked up.
    if (keyGuild !== guildId) return { ok: false, response: problem(403, 'this key belongs to another server') };
    const a = await actorApi(env, guildId, { op: 'auth', hash: await hashKey(key) });
    if (a.status !== 200) return { ok: false, response: answer(a) };
    const { caller, scope } = a.body as { caller: Caller; scope: KeyScope };
    if (need === 'write' && scope !== 'read-write') return { ok: false, response: problem(403, 'this key may only read') };
    return { ok: true, caller, guildId };
  }
  const s = await guildApiAccess(req, env, guildId);
  if (!s.ok) return s;
  // A session is a cookie: changes only from our own pages (CSRF).
  if (need === 'write' && !sameOrigin(req.headers.get('origin'), new URL(req.url).origin))
    return { ok: false, response: problem(403, 'cross-origin request refused') };
  return { ok: true, guildId, caller: { userId: s.session.userId, name: `user ${s.session.userId}`, permissions: s.guild.permissions, keyId: null } };
}

/** One call to the guild actor's API part (RPC leaves `unknown` bodies untyped; the answer is plain JSON). */
const actorApi = async (env: Env, guildId: string, c: ApiCall): Promise<ApiAnswer> => (await guildActor(env, guildId).api(c)) as unknown as ApiAnswer;
const call = async (env: Env, guildId: string, c: ApiCall) => answer(await actorApi(env, guildId, c));

async function jsonBody(req: Request): Promise<Result<unknown, Response>> {
  const text = await req.text();
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return err(bad('body', 'not JSON'));
  }
}

/** A whole number query parameter within bounds, or its default. */
function intParam(url: URL, name: string, min: number, max: number, fallback: number | null): Result<number | null, Response> {
  const raw = url.searchParams.get(name);
  if (raw === null) return ok(fallback);
  const n = Number(raw);
  return /^\d+$/.test(raw) && n >= min && n <= max ? ok(n) : err(bad(name, `an integer from ${min} to ${max}`));
}

type Handler = (req: IRequest, env: Env) => Promise<Response>;

/** A /api/v1/guilds/:guildId route: authorized first, then `run`. */
const guarded =
  (need: Need, run: (req: IRequest, env: Env, a: { caller: Caller; guildId: string }) => Promise<Response>): Handler =>
  async (req, env) => {
    const a = await authorize(req, env, req.params.guildId ?? '', need);
    return a.ok ? run(req, env, a) : a.response;
  };

const getConfig = guarded('read', (_req, env, a) => call(env, a.guildId, { op: 'config.get' }));

/** PATCH a config section: `{version, …fields}` (or If-Match); the guild actor checks the fields with the section's rules. */
const patchConfig = (section: SectionName) =>
  guarded('write', async (req, env, a) => {
    const body = await jsonBody(req);
    if (!body.ok) return body.error;
    const v = body.value;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return bad('body', 'expected a JSON object');
    const { version: _, ...patch } = v as Record<string, unknown>;
    const version = versionOf(v as Record<string, unknown>, req.headers.get('if-match'));
    if (!version.ok) return bad(version.error.field, version.error.error);
    return call(env, a.guildId, { op: 'config.update', section, patch, version: version.value, by: a.caller, via: 'api' });
  });

const getStats = guarded('read', (_req, env, a) => call(env, a.guildId, { op: 'stats' }));

const getAnalytics = guarded('read', async (req, env, a) => {
  const range = new URL(req.url).searchParams.get('range') ?? '24h';
  if (!isRange(range)) return bad('range', 'one of 1h, 24h, 7d, 30d');
  return call(env, a.guildId, { op: 'analytics', range });
});

const getCases = guarded('read', async (req, env, a) => {
  const url = new URL(req.url);
  const limit = intParam(url, 'limit', 1, 100, 25);
  if (!limit.ok) return limit.error;
  const before = intParam(url, 'before', 1, Number.MAX_SAFE_INTEGER, null);
  if (!before.ok) return before.error;
  return call(env, a.guildId, { op: 'cases', before: before.value, limit: limit.value! });
});

const getApprovals = guarded('read', (_req, env, a) => call(env, a.guildId, { op: 'approvals' }));

const decideApproval = guarded('write', async (req, env, a) => {
  const id = req.params.approvalId ?? '';
  if (!/^\d{1,15}$/.test(id)) return bad('approvalId', 'a number');
  const body = await jsonBody(req);
  if (!body.ok) return body.error;
  const decision = (body.value as { decision?: unknown } | null)?.decision;
  if (decision !== 'approve' && decision !== 'reject') return bad('decision', '"approve" or "reject"');
  return call(env, a.guildId, { op: 'approval.decide', id, decision, by: a.caller });
});

const getMember = guarded('read', async (req, env, a) => {
  const userId = req.params.userId ?? '';
  if (!isSnowflake(userId)) return bad('userId', 'a Discord user id (digits)');
  return call(env, a.guildId, { op: 'member', userId });
});

const getLeaderboard = guarded('read', async (req, env, a) => {
  const url = new URL(req.url);
  const page = intParam(url, 'page', 0, 10_000, 0);
  if (!page.ok) return page.error;
  const size = intParam(url, 'size', 1, 100, 25);
  if (!size.ok) return size.error;
  return call(env, a.guildId, { op: 'leaderboard', page: page.value!, size: size.value! });
});

const getTickets = guarded('read', async (req, env, a) => {
  const url = new URL(req.url);
  const status = url.searchParams.get('status') ?? 'active';
  if (status !== 'active' && status !== 'all' && !(STATUSES as readonly string[]).includes(status))
    return bad('status', `one of active, all, ${STATUSES.join(', ')}`);
  const rawTag = url.searchParams.get('tag');
  const tag = rawTag === null ? null : normalizeTag(rawTag);
  if (tag && !tag.ok) return bad('tag', 'letters, digits, spaces, - or _');
  const page = intParam(url, 'page', 0, 10_000, 0);
  if (!page.ok) return page.error;
  const size = intParam(url, 'size', 1, 100, 25);
  if (!size.ok) return size.error;
  return call(env, a.guildId, {
    op: 'tickets',
    status: status as TicketStatus | 'active' | 'all',
    tag: tag?.ok ? tag.value : null,
    page: page.value!,
    size: size.value!,
  });
});

/** The longest subject and description, as the ticket form takes them. */
export const MAX_SUBJECT = 100;
export const MAX_DESCRIPTION = 2000;

/** POST a ticket for a member: the same path as /ticket open (their intake rules, limit and support hours apply). */
const createTicket = guarded('write', async (req, env, a) => {
  const body = await jsonBody(req);
  if (!body.ok) return body.error;
  const b = body.value as Record<string, unknown> | null;
  if (!b || typeof b !== 'object' || Array.isArray(b)) return bad('body', 'expected {"openerId", "channelId", "issueType", "severity", "subject"}');
  for (const k of ['openerId', 'channelId'] as const) if (typeof b[k] !== 'string' || !isSnowflake(b[k])) return bad(k, 'a Discord id (digits)');
  if (!isIssueType(b.issueType)) return bad('issueType', `one of ${ISSUE_TYPES.join(', ')}`);
  if (!isSeverity(b.severity)) return bad('severity', `one of ${SEVERITIES.join(', ')}`);
  const subject = typeof b.subject === 'string' ? b.subject.trim() : '';
  if (!subject || subject.length > MAX_SUBJECT) return bad('subject', `1–${MAX_SUBJECT} characters`);
  if (b.description !== undefined && (typeof b.description !== 'string' || b.description.length > MAX_DESCRIPTION))
    return bad('description', `at most ${MAX_DESCRIPTION} characters`);
  return call(env, a.guildId, {
    op: 'tickets.open',
    ticket: {
      openerId: b.openerId as string,
      channelId: b.channelId as string,
      issueType: b.issueType,
      severity: b.severity,
      subject,
      description: typeof b.description === 'string' ? b.description.trim() : '',
    },
    by: a.caller,
  });
});

/** PATCH a ticket: `{version, action}`, the staff inbox's action (claim, assign, set-status, tag, close, reopen), applied by the ticket's actor. */
const patchTicket = guarded('write', async (req, env, a) => {
  const number = req.params.number ?? '';
  if (!/^\d{1,9}$/.test(number)) return bad('number', 'a ticket number');
  const body = await jsonBody(req);
  if (!body.ok) return body.error;
  const b = body.value as Record<string, unknown> | null;
  if (!b || typeof b !== 'object' || Array.isArray(b)) return bad('body', 'expected {"version": number, "action": {...}}');
  if (typeof b.version !== 'number') return bad('version', 'the ticket version you read (a number)');
  const parsed = parseStaffRequest({ kind: 'act', version: b.version, action: b.action });
  if (!parsed.ok) return bad('action', parsed.error);
  const ticketId = `${a.guildId}-${Number(number)}`;
  // Asked of the guild first: a ticket actor asked about an unknown id would come into being, empty.
  if (!(await guildActor(env, a.guildId).findTicket(ticketId))) return problem(404, 'no such ticket');
  const request = await completeStaffRequest(env, a.guildId, parsed.value);
  if (!request.ok) return request.error;
  const who = a.caller.keyId ? `API key ${a.caller.name}` : a.caller.userId;
  const r = await ticketActor(env, ticketId).staffRequest(request.value, { userId: a.caller.userId, name: who });
  return r.ok
    ? Response.json({ ticket: ticketView(r.view.ticket) }, { headers: NO_STORE })
    : Response.json({ error: r.message, ticket: ticketView(r.view.ticket) }, { status: r.status, headers: NO_STORE });
});

// ---- keys (dashboard session only) ----

const sessionOnly =
  (run: (req: IRequest, env: Env, a: { caller: Caller; guildId: string }) => Promise<Response>): Handler =>
  async (req, env) => {
    const guildId = req.params.id ?? '';
    // Keys are managed with a session, never with a key.
    const s = await guildApiAccess(req, env, guildId);
    if (!s.ok) return s.response;
    if (req.method !== 'GET' && !sameOrigin(req.headers.get('origin'), new URL(req.url).origin)) return problem(403, 'cross-origin request refused');
    return run(req, env, { guildId, caller: { userId: s.session.userId, name: `user ${s.session.userId}`, permissions: s.guild.permissions, keyId: null } });
  };

const listKeys = sessionOnly((_req, env, a) => call(env, a.guildId, { op: 'keys.list' }));

const createKey = sessionOnly(async (req, env, a) => {
  const body = await jsonBody(req);
  if (!body.ok) return body.error;
  const k = parseNewKey(body.value);
  if (!k.ok) return bad(k.error.split(':')[0]!, k.error);
  return call(env, a.guildId, { op: 'keys.create', name: k.value.name, scope: k.value.scope, by: a.caller });
});

const revokeKey = sessionOnly(async (req, env, a) => {
  const id = req.params.keyId ?? '';
  if (!/^[0-9a-f]{8}$/.test(id)) return bad('keyId', 'a key id');
  return call(env, a.guildId, { op: 'keys.revoke', id, by: a.caller });
});

// ---- the keys page (forms, no script) ----

const localeOf = (req: Request) => localeFromAcceptLanguage(req.headers.get('accept-language'));

async function keysPageFor(req: IRequest, env: Env, created: { key: string } | { error: string } | null): Promise<Response> {
  const guildId = req.params.id ?? '';
  const s = await guildApiAccess(req, env, guildId);
  if (!s.ok) return s.response;
  const list = (await actorApi(env, guildId, { op: 'keys.list' })).body as { keys: KeyInfo[] };
  return keysPage(localeOf(req), { id: guildId, name: s.guild.name }, list.keys, created);
}

const keysPageGet: Handler = (req, env) => keysPageFor(req, env, null);

const keysPageCreate = sessionOnly(async (req, env, a) => {
  const form = await req.formData().catch(() => null);
  const k = parseNewKey({ name: form?.get('name'), scope: form?.get('scope') });
  if (!k.ok) return keysPageFor(req, env, { error: k.error });
  const r = await actorApi(env, a.guildId, { op: 'keys.create', name: k.value.name, scope: k.value.scope, by: a.caller });
  return keysPageFor(req, env, r.status === 201 ? { key: (r.body as { key: string }).key } : { error: (r.body as { error: string }).error });
});

const keysPageRevoke = sessionOnly(async (req, env, a) => {
  const id = req.params.keyId ?? '';
  if (/^[0-9a-f]{8}$/.test(id)) await actorApi(env, a.guildId, { op: 'keys.revoke', id, by: a.caller });
  return new Response(null, { status: 303, headers: { Location: `/dashboard/guilds/${a.guildId}/keys`, ...NO_STORE } });
});

const openapi: Handler = async () => Response.json(OPENAPI, { headers: { 'Cache-Control': 'public, max-age=300' } });

/** The API's handlers, by route name (feature.ts declares the paths). */
export const HANDLERS = {
  openapi,
  getConfig,
  ...(Object.fromEntries(SECTION_NAMES.map((s) => [`patch-config-${s}`, patchConfig(s)])) as Record<`patch-config-${SectionName}`, Handler>),
  getStats,
  getAnalytics,
  getCases,
  getApprovals,
  decideApproval,
  getMember,
  getLeaderboard,
  getTickets,
  createTicket,
  patchTicket,
  listKeys,
  createKey,
  revokeKey,
  keysPageGet,
  keysPageCreate,
  keysPageRevoke,
} satisfies Record<string, FeatureRoute['handle']>;
