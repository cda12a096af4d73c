/**
 * Small JSON values by key in an actor's `(k TEXT PRIMARY KEY, v TEXT)` table
 * (settings, session, plans). The table name is the caller's constant, never
 * input; it is checked so a typo fails at construction, not as SQL later.
 */
export class JsonKv {
  private readonly sql: SqlStorage;
  private readonly table: string;

  constructor(sql: SqlStorage, table: string) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`JsonKv: bad table name ${table}`);
    this.sql = sql;
    this.table = table;
  }

  get<T>(k: string): T | null {
    const row = this.sql.exec<{ v: string }>(`SELECT v FROM ${this.table} WHERE k = ?`, k).toArray()[0];
    return row ? (JSON.parse(row.v) as T) : null;
  }

  set(k: string, v: unknown): void {
    this.sql.exec(`INSERT INTO ${this.table} (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, k, JSON.stringify(v));
  }

  delete(k: string): void {
    this.sql.exec(`DELETE FROM ${this.table} WHERE k = ?`, k);
  }
}
