import { DurableObject } from 'cloudflare:workers';
import {
  GatewayDispatchEvents, GatewayOpcodes, Routes,
  type APIInteraction, type GatewayReceivePayload, type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import type { DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import { COUNTED, hourOf, type GatewayEvent } from '../gateway/events.ts';
import { batchByGuild, guildOf, Outstanding } from '../gateway/fanout.ts';
import { emptyLag, recordLag, type LagHistogram } from '../gateway/lag-histogram.ts';
import { sendDelay } from '../gateway/send-window.ts';
import { INITIAL_SESSION, step, type SessionAction, type SessionEvent, type SessionState } from '../gateway/session.ts';
import { answerInteraction } from '../routes/interactions.ts';
import { migrate } from '../runtime/migrate.ts';
import { guildActor, restFor, statusActor } from '../runtime/actors.ts';
import { sleep } from '../lib/sleep.ts';

export interface ShardConfig {
  shardId: number;
  shardCount: number;
  intents: number;
  gatewayUrl: string;
  /** Epoch ms before which this shard must not identify (Discord's identify buckets). */
  notBefore: number;
  /** The shard set's generation (src/gateway/handover.ts); absent in configs saved before re-sharding existed. */
  generation?: number;
  /** A new set during a re-shard: its events are held by the guilds until it is promoted. */
  shadow?: boolean;
  /** The set in charge during a re-shard: guilds remember what they applied from it. */
  recording?: boolean;
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
  generation: number;
  shadow: boolean;
  /** Guilds announced in READY whose GUILD_CREATE has not arrived yet. */
  guildsPending: number;
  /** Events applied by their guild actors since this actor started. */
  appliedEvents: number;
  /** Discord's message timestamp → applied by the guild actor, cumulative (see lag-histogram.ts). */
  applyLag: LagHistogram;
  fatal: SessionState['fatal'];
  /** Events this shard forwarded, per hour (epoch ms of the hour) and kind, for the last 24 hours. */
  countsPerHour: Record<string, Record<string, number>>;
}

/** What a received event is delivered as. */
interface Source { session: string; outstanding: Outstanding; shadow: boolean }

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
  private queue: { guildId: string; e: GatewayEvent; source: Source }[] = [];
  /** What events received now are delivered as; replaced (not mutated) when the session or role changes. */
  private source: Source = { session: 'none', outstanding: this.outstanding, shadow: false };
  /** READY's guilds still waiting for their GUILD_CREATE: a shadow set is ready to take over only once it has them all. */
  private pendingGuilds = new Set<string>();
  private readyTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set while the shard drains for a re-shard: nothing may reconnect it. */
  private retiring = false;
  /** Heartbeats sent and ACKs received on the current socket: the gateway answers them in order, behind earlier dispatches. */
  private heartbeatsSent = 0;
  private acksReceived = 0;
  private appliedEvents = 0;
  private readonly lag = emptyLag();
  private readonly inFlight = new Map<string, Promise<void>>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** Per guild, the batch queued behind the one in flight: later ticks join it instead of queueing an RPC each. */
  private readonly waiting = new Map<string, { source: Source; events: GatewayEvent[] }>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly rest: DiscordRest;
  private guilds = 0;
  private recent: number[] = [];
  private readonly sentAt: number[] = [];
  /** Small and bounded (24 hours × a handful of kinds), persisted with the session. */
  private counts: Record<string, Record<string, number>> = {};

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, ctx.storage, [`CREATE TABLE shard (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
      // Guilds a shadow shard has sent held events to: each gets a cutover batch at promotion, even if it goes quiet.
      `CREATE TABLE shadow_guilds (id TEXT PRIMARY KEY)`]);
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
    this.retiring = false;
    this.write('config', config);
    this.ctx.storage.sql.exec(`DELETE FROM shadow_guilds`);
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
      generation: this.config?.generation ?? 1,
      shadow: this.config?.shadow === true,
      guildsPending: this.pendingGuilds.size,
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

  /** Re-shard, step 1: from now on guilds remember what they apply from this (old) set. */
  async beginHandover(): Promise<void> {
    if (!this.config) return;
    this.config = { ...this.config, recording: true };
    this.write('config', this.config);
  }

  /**
   * Re-shard, step 3: catch up with the gateway (a session that is resuming
   * still has events only it was sent, from before the new set connected),
   * close the socket, wait until every event this shard received has been
   * applied by its guild, then stop. Idempotent.
   */
  async retire(): Promise<{ drained: number }> {
    if (!this.config) return { drained: 0 };
    await this.caughtUp();
    this.retiring = true;
    this.closeSocket(1000);
    const before = this.appliedEvents;
    this.flushNow();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
    await this.stop();
    return { drained: this.appliedEvents - before };
  }

  /**
   * Re-shard, step 4: this (new) set is in charge. Every guild it held events
   * for gets a cutover batch, after whatever is already on its way.
   */
  async promote(): Promise<{ guilds: number }> {
    if (!this.config) throw new Error('promote: this shard is not running');
    // This set may lag behind the one that just closed: wait until it has
    // received everything the gateway sent before now, so all of it is held
    // and checked against what the old set applied.
    await this.caughtUp();
    this.config = { ...this.config, shadow: false, recording: false };
    this.write('config', this.config);
    // Events received as a shadow must reach their guild as held events, before
    // the cutover batch: send the current tick now, so every one of them is
    // chained ahead of it (and its guild is in shadow_guilds).
    this.flushNow();
    const ids = this.ctx.storage.sql.exec<{ id: string }>(`SELECT id FROM shadow_guilds`).toArray().map((r) => r.id);
    const live = this.currentSource();
    await Promise.all(ids.map((id) => this.chain(id, () => this.deliver(id, live, []))));
    this.ctx.storage.sql.exec(`DELETE FROM shadow_guilds`);
    return { guilds: ids.length };
  }

  /**
   * A barrier in the stream: a heartbeat now, and its ACK, which the gateway
   * writes after every dispatch it sent this socket before the heartbeat
   * arrived. Sent outside the send window's 110 (Discord allows 120 a minute).
   */
  private async caughtUp(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ws = this.ws;
      if (!ws || this.state.phase !== 'ready') { await sleep(50); continue; }
      this.sentAt.push(Date.now());
      ws.send(JSON.stringify({ op: GatewayOpcodes.Heartbeat, d: this.state.seq }));
      const target = ++this.heartbeatsSent;
      while (this.ws === ws && this.acksReceived < target && Date.now() < deadline) await sleep(10);
      if (this.ws === ws && this.acksReceived >= target) return;
    }
    throw new Error(`shard ${this.config?.shardId}: no heartbeat ACK within ${timeoutMs} ms; the handover will be retried`);
  }

  private apply(e: SessionEvent): void {
    if (!this.config || this.retiring) return;
    const r = step(this.state, e, {
      token: this.env.DISCORD_TOKEN ?? '', intents: this.config.intents, shard: [this.config.shardId, this.config.shardCount],
      gatewayUrl: this.config.gatewayUrl, now: Date.now(), random: Math.random(),
    });
    this.state = r.state;
    // A dispatch moves only the received sequence, and what is persisted is the
    // applied one (saved when deliveries finish): no write per event. READY and
    // RESUMED change the session itself.
    if (e.type !== 'dispatch' || e.t === GatewayDispatchEvents.Ready || e.t === GatewayDispatchEvents.Resumed) this.saveSession();
    for (const a of r.actions) this.perform(a);
  }

  /** After deliveries: one write of the resume point and counters per tick, however many batches finished in it. */
  private saveSoon(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = null;
      this.saveSession();
      this.write('counts', this.counts);
    }, FLUSH_MS);
  }

  /** Persisted with the safe sequence, not the last received: a restart replays what guilds have not applied. */
  private saveSession(): void {
    const safe = this.state.seq === null ? null : Math.min(this.state.seq, this.outstanding.safeSeq());
    this.write('session', { ...this.state, seq: safe });
  }

  private perform(a: SessionAction): void {
    switch (a.type) {
      case 'open': void this.openSocket(a.url); break;
      case 'send': this.send(JSON.stringify(a.payload), a.payload.op === GatewayOpcodes.Heartbeat); break;
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
  private send(payload: string, heartbeat = false): void {
    const ws = this.ws;
    const wait = sendDelay(this.sentAt, Date.now());
    if (wait > 0) { this.later(wait, () => { if (this.ws === ws) this.send(payload, heartbeat); }); return; }
    if (!ws) return;
    this.sentAt.push(Date.now());
    ws.send(payload);
    if (heartbeat) this.heartbeatsSent++;
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
      this.heartbeatsSent = 0;
      this.acksReceived = 0;
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
      case GatewayOpcodes.HeartbeatAck: this.acksReceived++; this.apply({ type: 'heartbeat-ack' }); break;
      case GatewayOpcodes.Heartbeat: this.apply({ type: 'heartbeat-requested' }); break;
      case GatewayOpcodes.Reconnect: this.apply({ type: 'reconnect-requested' }); break;
      case GatewayOpcodes.InvalidSession: this.apply({ type: 'invalid-session', resumable: p.d }); break;
      case GatewayOpcodes.Dispatch: this.apply({ type: 'dispatch', s: p.s, t: p.t, d: p.d }); break;
    }
  }

  private onDispatch(t: string, s: number, d: unknown): void {
    this.recent.push(Date.now());
    if (t === GatewayDispatchEvents.Ready) {
      const ready = d as GatewayReadyDispatchData;
      this.guilds = ready.guilds.length;
      // A new session numbers from 1 again; batches of the old one still finish against their own record.
      this.outstanding = new Outstanding();
      this.pendingGuilds = new Set(ready.guilds.map((g) => g.id));
      // Discord may never send some guilds (outages): like discord.js, stop waiting after 15 s.
      if (this.readyTimer) clearTimeout(this.readyTimer);
      this.readyTimer = setTimeout(() => { this.pendingGuilds.clear(); this.guildsArrived(); }, 15_000);
      this.guildsArrived();
      return;
    }
    if (t === GatewayDispatchEvents.GuildCreate && this.pendingGuilds.delete((d as { id: string }).id)) this.guildsArrived();
    if (t === GatewayDispatchEvents.InteractionCreate) { this.ctx.waitUntil(this.answer(d as APIInteraction)); return; }
    const kind = COUNTED[t];
    if (kind) this.count(kind);
    const guildId = guildOf(t, d);
    if (!guildId) return;
    this.outstanding.add(s);
    // The session is captured now: by the time the batch is sent the shard may be on a new one.
    this.queue.push({ guildId, e: { s, t, d }, source: this.currentSource() });
    this.flushTimer ??= setTimeout(() => { this.flushTimer = null; this.flush(); }, FLUSH_MS);
  }

  /** A shadow shard with every guild in hand tells the supervisor, which cuts over once the whole new set is. */
  private guildsArrived(): void {
    if (this.pendingGuilds.size > 0 || !this.config?.shadow) return;
    if (this.readyTimer) { clearTimeout(this.readyTimer); this.readyTimer = null; }
    const { generation = 1, shardId } = this.config;
    this.ctx.waitUntil(statusActor(this.env).shadowShardReady(generation, shardId));
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

  /**
   * One RPC per guild per tick, in order per guild. A guild whose last batch is
   * still in flight gets one waiting batch that later ticks add to (same
   * source only), so a busy guild costs one RPC per round trip, not per tick.
   */
  private flush(): void {
    const batches = batchByGuild(this.queue);
    this.queue = [];
    for (const { guildId, source, events } of batches) {
      // Recorded when sent, not when applied: promotion must send a cutover batch to every guild that may hold events.
      if (source.shadow) this.ctx.storage.sql.exec(`INSERT OR IGNORE INTO shadow_guilds (id) VALUES (?)`, guildId);
      const waiting = this.waiting.get(guildId);
      if (waiting && waiting.source === source) { waiting.events.push(...events); continue; }
      if (!this.inFlight.has(guildId)) { void this.chain(guildId, () => this.deliver(guildId, source, events)); continue; }
      const batch = { source, events };
      this.waiting.set(guildId, batch);
      void this.chain(guildId, () => {
        if (this.waiting.get(guildId) === batch) this.waiting.delete(guildId);
        return this.deliver(guildId, batch.source, batch.events);
      });
    }
  }

  private flushNow(): void {
    if (this.flushTimer) { clearTimeout(this.flushTimer); this.flushTimer = null; }
    this.flush();
  }

  private currentSource(): Source {
    const session = this.state.sessionId ?? 'none';
    const shadow = this.config?.shadow === true;
    const s = this.source;
    if (s.session !== session || s.outstanding !== this.outstanding || s.shadow !== shadow) this.source = { session, outstanding: this.outstanding, shadow };
    return this.source;
  }

  /** Runs after this guild's batch in flight, if any: one guild's events stay in order. */
  private chain(guildId: string, fn: () => Promise<void>): Promise<void> {
    const run = (this.inFlight.get(guildId) ?? Promise.resolve()).then(fn);
    this.inFlight.set(guildId, run);
    void run.finally(() => { if (this.inFlight.get(guildId) === run) this.inFlight.delete(guildId); });
    return run;
  }

  private async deliver(guildId: string, source: Source, events: GatewayEvent[], attempt = 0): Promise<void> {
    const cfg = this.config;
    try {
      const tag = { generation: cfg?.generation ?? 1, shadow: source.shadow, recording: cfg?.recording === true };
      await guildActor(this.env, guildId).applyEvents(cfg?.shardId ?? 0, source.session, events, tag);
      source.outstanding.done(events.map((e) => e.s));
      this.appliedEvents += events.length;
      const now = Date.now();
      for (const e of events) {
        const at = (e.d as { timestamp?: unknown } | null)?.timestamp;
        if (typeof at === 'string') recordLag(this.lag, now - Date.parse(at));
      }
      this.saveSoon();
    } catch {
      // Never dropped: retried with backoff, still ahead of this guild's later events.
      await sleep(Math.min(5_000, 50 * 2 ** attempt));
      return this.deliver(guildId, source, events, attempt + 1);
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
