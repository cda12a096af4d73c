import {
  type APIChannel,
  type APIChatInputApplicationCommandInteraction,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  ChannelType,
  GatewayDispatchEvents,
  type GatewayGuildMemberAddDispatchData,
  type GatewayGuildMemberRemoveDispatchData,
  type GatewayGuildMemberUpdateDispatchData,
  GatewayIntentBits,
  type GatewayMessageCreateDispatchData,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits as P,
  Routes,
} from 'discord-api-types/v10';
import { isPermanent } from '../../discord/errors.ts';
import { type Handled, refused } from '../../discord/handled.ts';
import { invokerOf, type SubcommandCall } from '../../discord/interaction.ts';
import { describeRestError } from '../../discord/rest.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { localeOf, t as tr } from '../../i18n/index.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { type FeatureModule, type GuildFeature, type GuildHost, lazyRoutes } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import { BOTS_COMMAND, reviewText } from './commands.ts';
import {
  type Activity,
  acceptedBits,
  activityOf,
  type BotRecord,
  channelPermissions,
  type Drift,
  drift,
  effectivePermissions,
  type FieldErrors,
  grantedPermissions,
  isSnowflake,
  type PowerFlags,
  parseRecord,
  permissionNames,
  powerFlags,
  REMINDER_CHANNEL_NEEDS,
  reviewDueAt,
} from './rules.ts';
import { GOVERNANCE_MIGRATIONS, GovernanceStore } from './store.ts';

export const GOVERNANCE_TIMERS = { review: 'governance-review' } as const;
export const GOVERNANCE_JOBS = { remind: 'governance-remind', review: 'governance-review-reply' } as const;
/** Members asked of Discord per page (its maximum), and at most this many pages (100,000 members) per register. */
export const MEMBERS_PAGE = 1000;
export const MAX_MEMBER_PAGES = 100;
/**
 * How long one reading of the member list serves the register. Reading it is
 * up to 100 requests (and as many seconds under Discord's limits) in a large
 * server; meanwhile bots joining, leaving or changing roles come from the
 * gateway. An admin saving records page after page reads it once.
 */
export const ROSTER_TTL_MS = 5 * 60_000;

const reviewKey = (botId: string) => `governance:review:${botId}`;

/** One bot of the guild, as the register shows it. */
export interface BotEntry {
  id: string;
  name: string;
  /** Guildkeep itself. */
  self: boolean;
  roles: { id: string; name: string }[];
  /** Its guild-level permissions by name (what its roles grant; Administrator implies every other). */
  permissions: string[];
  flags: PowerFlags;
  activity: Activity;
  record: (BotRecord & { remindedFor: string | null; updatedAt: number; updatedBy: string }) | null;
}

/** What GET /api/dashboard/guilds/:id/bots answers. */
export interface BotRegister {
  guildId: string;
  /** False when the guild has more members than one register reads (MAX_MEMBER_PAGES): bots beyond are not listed. */
  complete: boolean;
  bots: BotEntry[];
  /** Guildkeep's own permissions against what its enabled features need. */
  drift: Drift;
  watchedSince: number;
  reminderChannelId: string | null;
}

export type SaveAnswer = { ok: true; record: BotRecord } | { ok: false; errors: FieldErrors } | { ok: false; unavailable: string };

/**
 * The bot governance register inside the guild actor: every bot member with
 * its roles, effective permissions and flags (rules.ts), the last message
 * seen from each (gateway MESSAGE_CREATE, one upsert per bot per batch), what
 * admins wrote about it (owner, purpose, failure plan, review date, accepted
 * powers) with a reminder on the review date, and Guildkeep's own drift.
 */
export class GuildGovernance implements GuildFeature {
  private readonly host: GuildHost;
  readonly store: GovernanceStore;
  /** Bots' messages of the batch being applied, written with it. */
  private readonly pending = new Map<string, number>();
  /** The bot members as last read from Discord (kept up to date by the gateway), in memory only: an evicted actor reads again. */
  private roster: { at: number; complete: boolean; bots: Map<string, APIGuildMember> } | null = null;

