// The bot's direct messages: Create DM (POST /users/@me/channels) and the
// message routes on a DM channel, which rest-channels.ts hands over here.
// What decides whether a DM is delivered:
// - Discord answers 50007 "Cannot send messages to this user" when the user
//   shares no guild with the bot or does not accept DMs from server members
//   (scripted with POST /_sim/users/{id}/dms {open: false}).
// - A guild's incident action "DMs disabled" (dms_disabled_until) does not stop
//   the bot. Discord's API docs are silent on it; the pause is described as
//   stopping DMs between members who are not friends, and moderation bots built
//   on the incidents API document that moderators can still DM members and that
//   "bots and apps continue to function normally". The simulator follows that.

import type { APIDMChannel, APIMessage, ChannelFlags, MessageFlags } from 'discord-api-types/v10';
import { ChannelType, MessageType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { Handler } from './context.ts';
import { ok } from './context.ts';
import { apiError, singleFormError } from './errors.ts';
import type { Upload } from './messages.ts';
import { snowflake } from './snowflake.ts';
import type { SimState } from './state.ts';
import { nowIso } from './state.ts';
import { isObj, validateMessage } from './validate.ts';

export function openDm(state: SimState, userId: string): APIDMChannel {
  const known = state.dmByUser.get(userId);
  if (known) return state.dmChannels.get(known)!;
  const user = state.users.get(userId);
  if (!user) throw apiError(RESTJSONErrorCodes.UnknownUser);
  const dm: APIDMChannel = {
    id: snowflake(),
    type: ChannelType.DM,
    name: null,
    last_message_id: null,
    flags: 0 as ChannelFlags,
    recipients: [user],
  };
  state.dmChannels.set(dm.id, dm);
  state.dmByUser.set(userId, dm.id);
  state.messages.set(dm.id, []);
  return dm;
}

function sharesGuildWithBot(state: SimState, userId: string): boolean {
  for (const members of state.members.values()) if (members.has(userId) && members.has(state.botUser.id)) return true;
  return false;
}

export function postDm(state: SimState, dm: APIDMChannel, rawBody: unknown, upload?: Upload): APIMessage {
  const body = validateMessage(rawBody, { interaction: false, partial: false, files: upload?.files.length ?? 0 });
  const recipient = dm.recipients?.[0];
  if (!recipient || state.dmsClosed.has(recipient.id) || !sharesGuildWithBot(state, recipient.id)) {
    throw apiError(RESTJSONErrorCodes.CannotSendMessagesToThisUser);
  }
  const message: APIMessage = {
    id: snowflake(),
    channel_id: dm.id,
    author: state.botUser,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: nowIso(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: upload?.files.length ? state.attachments.forMessage(upload.origin, dm.id, body, upload.files, null) : [],
    embeds: Array.isArray(body.embeds) ? (body.embeds as APIMessage['embeds']) : [],
    pinned: false,
    type: MessageType.Default,
    flags: (typeof body.flags === 'number' ? body.flags : 0) as MessageFlags,
    components: Array.isArray(body.components) ? (body.components as APIMessage['components']) : [],
  };
  state.messagesOf(dm.id).push(message);
  dm.last_message_id = message.id;
  return message;
}

export const dmHandlers: Record<string, Handler> = {
  'POST /users/@me/channels': (ctx) => {
    const b = isObj(ctx.body) ? ctx.body : {};
    if (typeof b.recipient_id !== 'string') throw singleFormError(['recipient_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return ok(openDm(ctx.core.state, b.recipient_id));
  },
};
