// Invites as Discord shapes them (resources/invite): codes, expiry, use
// counting, and the payloads of the REST answers and INVITE_CREATE /
// INVITE_DELETE. Where the docs are silent the simulator chooses:
// - An expired invite is gone: it answers 10006 and leaves every list, without
//   an INVITE_DELETE (Discord documents the event only for deletions).
// - "Paused" invites (the INVITES_DISABLED feature, or incidents_data
//   .invites_disabled_until in the future) stop every join, vanity included.
import { randomBytes } from 'node:crypto';
import type { APIExtendedInvite, APIGuild, APIInvite, GatewayInviteCreateDispatchData, GatewayInviteDeleteDispatchData } from 'discord-api-types/v10';
import { GuildFeature, InviteType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError } from './errors.ts';
import type { SimInvite, SimState } from './state.ts';
import { nowIso } from './state.ts';

export const DEFAULT_MAX_AGE_S = 86_400;
const CODE_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function expiresAt(inv: SimInvite): number | null {
  return inv.maxAge > 0 ? inv.createdAt + inv.maxAge * 1000 : null;
}

export function isExpired(inv: SimInvite, now: number): boolean {
  const exp = expiresAt(inv);
  return exp !== null && now >= exp;
}

export function invitesPaused(guild: APIGuild, now: number): boolean {
  if (guild.features.includes(GuildFeature.InvitesDisabled)) return true;
  const until = guild.incidents_data?.invites_disabled_until;
  return typeof until === 'string' && Date.parse(until) > now;
}

function newCode(state: SimState): string {
  for (;;) {
    const bytes = randomBytes(8);
    let code = '';
    for (const b of bytes) code += CODE_ALPHABET[b % CODE_ALPHABET.length];
    if (!state.invites.has(code) && ![...state.guilds.values()].some((g) => g.vanity_url_code === code)) return code;
  }
}

export interface InviteInput {
  guildId: string;
  channelId: string;
  inviterId: string | null;
  maxAge?: number;
  maxUses?: number;
  temporary?: boolean;
  uses?: number;
  code?: string;
  now: number;
}

export function createInvite(state: SimState, o: InviteInput): SimInvite {
  if (o.code !== undefined && state.invites.has(o.code)) throw new Error(`invite code ${o.code} is taken`);
  const inv: SimInvite = {
    code: o.code ?? newCode(state),
    guildId: o.guildId,
    channelId: o.channelId,
    inviterId: o.inviterId,
    uses: o.uses ?? 0,
    maxUses: o.maxUses ?? 0,
    maxAge: o.maxAge ?? DEFAULT_MAX_AGE_S,
    temporary: o.temporary ?? false,
    createdAt: o.now,
  };
  state.invites.set(inv.code, inv);
  return inv;
}

/** The live invite with this code; expired ones are removed and answer 10006 like missing ones. */
export function liveInvite(state: SimState, code: string, now: number): SimInvite {
  const inv = state.invites.get(code);
  if (inv && isExpired(inv, now)) state.invites.delete(code);
  if (!inv || isExpired(inv, now)) throw apiError(RESTJSONErrorCodes.UnknownInvite);
  return inv;
}

export function liveInvites(state: SimState, now: number, filter: (i: SimInvite) => boolean): SimInvite[] {
  const out: SimInvite[] = [];
  for (const inv of [...state.invites.values()]) {
    if (!filter(inv)) continue;
    if (isExpired(inv, now)) {
      state.invites.delete(inv.code);
      continue;
    }
    out.push(inv);
  }
  return out;
}

/** The invite object; `withMetadata` adds uses, max_uses, max_age, temporary and created_at (MANAGE_GUILD). */
export function renderInvite(state: SimState, inv: SimInvite, withMetadata: boolean): APIInvite | APIExtendedInvite {
  const g = state.guild(inv.guildId);
  const c = state.channels.get(inv.channelId);
  const inviter = inv.inviterId ? state.users.get(inv.inviterId) : undefined;
  const exp = expiresAt(inv);
  const base: APIInvite = {
    type: InviteType.Guild,
    code: inv.code,
    guild: {
      id: g.id,
      name: g.name,
      splash: g.splash,
      banner: g.banner,
      description: g.description,
      icon: g.icon,
      features: g.features,
      verification_level: g.verification_level,
      vanity_url_code: g.vanity_url_code,
      nsfw_level: g.nsfw_level,
      premium_subscription_count: g.premium_subscription_count ?? 0,
    },
    channel: c ? { id: c.id, type: c.type, name: c.name ?? null } : null,
    ...(inviter ? { inviter } : {}),
    expires_at: exp === null ? null : nowIso(exp),
  };
  if (!withMetadata) return base;
  return { ...base, uses: inv.uses, max_uses: inv.maxUses, max_age: inv.maxAge, temporary: inv.temporary, created_at: nowIso(inv.createdAt) };
}

// INVITE_CREATE always reports uses 0 (docs: "how many times the invite has been used (always will be 0)").
export function inviteCreateEvent(state: SimState, inv: SimInvite): GatewayInviteCreateDispatchData {
  const inviter = inv.inviterId ? state.users.get(inv.inviterId) : undefined;
  const exp = expiresAt(inv);
  return {
    channel_id: inv.channelId,
    code: inv.code,
    created_at: nowIso(inv.createdAt),
    guild_id: inv.guildId,
    ...(inviter ? { inviter } : {}),
    max_age: inv.maxAge,
    max_uses: inv.maxUses,
    temporary: inv.temporary,
    uses: 0,
    expires_at: exp === null ? null : nowIso(exp),
  };
}

export function inviteDeleteEvent(inv: SimInvite): GatewayInviteDeleteDispatchData {
  return { channel_id: inv.channelId, guild_id: inv.guildId, code: inv.code };
}

/** A member joined through the invite: count the use; a used-up invite is deleted, as on Discord. Returns whether it was. */
export function useInvite(state: SimState, inv: SimInvite): boolean {
  inv.uses++;
  if (inv.maxUses > 0 && inv.uses >= inv.maxUses) {
    state.invites.delete(inv.code);
    return true;
  }
  return false;
}
