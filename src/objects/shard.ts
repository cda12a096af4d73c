import { DurableObject } from 'cloudflare:workers';
import {
  GatewayDispatchEvents, GatewayOpcodes, Routes,
  type APIInteraction, type GatewayReceivePayload, type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import type { DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import { COUNTED, hourOf, type GatewayEvent } from '../features/events/apply.ts';
import { batchByGuild, guildOf, Outstanding } from '../gateway/fanout.ts';
import { emptyLag, recordLag, type LagHistogram } from '../gateway/lag-histogram.ts';
import { sendDelay } from '../gateway/send-window.ts';
import { INITIAL_SESSION, step, type SessionAction, type SessionEvent, type SessionState } from '../gateway/session.ts';
import { answerInteraction } from '../routes/interactions.ts';
import { migrate } from './migrate.ts';
import { guildActor, restFor, statusActor } from './rest.ts';

export interface ShardConfig {
  shardId: number;
  shardCount: number;
  intents: number;
  gatewayUrl: string;
  /** Epoch ms before which this shard must not identify (Discord's identify buckets). */
  notBefore: number;
}

export interface ShardStatus {
  shard: [number, number] | null;
  phase: SessionState['phase'] | 'stopped';
  seq: number | null;
  safeSeq: number;
  heartbeatLatencyMs: number | null;
  eventsPerSecond: number;
  guilds: number;
  queued: number;
  /** Events applied by their guild actors since this actor started. */
  appliedEvents: number;
  /** Discord's message timestamp → applied by the guild actor, cumulative (see lag-histogram.ts). */
  applyLag: LagHistogram;
  fatal: SessionState['fatal'];
  /** Events this shard forwarded, per hour (epoch ms of the hour) and kind, for the last 24 hours. */
  countsPerHour: Record<string, Record<string, number>>;
}

/** A short tick: one RPC per guild per tick carries all its events. */
const FLUSH_MS = 5;
const WATCHDOG_MS = 30_000;

/**
 * One per gateway shard: holds the outbound WebSocket (so it cannot
 * hibernate), runs the protocol (src/gateway/session.ts decides, this shell
 * acts), persists session id, resume URL and the last sequence every guild
 * has applied, and fans dispatches out to guild actors in batches, in order
 * per guild, retrying until applied. It keeps only sequence numbers and the
 * current tick's events in memory, so it does not grow with guild count.
 */
export class ShardActor extends DurableObject<Env> {
  private state: SessionState = INITIAL_SESSION;
  private config: ShardConfig | null = null;
  private ws: WebSocket | null = null;
  /** Per session: sequences of different sessions are not comparable. */
  private outstanding = new Outstanding();
  private queue: { guildId: string; e: GatewayEvent; session: string; outstanding: Outstanding }[] = [];
  private appliedEvents = 0;
  private readonly lag = emptyLag();
  private readonly inFlight = new Map<string, Promise<void>>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly rest: DiscordRest;
  private guilds = 0;
  private recent: number[] = [];
  private readonly sentAt: number[] = [];
  /** Small and bounded (24 hours × a handful of kinds), persisted with the session. */
  private counts: Record<string, Record<string, number>> = {};

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, ctx.storage, [`CREATE TABLE shard (k TEXT PRIMARY KEY, v TEXT NOT NULL)`]);
    this.rest = restFor(env, ctx);
    this.config = this.read<ShardConfig>('config');
    const saved = this.read<SessionState>('session');
    // After a restart the socket is gone: keep what a RESUME needs, from the last safe sequence.
    if (saved) this.state = { ...saved, phase: saved.phase === 'fatal' ? 'fatal' : 'idle', awaitingAck: false };
    this.counts = this.read<Record<string, Record<string, number>>>('counts') ?? {};
  }

  /** Starts (or restarts) this shard; identifies no earlier than `notBefore`. */
  async start(config: ShardConfig): Promise<ShardStatus> {
    this.config = config;
    this.write('config', config);
    this.closeSocket(1000);
    this.state = { ...INITIAL_SESSION };
    this.write('session', this.state);
    await this.ctx.storage.setAlarm(Math.max(Date.now(), config.notBefore));
    return this.status();
  }

  async stop(): Promise<void> {
    this.config = null;
    this.ctx.storage.sql.exec(`DELETE FROM shard WHERE k = 'config'`);
    this.closeSocket(1000);
    for (const t of this.timers) clearTimeout(t);
    await this.ctx.storage.deleteAlarm();
  }

  async status(): Promise<ShardStatus> {
    const now = Date.now();
    this.recent = this.recent.filter((t) => t > now - 10_000);
    return {
      shard: this.config ? [this.config.shardId, this.config.shardCount] : null,
      phase: this.config ? this.state.phase : 'stopped',
      seq: this.state.seq,
      safeSeq: this.outstanding.safeSeq(),
      heartbeatLatencyMs: this.state.latencyMs,
      eventsPerSecond: this.recent.length / 10,
      guilds: this.guilds,
      queued: this.outstanding.size,
      appliedEvents: this.appliedEvents,
      applyLag: this.lag,
      fatal: this.state.fatal,
      countsPerHour: this.counts,
    };
  }

  /** Watchdog: every constructor run (deploy, eviction) means "reconnect and resume". */
  async alarm(): Promise<void> {
    if (!this.config) return;
    if (Date.now() < this.config.notBefore) { await this.ctx.storage.setAlarm(this.config.notBefore); return; }
    if (!this.ws && this.state.phase !== 'fatal' && this.state.phase !== 'backoff') this.apply({ type: 'start' });
    await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS);
  }

  private apply(e: SessionEvent): void {
    if (!this.config) return;
    const r = step(this.state, e, {
      token: this.env.DISCORD_TOKEN ?? '', intents: this.config.intents, shard: [this.config.shardId, this.config.shardCount],
      gatewayUrl: this.config.gatewayUrl, now: Date.now(), random: Math.random(),
    });
    this.state = r.state;
    this.saveSession();
    for (const a of r.actions) this.perform(a);
  }

  /** Persisted with the safe sequence, not the last received: a restart replays what guilds have not applied. */
  private saveSession(): void {
    const safe = this.state.seq === null ? null : Math.min(this.state.seq, this.outstanding.safeSeq());
    this.write('session', { ...this.state, seq: safe });
  }

  private perform(a: SessionAction): void {
    switch (a.type) {
      case 'open': void this.openSocket(a.url); break;
      case 'send': this.send(JSON.stringify(a.payload)); break;
      case 'schedule-heartbeat': this.later(a.inMs, () => this.apply({ type: 'heartbeat-due', generation: a.generation })); break;
      case 'schedule-retry': this.later(a.inMs, () => this.apply({ type: 'retry-due' })); break;
      case 'close': this.closeSocket(a.code); break;
      case 'deliver': this.onDispatch(a.t, a.s, a.d); break;
      case 'fatal':
        this.closeSocket(1000);
        this.ctx.waitUntil(statusActor(this.env).reportGatewayFatal(this.config?.shardId ?? -1, a.code, a.reason, Date.now()));
        break;
    }
  }

  /** Under Discord's 120 payloads per 60 s, or held until the window allows it. */
  private send(payload: string): void {
    const ws = this.ws;
    const wait = sendDelay(this.sentAt, Date.now());
    if (wait > 0) { this.later(wait, () => { if (this.ws === ws) this.send(payload); }); return; }
    this.sentAt.push(Date.now());
    ws?.send(payload);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
  }

  private async openSocket(url: string): Promise<void> {
    const generation = this.state.generation;
    try {
      const res = await fetch(url.replace(/^ws/, 'http'), { headers: { Upgrade: 'websocket' } });
      const ws = res.webSocket;
      if (!ws) throw new Error(`gateway answered ${res.status} without a WebSocket`);
      if (generation !== this.state.generation) { ws.accept(); ws.close(1000); return; }
      ws.accept();
      this.ws = ws;
      ws.addEventListener('message', (m) => {
        if (this.ws === ws) this.onPayload(JSON.parse(typeof m.data === 'string' ? m.data : new TextDecoder().decode(m.data as ArrayBuffer)) as GatewayReceivePayload);
      });
      ws.addEventListener('close', (c) => {
        if (this.ws !== ws) return;
        this.ws = null;
        this.apply({ type: 'closed', code: c.code });
      });
      ws.addEventListener('error', () => {
        if (this.ws !== ws) return;
        this.ws = null;
        this.apply({ type: 'closed', code: 1006 });
      });
    } catch {
      if (generation === this.state.generation) this.apply({ type: 'closed', code: 1006 });
    }
  }

  private closeSocket(code: number): void {
    const ws = this.ws;
    this.ws = null;
    try { ws?.close(code); } catch { /* already closed */ }
  }

  private onPayload(p: GatewayReceivePayload): void {
    switch (p.op) {
      case GatewayOpcodes.Hello: this.apply({ type: 'hello', heartbeatIntervalMs: p.d.heartbeat_interval }); break;
      case GatewayOpcodes.HeartbeatAck: this.apply({ type: 'heartbeat-ack' }); break;
      case GatewayOpcodes.Heartbeat: this.apply({ type: 'heartbeat-requested' }); break;
      case GatewayOpcodes.Reconnect: this.apply({ type: 'reconnect-requested' }); break;
      case GatewayOpcodes.InvalidSession: this.apply({ type: 'invalid-session', resumable: p.d }); break;
      case GatewayOpcodes.Dispatch: this.apply({ type: 'dispatch', s: p.s, t: p.t, d: p.d }); break;
    }
  }

  private onDispatch(t: string, s: number, d: unknown): void {
    this.recent.push(Date.now());
    if (t === GatewayDispatchEvents.Ready) {
      this.guilds = (d as GatewayReadyDispatchData).guilds.length;
      // A new session numbers from 1 again; batches of the old one still finish against their own record.
      this.outstanding = new Outstanding();
      return;
    }
    if (t === GatewayDispatchEvents.InteractionCreate) { this.ctx.waitUntil(this.answer(d as APIInteraction)); return; }
    const kind = COUNTED[t];
    if (kind) this.count(kind);
    const guildId = guildOf(t, d);
    if (!guildId) return;
    this.outstanding.add(s);
    // The session is captured now: by the time the batch is sent the shard may be on a new one.
    this.queue.push({ guildId, e: { s, t, d }, session: this.state.sessionId ?? 'none', outstanding: this.outstanding });
    this.flushTimer ??= setTimeout(() => { this.flushTimer = null; this.flush(); }, FLUSH_MS);
  }

  private count(kind: string): void {
    const hour = String(hourOf(Date.now()));
    const bucket = (this.counts[hour] ??= {});
    bucket[kind] = (bucket[kind] ?? 0) + 1;
    const oldest = hourOf(Date.now()) - 23 * 3_600_000;
    for (const h of Object.keys(this.counts)) if (Number(h) < oldest) delete this.counts[h];
  }

  /** Interactions over the gateway: the same handlers as HTTP, answered through the callback endpoint. */
  private async answer(i: APIInteraction): Promise<void> {
    const response = await answerInteraction(i, JSON.stringify(i), '', this.env);
    await this.rest.post(Routes.interactionCallback(i.id, i.token), { body: response });
  }

  /** One RPC per guild per tick, in order per guild; a guild whose last batch is still in flight waits for it. */
  private flush(): void {
    const batches = batchByGuild(this.queue);
    this.queue = [];
    for (const { guildId, session, outstanding, events } of batches) {
      const run = (this.inFlight.get(guildId) ?? Promise.resolve()).then(() => this.deliver(guildId, session, outstanding, events));
      this.inFlight.set(guildId, run);
      void run.finally(() => { if (this.inFlight.get(guildId) === run) this.inFlight.delete(guildId); });
    }
  }

  private async deliver(guildId: string, session: string, outstanding: Outstanding, events: GatewayEvent[], attempt = 0): Promise<void> {
    try {
      await guildActor(this.env, guildId).applyEvents(this.config?.shardId ?? 0, session, events);
      outstanding.done(events.map((e) => e.s));
      this.appliedEvents += events.length;
      const now = Date.now();
      for (const e of events) {
        const at = (e.d as { timestamp?: unknown } | null)?.timestamp;
        if (typeof at === 'string') recordLag(this.lag, now - Date.parse(at));
      }
      this.saveSession();
      this.write('counts', this.counts);
    } catch {
      // Never dropped: retried with backoff, still ahead of this guild's later events.
      await new Promise((r) => setTimeout(r, Math.min(5_000, 50 * 2 ** attempt)));
      return this.deliver(guildId, session, outstanding, events, attempt + 1);
    }
  }

  private read<T>(k: string): T | null {
    const row = this.ctx.storage.sql.exec<{ v: string }>(`SELECT v FROM shard WHERE k = ?`, k).toArray()[0];
    return row ? (JSON.parse(row.v) as T) : null;
  }

  private write(k: string, v: unknown): void {
    this.ctx.storage.sql.exec(`INSERT INTO shard (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, k, JSON.stringify(v));
  }
}
