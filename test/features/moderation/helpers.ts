import { type APIMessage, ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { guildActor } from '../../../src/runtime/actors.ts';
import { type Delivered, deliver, env, eventually, type InteractionSpec, newGuild, replyText, simApi, type TestGuild } from '../../helpers.ts';

/** Shared by the moderation feature test files: commands with typed options, messages as gateway events, the simulator's moderation views. */

export type ModGuild = TestGuild & { botRoleId: string };
export const modGuild = (members = 6, staff = 2) => newGuild(members, staff) as Promise<ModGuild>;

type Value = string | number | boolean;
export interface Opt {
  name: string;
  type: T;
  value: Value;
}
export const str = (name: string, value: string): Opt => ({ name, type: T.String, value });
export const int = (name: string, value: number): Opt => ({ name, type: T.Integer, value });
export const bool = (name: string, value: boolean): Opt => ({ name, type: T.Boolean, value });
export const user = (name: string, value: string): Opt => ({ name, type: T.User, value });
export const channel = (name: string, value: string): Opt => ({ name, type: T.Channel, value });
export const role = (name: string, value: string): Opt => ({ name, type: T.Role, value });

/** A slash command; `path` is "name" or "name sub". */
export function command(g: TestGuild, userId: string, path: string, options: Opt[] = [], channelId = g.generalChannelId): InteractionSpec {
  const [name, sub] = path.split(' ');
  return {
    type: 2,
    guild_id: g.guildId,
    channel_id: channelId,
    user_id: userId,
    data: { name, type: 1, options: sub ? [{ name: sub, type: T.Subcommand, options }] : options },
  };
}

export const run = (g: TestGuild, userId: string, path: string, options: Opt[] = [], channelId?: string) =>
  deliver(command(g, userId, path, options, channelId));

/** Points the mod log, the mod queue and appeals at the guild's support channel (posts are told apart by their embed titles). */
export async function setUpModeration(g: ModGuild, extra: Opt[] = []) {
  const d = await run(g, g.adminId, 'modconfig', [
    channel('mod_log', g.supportChannelId),
    channel('mod_queue', g.supportChannelId),
    channel('appeals', g.supportChannelId),
    ...extra,
  ]);
  if (!replyText(d).startsWith('Saved')) throw new Error(`modconfig: ${replyText(d)}`);
  return d;
}

export async function addRule(g: ModGuild, options: Opt[]): Promise<Delivered> {
  const d = await run(g, g.adminId, 'automod add', options);
  if (!/^(Added|Replaced)/.test(replyText(d))) throw new Error(`automod add: ${replyText(d)}`);
  return d;
}

let session = 0;

/** Posts a message in the simulator and hands its MESSAGE_CREATE to the real guild actor (no gateway needed). */
export async function say(g: TestGuild, userId: string, content: string, opts: { channelId?: string; roles?: string[] } = {}): Promise<APIMessage> {
  const msg = await simApi<APIMessage>(`/_sim/channels/${opts.channelId ?? g.generalChannelId}/messages`, { body: { user_id: userId, content } });
  const event = { ...msg, guild_id: g.guildId, member: { roles: opts.roles ?? [], joined_at: msg.timestamp, deaf: false, mute: false, flags: 0 } };
  await guildActor(env, g.guildId).applyEvents(0, `moddesk-${Date.now()}-${++session}`, [{ s: 1, t: 'MESSAGE_CREATE', d: event }]);
  return msg;
}

/** Hands a GUILD_MEMBER_ADD to the guild actor, as the gateway would after a join. */
export async function joined(g: TestGuild, userId: string, roles: string[] = []): Promise<void> {
  const d = {
    guild_id: g.guildId,
    user: { id: userId, username: `u${userId.slice(-4)}`, discriminator: '0', global_name: null, avatar: null },
    roles,
    joined_at: new Date().toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
  };
  await guildActor(env, g.guildId).applyEvents(0, `moddesk-${Date.now()}-${++session}`, [{ s: 1, t: 'GUILD_MEMBER_ADD', d }]);
}

export interface ModerationView {
  members: { user_id: string; roles: string[]; communication_disabled_until: string | null }[];
  bans: { user_id: string; reason: string | null }[];
}
export const moderationView = (g: TestGuild) => simApi<ModerationView>(`/_sim/guilds/${g.guildId}/moderation`);

export interface ModCall {
  seq: number;
  time: number;
  method: string;
  path: string;
  route: string;
  status: number;
  auditLogReason?: string;
}
export const modCalls = async (g: TestGuild, since = 0) => (await simApi<{ calls: ModCall[] }>(`/_sim/guilds/${g.guildId}/modlog?since=${since}`)).calls;

export const messagesIn = async (g: TestGuild, channelId: string): Promise<APIMessage[]> =>
  (await simApi<{ messages: Record<string, APIMessage[]> }>(`/_sim/guilds/${g.guildId}`)).messages[channelId] ?? [];

/** Whether a message still exists in the simulator. */
export const exists = async (g: TestGuild, channelId: string, id: string) => (await messagesIn(g, channelId)).some((m) => m.id === id);

export const timedOut = async (g: TestGuild, userId: string) => {
  const m = (await moderationView(g)).members.find((x) => x.user_id === userId);
  return !!m?.communication_disabled_until && Date.parse(m.communication_disabled_until) > Date.now();
};

/** The newest message in a channel whose embed title starts with `prefix` (mod log entries, approvals, appeals). */
export async function findPost(g: TestGuild, channelId: string, prefix: string, timeoutMs = 8000): Promise<APIMessage> {
  return eventually(
    async () => [...(await messagesIn(g, channelId))].reverse().find((m) => m.embeds.some((e) => e.title?.startsWith(prefix))),
    timeoutMs,
    `post "${prefix}"`,
  );
}

export interface DmView {
  channel: { id: string } | null;
  messages: APIMessage[];
}
export const dmsOf = (userId: string) => simApi<DmView>(`/_sim/users/${userId}/dms`);
