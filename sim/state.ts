// In-memory Discord data: users, guilds, roles, members, channels, threads,
// thread members, messages, application commands, bans, invites and the bot's
// DM channels. Lookups throw the Discord error a missing resource gets.

import type {
  APIApplicationCommand,
  APIBan,
  APIDMChannel,
  APIGuild,
  APIGuildCategoryChannel,
  APIGuildMember,
  APIMessage,
  APIOverwrite,
  APIRole,
  APITextChannel,
  APIThreadChannel,
  APIThreadMember,
  APIUser,
  ChannelFlags,
  GuildMemberFlags,
  MessageFlags,
  RoleFlags,
  ThreadAutoArchiveDuration,
  UserFlags,
} from 'discord-api-types/v10';
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildFeature,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  type GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  type MessageType,
  type OverwriteType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type ThreadMemberFlags,
} from 'discord-api-types/v10';
import { AttachmentStore } from './attachments.ts';
import { avatarHash } from './cdn.ts';
import { apiError } from './errors.ts';
import { snowflake, snowflakeAt } from './snowflake.ts';

export type SimChannel = APITextChannel | APIGuildCategoryChannel | APIThreadChannel;

export interface DemoGuild {
  guildId: string;
  ownerId: string;
  adminId: string;
  staffId: string;
  memberIds: string[];
  botUserId: string;
  supportChannelId: string;
  generalChannelId: string;
  ticketsCategoryId: string;
  staffRoleId: string;
  adminRoleId: string;
  botRoleId: string;
}

/** An invite as the simulator keeps it; rendered into Discord's shapes by invites.ts. */
export interface SimInvite {
  code: string;
  guildId: string;
  channelId: string;
  inviterId: string | null;
  uses: number;
  maxUses: number;
  // Seconds; 0 = never expires.
  maxAge: number;
  temporary: boolean;
  createdAt: number;
}

export interface SimConfig {
  interactionDeadlineMs: number;
  interactionTokenTtlMs: number;
  maxActiveThreads: number;
}

export const DEFAULT_CONFIG: SimConfig = {
  interactionDeadlineMs: 3000,
  interactionTokenTtlMs: 15 * 60 * 1000,
  maxActiveThreads: 1000,
};

const P = PermissionFlagsBits;
export const EVERYONE_PERMISSIONS =
  P.ViewChannel |
  P.SendMessages |
  P.SendMessagesInThreads |
  P.ReadMessageHistory |
  P.UseApplicationCommands |
  P.EmbedLinks |
  P.AttachFiles |
  P.AddReactions |
  P.CreatePublicThreads |
  P.CreatePrivateThreads |
  P.UseExternalEmojis |
  P.ChangeNickname |
  P.Connect |
  P.Speak |
  P.CreateInstantInvite;
export const STAFF_PERMISSIONS = EVERYONE_PERMISSIONS | P.ManageThreads | P.ManageMessages | P.ModerateMembers | P.MentionEveryone;

const GAMER_NAMES = [
  'pixelpaladin',
  'noscope_nina',
  'lagwizard',
  'critqueen',
  'respawn_rex',
  'loot_goblin',
  'manaburn',
  'speedrun_sam',
  'tankmain_toby',
  'afk_andy',
  'headshot_hal',
  'glitchhunter',
];

export const nowIso = (at: number = Date.now()): string => new Date(at).toISOString();

export class SimState {
  readonly applicationId: string;
  readonly botUser: APIUser;
  config: SimConfig = { ...DEFAULT_CONFIG };
  readonly users = new Map<string, APIUser>();
  readonly guilds = new Map<string, APIGuild>();
  readonly members = new Map<string, Map<string, APIGuildMember>>();
  readonly channels = new Map<string, SimChannel>();
  readonly messages = new Map<string, APIMessage[]>();
  readonly threadMembers = new Map<string, Map<string, APIThreadMember>>();
  globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  // guild id → user id → ban
  readonly bans = new Map<string, Map<string, APIBan>>();
  readonly invites = new Map<string, SimInvite>();
  readonly vanityUses = new Map<string, number>();
  // The bot's DM channels, by channel id and by recipient.
  readonly dmChannels = new Map<string, APIDMChannel>();
  readonly dmByUser = new Map<string, string>();
  // Users who do not accept DMs from server members (Discord answers 50007).
  readonly dmsClosed = new Set<string>();
  // "channel:user" → time of the user's last message, for slowmode.
  readonly lastPost = new Map<string, number>();
  // Hosted attachment bytes and members' uploads (the simulator's CDN).
  readonly attachments = new AttachmentStore();
  private nameCounter = 0;

