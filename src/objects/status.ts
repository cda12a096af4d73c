import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env.ts';
import { deliverLogEvent } from '../features/audit/webhook.ts';
import { completeReshard, type GatewayPlan, type PlanStore } from '../gateway/supervisor.ts';
import { JsonKv } from '../runtime/kv.ts';
import { migrate } from '../runtime/migrate.ts';
import { Outbox } from '../runtime/outbox.ts';

export interface DependencyStatus {
  discordAuth: { state: 'ok' } | { state: 'unauthorized'; route: string; at: number; tokenFingerprint: string };
  /** Shards the gateway closed with a fatal code (4004, 4010–4014); they stop until restarted. */
  gatewayFatal?: { shard: number; code: number; reason: string; at: number }[];
}

async function fingerprint(token: string | undefined): Promise<string> {
  if (!token) return 'none';
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(d).slice(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One per deployment: remembers dependency faults (Discord refusing the token)
 * for GET /health and tells the log webhook, once per fault.
 */
export class StatusActor extends DurableObject<Env> {
  private readonly outbox: Outbox<'webhook' | 'reshard'>;
  private readonly kv: JsonKv;
  private readonly plans: PlanStore = { get: async () => this.readPlan(), set: async (p) => this.writePlan(p) };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, ctx.storage, [`CREATE TABLE status (k TEXT PRIMARY KEY, v TEXT NOT NULL)`]);
    this.kv = new JsonKv(ctx.storage.sql, 'status');
    this.outbox = new Outbox({ sql: ctx.storage.sql, storage: ctx.storage, waitUntil: (p) => ctx.waitUntil(p) }, async (job) => {
      if (job.kind === 'reshard') return completeReshard(env, this.plans);
      return (await deliverLogEvent(env, job.payload as Parameters<typeof deliverLogEvent>[1])) ? 'done' : 'retry';
    });
  }

  async reportUnauthorized(route: string, at: number): Promise<void> {
    const tokenFingerprint = await fingerprint(this.env.DISCORD_TOKEN);
    const current = this.read();
    if (current.discordAuth.state === 'unauthorized' && current.discordAuth.tokenFingerprint === tokenFingerprint) return;
    this.write({ ...current, discordAuth: { state: 'unauthorized', route, at, tokenFingerprint } });
    this.outbox.enqueue('webhook', { type: 'dependency', dependency: 'discord', state: 'unauthorized', route, at });
    this.outbox.kick();
  }

  /** A shard stopped on a fatal close code: shown on /health and sent to the log webhook. */
  async reportGatewayFatal(shard: number, code: number, reason: string, at: number): Promise<void> {
    const s = this.read();
    const others = (s.gatewayFatal ?? []).filter((f) => f.shard !== shard);
    this.write({ ...s, gatewayFatal: [...others, { shard, code, reason, at }] });
    this.outbox.enqueue('webhook', { type: 'dependency', dependency: 'gateway', state: 'fatal', shard, code, reason, at });
    this.outbox.kick();
  }

  async setGatewayPlan(plan: GatewayPlan): Promise<void> {
    this.writePlan(plan);
  }

  async gatewayPlan(): Promise<GatewayPlan | null> {
    return this.readPlan();
  }

  /** A shard of a re-shard's new set has all its guilds; the last one to report lets the handover finish. */
  async shadowShardReady(generation: number, shardId: number): Promise<void> {
    const plan = this.readPlan();
    const next = plan?.next;
    if (!plan || !next || next.generation !== generation) return;
    if (!next.readyShards.includes(shardId)) this.writePlan({ ...plan, next: { ...next, readyShards: [...next.readyShards, shardId].sort((a, b) => a - b) } });
    if (next.readyShards.length + 1 >= next.shardCount) await this.advanceReshard();
  }

  /** Queues the step that finishes a re-shard (it waits, retrying, until the new set is ready). */
  async advanceReshard(): Promise<void> {
    this.outbox.enqueue('reshard', null, { dedupe: 'reshard' });
    this.outbox.kick();
  }

  private readPlan(): GatewayPlan | null {
    return this.kv.get<GatewayPlan>('gateway');
  }

  private writePlan(plan: GatewayPlan): void {
    this.kv.set('gateway', plan);
  }

  /** Forgets gateway faults, when the gateway is started again. */
  async clearGatewayFatal(): Promise<void> {
    const { gatewayFatal: _old, ...rest } = this.read();
    this.write(rest);
  }

  /** The status for /health; a fault recorded for an older token no longer applies. */
  async status(): Promise<DependencyStatus> {
    const s = this.read();
    if (s.discordAuth.state === 'unauthorized' && s.discordAuth.tokenFingerprint !== (await fingerprint(this.env.DISCORD_TOKEN))) {
      return { ...s, discordAuth: { state: 'ok' } };
    }
    return s;
  }

  async alarm(): Promise<void> {
    await this.outbox.onAlarm();
  }

  private read(): DependencyStatus {
    return this.kv.get<DependencyStatus>('deps') ?? { discordAuth: { state: 'ok' } };
  }

  private write(s: DependencyStatus): void {
    this.kv.set('deps', s);
  }
}
