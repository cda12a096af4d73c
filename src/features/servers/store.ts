import { JsonKv } from '../../runtime/kv.ts';
import type { Migration } from '../../runtime/migrations.ts';
import type { PanelKind, ServerSummary } from './panel/types.ts';
import { type Capability, type Grant, isCapability } from './rules/capabilities.ts';
import { type Bucket, SPANS } from './rules/history.ts';
import type { Signal } from './rules/safety.ts';
import type { Recurrence, ScheduleAction, Weekday } from './rules/schedule.ts';

export const SERVERS_MIGRATIONS: readonly Migration[] = [
  {
    name: 'servers-schema',
    sql: `CREATE TABLE server_panels (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, url TEXT NOT NULL,
      sealed_key TEXT NOT NULL, mapping TEXT, added_by TEXT NOT NULL, added_at INTEGER NOT NULL);
    CREATE TABLE server_list (panel_id TEXT NOT NULL, server_id TEXT NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL,
      limits TEXT, fetched_at INTEGER NOT NULL, PRIMARY KEY (panel_id, server_id));
    CREATE TABLE server_grants (role_id TEXT NOT NULL, capability TEXT NOT NULL, PRIMARY KEY (role_id, capability));
    CREATE TABLE server_confirms (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, signal TEXT NOT NULL, panel_id TEXT NOT NULL,
      server_id TEXT NOT NULL, expires_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE server_settings (k TEXT PRIMARY KEY, v TEXT NOT NULL);`,
  },
  {
    name: 'servers-operations',
    sql: `CREATE TABLE server_schedules (id INTEGER PRIMARY KEY AUTOINCREMENT, panel_id TEXT NOT NULL, server_id TEXT NOT NULL,
      action TEXT NOT NULL, command TEXT, weekday TEXT, hour INTEGER NOT NULL, minute INTEGER NOT NULL, time_zone TEXT NOT NULL,
      channel_id TEXT, created_by TEXT NOT NULL, last_slot INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE server_displays (id INTEGER PRIMARY KEY AUTOINCREMENT, panel_id TEXT NOT NULL, server_id TEXT NOT NULL,
      channel_id TEXT NOT NULL, message_id TEXT, announce_channel_id TEXT, last_state TEXT, failures INTEGER NOT NULL DEFAULT 0,
      down_since INTEGER, created_by TEXT NOT NULL);
    CREATE TABLE server_samples (panel_id TEXT NOT NULL, server_id TEXT NOT NULL, bucket INTEGER NOT NULL, span INTEGER NOT NULL,
      n INTEGER NOT NULL, up INTEGER NOT NULL, cpu REAL NOT NULL, memory REAL NOT NULL, players REAL NOT NULL,
      PRIMARY KEY (panel_id, server_id, span, bucket));`,
  },
];

export interface PanelRow {
  id: string;
  name: string;
  kind: PanelKind;
  url: string;
  sealedKey: string;
  mapping: string | null;
  addedBy: string;
  addedAt: number;
}

export interface CachedServer extends ServerSummary {
  panelId: string;
  fetchedAt: number;
}

export interface Confirmation {
  id: string;
  userId: string;
  signal: Signal;
  panelId: string;
  serverId: string;
  expiresAt: number;
}

export interface ServerSettings {
  allowKill: boolean;
  /** Answer legacy prefix commands (`!start`) with the slash command that replaces them. */
  prefixHints: boolean;
  /** Signed server events go here (the secret is sealed under CONFIG_KEY in `webhookSecret`). */
  webhookUrl: string | null;
  webhookSecret: string | null;
}

const DEFAULT_SETTINGS: ServerSettings = { allowKill: false, prefixHints: false, webhookUrl: null, webhookSecret: null };

export interface ScheduleRow {
  id: number;
  panelId: string;
  serverId: string;
  action: ScheduleAction;
  command: string | null;
  recurrence: Recurrence;
  channelId: string | null;
  createdBy: string;
  lastSlot: number;
}

export interface DisplayRow {
  id: number;
  panelId: string;
  serverId: string;
  channelId: string;
  messageId: string | null;
  announceChannelId: string | null;
  lastState: string | null;
  failures: number;
  downSince: number | null;
  createdBy: string;
}

