import { JsonKv } from '../../runtime/kv.ts';
import type { Migration } from '../../runtime/migrations.ts';
import { type Capability, type Grant, isCapability } from './rules/capabilities.ts';
import type { Signal } from './rules/safety.ts';
import type { PanelKind, ServerSummary } from './panel/types.ts';

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
}

const DEFAULT_SETTINGS: ServerSettings = { allowKill: false };

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
      .map((r) => ({ id: r.id, name: r.name, kind: r.kind as PanelKind, url: r.url, sealedKey: r.sealed_key, mapping: r.mapping, addedBy: r.added_by, addedAt: r.added_at }));
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
    this.sql.exec(`DELETE FROM server_list WHERE panel_id = ?`, panelId);
    for (const s of list)
      this.sql.exec(
        `INSERT INTO server_list (panel_id, server_id, name, state, limits, fetched_at) VALUES (?, ?, ?, ?, ?, ?)`,
        panelId,
        s.id,
        s.name,
        s.state,
        s.limits ? JSON.stringify(s.limits) : null,
        at,
      );
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
    return { outcome: 'ok', c: { id: r.id, userId: r.user_id, signal: r.signal as Signal, panelId: r.panel_id, serverId: r.server_id, expiresAt: r.expires_at } };
  }

  /** Marks a confirmation used without acting (Cancel). */
  dropConfirmation(id: string): void {
    this.sql.exec(`UPDATE server_confirms SET used = 1 WHERE id = ?`, id);
  }

  /** Housekeeping: confirmations older than a day. */
  sweep(now: number): void {
    this.sql.exec(`DELETE FROM server_confirms WHERE expires_at < ?`, now - 86_400_000);
  }
}
