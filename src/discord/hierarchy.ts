import { PermissionFlagsBits } from 'discord-api-types/v10';
import { err, ok, type Result } from '../lib/result.ts';

/**
 * Whether a staff command may act, checked on every call: the invoker's
 * permission, the bot's permission, and Discord's role hierarchy (nobody
 * acts on a member whose highest role is at or above theirs; the owner is
 * out of reach). Refusals say exactly which rule stopped the action.
 */

export type StaffAction = 'warn' | 'timeout' | 'untimeout' | 'kick' | 'ban' | 'unban' | 'purge' | 'quarantine';

export const REQUIRED_PERMISSION: Record<StaffAction, bigint> = {
  warn: PermissionFlagsBits.ModerateMembers,
  timeout: PermissionFlagsBits.ModerateMembers,
  untimeout: PermissionFlagsBits.ModerateMembers,
  kick: PermissionFlagsBits.KickMembers,
  ban: PermissionFlagsBits.BanMembers,
  unban: PermissionFlagsBits.BanMembers,
  purge: PermissionFlagsBits.ManageMessages,
  quarantine: PermissionFlagsBits.ManageRoles,
};

const PERMISSION_NAMES = new Map<bigint, string>([
  [PermissionFlagsBits.ModerateMembers, 'Timeout Members'],
  [PermissionFlagsBits.KickMembers, 'Kick Members'],
  [PermissionFlagsBits.BanMembers, 'Ban Members'],
  [PermissionFlagsBits.ManageMessages, 'Manage Messages'],
  [PermissionFlagsBits.ManageRoles, 'Manage Roles'],
  [PermissionFlagsBits.ManageGuild, 'Manage Server'],
  [PermissionFlagsBits.Administrator, 'Administrator'],
]);

/** The permission's name as Discord's client shows it. */
export const permissionName = (bit: bigint): string => PERMISSION_NAMES.get(bit) ?? `permission ${bit}`;

const VERB: Record<StaffAction, string> = {
  warn: 'warn',
  timeout: 'time out',
  untimeout: 'remove the timeout of',
  kick: 'kick',
  ban: 'ban',
  unban: 'unban',
  purge: 'purge messages',
  quarantine: 'quarantine',
};

/** Parses a permission bitfield string as Discord sends it; malformed input grants nothing. */
export function parsePermissions(bits: string | null | undefined): bigint {
  return bits && /^\d{1,20}$/.test(bits) ? BigInt(bits) : 0n;
}

/** Administrator implies every permission. */
export function hasPermission(bits: bigint, needed: bigint): boolean {
  return (bits & PermissionFlagsBits.Administrator) !== 0n || (bits & needed) === needed;
}

export interface Actor {
  id: string;
  /** Guild-level permissions (interaction `member.permissions` / `app_permissions`), as a bitfield string. */
  permissions: string;
  /** Position of the member's highest role (0 for @everyone only). */
  highestRolePosition: number;
}

export interface Target {
  id: string;
  /** False when the user is not (or no longer) in the guild: only ban and unban apply then, without hierarchy. */
  isMember: boolean;
  highestRolePosition: number;
  /** The target's guild permissions when a member, to spot administrators (Discord refuses to time them out). */
  permissions?: string;
}

export interface StaffCheck {
  action: StaffAction;
  invoker: Actor;
  bot: Actor;
  ownerId: string;
  /** Absent for purge. */
  target?: Target;
  /** The role a quarantine would add: it must sit below the bot's highest role. */
  rolePosition?: number;
}

export type StaffRefusalCode =
  | 'invoker-permission'
  | 'bot-permission'
  | 'self'
  | 'bot-target'
  | 'owner'
  | 'invoker-hierarchy'
  | 'bot-hierarchy'
  | 'not-member'
  | 'administrator-timeout'
  | 'role-hierarchy';

export interface StaffRefusal {
  code: StaffRefusalCode;
  message: string;
}

const refuse = (code: StaffRefusalCode, message: string) => err<StaffRefusal>({ code, message });

/** Checks one staff action; `ok` means Discord should accept it. */
export function checkStaffAction(c: StaffCheck): Result<void, StaffRefusal> {
  const needed = REQUIRED_PERMISSION[c.action];
  const verb = VERB[c.action];
  const invokerIsOwner = c.invoker.id === c.ownerId;
  if (!invokerIsOwner && !hasPermission(parsePermissions(c.invoker.permissions), needed)) {
    return refuse('invoker-permission', `You need the ${permissionName(needed)} permission to ${verb}${c.target ? ' members' : ''}.`);
  }
  if (!hasPermission(parsePermissions(c.bot.permissions), needed)) {
    return refuse(
      'bot-permission',
      `I need the ${permissionName(needed)} permission to ${verb}${c.target ? ' members' : ''}; ask an administrator to grant it to my role.`,
    );
  }
  if (c.action === 'quarantine' && c.rolePosition !== undefined && c.rolePosition >= c.bot.highestRolePosition) {
    return refuse('role-hierarchy', 'The quarantine role is above or equal to my highest role; move my role above it.');
  }
  const t = c.target;
  if (!t) return ok(undefined);
  if (c.action === 'unban') return t.id === c.invoker.id ? refuse('self', 'You cannot unban yourself.') : ok(undefined);
  if (t.id === c.invoker.id) return refuse('self', `You cannot ${verb} yourself.`);
  if (t.id === c.bot.id) return refuse('bot-target', `I cannot ${verb} myself.`);
  if (t.id === c.ownerId) return refuse('owner', `You cannot ${verb} the server owner.`);
  if (!t.isMember) {
    return c.action === 'ban' ? ok(undefined) : refuse('not-member', `<@${t.id}> is not a member of this server.`);
  }
  if (!invokerIsOwner && t.highestRolePosition >= c.invoker.highestRolePosition) {
    return refuse('invoker-hierarchy', `<@${t.id}>'s highest role is above or equal to yours.`);
  }
  if (t.highestRolePosition >= c.bot.highestRolePosition) {
    return refuse('bot-hierarchy', `My highest role is below or equal to <@${t.id}>'s highest role; move my role above it.`);
  }
  if ((c.action === 'timeout' || c.action === 'untimeout') && (parsePermissions(t.permissions) & PermissionFlagsBits.Administrator) !== 0n) {
    return refuse('administrator-timeout', `<@${t.id}> is an administrator, and Discord does not allow timing out administrators.`);
  }
  return ok(undefined);
}

/** The duration parser and the timeout bounds live in the moderation rules (one module for durations); re-exported for staff commands. */
export { checkTimeoutDuration, parseDuration } from '../features/moderation/rules/duration.ts';

/** `communication_disabled_until` for a timeout starting now. */
export const timeoutUntil = (now: number, durationMs: number): string => new Date(now + durationMs).toISOString();
