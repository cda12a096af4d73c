// Message reactions (resources/message: Create/Delete Own/Delete User/Get/
// Delete All/Delete All for Emoji Reaction) and their gateway events
// (MESSAGE_REACTION_ADD / _REMOVE / _REMOVE_ALL / _REMOVE_EMOJI, intent
// GUILD_MESSAGE_REACTIONS, or DIRECT_MESSAGE_REACTIONS in DMs), sent for the
// bot's own reactions too.
//
// The emoji in the path is URL-encoded: a unicode emoji, or `name:id` for a
// custom one (an animated one may be `a:name:id`). Unicode is accepted when it
// is not plain ASCII (the simulator has no emoji table); a custom emoji must be
// one of the guild's (or of another guild the bot is in), else 10014.
//
// Control API (tests):
//   POST /_sim/channels/{channel_id}/messages/{message_id}/reactions {user_id, emoji, remove?: boolean}
//        → {reactions, deliveries}   (a member reacts or takes the reaction back; same checks and dispatch)
//   GET  /_sim/channels/{channel_id}/messages/{message_id}/reactions
//        → {reactions: [{emoji: {id, name}, count, user_ids}]}   (in the order the emojis were first used)
//   POST /_sim/guilds/{guild_id}/emojis {name, animated?} → the custom emoji (GUILD_EMOJIS_UPDATE)
//
// Not simulated: burst (super) reactions (always normal; `burst_colors` empty),
// and the reaction rate limit Discord is observed to apply (about 1 per 0.25 s
// per channel; undocumented, so the default 50 / 1 s applies).

import type { APIEmoji, APIGuildMember, APIMessage, APIPartialEmoji, APIReaction, APIUser } from 'discord-api-types/v10';
import { ChannelType, GatewayDispatchEvents, PermissionFlagsBits, RESTJSONErrorCodes, ReactionType } from 'discord-api-types/v10';
import type { Ctx, Handler, HandlerResult } from './context.ts';
import { ok } from './context.ts';
import { apiError } from './errors.ts';
import type { Delivery, Gateway } from './gateway.ts';
import { requireChannelPermissions } from './permissions.ts';
import { intParam } from './rest-guilds.ts';
import type { Sim } from './server.ts';
import { snowflake } from './snowflake.ts';
import type { SimChannel, SimState } from './state.ts';
import { isThread } from './state.ts';

const P = PermissionFlagsBits;
const E = GatewayDispatchEvents;
/** "Maximum number of reactions reached (20)": distinct emojis on one message. */
export const MAX_REACTIONS = 20;

interface Entry {
  emoji: APIPartialEmoji;
  // Who reacted, in order of reacting.
  users: string[];
}

/** Per message object: emoji key → entry, in the order the emojis were first used. */
const REACTIONS = new WeakMap<APIMessage, Map<string, Entry>>();

function entriesOf(message: APIMessage): Map<string, Entry> {
  let m = REACTIONS.get(message);
  if (!m) REACTIONS.set(message, (m = new Map()));
  return m;
}

const keyOf = (e: APIPartialEmoji): string => e.id ?? e.name ?? '';

/** Re-renders `message.reactions` as GET message shows it (`me` for the bot); no field when there are none. */
function render(state: SimState, message: APIMessage): void {
  const list: APIReaction[] = [];
  for (const e of entriesOf(message).values()) {
    list.push({
      count: e.users.length,
      count_details: { burst: 0, normal: e.users.length },
      me: e.users.includes(state.botUser.id),
      me_burst: false,
      emoji: { ...e.emoji },
      burst_colors: [],
    });
  }
  if (list.length > 0) message.reactions = list;
  else delete message.reactions;
}

