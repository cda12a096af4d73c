/**
 * The guild's locale, for what Guildkeep posts in its channels (control
 * messages, mod log, alerts, approval requests). Discord tells it in two
 * places: `guild_locale` on every guild interaction and `preferred_locale` in
 * GUILD_CREATE; the guild actor keeps the latest in its `guild_info` table.
 */
const KEY = 'locale';

/** Stores the guild's locale when it changed (one read per call, a write only on change). */
export function rememberGuildLocale(sql: SqlStorage, locale: string | null | undefined): void {
  if (!locale) return;
  if (guildLocale(sql) === locale) return;
  sql.exec(`INSERT OR REPLACE INTO guild_info (k, v) VALUES (?, ?)`, KEY, locale);
}

/** The guild's locale as last seen, or undefined (then messages are in English). */
export function guildLocale(sql: SqlStorage): string | undefined {
  return sql.exec<{ v: string }>(`SELECT v FROM guild_info WHERE k = ?`, KEY).toArray()[0]?.v;
}
