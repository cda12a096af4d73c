import { type GatewayEvent, unseen } from './events.ts';
import { type BatchRoute, type DeliveryTag, eventFingerprint, routeBatch, unseenHeld } from './handover.ts';

/** Tables of the guild actor's gateway intake (appended to its migrations). */
export const GATEWAY_INBOX_MIGRATION = `
  CREATE TABLE gateway_owner (k TEXT PRIMARY KEY, generation INTEGER NOT NULL);
  CREATE TABLE handover_held (id INTEGER PRIMARY KEY AUTOINCREMENT, generation INTEGER NOT NULL, s INTEGER NOT NULL, t TEXT NOT NULL, d TEXT NOT NULL);
  CREATE TABLE handover_seen (fp TEXT PRIMARY KEY, n INTEGER NOT NULL);`;

/**
 * Effects the actor buffers in memory per event and writes once per batch
 * (counters): written together with the applied sequence, so they are stored
 * exactly when the events are, and dropped with a failed batch.
 */
export interface BatchEffects {
  write(): void;
  discard(): void;
}

/** A batch from a shard that predates generations (or a direct call): generation 1, in charge. */
export const LEGACY_TAG: DeliveryTag = { generation: 1, shadow: false, recording: false };

export interface Received {
  applied: number;
  skipped: number;
  held: number;
  route: BatchRoute;
}

/**
 * The guild actor's intake of gateway batches: exactly once per shard session
 * (the last applied sequence is stored with the effects), and exactly once
 * across a re-shard (see src/gateway/handover.ts). `applyOne` is the actor's
 * handler for one event; it may be async (it then may interleave with other
 * calls, so batches are taken one at a time here).
 */
export class GatewayInbox {
  private readonly sql: SqlStorage;
  private readonly applyOne: (e: GatewayEvent) => void | Promise<void>;
  private readonly effects: readonly BatchEffects[];
  private tail: Promise<unknown> = Promise.resolve();
  /**
   * Write-through copies of the owner and the recent sessions' last applied
   * sequence: every batch reads them, and this actor is their only writer.
   */
  private ownerCache: number | null | undefined;
  private readonly lastApplied = new Map<string, number>();

  constructor(sql: SqlStorage, applyOne: (e: GatewayEvent) => void | Promise<void>, effects: readonly BatchEffects[] = []) {
    this.sql = sql;
    this.applyOne = applyOne;
    this.effects = effects;
  }

  receive(shard: number, session: string, events: GatewayEvent[], tag: DeliveryTag = LEGACY_TAG): Promise<Received> {
    const run = this.tail.then(() =>
      this.take(shard, session, events, tag).catch((err: unknown) => {
        // What the failed event's steps buffered is not written: the batch is retried.
        for (const e of this.effects) e.discard();
        throw err;
      }),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }

  owner(): number | null {
    if (this.ownerCache === undefined)
      this.ownerCache = this.sql.exec<{ generation: number }>(`SELECT generation FROM gateway_owner WHERE k = 'owner'`).toArray()[0]?.generation ?? null;
    return this.ownerCache;
  }

  private lastSeq(shard: number, session: string): number {
    const key = `${shard}:${session}`;
    let seq = this.lastApplied.get(key);
    if (seq === undefined) {
      seq = this.sql.exec<{ seq: number }>(`SELECT seq FROM gateway_applied WHERE shard = ? AND session = ?`, shard, session).toArray()[0]?.seq ?? 0;
      this.remember(key, seq);
    }
    return seq;
  }

  private saveSeq(shard: number, session: string, seq: number): void {
    for (const e of this.effects) e.write();
    this.sql.exec(
      `INSERT INTO gateway_applied (shard, session, seq) VALUES (?, ?, ?) ON CONFLICT(shard, session) DO UPDATE SET seq = excluded.seq`,
      shard,
      session,
      seq,
    );
    this.remember(`${shard}:${session}`, seq);
  }

  /** A few sessions are live at a time (one per shard, two during a handover); older ones are read again if ever needed. */
  private remember(key: string, seq: number): void {
    this.lastApplied.delete(key);
    this.lastApplied.set(key, seq);
    if (this.lastApplied.size > 16) this.lastApplied.delete(this.lastApplied.keys().next().value!);
  }

  private async take(shard: number, session: string, events: GatewayEvent[], tag: DeliveryTag): Promise<Received> {
    const route = routeBatch(this.owner(), tag);
    if (route === 'stale') return { applied: 0, skipped: events.length, held: 0, route };
    if (route === 'cutover') await this.cutover(tag.generation);
    const sql = this.sql;
    const last = this.lastSeq(shard, session);
    const fresh = unseen(events, last);
    const saveSeq = (seq: number) => this.saveSeq(shard, session, seq);
    let applied = last;
    for (const e of fresh) {
      if (route === 'hold') {
        sql.exec(`INSERT INTO handover_held (generation, s, t, d) VALUES (?, ?, ?, ?)`, tag.generation, e.s, e.t, JSON.stringify(e.d ?? null));
      } else {
        const pending = this.applyOne(e);
        // The applied sequence is written with the effects: before each await
        // (so a failure mid-batch keeps what was applied) and once at the end.
        if (pending) {
          if (applied !== last) saveSeq(applied);
          await pending;
        }
        if (tag.recording) this.fingerprint(e);
      }
      applied = e.s;
    }
    if (applied !== last) saveSeq(applied);
    const n = fresh.length;
    return route === 'hold' ? { applied: 0, skipped: events.length - n, held: n, route } : { applied: n, skipped: events.length - n, held: 0, route };
  }

  private fingerprint(e: GatewayEvent): void {
    this.sql.exec(`INSERT INTO handover_seen (fp, n) VALUES (?, 1) ON CONFLICT(fp) DO UPDATE SET n = n + 1`, eventFingerprint(e.t, e.d));
  }

  /**
   * Hands the guild to `generation`: applies its held events the old set did
   * not apply, in order. The skipped ones and the fingerprints go first, in
   * one synchronous step; each remaining event's row goes once it is applied,
   * so a failure part-way resumes where it stopped.
   */
  private async cutover(generation: number): Promise<void> {
    const sql = this.sql;
    const rows = sql
      .exec<{ id: number; s: number; t: string; d: string }>(`SELECT id, s, t, d FROM handover_held WHERE generation = ? ORDER BY id`, generation)
      .toArray();
    const seen = new Map(
      sql
        .exec<{ fp: string; n: number }>(`SELECT fp, n FROM handover_seen`)
        .toArray()
        .map((r) => [r.fp, r.n]),
    );
    const events = rows.map((r) => ({ s: r.s, t: r.t, d: JSON.parse(r.d) as unknown, id: r.id }));
    const keep = new Set(unseenHeld(events, seen));
    for (const e of events) if (!keep.has(e)) sql.exec(`DELETE FROM handover_held WHERE id = ?`, e.id);
    sql.exec(`DELETE FROM handover_seen`);
    for (const e of events) {
      if (!keep.has(e)) continue;
      await this.applyOne(e);
      for (const e of this.effects) e.write();
      sql.exec(`DELETE FROM handover_held WHERE id = ?`, e.id);
    }
    sql.exec(`DELETE FROM handover_held WHERE generation < ?`, generation);
    sql.exec(`INSERT INTO gateway_owner (k, generation) VALUES ('owner', ?) ON CONFLICT(k) DO UPDATE SET generation = excluded.generation`, generation);
    this.ownerCache = generation;
  }
}