  constructor(host: GuildHost) {
    this.host = host;
    this.store = new GovernanceStore(host.sql);
    // Watching starts now (kept from the first time): the register says since when silence can be known.
    this.store.settings(now());
  }

  onEvent(e: GatewayEvent): void {
    if (e.t !== GatewayDispatchEvents.MessageCreate) return this.rosterEvent(e);
    const m = e.d as GatewayMessageCreateDispatchData;
    if (!m.author.bot || m.webhook_id) return;
    const at = Date.parse(m.timestamp);
    this.pending.set(m.author.id, Math.max(this.pending.get(m.author.id) ?? 0, Number.isNaN(at) ? now() : at));
  }

  /** A bot joining, changing or leaving, applied to the roster read earlier (people are not kept). */
  private rosterEvent(e: GatewayEvent): void {
    const bots = this.roster?.bots;
    if (!bots) return;
    if (e.t === GatewayDispatchEvents.GuildMemberRemove) {
      bots.delete((e.d as GatewayGuildMemberRemoveDispatchData).user.id);
      return;
    }
    if (e.t !== GatewayDispatchEvents.GuildMemberAdd && e.t !== GatewayDispatchEvents.GuildMemberUpdate) return;
    const m = e.d as GatewayGuildMemberAddDispatchData | GatewayGuildMemberUpdateDispatchData;
    if (!m.user.bot) return;
    const before = bots.get(m.user.id);
    bots.set(m.user.id, { ...before, ...m, joined_at: m.joined_at ?? before?.joined_at ?? '' } as APIGuildMember);
  }

  /** The guild's bot members: the roster while fresh, else Discord's member list read page by page. */
  private async botMembers(): Promise<Result<{ complete: boolean; bots: APIGuildMember[] }, string>> {
    if (this.roster && now() - this.roster.at < ROSTER_TTL_MS) return ok({ complete: this.roster.complete, bots: [...this.roster.bots.values()] });
    const g = this.host.guildId;
    const bots = new Map<string, APIGuildMember>();
    let after = '0';
    let complete = false;
    for (let page = 0; page < MAX_MEMBER_PAGES; page++) {
      const r = await this.host.rest.get<APIGuildMember[]>(Routes.guildMembers(g), { query: { limit: MEMBERS_PAGE, after } });
      if (!r.ok) return err(describeRestError(r.error));
      for (const m of r.value) if (m.user.bot) bots.set(m.user.id, m);
      if (r.value.length < MEMBERS_PAGE) {
        complete = true;
        break;
      }
      after = r.value[r.value.length - 1]!.user.id;
    }
    this.roster = { at: now(), complete, bots };
    return ok({ complete, bots: [...bots.values()] });
  }

  writeBatch(): void {
    if (this.pending.size === 0) return;
    this.store.writeSeen(this.pending);
    this.pending.clear();
  }

  discardBatch(): void {
    this.pending.clear();
  }

