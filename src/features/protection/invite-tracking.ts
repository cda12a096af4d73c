import {
  type APIChatInputApplicationCommandInteraction,
  type APIExtendedInvite,
  type GatewayInviteCreateDispatchData,
  type GatewayInviteDeleteDispatchData,
  PermissionFlagsBits,
  type RESTGetAPIGuildVanityUrlResult,
  Routes,
} from 'discord-api-types/v10';
import { isPermanent } from '../../discord/errors.ts';
import { hasPermission, parsePermissions } from '../../discord/hierarchy.ts';
import { invokerOf, reply, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { describeRestError } from '../../discord/rest.ts';
import { snowflakeTime } from '../../discord/snowflake.ts';
import { t as tr } from '../../i18n/index.ts';
import { ok } from '../../lib/result.ts';
import type { MetricEvent } from '../../runtime/metrics.ts';
import type { JobResult } from '../../runtime/outbox.ts';
import type { GuildFeatureHost } from '../guild-feature.ts';
import type { Handled } from '../tickets/guild-commands.ts';
import { BatchedJob } from './batched-job.ts';
import {
  type Attribution,
  applyInviteCreate,
  applyInviteDelete,
  attribute,
  type Campaigns,
  campaignStats,
  type InviteSnapshot,
  inviterStats,
  leaderboard,
  nameCampaign,
  nextBaseline,
  snapshotFromRest,
} from './rules/invites.ts';
import type { ProtectionStore } from './store.ts';
import { campaignsText, ephemeral, inviterSummary, leaderboardText } from './views.ts';

export const INVITE_JOB = 'invite-read';
const SNAPSHOT_KEY = 'invite-snapshot';
const CAMPAIGNS_KEY = 'invite-campaigns';
const VANITY_KEY = 'invite-vanity-code';
/** Discord rate-limits the invite list per guild: one read a second at most, whatever the join rate. */
const MIN_READ_INTERVAL_MS = 1000;
/** One attributed join as a metric event (joins per invite and inviter in Analytics Engine). */
const inviteMetric = (guildId: string, a: Attribution, campaigns: Campaigns): MetricEvent => {
  const code = a.kind === 'invite' || a.kind === 'vanity' ? a.code : null;
  return {
    kind: 'invite',
    guildId,
    attribution: a.kind,
    code,
    inviterId: a.kind === 'invite' ? a.inviterId : null,
    campaign: code ? (campaigns[code] ?? null) : null,
  };
};

/** Joins arriving together (within this) are read and attributed together. */
const GATHER_MS = 250;

const refused = (code: string, message: string): Handled => ({ response: reply(ephemeral(message)), outcome: `refused:${code}`, detail: '' });

export interface InviteStatus {
  snapshotAt: number | null;
  invites: number;
  vanity: string | null;
  pendingJoins: number;
  trackedJoins: number;
}

/**
 * Invite tracking: a snapshot of every invite's use count (taken from the
 * REST list at GUILD_CREATE, kept current by INVITE_CREATE and
 * INVITE_DELETE), and after joins one re-read for all the joins that
 * arrived together, diffed by invites.ts to attribute them.
 */
export class InviteTracker {
  private readonly host: GuildFeatureHost;
  private readonly store: ProtectionStore;
  private readonly job: BatchedJob;
  private lastReadAt = 0;

  constructor(host: GuildFeatureHost, store: ProtectionStore) {
    this.host = host;
    this.store = store;
    this.job = new BatchedJob(host, INVITE_JOB);
  }

  /** Named campaign invites (code → name), as /invites name keeps them. */
  campaigns(): Campaigns {
    return this.store.get<Campaigns>(CAMPAIGNS_KEY, {});
  }

  saveCampaigns(c: Campaigns): void {
    this.store.set(CAMPAIGNS_KEY, c);
  }

  private snapshot(): InviteSnapshot | null {
    return this.store.get<InviteSnapshot | null>(SNAPSHOT_KEY, null);
  }

  /** GUILD_CREATE (always a fresh snapshot: uses may have changed while the bot was away) and GUILD_UPDATE. */
  onGuild(vanityCode: string | null, created: boolean): void {
    const changed = this.store.get<string | null>(VANITY_KEY, null) !== vanityCode;
    if (changed) this.store.set(VANITY_KEY, vanityCode);
    if (created || changed || !this.snapshot()) this.requestRead();
  }

  onInviteCreate(d: GatewayInviteCreateDispatchData, now: number): void {
    const s = this.snapshot();
    // Without a snapshot the read under way (or the next one) will list it.
    if (s) this.store.set(SNAPSHOT_KEY, applyInviteCreate(s, d, now));
  }

  onInviteDelete(d: GatewayInviteDeleteDispatchData, now: number): void {
    const s = this.snapshot();
    if (s) this.store.set(SNAPSHOT_KEY, applyInviteDelete(s, d, now));
  }

  onJoin(userId: string, at: number): void {
    this.store.addPendingJoin(userId, at);
    this.requestRead();
  }

  onLeave(userId: string, at: number): void {
    this.store.recordLeave(userId, at);
  }

  private requestRead(): void {
    this.job.request({ delayMs: Math.max(GATHER_MS, this.lastReadAt + MIN_READ_INTERVAL_MS - Date.now()) });
  }

  /**
   * One read for every join seen so far. The joins are taken after the
   * list comes back: each of them was counted by Discord before its
   * GUILD_MEMBER_ADD was sent, so the list reflects them.
   */
  async run(): Promise<JobResult> {
    this.lastReadAt = Date.now();
    const vanityCode = this.store.get<string | null>(VANITY_KEY, null);
    // A snapshot with no join waiting for it (GUILD_CREATE of every guild at gateway start) yields to other requests.
    const background = this.store.pendingJoins().length === 0;
    const [list, vanity] = await Promise.all([
      this.host.rest.get<APIExtendedInvite[]>(Routes.guildInvites(this.host.guildId), { background }),
      vanityCode ? this.host.rest.get<RESTGetAPIGuildVanityUrlResult>(Routes.guildVanityUrl(this.host.guildId), { background }) : Promise.resolve(ok(null)),
    ]);
    this.job.taking();
    const pending = this.store.pendingJoins();
    const upTo = pending.at(-1)?.seq ?? 0;
    const record = (attribution: Attribution) => {
      const campaigns = this.store.get<Campaigns>(CAMPAIGNS_KEY, {});
      for (const _ of pending) this.host.metric(inviteMetric(this.host.guildId, attribution, campaigns));
      return pending.map((p) => ({
        userId: p.userId,
        joinedAt: p.joinedAt,
        accountCreatedAt: snowflakeTime(p.userId) ?? p.joinedAt,
        attribution,
        leftAt: null,
      }));
    };
    if (!list.ok || !vanity.ok) {
      const error = !list.ok ? list.error : !vanity.ok ? vanity.error : null;
      if (error && !isPermanent(error)) return 'retry';
      // Without Manage Server there are no use counts to diff: the joins stay unattributed.
      console.error(`guild ${this.host.guildId}: invite list unreadable: ${error ? describeRestError(error) : ''}`);
      this.store.recordJoins(upTo, record({ kind: 'unknown' }));
      return 'done';
    }
    const now = Date.now();
    const fresh = snapshotFromRest(list.value, vanity.value, now);
    const before = this.snapshot();
    let next = fresh;
    if (pending.length > 0) {
      const attribution: Attribution = before ? attribute(before, fresh, now, pending.length) : { kind: 'unknown' };
      if (before) next = nextBaseline(before, fresh, attribution, pending.length);
      this.store.recordJoins(upTo, record(attribution));
    }
    // An invite created while the list was being read may be missing from it.
    for (const e of Object.values(before?.invites ?? {})) {
      if (!next.invites[e.code] && e.deletedAt === null && e.createdAt >= this.lastReadAt) next = { ...next, invites: { ...next.invites, [e.code]: e } };
    }
    this.store.set(SNAPSHOT_KEY, next);
    return 'done';
  }

  /** /invites member | leaderboard | name | campaigns */
  command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
    const inv = invokerOf(i);
    const locale = i.locale;
    const campaigns = this.store.get<Campaigns>(CAMPAIGNS_KEY, {});
    switch (call.path) {
      case 'invites member': {
        const userId = stringOption(call, 'member') ?? inv.userId;
        const stats = inviterStats(this.store.joinRecords()).get(userId);
        return { response: reply(ephemeral(inviterSummary(userId, stats, this.store.latestJoin(userId), campaigns, locale))), outcome: 'ok', detail: '' };
      }
      case 'invites leaderboard':
        return { response: reply(ephemeral(leaderboardText(leaderboard(inviterStats(this.store.joinRecords())), locale))), outcome: 'ok', detail: '' };
      case 'invites name': {
        if (!hasPermission(parsePermissions(inv.permissions), PermissionFlagsBits.ManageGuild))
          return refused('not-allowed', tr(locale, 'prot.invites.not-allowed'));
        const code = stringOption(call, 'code')?.trim() ?? '';
        const named = nameCampaign(campaigns, code, stringOption(call, 'name') ?? '');
        if (!named.ok) return refused('bad-input', named.error);
        this.store.set(CAMPAIGNS_KEY, named.value);
        const known = this.snapshot()?.invites[code] !== undefined || this.store.get<string | null>(VANITY_KEY, null) === code;
        return {
          response: reply(ephemeral(tr(locale, 'prot.invites.named', { code, name: named.value[code] ?? '', known: known ? 'yes' : 'no' }))),
          outcome: 'ok',
          detail: code,
        };
      }
      case 'invites campaigns':
        return { response: reply(ephemeral(campaignsText(campaignStats(this.store.joinRecords(), campaigns), locale))), outcome: 'ok', detail: '' };
      default:
        return refused('unsupported', tr(locale, 'common.unsupported-command'));
    }
  }

  status(): InviteStatus {
    const s = this.snapshot();
    return {
      snapshotAt: s?.takenAt ?? null,
      invites: Object.keys(s?.invites ?? {}).length,
      vanity: s?.vanity?.code ?? null,
      pendingJoins: this.store.pendingJoinCount(),
      trackedJoins: this.store.trackedJoins(),
    };
  }
}
