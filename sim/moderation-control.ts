// /_sim control routes for moderation, anti-raid, verification and invite
// tracking (tests and benchmarks). JSON in, JSON out; errors are {error}
// (400) or a Discord error body. POST /_sim/guilds also takes {vanity: code},
// GET /_sim/guilds/{id} also returns bans, invites and vanity, and
// GET /_sim/log takes ?guild_id= (control.ts).
//
//   POST /_sim/guilds/{guild_id}/joins    {count | user_ids, via?: invite code | 'vanity', accountAgeDays? (365),
//                                          namePattern? ("joiner_{n}"), ratePerS? | spreadMs?, backdateMs? (benches: joined_at spread back)}
//        → {guild_id, via, requested, member_ids, joins: [{i, user_id, username, at, delivered, s}],
//           refused: [{i, at, reason, user_id?}], invite: {code, uses, max_uses, deleted} | null,
//           startedAt, durationMs, achievedPerS}                       (answers when the last join is done)
//   POST /_sim/guilds/{guild_id}/leave    {user_id}                    → {user_id, left: true}   (GUILD_MEMBER_REMOVE)
//   POST /_sim/guilds/{guild_id}/invites  {channel_id?, inviter_id?, max_uses?, uses?, max_age?, temporary?, code?}
//        → the invite with metadata, as GET /guilds/{id}/invites shows it   (INVITE_CREATE)
//   GET  /_sim/guilds/{guild_id}/invites  → the live invites with metadata
//   POST /_sim/guilds/{guild_id}/vanity   {code: string | null, uses?} → {code, uses}   (GUILD_UPDATE)
//   POST /_sim/guilds/{guild_id}/roles/{role_id} {permissions?, position?, name?} → the role (GUILD_ROLE_UPDATE)
//   GET  /_sim/guilds/{guild_id}/moderation → {verification_level, features, incidents_data, slowmode: {channel_id: s},
//           members: [{user_id, username, roles, joined_at, communication_disabled_until, nick, flags}],
//           bans: [{user_id, reason}], invites: [...], vanity: {code, uses}}
//   GET  /_sim/guilds/{guild_id}/modlog?since=&all=1
//        → {calls: [{seq, time, method, path, route, status, auditLogReason?}], nextSeq}: the bot's REST calls
//          that change moderation state in this guild (all=1: every call concerning it), `time` = epoch ms received
//   POST /_sim/users/{user_id}/dms        {open: boolean}              → {user_id, open}   (closed → 50007 on DM)
//   GET  /_sim/users/{user_id}/dms        → {channel: DM channel | null, messages (oldest first)}
import { ChannelType, GuildFeature, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError } from './errors.ts';
import { createInvite, inviteCreateEvent, liveInvites, renderInvite } from './invites.ts';
import { parseJoinOptions, runJoins } from './joins.ts';
import type { Sim } from './server.ts';
import { isThread } from './state.ts';

type Obj = Record<string, unknown>;
interface ControlResult {
  status: number;
  body: unknown;
}

const ok = (body: unknown): ControlResult => ({ status: 200, body });

/** REST routes that change what moderation, anti-raid and invite tracking look at. */
export const MODERATION_ROUTES: readonly string[] = [
  'PATCH /guilds/{guild_id}',
  'PUT /guilds/{guild_id}/incident-actions',
  'POST /guilds/{guild_id}/roles',
  'PATCH /guilds/{guild_id}/members/{user_id}',
  'DELETE /guilds/{guild_id}/members/{user_id}',
  'PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}',
  'DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}',
  'PUT /guilds/{guild_id}/bans/{user_id}',
  'DELETE /guilds/{guild_id}/bans/{user_id}',
  'POST /guilds/{guild_id}/bulk-ban',
  'PATCH /channels/{channel_id}',
  'POST /channels/{channel_id}/messages/bulk-delete',
  'DELETE /channels/{channel_id}/messages/{message_id}',
  'POST /channels/{channel_id}/invites',
  'DELETE /invites/{code}',
];

