import { GatewayDispatchEvents, type GatewayReadyDispatchData } from 'discord-api-types/v10';
import { COUNTED, hourOf } from './events.ts';
import { guildOf } from './fanout.ts';
import { GuildArrivals } from './handover.ts';
import type { LagHistogram } from './lag-histogram.ts';
import type { SessionState } from './session.ts';
import type { ShardConfig } from './shard-config.ts';

/** What /admin/gateway shows for one shard, and what the supervisor decides a handover on. */
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
  /** Failed guild deliveries since this actor started (each retried until applied). */
  deliveryRetries: number;
  /** Discord's message timestamp → applied by the guild actor, cumulative (see lag-histogram.ts). */
  applyLag: LagHistogram;
  fatal: SessionState['fatal'];
  /** Events this shard forwarded, per hour (epoch ms of the hour) and kind, for the last 24 hours. */
  countsPerHour: HourlyCounts;
}

/** Per hour (epoch ms, as a string key) and kind. Small and bounded: 24 hours × a handful of kinds. */
export type HourlyCounts = Record<string, Record<string, number>>;

const HOURS_KEPT = 24;

/** Counts one event of `kind` in its hour and forgets hours older than a day. */
export function countEvent(counts: HourlyCounts, kind: string, now: number): void {
  const hour = hourOf(now);
  const bucket = (counts[String(hour)] ??= {});
  bucket[kind] = (bucket[kind] ?? 0) + 1;
  const oldest = hour - (HOURS_KEPT - 1) * 3_600_000;
  for (const h of Object.keys(counts)) if (Number(h) < oldest) delete counts[h];
}

export const RATE_WINDOW_MS = 10_000;

/** Dispatches received in the last ten seconds, as a rate. */
export class EventRate {
  private readonly at: number[] = [];

  record(now: number): void {
    this.at.push(now);
    // Pruned as it goes, so a shard nobody asks about does not keep a day of timestamps.
    if (this.at[0]! <= now - 2 * RATE_WINDOW_MS) this.prune(now);
  }

  perSecond(now: number): number {
    this.prune(now);
    return this.at.length / (RATE_WINDOW_MS / 1000);
  }

  private prune(now: number): void {
    let i = 0;
    while (i < this.at.length && this.at[i]! <= now - RATE_WINDOW_MS) i++;
    if (i) this.at.splice(0, i);
  }
}

/** The fan-out's side of a status (src/gateway/dispatcher.ts). */
export interface FanoutView {
  safeSeq(): number;
  readonly queued: number;
  readonly applied: number;
  readonly retries: number;
  readonly lag: LagHistogram;
}

/** A shard without a config is stopped, whatever its last session said. */
export function buildShardStatus(config: ShardConfig | null, session: SessionState, fanout: FanoutView, tally: DispatchTally, now: number): ShardStatus {
  return {
    shard: config ? [config.shardId, config.shardCount] : null,
    phase: config ? session.phase : 'stopped',
    seq: session.seq,
    safeSeq: fanout.safeSeq(),
    heartbeatLatencyMs: session.latencyMs,
    eventsPerSecond: tally.rate.perSecond(now),
    guilds: tally.guilds,
    queued: fanout.queued,
    generation: config?.generation ?? 1,
    shadow: config?.shadow === true,
    guildsPending: tally.arrivals.waiting,
    appliedEvents: fanout.applied,
    deliveryRetries: fanout.retries,
    applyLag: fanout.lag,
    fatal: session.fatal,
    countsPerHour: tally.counts,
  };
}

/** Where one dispatch goes, and whether READY's guilds have changed (a shadow shard may now be ready). */
export interface Routed {
  to: 'new-session' | 'interaction' | 'guild' | 'nowhere';
  guildId: string | null;
  arrivalsChanged: boolean;
}

/**
 * What a shard knows about the dispatches it received, apart from delivering
 * them: the live rate, hourly counts, READY's guild count and which of its
 * guilds have arrived. Routes each dispatch as it records it.
 */
export class DispatchTally {
  guilds = 0;
  readonly arrivals = new GuildArrivals();
  readonly rate = new EventRate();
  readonly counts: HourlyCounts;

  constructor(counts: HourlyCounts) {
    this.counts = counts;
  }

  route(t: string, d: unknown, now: number): Routed {
    this.rate.record(now);
    if (t === GatewayDispatchEvents.Ready) {
      const guilds = (d as GatewayReadyDispatchData).guilds;
      this.guilds = guilds.length;
      this.arrivals.expect(guilds.map((g) => g.id));
      return { to: 'new-session', guildId: null, arrivalsChanged: true };
    }
    const arrivalsChanged = t === GatewayDispatchEvents.GuildCreate && this.arrivals.arrived((d as { id: string }).id);
    if (t === GatewayDispatchEvents.InteractionCreate) return { to: 'interaction', guildId: null, arrivalsChanged };
    const kind = COUNTED[t];
    if (kind) countEvent(this.counts, kind, now);
    const guildId = guildOf(t, d);
    return { to: guildId ? 'guild' : 'nowhere', guildId, arrivalsChanged };
  }
}
