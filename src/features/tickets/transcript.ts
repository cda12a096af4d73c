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
  /** Files on the Discord message: listed in transcripts, never downloaded. */
  attachments: TranscriptAttachment[];
}

/** A file on a ticket message, as the transcript lists it. */
export interface TranscriptAttachment {
  /** Masked like the content. */
  filename: string;
  size: number;
  /** Discord's URL; null when the file name had personal data in it (the URL repeats the name). */
  url: string | null;
}

export const TRANSCRIPT_SCHEMA = `CREATE TABLE transcript (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, author_id TEXT NOT NULL,
  author_name TEXT NOT NULL, content TEXT NOT NULL, discord_message_id TEXT UNIQUE)`;

/** Replies Discord refused carry the reason (added after the first release: a migration of its own). */
export const TRANSCRIPT_ERROR_MIGRATION = `ALTER TABLE transcript ADD COLUMN error TEXT`;

/** Attachments of a message (JSON list), for the HTML transcript: a migration of its own. */
export const TRANSCRIPT_ATTACHMENTS_MIGRATION = `ALTER TABLE transcript ADD COLUMN attachments TEXT`;

/** Masks a file's name as content is masked; its URL is kept only when the name needed no masking. */
export function maskAttachment(a: { filename: string; size: number; url: string }): TranscriptAttachment {
  const filename = maskPersonalData(a.filename);
  return { filename, size: a.size, url: filename === a.filename ? a.url : null };
}

type Row = {
  id: number;
  at: number;
  kind: string;
  author_id: string;
  author_name: string;
  content: string;
  discord_message_id: string | null;
  error: string | null;
  attachments: string | null;
};

export class Transcript {
  private readonly sql: SqlStorage;
  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  /** Adds a line (masked); a Discord message seen twice (gateway replay) is stored once. Returns the new id, or null if already there. */
  add(e: Omit<TranscriptEntry, 'id' | 'error' | 'attachments'> & { attachments?: readonly { filename: string; size: number; url: string }[] }): number | null {
    const files = (e.attachments ?? []).map(maskAttachment);
    const rows = this.sql
      .exec<{ id: number }>(
        `INSERT INTO transcript (at, kind, author_id, author_name, content, discord_message_id, attachments) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(discord_message_id) DO NOTHING RETURNING id`,
        e.at,
        e.kind,
        e.authorId,
        e.authorName,
        maskPersonalData(e.content),
        e.discordMessageId,
        files.length ? JSON.stringify(files) : null,
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

  /** How many lines the conversation has (a transcript file may hold more than the page shows). */
  count(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM transcript`).one().n;
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
    attachments: r.attachments ? (JSON.parse(r.attachments) as TranscriptAttachment[]) : [],
  };
}
