// Channel, thread, thread-member and message routes.

import type { APIDMChannel, APIMessage, APIOverwrite, APIThreadChannel, ThreadAutoArchiveDuration } from 'discord-api-types/v10';
import { ChannelType, MessageFlags, MessageType, OverwriteType, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { Ctx, Handler } from './context.ts';
import { noContent, ok } from './context.ts';
import { apiError, FormErrors, singleFormError } from './errors.ts';
import { applyEdit, postMessage } from './messages.ts';
import { channelPermissions, has, requireChannelPermissions } from './permissions.ts';
import { postDm } from './rest-dms.ts';
import { intParam } from './rest-guilds.ts';
import { snowflakeTime } from './snowflake.ts';
import type { SimChannel } from './state.ts';
import { isThread, nowIso } from './state.ts';
import { ARCHIVE_DURATIONS, isObj, validateMessage, validateThreadCreate } from './validate.ts';

const P = PermissionFlagsBits;
const MAX_SLOWMODE_S = 21_600;
const BULK_DELETE_MAX_AGE_MS = 14 * 86_400_000;

function dmOf(ctx: Ctx): APIDMChannel | undefined {
  return ctx.core.state.dmChannels.get(ctx.params.channel_id!);
}

/** A guild channel that holds permission overwrites (not a DM, not a thread). */
function overwritable(ctx: Ctx): Exclude<SimChannel, APIThreadChannel> {
  if (dmOf(ctx)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
  const c = visibleChannel(ctx);
  if (isThread(c)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  return c;
}

function slowmode(f: FormErrors, v: unknown): void {
  if (v !== undefined && v !== null && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > MAX_SLOWMODE_S)) {
    f.add(['rate_limit_per_user'], 'NUMBER_TYPE_MAX', `int value should be between 0 and ${MAX_SLOWMODE_S}.`);
  }
}

// Newest first, as Discord lists them; `after` and `around` as documented.
function pageMessages(list: APIMessage[], query: URLSearchParams): APIMessage[] {
  const limit = intParam(query, 'limit', 50, 1, 100);
  const before = query.get('before');
  const after = query.get('after');
  const around = query.get('around');
  if (after)
    return list
      .filter((m) => BigInt(m.id) > BigInt(after))
      .slice(0, limit)
      .reverse();
  if (around) {
    const idx = list.findIndex((m) => BigInt(m.id) >= BigInt(around));
    const centre = idx < 0 ? list.length : idx;
    const start = Math.max(0, centre - Math.floor(limit / 2));
    return list.slice(start, start + limit).reverse();
  }
  const upper = before ? list.filter((m) => BigInt(m.id) < BigInt(before)) : list;
  return upper.slice(-limit).reverse();
}

// Resolves the channel as the bot sees it: invisible channels are 50001.
function visibleChannel(ctx: Ctx): SimChannel {
  const s = ctx.core.state;
  const c = s.channel(ctx.params.channel_id!);
  requireChannelPermissions(s, c, s.botUser.id, P.ViewChannel);
  return c;
}

function threadOf(ctx: Ctx): APIThreadChannel {
  const c = visibleChannel(ctx);
  if (!isThread(c)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  return c;
}

function ensureActiveThreadRoom(ctx: Ctx, guildId: string): void {
  const s = ctx.core.state;
  if (s.activeThreadCount(guildId) >= s.config.maxActiveThreads) throw apiError(RESTJSONErrorCodes.MaximumActiveThreads);
}

function patchThread(ctx: Ctx, thread: APIThreadChannel): void {
  const s = ctx.core.state;
  const b = isObj(ctx.body) ? ctx.body : {};
  const meta = thread.thread_metadata!;
  const perms = channelPermissions(s, thread, s.botUser.id);
  const manage = has(perms, P.ManageThreads);
  const f = new FormErrors();
  if (b.name !== undefined && (typeof b.name !== 'string' || b.name.length < 1 || b.name.length > 100)) {
    f.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  if (b.auto_archive_duration !== undefined && !(ARCHIVE_DURATIONS as readonly unknown[]).includes(b.auto_archive_duration)) {
    f.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', 'Value must be one of {60, 1440, 4320, 10080}.');
  }
  slowmode(f, b.rate_limit_per_user);
  f.throwIfAny();
  // An archived thread accepts only the request that unarchives it.
  if (meta.archived && b.archived !== false) throw apiError(RESTJSONErrorCodes.InvalidActionOnArchivedThread);
  if (meta.archived && meta.locked && !manage) throw apiError(RESTJSONErrorCodes.ThreadLocked);
  if (b.locked !== undefined && !manage) throw apiError(RESTJSONErrorCodes.MissingPermissions);
  const ownerEditable = ['name', 'archived', 'auto_archive_duration'];
  if (!manage && (thread.owner_id !== s.botUser.id || Object.keys(b).some((k) => !ownerEditable.includes(k)))) {
    throw apiError(RESTJSONErrorCodes.MissingPermissions);
  }
  if (meta.archived && b.archived === false) ensureActiveThreadRoom(ctx, thread.guild_id!);
  if (typeof b.name === 'string') thread.name = b.name;
  if (typeof b.auto_archive_duration === 'number') meta.auto_archive_duration = b.auto_archive_duration as ThreadAutoArchiveDuration;
  if (typeof b.locked === 'boolean') meta.locked = b.locked;
  if (typeof b.invitable === 'boolean' && thread.type === ChannelType.PrivateThread) meta.invitable = b.invitable;
  if (typeof b.rate_limit_per_user === 'number') thread.rate_limit_per_user = b.rate_limit_per_user;
  if (typeof b.archived === 'boolean' && b.archived !== meta.archived) {
    meta.archived = b.archived;
    meta.archive_timestamp = nowIso(ctx.now);
  }
}

function patchChannel(ctx: Ctx, c: Exclude<SimChannel, APIThreadChannel>): void {
  const s = ctx.core.state;
  requireChannelPermissions(s, c, s.botUser.id, P.ManageChannels);
  const b = isObj(ctx.body) ? ctx.body : {};
  const f = new FormErrors();
  if (b.name !== undefined && (typeof b.name !== 'string' || b.name.length < 1 || b.name.length > 100)) {
    f.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  if (typeof b.topic === 'string' && b.topic.length > 1024) f.add(['topic'], 'BASE_TYPE_MAX_LENGTH', 'Must be 1024 or fewer in length.');
  if (b.parent_id !== undefined && b.parent_id !== null) {
    const parent = s.channels.get(String(b.parent_id));
    if (!parent || parent.type !== ChannelType.GuildCategory || parent.guild_id !== c.guild_id || c.type === ChannelType.GuildCategory) {
      f.add(['parent_id'], 'CHANNEL_PARENT_INVALID', 'Not a category');
    }
  }
  slowmode(f, b.rate_limit_per_user);
  f.throwIfAny();
  if (typeof b.name === 'string') c.name = b.name;
  if (typeof b.position === 'number') c.position = b.position;
  if (Array.isArray(b.permission_overwrites)) {
    c.permission_overwrites = (b.permission_overwrites as Array<Record<string, unknown>>).map(
      (o): APIOverwrite => ({
        id: String(o.id),
        type: Number(o.type ?? OverwriteType.Role) as OverwriteType,
        allow: String(o.allow ?? '0'),
        deny: String(o.deny ?? '0'),
      }),
    );
  }
  if (c.type === ChannelType.GuildText) {
    if (b.topic !== undefined) c.topic = (b.topic as string | null) ?? null;
    if (b.parent_id !== undefined) c.parent_id = (b.parent_id as string | null) ?? null;
    if (typeof b.nsfw === 'boolean') c.nsfw = b.nsfw;
    if (typeof b.rate_limit_per_user === 'number') c.rate_limit_per_user = b.rate_limit_per_user;
  }
}

export const channelHandlers: Record<string, Handler> = {
  'GET /channels/{channel_id}': (ctx) => ok(dmOf(ctx) ?? visibleChannel(ctx)),

  'PATCH /channels/{channel_id}': (ctx) => {
    if (dmOf(ctx)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
    const c = visibleChannel(ctx);
    if (isThread(c)) patchThread(ctx, c);
    else patchChannel(ctx, c);
    return ok(c);
  },

  // Edit Channel Permissions: Manage Roles; a role's or a member's overwrite, replaced whole; only
  // permissions the bot has itself may be allowed or denied (50013); not on threads, which have none. 204.
  'PUT /channels/{channel_id}/permissions/{overwrite_id}': (ctx) => {
    const s = ctx.core.state;
    const c = overwritable(ctx);
    const perms = requireChannelPermissions(s, c, s.botUser.id, P.ManageRoles);
    const b = isObj(ctx.body) ? ctx.body : {};
    const f = new FormErrors();
    if (b.type !== OverwriteType.Role && b.type !== OverwriteType.Member) f.add(['type'], 'BASE_TYPE_CHOICES', 'Value must be one of {0, 1}.');
    const bitset = (k: 'allow' | 'deny'): bigint => {
      const v = b[k];
      if (v === undefined || v === null) return 0n;
      if ((typeof v === 'string' && /^\d{1,20}$/.test(v)) || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) return BigInt(v);
      f.add([k], 'BASE_TYPE_BAD_INT', 'Must be a permission bitset.');
      return 0n;
    };
    const allow = bitset('allow');
    const deny = bitset('deny');
    f.throwIfAny();
    const id = ctx.params.overwrite_id!;
    if (b.type === OverwriteType.Role) s.role(c.guild_id!, id);
    else s.member(c.guild_id!, id);
    if (!has(perms, P.Administrator) && ((allow | deny) & ~perms) !== 0n) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    const o: APIOverwrite = { id, type: b.type as OverwriteType, allow: String(allow), deny: String(deny) };
    c.permission_overwrites = [...(c.permission_overwrites ?? []).filter((x) => x.id !== id), o];
    return noContent();
  },

  // Delete Channel Permission: Manage Roles; 10009 when there is no such overwrite. 204.
  'DELETE /channels/{channel_id}/permissions/{overwrite_id}': (ctx) => {
    const s = ctx.core.state;
    const c = overwritable(ctx);
    requireChannelPermissions(s, c, s.botUser.id, P.ManageRoles);
    const id = ctx.params.overwrite_id!;
    if (!(c.permission_overwrites ?? []).some((x) => x.id === id)) throw apiError(RESTJSONErrorCodes.UnknownPermissionOverwrite);
    c.permission_overwrites = (c.permission_overwrites ?? []).filter((x) => x.id !== id);
    return noContent();
  },

  'POST /channels/{channel_id}/threads': (ctx) => {
    const s = ctx.core.state;
    const parent = visibleChannel(ctx);
    const b = validateThreadCreate(ctx.body);
    // API v9+: a thread created without a message is private unless asked otherwise.
    const type = (b.type ?? ChannelType.PrivateThread) as ChannelType;
    if (parent.type !== ChannelType.GuildText || type === ChannelType.AnnouncementThread) {
      throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
    }
    const threadType = type as ChannelType.PublicThread | ChannelType.PrivateThread;
    requireChannelPermissions(s, parent, s.botUser.id, threadType === ChannelType.PrivateThread ? P.CreatePrivateThreads : P.CreatePublicThreads);
    ensureActiveThreadRoom(ctx, parent.guild_id!);
    const thread = s.createThread(parent, {
      name: String(b.name),
      type: threadType,
      auto_archive_duration: (b.auto_archive_duration ?? parent.default_auto_archive_duration ?? 1440) as ThreadAutoArchiveDuration,
      invitable: b.invitable !== false,
      ownerId: s.botUser.id,
      ...(typeof b.rate_limit_per_user === 'number' ? { rate_limit_per_user: b.rate_limit_per_user } : {}),
    });
    // Discord announces public threads started without a message in the parent.
    if (threadType === ChannelType.PublicThread) {
      const m = s.systemMessage(parent, MessageType.ThreadCreated, s.botUser, thread.name ?? '');
      m.message_reference = { channel_id: thread.id, guild_id: thread.guild_id! };
    }
    return ok(thread, 201);
  },

  // Start Thread from Message: a public thread whose id is the message's; one per message (160004).
  'POST /channels/{channel_id}/messages/{message_id}/threads': (ctx) => {
    const s = ctx.core.state;
    const parent = visibleChannel(ctx);
    const b = validateThreadCreate(ctx.body);
    if (parent.type !== ChannelType.GuildText) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
    requireChannelPermissions(s, parent, s.botUser.id, P.CreatePublicThreads | P.ReadMessageHistory);
    const message = s.message(parent.id, ctx.params.message_id!);
    if (message.thread || s.channels.has(message.id)) throw apiError(RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage);
    ensureActiveThreadRoom(ctx, parent.guild_id!);
    const thread = s.createThread(parent, {
      id: message.id,
      name: String(b.name),
      type: ChannelType.PublicThread,
      auto_archive_duration: (b.auto_archive_duration ?? parent.default_auto_archive_duration ?? 1440) as ThreadAutoArchiveDuration,
      invitable: true,
      ownerId: s.botUser.id,
      ...(typeof b.rate_limit_per_user === 'number' ? { rate_limit_per_user: b.rate_limit_per_user } : {}),
    });
    message.thread = thread;
    message.flags = ((message.flags ?? 0) | MessageFlags.HasThread) as MessageFlags;
    return ok(thread, 201);
  },

  'GET /channels/{channel_id}/thread-members': (ctx) => {
    const s = ctx.core.state;
    const thread = threadOf(ctx);
    const withMember = ctx.query.get('with_member') === 'true';
    const list = [...(s.threadMembers.get(thread.id)?.values() ?? [])].map((tm) =>
      withMember ? { ...tm, member: s.membersOf(thread.guild_id!).get(tm.user_id!) } : tm,
    );
    return ok(list);
  },

  'GET /channels/{channel_id}/thread-members/{user_id}': (ctx) => {
    const s = ctx.core.state;
    const thread = threadOf(ctx);
    const uid = ctx.params.user_id === '@me' ? s.botUser.id : ctx.params.user_id!;
    const tm = s.threadMembers.get(thread.id)?.get(uid);
    if (!tm) throw apiError(RESTJSONErrorCodes.UnknownMember);
    return ok(ctx.query.get('with_member') === 'true' ? { ...tm, member: s.membersOf(thread.guild_id!).get(uid) } : tm);
  },

  'PUT /channels/{channel_id}/thread-members/{user_id}': (ctx) => {
    const s = ctx.core.state;
    const thread = threadOf(ctx);
    const uid = ctx.params.user_id === '@me' ? s.botUser.id : ctx.params.user_id!;
    if (thread.thread_metadata?.archived) throw apiError(RESTJSONErrorCodes.InvalidActionOnArchivedThread);
    s.member(thread.guild_id!, uid);
    const perms = requireChannelPermissions(s, thread, s.botUser.id, P.SendMessagesInThreads);
    if (uid !== s.botUser.id && thread.type === ChannelType.PrivateThread && thread.thread_metadata?.invitable === false && !has(perms, P.ManageThreads)) {
      throw apiError(RESTJSONErrorCodes.MissingPermissions);
    }
    s.addThreadMember(thread, uid);
    return noContent();
  },

  'DELETE /channels/{channel_id}/thread-members/{user_id}': (ctx) => {
    const s = ctx.core.state;
    const thread = threadOf(ctx);
    const uid = ctx.params.user_id === '@me' ? s.botUser.id : ctx.params.user_id!;
    if (thread.thread_metadata?.archived) throw apiError(RESTJSONErrorCodes.InvalidActionOnArchivedThread);
    const perms = channelPermissions(s, thread, s.botUser.id);
    const mayRemove = uid === s.botUser.id || has(perms, P.ManageThreads) || (thread.type === ChannelType.PrivateThread && thread.owner_id === s.botUser.id);
    if (!mayRemove) throw apiError(RESTJSONErrorCodes.MissingPermissions);
    if (!s.threadMembers.get(thread.id)?.has(uid)) throw apiError(RESTJSONErrorCodes.UnknownMember);
    s.removeThreadMember(thread, uid);
    return noContent();
  },

  'GET /channels/{channel_id}/messages': (ctx) => {
    const s = ctx.core.state;
    const dm = dmOf(ctx);
    if (dm) return ok(pageMessages(s.messagesOf(dm.id), ctx.query));
    const c = visibleChannel(ctx);
    requireChannelPermissions(s, c, s.botUser.id, P.ReadMessageHistory);
    return ok(pageMessages(s.messagesOf(c.id), ctx.query));
  },

  'POST /channels/{channel_id}/messages': (ctx) => {
    const s = ctx.core.state;
    const dm = dmOf(ctx);
    const upload = { origin: ctx.core.url, files: ctx.files };
    if (dm) return ok(postDm(s, dm, ctx.body, upload));
    const c = s.channel(ctx.params.channel_id!);
    const body = validateMessage(ctx.body, { interaction: false, partial: false, files: ctx.files.length });
    return ok(postMessage(s, c, s.botUser, body, { upload }));
  },

  'GET /channels/{channel_id}/messages/{message_id}': (ctx) => {
    const s = ctx.core.state;
    const dm = dmOf(ctx);
    if (dm) return ok(s.message(dm.id, ctx.params.message_id!));
    const c = visibleChannel(ctx);
    requireChannelPermissions(s, c, s.botUser.id, P.ReadMessageHistory);
    return ok(s.message(c.id, ctx.params.message_id!));
  },

  'PATCH /channels/{channel_id}/messages/{message_id}': (ctx) => {
    const s = ctx.core.state;
    if (dmOf(ctx)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
    const c = visibleChannel(ctx);
    const m = s.message(c.id, ctx.params.message_id!);
    const body = validateMessage(ctx.body, { interaction: false, partial: true });
    // Other users' messages only accept the SUPPRESS_EMBEDS flag.
    if (m.author.id !== s.botUser.id) {
      const other = Object.keys(body).filter((k) => k !== 'flags');
      if (other.length > 0 || ctx.files.length > 0) throw apiError(RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser);
      requireChannelPermissions(s, c, s.botUser.id, P.ManageMessages);
      if (typeof body.flags === 'number') body.flags &= MessageFlags.SuppressEmbeds;
    }
    return ok(applyEdit(s, c, m, body, { origin: ctx.core.url, files: ctx.files }));
  },

  'DELETE /channels/{channel_id}/messages/{message_id}': (ctx) => {
    const s = ctx.core.state;
    const dm = dmOf(ctx);
    if (dm) {
      const m = s.message(dm.id, ctx.params.message_id!);
      if (m.author.id !== s.botUser.id) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
      const list = s.messagesOf(dm.id);
      list.splice(list.indexOf(m), 1);
      return noContent();
    }
    const c = visibleChannel(ctx);
    const m = s.message(c.id, ctx.params.message_id!);
    if (isThread(c) && c.thread_metadata?.archived) throw apiError(RESTJSONErrorCodes.InvalidActionOnArchivedThread);
    if (m.author.id !== s.botUser.id) requireChannelPermissions(s, c, s.botUser.id, P.ManageMessages);
    const list = s.messagesOf(c.id);
    list.splice(list.indexOf(m), 1);
    if (isThread(c)) c.message_count = Math.max(0, (c.message_count ?? 1) - 1);
    return noContent();
  },

  // Unknown ids count towards the 2–100 but are skipped (docs); ids older than
  // 14 days (by their snowflake time) refuse the whole call with 50034.
  'POST /channels/{channel_id}/messages/bulk-delete': (ctx) => {
    const s = ctx.core.state;
    if (dmOf(ctx)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
    const c = visibleChannel(ctx);
    requireChannelPermissions(s, c, s.botUser.id, P.ManageMessages);
    const b = isObj(ctx.body) ? ctx.body : {};
    if (!Array.isArray(b.messages) || b.messages.some((x) => typeof x !== 'string' || !/^\d{1,20}$/.test(x))) {
      throw singleFormError(['messages'], 'BASE_TYPE_REQUIRED', 'An array of message ids is required.');
    }
    const ids = b.messages as string[];
    if (ids.length < 2 || ids.length > 100) throw apiError(RESTJSONErrorCodes.ProvidedTooFewOrTooManyMessagesToDelete);
    // Simulator's choice of leaf code: Discord documents a 400 for duplicates without naming it.
    if (new Set(ids).size !== ids.length) throw singleFormError(['messages'], 'BASE_TYPE_DUPLICATES', 'Message ids must be unique.');
    if (ids.some((id) => snowflakeTime(id) < ctx.now - BULK_DELETE_MAX_AGE_MS)) {
      throw apiError(RESTJSONErrorCodes.OneOfTheMessagesProvidedWasTooOldForBulkDelete);
    }
    if (isThread(c) && c.thread_metadata?.archived) throw apiError(RESTJSONErrorCodes.InvalidActionOnArchivedThread);
    const wanted = new Set(ids);
    const list = s.messagesOf(c.id);
    const deleted = list.filter((m) => wanted.has(m.id)).map((m) => m.id);
    if (deleted.length > 0) {
      s.messages.set(
        c.id,
        list.filter((m) => !wanted.has(m.id)),
      );
      if (isThread(c)) c.message_count = Math.max(0, (c.message_count ?? 0) - deleted.length);
    }
    return {
      status: 204,
      after: (gw) => {
        if (deleted.length > 0) gw.messagesDeleted(c.id, deleted);
      },
    };
  },
};
