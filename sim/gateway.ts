// Discord's gateway, as documented (docs/events/gateway.mdx and
// gateway-events.mdx), on the simulator's HTTP server: ws://…/gateway and the
// resume URL ws://…/gateway-resume. JSON text frames only (no ETF, no zlib).
//
// Where the docs are silent the simulator chooses (control API in
// sim/gateway-control.ts):
// - A client that sends no heartbeat for heartbeat_interval × 1.5 is closed
//   with 4000 and its session stays resumable ("your connection will be
//   closed and you will be forced to Resume"); code and factor are config.
// - IDENTIFY faster than one per rate_limit_key per 5 s gets op 9 d:false
//   (the docs' answer); the connection stays open.
// - IDENTIFY without `intents` or with unknown bits → 4013.
// - Server closes with 4001/4003/4005/4007/4009 and the fatal codes end the
//   session (RESUME then gets op 9 false); other codes and dropped sockets
//   keep it resumable. A client close with 1000/1001 ends it (docs).
// - RESUME with a seq newer than the session's → 4007; with a seq whose
//   events have left the replay buffer → op 9 false.
// - A zombie connection (fault) stops ACKing and, unless `deliver`, parks
//   dispatches in the session buffer like a dead link; op 7 parks them too.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type {
  APIGuildMember,
  APIInteraction,
  APIMessage,
  APIRole,
  APIUser,
  ApplicationFlags,
  GatewayGuildBanAddDispatchData,
  GatewayGuildBanRemoveDispatchData,
  GatewayGuildMemberRemoveDispatchData,
  GatewayGuildRoleCreateDispatchData,
  GatewayGuildRoleUpdateDispatchData,
  GatewayGuildUpdateDispatchData,
  GatewayHeartbeatAck,
  GatewayHeartbeatRequest,
  GatewayHello,
  GatewayIdentifyData,
  GatewayInvalidSession,
  GatewayInviteCreateDispatchData,
  GatewayInviteDeleteDispatchData,
  GatewayMessageDeleteBulkDispatchData,
  GatewayReadyDispatchData,
  GatewayReconnect,
  GatewayResumeData,
  RESTGetAPIGatewayBotResult,
} from 'discord-api-types/v10';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes, GatewayVersion, InteractionResponseType } from 'discord-api-types/v10';
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import {
  botGuildIds,
  guildCreate,
  intentFor,
  isEphemeral,
  KNOWN_INTENTS,
  memberAdd,
  memberUpdate,
  messageEvent,
  needsContentIntent,
  PRIVILEGED_INTENTS,
  shardOf,
  threadCreate,
  unavailableGuild,
  withoutContent,
} from './gateway-events.ts';
import type { GatewayFault } from './gateway-sessions.ts';
import { Connection, ProtocolLog, Session } from './gateway-sessions.ts';
import type { InteractionStore } from './interactions.ts';
import { snowflake } from './snowflake.ts';
import type { SimChannel, SimState } from './state.ts';
import { isThread } from './state.ts';

export interface GatewayHost {
  state: SimState;
  interactions: InteractionStore;
  readonly botToken: string;
  readonly applicationId: string;
  port: number;
}

export interface GatewayConfig {
  // GET /gateway/bot
  shards: number;
  maxConcurrency: number;
  total: number;
  remaining: number;
  resetAfterMs: number;
  // HELLO and the server-side heartbeat deadline (interval × factor; 0 = never).
  heartbeatIntervalMs: number;
  heartbeatTimeoutFactor: number;
  heartbeatTimeoutCloseCode: number;
  // One IDENTIFY per rate_limit_key per this many ms.
  identifyIntervalMs: number;
  // How long a disconnected session can be resumed.
  resumeTimeoutMs: number;
  // Dispatches kept per session for replay.
  bufferSize: number;
  // Privileged intents enabled "in the Developer Portal" (others → 4014).
  privilegedIntents: number;
  // Client payloads per connection per window (else 4008).
  sendLimit: number;
  sendWindowMs: number;
}

export const DEFAULT_GATEWAY_CONFIG: GatewayConfig = {
  shards: 1,
  maxConcurrency: 1,
  total: 1000,
  remaining: 1000,
  resetAfterMs: 86_400_000,
  heartbeatIntervalMs: 41_250,
  heartbeatTimeoutFactor: 1.5,
  heartbeatTimeoutCloseCode: GatewayCloseCodes.UnknownError,
  identifyIntervalMs: 5000,
  resumeTimeoutMs: 120_000,
  bufferSize: 50_000,
  privilegedIntents: PRIVILEGED_INTENTS,
  sendLimit: 120,
  sendWindowMs: 60_000,
};

export const MAX_PAYLOAD_BYTES = 4096;
const GUILDS_PER_SHARD = 2500;
const PATHS: Record<string, string> = {
  '/gateway': '/gateway',
  '/gateway/': '/gateway',
  '/gateway-resume': '/gateway-resume',
  '/gateway-resume/': '/gateway-resume',
};
const C = GatewayCloseCodes;
// Server close codes after which Discord's table says "reconnect and resume".
const RESUMABLE_CLOSE = new Set<number>([C.UnknownError, C.DecodeError, C.RateLimited]);

