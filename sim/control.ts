// /_sim: the control API used by tests, `npm run dev` and benchmarks.
// JSON in, JSON out; errors are {error} (400) or a Discord error body.
import { InteractionType } from 'discord-api-types/v10';
import { checkContract, type Exchange } from './api-contract.ts';
import { DiscordError } from './errors.ts';
import { parseFault } from './faults.ts';
import { handleGatewayControl } from './gateway-control.ts';
import type { BuildInput } from './interactions.ts';
import { postMessage } from './messages.ts';
import { handleModerationControl } from './moderation-control.ts';
import { handleReactionControl } from './reactions.ts';
import { findRoute } from './routes.ts';
import { handleScheduledEventControl } from './scheduled-events.ts';
import type { Sim } from './server.ts';
import { isObj, validateMessage } from './validate.ts';
import { handleVoiceControl } from './voice.ts';

interface ControlResult {
  status: number;
  body: unknown;
}
type Obj = Record<string, unknown>;

class ControlError extends Error {}

const ok = (body: unknown): ControlResult => ({ status: 200, body });

function str(b: Obj, key: string, required = true): string {
  const v = b[key];
  if (typeof v === 'string' && v.length > 0) return v;
  if (required) throw new ControlError(`${key} (string) is required`);
  return '';
}

export async function handleControl(sim: Sim, method: string, url: URL, raw: string): Promise<ControlResult> {
  let body: Obj = {};
  if (raw.length > 0) {
    try {
      const parsed: unknown = JSON.parse(raw);
      body = isObj(parsed) ? parsed : { value: parsed };
    } catch {
      return { status: 400, body: { error: 'invalid JSON' } };
    }
  }
  try {
    return await route(sim, method.toUpperCase(), url, body);
  } catch (err) {
    if (err instanceof DiscordError) return { status: err.status, body: err.body };
    if (err instanceof ControlError || err instanceof SyntaxError || err instanceof Error) {
      return { status: 400, body: { error: err.message } };
    }
    return { status: 500, body: { error: String(err) } };
  }
}

