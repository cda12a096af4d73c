// Voice: members joining, leaving, muting and deafening in voice channels,
// dispatched as Discord does (topics/gateway-events "Voice State Update":
// the voice state object of resources/voice, with `member`; a leave is the
// same event with channel_id null) to sessions with GUILD_VOICE_STATES, and
// the guild's current voice states in GUILD_CREATE's `voice_states`.
//
//   POST /_sim/guilds/{guild_id}/voice-channels {name?, type?: 2 | 13} → the new voice channel (type 2, or 13 for a stage channel)
//   POST /_sim/guilds/{guild_id}/voice {user_id, channel_id: id | null, self_deaf?, self_mute?, deaf?, mute?}
//        → {state: the voice state dispatched, deliveries}     (VOICE_STATE_UPDATE)
//   GET  /_sim/guilds/{guild_id}/voice                          → {voice_states}
import { type APIGuildVoiceChannel, ChannelType, GatewayDispatchEvents, type GatewayVoiceState, VideoQualityMode } from 'discord-api-types/v10';
import type { Sim } from './server.ts';
import { snowflake } from './snowflake.ts';
import type { SimChannel, SimState } from './state.ts';

type Obj = Record<string, unknown>;

/** Per simulator state (a reseed starts empty): guild → user → voice state. */
const VOICE = new WeakMap<SimState, Map<string, Map<string, GatewayVoiceState>>>();

function statesOf(state: SimState, guildId: string): Map<string, GatewayVoiceState> {
  let guilds = VOICE.get(state);
  if (!guilds) VOICE.set(state, (guilds = new Map()));
  let m = guilds.get(guildId);
  if (!m) guilds.set(guildId, (m = new Map()));
  return m;
}

/** GUILD_CREATE's voice_states: the guild's voice states without guild_id (Discord leaves it out there). */
export function voiceStatesOf(state: SimState, guildId: string): Omit<GatewayVoiceState, 'guild_id'>[] {
  return [...statesOf(state, guildId).values()].map(({ guild_id: _, member: __, ...v }) => v);
}

const flag = (b: Obj, key: string, fallback: boolean): boolean => (typeof b[key] === 'boolean' ? (b[key] as boolean) : fallback);

export function handleVoiceControl(sim: Sim, method: string, p: string, b: Obj): { status: number; body: unknown } | null {
  const s = sim.state;
  let m: RegExpExecArray | null;
  if (method === 'POST' && (m = /^\/_sim\/guilds\/(\d+)\/voice-channels$/.exec(p))) {
    const guildId = m[1]!;
    s.guild(guildId);
    const stage = b.type === ChannelType.GuildStageVoice;
    const channel: APIGuildVoiceChannel = {
      id: snowflake(),
      // A stage channel has the same fields; the type tells them apart.
      type: (stage ? ChannelType.GuildStageVoice : ChannelType.GuildVoice) as ChannelType.GuildVoice,
      guild_id: guildId,
      name: typeof b.name === 'string' && b.name ? b.name : stage ? 'Stage' : 'Voice',
      position: s.guildChannels(guildId).length,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      bitrate: 64_000,
      user_limit: 0,
      rtc_region: null,
      video_quality_mode: VideoQualityMode.Auto,
      rate_limit_per_user: 0,
      last_message_id: null,
      flags: 0 as APIGuildVoiceChannel['flags'],
    };
    // The simulator's channel map is typed for the text side; a voice channel sits in it as Discord lists it among the guild's channels.
    s.channels.set(channel.id, channel as unknown as SimChannel);
    return { status: 200, body: channel };
  }
  if ((m = /^\/_sim\/guilds\/(\d+)\/voice$/.exec(p))) {
    const guildId = m[1]!;
    if (method === 'GET') return { status: 200, body: { voice_states: [...statesOf(s, guildId).values()] } };
    if (method !== 'POST') return null;
    const userId = typeof b.user_id === 'string' ? b.user_id : '';
    const member = s.member(guildId, userId);
    const channelId = typeof b.channel_id === 'string' ? b.channel_id : null;
    if (channelId !== null) {
      const c = s.channels.get(channelId) as { type: ChannelType; guild_id?: string } | undefined;
      if (!c || c.guild_id !== guildId || (c.type !== ChannelType.GuildVoice && c.type !== ChannelType.GuildStageVoice))
        return { status: 400, body: { error: 'channel_id must be a voice channel of this guild' } };
    }
    const states = statesOf(s, guildId);
    const before = states.get(userId);
    const state: GatewayVoiceState = {
      guild_id: guildId,
      channel_id: channelId,
      user_id: userId,
      member,
      session_id: before?.session_id ?? snowflake().slice(-16),
      deaf: flag(b, 'deaf', before?.deaf ?? false),
      mute: flag(b, 'mute', before?.mute ?? false),
      self_deaf: flag(b, 'self_deaf', before?.self_deaf ?? false),
      self_mute: flag(b, 'self_mute', before?.self_mute ?? false),
      self_video: false,
      suppress: false,
      request_to_speak_timestamp: null,
    };
    if (channelId === null) states.delete(userId);
    else states.set(userId, state);
    const deliveries = sim.gateway.dispatch({ t: GatewayDispatchEvents.VoiceStateUpdate, guildId, d: state });
    return { status: 200, body: { state, deliveries } };
  }
  return null;
}
