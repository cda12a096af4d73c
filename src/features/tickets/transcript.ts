import { maskPersonalData } from '../audit/mask.ts';

/** One line of a ticket's conversation: the member, staff (in Discord or from the inbox), or a staff-only note. */
export interface TranscriptEntry {
  id: number;
  at: number;
  kind: 'member' | 'staff' | 'note';
  authorId: string;
  authorName: string;
  /** Masked before it was stored. */
  content: string;
  /** The Discord message, once it exists (staff replies from the inbox get one after posting). */
  discordMessageId: string | null;
  /** Why Discord refused to post this staff reply, for good (shown to staff); null otherwise. */
  error: string | null;
}

export const TRANSCRIPT_SCHEMA = `CREATE TABLE transcript (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, author_id TEXT NOT NULL,
  author_name TEXT NOT NULL, content TEXT NOT NULL, discord_message_id TEXT UNIQUE)`;

/** Replies Discord refused carry the reason (added after the first release: a migration of its own). */
export const TRANSCRIPT_ERROR_MIGRATION = `ALTER TABLE transcript ADD COLUMN error TEXT`;

type Row = {
  id: number;
  at: number;
  kind: string;
  author_id: string;
  author_name: string;
  content: string;
  discord_message_id: string | null;
  error: string | null;
};

export class Transcript {
  private readonly sql: SqlStorage;
  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  /** Adds a line (masked); a Discord message seen twice (gateway replay) is stored once. Returns the new id, or null if already there. */
  add(e: Omit<TranscriptEntry, 'id' | 'error'>): number | null {
    const rows = this.sql
      .exec<{ id: number }>(
        `INSERT INTO transcript (at, kind, author_id, author_name, content, discord_message_id) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(discord_message_id) DO NOTHING RETURNING id`,
        e.at,
        e.kind,
        e.authorId,
        e.authorName,
        maskPersonalData(e.content),
        e.discordMessageId,
      )
      .toArray();
    return rows[0]?.id ?? null;
  }

  get(id: number): TranscriptEntry | null {
    const r = this.sql.exec<Row>(`SELECT * FROM transcript WHERE id = ?`, id).toArray()[0];
    return r ? fromRow(r) : null;
  }

  setDiscordMessage(id: number, messageId: string): void {
    this.sql.exec(`UPDATE transcript SET discord_message_id = ? WHERE id = ?`, messageId, id);
  }

  /** Records that Discord refused to post this line (a staff reply), so staff see why it never arrived. */
  setError(id: number, error: string): void {
    this.sql.exec(`UPDATE transcript SET error = ? WHERE id = ?`, error, id);
  }

  all(limit = 500): TranscriptEntry[] {
    return this.sql.exec<Row>(`SELECT * FROM (SELECT * FROM transcript ORDER BY id DESC LIMIT ?) ORDER BY id`, limit).toArray().map(fromRow);
  }

  /** Retention: drop the conversation, keep the ticket record. */
  purge(): number {
    return this.sql.exec(`DELETE FROM transcript`).rowsWritten;
  }
}

function fromRow(r: Row): TranscriptEntry {
  return {
    id: r.id,
    at: r.at,
    kind: r.kind as TranscriptEntry['kind'],
    authorId: r.author_id,
    authorName: r.author_name,
    content: r.content,
    discordMessageId: r.discord_message_id,
    error: r.error ?? null,
  };
}