export interface DispatchSpec {
  t: string;
  guildId: string | null;
  d: unknown;
  // A payload that depends on the receiving session (GUILD_CREATE).
  dFor?: (s: Session) => unknown;
  // Only this session (READY, RESUMED, control dispatch with `session`).
  sessionId?: string;
}

export interface Delivery {
  sessionId: string;
  s: number;
  sent: boolean;
}

export interface FloodOptions {
  guilds: string[];
  events: number;
  ratePerS?: number;
  t?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const tOf = (json: string): string | undefined => /^\{"op":0,"t":"([^"]*)"/.exec(json)?.[1];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Gateway {
  private readonly host: GatewayHost;
  config: GatewayConfig = { ...DEFAULT_GATEWAY_CONFIG };
  readonly log = new ProtocolLog();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20, perMessageDeflate: false });
  readonly sessions = new Map<string, Session>();
  // Sessions that can still receive events (connected or resumable).
  private readonly live = new Set<Session>();
  private readonly conns = new Map<number, Connection>();
  private nextConn = 1;
  private readonly lastIdentify = new Map<number, number>();
  private windowStart: number | null = null;
  private tokenReset = false;
  identifies = 0;
  private floodRun = 0;

  constructor(host: GatewayHost) {
    this.host = host;
  }

  private get state(): SimState {
    return this.host.state;
  }
  private get botId(): string {
    return this.host.state.botUser.id;
  }
  gatewayUrl(): string {
    return `ws://127.0.0.1:${this.host.port}/gateway`;
  }
  resumeUrl(): string {
    return `ws://127.0.0.1:${this.host.port}/gateway-resume`;
  }

  // ---- server wiring --------------------------------------------------------

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = PATHS[url.pathname];
      if (!path) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onOpen(ws, path, url.searchParams));
    });
  }

  shutdown(): void {
    for (const c of this.conns.values()) {
      this.clearTimers(c);
      c.ws.terminate();
    }
    this.conns.clear();
    this.wss.close();
  }

  reset(): void {
    for (const c of [...this.conns.values()]) this.drop(c, 'simulator reset');
    this.sessions.clear();
    this.live.clear();
    this.lastIdentify.clear();
    this.config = { ...DEFAULT_GATEWAY_CONFIG };
    this.windowStart = null;
    this.tokenReset = false;
    this.identifies = 0;
    this.log.clear();
  }

  setConfig(patch: Record<string, unknown>): GatewayConfig {
    const c = this.config;
    const num = (k: keyof GatewayConfig, min: number) => {
      const v = patch[k];
      if (v === undefined) return;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new Error(`${k} must be a number ≥ ${min}`);
      c[k] = v;
    };
    num('shards', 1);
    num('maxConcurrency', 1);
    num('total', 0);
    num('resetAfterMs', 0);
    num('heartbeatIntervalMs', 1);
    num('heartbeatTimeoutFactor', 0);
    num('heartbeatTimeoutCloseCode', 1000);
    num('identifyIntervalMs', 0);
    num('resumeTimeoutMs', 0);
    num('bufferSize', 1);
    num('privilegedIntents', 0);
    num('sendLimit', 1);
    num('sendWindowMs', 1);
    if (patch.remaining !== undefined) {
      num('remaining', 0);
      this.windowStart = null;
      this.tokenReset = false;
    }
    return { ...c };
  }

  // GET /gateway/bot
  gatewayBot(now: number = Date.now()): RESTGetAPIGatewayBotResult {
    this.rollWindow(now);
    const c = this.config;
    return {
      url: this.gatewayUrl(),
      shards: c.shards,
      session_start_limit: {
        total: c.total,
        remaining: c.remaining,
        max_concurrency: c.maxConcurrency,
        reset_after: this.windowStart === null ? c.resetAfterMs : Math.max(0, this.windowStart + c.resetAfterMs - now),
      },
    };
  }

  private rollWindow(now: number): void {
    if (this.windowStart !== null && now >= this.windowStart + this.config.resetAfterMs) {
      this.windowStart = null;
      this.config.remaining = this.config.total;
    }
  }

  // ---- connection lifecycle ---------------------------------------------------

  private onOpen(ws: WebSocket, path: string, query: URLSearchParams): void {
    const now = Date.now();
    const conn = new Connection(this.nextConn++, ws, path, now);
    this.conns.set(conn.id, conn);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(conn, data, isBinary));
    ws.on('close', (code: number) => this.onClose(conn, code));
    ws.on('error', () => {
      /* a reset socket: 'close' follows */
    });
    this.log.add({ dir: 'in', conn: conn.id, session: null, op: null, note: `open ${path}?${query.toString()}` }, now);

    if (query.get('v') !== GatewayVersion) {
      this.closeConn(conn, C.InvalidAPIVersion, 'Invalid API version');
      return;
    }
    const encoding = query.get('encoding');
    if (encoding !== null && encoding !== 'json') {
      this.closeConn(conn, C.DecodeError, 'simulator: only encoding=json is supported');
      return;
    }
    if (query.get('compress') !== null) {
      this.closeConn(conn, C.DecodeError, 'simulator: transport compression is not supported');
      return;
    }
    const hello: GatewayHello = { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.config.heartbeatIntervalMs }, s: null, t: null };
    this.sendOp(conn, hello);
    this.armHeartbeat(conn, this.config.heartbeatIntervalMs);
  }

  private armHeartbeat(conn: Connection, intervalMs: number): void {
    if (conn.hbTimer) clearTimeout(conn.hbTimer);
    conn.hbTimer = null;
    const factor = this.config.heartbeatTimeoutFactor;
    if (factor <= 0) return;
    conn.hbTimer = setTimeout(() => {
      conn.hbTimer = null;
      this.closeConn(conn, this.config.heartbeatTimeoutCloseCode, 'heartbeat timeout');
    }, intervalMs * factor);
    conn.hbTimer.unref();
  }

  private clearTimers(conn: Connection): void {
    if (conn.hbTimer) clearTimeout(conn.hbTimer);
    if (conn.killTimer) clearTimeout(conn.killTimer);
    conn.hbTimer = conn.killTimer = null;
  }

  private onClose(conn: Connection, code: number): void {
    conn.closed = true;
    this.clearTimers(conn);
    this.conns.delete(conn.id);
    if (conn.serverClosed !== null) return;
    const s = conn.session;
    this.log.add({ dir: 'in', conn: conn.id, session: s?.id ?? null, op: null, code, note: 'client closed' });
    if (s && s.conn === conn) {
      // "When you close the connection with 1000 or 1001, your session will be invalidated."
      this.detach(s, code === 1000 || code === 1001, `client closed with ${code}`);
    }
  }

  // The simulator closes the socket with a close frame.
  closeConn(conn: Connection, code: number, reason: string): void {
    if (conn.closed || conn.serverClosed !== null) return;
    conn.serverClosed = code;
    const s = conn.session;
    if (s && s.conn === conn) {
      s.closeCodesSent.push(code);
      this.detach(s, code >= 4000 && !RESUMABLE_CLOSE.has(code), `server closed with ${code}`);
    }
    this.log.add({ dir: 'out', conn: conn.id, session: s?.id ?? null, op: null, code, note: reason });
    if (conn.hbTimer) clearTimeout(conn.hbTimer);
    conn.hbTimer = null;
    conn.ws.close(code, reason);
    conn.killTimer = setTimeout(() => conn.ws.terminate(), 2000);
    conn.killTimer.unref();
  }

  // The simulator destroys the TCP socket: no close frame (the client sees 1006).
  drop(conn: Connection, note = 'drop'): void {
    if (conn.closed || conn.serverClosed !== null) return;
    conn.serverClosed = 'drop';
    const s = conn.session;
    if (s && s.conn === conn) this.detach(s, false, 'connection dropped');
    this.log.add({ dir: 'out', conn: conn.id, session: s?.id ?? null, op: null, code: 'drop', note });
    this.clearTimers(conn);
    conn.ws.terminate();
  }

  private detach(s: Session, invalidate: boolean, reason: string, now: number = Date.now()): void {
    s.conn = null;
    if (invalidate) {
      s.invalidate(now, reason);
      this.live.delete(s);
    } else if (s.state !== 'invalidated') {
      s.state = 'disconnected';
      s.disconnectedAt = now;
    }
  }

  private sendOp(conn: Connection, payload: GatewayHello | GatewayHeartbeatAck | GatewayHeartbeatRequest | GatewayInvalidSession | GatewayReconnect): void {
    if (conn.closed || conn.serverClosed !== null) return;
    conn.ws.send(JSON.stringify(payload));
    conn.session?.noteOp(payload.op);
    if (payload.op !== GatewayOpcodes.HeartbeatAck) {
      this.log.add({
        dir: 'out',
        conn: conn.id,
        session: conn.session?.id ?? null,
        op: payload.op,
        ...(payload.op === GatewayOpcodes.InvalidSession ? { note: `d=${payload.d}` } : {}),
      });
    } else {
      this.log.add({ dir: 'out', conn: conn.id, session: conn.session?.id ?? null, op: payload.op });
    }
  }

  private invalidSession(conn: Connection, resumable: boolean): void {
    const p: GatewayInvalidSession = { op: GatewayOpcodes.InvalidSession, d: resumable, s: null, t: null };
    this.sendOp(conn, p);
  }

  // ---- client payloads ----------------------------------------------------------

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.closed || conn.serverClosed !== null) return;
    const now = Date.now();
    const cfg = this.config;
    const w = conn.received;
    w.push(now);
    while (w.length && w[0]! <= now - cfg.sendWindowMs) w.shift();
    if (w.length > cfg.sendLimit) {
      this.closeConn(conn, C.RateLimited, 'You are being rate limited.');
      return;
    }
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (buf.length > MAX_PAYLOAD_BYTES) {
      this.closeConn(conn, C.DecodeError, `payload over ${MAX_PAYLOAD_BYTES} bytes`);
      return;
    }
    if (isBinary) {
      this.closeConn(conn, C.DecodeError, 'binary frame with encoding=json');
      return;
    }
    let p: unknown;
    try {
      p = JSON.parse(buf.toString('utf8'));
    } catch {
      p = undefined;
    }
    if (!isObj(p) || typeof p.op !== 'number') {
      this.closeConn(conn, C.DecodeError, 'Error while decoding payload.');
      return;
    }
    const op = p.op;
    const s = conn.session;
    this.log.add(
      { dir: 'in', conn: conn.id, session: s?.id ?? null, op, ...(op === GatewayOpcodes.Heartbeat && typeof p.d === 'number' ? { s: p.d } : {}) },
      now,
    );
    switch (op) {
      case GatewayOpcodes.Heartbeat: {
        conn.heartbeats++;
        conn.lastHeartbeatAt = now;
        conn.lastHeartbeatSeq = typeof p.d === 'number' ? p.d : null;
        if (s && s.conn === conn) {
          s.heartbeats++;
          s.lastHeartbeatAt = now;
        }
        this.armHeartbeat(conn, cfg.heartbeatIntervalMs);
        if (conn.parked !== 'zombie') this.sendOp(conn, { op: GatewayOpcodes.HeartbeatAck, s: null, t: null } as GatewayHeartbeatAck);
        return;
      }
      case GatewayOpcodes.Identify:
        return this.onIdentify(conn, p.d, now);
      case GatewayOpcodes.Resume:
        return this.onResume(conn, p.d, now);
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
      case GatewayOpcodes.RequestSoundboardSounds:
      case GatewayOpcodes.RequestChannelInfo:
        // Accepted and ignored (no GUILD_MEMBERS_CHUNK); only after identifying.
        if (!s) this.closeConn(conn, C.NotAuthenticated, 'Not authenticated.');
        return;
      default:
        this.closeConn(conn, C.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private checkToken(raw: unknown): boolean {
    if (typeof raw !== 'string' || this.tokenReset) return false;
    const token = raw.startsWith('Bot ') ? raw.slice(4) : raw;
    return token === this.host.botToken;
  }

  private onIdentify(conn: Connection, d: unknown, now: number): void {
    if (conn.session) return this.closeConn(conn, C.AlreadyAuthenticated, 'Already authenticated.');
    if (!isObj(d)) return this.closeConn(conn, C.DecodeError, 'Error while decoding payload.');
    const id = d as Partial<GatewayIdentifyData>;
    if (!this.checkToken(id.token)) return this.closeConn(conn, C.AuthenticationFailed, 'Authentication failed.');
    let shard: [number, number] = [0, 1];
    if (id.shard !== undefined) {
      const sh = id.shard as unknown;
      if (!Array.isArray(sh) || sh.length !== 2 || !sh.every((x) => Number.isInteger(x)) || sh[1] < 1 || sh[0] < 0 || sh[0] >= sh[1]) {
        return this.closeConn(conn, C.InvalidShard, 'Invalid shard.');
      }
      shard = [sh[0], sh[1]];
    }
    const intents = id.intents as unknown;
    if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
      return this.closeConn(conn, C.InvalidIntents, 'Invalid intent(s).');
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.config.privilegedIntents) !== 0) {
      return this.closeConn(conn, C.DisallowedIntents, 'Disallowed intent(s).');
    }
    const guildIds = botGuildIds(this.state).filter((g) => shardOf(g, shard[1]) === shard[0]);
    if (guildIds.length > GUILDS_PER_SHARD) return this.closeConn(conn, C.ShardingRequired, 'Sharding required.');
    // One IDENTIFY per rate_limit_key per 5 s; "the Gateway will respond with an Invalid Session".
    const key = shard[0] % this.config.maxConcurrency;
    const last = this.lastIdentify.get(key);
    if (last !== undefined && now - last < this.config.identifyIntervalMs) {
      this.log.add({ dir: 'in', conn: conn.id, session: null, op: GatewayOpcodes.Identify, note: `identify rate limit (key ${key})` }, now);
      return this.invalidSession(conn, false);
    }
    this.rollWindow(now);
    if (this.config.remaining <= 0) {
      // Daily limit reached: every session ends and the token is reset.
      this.tokenReset = true;
      for (const c of [...this.conns.values()]) this.closeConn(c, C.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    this.config.remaining--;
    if (this.windowStart === null) this.windowStart = now;
    this.lastIdentify.set(key, now);
    this.identifies++;

    const large = typeof id.large_threshold === 'number' ? Math.min(250, Math.max(50, id.large_threshold)) : 50;
    const session = new Session(randomBytes(16).toString('hex'), shard, intents, large, this.config.bufferSize, now);
    this.sessions.set(session.id, session);
    this.live.add(session);
    this.pruneSessions();
    session.conn = conn;
    conn.session = session;
    this.log.add({ dir: 'in', conn: conn.id, session: session.id, op: GatewayOpcodes.Identify, note: `identified shard [${shard}] intents ${intents}` }, now);

    const ready: GatewayReadyDispatchData = {
      v: Number(GatewayVersion),
      user: this.state.botUser,
      guilds: guildIds.map(unavailableGuild),
      session_id: session.id,
      resume_gateway_url: this.resumeUrl(),
      shard,
      application: { id: this.host.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.deliver(session, GatewayDispatchEvents.Ready, JSON.stringify(ready), now);
    for (const g of guildIds) {
      this.dispatch({
        t: GatewayDispatchEvents.GuildCreate,
        guildId: g,
        d: null,
        sessionId: session.id,
        dFor: (s) => guildCreate(this.state, g, s.intents, s.largeThreshold),
      });
    }
  }

  private onResume(conn: Connection, d: unknown, now: number): void {
    if (conn.session) return this.closeConn(conn, C.AlreadyAuthenticated, 'Already authenticated.');
    if (!isObj(d)) return this.closeConn(conn, C.DecodeError, 'Error while decoding payload.');
    const r = d as Partial<GatewayResumeData>;
    if (!this.checkToken(r.token)) return this.closeConn(conn, C.AuthenticationFailed, 'Authentication failed.');
    const s = typeof r.session_id === 'string' ? this.sessions.get(r.session_id) : undefined;
    if (!s || !this.alive(s, now)) {
      this.log.add({ dir: 'in', conn: conn.id, session: null, op: GatewayOpcodes.Resume, note: s ? `session ${s.state}` : 'unknown session' }, now);
      return this.invalidSession(conn, false);
    }
    const seq = typeof r.seq === 'number' ? r.seq : r.seq === null ? 0 : NaN;
    if (!Number.isInteger(seq) || seq > s.seq || seq < 0) {
      conn.session = s;
      s.conn = conn;
      return this.closeConn(conn, C.InvalidSeq, 'Invalid seq.');
    }
    const missed = s.after(seq);
    if (missed === null) {
      this.detach(s, true, 'resume seq older than the replay buffer', now);
      this.log.add({ dir: 'in', conn: conn.id, session: s.id, op: GatewayOpcodes.Resume, note: `seq ${seq} left the buffer` }, now);
      return this.invalidSession(conn, false);
    }
    const old = s.conn;
    if (old && old !== conn) {
      // Taken over by the new connection: the old one no longer owns the session.
      old.session = null;
      this.closeConn(old, C.UnknownError, 'session resumed on another connection');
    }
    s.conn = conn;
    conn.session = s;
    s.state = 'connected';
    s.disconnectedAt = null;
    s.resumes++;
    s.connections++;
    if (conn.path !== '/gateway-resume') s.resumesOnGatewayUrl++;
    this.log.add(
      { dir: 'in', conn: conn.id, session: s.id, op: GatewayOpcodes.Resume, s: seq, note: `resume on ${conn.path}, replaying ${missed.length}` },
      now,
    );
    let next = seq;
    for (const json of missed) {
      next++;
      if (s.conn !== conn || !conn.delivering) break;
      conn.ws.send(json);
      const t = tOf(json);
      this.log.add({ dir: 'out', conn: conn.id, session: s.id, op: GatewayOpcodes.Dispatch, s: next, ...(t ? { t } : {}), note: 'replay' }, now);
      this.afterSend(s, conn);
    }
    if (s.conn === conn) this.deliver(s, GatewayDispatchEvents.Resumed, 'null', now);
  }

  // Connected, or disconnected for less than resumeTimeoutMs.
  private alive(s: Session, now: number): boolean {
    if (s.state === 'invalidated') return false;
    if (s.state === 'disconnected' && s.disconnectedAt !== null && now - s.disconnectedAt > this.config.resumeTimeoutMs) {
      s.invalidate(now, 'resume timeout');
      this.live.delete(s);
      return false;
    }
    return true;
  }

  private pruneSessions(): void {
    if (this.sessions.size <= 1000) return;
    for (const [id, s] of this.sessions) {
      if (this.sessions.size <= 1000) break;
      if (s.state === 'invalidated') this.sessions.delete(id);
    }
  }

  // ---- dispatching ---------------------------------------------------------------

  // Sends one event to every session that should get it; returns the s each got.
  dispatch(spec: DispatchSpec): Delivery[] {
    const now = Date.now();
    const bot = this.botId;
    const intent = intentFor(spec.t, spec.guildId, spec.d, bot);
    const redact = !spec.dFor && needsContentIntent(spec.t, spec.d, bot);
    let full: string | undefined;
    let bare: string | undefined;
    const out: Delivery[] = [];
    for (const s of this.live) {
      if (spec.sessionId !== undefined ? s.id !== spec.sessionId : shardOf(spec.guildId, s.shard[1]) !== s.shard[0]) continue;
      if (intent !== 0 && (s.intents & intent) === 0) continue;
      if (!this.alive(s, now)) continue;
      let dj: string;
      if (spec.dFor) dj = JSON.stringify(spec.dFor(s));
      else if (redact && (s.intents & GatewayIntentBits.MessageContent) === 0) dj = bare ??= JSON.stringify(withoutContent(spec.d));
      else dj = full ??= JSON.stringify(spec.d ?? null);
      out.push(this.deliver(s, spec.t, dj, now));
    }
    return out;
  }

  /** Whether some session (connected, or resumable and within its window) would receive this guild's events. */
  private hasSessionFor(guildId: string): boolean {
    const now = Date.now();
    for (const s of this.live) if (shardOf(guildId, s.shard[1]) === s.shard[0] && this.alive(s, now)) return true;
    return false;
  }

  private deliver(s: Session, t: string, dj: string, now: number): Delivery {
    const seq = ++s.seq;
    const json = `{"op":0,"t":${JSON.stringify(t)},"s":${seq},"d":${dj}}`;
    s.record(json);
    const c = s.conn;
    const sent = c?.delivering === true;
    if (sent) c.ws.send(json);
    this.log.add({ dir: 'out', conn: c?.id ?? 0, session: s.id, op: GatewayOpcodes.Dispatch, t, s: seq, ...(sent ? {} : { note: 'buffered' }) }, now);
    if (sent) this.afterSend(s, c);
    return { sessionId: s.id, s: seq, sent };
  }

  private afterSend(s: Session, conn: Connection): void {
    if (s.pendingFaults.length === 0) return;
    const due: GatewayFault[] = [];
    s.pendingFaults = s.pendingFaults.filter((pf) => {
      pf.remaining--;
      if (pf.remaining > 0) return true;
      due.push(pf.fault);
      return false;
    });
    for (const f of due) this.applyFault(conn, f);
  }

  // ---- faults ----------------------------------------------------------------------

  applyFault(conn: Connection, f: GatewayFault): void {
    const s = conn.session;
    switch (f.kind) {
      case 'drop':
        return this.drop(conn, 'fault: drop');
      case 'close':
        return this.closeConn(conn, f.code ?? C.UnknownError, 'fault: close');
      case 'reconnect':
        this.sendOp(conn, { op: GatewayOpcodes.Reconnect, s: null, t: null } as GatewayReconnect);
        conn.parked = 'reconnect';
        return;
      case 'heartbeat-request':
        this.sendOp(conn, { op: GatewayOpcodes.Heartbeat, s: null, t: null } as GatewayHeartbeatRequest);
        return;
      case 'zombie':
        conn.parked = 'zombie';
        conn.zombieDeliver = f.deliver === true;
        this.log.add({ dir: 'out', conn: conn.id, session: s?.id ?? null, op: null, note: 'fault: zombie (no more ACKs)' });
        return;
      case 'invalid-session': {
        const resumable = f.resumable === true;
        this.invalidSession(conn, resumable);
        if (s && s.conn === conn) this.detach(s, !resumable, 'fault: invalid session');
        conn.session = null;
        return;
      }
    }
  }

  // Immediate faults hit connected sockets; `afterEvents` queues on sessions.
  fault(target: string | undefined, f: GatewayFault, afterEvents: number): { applied: string[]; queued: string[] } {
    const all = target === undefined || target === 'all';
    const applied: string[] = [];
    const queued: string[] = [];
    if (afterEvents > 0) {
      for (const s of this.live) {
        if (!all && s.id !== target) continue;
        s.pendingFaults.push({ remaining: afterEvents, fault: f });
        queued.push(s.id);
      }
    } else {
      for (const c of [...this.conns.values()]) {
        if (c.closed || c.serverClosed !== null) continue;
        if (!all && c.session?.id !== target) continue;
        this.applyFault(c, f);
        applied.push(c.session?.id ?? `conn:${c.id}`);
      }
    }
    if (!all && applied.length === 0 && queued.length === 0) throw new Error(`no connected session ${target}`);
    return { applied, queued };
  }

  // ---- views ---------------------------------------------------------------------

  sessionsView(): unknown {
    const now = Date.now();
    const sessions = [...this.sessions.values()].map((s) => {
      this.alive(s, now);
      return {
        id: s.id,
        shard: s.shard,
        intents: s.intents,
        state: s.state,
        seq: s.seq,
        resumable: s.state !== 'invalidated',
        ...(s.invalidReason ? { invalidReason: s.invalidReason } : {}),
        identifyCount: 1,
        resumeCount: s.resumes,
        resumesOnGatewayUrl: s.resumesOnGatewayUrl,
        connections: s.connections,
        heartbeats: s.heartbeats,
        lastHeartbeatAt: s.lastHeartbeatAt,
        closeCodesSent: s.closeCodesSent,
        opsSent: s.opsSent,
        buffered: s.buffered,
        firstBufferedSeq: s.buffered ? s.firstBufferedSeq : null,
        connection: s.conn ? { id: s.conn.id, path: s.conn.path, parked: s.conn.parked, bufferedAmount: s.conn.ws.bufferedAmount } : null,
        pendingFaults: s.pendingFaults,
        createdAt: s.createdAt,
        disconnectedAt: s.disconnectedAt,
      };
    });
    const connections = [...this.conns.values()].map((c) => ({
      id: c.id,
      path: c.path,
      session: c.session?.id ?? null,
      parked: c.parked,
      heartbeats: c.heartbeats,
      lastHeartbeatAt: c.lastHeartbeatAt,
      lastHeartbeatSeq: c.lastHeartbeatSeq,
      openedAt: c.openedAt,
    }));
    return { sessions, connections, identifies: this.identifies, config: this.config, gatewayBot: this.gatewayBot(now) };
  }

  // ---- events from the simulator's REST and control sides --------------------------

  private guildOfChannel(channelId: string): string | null {
    return this.state.channels.get(channelId)?.guild_id ?? null;
  }

  messageCreated(message: APIMessage): Delivery[] {
    if (isEphemeral(message)) return [];
    return this.dispatch({ t: GatewayDispatchEvents.MessageCreate, guildId: this.guildOfChannel(message.channel_id), d: messageEvent(this.state, message) });
  }

  messageUpdated(message: APIMessage): Delivery[] {
    if (isEphemeral(message)) return [];
    return this.dispatch({ t: GatewayDispatchEvents.MessageUpdate, guildId: this.guildOfChannel(message.channel_id), d: messageEvent(this.state, message) });
  }

  messageDeleted(channelId: string, messageId: string): Delivery[] {
    const guildId = this.guildOfChannel(channelId);
    return this.dispatch({
      t: GatewayDispatchEvents.MessageDelete,
      guildId,
      d: { id: messageId, channel_id: channelId, ...(guildId ? { guild_id: guildId } : {}) },
    });
  }

  channelCreated(channel: SimChannel): Delivery[] {
    if (isThread(channel)) return this.dispatch({ t: GatewayDispatchEvents.ThreadCreate, guildId: channel.guild_id ?? null, d: threadCreate(channel, true) });
    return this.dispatch({ t: GatewayDispatchEvents.ChannelCreate, guildId: channel.guild_id ?? null, d: channel });
  }

  channelUpdated(channel: SimChannel): Delivery[] {
    const t = isThread(channel) ? GatewayDispatchEvents.ThreadUpdate : GatewayDispatchEvents.ChannelUpdate;
    return this.dispatch({ t, guildId: channel.guild_id ?? null, d: channel });
  }

  memberAdded(guildId: string, member: APIGuildMember): Delivery[] {
    return this.dispatch({ t: GatewayDispatchEvents.GuildMemberAdd, guildId, d: memberAdd(guildId, member) });
  }

  // The bot was added to a guild.
  guildJoined(guildId: string): Delivery[] {
    return this.dispatch({
      t: GatewayDispatchEvents.GuildCreate,
      guildId,
      d: null,
      dFor: (s) => guildCreate(this.state, guildId, s.intents, s.largeThreshold),
    });
  }

  interactionCreated(interaction: APIInteraction): Delivery[] {
    return this.dispatch({ t: GatewayDispatchEvents.InteractionCreate, guildId: interaction.guild_id ?? null, d: interaction });
  }

  memberUpdated(guildId: string, member: APIGuildMember): Delivery[] {
    return this.dispatch({ t: GatewayDispatchEvents.GuildMemberUpdate, guildId, d: memberUpdate(guildId, member) });
  }

  memberRemoved(guildId: string, user: APIUser): Delivery[] {
    const d: GatewayGuildMemberRemoveDispatchData = { guild_id: guildId, user };
    return this.dispatch({ t: GatewayDispatchEvents.GuildMemberRemove, guildId, d });
  }

  banAdded(guildId: string, user: APIUser): Delivery[] {
    const d: GatewayGuildBanAddDispatchData = { guild_id: guildId, user };
    return this.dispatch({ t: GatewayDispatchEvents.GuildBanAdd, guildId, d });
  }

  banRemoved(guildId: string, user: APIUser): Delivery[] {
    const d: GatewayGuildBanRemoveDispatchData = { guild_id: guildId, user };
    return this.dispatch({ t: GatewayDispatchEvents.GuildBanRemove, guildId, d });
  }

  guildUpdated(guildId: string): Delivery[] {
    const d: GatewayGuildUpdateDispatchData = this.state.guild(guildId);
    return this.dispatch({ t: GatewayDispatchEvents.GuildUpdate, guildId, d });
  }

  roleCreated(guildId: string, role: APIRole): Delivery[] {
    const d: GatewayGuildRoleCreateDispatchData = { guild_id: guildId, role };
    return this.dispatch({ t: GatewayDispatchEvents.GuildRoleCreate, guildId, d });
  }

  roleUpdated(guildId: string, role: APIRole): Delivery[] {
    const d: GatewayGuildRoleUpdateDispatchData = { guild_id: guildId, role };
    return this.dispatch({ t: GatewayDispatchEvents.GuildRoleUpdate, guildId, d });
  }

  inviteCreated(d: GatewayInviteCreateDispatchData): Delivery[] {
    return this.dispatch({ t: GatewayDispatchEvents.InviteCreate, guildId: d.guild_id ?? null, d });
  }

  inviteDeleted(d: GatewayInviteDeleteDispatchData): Delivery[] {
    return this.dispatch({ t: GatewayDispatchEvents.InviteDelete, guildId: d.guild_id ?? null, d });
  }

  messagesDeleted(channelId: string, ids: string[]): Delivery[] {
    const guildId = this.guildOfChannel(channelId);
    const d: GatewayMessageDeleteBulkDispatchData = { ids, channel_id: channelId, ...(guildId ? { guild_id: guildId } : {}) };
    return this.dispatch({ t: GatewayDispatchEvents.MessageDeleteBulk, guildId, d });
  }

  // After a REST call the bot made: the events Discord would dispatch for it.
  afterRest(route: string, params: Record<string, string>, status: number, body: unknown): void {
    if (status < 200 || status >= 300) return;
    const msg = body as APIMessage;
    switch (route) {
      case 'POST /channels/{channel_id}/messages':
      case 'POST /webhooks/{application_id}/{interaction_token}':
        this.messageCreated(msg);
        return;
      case 'PATCH /channels/{channel_id}/messages/{message_id}':
      case 'PATCH /webhooks/{application_id}/{interaction_token}/messages/@original':
      case 'PATCH /webhooks/{application_id}/{interaction_token}/messages/{message_id}':
        this.messageUpdated(msg);
        return;
      case 'DELETE /channels/{channel_id}/messages/{message_id}':
        this.messageDeleted(params.channel_id!, params.message_id!);
        return;
      case 'POST /channels/{channel_id}/threads':
      case 'POST /channels/{channel_id}/messages/{message_id}/threads':
      case 'POST /guilds/{guild_id}/channels':
        if (isObj(body)) this.channelCreated(body as unknown as SimChannel);
        return;
      case 'PATCH /channels/{channel_id}':
        if (isObj(body)) this.channelUpdated(body as unknown as SimChannel);
        return;
      case 'POST /interactions/{interaction_id}/{interaction_token}/callback': {
        const rec = this.host.interactions.records.get(params.interaction_id!);
        if (!rec?.original) return;
        const R = InteractionResponseType;
        if (rec.initialType === R.ChannelMessageWithSource || rec.initialType === R.DeferredChannelMessageWithSource) this.messageCreated(rec.original);
        else if (rec.initialType === R.UpdateMessage) this.messageUpdated(rec.original);
        return;
      }
    }
  }

  // ---- flood (benchmarks) -----------------------------------------------------------

  async flood(o: FloodOptions): Promise<unknown> {
    const run = ++this.floodRun;
    const t = o.t ?? GatewayDispatchEvents.MessageCreate;
    const state = this.state;
    const counters = new Map<string, number>();
    const ctx = o.guilds.map((guildId) => {
      const channel = state.guildChannels(guildId).find((c) => c.type === 0);
      const members = state.members.get(guildId);
      const member = members ? [...members.values()].find((m) => m.user.id !== this.botId) : undefined;
      const author = member?.user ?? { id: snowflake(), username: 'flood_user', discriminator: '0', global_name: null, avatar: null };
      const { user: _u, ...memberNoUser } = member ?? { user: null };
      void _u;
      return { guildId, channelId: channel?.id ?? snowflake(), author, member: member ? memberNoUser : undefined };
    });
    const build = (i: number) => {
      const g = ctx[i % ctx.length]!;
      const n = (counters.get(g.guildId) ?? 0) + 1;
      counters.set(g.guildId, n);
      const marker = { run, i, guild_seq: n };
      if (t !== GatewayDispatchEvents.MessageCreate) return { g, d: { guild_id: g.guildId, nonce: `${run}-${i}`, sim_flood: marker } };
      return {
        g,
        d: {
          id: snowflake(),
          channel_id: g.channelId,
          guild_id: g.guildId,
          author: g.author,
          ...(g.member ? { member: g.member } : {}),
          content: `flood ${run} #${i}`,
          timestamp: new Date().toISOString(),
          edited_timestamp: null,
          tts: false,
          mention_everyone: false,
          mentions: [],
          mention_roles: [],
          attachments: [],
          embeds: [],
          pinned: false,
          type: 0,
          flags: 0,
          components: [],
          channel_type: 0,
          nonce: `${run}-${i}`,
          sim_flood: marker,
        },
      };
    };
    const started = Date.now();
    const t0 = performance.now();
    let first: unknown = null;
    let last: unknown = null;
    let delivered = 0;
    let buffered = 0;
    // A flood is a script of things happening in guilds the bot is in. Between a
    // non-resumable session and the next IDENTIFY, Discord has nobody to send
    // to and the event is simply not the bot's to see; the script holds instead,
    // so that "every event sent was applied once" covers invalid sessions too.
    let waitedMs = 0;
    const awaitSession = async (guildId: string) => {
      const t1 = performance.now();
      while (!this.hasSessionFor(guildId)) {
        if (performance.now() - t1 > 60_000) throw new Error(`flood: no session for guild ${guildId} for 60 s`);
        await sleep(5);
      }
      waitedMs += performance.now() - t1;
    };
    const sendOne = async (i: number) => {
      const target = ctx[i % ctx.length]!.guildId;
      if (!this.hasSessionFor(target)) await awaitSession(target);
      const { g, d } = build(i);
      const ds = this.dispatch({ t, guildId: g.guildId, d });
      for (const x of ds) {
        if (x.sent) delivered++;
        else buffered++;
      }
      const summary = { i, guild_id: g.guildId, nonce: `${run}-${i}`, deliveries: ds };
      if (i === 0) first = summary;
      last = summary;
    };
    const congested = () => {
      for (const s of this.live) if (s.conn && s.conn.ws.bufferedAmount > 8 << 20) return true;
      return false;
    };
    let i = 0;
    if (o.ratePerS && o.ratePerS > 0) {
      while (i < o.events) {
        const due = Math.min(o.events, Math.floor(((performance.now() - t0) / 1000) * o.ratePerS) + 1);
        while (i < due) await sendOne(i++);
        if (i < o.events) await sleep(Math.max(1, Math.min(20, 1000 / o.ratePerS)));
      }
    } else {
      while (i < o.events) {
        const end = Math.min(o.events, i + 1000);
        while (i < end) await sendOne(i++);
        while (congested()) await sleep(1);
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    const durationMs = performance.now() - t0;
    return {
      run,
      t,
      sent: o.events,
      delivered,
      buffered,
      startedAt: started,
      durationMs: Math.round(durationMs * 10) / 10,
      waitedForSessionMs: Math.round(waitedMs),
      ratePerS: Math.round(o.events / Math.max(durationMs / 1000, 1e-6)),
      guilds: o.guilds,
      perGuild: Object.fromEntries(counters),
      first,
      last,
    };
  }
}