function optInt(b: Obj, key: string, min: number, max: number): number | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error(`${key} must be an integer ${min}–${max}`);
  return v;
}

function moderationView(sim: Sim, guildId: string): unknown {
  const s = sim.state;
  const guild = s.guild(guildId);
  const now = Date.now();
  const slowmode: Record<string, number> = {};
  for (const c of s.guildChannels(guildId)) if (c.type !== ChannelType.GuildCategory) slowmode[c.id] = c.rate_limit_per_user ?? 0;
  return {
    verification_level: guild.verification_level,
    features: guild.features,
    incidents_data: guild.incidents_data ?? null,
    slowmode,
    members: [...s.membersOf(guildId).values()].map((m) => ({
      user_id: m.user.id,
      username: m.user.username,
      roles: m.roles,
      joined_at: m.joined_at,
      communication_disabled_until: m.communication_disabled_until ?? null,
      nick: m.nick ?? null,
      flags: m.flags,
    })),
    bans: [...(s.bans.get(guildId)?.values() ?? [])].map((b) => ({ user_id: b.user.id, reason: b.reason })),
    invites: liveInvites(s, now, (i) => i.guildId === guildId).map((i) => renderInvite(s, i, true)),
    vanity: { code: guild.vanity_url_code, uses: s.vanityUses.get(guildId) ?? 0 },
  };
}

