// Permission computation as Discord documents it (topics/permissions):
// owner and ADMINISTRATOR get everything; otherwise @everyone | roles, then
// channel overwrites (@everyone, roles, member). Threads use their parent's
// overwrites, and private threads are visible only to their members and to
// MANAGE_THREADS holders.

import type { APIGuildMember } from 'discord-api-types/v10';
import { ChannelType, OverwriteType, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError } from './errors.ts';
import type { SimChannel, SimState } from './state.ts';
import { isThread } from './state.ts';

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n);

const P = PermissionFlagsBits;

// "Timed out" members keep only VIEW_CHANNEL and READ_MESSAGE_HISTORY
// (topics/permissions, implicit permissions); owners and administrators cannot be timed out.
const TIMED_OUT_PERMISSIONS = P.ViewChannel | P.ReadMessageHistory;

export function basePermissions(state: SimState, guildId: string, userId: string, now: number = Date.now()): bigint {
  const guild = state.guild(guildId);
  if (guild.owner_id === userId) return ALL_PERMISSIONS;
  const member = state.member(guildId, userId);
  let perms = 0n;
  for (const role of guild.roles) {
    if (role.id === guildId || member.roles.includes(role.id)) perms |= BigInt(role.permissions);
  }
  if ((perms & P.Administrator) !== 0n) return ALL_PERMISSIONS;
  return isTimedOut(member, now) ? perms & TIMED_OUT_PERMISSIONS : perms;
}

export function isTimedOut(member: APIGuildMember, now: number = Date.now()): boolean {
  const until = member.communication_disabled_until;
  return typeof until === 'string' && Date.parse(until) > now;
}

export function channelPermissions(state: SimState, channel: SimChannel, userId: string): bigint {
  const guildId = channel.guild_id!;
  const base = basePermissions(state, guildId, userId);
  if (base === ALL_PERMISSIONS) return ALL_PERMISSIONS;
  const source = isThread(channel) && channel.parent_id ? state.channel(channel.parent_id) : channel;
  const overwrites = source.permission_overwrites ?? [];
  const member = state.member(guildId, userId);
  let perms = base;
  const everyone = overwrites.find((o) => o.id === guildId);
  if (everyone) perms = (perms & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== guildId && member.roles.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  perms = (perms & ~deny) | allow;
  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === userId);
  if (own) perms = (perms & ~BigInt(own.deny)) | BigInt(own.allow);
  // Without VIEW_CHANNEL nothing else in the channel applies.
  if ((perms & P.ViewChannel) === 0n) return 0n;
  if (channel.type === ChannelType.PrivateThread) {
    const isMember = state.threadMembers.get(channel.id)?.has(userId) ?? false;
    if (!isMember && (perms & P.ManageThreads) === 0n) return 0n;
  }
  return perms;
}

export function has(perms: bigint, flag: bigint): boolean {
  return (perms & flag) === flag;
}

// Discord answers 50001 when the channel cannot be seen, 50013 otherwise.
export function requireChannelPermissions(state: SimState, channel: SimChannel, userId: string, needed: bigint): bigint {
  const perms = channelPermissions(state, channel, userId);
  if (!has(perms, P.ViewChannel)) throw apiError(RESTJSONErrorCodes.MissingAccess);
  if (!has(perms, needed)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
  return perms;
}

export function requireGuildPermissions(state: SimState, guildId: string, userId: string, needed: bigint): void {
  if (!has(basePermissions(state, guildId, userId), needed)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
}
