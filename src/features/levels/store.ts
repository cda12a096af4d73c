import { JsonKv } from '../../runtime/kv.ts';
import type { Migration } from '../../runtime/migrations.ts';
import { type Achievement, type AchievementKind, isAchievementKind } from './rules/achievements.ts';
import type { Multipliers } from './rules/award.ts';
import { type LevelsConfig, withDefaults } from './rules/config.ts';
import type { Reward } from './rules/rewards.ts';
import type { VoiceMember } from './rules/voice.ts';

/**
 * Member rows are keyed by (bucket, user_id): a bucket is a fixed slice of
 * user ids, so a guild too hot for one actor can hand whole buckets to
 * member-bucket actors without rewriting keys. 64 buckets: small enough to
 * list, enough to spread.
 */
export const BUCKETS = 64n;
export const bucketOf = (userId: string): number => Number(BigInt(userId) % BUCKETS);

export const LEVELS_MIGRATIONS: readonly Migration[] = [
  {
    name: 'levels-schema',
    sql: `CREATE TABLE levels_members (bucket INTEGER NOT NULL, user_id TEXT NOT NULL, xp INTEGER NOT NULL DEFAULT 0,
      messages INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0, voice_minutes INTEGER NOT NULL DEFAULT 0,
      last_award_at INTEGER, name TEXT, avatar TEXT, PRIMARY KEY (bucket, user_id));
    CREATE INDEX levels_members_xp ON levels_members (xp DESC, user_id);
    CREATE TABLE levels_settings (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    CREATE TABLE levels_rewards (level INTEGER PRIMARY KEY, role_id TEXT NOT NULL);
    CREATE TABLE levels_multipliers (kind TEXT NOT NULL, target_id TEXT NOT NULL, factor REAL NOT NULL, PRIMARY KEY (kind, target_id));
    CREATE TABLE levels_achievements (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, threshold INTEGER NOT NULL, name TEXT NOT NULL);
    CREATE TABLE levels_earned (bucket INTEGER NOT NULL, user_id TEXT NOT NULL, achievement_id INTEGER NOT NULL, at INTEGER NOT NULL,
      PRIMARY KEY (bucket, user_id, achievement_id));
    CREATE TABLE levels_voice (user_id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, deaf INTEGER NOT NULL, bot INTEGER NOT NULL,
      roles TEXT NOT NULL);`,
  },
];

export interface MemberRow {
  userId: string;
  xp: number;
  messages: number;
  events: number;
  voiceMinutes: number;
  lastAwardAt: number | null;
  name: string | null;
  avatar: string | null;
}

/** What a flush adds to one member. */
export interface MemberDelta {
  xp: number;
  messages: number;
  events: number;
  voiceMinutes: number;
  lastAwardAt: number | null;
  name: string | null;
  avatar: string | null;
}

type RawMember = {
  user_id: string;
  xp: number;
  messages: number;
  events: number;
  voice_minutes: number;
  last_award_at: number | null;
  name: string | null;
  avatar: string | null;
};
const toMember = (r: RawMember): MemberRow => ({
  userId: r.user_id,
  xp: r.xp,
  messages: r.messages,
  events: r.events,
  voiceMinutes: r.voice_minutes,
  lastAwardAt: r.last_award_at,
  name: r.name,
  avatar: r.avatar,
});
const MEMBER_COLUMNS = 'user_id, xp, messages, events, voice_minutes, last_award_at, name, avatar';

