// /_sim/gateway/*: scripting the gateway for tests and benchmarks.
//
//   POST /_sim/gateway/config    {shards?, maxConcurrency?, total?, remaining?, resetAfterMs?,
//                                 heartbeatIntervalMs?, heartbeatTimeoutFactor?, heartbeatTimeoutCloseCode?,
//                                 identifyIntervalMs?, resumeTimeoutMs?, bufferSize?, privilegedIntents?,
//                                 sendLimit?, sendWindowMs?}                       → the config
//   GET  /_sim/gateway/config                                                      → the config
//   POST /_sim/gateway/dispatch  {guild_id?, t, d, session?} | {events: [...]}     → {s, sessionId, deliveries} | {results}
//   POST /_sim/gateway/flood     {guilds: string[] | number, events, ratePerS?, t?} → {sent, durationMs, first, last, ...}
//   POST /_sim/gateway/faults    {session?: id | 'all', kind, code?, resumable?, deliver?, afterEvents?} → {applied, queued}
//   GET  /_sim/gateway/sessions                                                    → {sessions, connections, identifies, config}
//   GET  /_sim/gateway/log?since=&limit=                                           → {entries, next}
//   POST /_sim/gateway/reset                                                       → drops every connection and session
import type { Delivery, Gateway } from './gateway.ts';
import type { FaultKind, GatewayFault } from './gateway-sessions.ts';
import type { SimState } from './state.ts';

type Obj = Record<string, unknown>;
interface ControlResult {
  status: number;
  body: unknown;
}

const FAULT_KINDS: readonly FaultKind[] = ['drop', 'close', 'reconnect', 'invalid-session', 'zombie', 'heartbeat-request'];
const ok = (body: unknown): ControlResult => ({ status: 200, body });
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function dispatchOne(gw: Gateway, e: Obj): { s: number | null; sessionId: string | null; deliveries: Delivery[] } {
  if (typeof e.t !== 'string' || !/^[A-Z0-9_]+$/.test(e.t)) throw new Error('t (an event name such as MESSAGE_CREATE) is required');
  const guildId = typeof e.guild_id === 'string' ? e.guild_id : isObj(e.d) && typeof e.d.guild_id === 'string' ? e.d.guild_id : null;
  if (guildId !== null && !/^\d{1,20}$/.test(guildId)) throw new Error('guild_id must be a snowflake');
  const deliveries = gw.dispatch({
    t: e.t,
    guildId,
    d: e.d ?? null,
    ...(typeof e.session === 'string' ? { sessionId: e.session } : {}),
  });
  return { s: deliveries[0]?.s ?? null, sessionId: deliveries[0]?.sessionId ?? null, deliveries };
}

export async function handleGatewayControl(gw: Gateway, state: SimState, method: string, url: URL, b: Obj): Promise<ControlResult> {
  const p = url.pathname.replace(/\/+$/, '');

  if (p === '/_sim/gateway/config') {
    if (method === 'GET') return ok(gw.config);
    if (method === 'POST') return ok(gw.setConfig(b));
  }

  if (method === 'POST' && p === '/_sim/gateway/dispatch') {
    if (Array.isArray(b.events)) {
      const results = b.events.map((e) => {
        if (!isObj(e)) throw new Error('each event is {guild_id?, t, d}');
        return dispatchOne(gw, e);
      });
      return ok({ results });
    }
    return ok(dispatchOne(gw, b));
  }

  if (method === 'POST' && p === '/_sim/gateway/flood') {
    const events = b.events;
    if (typeof events !== 'number' || !Number.isInteger(events) || events < 1) throw new Error('events (a positive integer) is required');
    let guilds: string[];
    if (Array.isArray(b.guilds)) guilds = b.guilds.map(String);
    else if (typeof b.guilds === 'number' && b.guilds >= 1) {
      guilds = [];
      for (let i = 0; i < b.guilds; i++) {
        const g = state.createGuild({ name: `Flood ${i + 1}`, members: 2, staff: 0 });
        gw.guildJoined(g.guildId);
        guilds.push(g.guildId);
      }
    } else throw new Error('guilds (string[] of guild ids, or a count of guilds to create) is required');
    if (guilds.length === 0 || !guilds.every((g) => /^\d{1,20}$/.test(g))) throw new Error('guilds must be snowflakes');
    const t = typeof b.t === 'string' ? b.t : undefined;
    if (t !== undefined && !/^[A-Z0-9_]+$/.test(t)) throw new Error('t must be an event name');
    return ok(await gw.flood({ guilds, events, ...(typeof b.ratePerS === 'number' ? { ratePerS: b.ratePerS } : {}), ...(t ? { t } : {}) }));
  }

  if (method === 'POST' && p === '/_sim/gateway/faults') {
    const kind = b.kind as FaultKind;
    if (!FAULT_KINDS.includes(kind)) throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
    const f: GatewayFault = { kind };
    if (kind === 'close') {
      if (b.code !== undefined && (typeof b.code !== 'number' || !Number.isInteger(b.code) || b.code < 1000 || b.code > 4999))
        throw new Error('code must be a close code (1000–4999)');
      if (typeof b.code === 'number') f.code = b.code;
    }
    if (typeof b.resumable === 'boolean') f.resumable = b.resumable;
    if (typeof b.deliver === 'boolean') f.deliver = b.deliver;
    const after = typeof b.afterEvents === 'number' ? Math.max(0, Math.floor(b.afterEvents)) : 0;
    const target = typeof b.session === 'string' ? b.session : undefined;
    return ok(gw.fault(target, f, after));
  }

  if (method === 'GET' && p === '/_sim/gateway/sessions') return ok(gw.sessionsView());

  if (method === 'GET' && p === '/_sim/gateway/log') {
    const since = Number(url.searchParams.get('since') ?? '0') || 0;
    const limit = Math.min(200_000, Number(url.searchParams.get('limit') ?? '50000') || 50_000);
    return ok(gw.log.since(since, limit));
  }

  if (method === 'POST' && p === '/_sim/gateway/reset') {
    gw.reset();
    return ok({ reset: true });
  }

  return { status: 404, body: { error: `no control route ${method} ${p}` } };
}
