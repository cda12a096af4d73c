/** The Telegram feature's tables in the guild actor. */
export const TELEGRAM_SCHEMA = `
CREATE TABLE IF NOT EXISTS telegram_settings (k INTEGER PRIMARY KEY CHECK (k = 1), chat_id TEXT);
CREATE TABLE IF NOT EXISTS telegram_links (telegram_user_id TEXT PRIMARY KEY, discord_user_id TEXT NOT NULL, linked_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS telegram_link_codes (code TEXT PRIMARY KEY, discord_user_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS telegram_posts (approval_id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, message_id INTEGER, created_at INTEGER NOT NULL DEFAULT 0);
`;

/** How long we remember which Telegram message shows an approval. */
export const POST_RETENTION_MS = 30 * 24 * 3_600_000;

export interface TelegramPost {
  approvalId: string;
  chatId: string;
  /** Null until Telegram has accepted the message. */
  messageId: number | null;
}

export class TelegramStore {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  chatId(): string | null {
    return this.sql.exec<{ chat_id: string | null }>(`SELECT chat_id FROM telegram_settings WHERE k = 1`).toArray()[0]?.chat_id ?? null;
  }

  setChatId(chatId: string | null): void {
    this.sql.exec(`INSERT INTO telegram_settings (k, chat_id) VALUES (1, ?) ON CONFLICT(k) DO UPDATE SET chat_id = excluded.chat_id`, chatId);
  }

  /** Replaces the member's earlier unused code: one live code per member. */
  addCode(code: string, discordUserId: string, expiresAt: number): void {
    this.sql.exec(`DELETE FROM telegram_link_codes WHERE discord_user_id = ?`, discordUserId);
    this.sql.exec(`INSERT INTO telegram_link_codes (code, discord_user_id, expires_at) VALUES (?, ?, ?)`, code, discordUserId, expiresAt);
  }

  /** Uses a code up (whether or not it was still good): the Discord member it was for, or null. */
  takeCode(code: string, now: number): string | null {
    const row = this.sql
      .exec<{ discord_user_id: string; expires_at: number }>(`SELECT discord_user_id, expires_at FROM telegram_link_codes WHERE code = ?`, code)
      .toArray()[0];
    if (!row) return null;
    this.sql.exec(`DELETE FROM telegram_link_codes WHERE code = ?`, code);
    return row.expires_at > now ? row.discord_user_id : null;
  }

  /** One Telegram account per Discord member: linking again moves the link. */
  link(telegramUserId: string, discordUserId: string, now: number): void {
    this.sql.exec(`DELETE FROM telegram_links WHERE discord_user_id = ?`, discordUserId);
    this.sql.exec(`INSERT OR REPLACE INTO telegram_links (telegram_user_id, discord_user_id, linked_at) VALUES (?, ?, ?)`, telegramUserId, discordUserId, now);
  }

  unlink(discordUserId: string): boolean {
    return this.sql.exec(`DELETE FROM telegram_links WHERE discord_user_id = ?`, discordUserId).rowsWritten > 0;
  }

  discordUserOf(telegramUserId: string): string | null {
    return (
      this.sql.exec<{ discord_user_id: string }>(`SELECT discord_user_id FROM telegram_links WHERE telegram_user_id = ?`, telegramUserId).toArray()[0]
        ?.discord_user_id ?? null
    );
  }

  isLinked(discordUserId: string): boolean {
    return this.sql.exec(`SELECT 1 FROM telegram_links WHERE discord_user_id = ?`, discordUserId).toArray().length > 0;
  }

  linkCount(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM telegram_links`).one().n;
  }

  post(approvalId: string): TelegramPost | null {
    const row = this.sql
      .exec<{ approval_id: string; chat_id: string; message_id: number | null }>(`SELECT * FROM telegram_posts WHERE approval_id = ?`, approvalId)
      .toArray()[0];
    return row ? { approvalId: row.approval_id, chatId: row.chat_id, messageId: row.message_id } : null;
  }

  /** Adds or updates the post of an approval (`now`: when it was first queued; kept on updates). */
  savePost(p: TelegramPost, now: number): void {
    this.sql.exec(
      `INSERT INTO telegram_posts (approval_id, chat_id, message_id, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(approval_id) DO UPDATE SET chat_id = excluded.chat_id, message_id = excluded.message_id`,
      p.approvalId,
      p.chatId,
      p.messageId,
      now,
    );
  }

  /**
   * The daily sweep: expired codes, and the message ids of posts older than
   * POST_RETENTION_MS (approvals expire within 7 days, so those are final).
   */
  sweep(now: number): void {
    this.sql.exec(`DELETE FROM telegram_link_codes WHERE expires_at <= ?`, now);
    this.sql.exec(`DELETE FROM telegram_posts WHERE created_at <= ?`, now - POST_RETENTION_MS);
  }
}
