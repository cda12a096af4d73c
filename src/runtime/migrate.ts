/**
 * Applies schema migrations in order and records them in our own table
 * (`PRAGMA user_version` is not available in Durable Object SQLite).
 * Synchronous: safe to call from a constructor without blocking on I/O.
 */
export function migrate(sql: SqlStorage, storage: DurableObjectStorage, migrations: readonly string[]): void {
  storage.transactionSync(() => {
    sql.exec(`CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, at INTEGER NOT NULL)`);
    const done = sql.exec<{ v: number | null }>(`SELECT MAX(version) AS v FROM _migrations`).one().v ?? 0;
    for (let v = done + 1; v <= migrations.length; v++) {
      sql.exec(migrations[v - 1]!);
      sql.exec(`INSERT INTO _migrations (version, at) VALUES (?, ?)`, v, Date.now());
    }
  });
}
