// Shared by the simulator's own tests: raw REST calls as the bot, and a bare
// gateway session (IDENTIFY with chosen intents) that records its dispatches.
import { sim, simApi } from '../helpers.ts';

export interface Answer {
  status: number;
  body: any;
}

/**
 * A REST call as the bot. `invalid` marks a request that breaks Discord's OpenAPI
 * description on purpose (kept out of the suite's audit); every other call is audited.
 * A 429 (the suite shares the global limit) is waited out and retried.
 */
export async function discord(method: string, path: string, body?: unknown, opts: { invalid?: boolean } = {}): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(sim.apiBase + path, {
      method,
      headers: {
        Authorization: `Bot ${sim.botToken}`,
        ...(opts.invalid ? { 'X-Sim-Deliberately-Invalid': '1' } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : null;
    if (res.status === 429 && attempt < 20) {
      await new Promise((r) => setTimeout(r, Math.ceil(((parsed?.retry_after as number) ?? 0.1) * 1000) + 10));
      continue;
    }
    return { status: res.status, body: parsed };
  }
}

export interface Dispatch {
  t: string;
  s: number;
  d: any;
}

export interface GatewaySession {
  sessionId: string;
  events: Dispatch[];
  /** Waits (bounded) for a dispatch matching `t` and `pred` received after `from` (an index into events). */
  next(t: string, pred?: (d: any) => boolean, timeoutMs?: number): Promise<Dispatch>;
  close(): void;
}

/** Opens a gateway connection to the simulator and identifies with `intents`; resolves at READY. */
export async function connectGateway(intents: number): Promise<GatewaySession> {
  // One IDENTIFY per 5 s is Discord's rule; tests lift it like the gateway tests do.
  await simApi('/_sim/gateway/config', { body: { identifyIntervalMs: 0 } });
  const res = await fetch(`${sim.url}/gateway?v=10&encoding=json`, { headers: { Upgrade: 'websocket' } });
  const ws = res.webSocket;
  if (!ws) throw new Error(`gateway upgrade refused: ${res.status}`);
  ws.accept();
  const events: Dispatch[] = [];
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let seq: number | null = null;
  let ready: (id: string) => void = () => {};
  const readyP = new Promise<string>((r) => {
    ready = r;
  });
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(String(e.data)) as { op: number; t?: string; s?: number; d: any };
    if (m.op === 10) {
      heartbeat = setInterval(() => ws.send(JSON.stringify({ op: 1, d: seq })), Math.max(200, Math.floor(m.d.heartbeat_interval * 0.5)));
      ws.send(JSON.stringify({ op: 2, d: { token: sim.botToken, intents, properties: { os: 'test', browser: 'sim-test', device: 'sim-test' } } }));
    } else if (m.op === 1) ws.send(JSON.stringify({ op: 1, d: seq }));
    else if (m.op === 0) {
      seq = m.s ?? seq;
      events.push({ t: m.t!, s: m.s!, d: m.d });
      if (m.t === 'READY') ready(m.d.session_id);
    }
  });
  const sessionId = await Promise.race([readyP, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('no READY within 10 s')), 10_000))]);
  return {
    sessionId,
    events,
    async next(t, pred = () => true, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find((e) => e.t === t && pred(e.d));
        if (hit) return hit;
        if (Date.now() > until) throw new Error(`no ${t} dispatch within ${timeoutMs} ms (got ${events.map((e) => e.t).join(', ')})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close() {
      if (heartbeat) clearInterval(heartbeat);
      ws.close(1000, 'done');
    },
  };
}

/** Sets a role's permissions (the bot's own role holds Administrator in a new guild). */
export const setRolePermissions = (guildId: string, roleId: string, perms: bigint) =>
  simApi(`/_sim/guilds/${guildId}/roles/${roleId}`, { body: { permissions: String(perms) } });
