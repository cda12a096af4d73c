/**
 * Who earns XP for a message, and how much. Multipliers: a factor of 0 on the
 * channel or on any of the member's roles means no XP (no-XP channels and
 * roles); otherwise the channel's factor times the highest of the member's
 * role factors (role factors do not multiply with each other, so a member
 * with many bonus roles does not run away with the board).
 */
export interface Multipliers {
  channels: ReadonlyMap<string, number>;
  roles: ReadonlyMap<string, number>;
}

export const MAX_FACTOR = 10;

export function factorFor(m: Multipliers, channelId: string, roleIds: readonly string[], parentId?: string | null): number {
  const channel = m.channels.get(channelId) ?? (parentId ? m.channels.get(parentId) : undefined) ?? 1;
  if (channel === 0) return 0;
  let role: number | null = null;
  for (const r of roleIds) {
    const f = m.roles.get(r);
    if (f === undefined) continue;
    if (f === 0) return 0;
    role = role === null ? f : Math.max(role, f);
  }
  return channel * (role ?? 1);
}

/** Whether the cooldown since the member's last award has passed. */
export const offCooldown = (lastAwardAt: number | null, at: number, cooldownS: number): boolean => lastAwardAt === null || at - lastAwardAt >= cooldownS * 1000;

/** A whole number of XP from `min`–`max` (inclusive), scaled by `factor`; `random` in [0, 1). */
export const rollXp = (min: number, max: number, factor: number, random: number): number => Math.round((min + Math.floor(random * (max - min + 1))) * factor);
