// What goes into gateway dispatches: the intent each event needs (Discord's
// "List of Intents"), the shard a guild belongs to, and the payloads built
// from the simulator's state (GUILD_CREATE, MESSAGE_CREATE, member add...).

import type {
  APIGuildMember,
  APIGuildMemberNoUser,
  APIMessage,
  APIUnavailableGuild,
  APIUser,
  APIUserWithMember,
  GatewayGuildCreateDispatchData,
  GatewayGuildMemberAddDispatchData,
  GatewayGuildMemberUpdateDispatchData,
  GatewayMessageCreateDispatchData,
  GatewayThreadCreateDispatchData,
} from 'discord-api-types/v10';
import { ChannelType, GatewayDispatchEvents, GatewayIntentBits, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { channelPermissions, has } from './permissions.ts';
import { scheduledEventsOf } from './scheduled-events.ts';
import type { SimChannel, SimState } from './state.ts';
import { isThread } from './state.ts';
import { voiceStatesOf } from './voice.ts';

const E = GatewayDispatchEvents;
const I = GatewayIntentBits;

// Every intent bit Discord defines; anything else in IDENTIFY is close 4013.
export const KNOWN_INTENTS: number = Object.values(I)
  .filter((v): v is number => typeof v === 'number')
  .reduce((a, b) => a | b, 0);
export const PRIVILEGED_INTENTS: number = I.GuildMembers | I.GuildPresences | I.MessageContent;

// [intent for guild events, intent for DM events]; events not listed need no intent.
const INTENT_OF: Partial<Record<string, [number, number]>> = {};
function needs(guild: number, dm: number, ...events: GatewayDispatchEvents[]): void {
  for (const e of events) INTENT_OF[e] = [guild, dm];
}
needs(
  I.Guilds,
  0,
  E.GuildCreate,
  E.GuildUpdate,
  E.GuildDelete,
  E.GuildRoleCreate,
  E.GuildRoleUpdate,
  E.GuildRoleDelete,
  E.ChannelCreate,
  E.ChannelUpdate,
  E.ChannelDelete,
  E.ThreadCreate,
  E.ThreadUpdate,
  E.ThreadDelete,
  E.ThreadListSync,
  E.ThreadMemberUpdate,
  E.ThreadMembersUpdate,
  E.StageInstanceCreate,
  E.StageInstanceUpdate,
  E.StageInstanceDelete,
);
needs(I.Guilds, I.DirectMessages, E.ChannelPinsUpdate);
needs(I.GuildMembers, 0, E.GuildMemberAdd, E.GuildMemberUpdate, E.GuildMemberRemove);
needs(I.GuildModeration, 0, E.GuildAuditLogEntryCreate, E.GuildBanAdd, E.GuildBanRemove);
needs(
  I.GuildExpressions,
  0,
  E.GuildEmojisUpdate,
  E.GuildStickersUpdate,
  E.GuildSoundboardSoundCreate,
  E.GuildSoundboardSoundUpdate,
  E.GuildSoundboardSoundDelete,
  E.GuildSoundboardSoundsUpdate,
);
needs(I.GuildIntegrations, 0, E.GuildIntegrationsUpdate, E.IntegrationCreate, E.IntegrationUpdate, E.IntegrationDelete);
needs(I.GuildWebhooks, 0, E.WebhooksUpdate);
needs(I.GuildInvites, 0, E.InviteCreate, E.InviteDelete);
needs(I.GuildVoiceStates, 0, E.VoiceStateUpdate, E.VoiceChannelEffectSend);
needs(I.GuildPresences, 0, E.PresenceUpdate);
needs(I.GuildMessages, I.DirectMessages, E.MessageCreate, E.MessageUpdate, E.MessageDelete);
needs(I.GuildMessages, 0, E.MessageDeleteBulk);
needs(
  I.GuildMessageReactions,
  I.DirectMessageReactions,
  E.MessageReactionAdd,
  E.MessageReactionRemove,
  E.MessageReactionRemoveAll,
  E.MessageReactionRemoveEmoji,
);
needs(I.GuildMessageTyping, I.DirectMessageTyping, E.TypingStart);
needs(
  I.GuildScheduledEvents,
  0,
  E.GuildScheduledEventCreate,
  E.GuildScheduledEventUpdate,
  E.GuildScheduledEventDelete,
  E.GuildScheduledEventUserAdd,
  E.GuildScheduledEventUserRemove,
);
needs(I.AutoModerationConfiguration, 0, E.AutoModerationRuleCreate, E.AutoModerationRuleUpdate, E.AutoModerationRuleDelete);
needs(I.AutoModerationExecution, 0, E.AutoModerationActionExecution);
needs(I.GuildMessagePolls, I.DirectMessagePolls, E.MessagePollVoteAdd, E.MessagePollVoteRemove);

// The intent a session needs to receive `t` (0: always sent).
export function intentFor(t: string, guildId: string | null, d: unknown, botUserId: string): number {
  const entry = INTENT_OF[t];
  if (!entry) return 0;
  // "Guild Member Update is sent for current-user updates regardless of whether the GUILD_MEMBERS intent is set."
  if (t === E.GuildMemberUpdate && isObj(d) && isObj(d.user) && d.user.id === botUserId) return 0;
  return guildId ? entry[0] : entry[1];
}

// shard_id = (guild_id >> 22) % num_shards; events without a guild go to shard 0.
export function shardOf(guildId: string | null, count: number): number {
  if (!guildId || count <= 1) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- payload builders ------------------------------------------------------

export function botGuildIds(state: SimState): string[] {
  const out: string[] = [];
  for (const [id, members] of state.members) if (members.has(state.botUser.id) && state.guilds.has(id)) out.push(id);
  return out;
}

export function unavailableGuild(id: string): APIUnavailableGuild {
  return { id, unavailable: true };
}

export function memberNoUser(m: APIGuildMember): APIGuildMemberNoUser {
  const { user: _user, ...rest } = m;
  void _user;
  return rest as APIGuildMemberNoUser;
}

// GUILD_CREATE as the bot sees it. Without GUILD_PRESENCES (or above
// large_threshold, where only online members are sent and the simulator has
// no presences) `members` holds only the bot.
export function guildCreate(state: SimState, guildId: string, intents: number, largeThreshold: number): GatewayGuildCreateDispatchData {
  const guild = state.guild(guildId);
  const members = state.membersOf(guildId);
  const bot = members.get(state.botUser.id);
  const channels: SimChannel[] = [];
  const threads: SimChannel[] = [];
  for (const c of state.guildChannels(guildId)) {
    if (!isThread(c)) {
      channels.push(c);
      continue;
    }
    // Active threads the bot can see.
    if (c.thread_metadata?.archived) continue;
    if (!has(channelPermissions(state, c, state.botUser.id), PermissionFlagsBits.ViewChannel)) continue;
    threads.push(c);
  }
  const large = members.size > largeThreshold;
  const withAll = (intents & I.GuildPresences) !== 0 && !large;
  return {
    ...guild,
    joined_at: bot?.joined_at ?? new Date().toISOString(),
    large,
    unavailable: false,
    member_count: members.size,
    // Like presences, voice states come only to sessions that asked for them.
    voice_states: (intents & I.GuildVoiceStates) !== 0 ? voiceStatesOf(state, guildId) : [],
    members: withAll ? [...members.values()] : bot ? [bot] : [],
    channels: channels as GatewayGuildCreateDispatchData['channels'],
    threads: threads as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: scheduledEventsOf(state, guildId),
    soundboard_sounds: [],
  };
}

// MESSAGE_CREATE / MESSAGE_UPDATE: the message plus guild_id, the author's
// member (without user) and each mentioned user's member.
export function messageEvent(state: SimState, message: APIMessage): GatewayMessageCreateDispatchData {
  const channel = state.channels.get(message.channel_id);
  const guildId = channel?.guild_id ?? undefined;
  const members = guildId ? state.members.get(guildId) : undefined;
  const author = members?.get(message.author.id);
  const mentions: APIUserWithMember[] = message.mentions.map((u: APIUser) => {
    const m = members?.get(u.id);
    return m ? { ...u, member: memberNoUser(m) } : u;
  });
  return {
    ...message,
    mentions,
    ...(guildId ? { guild_id: guildId } : {}),
    ...(author && message.webhook_id === undefined ? { member: memberNoUser(author) } : {}),
    ...(channel && channel.type !== ChannelType.GuildCategory ? { channel_type: channel.type } : {}),
    ...(state.dmChannels.has(message.channel_id) ? { channel_type: ChannelType.DM } : {}),
  } as GatewayMessageCreateDispatchData;
}

export function isEphemeral(message: APIMessage): boolean {
  return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

// Without MESSAGE_CONTENT a bot gets empty content, embeds, attachments,
// components and poll, except for its own messages and messages mentioning it.
export function needsContentIntent(t: string, d: unknown, botUserId: string): boolean {
  if (t !== E.MessageCreate && t !== E.MessageUpdate) return false;
  if (!isObj(d) || typeof d.guild_id !== 'string') return false;
  if (isObj(d.author) && d.author.id === botUserId) return false;
  if (Array.isArray(d.mentions) && d.mentions.some((u) => isObj(u) && u.id === botUserId)) return false;
  return true;
}

export function withoutContent(d: unknown): unknown {
  if (!isObj(d)) return d;
  const out: Record<string, unknown> = { ...d, content: '', embeds: [], attachments: [], components: [] };
  if ('poll' in out) delete out.poll;
  return out;
}

export function threadCreate(thread: SimChannel, newlyCreated: boolean): GatewayThreadCreateDispatchData {
  const t = thread as GatewayThreadCreateDispatchData;
  return newlyCreated ? { ...t, newly_created: true } : { ...t };
}

export function memberAdd(guildId: string, member: APIGuildMember): GatewayGuildMemberAddDispatchData {
  return { ...member, guild_id: guildId };
}

export function memberUpdate(guildId: string, m: APIGuildMember): GatewayGuildMemberUpdateDispatchData {
  return {
    guild_id: guildId,
    roles: m.roles,
    user: m.user,
    nick: m.nick ?? null,
    avatar: m.avatar ?? null,
    banner: m.banner ?? null,
    joined_at: m.joined_at,
    premium_since: m.premium_since ?? null,
    deaf: m.deaf,
    mute: m.mute,
    pending: m.pending ?? false,
    communication_disabled_until: m.communication_disabled_until ?? null,
    flags: m.flags,
  };
}
