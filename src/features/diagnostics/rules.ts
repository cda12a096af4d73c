import { PermissionFlagsBits } from 'discord-api-types/v10';

/** Discord's permission names by bit, e.g. 1n << 11n → "SendMessages". */
const NAMES: ReadonlyArray<readonly [string, bigint]> = Object.entries(PermissionFlagsBits);

export function permissionNames(bits: bigint): string[] {
  return NAMES.filter(([, b]) => (bits & b) === b && b !== 0n).map(([n]) => n);
}

/**
 * What each feature needs and the bot lacks, from the permissions Discord
 * reports for the app in this channel (`app_permissions`). Administrator
 * implies everything.
 */
export function missingByFeature(have: bigint, needs: readonly { feature: string; permissions: bigint }[]): { feature: string; missing: string[] }[] {
  if ((have & PermissionFlagsBits.Administrator) !== 0n) return needs.map((n) => ({ feature: n.feature, missing: [] }));
  return needs.map((n) => ({ feature: n.feature, missing: permissionNames(n.permissions & ~have) }));
}
