/**
 * Small JSON values by key in an actor's `(k TEXT PRIMARY KEY, v TEXT)` table
 * (settings, session, plans). The table name is the caller's constant, never
 * input; it is checked so a typo fails at construction, not as SQL later.
 */
export class JsonKv {
  private readonly sql: SqlStorage;
  private readonly table: string;
  /**
   * The stored text by key (null: absent), when this instance is the table's only reader and writer in its
   * actor: reads then cost no SQL call (tens of µs each in workerd). Text, not objects, so callers never share one.
   */
  private readonly known: Map<string, string | null> | null;

  constructor(sql: SqlStorage, table: string, opts: { soleWriter?: boolean } = {}) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`JsonKv: bad table name ${table}`);
    this.sql = sql;
    this.table = table;
    this.known = opts.soleWriter ? new Map() : null;
  }

  get<T>(k: string): T | null {
    let text = this.known?.get(k);
    if (text === undefined) {
      text = this.sql.exec<{ v: string }>(`SELECT v FROM ${this.table} WHERE k = ?`, k).toArray()[0]?.v ?? null;
      this.known?.set(k, text);
    }
    return text === null ? null : (JSON.parse(text) as T);
  }

  set(k: string, v: unknown): void {
    const text = JSON.stringify(v);
    this.sql.exec(`INSERT INTO ${this.table} (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, k, text);
    this.known?.set(k, text);
  }

  delete(k: string): void {
    this.sql.exec(`DELETE FROM ${this.table} WHERE k = ?`, k);
    this.known?.set(k, null);
  }
}
