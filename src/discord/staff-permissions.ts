import { PermissionFlagsBits } from 'discord-api-types/v10';

const STAFF_BITS = PermissionFlagsBits.ManageThreads | PermissionFlagsBits.Administrator;

/** Whether a permission string from an interaction holds any of `bits`. */
export function hasAnyPermission(permissions: string | undefined, bits: bigint): boolean {
  if (!permissions || !/^\d+$/.test(permissions)) return false;
  return (BigInt(permissions) & bits) !== 0n;
}

export const isAdministrator = (permissions: string | undefined): boolean => hasAnyPermission(permissions, PermissionFlagsBits.Administrator);

/**
 * Ticket staff: Manage Threads or Administrator in the channel, or the staff
 * role configured with /setup tickets. Uses the permissions Discord computed
 * for this very interaction, so it is fresh on every call.
 */
export function isTicketStaff(permissions: string | undefined, roles: readonly string[], staffRoleId: string | null): boolean {
  return hasAnyPermission(permissions, STAFF_BITS) || (staffRoleId !== null && roles.includes(staffRoleId));
}