  /**
   * `/bots review`: for members who may manage the server (checked on every
   * call). Listing members can take longer than Discord waits, so the answer
   * is deferred and a job edits it in.
   */
  command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
    const locale = localeOf(i);
    const perms = invokerOf(i).permissions;
    const may = perms !== undefined && /^\d+$/.test(perms) && (BigInt(perms) & (P.ManageGuild | P.Administrator)) !== 0n;
    if (call.path !== 'bots review') return refused('unknown-command', tr(locale, 'route.unhandled-component'));
    if (!may) return refused('not-manager', tr(locale, 'gov.review.refused'));
    this.host.enqueue(GOVERNANCE_JOBS.review, { token: i.token, locale: locale ?? null });
    this.host.kick();
    return {
      response: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } },
      outcome: 'ok',
      detail: 'bots review',
    };
  }

  /** The register, from Discord's current members and roles; `required` is what the enabled features need (invite.ts). */
  async register(required: bigint): Promise<Result<BotRegister, string>> {
    const g = this.host.guildId;
    const [guild, roles] = await Promise.all([this.host.rest.get<APIGuild>(Routes.guild(g)), this.host.rest.get<APIRole[]>(Routes.guildRoles(g))]);
    if (!guild.ok) return err(describeRestError(guild.error));
    if (!roles.ok) return err(describeRestError(roles.error));
    const members = await this.botMembers();
    if (!members.ok) return members;
    const { bots, complete } = members.value;
    const facts = { id: g, ownerId: guild.value.owner_id, roles: roles.value };
    const names = new Map(roles.value.map((r) => [r.id, r.name]));
    const records = new Map(this.store.all().map((r) => [r.botId, r]));
    const seen = this.store.lastSeen();
    const settings = this.store.settings(now());
    const selfId = this.host.config.applicationId;
    const entries = bots.map((m): BotEntry => {
      const granted = grantedPermissions(m.roles, facts);
      const effective = effectivePermissions({ userId: m.user.id, roles: m.roles }, facts);
      const record = records.get(m.user.id) ?? null;
      return {
        id: m.user.id,
        name: m.nick ?? m.user.global_name ?? m.user.username,
        self: m.user.id === selfId,
        roles: m.roles.map((id) => ({ id, name: names.get(id) ?? id })),
        permissions: (effective & P.Administrator) !== 0n ? ['Administrator'] : permissionNames(effective),
        flags: powerFlags(m.user.id === facts.ownerId ? effective : granted, acceptedBits(record?.accepted ?? [])),
        activity: activityOf(seen.get(m.user.id) ?? null, settings.watchSince, now()),
        record,
      };
    });
    entries.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
    // Guildkeep's own member: from the list, or asked for when the list stopped before it.
    let self = bots.find((m) => m.user.id === selfId);
    if (!self) {
      const me = await this.host.rest.get<APIGuildMember>(Routes.guildMember(g, selfId));
      if (!me.ok) return err(describeRestError(me.error));
      self = me.value;
    }
    const selfMember = { userId: self.user.id, roles: self.roles };
    const own: Drift = drift(grantedPermissions(self.roles, facts, false), effectivePermissions(selfMember, facts), required);
    own.channels = settings.reminderChannel ? await this.channelDrift(settings.reminderChannel, self, facts) : [];
    return ok({ guildId: g, complete, bots: entries, drift: own, watchedSince: settings.watchSince, reminderChannelId: settings.reminderChannel });
  }

  /** What Guildkeep lacks in the reminder channel after its overwrites (a deleted channel lacks everything; unreachable: not said). */
  private async channelDrift(
    channelId: string,
    self: APIGuildMember,
    facts: { id: string; ownerId: string; roles: readonly APIRole[] },
  ): Promise<{ channelId: string; missing: string[] }[]> {
    const c = await this.host.rest.get<APIChannel>(Routes.channel(channelId));
    if (!c.ok) return c.error.kind === 'discord' && c.error.status === 404 ? [{ channelId, missing: permissionNames(REMINDER_CHANNEL_NEEDS) }] : [];
    const overwrites = 'permission_overwrites' in c.value ? (c.value.permission_overwrites ?? []) : [];
    const member = { userId: self.user.id, roles: self.roles };
    const bits = channelPermissions(effectivePermissions(member, facts), member, facts.id, overwrites);
    const missing = permissionNames(REMINDER_CHANNEL_NEEDS & ~bits);
    return missing.length > 0 ? [{ channelId, missing }] : [];
  }

  /**
   * Saves what an admin wrote about a bot: checked (rules.ts), then the bot
   * must be a bot member and the owner a human member (asked of Discord).
   * Any error changes nothing. The review reminder is set, moved or cancelled.
   */
  async save(input: Record<string, unknown>, by: string): Promise<SaveAnswer> {
    const p = parseRecord(input, now());
    if (!p.ok) return p;
    const r = p.value;
    const g = this.host.guildId;
    const [bot, owner] = await Promise.all([
      this.host.rest.get<APIGuildMember>(Routes.guildMember(g, r.botId)),
      this.host.rest.get<APIGuildMember>(Routes.guildMember(g, r.ownerId)),
    ]);
    const errors: FieldErrors = {};
    for (const answer of [bot, owner])
      if (!answer.ok && !(answer.error.kind === 'discord' && answer.error.status === 404)) return { ok: false, unavailable: describeRestError(answer.error) };
    if (!bot.ok || !bot.value.user.bot) errors.bot = 'bot-not-bot';
    if (!owner.ok) errors.owner = 'owner-not-member';
    else if (owner.value.user.bot) errors.owner = 'owner-is-bot';
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    const before = this.store.get(r.botId);
    this.store.save(r, by, now());
    if (r.reviewDate) this.host.timers.set(reviewKey(r.botId), GOVERNANCE_TIMERS.review, reviewDueAt(r.reviewDate), { botId: r.botId, date: r.reviewDate });
    else this.host.timers.cancel(reviewKey(r.botId));
    this.host.audit({
      at: now(),
      guildId: g,
      userId: by,
      action: 'governance record',
      outcome: 'ok',
      latencyMs: 0,
      detail: `bot ${r.botId}${before ? ' (changed)' : ' (new)'}: owner ${r.ownerId}, review ${r.reviewDate ?? 'none'}, accepted ${r.accepted.join(' ') || 'none'}`,
    });
    return { ok: true, record: r };
  }

  /** Where review reminders go: a text channel of the guild, or null to DM each bot's owner. */
  async setReminderChannel(
    raw: unknown,
    by: string,
  ): Promise<{ ok: true; channelId: string | null } | { ok: false; errors: FieldErrors } | { ok: false; unavailable: string }> {
    if (typeof raw !== 'string' && raw !== null) return { ok: false, errors: { reminderChannel: 'channel-format' } };
    const id = (raw ?? '').trim().replace(/^<#(\d+)>$/, '$1');
    if (id !== '' && !isSnowflake(id)) return { ok: false, errors: { reminderChannel: 'channel-format' } };
    if (id !== '') {
      const c = await this.host.rest.get<APIChannel>(Routes.channel(id));
      if (!c.ok && !(c.error.kind === 'discord' && c.error.status === 404)) return { ok: false, unavailable: describeRestError(c.error) };
      if (!c.ok || !('guild_id' in c.value) || c.value.guild_id !== this.host.guildId || c.value.type !== ChannelType.GuildText)
        return { ok: false, errors: { reminderChannel: 'channel-not-text' } };
    }
    const channelId = id === '' ? null : id;
    this.store.setReminderChannel(channelId, now());
    this.host.audit({
      at: now(),
      guildId: this.host.guildId,
      userId: by,
      action: 'governance settings',
      outcome: 'ok',
      latencyMs: 0,
      detail: `review reminders: ${channelId ? `channel ${channelId}` : "DM to each bot's owner"}`,
    });
    return { ok: true, channelId };
  }

  /** A review date came: marked reminded (once per date, checked against what is saved now), then the message is queued. */
  runTimer(t: Timer<string>): TimerResult {
    const { botId, date } = t.payload as { botId: string; date: string };
    const r = this.store.get(botId);
    if (!r || r.reviewDate !== date || r.remindedFor === date) return 'done';
    this.store.markReminded(botId, date);
    this.host.enqueue(GOVERNANCE_JOBS.remind, { botId, date }, { dedupe: `governance-remind:${botId}:${date}` });
    this.host.audit({
      at: now(),
      guildId: this.host.guildId,
      userId: r.ownerId,
      action: 'governance reminder',
      outcome: 'ok',
      latencyMs: 0,
      detail: `bot ${botId}: review due ${date}`,
    });
    return 'done';
  }

  async runJob(job: Job<string>): Promise<JobResult> {
    return job.kind === GOVERNANCE_JOBS.review
      ? this.answerReview(job.payload as { token: string; locale: string | null })
      : this.remind(job.payload as { botId: string; date: string });
  }

  /** Edits the deferred `/bots review` answer in; `required` is read from the feature list when the job runs. */
  private async answerReview(p: { token: string; locale: string | null }): Promise<JobResult> {
    const { MODULES } = await import('../index.ts');
    const { requiredPermissions } = await import('../../platform/invite.ts');
    const r = await this.register(requiredPermissions(MODULES));
    const locale = p.locale ?? undefined;
    const base = this.host.config.publicUrl?.replace(/\/$/, '');
    const content = r.ok
      ? reviewText(locale, r.value, now(), base ? `${base}/dashboard/guilds/${this.host.guildId}/bots` : null)
      : tr(locale, 'gov.review.unavailable');
    const sent = await this.host.rest.patch(Routes.webhookMessage(this.host.config.applicationId, p.token, '@original'), {
      body: { content, allowed_mentions: { parse: [] } },
    });
    if (!sent.ok) return isPermanent(sent.error) ? 'done' : 'retry';
    return 'done';
  }

  /** Posts the review reminder: in the configured channel, or as a DM to the bot's owner. */
  private async remind({ botId, date }: { botId: string; date: string }): Promise<JobResult> {
    const r = this.store.get(botId);
    if (!r) return 'done';
    // A bot that has left the server needs no review: nothing is posted, and the audit log says why.
    const still = await this.host.rest.get<APIGuildMember>(Routes.guildMember(this.host.guildId, botId));
    if (!still.ok) {
      if (!(still.error.kind === 'discord' && still.error.status === 404)) return isPermanent(still.error) ? 'done' : 'retry';
      this.host.audit({
        at: now(),
        guildId: this.host.guildId,
        userId: r.ownerId,
        action: 'governance reminder',
        outcome: 'refused:bot-left',
        latencyMs: 0,
        detail: `bot ${botId}: left before its review ${date}`,
      });
      return 'done';
    }
    const content = tr(guildLocale(this.host.sql), 'gov.reminder', { owner: r.ownerId, bot: botId, date, purpose: r.purpose });
    let channel = this.store.settings(now()).reminderChannel;
    if (!channel) {
      const dm = await this.host.rest.post<APIChannel>(Routes.userChannels(), { body: { recipient_id: r.ownerId } });
      if (!dm.ok) return isPermanent(dm.error) ? 'done' : 'retry';
      channel = dm.value.id;
    }
    const sent = await this.host.rest.post(Routes.channelMessages(channel), { body: { content, allowed_mentions: { users: [r.ownerId] } } });
    if (!sent.ok) return isPermanent(sent.error) ? 'done' : 'retry';
    return 'done';
  }
}

