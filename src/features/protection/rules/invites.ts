import type {
  APIExtendedInvite,
  GatewayInviteCreateDispatchData,
  GatewayInviteDeleteDispatchData,
  RESTGetAPIGuildVanityUrlResult,
} from 'discord-api-types/v10';
import { err, ok, type Result } from '../../../lib/result.ts';

/**
 * Invite attribution by diffing use counts. Discord does not say which
 * invite a member used: the actor keeps a snapshot of every invite's `uses`
 * (from `GET /guilds/{id}/invites`, kept current by INVITE_CREATE and
 * INVITE_DELETE), re-reads the list after a join (coalescing a burst of
 * joins into one read, since the list is rate-limited) and diffs the two.
 *
 * A one-use invite is deleted by Discord when it is used, so it vanishes
 * instead of counting up: a vanished invite that stood at `max_uses - 1`
 * (and had not expired) is a candidate. INVITE_DELETE only marks an invite
 * deleted (kept as a tombstone for a while) because it can arrive before
 * the join it belongs to. When more than one invite could explain a join,
 * the result says so instead of guessing.
 */

export interface InviteEntry {
  code: string;
  inviterId: string | null;
  channelId: string | null;
  uses: number;
  /** 0 = unlimited. */
  maxUses: number;
  createdAt: number;
  /** null = never expires. */
  expiresAt: number | null;
  /** Set by INVITE_DELETE; the entry stays until the next diff has considered it. */
  deletedAt: number | null;
}

export interface InviteSnapshot {
  invites: Record<string, InviteEntry>;
  /** The guild's vanity URL and its use count, when it has one. */
  vanity: { code: string; uses: number } | null;
  takenAt: number;
}

const time = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

export const emptySnapshot = (now: number): InviteSnapshot => ({ invites: {}, vanity: null, takenAt: now });

/** A snapshot from the REST list (which must be read with Manage Server, so `uses` is present) and the vanity URL. */
export function snapshotFromRest(list: readonly APIExtendedInvite[], vanity: RESTGetAPIGuildVanityUrlResult | null, now: number): InviteSnapshot {
  const invites: Record<string, InviteEntry> = {};
  for (const i of list) {
    invites[i.code] = {
      code: i.code,
      inviterId: i.inviter?.id ?? null,
      channelId: i.channel?.id ?? null,
      uses: i.uses,
      maxUses: i.max_uses,
      createdAt: time(i.created_at) ?? now,
      expiresAt: time(i.expires_at) ?? (i.max_age > 0 ? (time(i.created_at) ?? now) + i.max_age * 1000 : null),
      deletedAt: null,
    };
  }
  return { invites, vanity: vanity?.code ? { code: vanity.code, uses: vanity.uses } : null, takenAt: now };
}

/** INVITE_CREATE: a new invite with `uses` 0. */
export function applyInviteCreate(s: InviteSnapshot, d: GatewayInviteCreateDispatchData, now: number): InviteSnapshot {
  const createdAt = time(d.created_at) ?? now;
  const entry: InviteEntry = {
    code: d.code,
    inviterId: d.inviter?.id ?? null,
    channelId: d.channel_id,
    uses: 0,
    maxUses: d.max_uses,
    createdAt,
    expiresAt: time(d.expires_at) ?? (d.max_age > 0 ? createdAt + d.max_age * 1000 : null),
    deletedAt: null,
  };
  return { ...s, invites: { ...s.invites, [d.code]: entry } };
}

/** INVITE_DELETE: marks the invite deleted; it stays a candidate for a join that has not been attributed yet. */
export function applyInviteDelete(s: InviteSnapshot, d: GatewayInviteDeleteDispatchData, now: number): InviteSnapshot {
  const e = s.invites[d.code];
  if (!e || e.deletedAt !== null) return s;
  return { ...s, invites: { ...s.invites, [d.code]: { ...e, deletedAt: now } } };
}

