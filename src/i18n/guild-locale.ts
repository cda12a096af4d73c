/**
 * The guild's locale, for what Guildkeep posts in its channels (control
 * messages, mod log, alerts, approval requests). Discord tells it in two
 * places: `guild_locale` on every guild interaction and `preferred_locale` in
 * GUILD_CREATE; the guild actor keeps the latest in its `guild_info` table.
 */
const KEY = 'locale';

/** Stores the guild's locale when it changed (a write only on change). */
export function rememberGuildLocale(sql: SqlStorage, locale: string | null | undefined): void {
  if (!locale) return;
  if (guildLocale(sql) === locale) return;
  sql.exec(`INSERT OR REPLACE INTO guild_info (k, v) VALUES (?, ?)`, KEY, locale);
  known.set(sql, locale);
}

/**
 * The locale as this actor instance last read or wrote it: asked on every
 * interaction, and the actor is the only writer of its own database.
 */
const known = new WeakMap<SqlStorage, string | undefined>();

/** The guild's locale as last seen, or undefined (then messages are in English). */
export function guildLocale(sql: SqlStorage): string | undefined {
  if (known.has(sql)) return known.get(sql);
  const v = sql.exec<{ v: string }>(`SELECT v FROM guild_info WHERE k = ?`, KEY).toArray()[0]?.v;
  known.set(sql, v);
  return v;
}
