import type { AlertKind, AlertRoute, Fold } from './rules.ts';

/** The alert desk's tables in the guild actor: one route per kind, and the folds (one Discord message each). */
export const ALERTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS alert_routes (kind TEXT PRIMARY KEY, route TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alert_folds (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, last_at INTEGER NOT NULL, fold TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alert_folds_kind ON alert_folds (kind, id);
`;

/** How long a finished fold is remembered (its message is never edited again after its window). */
export const FOLD_RETENTION_MS = 7 * 24 * 3_600_000;

export class AlertsStore {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  routes(): AlertRoute[] {
    return this.sql
      .exec<{ route: string }>(`SELECT route FROM alert_routes ORDER BY kind`)
      .toArray()
      .map((r) => JSON.parse(r.route) as AlertRoute);
  }

  route(kind: AlertKind): AlertRoute | null {
    const r = this.sql.exec<{ route: string }>(`SELECT route FROM alert_routes WHERE kind = ?`, kind).toArray()[0];
    return r ? (JSON.parse(r.route) as AlertRoute) : null;
  }

  setRoute(r: AlertRoute): void {
    this.sql.exec(`INSERT INTO alert_routes (kind, route) VALUES (?, ?) ON CONFLICT(kind) DO UPDATE SET route = excluded.route`, r.kind, JSON.stringify(r));
  }

  /** Whether a route was there to remove. */
  clearRoute(kind: AlertKind): boolean {
    return this.sql.exec(`DELETE FROM alert_routes WHERE kind = ?`, kind).rowsWritten > 0;
  }

  /** The kind's latest fold (the one a new alert may join). */
  openFold(kind: AlertKind): Fold | null {
    const r = this.sql.exec<{ fold: string }>(`SELECT fold FROM alert_folds WHERE kind = ? ORDER BY id DESC LIMIT 1`, kind).toArray()[0];
    return r ? (JSON.parse(r.fold) as Fold) : null;
  }

  fold(id: number): Fold | null {
    const r = this.sql.exec<{ fold: string }>(`SELECT fold FROM alert_folds WHERE id = ?`, id).toArray()[0];
    return r ? (JSON.parse(r.fold) as Fold) : null;
  }

  nextFoldId(): number {
    return (this.sql.exec<{ m: number | null }>(`SELECT MAX(id) AS m FROM alert_folds`).one().m ?? 0) + 1;
  }

  saveFold(f: Fold): void {
    this.sql.exec(
      `INSERT INTO alert_folds (id, kind, last_at, fold) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET last_at = excluded.last_at, fold = excluded.fold`,
      f.id,
      f.kind,
      f.lastAt,
      JSON.stringify(f),
    );
  }

  /** Drops folds whose last alert is older than the retention. */
  sweep(now: number): void {
    this.sql.exec(`DELETE FROM alert_folds WHERE last_at < ?`, now - FOLD_RETENTION_MS);
  }
}
