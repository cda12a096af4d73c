// Scripted joins for tests and benchmarks (POST /_sim/guilds/{id}/joins): new
// accounts (or existing users) join a guild through an invite, the vanity URL
// or no invite, paced or as fast as possible, and each join is what Discord
// would make of it: a member with joined_at now, an account whose snowflake
// carries its creation time (account age), the invite's use counted and a
// used-up invite deleted (INVITE_DELETE), and GUILD_MEMBER_ADD dispatched.
// A join Discord would refuse is recorded as refused, not performed: invites
// paused (INVITES_DISABLED or incidents_data.invites_disabled_until), an
// unknown, expired or used-up invite, a banned user, or a user already a member.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError } from './errors.ts';
import type { Gateway } from './gateway.ts';
import { inviteDeleteEvent, invitesPaused, isExpired, useInvite } from './invites.ts';
import type { SimState } from './state.ts';

export interface JoinHost {
  readonly state: SimState;
  readonly gateway: Gateway;
}

export interface JoinOptions {
  count: number;
  // An invite code, 'vanity', or nothing (a join no invite accounts for).
  via?: string;
  // Age of the new accounts when they join (default 365 days).
  accountAgeDays?: number;
  // Usernames; "{n}" becomes the join's 1-based number in this run.
  namePattern?: string;
  // Pacing: joins per second, or all joins spread evenly over spreadMs; neither = as fast as possible.
  ratePerS?: number;
  spreadMs?: number;
  // Existing users who (re)join instead of new accounts; count is then their number.
  userIds?: string[];
  // Benches only: joined_at spread evenly over the last backdateMs, oldest first (a guild's history
  // arriving in minutes, where Discord would take weeks). The dispatch itself is sent now.
  backdateMs?: number;
}

export type RefusalReason = 'invites_paused' | 'unknown_invite' | 'banned' | 'already_member';

export interface JoinRecord {
  i: number;
  user_id: string;
  username: string;
  // Epoch ms at which GUILD_MEMBER_ADD was dispatched (comparable with /_sim/log `time`).
  at: number;
  // Sessions the dispatch was written to now, and its seq in the first of them.
  delivered: number;
  s: number | null;
}

export interface JoinRefusal {
  i: number;
  at: number;
  reason: RefusalReason;
  user_id?: string;
}

export interface JoinResult {
  guild_id: string;
  via: string | null;
  requested: number;
  member_ids: string[];
  joins: JoinRecord[];
  refused: JoinRefusal[];
  invite: { code: string; uses: number; max_uses: number; deleted: boolean } | null;
  startedAt: number;
  durationMs: number;
  achievedPerS: number;
}

const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const tick = () => new Promise<void>((r) => setImmediate(r));

export function parseJoinOptions(b: Record<string, unknown>): JoinOptions {
  const userIds = Array.isArray(b.user_ids) ? b.user_ids.map(String) : undefined;
  const count = userIds ? userIds.length : b.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100_000) {
    throw new Error('count (an integer 1–100000) or user_ids is required');
  }
  const num = (k: string, min: number): number | undefined => {
    const v = b[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new Error(`${k} must be a number ≥ ${min}`);
    return v;
  };
  const o: JoinOptions = { count };
  if (typeof b.via === 'string' && b.via.length > 0) o.via = b.via;
  const age = num('accountAgeDays', 0);
  if (age !== undefined) o.accountAgeDays = age;
  if (typeof b.namePattern === 'string' && b.namePattern.length > 0) o.namePattern = b.namePattern;
  const rate = num('ratePerS', 0.001);
  if (rate !== undefined) o.ratePerS = rate;
  const spread = num('spreadMs', 0);
  if (spread !== undefined) o.spreadMs = spread;
  if (userIds) o.userIds = userIds;
  const backdate = num('backdateMs', 0);
  if (backdate !== undefined) o.backdateMs = backdate;
  return o;
}