  constructor(applicationId: string) {
    this.applicationId = applicationId;
    // Discord bot users share the application's id.
    this.botUser = {
      id: applicationId,
      username: 'Guildkeep',
      discriminator: '0000',
      global_name: null,
      avatar: null,
      bot: true,
      flags: 0 as UserFlags,
      public_flags: 0 as UserFlags,
    };
    this.users.set(applicationId, this.botUser);
  }

  // ---- users & guilds -------------------------------------------------

  // `createdAt` backdates the account: Discord derives account age from the id.
  createUser(username: string, createdAt?: number): APIUser {
    const id = createdAt === undefined ? snowflake() : snowflakeAt(createdAt);
    const user: APIUser = {
      id,
      username,
      discriminator: '0',
      global_name: username.replace(/_/g, ' '),
      // Every simulated member has an uploaded avatar, served by the simulator's CDN (cdn.ts); the bot has none.
      avatar: avatarHash(id),
      bot: false,
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
    };
    this.users.set(user.id, user);
    return user;
  }

  private uniqueGamerName(): string {
    const base = GAMER_NAMES[this.nameCounter % GAMER_NAMES.length]!;
    const round = Math.floor(this.nameCounter / GAMER_NAMES.length);
    this.nameCounter++;
    return round === 0 ? base : `${base}${round + 1}`;
  }

  createGuild(opts: { name?: string; members?: number; staff?: number; vanity?: string }): DemoGuild {
    const guildId = snowflake();
    const owner = this.createUser('guildmaster_gus');
    const guild: APIGuild = {
      id: guildId,
      name: opts.name ?? 'Guildkeep Demo',
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: owner.id,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: GuildVerificationLevel.Low,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.AllMembers,
      roles: [],
      emojis: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: GuildNSFWLevel.Default,
      stickers: [],
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
      region: 'deprecated',
    };
    if (opts.vanity) {
      guild.vanity_url_code = opts.vanity;
      guild.features.push(GuildFeature.VanityURL);
      this.vanityUses.set(guildId, 0);
    }
    this.guilds.set(guildId, guild);
    this.members.set(guildId, new Map());

    const everyone = this.addRole(guildId, '@everyone', EVERYONE_PERMISSIONS, guildId);
    everyone.position = 0;
    const staffRole = this.addRole(guildId, 'Support Staff', STAFF_PERMISSIONS);
    staffRole.color = 0x3498db;
    staffRole.hoist = true;
    staffRole.mentionable = true;
    const botRole = this.addRole(guildId, 'Guildkeep', P.Administrator);
    botRole.managed = true;
    botRole.tags = { bot_id: this.botUser.id };
    const adminRole = this.addRole(guildId, 'Admin', P.Administrator);
    adminRole.color = 0xe74c3c;
    adminRole.hoist = true;

    this.addMember(guildId, owner.id, [adminRole.id]);
    const admin = this.createUser('admin_ada');
    this.addMember(guildId, admin.id, [adminRole.id]);
    const staffCount = Math.max(0, opts.staff ?? 2);
    const staffIds: string[] = [];
    const staffNames = ['helper_hana', 'mod_milo', 'support_sora', 'warden_wes'];
    for (let i = 0; i < staffCount; i++) {
      const u = this.createUser(staffNames[i] ?? `helper_${i + 1}`);
      this.addMember(guildId, u.id, [staffRole.id]);
      staffIds.push(u.id);
    }
    const memberIds: string[] = [];
    const memberCount = Math.max(0, opts.members ?? 5);
    for (let i = 0; i < memberCount; i++) {
      const u = this.createUser(this.uniqueGamerName());
      this.addMember(guildId, u.id, []);
      memberIds.push(u.id);
    }
    this.addMember(guildId, this.botUser.id, [botRole.id]);

    const tickets = this.createChannel(guildId, { name: 'Tickets', type: ChannelType.GuildCategory });
    const general = this.createChannel(guildId, { name: 'general', type: ChannelType.GuildText });
    const support = this.createChannel(guildId, { name: 'support', type: ChannelType.GuildText, topic: 'Open a ticket with /ticket' });
    guild.system_channel_id = general.id;

    return {
      guildId,
      ownerId: owner.id,
      adminId: admin.id,
      staffId: staffIds[0] ?? '',
      memberIds,
      botUserId: this.botUser.id,
      supportChannelId: support.id,
      generalChannelId: general.id,
      ticketsCategoryId: tickets.id,
      staffRoleId: staffRole.id,
      adminRoleId: adminRole.id,
      botRoleId: botRole.id,
    };
  }

  addRole(guildId: string, name: string, permissions: bigint | string, id?: string): APIRole {
    const guild = this.guild(guildId);
    const role: APIRole = {
      id: id ?? snowflake(),
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: guild.roles.length,
      permissions: String(permissions),
      managed: false,
      mentionable: false,
      flags: 0 as RoleFlags,
    };
    guild.roles.push(role);
    return role;
  }

