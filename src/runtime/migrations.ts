import { now } from './clock.ts';

/** One schema change, known by its name within its feature forever (never renamed, never edited once shipped). */
export interface Migration {
  name: string;
  sql: string;
}

/** The migrations one owner (a feature, or the actor itself as "core") brings to an actor. */
export interface MigrationSet {
  feature: string;
  migrations: readonly Migration[];
}

/**
 * Before named migrations, an actor numbered its migrations by position in
 * one list (`_migrations.version`). This maps those positions, in order, to
 * the names they have now, so an old database is recognised, not re-migrated.
 */
export type LegacyPositions = readonly (readonly [feature: string, name: string])[];

/**
 * Applies every migration not yet recorded in `_feature_migrations`, each
 * set in order, and records it by (feature, name): adding a migration to one
 * feature never shifts another's. A database still carrying the positional
 * `_migrations` table is first mapped onto names through `legacy`.
 * Synchronous and in one transaction: safe in a constructor, all or nothing.
 */
export function migrateFeatures(sql: SqlStorage, storage: DurableObjectStorage, sets: readonly MigrationSet[], legacy: LegacyPositions = []): void {
  storage.transactionSync(() => {
    // In workerd each exec costs far more than a small statement does (tens of µs), and every new ticket is a
    // new actor: one look at what exists, and the records of what ran in as few calls as the parameter limit allows.
    const has = new Set(
      sql
        .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('_feature_migrations', '_migrations')`)
        .toArray()
        .map((r) => r.name),
    );
    if (!has.has('_feature_migrations'))
      sql.exec(`CREATE TABLE _feature_migrations (feature TEXT NOT NULL, name TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (feature, name))`);
    if (has.has('_migrations')) adoptLegacy(sql, legacy);
    const done =
      has.size === 0
        ? new Set<string>()
        : new Set(
            sql
              .exec<{ feature: string; name: string }>(`SELECT feature, name FROM _feature_migrations`)
              .toArray()
              .map((r) => `${r.feature}\u0000${r.name}`),
          );
    const pending = sets.flatMap((set) => set.migrations.filter((m) => !done.has(`${set.feature}\u0000${m.name}`)).map((m) => [set.feature, m] as const));
    if (pending.length === 0) return;
    for (const [, m] of pending) sql.exec(m.sql);
    const at = now();
    for (let i = 0; i < pending.length; i += RECORDS_PER_INSERT) {
      const chunk = pending.slice(i, i + RECORDS_PER_INSERT);
      sql.exec(
        `INSERT INTO _feature_migrations (feature, name, at) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
        ...chunk.flatMap(([feature, m]) => [feature, m.name, at]),
      );
    }
  });
}

/** Durable Object SQL takes at most 100 bound parameters per statement; a record has 3. */
const RECORDS_PER_INSERT = 33;

/** The names of the migrations an actor's database has, by feature (for tests and diagnostics). */
export function appliedMigrations(sql: SqlStorage): { feature: string; name: string }[] {
  return sql.exec<{ feature: string; name: string }>(`SELECT feature, name FROM _feature_migrations ORDER BY at, feature, name`).toArray();
}

function adoptLegacy(sql: SqlStorage, legacy: LegacyPositions): void {
  const rows = sql.exec<{ version: number; at: number }>(`SELECT version, at FROM _migrations ORDER BY version`).toArray();
  for (const r of rows) {
    const named = legacy[r.version - 1];
    // A position this code does not know was written by newer code: refuse rather than guess (the transaction rolls back).
    if (!named) throw new Error(`migrations: the database has positional migration ${r.version}, which this code does not know`);
    sql.exec(`INSERT OR IGNORE INTO _feature_migrations (feature, name, at) VALUES (?, ?, ?)`, named[0], named[1], r.at);
  }
  sql.exec(`DROP TABLE _migrations`);
}
