import { type GatewayMessageCreateDispatchData, MessageType } from 'discord-api-types/v10';

/**
 * A MESSAGE_CREATE from a member in a guild text channel, as the gateway
 * delivers it: the benches' floods and the throwaway Workers' corpora all
 * start here, so every one of them measures the same shape.
 */
export function memberMessage(m: {
  id: string;
  channelId: string;
  guildId: string;
  author: { id: string; username?: string; global_name?: string | null };
  content: string;
  /** ISO time of the message (and of the member's joining, which no rule here reads). */
  timestamp: string;
  roles?: string[];
}): GatewayMessageCreateDispatchData {
  return {
    id: m.id,
    channel_id: m.channelId,
    guild_id: m.guildId,
    content: m.content,
    timestamp: m.timestamp,
    author: { username: 'player', global_name: null, ...m.author, discriminator: '0', avatar: null },
    member: { roles: m.roles ?? [], joined_at: m.timestamp, deaf: false, mute: false, flags: 0 },
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    attachments: [],
    embeds: [],
    pinned: false,
    tts: false,
    type: MessageType.Default,
    edited_timestamp: null,
    flags: 0,
    components: [],
    channel_type: 0,
  } as unknown as GatewayMessageCreateDispatchData;
}