async function route(sim: Sim, method: string, url: URL, b: Obj): Promise<ControlResult> {
  const p = url.pathname.replace(/\/+$/, '');
  const s = sim.state;
  let m: RegExpExecArray | null;

  if (method === 'GET' && p === '/_sim/info') return ok(sim.info());

  if (method === 'POST' && p === '/_sim/reset') {
    sim.log.clear();
    sim.faults.clear();
    sim.interactions.clear();
    sim.limiter.resetAll();
    sim.openapi.reset();
    sim.gateway.reset();
    sim.oauth2.reset();
    if (b.reseed === true) sim.reseed();
    return ok(sim.info());
  }

  // Discord state only (guilds, members, messages): the call log and the OpenAPI report of the whole run stay.
  if (method === 'POST' && p === '/_sim/reseed') {
    sim.reseed();
    return ok(sim.info());
  }

  if (method === 'POST' && p === '/_sim/config') {
    const c = s.config;
    if (typeof b.interactionDeadlineMs === 'number') c.interactionDeadlineMs = b.interactionDeadlineMs;
    if (typeof b.interactionTokenTtlMs === 'number') c.interactionTokenTtlMs = b.interactionTokenTtlMs;
    if (typeof b.maxActiveThreads === 'number') c.maxActiveThreads = b.maxActiveThreads;
    if (typeof b.interactionsUrl === 'string') sim.interactionsUrl = b.interactionsUrl;
    return ok({ ...c, interactionsUrl: sim.interactionsUrl ?? null });
  }

  if (method === 'POST' && p === '/_sim/guilds') {
    const g = s.createGuild({
      ...(typeof b.name === 'string' ? { name: b.name } : {}),
      ...(typeof b.members === 'number' ? { members: b.members } : {}),
      ...(typeof b.staff === 'number' ? { staff: b.staff } : {}),
      ...(typeof b.vanity === 'string' && b.vanity.length > 0 ? { vanity: b.vanity } : {}),
    });
    sim.gateway.guildJoined(g.guildId);
    return ok(g);
  }

  if (p.startsWith('/_sim/oauth2/')) {
    const r = sim.oauth2.control(s, method, p, b);
    if (r) return { status: r.status, body: r.body };
  }

  if (p.startsWith('/_sim/gateway/')) return handleGatewayControl(sim.gateway, s, method, url, b);

  if (method === 'GET' && (m = /^\/_sim\/guilds\/(\d+)$/.exec(p))) return ok(s.snapshot(m[1]!));

  if (p.startsWith('/_sim/guilds/') && /\/voice(-channels)?$/.test(p)) {
    const r = handleVoiceControl(sim, method, p, b);
    if (r) return r;
  }

  if (/^\/_sim\/guilds\/\d+\/(scheduled-events|emojis)(\/|$)/.test(p) || /^\/_sim\/channels\/\d+\/messages\/\d+\/reactions$/.test(p)) {
    const r = handleScheduledEventControl(sim, method, p, b) ?? handleReactionControl(sim, method, p, b);
    if (r) return r;
  }

  if (p.startsWith('/_sim/guilds/') || p.startsWith('/_sim/users/')) {
    const r = await handleModerationControl(sim, method, p, url, b);
    if (r) return r;
  }

  if (method === 'POST' && p === '/_sim/members') {
    const guildId = str(b, 'guild_id');
    s.guild(guildId);
    const roles = Array.isArray(b.roles) ? b.roles.map(String) : [];
    for (const r of roles) s.role(guildId, r);
    let roleId: string | undefined;
    if (typeof b.permissions === 'string') {
      roleId = s.addRole(guildId, `perms-${b.permissions}`, b.permissions).id;
      roles.push(roleId);
    }
    const user = s.createUser(str(b, 'username', false) || `player_${s.membersOf(guildId).size + 1}`);
    // {bot: true}: another application's bot user joins (a bot invited with its own role, as Discord adds it).
    if (b.bot === true) user.bot = true;
    sim.gateway.memberAdded(guildId, s.addMember(guildId, user.id, roles));
    return ok({ user_id: user.id, ...(roleId ? { role_id: roleId } : {}) });
  }

  if (method === 'POST' && p === '/_sim/roles') {
    const guildId = str(b, 'guild_id');
    const perms = typeof b.permissions === 'string' ? b.permissions : '0';
    if (!/^\d+$/.test(perms)) throw new ControlError('permissions must be a decimal string');
    const role = s.addRole(guildId, str(b, 'name'), perms);
    if (typeof b.mentionable === 'boolean') role.mentionable = b.mentionable;
    return ok({ role_id: role.id });
  }

  if (method === 'POST' && p === '/_sim/interactions') return createInteraction(sim, b);

  // Signs an arbitrary raw body as Discord would (for tests of malformed payloads).
  if (method === 'POST' && p === '/_sim/sign') {
    const raw = str(b, 'body');
    const timestamp = String(typeof b.timestamp === 'number' ? b.timestamp : Math.floor(Date.now() / 1000));
    return ok({
      headers: { 'Content-Type': 'application/json', 'X-Signature-Ed25519': sim.interactions.sign(raw, timestamp), 'X-Signature-Timestamp': timestamp },
    });
  }

  if (method === 'POST' && (m = /^\/_sim\/interactions\/(\d+)\/response$/.exec(p))) {
    const rec = sim.interactions.get(m[1]!);
    try {
      return ok(sim.interactions.respond(rec, b, 'inline', Date.now()));
    } catch (err) {
      if (err instanceof DiscordError) return { status: err.status, body: err.body };
      throw err;
    }
  }

  if (method === 'GET' && (m = /^\/_sim\/interactions\/(\d+)$/.exec(p))) {
    return ok(sim.interactions.view(sim.interactions.get(m[1]!)));
  }

  if (method === 'GET' && p === '/_sim/log') {
    const guildId = url.searchParams.get('guild_id');
    return ok(sim.log.since(Number(url.searchParams.get('since') ?? '0') || 0, guildId ?? undefined));
  }

  if (method === 'GET' && p === '/_sim/openapi') return ok(sim.openapi.report());

  // Guildkeep's own REST API against its OpenAPI document (test/features/api/contract.test.ts).
  if (method === 'POST' && p === '/_sim/api-contract') return ok(await checkContract(b.document, (b.exchanges ?? []) as Exchange[]));

  if (method === 'GET' && p === '/_sim/stats') {
    return ok({ invalidRequests: sim.limiter.invalidCount(Date.now()), calls: sim.log.calls, byRoute: sim.log.byRoute });
  }

  if (p === '/_sim/faults') {
    if (method === 'POST') {
      const specs = Array.isArray(b.faults) ? b.faults : [b];
      for (const spec of specs) sim.faults.add(parseFault(spec));
      return ok({ pending: sim.faults.pending() });
    }
    if (method === 'DELETE') {
      sim.faults.clear();
      return ok({ pending: 0 });
    }
  }

  if (method === 'POST' && p === '/_sim/ratelimits') {
    if (typeof b.global === 'number') sim.limiter.globalLimit = b.global;
    if (typeof b.route === 'string') {
      if (!findRoute(b.route)) throw new ControlError(`unknown route "${b.route}" (use e.g. "POST /channels/{channel_id}/messages")`);
      if (typeof b.limit !== 'number' || typeof b.windowMs !== 'number') throw new ControlError('limit and windowMs (numbers) are required with route');
      sim.limiter.setOverride(b.route, { limit: b.limit, windowMs: b.windowMs });
    }
    return ok({ global: sim.limiter.globalLimit });
  }

  // A member uploads a file (to attach to a message or pass as an ATTACHMENT command option): bytes as base64 or text.
  if (method === 'POST' && p === '/_sim/attachments') {
    const bytes =
      typeof b.content_base64 === 'string'
        ? Buffer.from(b.content_base64, 'base64')
        : typeof b.content_text === 'string'
          ? Buffer.from(b.content_text, 'utf8')
          : null;
    if (!bytes) throw new ControlError('content_base64 or content_text (string) is required');
    const att = s.attachments.host(sim.url, str(b, 'channel_id', false) || '0', { filename: str(b, 'filename'), contentType: str(b, 'content_type'), bytes });
    s.attachments.uploads.set(att.id, att);
    return ok(att);
  }

  if (method === 'POST' && (m = /^\/_sim\/channels\/(\d+)\/messages$/.exec(p))) {
    const channel = s.channel(m[1]!);
    const userId = str(b, 'user_id');
    s.member(channel.guild_id!, userId);
    const ids = Array.isArray(b.attachments) ? b.attachments.map(String) : [];
    const attachments = ids.map((id) => {
      const a = s.attachments.uploads.get(id);
      if (!a) throw new ControlError(`unknown attachment ${id} (upload it with POST /_sim/attachments first)`);
      return a;
    });
    const payload = validateMessage({ ...b, user_id: undefined }, { interaction: false, partial: false, files: attachments.length });
    delete payload.user_id;
    delete payload.attachments;
    const message = postMessage(s, channel, s.users.get(userId)!, payload, { attachments });
    sim.gateway.messageCreated(message);
    return ok(message);
  }

  return { status: 404, body: { error: `no control route ${method} ${p}` } };
}

