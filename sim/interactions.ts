// Interactions as Discord creates them: the full payload, an unguessable
// token, Ed25519 signature, the 3-second first-response deadline, the
// 15-minute token, and the original / follow-up messages.
import { randomBytes } from 'node:crypto';
import type {
  APIAttachment,
  APIInteraction,
  APIInteractionDataResolved,
  APIInteractionDataResolvedChannel,
  APIInteractionDataResolvedGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord-api-types/v10';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import nacl from 'tweetnacl';
import { apiError, DiscordError, FormErrors, nestFormError, singleFormError } from './errors.ts';
import type { Upload } from './messages.ts';
import { applyEdit, buildMessage, postMessage } from './messages.ts';
import { channelPermissions } from './permissions.ts';
import { snowflake } from './snowflake.ts';
import type { SimChannel, SimState } from './state.ts';
import { isThread } from './state.ts';
import { isObj, validateMessage, validateModal } from './validate.ts';

type Obj = Record<string, unknown>;

export interface ResponseAttempt {
  at: number;
  via: 'callback' | 'inline';
  body: unknown;
  status: number;
  error?: unknown;
}

export interface InteractionRecord {
  interaction: APIInteraction;
  rawBody: string;
  createdAt: number;
  responses: ResponseAttempt[];
  initialType: InteractionResponseType | null;
  // The message @original designates: the created reply, or for types 6/7
  // the message the component was on.
  original: APIMessage | null;
  followups: APIMessage[];
  // Ephemeral messages live only here, never in a channel's list.
  ephemeral: Map<string, APIMessage>;
}

export interface BuildInput {
  type: InteractionType;
  guild_id?: string;
  channel_id?: string;
  user_id?: string;
  data?: Obj;
  message_id?: string;
  timestamp?: number;
  id?: string;
  token?: string;
  /** The user's client language (Discord's locale code); default en-US. */
  locale?: string;
  /** The guild's locale as this interaction reports it; default the guild's preferred_locale. */
  guild_locale?: string;
}

export interface SignedInteraction {
  interaction: APIInteraction;
  body: string;
  headers: Record<string, string>;
}

const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;
const RECORD_TTL_MS = 60 * 60 * 1000;

export class InteractionStore {
  readonly keyPair: nacl.SignKeyPair;
  readonly publicKeyHex: string;
  readonly records = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, string>();
  private readonly state: SimState;

  constructor(state: SimState, keyPair: nacl.SignKeyPair = nacl.sign.keyPair()) {
    this.state = state;
    this.keyPair = keyPair;
    this.publicKeyHex = Buffer.from(keyPair.publicKey).toString('hex');
  }

  clear(): void {
    this.records.clear();
    this.byToken.clear();
  }

  sign(rawBody: string, timestamp: string): string {
    const sig = nacl.sign.detached(new TextEncoder().encode(timestamp + rawBody), this.keyPair.secretKey);
    return Buffer.from(sig).toString('hex');
  }

  create(input: BuildInput): SignedInteraction {
    const now = Date.now();
    this.sweep(now);
    let rec = input.id ? this.records.get(input.id) : undefined;
    if (!rec || (input.token && rec.interaction.token !== input.token)) {
      const interaction = this.build(input);
      rec = {
        interaction,
        rawBody: JSON.stringify(interaction),
        createdAt: now,
        responses: [],
        initialType: null,
        original: null,
        followups: [],
        ephemeral: new Map(),
      };
      this.records.set(interaction.id, rec);
      this.byToken.set(interaction.token, interaction.id);
    }
    // A redelivery is the same body signed again with a fresh timestamp.
    const timestamp = String(input.timestamp ?? Math.floor(now / 1000));
    return {
      interaction: rec.interaction,
      body: rec.rawBody,
      headers: {
        'X-Signature-Ed25519': this.sign(rec.rawBody, timestamp),
        'X-Signature-Timestamp': timestamp,
        'Content-Type': 'application/json',
      },
    };
  }

  private sweep(now: number): void {
    if (this.records.size < 5000) return;
    for (const [id, r] of this.records) {
      if (now - r.createdAt > RECORD_TTL_MS) {
        this.records.delete(id);
        this.byToken.delete(r.interaction.token);
      }
    }
  }

  private build(input: BuildInput): APIInteraction {
    const s = this.state;
    const id = input.id ?? snowflake();
    const token = input.token ?? `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const base: Obj = {
      id,
      application_id: s.applicationId,
      type: input.type,
      token,
      version: 1,
      entitlements: [],
      attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
    };
    if (input.type === InteractionType.Ping) {
      return { ...base, authorizing_integration_owners: {} } as unknown as APIInteraction;
    }
    if (!input.user_id) throw singleFormError(['user_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    const user = s.users.get(input.user_id);
    if (!user) throw apiError(RESTJSONErrorCodes.UnknownUser);

    let channel: SimChannel | null = null;
    if (input.guild_id) {
      const guild = s.guild(input.guild_id);
      if (!input.channel_id) throw singleFormError(['channel_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      channel = s.channel(input.channel_id);
      if (channel.guild_id !== guild.id) throw apiError(RESTJSONErrorCodes.UnknownChannel);
      const member = s.member(guild.id, user.id);
      const perms = channelPermissions(s, channel, user.id);
      const appPerms = channelPermissions(s, channel, s.botUser.id);
      const interactionMember: APIInteractionGuildMember = { ...member, user, permissions: String(perms) };
      Object.assign(base, {
        guild_id: guild.id,
        guild: { id: guild.id, features: guild.features, locale: input.guild_locale ?? guild.preferred_locale },
        channel: { ...channel, permissions: String(perms) },
        channel_id: channel.id,
        member: interactionMember,
        app_permissions: String(appPerms),
        locale: input.locale ?? 'en-US',
        guild_locale: input.guild_locale ?? guild.preferred_locale,
        authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id },
        context: InteractionContextType.Guild,
      });
    } else {
      // A DM with the bot: `user` instead of `member`, channel type 1.
      const dmId = input.channel_id ?? snowflake();
      Object.assign(base, {
        channel: { id: dmId, type: ChannelType.DM, last_message_id: null, flags: 0, recipients: [user] },
        channel_id: dmId,
        user,
        app_permissions: '0',
        locale: input.locale ?? 'en-US',
        authorizing_integration_owners: { [ApplicationIntegrationType.UserInstall]: user.id },
        context: InteractionContextType.BotDM,
      });
    }

    const data: Obj = { ...(input.data ?? {}) };
    if (input.type === InteractionType.ApplicationCommand || input.type === InteractionType.ApplicationCommandAutocomplete) {
      data.type ??= ApplicationCommandType.ChatInput;
      const registered = this.findCommand(input.guild_id, String(data.name ?? ''), Number(data.type));
      data.id ??= registered?.id ?? snowflake();
      if (registered?.guild_id) data.guild_id = registered.guild_id;
      const resolved = this.resolveOptions(input.guild_id, channel, data);
      if (resolved) data.resolved = resolved;
    } else if (input.type === InteractionType.MessageComponent) {
      const resolved = this.resolveSelect(input.guild_id, channel, data);
      if (resolved) data.resolved = resolved;
      data.component_type ??= ComponentType.Button;
    }
    base.data = data;
    if (input.message_id) base.message = this.findMessage(input.channel_id ?? '', input.message_id);
    else if (input.type === InteractionType.MessageComponent) {
      throw singleFormError(['message_id'], 'BASE_TYPE_REQUIRED', 'Component interactions need the message the component was on');
    }
    return base as unknown as APIInteraction;
  }

  private findCommand(guildId: string | undefined, name: string, type: number) {
    const match = (c: { name: string; type: number }) => c.name === name && c.type === type;
    return (guildId ? this.state.guildCommands.get(guildId)?.find(match) : undefined) ?? this.state.globalCommands.find(match);
  }

  findMessage(channelId: string, messageId: string): APIMessage {
    const inChannel = this.state.messages.get(channelId)?.find((m) => m.id === messageId);
    if (inChannel) return inChannel;
    for (const r of this.records.values()) {
      const eph = r.ephemeral.get(messageId);
      if (eph) return eph;
    }
    throw apiError(RESTJSONErrorCodes.UnknownMessage);
  }

  // ---- resolved data ----------------------------------------------------

  private resolver(guildId: string | undefined, channel: SimChannel | null) {
    const s = this.state;
    const out: APIInteractionDataResolved = {};
    const users: Record<string, APIUser> = {};
    const members: Record<string, APIInteractionDataResolvedGuildMember> = {};
    const roles: Record<string, APIRole> = {};
    const channels: Record<string, APIInteractionDataResolvedChannel> = {};
    const attachments: Record<string, APIAttachment> = {};
    let any = false;
    const addUser = (id: string) => {
      const u = s.users.get(id);
      if (!u) return false;
      users[id] = u;
      any = true;
      const m = guildId ? s.members.get(guildId)?.get(id) : undefined;
      if (m && channel) {
        const { user: _u, deaf: _d, mute: _m, ...rest } = m;
        members[id] = { ...rest, permissions: String(channelPermissions(s, channel, id)) };
      }
      return true;
    };
    const addRole = (id: string) => {
      const r = guildId ? s.guilds.get(guildId)?.roles.find((x) => x.id === id) : undefined;
      if (r) {
        roles[id] = r;
        any = true;
      }
      return !!r;
    };
    const addChannel = (id: string) => {
      const c = s.channels.get(id);
      if (!c || !channel) return;
      const entry = { id: c.id, name: c.name, type: c.type, permissions: String(channelPermissions(s, c, s.botUser.id)) } as Obj;
      if (isThread(c)) {
        entry.parent_id = c.parent_id;
        entry.thread_metadata = c.thread_metadata;
      }
      channels[id] = entry as unknown as APIInteractionDataResolvedChannel;
      any = true;
    };
    // An ATTACHMENT option's value is the id of a file the member uploaded (POST /_sim/attachments).
    const addAttachment = (id: string) => {
      const a = s.attachments.uploads.get(id);
      if (a) {
        attachments[id] = a;
        any = true;
      }
    };
    const finish = (): APIInteractionDataResolved | null => {
      if (!any) return null;
      if (Object.keys(users).length) out.users = users;
      if (Object.keys(members).length) out.members = members;
      if (Object.keys(roles).length) out.roles = roles;
      if (Object.keys(channels).length) out.channels = channels;
      if (Object.keys(attachments).length) out.attachments = attachments;
      return out;
    };
    return { addUser, addRole, addChannel, addAttachment, finish, out };
  }

  private resolveOptions(guildId: string | undefined, channel: SimChannel | null, data: Obj): APIInteractionDataResolved | null {
    const r = this.resolver(guildId, channel);
    const T = ApplicationCommandOptionType;
    const walk = (opts: unknown) => {
      if (!Array.isArray(opts)) return;
      for (const o of opts) {
        if (!isObj(o)) continue;
        const v = String(o.value ?? '');
        if (o.type === T.User) r.addUser(v);
        else if (o.type === T.Role) r.addRole(v);
        else if (o.type === T.Channel) r.addChannel(v);
        else if (o.type === T.Attachment) r.addAttachment(v);
        else if (o.type === T.Mentionable) {
          if (!r.addUser(v)) r.addRole(v);
        }
        walk(o.options);
      }
    };
    walk(data.options);
    if (typeof data.target_id === 'string') {
      if (data.type === ApplicationCommandType.User) r.addUser(data.target_id);
      if (data.type === ApplicationCommandType.Message && channel) {
        const msg = this.findMessage(channel.id, data.target_id);
        const res = r.finish() ?? {};
        return { ...res, messages: { [msg.id]: msg } } as APIInteractionDataResolved;
      }
    }
    return r.finish();
  }

  private resolveSelect(guildId: string | undefined, channel: SimChannel | null, data: Obj): APIInteractionDataResolved | null {
    if (!Array.isArray(data.values)) return null;
    const r = this.resolver(guildId, channel);
    for (const v of data.values.map(String)) {
      if (data.component_type === ComponentType.UserSelect) r.addUser(v);
      else if (data.component_type === ComponentType.RoleSelect) r.addRole(v);
      else if (data.component_type === ComponentType.MentionableSelect) {
        if (!r.addUser(v)) r.addRole(v);
      } else if (data.component_type === ComponentType.ChannelSelect) r.addChannel(v);
    }
    return r.finish();
  }

  // ---- responding ---------------------------------------------------------

  get(id: string): InteractionRecord {
    const r = this.records.get(id);
    if (!r) throw apiError(RESTJSONErrorCodes.UnknownInteraction);
    return r;
  }

  forCallback(id: string, token: string): InteractionRecord {
    const r = this.records.get(id);
    if (!r || r.interaction.token !== token) throw apiError(RESTJSONErrorCodes.UnknownInteraction);
    return r;
  }

  forWebhook(applicationId: string, token: string, now: number): InteractionRecord {
    if (applicationId !== this.state.applicationId) throw apiError(RESTJSONErrorCodes.UnknownWebhook);
    const id = this.byToken.get(token);
    const r = id ? this.records.get(id) : undefined;
    if (!r) throw apiError(RESTJSONErrorCodes.UnknownWebhook);
    if (now - r.createdAt > this.state.config.interactionTokenTtlMs) throw apiError(RESTJSONErrorCodes.InvalidWebhookToken);
    return r;
  }

  // The one path for an initial response, via the callback endpoint or the
  // bot's inline HTTP answer. Returns the with_response payload.
  respond(rec: InteractionRecord, body: unknown, via: 'callback' | 'inline', now: number, upload?: Upload): RESTPostAPIInteractionCallbackWithResponseResult {
    try {
      const result = this.applyResponse(rec, body, now, upload);
      rec.responses.push({ at: now, via, body, status: 200 });
      return result;
    } catch (err) {
      const status = err instanceof DiscordError ? err.status : 500;
      rec.responses.push({ at: now, via, body, status, error: err instanceof DiscordError ? err.body : String(err) });
      throw err;
    }
  }

  private applyResponse(rec: InteractionRecord, body: unknown, now: number, upload?: Upload): RESTPostAPIInteractionCallbackWithResponseResult {
    const i = rec.interaction;
    if (rec.initialType !== null) throw apiError(RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged);
    if (now - rec.createdAt > this.state.config.interactionDeadlineMs) throw apiError(RESTJSONErrorCodes.UnknownInteraction);
    if (!isObj(body)) throw singleFormError(['type'], 'BASE_TYPE_REQUIRED', 'This field is required');
    const R = InteractionResponseType;
    const type = body.type as InteractionResponseType;
    const hasMessage = 'message' in i && i.message !== undefined;
    const allowed: Record<InteractionType, InteractionResponseType[]> = {
      [InteractionType.Ping]: [R.Pong],
      [InteractionType.ApplicationCommand]: [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.Modal],
      [InteractionType.MessageComponent]: [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.DeferredMessageUpdate, R.UpdateMessage, R.Modal],
      [InteractionType.ApplicationCommandAutocomplete]: [R.ApplicationCommandAutocompleteResult],
      [InteractionType.ModalSubmit]: hasMessage
        ? [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.DeferredMessageUpdate, R.UpdateMessage]
        : [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource],
    };
    if (!allowed[i.type].includes(type)) {
      throw singleFormError(
        ['type'],
        'INTERACTION_RESPONSE_TYPE_INVALID',
        `Interaction response type ${String(body.type)} is not valid for interaction type ${i.type}`,
      );
    }
    const data = body.data;
    const channel = this.state.channels.get(i.channel?.id ?? '') ?? null;
    const metadata = metadataOf(i);
    const msgType = answerType(i);
    const result: RESTPostAPIInteractionCallbackWithResponseResult = { interaction: { id: i.id, type: i.type }, resource: { type } };

    switch (type) {
      case R.Pong:
        break;
      case R.ChannelMessageWithSource:
      case R.DeferredChannelMessageWithSource: {
        let payload: Obj;
        if (type === R.ChannelMessageWithSource) {
          try {
            payload = validateMessage(data, { interaction: true, partial: false, files: upload?.files.length ?? 0 });
          } catch (e) {
            throw nestFormError(e, 'data');
          }
        } else {
          payload = isObj(data) ? data : {};
          const extra = Object.keys(payload).filter((k) => k !== 'flags');
          const f = new FormErrors();
          if (extra.length) f.add(['data', extra[0]!], 'INTERACTION_DEFERRED_DATA_INVALID', 'Only flags may be set on a deferred response');
          if (payload.flags !== undefined && ((payload.flags as number) & ~MessageFlags.Ephemeral) !== 0) {
            f.add(['data', 'flags'], 'MESSAGE_FLAGS_INVALID', 'Only the EPHEMERAL flag is allowed on a deferred response');
          }
          f.throwIfAny();
          payload = { content: '', flags: ((payload.flags as number | undefined) ?? 0) | MessageFlags.Loading };
        }
        const message = this.createMessage(rec, channel, payload, msgType, metadata, type === R.ChannelMessageWithSource ? upload : undefined);
        rec.original = message;
        result.interaction.response_message_id = message.id;
        result.interaction.response_message_loading = type === R.DeferredChannelMessageWithSource;
        result.interaction.response_message_ephemeral = ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
        result.resource!.message = message;
        break;
      }
      case R.DeferredMessageUpdate:
      case R.UpdateMessage: {
        const target = 'message' in i && i.message ? this.findMessage(i.message.channel_id, i.message.id) : null;
        if (!target) throw apiError(RESTJSONErrorCodes.UnknownMessage);
        if (type === R.UpdateMessage) {
          let payload: Obj;
          try {
            payload = validateMessage(data, { interaction: true, partial: true });
          } catch (e) {
            throw nestFormError(e, 'data');
          }
          applyEdit(this.state, channel ?? this.state.channel(target.channel_id), target, payload, upload);
          result.resource!.message = target;
        }
        rec.original = target;
        result.interaction.response_message_id = target.id;
        break;
      }
      case R.ApplicationCommandAutocompleteResult: {
        const choices = isObj(data) ? data.choices : undefined;
        if (!Array.isArray(choices)) throw singleFormError(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
        if (choices.length > 25) throw singleFormError(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
        // Each choice: a name of 1–100 characters and a string (≤100) or number value, as Discord validates it.
        choices.forEach((c: unknown, n: number) => {
          const name = isObj(c) ? c.name : undefined;
          if (typeof name !== 'string') throw singleFormError(['data', 'choices', String(n), 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
          if (name.length < 1 || name.length > 100)
            throw singleFormError(['data', 'choices', String(n), 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
          const value = isObj(c) ? c.value : undefined;
          if (typeof value !== 'string' && typeof value !== 'number')
            throw singleFormError(['data', 'choices', String(n), 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
          if (typeof value === 'string' && value.length > 100)
            throw singleFormError(['data', 'choices', String(n), 'value'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        });
        break;
      }
      case R.Modal:
        validateModal(data);
        break;
    }
    rec.initialType = type;
    return result;
  }

  createMessage(
    rec: InteractionRecord,
    channel: SimChannel | null,
    payload: Obj,
    type: MessageType,
    metadata: APIMessage['interaction_metadata'],
    upload?: Upload,
  ): APIMessage {
    const ephemeral = ((payload.flags as number | undefined) ?? 0) & MessageFlags.Ephemeral;
    const via = { type, metadata };
    if (ephemeral || !channel) {
      // DM channels and ephemeral replies are not kept in a guild channel.
      const fallback = channel ?? ({ id: rec.interaction.channel?.id ?? '0', guild_id: undefined } as unknown as SimChannel);
      const m = buildMessage(this.state, fallback, this.state.botUser, payload, { viaInteraction: via, ...(upload ? { upload } : {}) });
      rec.ephemeral.set(m.id, m);
      return m;
    }
    return postMessage(this.state, channel, this.state.botUser, payload, { viaInteraction: via, ...(upload ? { upload } : {}) });
  }

  // ---- webhook side (token-authenticated) -------------------------------

  channelOf(rec: InteractionRecord): SimChannel | null {
    return this.state.channels.get(rec.interaction.channel?.id ?? '') ?? null;
  }

  messageOf(rec: InteractionRecord, messageId: string): APIMessage {
    if (messageId === '@original') {
      if (!rec.original) throw apiError(RESTJSONErrorCodes.UnknownMessage);
      return rec.original;
    }
    const m = rec.original?.id === messageId ? rec.original : rec.followups.find((x) => x.id === messageId);
    if (!m) throw apiError(RESTJSONErrorCodes.UnknownMessage);
    return m;
  }

  followup(rec: InteractionRecord, body: unknown, upload?: Upload): APIMessage {
    if (rec.initialType === null) throw apiError(RESTJSONErrorCodes.UnknownWebhook);
    const payload = validateMessage(body, { interaction: true, partial: false, files: upload?.files.length ?? 0 });
    const i = rec.interaction;
    const metadata = metadataOf(i);
    const type = answerType(i);
    const m = this.createMessage(rec, this.channelOf(rec), payload, type, metadata, upload);
    rec.followups.push(m);
    return m;
  }

  edit(rec: InteractionRecord, messageId: string, body: unknown, upload?: Upload): APIMessage {
    const m = this.messageOf(rec, messageId);
    const payload = validateMessage(body, { interaction: true, partial: true });
    const channel = this.channelOf(rec) ?? ({ id: m.channel_id, guild_id: undefined, type: ChannelType.GuildText } as unknown as SimChannel);
    return applyEdit(this.state, channel, m, payload, upload);
  }

  remove(rec: InteractionRecord, messageId: string): void {
    const m = this.messageOf(rec, messageId);
    rec.ephemeral.delete(m.id);
    const list = this.state.messages.get(m.channel_id);
    if (list) {
      const idx = list.findIndex((x) => x.id === m.id);
      if (idx >= 0) list.splice(idx, 1);
    }
    if (rec.original?.id === m.id) rec.original = null;
    rec.followups = rec.followups.filter((x) => x.id !== m.id);
  }

  view(rec: InteractionRecord): unknown {
    return { interaction: rec.interaction, responses: rec.responses, original: rec.original, followups: rec.followups };
  }
}

/** The `interaction_metadata` of a message an interaction's answer creates; a context-menu command's names its target. */
function metadataOf(i: APIInteraction): APIMessage['interaction_metadata'] {
  const target = i.type === InteractionType.ApplicationCommand && 'target_id' in i.data ? i.data : null;
  return {
    id: i.id,
    type: i.type,
    user: ('member' in i && i.member ? i.member.user : (i as { user?: APIUser }).user)!,
    authorizing_integration_owners: i.authorizing_integration_owners,
    ...(target?.type === ApplicationCommandType.Message ? { target_message_id: target.target_id } : {}),
    // The simulator resolves a user command's target only when that user exists.
    ...(target?.type === ApplicationCommandType.User && target.resolved?.users?.[target.target_id]
      ? { target_user: target.resolved.users[target.target_id] }
      : {}),
  } as APIMessage['interaction_metadata'];
}

/** Discord types the answer to a slash command CHAT_INPUT_COMMAND (20) and to a user or message command CONTEXT_MENU_COMMAND (23). */
function answerType(i: APIInteraction): MessageType {
  if (i.type !== InteractionType.ApplicationCommand) return MessageType.Default;
  return i.data.type === ApplicationCommandType.ChatInput ? MessageType.ChatInputCommand : MessageType.ContextMenuCommand;
}