export type Attribution =
  | { kind: 'invite'; code: string; inviterId: string | null }
  | { kind: 'vanity'; code: string }
  | { kind: 'ambiguous'; candidates: { code: string; inviterId: string | null; vanity: boolean }[] }
  | { kind: 'unknown' };

interface Candidate {
  code: string;
  inviterId: string | null;
  vanity: boolean;
  uses: number;
}

function candidates(before: InviteSnapshot, after: InviteSnapshot, now: number): Candidate[] {
  const out: Candidate[] = [];
  for (const a of Object.values(after.invites)) {
    const b = before.invites[a.code];
    const delta = a.uses - (b?.uses ?? 0);
    if (delta > 0) out.push({ code: a.code, inviterId: a.inviterId ?? b?.inviterId ?? null, vanity: false, uses: delta });
  }
  for (const b of Object.values(before.invites)) {
    const a = after.invites[b.code];
    if (a && a.deletedAt === null) continue;
    const usedUp = b.maxUses > 0 && b.uses === b.maxUses - 1;
    const expired = b.expiresAt !== null && b.expiresAt <= now;
    if (usedUp && !expired && (!a || a.uses === b.uses)) out.push({ code: b.code, inviterId: b.inviterId, vanity: false, uses: 1 });
  }
  const vb = before.vanity;
  const va = after.vanity;
  if (va) {
    const delta = va.uses - (vb && vb.code === va.code ? vb.uses : 0);
    if (delta > 0) out.push({ code: va.code, inviterId: null, vanity: true, uses: delta });
  }
  return out;
}

/**
 * Which invite explains `joins` members joining between the `before` and
 * `after` snapshots. A single candidate explains them when it grew by at
 * least that many (extra uses belong to joins not seen yet: see
 * `nextBaseline`); several candidates are reported as ambiguous; none is
 * unknown.
 */
export function attribute(before: InviteSnapshot, after: InviteSnapshot, now: number, joins = 1): Attribution {
  const cs = candidates(before, after, now);
  if (cs.length === 0) return { kind: 'unknown' };
  if (cs.length === 1 && cs[0]!.uses >= joins) {
    const c = cs[0]!;
    return c.vanity ? { kind: 'vanity', code: c.code } : { kind: 'invite', code: c.code, inviterId: c.inviterId };
  }
  return { kind: 'ambiguous', candidates: cs.map(({ code, inviterId, vanity }) => ({ code, inviterId, vanity })) };
}

/**
 * The snapshot to diff the next join against: the fresh read, except that
 * uses an attribution did not account for (an invite that grew by 2 for
 * one join whose partner's GUILD_MEMBER_ADD is still on its way) are held
 * back, so the next join still sees them.
 */
export function nextBaseline(before: InviteSnapshot, fresh: InviteSnapshot, attribution: Attribution, joins = 1): InviteSnapshot {
  if (attribution.kind === 'vanity' && fresh.vanity) {
    const was = before.vanity && before.vanity.code === fresh.vanity.code ? before.vanity.uses : 0;
    return { ...fresh, vanity: { ...fresh.vanity, uses: Math.min(fresh.vanity.uses, was + joins) } };
  }
  if (attribution.kind === 'invite') {
    const now = fresh.invites[attribution.code];
    if (now) {
      const was = before.invites[attribution.code]?.uses ?? 0;
      return { ...fresh, invites: { ...fresh.invites, [attribution.code]: { ...now, uses: Math.min(now.uses, was + joins) } } };
    }
  }
  return fresh;
}

// ---- stats -----------------------------------------------------------------

export interface JoinRecord {
  userId: string;
  joinedAt: number;
  /** From the user id's snowflake. */
  accountCreatedAt: number;
  attribution: Attribution;
  leftAt: number | null;
}

export interface InviterStats {
  inviterId: string;
  total: number;
  regular: number;
  left: number;
  fake: number;
}

/** A join is fake when the member left within 10 minutes or the account was younger than 7 days. */
export const FAKE_LEAVE_MS = 10 * 60_000;
export const FAKE_ACCOUNT_MS = 7 * 86_400_000;