async function createInteraction(sim: Sim, b: Obj): Promise<ControlResult> {
  const type = Number(b.type) as InteractionType;
  if (![1, 2, 3, 4, 5].includes(type)) throw new ControlError('type must be an InteractionType (1, 2, 3, 4, 5)');
  const input: BuildInput = {
    type,
    ...(typeof b.guild_id === 'string' ? { guild_id: b.guild_id } : {}),
    ...(typeof b.channel_id === 'string' ? { channel_id: b.channel_id } : {}),
    ...(typeof b.user_id === 'string' ? { user_id: b.user_id } : {}),
    ...(isObj(b.data) ? { data: b.data } : {}),
    ...(typeof b.message_id === 'string' ? { message_id: b.message_id } : {}),
    ...(typeof b.timestamp === 'number' ? { timestamp: b.timestamp } : {}),
    ...(typeof b.id === 'string' ? { id: b.id } : {}),
    ...(typeof b.token === 'string' ? { token: b.token } : {}),
    ...(typeof b.locale === 'string' ? { locale: b.locale } : {}),
    ...(typeof b.guild_locale === 'string' ? { guild_locale: b.guild_locale } : {}),
  };
  if (type !== InteractionType.Ping && !input.data) throw new ControlError('data is required');
  const signed = sim.interactions.create(input);
  if (b.deliver !== true) return ok(signed);
  // Without an interactions endpoint Discord sends INTERACTION_CREATE over the gateway.
  if (!sim.interactionsUrl) return ok({ ...signed, gateway: sim.gateway.interactionCreated(signed.interaction) });
  const res = await fetch(sim.interactionsUrl, { method: 'POST', headers: signed.headers, body: signed.body, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let response: unknown = text.length ? text : null;
  try {
    if (text.length) response = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  // An inline 200 answer is the initial response, exactly like the callback.
  let recorded: unknown = null;
  if (res.status === 200 && isObj(response) && typeof response.type === 'number') {
    const rec = sim.interactions.get(signed.interaction.id);
    try {
      recorded = { ok: true, result: sim.interactions.respond(rec, response, 'inline', Date.now()) };
    } catch (err) {
      recorded = { ok: false, error: err instanceof DiscordError ? err.body : String(err) };
    }
  }
  return ok({ ...signed, status: res.status, response, recorded });
}
