// Building, posting and editing messages with Discord's side effects:
// mention parsing under allowed_mentions, thread membership from mentions,
// un-archiving an unlocked thread, thread/channel counters, and for members
// slowmode (20016) and timeouts (50013).

import type { APIAttachment, APIMessage, APIThreadChannel, APIUser } from 'discord-api-types/v10';
import { ChannelType, MessageFlags, MessageReferenceType, MessageType, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { UploadedFile } from './attachments.ts';
import { apiError, singleFormError } from './errors.ts';
import { channelPermissions, has, requireChannelPermissions } from './permissions.ts';
import { snowflake } from './snowflake.ts';
import type { SimChannel, SimState } from './state.ts';
import { isThread, nowIso } from './state.ts';
import { isEmptyMessage, isObj } from './validate.ts';

const P = PermissionFlagsBits;
type Obj = Record<string, unknown>;

export interface PostOptions {
  // Interaction responses are sent through the application's webhook and
  // skip channel permission checks.
  viaInteraction?: { type: MessageType; metadata: APIMessage['interaction_metadata'] };
  // Files of a multipart request, hosted only once the message is accepted.
  upload?: Upload;
  // Files a member already uploaded (POST /_sim/attachments), for members' messages.
  attachments?: APIAttachment[];
}

/** The files[n] parts of a request and the origin their URLs point at (the simulator's CDN). */
export interface Upload {
  origin: string;
  files: readonly UploadedFile[];
}

// The attachments a message gets from its request: new files, or (on edit) the `attachments` list.
function attachmentsOf(state: SimState, channelId: string, body: Obj, upload: Upload | undefined, existing: APIAttachment[] | null): APIAttachment[] {
  const files = upload?.files ?? [];
  if (files.length === 0 && (existing === null || body.attachments === undefined)) return existing ?? [];
  return state.attachments.forMessage(upload?.origin ?? '', channelId, body, files, existing);
}

export function parseMentions(
  state: SimState,
  channel: SimChannel,
  author: APIUser,
  body: Obj,
): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
  const content = typeof body.content === 'string' ? body.content : '';
  const am = isObj(body.allowed_mentions) ? body.allowed_mentions : null;
  // No allowed_mentions means "parse everything".
  const parse = am ? (Array.isArray(am.parse) ? (am.parse as string[]) : []) : ['users', 'roles', 'everyone'];
  const allowUsers = am && Array.isArray(am.users) ? (am.users as string[]) : [];
  const allowRoles = am && Array.isArray(am.roles) ? (am.roles as string[]) : [];
  const guildId = channel.guild_id!;
  const guild = state.guilds.get(guildId);

  const mentions: APIUser[] = [];
  for (const m of content.matchAll(/<@!?(\d{1,20})>/g)) {
    const id = m[1]!;
    if (!(parse.includes('users') || allowUsers.includes(id))) continue;
    const user = state.users.get(id);
    if (user && !mentions.some((u) => u.id === id)) mentions.push(user);
  }
  const authorPerms = state.members.get(guildId)?.has(author.id) ? channelPermissions(state, channel, author.id) : 0n;
  const mention_roles: string[] = [];
  for (const m of content.matchAll(/<@&(\d{1,20})>/g)) {
    const id = m[1]!;
    if (!(parse.includes('roles') || allowRoles.includes(id))) continue;
    const role = guild?.roles.find((r) => r.id === id);
    // Non-mentionable roles only ping when the author may mention everyone.
    if (!role || !(role.mentionable || has(authorPerms, P.MentionEveryone))) continue;
    if (!mention_roles.includes(id)) mention_roles.push(id);
  }
  const mention_everyone = /@(everyone|here)\b/.test(content) && parse.includes('everyone') && has(authorPerms, P.MentionEveryone);
  return { mentions, mention_roles, mention_everyone };
}

// Discord adds mentioned users, and members of mentioned roles, to a thread
// when they can see its parent channel.
function addMentionedToThread(state: SimState, thread: APIThreadChannel, m: Pick<APIMessage, 'mentions' | 'mention_roles'>): void {
  const guildId = thread.guild_id!;
  const members = state.membersOf(guildId);
  const parent = state.channel(thread.parent_id!);
  const candidates = new Set<string>(m.mentions.map((u) => u.id));
  for (const [uid, member] of members) if (member.roles.some((r) => m.mention_roles.includes(r))) candidates.add(uid);
  for (const uid of candidates) {
    if (!members.has(uid)) continue;
    if (has(channelPermissions(state, parent, uid), P.ViewChannel)) state.addThreadMember(thread, uid);
  }
}

// Thread rules shared by every way a message can be written into a thread.
function prepareThreadForMessage(state: SimState, thread: APIThreadChannel, authorId: string): void {
  const meta = thread.thread_metadata!;
  if (meta.archived && meta.locked) throw apiError(RESTJSONErrorCodes.InvalidActionOnArchivedThread);
  if (meta.locked && !has(channelPermissions(state, thread, authorId), P.ManageThreads)) {
    throw apiError(RESTJSONErrorCodes.ThreadLocked);
  }
  if (meta.archived) {
    meta.archived = false;
    meta.archive_timestamp = nowIso();
  }
}