/** Loaded on first use (routes.ts reads the feature list, which lists this module). */
const route = lazyRoutes(() => import('./routes.ts').then((m) => m.GOVERNANCE_HANDLERS));

/**
 * Bot governance: a register of every bot in the server (roles, effective
 * permissions, Administrator and over-powered flags, 90-day silence), what
 * admins record per bot (owner, purpose, failure plan, review date with a
 * reminder), and Guildkeep's own permission drift, on the dashboard.
 */
export const governance: FeatureModule = {
  name: 'governance',
  commands: [BOTS_COMMAND],
  customIds: [],
  autocomplete: [],
  jobs: Object.values(GOVERNANCE_JOBS),
  timers: Object.values(GOVERNANCE_TIMERS),
  // Bots' messages give their last activity; the member list (REST) needs the Server Members intent enabled.
  // Bots joining, changing roles or leaving keep the roster read from the member list current.
  events: [
    GatewayDispatchEvents.MessageCreate,
    GatewayDispatchEvents.GuildMemberAdd,
    GatewayDispatchEvents.GuildMemberUpdate,
    GatewayDispatchEvents.GuildMemberRemove,
  ],
  intents: GatewayIntentBits.GuildMessages | GatewayIntentBits.GuildMembers,
  // Review reminders in a channel (or a DM to the owner).
  permissions: P.ViewChannel | P.SendMessages,
  migrations: { guild: GOVERNANCE_MIGRATIONS },
  routes: [
    route('GET', '/dashboard/guilds/:id/bots', 'page'),
    route('POST', '/dashboard/guilds/:id/bots', 'form'),
    route('GET', '/api/dashboard/guilds/:id/bots', 'api'),
    route('POST', '/api/dashboard/guilds/:id/bots', 'apiSave'),
  ],
  guild: (host) => new GuildGovernance(host),
};
