import { PermissionFlagsBits as P } from 'discord-api-types/v10';

/**
 * The bot governance register's rules, pure: effective guild-level
 * permissions, which bots are over-powered, which are silent, Guildkeep's own
 * permission drift, and what an admin may write about a bot.
 */

/**
 * Every permission bit Discord defines (discord-api-types' table), by its API
 * name, lowest bit first; a bit with two names (a deprecated alias) keeps the later, current one.
 */
export const PERMISSION_NAMES: readonly (readonly [string, bigint])[] = [...new Map(Object.entries(P).map(([name, bit]) => [bit, name] as const))]
  .map(([bit, name]) => [name, bit] as const)
  .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
export const ALL_PERMISSIONS: bigint = PERMISSION_NAMES.reduce((all, [, bit]) => all | bit, 0n);

/** The API names of the bits set in `bits`, lowest bit first (unknown bits are left out). */
export function permissionNames(bits: bigint): string[] {
  return PERMISSION_NAMES.filter(([, bit]) => (bits & bit) !== 0n).map(([name]) => name);
}

/** Parses a bitfield string as Discord sends it; anything else grants nothing. */
export const bitsOf = (s: string | null | undefined): bigint => (s && /^\d{1,20}$/.test(s) ? BigInt(s) : 0n);

export interface RoleFacts {
  id: string;
  permissions: string;
}

/**
 * A member's guild-level permissions, as Discord computes them before channel
 * overwrites: the owner has all; otherwise @everyone's (the role whose id is the
 * guild's) OR every role of the member; Administrator then implies all.
 */
export function effectivePermissions(
  member: { userId: string; roles: readonly string[] },
  guild: { id: string; ownerId: string; roles: readonly RoleFacts[] },
): bigint {
  if (member.userId === guild.ownerId) return ALL_PERMISSIONS;
  const byId = new Map(guild.roles.map((r) => [r.id, bitsOf(r.permissions)]));
  let bits = byId.get(guild.id) ?? 0n;
  for (const r of member.roles) bits |= byId.get(r) ?? 0n;
  return (bits & P.Administrator) !== 0n ? ALL_PERMISSIONS : bits;
}

/**
 * Over-powered, defined: a bot holds Administrator (always flagged — it can do
 * everything, including remove every other safeguard, and no approval makes it
 * least-privilege), or holds any of the POWERFUL permissions below that the
 * server's admins have not accepted in the register as needed by the bot's
 * declared purpose. These are the permissions that let a bot take over or
 * empty a server, or reach every member at once: change the server or its
 * roles and channels, remove or silence members, impersonate through webhooks,
 * or ping @everyone.
 */
export const POWERFUL: bigint =
  P.ManageGuild | P.ManageRoles | P.ManageChannels | P.ManageWebhooks | P.BanMembers | P.KickMembers | P.ModerateMembers | P.MentionEveryone;

export interface PowerFlags {
  administrator: boolean;
  /** Powerful permissions held and not accepted for the bot's purpose, by name (empty when administrator: it is the flag). */
  overpowered: string[];
}

/** The flags for a bot holding `raw` (its roles' bits, before Administrator expands them), with `accepted` approved for it. */
export function powerFlags(raw: bigint, accepted: bigint): PowerFlags {
  if ((raw & P.Administrator) !== 0n) return { administrator: true, overpowered: [] };
  return { administrator: false, overpowered: permissionNames(raw & POWERFUL & ~accepted) };
}

/**
 * The bits a member's roles grant, before Administrator or ownership expand
 * them: what to flag. With @everyone's by default; without them, what the
 * member's own roles add (what can be taken off its roles).
 */
export function grantedPermissions(roles: readonly string[], guild: { id: string; roles: readonly RoleFacts[] }, withEveryone = true): bigint {
  const byId = new Map(guild.roles.map((r) => [r.id, bitsOf(r.permissions)]));
  return roles.reduce((bits, r) => bits | (byId.get(r) ?? 0n), withEveryone ? (byId.get(guild.id) ?? 0n) : 0n);
}

export interface Overwrite {
  id: string;
  /** 0 role, 1 member (Discord's overwrite types). */
  type: number;
  allow: string;
  deny: string;
}

/**
 * A member's permissions in one channel, as Discord computes them from its
 * guild-level ones: Administrator (or ownership, already ALL) passes every
 * overwrite; otherwise @everyone's overwrite, then the member's roles'
 * (denies of all of them, then allows of all of them), then the member's own.
 */
export function channelPermissions(
  guildLevel: bigint,
  member: { userId: string; roles: readonly string[] },
  guildId: string,
  overwrites: readonly Overwrite[],
): bigint {
  if ((guildLevel & P.Administrator) !== 0n || guildLevel === ALL_PERMISSIONS) return ALL_PERMISSIONS;
  let bits = guildLevel;
  const everyone = overwrites.find((o) => o.id === guildId);
  if (everyone) bits = (bits & ~bitsOf(everyone.deny)) | bitsOf(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites)
    if (o.type === 0 && o.id !== guildId && member.roles.includes(o.id)) {
      allow |= bitsOf(o.allow);
      deny |= bitsOf(o.deny);
    }
  bits = (bits & ~deny) | allow;
  const own = overwrites.find((o) => o.type === 1 && o.id === member.userId);
  if (own) bits = (bits & ~bitsOf(own.deny)) | bitsOf(own.allow);
  return bits;
}

/** What Guildkeep needs in the channel review reminders go to. */
export const REMINDER_CHANNEL_NEEDS: bigint = P.ViewChannel | P.SendMessages;

/** A bot is silent after 90 days without a message seen from it. */
export const SILENT_AFTER_MS = 90 * 86_400_000;