export function buildMessage(state: SimState, channel: SimChannel, author: APIUser, body: Obj, opts: PostOptions = {}): APIMessage {
  const mentionData = parseMentions(state, channel, author, body);
  const flags = (typeof body.flags === 'number' ? body.flags : 0) as MessageFlags;
  const message: APIMessage = {
    id: snowflake(),
    channel_id: channel.id,
    author,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: nowIso(),
    edited_timestamp: null,
    tts: body.tts === true,
    ...mentionData,
    attachments: opts.attachments ?? attachmentsOf(state, channel.id, body, opts.upload, null),
    embeds: Array.isArray(body.embeds) ? (body.embeds as APIMessage['embeds']) : [],
    pinned: false,
    type: opts.viaInteraction?.type ?? MessageType.Default,
    flags,
    components: Array.isArray(body.components) ? (body.components as APIMessage['components']) : [],
  };
  if (body.nonce !== undefined) message.nonce = body.nonce as string;
  if (opts.viaInteraction) {
    message.webhook_id = state.applicationId;
    message.application_id = state.applicationId;
    if (opts.viaInteraction.metadata) message.interaction_metadata = opts.viaInteraction.metadata;
  }
  if (isObj(body.message_reference) && typeof body.message_reference.message_id === 'string') {
    const ref = state.messages.get(channel.id)?.find((x) => x.id === (body.message_reference as Obj).message_id);
    // fail_if_not_exists: false sends a plain message when the referenced one is gone (Discord's documented behaviour).
    if (!ref && (body.message_reference as Obj).fail_if_not_exists === false) return message;
    if (!ref) throw singleFormError(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
    message.type = MessageType.Reply;
    message.message_reference = { type: MessageReferenceType.Default, message_id: ref.id, channel_id: channel.id, guild_id: channel.guild_id! };
    message.referenced_message = ref;
  }
  return message;
}

// Posts into a channel, enforcing what Discord enforces for the author.
export function postMessage(state: SimState, channel: SimChannel, author: APIUser, body: Obj, opts: PostOptions = {}): APIMessage {
  if (channel.type === ChannelType.GuildCategory) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  let slowmodeKey: string | null = null;
  if (!opts.viaInteraction) {
    // A timed-out member has lost SEND_MESSAGES here (permissions.ts), so this answers 50013; files also need ATTACH_FILES.
    const send = isThread(channel) ? P.SendMessagesInThreads : P.SendMessages;
    const perms = requireChannelPermissions(
      state,
      channel,
      author.id,
      P.ViewChannel | send | (opts.upload?.files.length || opts.attachments?.length ? P.AttachFiles : 0n),
    );
    // Slowmode: "bots, as well as users with manage_messages or manage_channel, are unaffected".
    const wait = channel.rate_limit_per_user ?? 0;
    if (wait > 0 && author.bot !== true && !has(perms, P.ManageMessages) && !has(perms, P.ManageChannels)) {
      slowmodeKey = `${channel.id}:${author.id}`;
      const last = state.lastPost.get(slowmodeKey);
      if (last !== undefined && Date.now() - last < wait * 1000) throw apiError(RESTJSONErrorCodes.ActionCannotBePerformedDueToSlowmodeRateLimit);
    }
  }
  if (isThread(channel)) prepareThreadForMessage(state, channel, author.id);
  const message = buildMessage(state, channel, author, body, opts);
  state.appendMessage(channel, message);
  if (slowmodeKey) state.lastPost.set(slowmodeKey, Date.now());
  if (isThread(channel)) {
    // Writing in a thread joins it.
    if (state.members.get(channel.guild_id!)?.has(author.id)) state.addThreadMember(channel, author.id);
    addMentionedToThread(state, channel, message);
  }
  return message;
}

export function applyEdit(state: SimState, channel: SimChannel, message: APIMessage, body: Obj, upload?: Upload): APIMessage {
  if (channel.type !== ChannelType.GuildCategory && isThread(channel) && channel.thread_metadata?.archived) {
    throw apiError(RESTJSONErrorCodes.InvalidActionOnArchivedThread);
  }
  const attachments = attachmentsOf(state, message.channel_id, body, upload, message.attachments);
  const merged = {
    content: body.content !== undefined ? body.content : message.content,
    embeds: body.embeds !== undefined ? body.embeds : message.embeds,
    components: body.components !== undefined ? body.components : message.components,
    attachments,
  };
  // A deferred reply is still "loading" and may be filled by this edit.
  const loading = ((message.flags ?? 0) & MessageFlags.Loading) !== 0;
  if (!loading && isEmptyMessage(merged)) throw apiError(RESTJSONErrorCodes.CannotSendAnEmptyMessage);
  message.attachments = attachments;
  if (body.content !== undefined) message.content = typeof body.content === 'string' ? body.content : '';
  if (body.embeds !== undefined) message.embeds = Array.isArray(body.embeds) ? (body.embeds as APIMessage['embeds']) : [];
  if (body.components !== undefined) message.components = Array.isArray(body.components) ? (body.components as APIMessage['components']) : [];
  if (typeof body.flags === 'number') {
    // Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 can change on edit; LOADING clears once edited.
    const keep = (message.flags ?? 0) & MessageFlags.Ephemeral;
    message.flags = (keep | (body.flags & (MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2))) as MessageFlags;
  }
  if (message.flags !== undefined && (message.flags & MessageFlags.Loading) !== 0) {
    message.flags = (message.flags & ~MessageFlags.Loading) as MessageFlags;
  }
  if (body.content !== undefined || body.allowed_mentions !== undefined) {
    Object.assign(message, parseMentions(state, channel, message.author, { content: message.content, allowed_mentions: body.allowed_mentions }));
  }
  message.edited_timestamp = nowIso();
  return message;
}