  // Moves a role to `position` (1 = just above @everyone) and renumbers the
  // others so positions stay unique and keep their order, as Discord does.
  placeRole(guildId: string, role: APIRole, position: number): void {
    const guild = this.guild(guildId);
    const others = guild.roles.filter((r) => r.id !== role.id && r.id !== guildId).sort((a, b) => a.position - b.position);
    const at = Math.max(0, Math.min(others.length, position - 1));
    others.splice(at, 0, role);
    others.forEach((r, i) => {
      r.position = i + 1;
    });
  }

  addMember(guildId: string, userId: string, roles: string[], joinedAt: number = Date.now()): APIGuildMember {
    const user = this.users.get(userId);
    if (!user) throw apiError(RESTJSONErrorCodes.UnknownUser);
    const member: APIGuildMember = {
      user,
      nick: null,
      avatar: null,
      banner: null,
      roles: [...roles],
      joined_at: nowIso(joinedAt),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
    this.membersOf(guildId).set(userId, member);
    return member;
  }

  // A member leaves (or is kicked or banned): they also leave the guild's threads.
  removeMember(guildId: string, userId: string): APIGuildMember | undefined {
    const members = this.membersOf(guildId);
    const member = members.get(userId);
    if (!member) return undefined;
    members.delete(userId);
    for (const c of this.guildChannels(guildId)) {
      if (isThread(c) && this.threadMembers.get(c.id)?.has(userId)) this.removeThreadMember(c, userId);
    }
    return member;
  }

  bansOf(guildId: string): Map<string, APIBan> {
    this.guild(guildId);
    let m = this.bans.get(guildId);
    if (!m) {
      m = new Map();
      this.bans.set(guildId, m);
    }
    return m;
  }

  // ---- channels ---------------------------------------------------------

  createChannel(
    guildId: string,
    opts: {
      name: string;
      type: ChannelType.GuildText | ChannelType.GuildCategory;
      parent_id?: string | null;
      topic?: string | null;
      permission_overwrites?: APIOverwrite[];
      nsfw?: boolean;
      rate_limit_per_user?: number;
      position?: number;
    },
  ): APITextChannel | APIGuildCategoryChannel {
    this.guild(guildId);
    const siblings = [...this.channels.values()].filter((c) => c.guild_id === guildId && !isThread(c));
    const base = {
      id: snowflake(),
      guild_id: guildId,
      name: opts.name,
      position: opts.position ?? siblings.length,
      permission_overwrites: opts.permission_overwrites ?? [],
      nsfw: opts.nsfw ?? false,
      flags: 0 as ChannelFlags,
    };
    const channel: APITextChannel | APIGuildCategoryChannel =
      opts.type === ChannelType.GuildCategory
        ? { ...base, type: ChannelType.GuildCategory, parent_id: null }
        : {
            ...base,
            type: ChannelType.GuildText,
            parent_id: opts.parent_id ?? null,
            topic: opts.topic ?? null,
            last_message_id: null,
            rate_limit_per_user: opts.rate_limit_per_user ?? 0,
            last_pin_timestamp: null,
            default_thread_rate_limit_per_user: 0,
          };
    this.channels.set(channel.id, channel);
    if (channel.type === ChannelType.GuildText) this.messages.set(channel.id, []);
    return channel;
  }

  createThread(
    parent: APITextChannel,
    opts: {
      name: string;
      type: ChannelType.PublicThread | ChannelType.PrivateThread;
      auto_archive_duration: ThreadAutoArchiveDuration;
      invitable: boolean;
      ownerId: string;
      rate_limit_per_user?: number;
      /** A thread started from a message has the message's id. */
      id?: string;
    },
  ): APIThreadChannel {
    const createdAt = nowIso();
    const thread: APIThreadChannel = {
      id: opts.id ?? snowflake(),
      type: opts.type,
      guild_id: parent.guild_id!,
      parent_id: parent.id,
      owner_id: opts.ownerId,
      name: opts.name,
      last_message_id: null,
      rate_limit_per_user: opts.rate_limit_per_user ?? 0,
      message_count: 0,
      member_count: 0,
      total_message_sent: 0,
      flags: 0 as ChannelFlags,
      permission_overwrites: [],
      nsfw: false,
      thread_metadata: {
        archived: false,
        auto_archive_duration: opts.auto_archive_duration,
        archive_timestamp: createdAt,
        locked: false,
        create_timestamp: createdAt,
        ...(opts.type === ChannelType.PrivateThread ? { invitable: opts.invitable } : {}),
      },
    };
    this.channels.set(thread.id, thread);
    this.messages.set(thread.id, []);
    this.threadMembers.set(thread.id, new Map());
    this.addThreadMember(thread, opts.ownerId);
    return thread;
  }

  addThreadMember(thread: APIThreadChannel, userId: string): APIThreadMember {
    const map = this.threadMembers.get(thread.id)!;
    let tm = map.get(userId);
    if (!tm) {
      tm = { id: thread.id, user_id: userId, join_timestamp: nowIso(), flags: 0 as ThreadMemberFlags };
      map.set(userId, tm);
      thread.member_count = Math.min(50, map.size);
    }
    return tm;
  }

  removeThreadMember(thread: APIThreadChannel, userId: string): void {
    const map = this.threadMembers.get(thread.id)!;
    map.delete(userId);
    thread.member_count = Math.min(50, map.size);
  }

  activeThreadCount(guildId: string): number {
    let n = 0;
    for (const c of this.channels.values()) {
      if (c.guild_id === guildId && isThread(c) && !c.thread_metadata?.archived) n++;
    }
    return n;
  }

  // ---- lookups that fail like Discord ---------------------------------

  guild(id: string): APIGuild {
    const g = this.guilds.get(id);
    if (!g) throw apiError(RESTJSONErrorCodes.UnknownGuild);
    return g;
  }

  membersOf(guildId: string): Map<string, APIGuildMember> {
    const m = this.members.get(guildId);
    if (!m) throw apiError(RESTJSONErrorCodes.UnknownGuild);
    return m;
  }

  member(guildId: string, userId: string): APIGuildMember {
    const m = this.membersOf(guildId).get(userId);
    if (!m) throw apiError(RESTJSONErrorCodes.UnknownMember);
    return m;
  }

  role(guildId: string, roleId: string): APIRole {
    const r = this.guild(guildId).roles.find((x) => x.id === roleId);
    if (!r) throw apiError(RESTJSONErrorCodes.UnknownRole);
    return r;
  }

  channel(id: string): SimChannel {
    const c = this.channels.get(id);
    if (!c) throw apiError(RESTJSONErrorCodes.UnknownChannel);
    return c;
  }

  messagesOf(channelId: string): APIMessage[] {
    let list = this.messages.get(channelId);
    if (!list) {
      list = [];
      this.messages.set(channelId, list);
    }
    return list;
  }

  message(channelId: string, messageId: string): APIMessage {
    const m = this.messages.get(channelId)?.find((x) => x.id === messageId);
    if (!m) throw apiError(RESTJSONErrorCodes.UnknownMessage);
    return m;
  }

  // Stores a message and applies its side effects on the channel/thread.
  appendMessage(channel: SimChannel, message: APIMessage): void {
    this.messagesOf(channel.id).push(message);
    if (channel.type !== ChannelType.GuildCategory) channel.last_message_id = message.id;
    if (isThread(channel)) {
      channel.message_count = (channel.message_count ?? 0) + 1;
      channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
      message.position = channel.total_message_sent - 1;
    }
  }

  systemMessage(channel: SimChannel, type: MessageType, author: APIUser, content: string): APIMessage {
    const message: APIMessage = {
      id: snowflake(),
      channel_id: channel.id,
      author,
      content,
      timestamp: nowIso(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type,
      flags: 0 as MessageFlags,
      components: [],
    };
    this.appendMessage(channel, message);
    return message;
  }

  guildChannels(guildId: string): SimChannel[] {
    return [...this.channels.values()].filter((c) => c.guild_id === guildId);
  }

  snapshot(guildId: string): unknown {
    const guild = this.guild(guildId);
    const channels = this.guildChannels(guildId).map((c) =>
      isThread(c)
        ? {
            ...c,
            thread_member_ids: [...(this.threadMembers.get(c.id)?.keys() ?? [])],
            archived: c.thread_metadata?.archived ?? false,
            locked: c.thread_metadata?.locked ?? false,
          }
        : c,
    );
    const messages: Record<string, APIMessage[]> = {};
    for (const c of this.guildChannels(guildId)) messages[c.id] = this.messages.get(c.id) ?? [];
    const invites = [...this.invites.values()].filter((i) => i.guildId === guildId);
    return {
      guild,
      roles: guild.roles,
      members: [...this.membersOf(guildId).values()],
      channels,
      messages,
      bans: [...(this.bans.get(guildId)?.values() ?? [])],
      invites,
      vanity: { code: guild.vanity_url_code, uses: this.vanityUses.get(guildId) ?? 0 },
    };
  }
}

export function isThread(c: SimChannel): c is APIThreadChannel {
  return c.type === ChannelType.PublicThread || c.type === ChannelType.PrivateThread || c.type === ChannelType.AnnouncementThread;
}

export function overwrite(id: string, type: OverwriteType, allow: bigint, deny: bigint): APIOverwrite {
  return { id, type, allow: String(allow), deny: String(deny) };
}
