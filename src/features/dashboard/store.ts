import { bytesToHex } from '../../lib/hex.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { open, seal } from '../servers/rules/secret-box.ts';
import { fetchUserGuilds, type OAuthClient, type OAuthError, refreshTokens, revokeToken, type TokenSet } from './discord-oauth.ts';
import { fresh, GUILDS_CACHE_MS, randomToken, SESSION_TTL_S, type UserGuild } from './rules.ts';

/** The session actor's schema: its sessions, the user's Discord grant (sealed), and Discord's cached answers. */
export const SESSION_MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, created INTEGER NOT NULL, expires INTEGER NOT NULL, revoked INTEGER)`,
  `CREATE TABLE grant_row (k INTEGER PRIMARY KEY CHECK (k = 1), user_id TEXT NOT NULL, name TEXT NOT NULL, sealed TEXT NOT NULL, access_expires INTEGER NOT NULL)`,
  `CREATE TABLE cache (k TEXT PRIMARY KEY, at INTEGER NOT NULL, v TEXT NOT NULL)`,
];

/** What the session store needs from its actor: storage, the clock, Discord (as the user and as the bot) and the sealing key. */
export interface SessionHost {
  sql: SqlStorage;
  now(): number;
  /** Seals the Discord tokens at rest (SESSION_SECRET). */
  sealKey: string;
  client: OAuthClient;
  /** The ids of the guilds Guildkeep is in (the bot's own GET /users/@me/guilds). */
  botGuildIds(): Promise<Result<string[], OAuthError>>;
}

export interface SessionUser {
  userId: string;
  name: string;
}

/** Why a session's request cannot be answered: no valid session, Discord refused the grant (log in again), or Discord is unreachable. */
export type SessionProblem = 'no-session' | 'relogin' | 'unavailable';

export interface GuildsAnswer {
  user: SessionUser;
  guilds: UserGuild[];
  botGuildIds: string[];
}

async function hashId(sessionId: string): Promise<string> {
  return bytesToHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sessionId)));
}

/**
 * One user's dashboard sessions, in that user's SessionActor. Session ids are
 * stored only as SHA-256 hashes; the Discord tokens only sealed (AES-GCM
 * under SESSION_SECRET). Discord's answers about the user's guilds and the
 * bot's are trusted for GUILDS_CACHE_MS, then asked again.
 */
export class SessionStore {
  private readonly host: SessionHost;
  /** Discord answers being fetched now (memory only: a load lost with the actor is simply asked again). */
  private readonly loading = new Map<string, Promise<Result<unknown, SessionProblem>>>();

  constructor(host: SessionHost) {
    this.host = host;
  }

  /** A new session for a user who just logged in with these tokens; returns the session id (the cookie's secret part). */
  async open(user: SessionUser, tokens: TokenSet): Promise<string> {
    const now = this.host.now();
    // One grant per user: the one this login replaces is revoked at Discord, not left live and unheld.
    const previous = await this.tokens();
    await this.saveGrant(user, tokens);
    if (previous && previous.refreshToken !== tokens.refreshToken) await revokeToken(this.host.client, previous.refreshToken, 'refresh_token');
    const id = randomToken();
    const { sql } = this.host;
    sql.exec(`DELETE FROM sessions WHERE expires <= ? OR revoked IS NOT NULL`, now);
    sql.exec(`INSERT INTO sessions (id_hash, created, expires, revoked) VALUES (?, ?, ?, NULL)`, await hashId(id), now, now + SESSION_TTL_S * 1000);
    // A new login means a new grant: what was cached for the old one is asked again.
    sql.exec(`DELETE FROM cache`);
    return id;
  }

  /** The session's user while the session is live (not expired, not revoked). */
  async check(sessionId: string): Promise<SessionUser | null> {
    const row = this.host.sql
      .exec<{ expires: number; revoked: number | null }>(`SELECT expires, revoked FROM sessions WHERE id_hash = ?`, await hashId(sessionId))
      .toArray()[0];
    if (!row || row.revoked !== null || row.expires <= this.host.now()) return null;
    const g = this.grantRow();
    return g ? { userId: g.user_id, name: g.name } : null;
  }

  /** The user's guilds and the bot's, by Discord's current answer (at most GUILDS_CACHE_MS old). */
  async guilds(sessionId: string): Promise<Result<GuildsAnswer, SessionProblem>> {
    const user = await this.check(sessionId);
    if (!user) return err('no-session');
    const now = this.host.now();
    const mine = await this.cached('user-guilds', now, () => this.userGuilds());
    if (!mine.ok) return mine;
    const bot = await this.cached('bot-guilds', now, async () => {
      const r = await this.host.botGuildIds();
      return r.ok ? r : err<SessionProblem>('unavailable');
    });
    if (!bot.ok) return bot;
    return ok({ user, guilds: mine.value, botGuildIds: bot.value });
  }

  /** Ends one session. */
  async logout(sessionId: string): Promise<void> {
    this.host.sql.exec(`UPDATE sessions SET revoked = ? WHERE id_hash = ?`, this.host.now(), await hashId(sessionId));
  }

  /**
   * Ends every session of the user and revokes the grant at Discord, when
   * `sessionId` is one of them (a revoked session cannot end the others).
   */
  async logoutEverywhere(sessionId: string): Promise<boolean> {
    if (!(await this.check(sessionId))) return false;
    const tokens = await this.tokens();
    const { sql } = this.host;
    sql.exec(`UPDATE sessions SET revoked = ? WHERE revoked IS NULL`, this.host.now());
    sql.exec(`DELETE FROM grant_row`);
    sql.exec(`DELETE FROM cache`);
    if (tokens) await revokeToken(this.host.client, tokens.refreshToken, 'refresh_token');
    return true;
  }

  private async cached<T>(key: string, now: number, load: () => Promise<Result<T, SessionProblem>>): Promise<Result<T, SessionProblem>> {
    const row = this.host.sql.exec<{ at: number; v: string }>(`SELECT at, v FROM cache WHERE k = ?`, key).toArray()[0];
    if (row && fresh(row.at, now, GUILDS_CACHE_MS)) return ok(JSON.parse(row.v) as T);
    // One load at a time per key: two requests must not both refresh with the same (rotating) refresh token,
    // or the second would be refused and end every session.
    const running = this.loading.get(key) as Promise<Result<T, SessionProblem>> | undefined;
    if (running) return running;
    const p = load().then((r) => {
      if (r.ok) this.host.sql.exec(`INSERT OR REPLACE INTO cache (k, at, v) VALUES (?, ?, ?)`, key, now, JSON.stringify(r.value));
      return r;
    });
    this.loading.set(key, p);
    try {
      return await p;
    } finally {
      this.loading.delete(key);
    }
  }

  /** The user's guilds with their access token, refreshed first when it has expired, or once when Discord refuses it. */
  private async userGuilds(): Promise<Result<UserGuild[], SessionProblem>> {
    let tokens = await this.tokens();
    if (!tokens) return err('relogin');
    if (tokens.expiresAt <= this.host.now()) {
      const r = await this.refresh(tokens);
      if (!r.ok) return r;
      tokens = r.value;
    }
    let r = await fetchUserGuilds(this.host.client.apiBase, tokens.accessToken);
    if (!r.ok && r.error.kind === 'invalid') {
      const fresh = await this.refresh(tokens);
      if (!fresh.ok) return fresh;
      r = await fetchUserGuilds(this.host.client.apiBase, fresh.value.accessToken);
    }
    if (r.ok) return r;
    return err(r.error.kind === 'invalid' ? 'relogin' : 'unavailable');
  }

  private async refresh(tokens: TokenSet): Promise<Result<TokenSet, SessionProblem>> {
    const r = await refreshTokens(this.host.client, tokens.refreshToken, this.host.now());
    if (!r.ok) {
      if (r.error.kind === 'unavailable') return err('unavailable');
      // Discord no longer honours the grant (revoked, or the app was deauthorized): every session must log in again.
      this.host.sql.exec(`UPDATE sessions SET revoked = ? WHERE revoked IS NULL`, this.host.now());
      this.host.sql.exec(`DELETE FROM grant_row`);
      return err('relogin');
    }
    const g = this.grantRow()!;
    await this.saveGrant({ userId: g.user_id, name: g.name }, r.value);
    return r;
  }

  private grantRow() {
    return this.host.sql
      .exec<{ user_id: string; name: string; sealed: string; access_expires: number }>(
        `SELECT user_id, name, sealed, access_expires FROM grant_row WHERE k = 1`,
      )
      .toArray()[0];
  }

  private async tokens(): Promise<TokenSet | null> {
    const g = this.grantRow();
    if (!g) return null;
    const plain = await open(this.host.sealKey, 'dashboard-session', g.user_id, g.sealed);
    // A changed SESSION_SECRET: the grant cannot be read; the user logs in again.
    if (!plain.ok) return null;
    return JSON.parse(plain.value) as TokenSet;
  }

  private async saveGrant(user: SessionUser, tokens: TokenSet): Promise<void> {
    const sealed = await seal(this.host.sealKey, 'dashboard-session', user.userId, JSON.stringify(tokens));
    if (!sealed.ok) throw new Error('session tokens could not be sealed: SESSION_SECRET is missing');
    this.host.sql.exec(
      `INSERT OR REPLACE INTO grant_row (k, user_id, name, sealed, access_expires) VALUES (1, ?, ?, ?, ?)`,
      user.userId,
      user.name,
      sealed.value,
      tokens.expiresAt,
    );
  }
}