/** Parses the path's emoji: unicode (non-ASCII) or a custom emoji the bot can use; 10014 otherwise. */
export function parseEmoji(state: SimState, raw: string): APIPartialEmoji {
  const custom = /^(?:(a):)?([\w~-]{1,32}):(\d{1,20})$/.exec(raw);
  if (custom) {
    const id = custom[3]!;
    for (const [guildId, members] of state.members) {
      if (!members.has(state.botUser.id)) continue;
      const found = state.guilds.get(guildId)?.emojis.find((e) => e.id === id);
      if (found) return { id, name: found.name ?? custom[2]!, ...(found.animated ? { animated: true } : {}) };
    }
    throw apiError(RESTJSONErrorCodes.UnknownEmoji);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: "plain ASCII" is the point of the check
  if (raw.length === 0 || raw.length > 64 || /^[\x00-\x7f]*$/.test(raw) || /[\s:]/.test(raw)) throw apiError(RESTJSONErrorCodes.UnknownEmoji);
  return { id: null, name: raw };
}

interface Target {
  channel: SimChannel | null;
  guildId: string | null;
  message: APIMessage;
}

/** The channel (guild or the bot's DM) and message, with the permission checks Discord makes for `userId`. */
function resolve(state: SimState, channelId: string, messageId: string, userId: string, needed: bigint): Target {
  const dm = state.dmChannels.get(channelId);
  if (dm) return { channel: null, guildId: null, message: state.message(dm.id, messageId) };
  const channel = state.channel(channelId);
  if (channel.type === ChannelType.GuildCategory) throw apiError(RESTJSONErrorCodes.UnknownChannel);
  requireChannelPermissions(state, channel, userId, P.ViewChannel | P.ReadMessageHistory | needed);
  return { channel, guildId: channel.guild_id ?? null, message: state.message(channel.id, messageId) };
}

function noArchived(t: Target): void {
  if (t.channel && isThread(t.channel) && t.channel.thread_metadata?.archived) throw apiError(RESTJSONErrorCodes.InvalidActionOnArchivedThread);
}

type Change = { kind: 'add' | 'remove'; userId: string; emoji: APIPartialEmoji } | { kind: 'remove-all' } | { kind: 'remove-emoji'; emoji: APIPartialEmoji };

/** Adds `userId`'s reaction; null when it was there already (no event). */
function add(state: SimState, t: Target, userId: string, emoji: APIPartialEmoji): Change | null {
  noArchived(t);
  const entries = entriesOf(t.message);
  const entry = entries.get(keyOf(emoji));
  if (entry?.users.includes(userId)) return null;
  if (!entry) {
    if (t.channel) requireChannelPermissions(state, t.channel, userId, P.AddReactions);
    if (entries.size >= MAX_REACTIONS) throw apiError(RESTJSONErrorCodes.MaximumNumberOfReactionsReached);
    entries.set(keyOf(emoji), { emoji, users: [userId] });
  } else entry.users.push(userId);
  render(state, t.message);
  return { kind: 'add', userId, emoji };
}

/** Removes `userId`'s reaction; null when there was none (Discord still answers 204). */
function remove(state: SimState, t: Target, userId: string, emoji: APIPartialEmoji): Change | null {
  noArchived(t);
  const entries = entriesOf(t.message);
  const entry = entries.get(keyOf(emoji));
  if (!entry?.users.includes(userId)) return null;
  entry.users = entry.users.filter((u) => u !== userId);
  if (entry.users.length === 0) entries.delete(keyOf(emoji));
  render(state, t.message);
  return { kind: 'remove', userId, emoji };
}

function dispatchChange(gw: Gateway, state: SimState, t: Target, c: Change | null): Delivery[] {
  if (!c) return [];
  const base = { channel_id: t.message.channel_id, message_id: t.message.id, ...(t.guildId ? { guild_id: t.guildId } : {}) };
  if (c.kind === 'remove-all') return gw.dispatch({ t: E.MessageReactionRemoveAll, guildId: t.guildId, d: base });
  if (c.kind === 'remove-emoji') return gw.dispatch({ t: E.MessageReactionRemoveEmoji, guildId: t.guildId, d: { ...base, emoji: c.emoji } });
  const common = { user_id: c.userId, ...base, emoji: c.emoji as APIEmoji, burst: false, type: ReactionType.Normal };
  if (c.kind === 'remove') return gw.dispatch({ t: E.MessageReactionRemove, guildId: t.guildId, d: common });
  const member: APIGuildMember | undefined = t.guildId ? state.members.get(t.guildId)?.get(c.userId) : undefined;
  return gw.dispatch({
    t: E.MessageReactionAdd,
    guildId: t.guildId,
    d: { ...common, ...(member ? { member } : {}), message_author_id: t.message.author.id, burst_colors: [] },
  });
}

const after =
  (state: SimState, t: Target, c: Change | null): HandlerResult['after'] =>
  (gw) => {
    dispatchChange(gw, state, t, c);
  };

function target(ctx: Ctx, needed: bigint = 0n): Target {
  const s = ctx.core.state;
  return resolve(s, ctx.params.channel_id!, ctx.params.message_id!, s.botUser.id, needed);
}

export const reactionHandlers: Record<string, Handler> = {
  'PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me': (ctx) => {
    const s = ctx.core.state;
    const t = target(ctx);
    const c = add(s, t, s.botUser.id, parseEmoji(s, ctx.params.emoji!));
    return { status: 204, after: after(s, t, c) };
  },

  'DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me': (ctx) => {
    const s = ctx.core.state;
    const t = target(ctx);
    const c = remove(s, t, s.botUser.id, parseEmoji(s, ctx.params.emoji!));
    return { status: 204, after: after(s, t, c) };
  },

  'DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}': (ctx) => {
    const s = ctx.core.state;
    const userId = ctx.params.user_id!;
    // Someone else's reaction needs MANAGE_MESSAGES (not available in DMs).
    if (userId !== s.botUser.id && s.dmChannels.has(ctx.params.channel_id!)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
    const t = target(ctx, userId === s.botUser.id ? 0n : P.ManageMessages);
    const c = remove(s, t, userId, parseEmoji(s, ctx.params.emoji!));
    return { status: 204, after: after(s, t, c) };
  },

  'GET /channels/{channel_id}/messages/{message_id}/reactions/{emoji}': (ctx) => {
    const s = ctx.core.state;
    const t = target(ctx);
    const emoji = parseEmoji(s, ctx.params.emoji!);
    const limit = intParam(ctx.query, 'limit', 25, 1, 100);
    const afterId = ctx.query.get('after');
    // Burst reactions are not simulated: type=1 lists nobody.
    if (ctx.query.get('type') === '1') return ok([]);
    const ids = [...(entriesOf(t.message).get(keyOf(emoji))?.users ?? [])]
      .filter((u) => afterId === null || !/^\d+$/.test(afterId) || BigInt(u) > BigInt(afterId))
      .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0))
      .slice(0, limit);
    return ok(ids.map((id) => s.users.get(id)).filter((u): u is APIUser => u !== undefined));
  },

  'DELETE /channels/{channel_id}/messages/{message_id}/reactions': (ctx) => {
    const s = ctx.core.state;
    if (s.dmChannels.has(ctx.params.channel_id!)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
    const t = target(ctx, P.ManageMessages);
    noArchived(t);
    const entries = entriesOf(t.message);
    const had = entries.size > 0;
    entries.clear();
    render(s, t.message);
    return { status: 204, after: after(s, t, had ? { kind: 'remove-all' } : null) };
  },

  'DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}': (ctx) => {
    const s = ctx.core.state;
    if (s.dmChannels.has(ctx.params.channel_id!)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
    const t = target(ctx, P.ManageMessages);
    const emoji = parseEmoji(s, ctx.params.emoji!);
    noArchived(t);
    const entries = entriesOf(t.message);
    const had = entries.delete(keyOf(emoji));
    render(s, t.message);
    return { status: 204, after: after(s, t, had ? { kind: 'remove-emoji', emoji } : null) };
  },
};

// ---- control API -------------------------------------------------------------------

type Obj = Record<string, unknown>;
interface ControlResult {
  status: number;
  body: unknown;
}

function view(message: APIMessage) {
  return [...entriesOf(message).values()].map((e) => ({ emoji: e.emoji, count: e.users.length, user_ids: [...e.users] }));
}

export function handleReactionControl(sim: Sim, method: string, p: string, b: Obj): ControlResult | null {
  const s = sim.state;
  let m: RegExpExecArray | null;
  if ((m = /^\/_sim\/channels\/(\d+)\/messages\/(\d+)\/reactions$/.exec(p))) {
    const [, channelId, messageId] = m as unknown as [string, string, string];
    if (method === 'GET') {
      const dm = s.dmChannels.get(channelId);
      const message = s.message(dm ? dm.id : s.channel(channelId).id, messageId);
      return { status: 200, body: { reactions: view(message) } };
    }
    if (method !== 'POST') return null;
    const userId = typeof b.user_id === 'string' ? b.user_id : '';
    if (!userId) throw new Error('user_id (string) is required');
    if (typeof b.emoji !== 'string' || b.emoji.length === 0) throw new Error('emoji (a unicode emoji or name:id) is required');
    const channel = s.dmChannels.has(channelId) ? null : s.channel(channelId);
    // A member reacting must be in the guild (Discord's client offers nothing else); DMs: the recipient.
    if (channel) s.member(channel.guild_id!, userId);
    else if (!s.dmChannels.get(channelId)!.recipients?.some((u) => u.id === userId)) throw new Error('user_id is not the DM recipient');
    const t = resolve(s, channelId, messageId, userId, 0n);
    const emoji = parseEmoji(s, b.emoji);
    const c = b.remove === true ? remove(s, t, userId, emoji) : add(s, t, userId, emoji);
    const deliveries = dispatchChange(sim.gateway, s, t, c);
    return { status: 200, body: { reactions: view(t.message), deliveries } };
  }
  if (method === 'POST' && (m = /^\/_sim\/guilds\/(\d+)\/emojis$/.exec(p))) {
    const guild = s.guild(m[1]!);
    const name = typeof b.name === 'string' ? b.name : '';
    if (!/^[\w]{2,32}$/.test(name)) throw new Error('name (2–32 letters, digits or _) is required');
    const emoji: APIEmoji = {
      id: snowflake(),
      name,
      roles: [],
      require_colons: true,
      managed: false,
      animated: b.animated === true,
      available: true,
    };
    guild.emojis.push(emoji);
    sim.gateway.dispatch({ t: E.GuildEmojisUpdate, guildId: guild.id, d: { guild_id: guild.id, emojis: guild.emojis } });
    return { status: 200, body: emoji };
  }
  return null;
}
