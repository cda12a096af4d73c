import { runInDurableObject } from 'cloudflare:test';
import { type APIMessage, ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import type { MemberRow } from '../../../src/features/levels/store.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { type Delivered, deliver, env, type InteractionSpec, replyText, simApi, type TestGuild } from '../../helpers.ts';

/** What a PNG's header says: the signature, and IHDR's size and colour type. */
export function pngInfo(png: Uint8Array): { signature: boolean; width: number; height: number; colorType: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const ihdr = String.fromCharCode(...png.subarray(12, 16));
  return {
    signature: sig.every((b, i) => png[i] === b) && ihdr === 'IHDR',
    width: v.getUint32(16),
    height: v.getUint32(20),
    colorType: png[25]!,
  };
}

type Value = string | number | boolean;
export interface Opt {
  name: string;
  type: T;
  value: Value;
}
export const str = (name: string, value: string): Opt => ({ name, type: T.String, value });
export const int = (name: string, value: number): Opt => ({ name, type: T.Integer, value });
export const num = (name: string, value: number): Opt => ({ name, type: T.Number, value });
export const bool = (name: string, value: boolean): Opt => ({ name, type: T.Boolean, value });
export const user = (name: string, value: string): Opt => ({ name, type: T.User, value });
export const channel = (name: string, value: string): Opt => ({ name, type: T.Channel, value });
export const role = (name: string, value: string): Opt => ({ name, type: T.Role, value });

/** A slash command; `path` is "name", "name sub" or "name group sub". */
export function command(g: TestGuild, userId: string, path: string, options: Opt[] = [], channelId = g.generalChannelId): InteractionSpec {
  const [name, ...rest] = path.split(' ');
  let opts: unknown[] = options;
  if (rest.length === 2) opts = [{ name: rest[0], type: T.SubcommandGroup, options: [{ name: rest[1], type: T.Subcommand, options }] }];
  else if (rest.length === 1) opts = [{ name: rest[0], type: T.Subcommand, options }];
  return { type: 2, guild_id: g.guildId, channel_id: channelId, user_id: userId, data: { name, type: 1, options: opts } };
}

export const run = (g: TestGuild, userId: string, path: string, options: Opt[] = [], channelId?: string): Promise<Delivered> =>
  deliver(command(g, userId, path, options, channelId));

export async function runOk(g: TestGuild, path: string, options: Opt[] = []): Promise<string> {
  const d = await run(g, g.adminId, path, options);
  return replyText(d);
}

let session = 0;
let seq = 0;

/** A message posted in the simulator, as the MESSAGE_CREATE the gateway would hand the guild actor. */
export async function posted(g: TestGuild, userId: string, opts: { channelId?: string; roles?: string[]; content?: string } = {}) {
  const msg = await simApi<APIMessage>(`/_sim/channels/${opts.channelId ?? g.generalChannelId}/messages`, {
    body: { user_id: userId, content: opts.content ?? 'hello there' },
  });
  return { ...msg, guild_id: g.guildId, member: { roles: opts.roles ?? [], joined_at: msg.timestamp, deaf: false, mute: false, flags: 0 } };
}

/** Hands events to the guild actor as one gateway batch of a fresh session. */
export async function batch(g: TestGuild, events: { t: string; d: unknown }[]) {
  const s = `levels-${Date.now()}-${++session}`;
  return guildActor(env, g.guildId).applyEvents(
    0,
    s,
    events.map((e) => ({ s: ++seq, t: e.t, d: e.d })),
  );
}

/** Messages from `userId` through the gateway path, one batch. */
export async function say(g: TestGuild, userId: string, n = 1, opts: { channelId?: string; roles?: string[] } = {}) {
  const msgs = [];
  for (let i = 0; i < n; i++) msgs.push(await posted(g, userId, opts));
  return batch(
    g,
    msgs.map((d) => ({ t: 'MESSAGE_CREATE', d })),
  );
}

/** A member's stored levels row (read only: tests never edit tables). */
export async function stored(g: TestGuild, userId: string): Promise<MemberRow | null> {
  return runInDurableObject(guildActor(env, g.guildId) as never, (_: unknown, state: DurableObjectState) => {
    const r = state.storage.sql
      .exec<{
        user_id: string;
        xp: number;
        messages: number;
        events: number;
        voice_minutes: number;
        last_award_at: number | null;
        name: string | null;
        avatar: string | null;
      }>(`SELECT user_id, xp, messages, events, voice_minutes, last_award_at, name, avatar FROM levels_members WHERE user_id = ?`, userId)
      .toArray()[0];
    return r
      ? {
          userId: r.user_id,
          xp: r.xp,
          messages: r.messages,
          events: r.events,
          voiceMinutes: r.voice_minutes,
          lastAwardAt: r.last_award_at,
          name: r.name,
          avatar: r.avatar,
        }
      : null;
  });
}

export const xpOf = async (g: TestGuild, userId: string) => (await stored(g, userId))?.xp ?? 0;

/** Fixed XP per message, so sums are exact. */
export const fixedXp = (g: TestGuild, xp: number, cooldown = 60) =>
  runOk(g, 'levels config', [int('xp_min', xp), int('xp_max', xp), int('cooldown', cooldown)]);

export const messagesIn = async (g: TestGuild, channelId: string): Promise<APIMessage[]> =>
  (await simApi<{ messages: Record<string, APIMessage[]> }>(`/_sim/guilds/${g.guildId}`)).messages[channelId] ?? [];

/** A role made in the simulator at `position` in the guild's role list. */
export async function roleAt(g: TestGuild, name: string, position: number): Promise<string> {
  const { role_id } = await simApi<{ role_id: string }>('/_sim/roles', { body: { guild_id: g.guildId, name } });
  await simApi(`/_sim/guilds/${g.guildId}/roles/${role_id}`, { body: { position } });
  return role_id;
}

/** A member's roles as the simulator holds them. */
export const rolesOf = async (g: TestGuild, userId: string): Promise<string[]> =>
  (await simApi<{ members: { user_id: string; roles: string[] }[] }>(`/_sim/guilds/${g.guildId}/moderation`)).members.find((m) => m.user_id === userId)!.roles;
