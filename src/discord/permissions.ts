import type { Permissions } from 'discord-api-types/v10';

/**
 * Permission bits in a request body. Discord's OpenAPI description types
 * request-side permission fields (overwrites, default_member_permissions) as
 * integers, discord-api-types as strings, and Discord accepts both. We send
 * what the description says; every bit we use is below 2^53, so it is exact.
 */
export function permissionBits(bits: bigint): Permissions {
  if (bits >= 1n << 53n) throw new Error(`permission bits ${bits} do not fit a JSON number exactly`);
  return Number(bits) as unknown as Permissions;
}