export type Activity =
  /** A message of it was seen within the last 90 days. */
  | { kind: 'active'; lastSeen: number }
  /** None seen for 90 days: `lastSeen` is its last message seen, or null when none was seen in all the time watched. */
  | { kind: 'silent'; lastSeen: number | null }
  /** None seen, but messages have been watched for less than 90 days: not known yet. */
  | { kind: 'unknown'; watchedSince: number };

/** What the register says about a bot's activity, from the last message seen and since when messages are watched. */
export function activityOf(lastSeen: number | null, watchedSince: number, now: number): Activity {
  if (lastSeen !== null && now - lastSeen < SILENT_AFTER_MS) return { kind: 'active', lastSeen };
  if (lastSeen !== null || now - watchedSince >= SILENT_AFTER_MS) return { kind: 'silent', lastSeen };
  return { kind: 'unknown', watchedSince };
}

export interface Drift {
  /** Permissions the enabled features need and the bot lacks, by name. */
  missing: string[];
  /** Where a channel's overwrites take away what Guildkeep needs there (the reminder channel), by name. */
  channels?: { channelId: string; missing: string[] }[];
  /** Permissions the bot holds and no enabled feature needs, by name (Administrator alone when it has it: it implies all). */
  excess: string[];
}

/**
 * Guildkeep's own drift: what it holds against what it needs. `own`: the bits
 * its own roles grant (not @everyone's, which every member has and no role
 * change of Guildkeep's removes); `effective`: all it may do (Administrator
 * and @everyone included).
 */
export function drift(own: bigint, effective: bigint, need: bigint): Drift {
  const missing = permissionNames(need & ~effective);
  if ((own & P.Administrator) !== 0n) return { missing, excess: (need & P.Administrator) === 0n ? ['Administrator'] : [] };
  return { missing, excess: permissionNames(own & ~need) };
}

// ---- what admins write about a bot ----

export const LIMITS = { purpose: 200, failurePlan: 1000 } as const;
/** A review date no further ahead than this (two years). */
export const MAX_REVIEW_AHEAD_DAYS = 731;

export type Field = 'bot' | 'owner' | 'purpose' | 'failurePlan' | 'reviewDate' | 'accepted' | 'reminderChannel';
export type FieldError =
  | 'bot-format'
  | 'bot-not-bot'
  | 'owner-required'
  | 'owner-format'
  | 'owner-not-member'
  | 'owner-is-bot'
  | 'purpose-required'
  | 'purpose-long'
  | 'failure-required'
  | 'failure-long'
  | 'date-format'
  | 'date-past'
  | 'date-far'
  | 'accepted-unknown'
  | 'channel-format'
  | 'channel-not-text';
export type FieldErrors = Partial<Record<Field, FieldError>>;

/** What the register keeps about one bot. */
export interface BotRecord {
  botId: string;
  ownerId: string;
  purpose: string;
  failurePlan: string;
  /** YYYY-MM-DD (UTC), or null for none. */
  reviewDate: string | null;
  /** Powerful permissions the admins accept for its purpose, by name. */
  accepted: string[];
}

export const isSnowflake = (s: string): boolean => /^\d{17,20}$/.test(s);

/** The UTC day of `ms`, as YYYY-MM-DD. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** When the reminder of a review date is due: 09:00 UTC on that day. */
export const reviewDueAt = (date: string): number => Date.parse(`${date}T09:00:00Z`);

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
/** Lengths in code points, as a member reads them. */
const length = (s: string): number => [...s].length;

/**
 * An admin's input for one bot, checked field by field (form values or JSON):
 * every error at once, and nothing to save unless there are none. Whether the
 * bot is a bot and the owner a member of the guild is asked of Discord after.
 */
export function parseRecord(input: Record<string, unknown>, now: number): { ok: true; value: BotRecord } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const botId = str(input.bot);
  if (!isSnowflake(botId)) errors.bot = 'bot-format';
  const ownerId = str(input.owner).replace(/^<@!?(\d+)>$/, '$1');
  if (!ownerId) errors.owner = 'owner-required';
  else if (!isSnowflake(ownerId)) errors.owner = 'owner-format';
  const purpose = str(input.purpose);
  if (!purpose) errors.purpose = 'purpose-required';
  else if (length(purpose) > LIMITS.purpose) errors.purpose = 'purpose-long';
  const failurePlan = str(input.failurePlan);
  if (!failurePlan) errors.failurePlan = 'failure-required';
  else if (length(failurePlan) > LIMITS.failurePlan) errors.failurePlan = 'failure-long';
  const date = str(input.reviewDate);
  let reviewDate: string | null = null;
  if (date) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const at = m ? reviewDueAt(date) : Number.NaN;
    if (!m || Number.isNaN(at) || dayOf(at) !== date) errors.reviewDate = 'date-format';
    else if (date <= dayOf(now)) errors.reviewDate = 'date-past';
    else if (at - now > MAX_REVIEW_AHEAD_DAYS * 86_400_000) errors.reviewDate = 'date-far';
    else reviewDate = date;
  }
  const raw = input.accepted;
  const list = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).map(str).filter((x) => x !== '');
  const powerful = new Set(permissionNames(POWERFUL));
  if (list.some((n) => !powerful.has(n))) errors.accepted = 'accepted-unknown';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { botId, ownerId, purpose, failurePlan, reviewDate, accepted: [...new Set(list)].sort() } };
}

/** The bits of accepted permission names (names not in POWERFUL grant nothing). */
export function acceptedBits(names: readonly string[]): bigint {
  const table = new Map(PERMISSION_NAMES);
  return names.reduce((all, n) => all | ((table.get(n) ?? 0n) & POWERFUL), 0n);
}