/** Answers the routes above, or null when the path is not one of them. */
export async function handleModerationControl(sim: Sim, method: string, p: string, url: URL, b: Obj): Promise<ControlResult | null> {
  let m: RegExpExecArray | null;
  const s = sim.state;

  if ((m = /^\/_sim\/guilds\/(\d+)\/(joins|leave|invites|vanity|moderation|modlog)$/.exec(p))) {
    const guildId = m[1]!;
    s.guild(guildId);
    const what = m[2]!;
    if (method === 'POST' && what === 'joins') return ok(await runJoins(sim, guildId, parseJoinOptions(b)));

    if (method === 'POST' && what === 'leave') {
      const userId = typeof b.user_id === 'string' ? b.user_id : '';
      if (userId === s.guild(guildId).owner_id) throw new Error('the owner cannot leave their guild');
      if (userId === s.botUser.id) throw new Error('the bot leaving is not scripted here');
      const member = s.removeMember(guildId, userId);
      if (!member) throw apiError(RESTJSONErrorCodes.UnknownMember);
      sim.gateway.memberRemoved(guildId, member.user);
      return ok({ user_id: userId, left: true });
    }

    if (method === 'POST' && what === 'invites') {
      const guild = s.guild(guildId);
      const channelId =
        typeof b.channel_id === 'string'
          ? b.channel_id
          : (guild.system_channel_id ?? s.guildChannels(guildId).find((c) => c.type === ChannelType.GuildText)?.id);
      const channel = channelId ? s.channel(channelId) : undefined;
      if (!channel || channel.guild_id !== guildId || isThread(channel) || channel.type === ChannelType.GuildCategory) {
        throw new Error('channel_id must be a text channel of the guild');
      }
      const inviterId = typeof b.inviter_id === 'string' ? b.inviter_id : guild.owner_id;
      if (!s.users.has(inviterId)) throw apiError(RESTJSONErrorCodes.UnknownUser);
      const maxAge = optInt(b, 'max_age', 0, 604_800);
      const maxUses = optInt(b, 'max_uses', 0, 100);
      const uses = optInt(b, 'uses', 0, 1_000_000);
      const inv = createInvite(s, {
        guildId,
        channelId: channel.id,
        inviterId,
        now: Date.now(),
        ...(maxAge !== undefined ? { maxAge } : {}),
        ...(maxUses !== undefined ? { maxUses } : {}),
        ...(uses !== undefined ? { uses } : {}),
        ...(typeof b.temporary === 'boolean' ? { temporary: b.temporary } : {}),
        ...(typeof b.code === 'string' && b.code.length > 0 ? { code: b.code } : {}),
      });
      sim.gateway.inviteCreated(inviteCreateEvent(s, inv));
      return ok(renderInvite(s, inv, true));
    }
    if (method === 'GET' && what === 'invites') {
      return ok(liveInvites(s, Date.now(), (i) => i.guildId === guildId).map((i) => renderInvite(s, i, true)));
    }

    if (method === 'POST' && what === 'vanity') {
      const guild = s.guild(guildId);
      if (b.code !== null && (typeof b.code !== 'string' || !/^[a-z0-9-]{2,32}$/i.test(b.code)))
        throw new Error('code must be 2–32 letters, digits or dashes, or null');
      const code = b.code as string | null;
      if (code !== null && (s.invites.has(code) || [...s.guilds.values()].some((g) => g.id !== guildId && g.vanity_url_code === code))) {
        throw new Error(`code ${code} is taken`);
      }
      guild.vanity_url_code = code;
      guild.features = guild.features.filter((f) => f !== GuildFeature.VanityURL);
      if (code !== null) guild.features.push(GuildFeature.VanityURL);
      const uses = optInt(b, 'uses', 0, 1_000_000_000);
      s.vanityUses.set(guildId, uses ?? (code === null ? 0 : (s.vanityUses.get(guildId) ?? 0)));
      sim.gateway.guildUpdated(guildId);
      return ok({ code, uses: s.vanityUses.get(guildId) });
    }

    if (method === 'GET' && what === 'moderation') return ok(moderationView(sim, guildId));

    if (method === 'GET' && what === 'modlog') {
      const since = Number(url.searchParams.get('since') ?? '0') || 0;
      const all = url.searchParams.get('all') === '1' || url.searchParams.get('all') === 'true';
      const { calls, nextSeq } = sim.log.since(since, guildId);
      return ok({
        calls: calls
          .filter((c) => all || (c.route !== null && MODERATION_ROUTES.includes(c.route)))
          .map((c) => ({
            seq: c.seq,
            time: c.time,
            method: c.method,
            path: c.path,
            route: c.route,
            status: c.status,
            ...(c.auditLogReason !== undefined ? { auditLogReason: c.auditLogReason } : {}),
          })),
        nextSeq,
      });
    }
  }

  if (method === 'POST' && (m = /^\/_sim\/guilds\/(\d+)\/roles\/(\d+)$/.exec(p))) {
    const guildId = m[1]!;
    const role = s.role(guildId, m[2]!);
    if (b.permissions !== undefined) {
      if (typeof b.permissions !== 'string' || !/^\d+$/.test(b.permissions)) throw new Error('permissions must be a decimal string');
      role.permissions = b.permissions;
    }
    if (typeof b.name === 'string' && b.name.length > 0) role.name = b.name;
    if (b.position !== undefined) {
      if (role.id === guildId) throw new Error('@everyone stays at position 0');
      const pos = optInt(b, 'position', 1, 1000)!;
      s.placeRole(guildId, role, pos);
    }
    sim.gateway.roleUpdated(guildId, role);
    return ok(role);
  }

  if ((m = /^\/_sim\/users\/(\d+)\/dms$/.exec(p))) {
    const userId = m[1]!;
    if (!s.users.has(userId)) throw apiError(RESTJSONErrorCodes.UnknownUser);
    if (method === 'POST') {
      if (typeof b.open !== 'boolean') throw new Error('open (boolean) is required');
      if (b.open) s.dmsClosed.delete(userId);
      else s.dmsClosed.add(userId);
      return ok({ user_id: userId, open: b.open });
    }
    if (method === 'GET') {
      const channelId = s.dmByUser.get(userId);
      return ok({ channel: channelId ? s.dmChannels.get(channelId) : null, messages: channelId ? s.messagesOf(channelId) : [] });
    }
  }
  return null;
}
