// Discord's role hierarchy (topics/permissions, "Permission Hierarchy"): a
// member can kick, ban, time out, rename or change the roles of members whose
// highest role sits strictly below their own highest role, and can only
// assign or remove roles below it. The owner outranks everyone and cannot be
// acted on; Administrator does not lift the hierarchy.

import type { APIRole } from 'discord-api-types/v10';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError } from './errors.ts';
import type { SimState } from './state.ts';

/** Position of the member's highest role (@everyone is 0); the owner is above every role. */
export function highestPosition(state: SimState, guildId: string, userId: string): number {
  const guild = state.guild(guildId);
  if (guild.owner_id === userId) return Number.POSITIVE_INFINITY;
  const member = state.member(guildId, userId);
  let top = 0;
  for (const r of guild.roles) if (member.roles.includes(r.id) && r.position > top) top = r.position;
  return top;
}

/** Whether `actorId` may act on the member `targetId` (kick, ban, timeout, nick, roles). */
export function outranks(state: SimState, guildId: string, actorId: string, targetId: string): boolean {
  const guild = state.guild(guildId);
  if (targetId === guild.owner_id) return false;
  return highestPosition(state, guildId, actorId) > highestPosition(state, guildId, targetId);
}

export function requireOutranks(state: SimState, guildId: string, actorId: string, targetId: string): void {
  if (!outranks(state, guildId, actorId, targetId)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
}

/** Roles at or above the actor's highest role, and integration-managed roles, cannot be given or taken. */
export function requireAssignable(state: SimState, guildId: string, actorId: string, role: APIRole): void {
  if (role.managed || role.position >= highestPosition(state, guildId, actorId)) {
    throw apiError(RESTJSONErrorCodes.MissingPermissions);
  }
}