export type JoinClass = 'regular' | 'left' | 'fake';

export function classifyJoin(r: JoinRecord): JoinClass {
  if (r.joinedAt - r.accountCreatedAt < FAKE_ACCOUNT_MS) return 'fake';
  if (r.leftAt !== null && r.leftAt - r.joinedAt < FAKE_LEAVE_MS) return 'fake';
  return r.leftAt !== null ? 'left' : 'regular';
}

/** Marks the member's latest join as left. */
export function recordLeave(records: readonly JoinRecord[], userId: string, now: number): JoinRecord[] {
  let idx = -1;
  for (let i = records.length - 1; i >= 0; i--)
    if (records[i]!.userId === userId && records[i]!.leftAt === null) {
      idx = i;
      break;
    }
  if (idx < 0) return [...records];
  return records.map((r, i) => (i === idx ? { ...r, leftAt: now } : r));
}

/** Only each member's latest join counts, so leaving and rejoining does not inflate anyone's total. */
function latestPerMember(records: readonly JoinRecord[]): JoinRecord[] {
  const latest = new Map<string, JoinRecord>();
  for (const r of records) {
    const prev = latest.get(r.userId);
    if (!prev || r.joinedAt >= prev.joinedAt) latest.set(r.userId, r);
  }
  return [...latest.values()];
}

const blank = (inviterId: string): InviterStats => ({ inviterId, total: 0, regular: 0, left: 0, fake: 0 });

/** Totals per inviter (total = regular + left + fake); only joins attributed to an invite count. */
export function inviterStats(records: readonly JoinRecord[]): Map<string, InviterStats> {
  const out = new Map<string, InviterStats>();
  for (const r of latestPerMember(records)) {
    if (r.attribution.kind !== 'invite' || !r.attribution.inviterId) continue;
    const s = out.get(r.attribution.inviterId) ?? blank(r.attribution.inviterId);
    s.total++;
    s[classifyJoin(r)]++;
    out.set(s.inviterId, s);
  }
  return out;
}

/** The leaderboard: most regular invites first, then total. */
export function leaderboard(stats: Map<string, InviterStats>, limit = 10): InviterStats[] {
  return [...stats.values()].sort((a, b) => b.regular - a.regular || b.total - a.total || a.inviterId.localeCompare(b.inviterId)).slice(0, limit);
}

// ---- campaigns ---------------------------------------------------------------

export type Campaigns = Readonly<Record<string, string>>;

/** Names an invite code as a campaign ("summer-stream"). */
export function nameCampaign(campaigns: Campaigns, code: string, name: string): Result<Record<string, string>, string> {
  const n = name.trim();
  if (!/^[A-Za-z0-9-]{2,32}$/.test(code)) return err(`"${code}" is not an invite code.`);
  if (n.length < 1 || n.length > 50) return err('A campaign name has 1 to 50 characters.');
  const clash = Object.entries(campaigns).find(([c, existing]) => c !== code && existing.toLowerCase() === n.toLowerCase());
  if (clash) return err(`The campaign name "${n}" is already used by invite ${clash[0]}.`);
  return ok({ ...campaigns, [code]: n });
}

export interface CampaignStats {
  code: string;
  name: string;
  total: number;
  regular: number;
  left: number;
  fake: number;
}

/** Totals per named campaign invite. */
export function campaignStats(records: readonly JoinRecord[], campaigns: Campaigns): CampaignStats[] {
  const out = new Map<string, CampaignStats>(Object.entries(campaigns).map(([code, name]) => [code, { code, name, total: 0, regular: 0, left: 0, fake: 0 }]));
  for (const r of latestPerMember(records)) {
    if (r.attribution.kind !== 'invite' && r.attribution.kind !== 'vanity') continue;
    const s = out.get(r.attribution.code);
    if (!s) continue;
    s.total++;
    s[classifyJoin(r)]++;
  }
  return [...out.values()];
}