/** The servers feature's tables in the guild actor. */
export class ServersStore {
  private readonly sql: SqlStorage;
  private readonly kv: JsonKv;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    this.kv = new JsonKv(sql, 'server_settings');
  }

  panels(): PanelRow[] {
    return this.sql
      .exec<{ id: string; name: string; kind: string; url: string; sealed_key: string; mapping: string | null; added_by: string; added_at: number }>(
        `SELECT id, name, kind, url, sealed_key, mapping, added_by, added_at FROM server_panels ORDER BY added_at, id`,
      )
      .toArray()
      .map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind as PanelKind,
        url: r.url,
        sealedKey: r.sealed_key,
        mapping: r.mapping,
        addedBy: r.added_by,
        addedAt: r.added_at,
      }));
  }

  panel(id: string): PanelRow | undefined {
    return this.panels().find((p) => p.id === id);
  }

  addPanel(p: PanelRow): void {
    this.sql.exec(
      `INSERT INTO server_panels (id, name, kind, url, sealed_key, mapping, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      p.id,
      p.name,
      p.kind,
      p.url,
      p.sealedKey,
      p.mapping,
      p.addedBy,
      p.addedAt,
    );
  }

  /** Removes the panel, its sealed key and everything cached from it. */
  removePanel(id: string): boolean {
    const n = this.sql.exec(`DELETE FROM server_panels WHERE id = ?`, id).rowsWritten;
    this.sql.exec(`DELETE FROM server_list WHERE panel_id = ?`, id);
    this.sql.exec(`DELETE FROM server_confirms WHERE panel_id = ?`, id);
    this.sql.exec(`DELETE FROM server_schedules WHERE panel_id = ?`, id);
    this.sql.exec(`DELETE FROM server_displays WHERE panel_id = ?`, id);
    this.sql.exec(`DELETE FROM server_samples WHERE panel_id = ?`, id);
    return n > 0;
  }

  /** The servers last listed from each panel (autocomplete reads this when the actor was just woken). */
  servers(panelId?: string): CachedServer[] {
    const rows = this.sql
      .exec<{ panel_id: string; server_id: string; name: string; state: string; limits: string | null; fetched_at: number }>(
        `SELECT panel_id, server_id, name, state, limits, fetched_at FROM server_list ${panelId ? 'WHERE panel_id = ?' : ''} ORDER BY name`,
        ...(panelId ? [panelId] : []),
      )
      .toArray();
    return rows.map((r) => ({
      panelId: r.panel_id,
      id: r.server_id,
      name: r.name,
      state: r.state as CachedServer['state'],
      ...(r.limits ? { limits: JSON.parse(r.limits) as CachedServer['limits'] } : {}),
      fetchedAt: r.fetched_at,
    }));
  }

  replaceServers(panelId: string, list: readonly ServerSummary[], at: number): void {
    // Pterodactyl's list cannot tell running from offline; keep what the last resources read said.
    const known = new Map(this.servers(panelId).map((s) => [s.id, s.state]));
    this.sql.exec(`DELETE FROM server_list WHERE panel_id = ?`, panelId);
    for (const s of list)
      this.sql.exec(
        `INSERT INTO server_list (panel_id, server_id, name, state, limits, fetched_at) VALUES (?, ?, ?, ?, ?, ?)`,
        panelId,
        s.id,
        s.name,
        s.state === 'unknown' ? (known.get(s.id) ?? 'unknown') : s.state,
        s.limits ? JSON.stringify(s.limits) : null,
        at,
      );
  }

  /** A state read from a server's resources, so the list and autocomplete show it without asking the panel again. */
  setServerState(panelId: string, serverId: string, state: CachedServer['state']): void {
    this.sql.exec(`UPDATE server_list SET state = ? WHERE panel_id = ? AND server_id = ?`, state, panelId, serverId);
  }

  grants(): Grant[] {
    return this.sql
      .exec<{ role_id: string; capability: string }>(`SELECT role_id, capability FROM server_grants ORDER BY role_id, capability`)
      .toArray()
      .filter((r) => isCapability(r.capability))
      .map((r) => ({ roleId: r.role_id, capability: r.capability as Capability }));
  }

  grant(roleId: string, capability: Capability): boolean {
    return this.sql.exec(`INSERT OR IGNORE INTO server_grants (role_id, capability) VALUES (?, ?)`, roleId, capability).rowsWritten > 0;
  }

  revoke(roleId: string, capability: Capability | null): number {
    return capability
      ? this.sql.exec(`DELETE FROM server_grants WHERE role_id = ? AND capability = ?`, roleId, capability).rowsWritten
      : this.sql.exec(`DELETE FROM server_grants WHERE role_id = ?`, roleId).rowsWritten;
  }

  settings(): ServerSettings {
    return { ...DEFAULT_SETTINGS, ...(this.kv.get<Partial<ServerSettings>>('settings') ?? {}) };
  }

  saveSettings(s: ServerSettings): void {
    this.kv.set('settings', s);
  }

  lastPower(panelId: string, serverId: string): number | null {
    return this.kv.get<number>(`power:${panelId}/${serverId}`);
  }

  notePower(panelId: string, serverId: string, at: number): void {
    this.kv.set(`power:${panelId}/${serverId}`, at);
  }

  addConfirmation(c: Confirmation): void {
    this.sql.exec(
      `INSERT INTO server_confirms (id, user_id, signal, panel_id, server_id, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      c.id,
      c.userId,
      c.signal,
      c.panelId,
      c.serverId,
      c.expiresAt,
    );
  }

  /**
   * Takes a confirmation for use: only the first press of an unexpired one
   * gets it. The read and the mark happen with no await between them, so two
   * presses delivered together cannot both act.
   */
  takeConfirmation(id: string, now: number): { c: Confirmation; outcome: 'ok' } | { outcome: 'used' | 'expired' | 'unknown' } {
    const r = this.sql
      .exec<{ id: string; user_id: string; signal: string; panel_id: string; server_id: string; expires_at: number; used: number }>(
        `SELECT id, user_id, signal, panel_id, server_id, expires_at, used FROM server_confirms WHERE id = ?`,
        id,
      )
      .toArray()[0];
    if (!r) return { outcome: 'unknown' };
    if (r.used) return { outcome: 'used' };
    if (r.expires_at <= now) return { outcome: 'expired' };
    this.sql.exec(`UPDATE server_confirms SET used = 1 WHERE id = ?`, id);
    return {
      outcome: 'ok',
      c: { id: r.id, userId: r.user_id, signal: r.signal as Signal, panelId: r.panel_id, serverId: r.server_id, expiresAt: r.expires_at },
    };
  }

  /** Marks a confirmation used without acting (Cancel). */
  dropConfirmation(id: string): void {
    this.sql.exec(`UPDATE server_confirms SET used = 1 WHERE id = ?`, id);
  }

  /** Housekeeping: confirmations older than a day. */
  sweep(now: number): void {
    this.sql.exec(`DELETE FROM server_confirms WHERE expires_at < ?`, now - 86_400_000);
    this.trimSamples(now);
  }

  // ---- schedules ----

  schedules(): ScheduleRow[] {
    return this.sql
      .exec<{
        id: number;
        panel_id: string;
        server_id: string;
        action: string;
        command: string | null;
        weekday: string | null;
        hour: number;
        minute: number;
        time_zone: string;
        channel_id: string | null;
        created_by: string;
        last_slot: number;
      }>(`SELECT * FROM server_schedules ORDER BY id`)
      .toArray()
      .map((r) => ({
        id: r.id,
        panelId: r.panel_id,
        serverId: r.server_id,
        action: r.action as ScheduleAction,
        command: r.command,
        recurrence: { weekday: r.weekday as Weekday | null, hour: r.hour, minute: r.minute, timeZone: r.time_zone },
        channelId: r.channel_id,
        createdBy: r.created_by,
        lastSlot: r.last_slot,
      }));
  }

  schedule(id: number): ScheduleRow | undefined {
    return this.schedules().find((s) => s.id === id);
  }

  addSchedule(s: Omit<ScheduleRow, 'id' | 'lastSlot'>): number {
    const r = s.recurrence;
    return this.sql
      .exec<{ id: number }>(
        `INSERT INTO server_schedules (panel_id, server_id, action, command, weekday, hour, minute, time_zone, channel_id, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        s.panelId,
        s.serverId,
        s.action,
        s.command,
        r.weekday,
        r.hour,
        r.minute,
        r.timeZone,
        s.channelId,
        s.createdBy,
      )
      .one().id;
  }

  removeSchedule(id: number): boolean {
    return this.sql.exec(`DELETE FROM server_schedules WHERE id = ?`, id).rowsWritten > 0;
  }

  /** Claims one occurrence: true only the first time for a slot, so a retried or late timer never runs it twice. */
  claimSlot(id: number, slot: number): boolean {
    return this.sql.exec(`UPDATE server_schedules SET last_slot = ? WHERE id = ? AND last_slot < ?`, slot, id, slot).rowsWritten > 0;
  }

  // ---- usage history ----

  /** Adds one status sample to its 5-minute and hourly buckets. */
  addSample(panelId: string, serverId: string, at: number, s: { up: boolean; cpu: number; memory: number; players: number }): void {
    for (const span of [SPANS.fine, SPANS.hourly]) {
      this.sql.exec(
        `INSERT INTO server_samples (panel_id, server_id, span, bucket, n, up, cpu, memory, players) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)
         ON CONFLICT (panel_id, server_id, span, bucket) DO UPDATE SET n = n + 1, up = up + excluded.up, cpu = cpu + excluded.cpu,
         memory = memory + excluded.memory, players = players + excluded.players`,
        panelId,
        serverId,
        span.ms,
        at - (at % span.ms),
        s.up ? 1 : 0,
        s.cpu,
        s.memory,
        s.players,
      );
    }
  }

  buckets(panelId: string, serverId: string, spanMs: number, from: number): Bucket[] {
    return this.sql
      .exec<{ bucket: number; n: number; up: number; cpu: number; memory: number; players: number }>(
        `SELECT bucket, n, up, cpu, memory, players FROM server_samples WHERE panel_id = ? AND server_id = ? AND span = ? AND bucket >= ? ORDER BY bucket`,
        panelId,
        serverId,
        spanMs,
        from,
      )
      .toArray()
      .map((r) => ({ ...r }));
  }

  /** Keeps the history bounded: each span only as long as it is shown. */
  trimSamples(now: number): void {
    for (const span of [SPANS.fine, SPANS.hourly]) this.sql.exec(`DELETE FROM server_samples WHERE span = ? AND bucket < ?`, span.ms, now - span.keepMs);
  }

  // ---- displays ----

  displays(): DisplayRow[] {
    return this.sql
      .exec<{
        id: number;
        panel_id: string;
        server_id: string;
        channel_id: string;
        message_id: string | null;
        announce_channel_id: string | null;
        last_state: string | null;
        failures: number;
        down_since: number | null;
        created_by: string;
      }>(`SELECT * FROM server_displays ORDER BY id`)
      .toArray()
      .map((r) => ({
        id: r.id,
        panelId: r.panel_id,
        serverId: r.server_id,
        channelId: r.channel_id,
        messageId: r.message_id,
        announceChannelId: r.announce_channel_id,
        lastState: r.last_state,
        failures: r.failures,
        downSince: r.down_since,
        createdBy: r.created_by,
      }));
  }

  display(id: number): DisplayRow | undefined {
    return this.displays().find((d) => d.id === id);
  }

  addDisplay(d: Pick<DisplayRow, 'panelId' | 'serverId' | 'channelId' | 'announceChannelId' | 'createdBy'>): number {
    return this.sql
      .exec<{ id: number }>(
        `INSERT INTO server_displays (panel_id, server_id, channel_id, announce_channel_id, created_by) VALUES (?, ?, ?, ?, ?) RETURNING id`,
        d.panelId,
        d.serverId,
        d.channelId,
        d.announceChannelId,
        d.createdBy,
      )
      .one().id;
  }

  updateDisplay(d: DisplayRow): void {
    this.sql.exec(
      `UPDATE server_displays SET message_id = ?, last_state = ?, failures = ?, down_since = ? WHERE id = ?`,
      d.messageId,
      d.lastState,
      d.failures,
      d.downSince,
      d.id,
    );
  }

  removeDisplay(id: number): boolean {
    return this.sql.exec(`DELETE FROM server_displays WHERE id = ?`, id).rowsWritten > 0;
  }
}