export async function runJoins(host: JoinHost, guildId: string, o: JoinOptions): Promise<JoinResult> {
  const start = host.state;
  start.guild(guildId);
  if (o.via === 'vanity' && !start.guild(guildId).vanity_url_code) throw new Error('the guild has no vanity URL (POST /_sim/guilds/{id}/vanity)');
  if (o.via !== undefined && o.via !== 'vanity') {
    const inv = start.invites.get(o.via);
    if (!inv || inv.guildId !== guildId) throw apiError(RESTJSONErrorCodes.UnknownInvite);
  }
  for (const id of o.userIds ?? []) if (!start.users.has(id)) throw apiError(RESTJSONErrorCodes.UnknownUser);

  const pattern = o.namePattern ?? 'joiner_{n}';
  const ageMs = (o.accountAgeDays ?? 365) * DAY_MS;
  const interval = o.spreadMs !== undefined ? o.spreadMs / Math.max(1, o.count - 1) : o.ratePerS ? 1000 / o.ratePerS : 0;
  const joins: JoinRecord[] = [];
  const refused: JoinRefusal[] = [];
  const inviteCode = o.via !== undefined && o.via !== 'vanity' ? o.via : null;
  const inviteAtStart = inviteCode ? start.invites.get(inviteCode) : undefined;
  let inviteDeleted = false;

  const joinOne = (i: number): void => {
    const s = host.state;
    const now = Date.now();
    const guild = s.guild(guildId);
    const refuse = (reason: RefusalReason, userId?: string) => {
      refused.push({ i, at: now, reason, ...(userId ? { user_id: userId } : {}) });
    };
    if (invitesPaused(guild, now)) return refuse('invites_paused');
    const inv = inviteCode ? s.invites.get(inviteCode) : undefined;
    if (inviteCode && (!inv || inv.guildId !== guildId || isExpired(inv, now))) return refuse('unknown_invite');
    if (o.via === 'vanity' && !guild.vanity_url_code) return refuse('unknown_invite');
    // biome-ignore lint/suspicious/noImplicitAnyLet: one of the branches below assigns it
    let user;
    if (o.userIds) {
      user = s.users.get(o.userIds[i]!)!;
      if (s.bans.get(guildId)?.has(user.id)) return refuse('banned', user.id);
      if (s.membersOf(guildId).has(user.id)) return refuse('already_member', user.id);
    } else {
      user = s.createUser(pattern.replace(/\{n\}/g, String(i + 1)), now - ageMs);
    }
    const joinedAt = o.backdateMs ? now - Math.round(((o.count - 1 - i) / Math.max(1, o.count - 1)) * o.backdateMs) : now;
    const member = s.addMember(guildId, user.id, [], joinedAt);
    const usedUp = inv ? useInvite(s, inv) : false;
    if (o.via === 'vanity') s.vanityUses.set(guildId, (s.vanityUses.get(guildId) ?? 0) + 1);
    const at = Date.now();
    const deliveries = host.gateway.memberAdded(guildId, member);
    if (usedUp && inv) {
      inviteDeleted = true;
      host.gateway.inviteDeleted(inviteDeleteEvent(inv));
    }
    joins.push({ i, user_id: user.id, username: user.username, at, delivered: deliveries.filter((d) => d.sent).length, s: deliveries[0]?.s ?? null });
  };

  const startedAt = Date.now();
  const t0 = performance.now();
  let i = 0;
  if (interval > 0) {
    while (i < o.count) {
      while (i < o.count && t0 + i * interval <= performance.now()) joinOne(i++);
      if (i < o.count) await sleep(Math.max(1, t0 + i * interval - performance.now()));
    }
  } else {
    while (i < o.count) {
      const end = Math.min(o.count, i + 100);
      while (i < end) joinOne(i++);
      await tick();
    }
  }
  const durationMs = performance.now() - t0;
  const inv = inviteAtStart;
  return {
    guild_id: guildId,
    via: o.via ?? null,
    requested: o.count,
    member_ids: joins.map((j) => j.user_id),
    joins,
    refused,
    invite: inviteCode
      ? { code: inviteCode, uses: inv?.uses ?? 0, max_uses: inv?.maxUses ?? 0, deleted: inviteDeleted || !host.state.invites.has(inviteCode) }
      : null,
    startedAt,
    durationMs: Math.round(durationMs * 10) / 10,
    achievedPerS: Math.round((joins.length / Math.max(durationMs / 1000, 1e-3)) * 10) / 10,
  };
}
