import { GatewayDispatchEvents, type GatewayGuildCreateDispatchData } from 'discord-api-types/v10';
import { now } from '../runtime/clock.ts';
import { JsonKv } from '../runtime/kv.ts';
import { COUNTED, type GatewayEvent, hourOf } from './events.ts';

/** The guild as its last GUILD_CREATE described it. */
export interface GuildSummary {
  id: string;
  name: string;
  ownerId: string;
  memberCount: number | undefined;
  channels: number;
  threads: number;
  roles: number;
  at: number;
}

export interface GatewaySummary {
  guild: GuildSummary | null;
  counts: { hour: number; kind: string; n: number }[];
}

/**
 * What the gateway has told a guild actor about its guild: the GUILD_CREATE
 * summary and hourly event counts. Counts of the batch being applied are kept
 * in memory and written with its sequence (one upsert per kind, not per
 * event), or dropped when the batch fails and will be redelivered.
 */
export class GuildRecord {
  private readonly pending = new Map<string, number>();
  private readonly sql: SqlStorage;
  private readonly info: JsonKv;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    this.info = new JsonKv(sql, 'guild_info');
  }

  /** One applied event: counted, and a GUILD_CREATE summarised. */
  record(e: GatewayEvent): void {
    const kind = COUNTED[e.t];
    if (kind) this.pending.set(kind, (this.pending.get(kind) ?? 0) + 1);
    if (e.t !== GatewayDispatchEvents.GuildCreate) return;
    const g = e.d as GatewayGuildCreateDispatchData;
    const summary: GuildSummary = {
      id: g.id,
      name: g.name,
      ownerId: g.owner_id,
      memberCount: g.member_count,
      channels: g.channels.length,
      threads: g.threads.length,
      roles: g.roles.length,
      at: now(),
    };
    this.info.set('guild', summary);
  }

  /** The batch was applied: its counts join the hour's. */
  write(): void {
    if (this.pending.size === 0) return;
    const hour = hourOf(now());
    for (const [kind, n] of this.pending)
      this.sql.exec(`INSERT INTO event_counts (hour, kind, n) VALUES (?, ?, ?) ON CONFLICT(hour, kind) DO UPDATE SET n = n + excluded.n`, hour, kind, n);
    this.pending.clear();
  }

  /** The batch failed and will come again: its counts must not be written twice. */
  discard(): void {
    this.pending.clear();
  }

  /** The GUILD_CREATE summary and the hourly counts of the last day. */
  summary(): GatewaySummary {
    const counts = this.sql
      .exec<{ hour: number; kind: string; n: number }>(
        `SELECT hour, kind, n FROM event_counts WHERE hour >= ? ORDER BY hour, kind`,
        hourOf(now()) - 23 * 3_600_000,
      )
      .toArray();
    return { guild: this.info.get<GuildSummary>('guild'), counts };
  }
}
