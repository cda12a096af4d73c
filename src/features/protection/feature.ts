import {
  type APIChatInputApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  type GatewayChannelUpdateDispatchData,
  GatewayDispatchEvents,
  type GatewayGuildCreateDispatchData,
  type GatewayGuildMemberAddDispatchData,
  type GatewayGuildMemberRemoveDispatchData,
  type GatewayGuildUpdateDispatchData,
  GatewayIntentBits,
  type GatewayInviteCreateDispatchData,
  type GatewayInviteDeleteDispatchData,
  PermissionFlagsBits as P,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import type { Handled } from '../../discord/handled.ts';
import { reply, type SubcommandCall } from '../../discord/interaction.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { t as tr } from '../../i18n/index.ts';
import type { FeatureModule, GuildFeature, GuildHost } from '../../platform/feature.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import { AntiRaid, RAID_JOBS, RAID_TIMERS, type RaidStatus } from './antiraid.ts';
import { raidCommand, raidComponent } from './antiraid-commands.ts';
import { PROTECTION_COMMANDS } from './commands.ts';
import { HotState } from './hot-state.ts';
import { INVITE_JOB, type InviteStatus, InviteTracker } from './invite-tracking.ts';
import { ROLE_JOB, RoleQueue } from './roles.ts';
import type { MinuteBucket } from './rules/activity.ts';
import type { AntiRaidConfig, GateConfig } from './rules/config.ts';
import type { Campaigns } from './rules/invites.ts';
import { PROTECTION_SCHEMA, ProtectionStore } from './store.ts';
import { GATE_JOBS, GATE_TIMERS, type GateStatus, VerificationGate } from './verification-gate.ts';
import { ephemeral, RAID_FEATURE, VERIFY_FEATURE } from './views.ts';

export interface ProtectionStatus {
  /** Joins and leaves per minute, the last hour, oldest first. */
  activity: MinuteBucket[];
  raid: RaidStatus;
  invites: InviteStatus;
  verification: GateStatus;
  /** Role changes (quarantine, verification) not sent yet. */
  rolesPending: number;
}

interface Setting<T> {
  get(): T;
  save(value: T): void;
}

/** Protection's settings, each read and saved the way its commands do. */
export interface ProtectionSettings {
  antiraid: Setting<AntiRaidConfig>;
  verification: Setting<GateConfig>;
  campaigns: Setting<Campaigns>;
}

/** The first moment the join is known by: its joined_at, never later than now. */
function joinTime(joinedAt: string | null | undefined, now: number): number {
  const t = joinedAt ? Date.parse(joinedAt) : NaN;
  return Number.isFinite(t) ? Math.min(t, now) : now;
}

/**
 * Protection in the guild actor: anti-raid with lockdown, invite tracking,
 * the verification gate, and join/leave activity. Each part keeps its rules
 * in the pure modules of src/features/moderation; this routes gateway
 * events, interactions and outbox jobs to them.
 */
export class GuildProtection implements GuildFeature {
  private readonly host: GuildHost;
  private readonly hot: HotState;
  private readonly roles: RoleQueue;
  private readonly raid: AntiRaid;
  private readonly invites: InviteTracker;
  private readonly gate: VerificationGate;

  constructor(host: GuildHost) {
    this.host = host;
    const store = new ProtectionStore(host.sql);
    this.hot = new HotState(store);
    this.roles = new RoleQueue(host, store, {
      roleId: () => this.raid.config().quarantineRoleId,
      remember: (id) => this.raid.rememberQuarantineRole(id),
    });
    this.raid = new AntiRaid(host, store, this.hot, this.roles);
    this.invites = new InviteTracker(host, store);
    this.gate = new VerificationGate(host, store, this.roles);
  }

  /**
   * A failure here is logged and the event counted as applied: a poison
   * event must not hold back the guild's whole stream (tickets, moderation)
   * by being retried for ever.
   */
  onEvent(e: GatewayEvent): Promise<void> | void {
    const failed = (err: unknown) =>
      console.error(`guild ${this.host.guildId}: protection could not apply ${e.t} #${e.s}: ${err instanceof Error ? err.stack : String(err)}`);
    try {
      return this.apply(e)?.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  /** Synchronous except for a join that starts a lockdown (its calls go first). */
  private apply(e: GatewayEvent): Promise<void> | void {
    const now = Date.now();
    switch (e.t) {
      case GatewayDispatchEvents.GuildCreate: {
        const d = e.d as GatewayGuildCreateDispatchData;
        this.raid.onGuild(d, true);
        this.invites.onGuild(d.vanity_url_code ?? null, true);
        return;
      }
      case GatewayDispatchEvents.GuildUpdate: {
        const d = e.d as GatewayGuildUpdateDispatchData;
        this.raid.onGuild(d, false);
        this.invites.onGuild(d.vanity_url_code ?? null, false);
        return;
      }
      case GatewayDispatchEvents.ChannelCreate:
      case GatewayDispatchEvents.ChannelUpdate:
      case GatewayDispatchEvents.ChannelDelete:
        this.raid.onChannel(e.d as GatewayChannelUpdateDispatchData, e.t === GatewayDispatchEvents.ChannelDelete);
        return;
      case GatewayDispatchEvents.GuildMemberAdd: {
        const d = e.d as GatewayGuildMemberAddDispatchData;
        const user = d.user;
        if (!user?.id) return;
        const at = joinTime(d.joined_at, now);
        const lockingDown = this.raid.onJoin(user.id, user.global_name || user.username || '', at);
        this.host.metric({ kind: 'member', guildId: this.host.guildId, what: 'join' });
        // Bots join through OAuth, not invites, and cannot press Verify.
        if (!user.bot) {
          this.invites.onJoin(user.id, at);
          this.gate.onJoin(user.id, at);
        }
        return lockingDown;
      }
      case GatewayDispatchEvents.GuildMemberRemove: {
        const userId = (e.d as GatewayGuildMemberRemoveDispatchData).user?.id;
        this.raid.onLeave(now);
        this.host.metric({ kind: 'member', guildId: this.host.guildId, what: 'leave' });
        if (!userId) return;
        this.invites.onLeave(userId, now);
        this.gate.onLeave(userId);
        return;
      }
      case GatewayDispatchEvents.InviteCreate:
        this.invites.onInviteCreate(e.d as GatewayInviteCreateDispatchData, now);
        return;
      case GatewayDispatchEvents.InviteDelete:
        this.invites.onInviteDelete(e.d as GatewayInviteDeleteDispatchData, now);
        return;
    }
  }

  async command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled> {
    switch (i.data.name) {
      case 'antiraid':
      case 'lockdown':
        return raidCommand(this.raid, i, call);
      case 'invites':
        return this.invites.command(i, call);
      case 'verification':
        return this.gate.command(i, call);
      default:
        return { response: reply(ephemeral(tr(i.locale, 'common.unsupported-command'))), outcome: 'refused:unsupported', detail: '' };
    }
  }

  async component(i: APIMessageComponentInteraction, cid: CustomId): Promise<Handled> {
    return cid.feature === RAID_FEATURE ? raidComponent(this.raid, i, cid) : this.gate.component(i, cid);
  }

  async modal(i: APIModalSubmitInteraction, cid: CustomId): Promise<Handled> {
    return this.gate.modal(i, cid);
  }

  runTimer(t: Timer<string>): Promise<TimerResult> | TimerResult {
    if ((Object.values(GATE_TIMERS) as string[]).includes(t.kind)) return this.gate.runTimer(t);
    return this.raid.runTimer(t);
  }

  runJob(job: Job<string>): Promise<JobResult> {
    if (job.kind === INVITE_JOB) return this.invites.run();
    if (job.kind === ROLE_JOB) return this.roles.run();
    if ((Object.values(GATE_JOBS) as string[]).includes(job.kind)) return this.gate.runJob(job);
    return this.raid.runJob(job);
  }

  /** The settings the commands change, for the dashboard and the REST API (checked by the same rules before they are saved). */
  settings(): ProtectionSettings {
    return {
      antiraid: { get: () => this.raid.config(), save: (c) => this.raid.setConfig(c) },
      verification: { get: () => this.gate.config(), save: (c) => this.gate.save(c) },
      campaigns: { get: () => this.invites.campaigns(), save: (c) => this.invites.saveCampaigns(c) },
    };
  }

  status(now = Date.now()): ProtectionStatus {
    return {
      activity: this.hot.series(now, 60),
      raid: this.raid.status(now),
      invites: this.invites.status(),
      verification: this.gate.status(),
      rolesPending: this.roles.pending(),
    };
  }
}

/**
 * Protection as a feature: anti-raid and lockdown, invite tracking, the
 * verification gate. Needs the privileged Server Members intent (joins).
 */
export const protection: FeatureModule = {
  name: 'protection',
  commands: PROTECTION_COMMANDS,
  customIds: [RAID_FEATURE, VERIFY_FEATURE],
  autocomplete: [],
  jobs: [...Object.values(RAID_JOBS), INVITE_JOB, ROLE_JOB, ...Object.values(GATE_JOBS)],
  timers: [...Object.values(RAID_TIMERS), ...Object.values(GATE_TIMERS)],
  events: [
    GatewayDispatchEvents.GuildCreate,
    GatewayDispatchEvents.GuildUpdate,
    GatewayDispatchEvents.ChannelCreate,
    GatewayDispatchEvents.ChannelUpdate,
    GatewayDispatchEvents.ChannelDelete,
    GatewayDispatchEvents.GuildMemberAdd,
    GatewayDispatchEvents.GuildMemberRemove,
    GatewayDispatchEvents.InviteCreate,
    GatewayDispatchEvents.InviteDelete,
  ],
  intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildInvites,
  // Lockdown edits the guild (verification level, invites) and channels (slowmode), quarantines with a role, removes raiders.
  permissions: P.ManageGuild | P.ManageChannels | P.ManageRoles | P.KickMembers | P.BanMembers | P.ViewChannel | P.SendMessages | P.EmbedLinks,
  migrations: { guild: [{ name: 'protection-schema', sql: PROTECTION_SCHEMA }] },
  routes: [
    // Loaded on first use, so Node scripts read these declarations without the Worker runtime.
    {
      method: 'GET',
      path: '/api/guilds/:guildId/protection',
      handle: async (req, env) => (await import('../../routes/protection.ts')).handleProtectionForStaff(req, env, req.params.guildId!),
    },
    {
      method: 'GET',
      path: '/admin/guilds/:guildId/protection',
      handle: async (req, env) => (await import('../../routes/protection.ts')).handleProtectionForAdmin(req, env, req.params.guildId!),
    },
  ],
  guild: (host) => new GuildProtection(host),
};
