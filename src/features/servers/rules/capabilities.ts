import { PermissionFlagsBits } from 'discord-api-types/v10';

/** What a role may do with the guild's game servers. */
export const CAPABILITIES = ['view', 'power', 'console', 'backup', 'manage'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const isCapability = (s: string): s is Capability => (CAPABILITIES as readonly string[]).includes(s);

/** A role's grant. */
export interface Grant {
  roleId: string;
  capability: Capability;
}

/** What each action needs; a member with `manage` or Administrator may do everything. */
export const NEEDS = {
  list: 'view',
  status: 'view',
  stats: 'view',
  start: 'power',
  stop: 'power',
  restart: 'power',
  kill: 'power',
  command: 'console',
  'backup create': 'backup',
  'backup list': 'backup',
  'schedule run': 'manage',
} as const satisfies Record<string, Capability>;

/**
 * Whether a member may use `need`: Administrator always (the default when no
 * role is granted anything), otherwise one of their roles holds that
 * capability or `manage`. Checked on every command, button and autocomplete
 * from the interaction's own member data, so a revoked role stops working at once.
 */
export function allowed(memberPermissions: string | undefined, roles: readonly string[], grants: readonly Grant[], need: Capability): boolean {
  if (memberPermissions !== undefined && (BigInt(memberPermissions) & PermissionFlagsBits.Administrator) !== 0n) return true;
  const mine = new Set(roles);
  return grants.some((g) => mine.has(g.roleId) && (g.capability === need || g.capability === 'manage'));
}
