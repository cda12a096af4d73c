/** A role given at a level. */
export interface Reward {
  level: number;
  roleId: string;
}

export interface RoleChanges {
  add: string[];
  remove: string[];
}

/**
 * The role changes a member at `level` needs: stacking keeps every reward up
 * to the level; replacing keeps only the highest one reached and takes the
 * other reward roles away. Roles the member already has (or lacks) are left.
 */
export function rewardChanges(rewards: readonly Reward[], level: number, stack: boolean, memberRoles: readonly string[]): RoleChanges {
  const reached = rewards.filter((r) => r.level <= level).sort((a, b) => a.level - b.level);
  const has = new Set(memberRoles);
  const want = new Set(stack ? reached.map((r) => r.roleId) : reached.slice(-1).map((r) => r.roleId));
  const add = [...want].filter((id) => !has.has(id));
  const remove = stack ? [] : [...new Set(rewards.map((r) => r.roleId))].filter((id) => !want.has(id) && has.has(id));
  return { add, remove };
}

export type GrantProblem = 'no-manage-roles' | 'above-bot' | 'managed' | 'unknown-role';

/**
 * Whether the bot can give or take `role`: Discord wants Manage Roles (or
 * Administrator) and the role strictly below the bot's highest role, and
 * never lets anyone assign an integration's managed role.
 */
export function grantProblem(
  role: { position: number; managed?: boolean } | undefined,
  botPermissions: bigint,
  botHighest: number,
  manageRoles: bigint,
  administrator: bigint,
): GrantProblem | null {
  if (!role) return 'unknown-role';
  if ((botPermissions & administrator) === 0n && (botPermissions & manageRoles) === 0n) return 'no-manage-roles';
  if (role.managed) return 'managed';
  if (role.position >= botHighest) return 'above-bot';
  return null;
}