/** The levels tables of the guild actor. */
export class LevelsStore {
  private readonly sql: SqlStorage;
  private readonly settings: JsonKv;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    this.settings = new JsonKv(sql, 'levels_settings');
  }

  config(): LevelsConfig {
    return withDefaults(this.settings.get<Partial<LevelsConfig>>('config'));
  }
  saveConfig(c: LevelsConfig): void {
    this.settings.set('config', c);
  }

  /** The guild's AFK voice channel, as the gateway last said (read once a minute by voice XP). */
  afkChannel(): string | null {
    return this.settings.get<string>('afk_channel') ?? null;
  }
  setAfkChannel(id: string | null): void {
    if (this.afkChannel() !== id) this.settings.set('afk_channel', id);
  }

  member(userId: string): MemberRow | null {
    const r = this.sql.exec<RawMember>(`SELECT ${MEMBER_COLUMNS} FROM levels_members WHERE bucket = ? AND user_id = ?`, bucketOf(userId), userId).toArray()[0];
    return r ? toMember(r) : null;
  }

  /** Adds a delta to a member (creating the row; callers never take away more than a member has), and returns the row as it now is. */
  apply(userId: string, d: MemberDelta): MemberRow {
    const r = this.sql
      .exec<RawMember>(
        `INSERT INTO levels_members (bucket, user_id, xp, messages, events, voice_minutes, last_award_at, name, avatar)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(bucket, user_id) DO UPDATE SET xp = MAX(0, xp + excluded.xp), messages = messages + excluded.messages,
           events = events + excluded.events, voice_minutes = voice_minutes + excluded.voice_minutes,
           last_award_at = COALESCE(excluded.last_award_at, last_award_at), name = COALESCE(excluded.name, name),
           avatar = COALESCE(excluded.avatar, avatar)
         RETURNING ${MEMBER_COLUMNS}`,
        bucketOf(userId),
        userId,
        d.xp,
        d.messages,
        d.events,
        d.voiceMinutes,
        d.lastAwardAt,
        d.name,
        d.avatar,
      )
      .toArray()[0]!;
    return toMember(r);
  }

  setXp(userId: string, xp: number): void {
    this.sql.exec(
      `INSERT INTO levels_members (bucket, user_id, xp) VALUES (?, ?, ?) ON CONFLICT(bucket, user_id) DO UPDATE SET xp = excluded.xp`,
      bucketOf(userId),
      userId,
      xp,
    );
  }

  reset(userId: string): void {
    const b = bucketOf(userId);
    this.sql.exec(`DELETE FROM levels_members WHERE bucket = ? AND user_id = ?`, b, userId);
    this.sql.exec(`DELETE FROM levels_earned WHERE bucket = ? AND user_id = ?`, b, userId);
  }

  /** One page of the board, highest XP first (ties by id, so pages never overlap). */
  board(offset: number, limit: number): MemberRow[] {
    return this.sql
      .exec<RawMember>(`SELECT ${MEMBER_COLUMNS} FROM levels_members WHERE xp > 0 ORDER BY xp DESC, user_id LIMIT ? OFFSET ?`, limit, offset)
      .toArray()
      .map(toMember);
  }

  ranked(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM levels_members WHERE xp > 0`).one().n;
  }

  /** 1-based place on the board; null without XP. */
  rankOf(userId: string): number | null {
    const m = this.member(userId);
    if (!m || m.xp <= 0) return null;
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM levels_members WHERE xp > ? OR (xp = ? AND user_id < ?)`, m.xp, m.xp, m.userId).one().n + 1;
  }

  all(): MemberRow[] {
    return this.sql.exec<RawMember>(`SELECT ${MEMBER_COLUMNS} FROM levels_members ORDER BY xp DESC, user_id`).toArray().map(toMember);
  }

  /** Replaces the XP of the imported members in one synchronous step (all or nothing). */
  importXp(rows: readonly { userId: string; xp: number }[]): void {
    for (const r of rows) this.setXp(r.userId, r.xp);
  }

  rewards(): Reward[] {
    return this.sql
      .exec<{ level: number; role_id: string }>(`SELECT level, role_id FROM levels_rewards ORDER BY level`)
      .toArray()
      .map((r) => ({ level: r.level, roleId: r.role_id }));
  }
  setReward(level: number, roleId: string): void {
    this.sql.exec(`INSERT INTO levels_rewards (level, role_id) VALUES (?, ?) ON CONFLICT(level) DO UPDATE SET role_id = excluded.role_id`, level, roleId);
  }
  removeReward(level: number): boolean {
    return this.sql.exec(`DELETE FROM levels_rewards WHERE level = ?`, level).rowsWritten > 0;
  }

  multipliers(): Multipliers {
    const rows = this.sql.exec<{ kind: string; target_id: string; factor: number }>(`SELECT kind, target_id, factor FROM levels_multipliers`).toArray();
    return {
      channels: new Map(rows.filter((r) => r.kind === 'channel').map((r) => [r.target_id, r.factor])),
      roles: new Map(rows.filter((r) => r.kind === 'role').map((r) => [r.target_id, r.factor])),
    };
  }
  setMultiplier(kind: 'channel' | 'role', id: string, factor: number): void {
    if (factor === 1) this.sql.exec(`DELETE FROM levels_multipliers WHERE kind = ? AND target_id = ?`, kind, id);
    else
      this.sql.exec(
        `INSERT INTO levels_multipliers (kind, target_id, factor) VALUES (?, ?, ?) ON CONFLICT(kind, target_id) DO UPDATE SET factor = excluded.factor`,
        kind,
        id,
        factor,
      );
  }

  achievements(): Achievement[] {
    return this.sql
      .exec<{ id: number; kind: string; threshold: number; name: string }>(`SELECT id, kind, threshold, name FROM levels_achievements ORDER BY id`)
      .toArray()
      .filter((r) => isAchievementKind(r.kind))
      .map((r) => ({ id: r.id, kind: r.kind as AchievementKind, threshold: r.threshold, name: r.name }));
  }
  addAchievement(kind: AchievementKind, threshold: number, name: string): number {
    return this.sql.exec<{ id: number }>(`INSERT INTO levels_achievements (kind, threshold, name) VALUES (?, ?, ?) RETURNING id`, kind, threshold, name).one()
      .id;
  }
  removeAchievement(id: number): boolean {
    const n = this.sql.exec(`DELETE FROM levels_achievements WHERE id = ?`, id).rowsWritten;
    this.sql.exec(`DELETE FROM levels_earned WHERE achievement_id = ?`, id);
    return n > 0;
  }
  earned(userId: string): Set<number> {
    return new Set(
      this.sql
        .exec<{ achievement_id: number }>(`SELECT achievement_id FROM levels_earned WHERE bucket = ? AND user_id = ?`, bucketOf(userId), userId)
        .toArray()
        .map((r) => r.achievement_id),
    );
  }
  earn(userId: string, achievementId: number, at: number): void {
    this.sql.exec(`INSERT OR IGNORE INTO levels_earned (bucket, user_id, achievement_id, at) VALUES (?, ?, ?, ?)`, bucketOf(userId), userId, achievementId, at);
  }

  voice(): VoiceMember[] {
    return this.sql
      .exec<{ user_id: string; channel_id: string; deaf: number; bot: number; roles: string }>(`SELECT user_id, channel_id, deaf, bot, roles FROM levels_voice`)
      .toArray()
      .map((r) => ({ userId: r.user_id, channelId: r.channel_id, deaf: r.deaf === 1, bot: r.bot === 1, roles: JSON.parse(r.roles) as string[] }));
  }
  setVoice(v: VoiceMember | { userId: string; channelId: null }): void {
    if (v.channelId === null) this.sql.exec(`DELETE FROM levels_voice WHERE user_id = ?`, v.userId);
    else
      this.sql.exec(
        `INSERT INTO levels_voice (user_id, channel_id, deaf, bot, roles) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET channel_id = excluded.channel_id, deaf = excluded.deaf, bot = excluded.bot, roles = excluded.roles`,
        v.userId,
        v.channelId,
        v.deaf ? 1 : 0,
        v.bot ? 1 : 0,
        JSON.stringify(v.roles),
      );
  }
  clearVoice(): void {
    this.sql.exec(`DELETE FROM levels_voice`);
  }
}
