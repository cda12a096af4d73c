import { type APIGuild, type APIGuildMember, type APIRole, Routes } from 'discord-api-types/v10';
import { displayName } from '../../discord/interaction.ts';
import { type DiscordRest, describeRestError } from '../../discord/rest.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { memberIsStaff } from './staff-check.ts';

/** Someone a ticket can be assigned to, as the inbox's assign list shows them. */
export interface StaffMember {
  userId: string;
  name: string;
}

/** Discord's page size for List Guild Members. */
const PAGE = 1000;
/** A bound on the pages read for one list, so a huge guild cannot hold the actor for long. */
const MAX_PAGES = 10;

/**
 * Everyone who is staff in the guild right now (owner, staff role,
 * Administrator or Manage Threads), sorted by name, bots left out. Reads the
 * member list from Discord (needs the Server Members intent), page by page.
 */
export async function listStaffMembers(rest: DiscordRest, guildId: string, staffRoleId: string | null): Promise<Result<StaffMember[], string>> {
  const [guild, roles] = await Promise.all([rest.get<APIGuild>(Routes.guild(guildId)), rest.get<APIRole[]>(Routes.guildRoles(guildId))]);
  if (!guild.ok) return err(describeRestError(guild.error));
  if (!roles.ok) return err(describeRestError(roles.error));
  const staff: StaffMember[] = [];
  let after = '0';
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await rest.get<APIGuildMember[]>(Routes.guildMembers(guildId), { query: { limit: PAGE, after } });
    if (!r.ok) return err(describeRestError(r.error));
    for (const m of r.value) {
      if (!m.user || m.user.bot) continue;
      if (memberIsStaff(m as APIGuildMember & { user: { id: string } }, roles.value, guild.value.owner_id, guildId, staffRoleId)) {
        staff.push({ userId: m.user.id, name: displayName(m.user, m.nick) });
      }
    }
    const last = r.value.at(-1)?.user?.id;
    if (r.value.length < PAGE || !last) break;
    after = last;
  }
  return ok(staff.sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId)));
}
