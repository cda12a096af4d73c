/**
 * The guild actor's saved replies, and the tables that let staff find
 * tickets by tag. Synchronous SQLite beside the ticket index.
 */
export const ORGANIZE_SCHEMA = `CREATE TABLE ticket_snippets (name TEXT PRIMARY KEY COLLATE NOCASE, content TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL);
   CREATE TABLE ticket_tags (tag TEXT NOT NULL, ticket_id TEXT NOT NULL, PRIMARY KEY (tag, ticket_id));
   CREATE INDEX ticket_tags_ticket ON ticket_tags(ticket_id);
   ALTER TABLE tickets ADD COLUMN tags TEXT;
   ALTER TABLE tickets ADD COLUMN category_name TEXT;`;

export interface Snippet {
  name: string;
  content: string;
  updatedBy: string;
  updatedAt: number;
}

export class SnippetStore {
  private readonly sql: SqlStorage;
  /** Read by every keystroke of /ticket reply's autocomplete: kept in memory, this actor being the only writer. */
  private cached: Snippet[] | null = null;
  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  all(): Snippet[] {
    this.cached ??= this.sql
      .exec<{ name: string; content: string; updated_by: string; updated_at: number }>(
        `SELECT name, content, updated_by, updated_at FROM ticket_snippets ORDER BY name COLLATE NOCASE`,
      )
      .toArray()
      .map((r) => ({ name: r.name, content: r.content, updatedBy: r.updated_by, updatedAt: r.updated_at }));
    return this.cached;
  }

  get(name: string): Snippet | null {
    const key = name.trim().toLowerCase();
    return this.all().find((s) => s.name.toLowerCase() === key) ?? null;
  }

  /** Inserts or replaces by name (any case); the name keeps the case it was first saved with. */
  save(s: Snippet): void {
    this.sql.exec(
      `INSERT INTO ticket_snippets (name, content, updated_by, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET content = excluded.content, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      s.name,
      s.content,
      s.updatedBy,
      s.updatedAt,
    );
    this.cached = null;
  }

  remove(name: string): boolean {
    const gone = this.sql.exec(`DELETE FROM ticket_snippets WHERE name = ? RETURNING name`, name.trim()).toArray().length > 0;
    this.cached = null;
    return gone;
  }
}
