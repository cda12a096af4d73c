/** A member in a voice channel, as VOICE_STATE_UPDATE last described them. */
export interface VoiceMember {
  userId: string;
  channelId: string;
  /** Deafened by themselves or by a moderator: not listening, so not earning and not company. */
  deaf: boolean;
  bot: boolean;
  /** For no-XP roles and role multipliers. */
  roles: string[];
}

/**
 * Who earns voice XP this minute: members who can hear, in a channel with at
 * least one other listening human (a member alone, or only with bots or
 * deafened members, earns nothing: sitting in an empty channel is not
 * taking part), and not in the guild's AFK channel (where Discord moves the
 * idle).
 */
export function voiceEarners(members: readonly VoiceMember[], afkChannelId: string | null = null): VoiceMember[] {
  const listening = members.filter((m) => !m.deaf && !m.bot && m.channelId !== afkChannelId);
  const perChannel = new Map<string, number>();
  for (const m of listening) perChannel.set(m.channelId, (perChannel.get(m.channelId) ?? 0) + 1);
  return listening.filter((m) => (perChannel.get(m.channelId) ?? 0) >= 2);
}
