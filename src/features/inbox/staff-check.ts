import { type APIGuild, type APIGuildMember, type APIRole, PermissionFlagsBits, Routes } from 'discord-api-types/v10';
import { displayName } from '../../discord/interaction.ts';
import type { DiscordRest } from '../../discord/rest.ts';

/** Whether someone holding a staff link is still staff, asked of Discord (not of the link). */
export type StaffCheck = { ok: true; name: string } | { ok: false; reason: 'not-member' | 'not-staff' | 'discord-unavailable' };

const CACHE_MS = 60_000;

/**
 * Guild-level permissions from the member's roles (channel overwrites are not
 * considered: the inbox is guild-wide). Pure.
 */
export function memberIsStaff(
  member: Pick<APIGuildMember, 'roles'> & { user: { id: string } },
  roles: APIRole[],
  ownerId: string,
  guildId: string,
  staffRoleId: string | null,
): boolean {
  if (member.user.id === ownerId) return true;
  if (staffRoleId && member.roles.includes(staffRoleId)) return true;
  let perms = 0n;
  for (const r of roles) if (r.id === guildId || member.roles.includes(r.id)) perms |= BigInt(r.permissions);
  return (perms & (PermissionFlagsBits.Administrator | PermissionFlagsBits.ManageThreads)) !== 0n;
}

/** Caches Discord's answers for a minute: a page load and its socket make one set of calls. */
export class StaffChecker {
  private readonly cache = new Map<string, { at: number; result: StaffCheck }>();
  private guild: { at: number; roles: APIRole[]; ownerId: string } | null = null;
  private readonly rest: DiscordRest;
  private readonly guildId: string;

  constructor(rest: DiscordRest, guildId: string) {
    this.rest = rest;
    this.guildId = guildId;
  }

  async check(userId: string, staffRoleId: string | null, now: number): Promise<StaffCheck> {
    const hit = this.cache.get(userId);
    if (hit && now - hit.at < CACHE_MS) return hit.result;
    const result = await this.ask(userId, staffRoleId, now);
    if (result.ok || result.reason !== 'discord-unavailable') this.cache.set(userId, { at: now, result });
    return result;
  }

  private async ask(userId: string, staffRoleId: string | null, now: number): Promise<StaffCheck> {
    const member = await this.rest.get<APIGuildMember>(Routes.guildMember(this.guildId, userId));
    if (!member.ok) return { ok: false, reason: member.error.kind === 'discord' && member.error.status === 404 ? 'not-member' : 'discord-unavailable' };
    if (!this.guild || now - this.guild.at >= CACHE_MS) {
      const [guild, roles] = await Promise.all([
        this.rest.get<APIGuild>(Routes.guild(this.guildId)),
        this.rest.get<APIRole[]>(Routes.guildRoles(this.guildId)),
      ]);
      if (!guild.ok || !roles.ok) return { ok: false, reason: 'discord-unavailable' };
      this.guild = { at: now, roles: roles.value, ownerId: guild.value.owner_id };
    }
    const m = member.value as APIGuildMember & { user: { id: string } };
    return memberIsStaff(m, this.guild.roles, this.guild.ownerId, this.guildId, staffRoleId)
      ? { ok: true, name: displayName(m.user!, m.nick) }
      : { ok: false, reason: 'not-staff' };
  }
}
