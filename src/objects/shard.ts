import { DurableObject } from 'cloudflare:workers';
import { type APIInteraction, GatewayOpcodes, Routes } from 'discord-api-types/v10';
import type { DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import { catchUp } from '../gateway/connection.ts';
import { Dispatcher, FANOUT_TIMING, type FanoutHost, settled, systemClock } from '../gateway/dispatcher.ts';
import { GUILDS_WAIT_MS } from '../gateway/handover.ts';
import { GatewayLink } from '../gateway/link.ts';
import {
  INITIAL_SESSION,
  persistable,
  persistsAfter,
  restoredSession,
  type SessionAction,
  type SessionEvent,
  type SessionState,
  step,
} from '../gateway/session.ts';
import { deliveryTag, type ShardConfig, sessionConfig, validateShardConfig, watchdog } from '../gateway/shard-config.ts';
import { buildShardStatus, DispatchTally, type HourlyCounts, type ShardStatus } from '../gateway/shard-status.ts';
import { ok, type Result } from '../lib/result.ts';
import { sleep } from '../lib/sleep.ts';
import { answerInteraction } from '../routes/interactions.ts';
import { guildActor, restFor, statusActor } from '../runtime/actors.ts';
import { JsonKv } from '../runtime/kv.ts';
import { migrate } from '../runtime/migrate.ts';

export type { ShardStatus } from '../gateway/shard-status.ts';

/**
 * One per gateway shard: holds the outbound WebSocket (so it cannot
 * hibernate), carries out what the protocol machine (src/gateway/session.ts)
 * decides, persists session id, resume URL and the last sequence every guild
 * has applied, and hands dispatches to the fan-out policy
 * (src/gateway/dispatcher.ts), whose RPCs it makes.
 */
export class ShardActor extends DurableObject<Env> {
  private state: SessionState = INITIAL_SESSION;
  private config: ShardConfig | null = null;
  private readonly link: GatewayLink;
  private readonly dispatcher: Dispatcher;
  private readonly tally: DispatchTally;
  private readyTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set while the shard drains for a re-shard: nothing may reconnect it. */
  private retiring = false;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly rest: DiscordRest;
  private readonly kv: JsonKv;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, ctx.storage, [
      `CREATE TABLE shard (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
      // Guilds a shadow shard has sent held events to: each gets a cutover batch at promotion, even if it goes quiet.
      `CREATE TABLE shadow_guilds (id TEXT PRIMARY KEY)`,
    ]);
    this.kv = new JsonKv(ctx.storage.sql, 'shard');
    this.rest = restFor(env, ctx);
    this.link = new GatewayLink(
      () => this.state.generation,
      (e) => this.apply(e),
    );
    this.config = this.kv.get<ShardConfig>('config');
    this.state = restoredSession(this.kv.get<SessionState>('session'));
    this.tally = new DispatchTally(this.kv.get<HourlyCounts>('counts') ?? {});
    const host: FanoutHost = {
      deliver: (guildId, source, events) =>
        settled(guildActor(this.env, guildId).applyEvents(this.config?.shardId ?? 0, source.session, events, deliveryTag(this.config, source.shadow))),
      sentAsShadow: (guildId) => {
        this.ctx.storage.sql.exec(`INSERT OR IGNORE INTO shadow_guilds (id) VALUES (?)`, guildId);
      },
      applied: () => this.saveSoon(),
    };
    this.dispatcher = new Dispatcher(host, systemClock);
  }

  /** Starts (or restarts) this shard; identifies no earlier than `notBefore`. A bad config is refused and changes nothing. */
  async start(config: ShardConfig): Promise<Result<ShardStatus, string>> {
    const valid = validateShardConfig(config);
    if (!valid.ok) return valid;
    this.config = valid.value;
    this.retiring = false;
    this.kv.set('config', this.config);
    this.ctx.storage.sql.exec(`DELETE FROM shadow_guilds`);
    this.link.close(1000);
    this.state = { ...INITIAL_SESSION };
    this.kv.set('session', this.state);
    await this.ctx.storage.setAlarm(Math.max(Date.now(), this.config.notBefore));
    return ok(await this.status());
  }

  async stop(): Promise<void> {
    this.config = null;
    this.kv.delete('config');
    this.link.stop(1000);
    await this.ctx.storage.deleteAlarm();
  }

  async status(): Promise<ShardStatus> {
    return buildShardStatus(this.config, this.state, this.dispatcher, this.tally, Date.now());
  }

  async alarm(): Promise<void> {
    if (!this.config) return;
    const w = watchdog(this.config, Date.now(), this.link.ws !== null, this.state.phase);
    if (w.connect) this.apply({ type: 'start' });
    await this.ctx.storage.setAlarm(w.nextAt);
  }

  /** Re-shard, step 1: from now on guilds remember what they apply from this (old) set. */
  async beginHandover(): Promise<void> {
    if (this.config) this.kv.set('config', (this.config = { ...this.config, recording: true }));
  }

  /**
   * Re-shard, step 3: catch up with the gateway (a resuming session still has
   * events only it was sent), close, drain every received event into its guild, stop. Idempotent.
   */
  async retire(): Promise<{ drained: number }> {
    if (!this.config) return { drained: 0 };
    await this.caughtUp();
    this.retiring = true;
    this.link.close(1000);
    const before = this.dispatcher.applied;
    this.dispatcher.flushNow();
    await this.dispatcher.drain();
    await this.stop();
    return { drained: this.dispatcher.applied - before };
  }

  /**
   * Re-shard, step 4: this (new) set is in charge. Every guild it held events
   * for gets a cutover batch, after whatever is already on its way.
   */
  async promote(): Promise<{ guilds: number }> {
    if (!this.config) throw new Error('promote: this shard is not running');
    // This set may lag behind the one that just closed: all the gateway sent before now must be held and checked.
    await this.caughtUp();
    this.config = { ...this.config, shadow: false, recording: false };
    this.kv.set('config', this.config);
    // Events received as a shadow go now, held, ahead of the cutover batch (and their guilds into shadow_guilds).
    this.dispatcher.flushNow();
    const ids = this.ctx.storage.sql
      .exec<{ id: string }>(`SELECT id FROM shadow_guilds`)
      .toArray()
      .map((r) => r.id);
    await this.dispatcher.cutover(ids, this.state.sessionId ?? 'none');
    this.ctx.storage.sql.exec(`DELETE FROM shadow_guilds`);
    return { guilds: ids.length };
  }

  /** The heartbeat barrier (src/gateway/connection.ts); throws when the gateway does not answer, so the supervisor retries the step. */
  private async caughtUp(timeoutMs = 30_000): Promise<void> {
    const host = {
      readySocket: () => (this.state.phase === 'ready' ? this.link.ws : null),
      current: () => this.link.ws,
      seq: () => this.state.seq,
      now: Date.now,
      sleep,
    };
    const r = await catchUp(host, this.link.out, timeoutMs);
    if (!r.ok) throw new Error(`shard ${this.config?.shardId}: ${r.error}; the handover will be retried`);
  }

  private apply(e: SessionEvent): void {
    if (!this.config || this.retiring) return;
    const r = step(this.state, e, sessionConfig(this.config, this.env.DISCORD_TOKEN ?? '', Date.now(), Math.random()));
    this.state = r.state;
    if (persistsAfter(e)) this.saveSession();
    for (const a of r.actions) this.perform(a);
  }

  /** One write of the resume point and counters per fan-out tick, however many batches finished in it. */
  private saveSoon(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = null;
      this.saveSession();
      this.kv.set('counts', this.tally.counts);
    }, FANOUT_TIMING.tickMs);
  }

  private saveSession(): void {
    this.kv.set('session', persistable(this.state, this.dispatcher.safeSeq()));
  }

  private perform(a: SessionAction): void {
    switch (a.type) {
      case 'open':
        void this.link.open(a.url);
        break;
      case 'send':
        this.link.send(JSON.stringify(a.payload), a.payload.op === GatewayOpcodes.Heartbeat);
        break;
      case 'schedule-heartbeat':
        this.link.later(a.inMs, () => this.apply({ type: 'heartbeat-due', generation: a.generation }));
        break;
      case 'schedule-retry':
        this.link.later(a.inMs, () => this.apply({ type: 'retry-due' }));
        break;
      case 'close':
        this.link.close(a.code);
        break;
      case 'deliver':
        this.onDispatch(a.t, a.s, a.d);
        break;
      case 'fatal':
        this.link.close(1000);
        this.ctx.waitUntil(statusActor(this.env).reportGatewayFatal(this.config?.shardId ?? -1, a.code, a.reason, Date.now()));
        break;
    }
  }

  private onDispatch(t: string, s: number, d: unknown): void {
    const r = this.tally.route(t, d, Date.now());
    if (r.to === 'new-session') {
      this.dispatcher.newSession();
      if (this.readyTimer) clearTimeout(this.readyTimer);
      this.readyTimer = setTimeout(() => {
        this.tally.arrivals.giveUp();
        this.guildsArrived();
      }, GUILDS_WAIT_MS);
    }
    if (r.arrivalsChanged) this.guildsArrived();
    if (r.to === 'interaction') this.ctx.waitUntil(this.answer(d as APIInteraction));
    if (r.guildId) this.dispatcher.receive(r.guildId, { s, t, d }, this.state.sessionId ?? 'none', this.config?.shadow === true);
  }

  /** A shadow shard with every guild in hand tells the supervisor, which cuts over once the whole new set is. */
  private guildsArrived(): void {
    if (this.tally.arrivals.waiting > 0 || !this.config?.shadow) return;
    if (this.readyTimer) {
      clearTimeout(this.readyTimer);
      this.readyTimer = null;
    }
    const { generation = 1, shardId } = this.config;
    this.ctx.waitUntil(statusActor(this.env).shadowShardReady(generation, shardId));
  }

  /** Interactions over the gateway: the same handlers as HTTP, answered through the callback endpoint. */
  private async answer(i: APIInteraction): Promise<void> {
    const response = await answerInteraction(i, JSON.stringify(i), '', this.env);
    await this.rest.post(Routes.interactionCallback(i.id, i.token), { body: response });
  }
}
