import { err, ok, type Result } from '../../../lib/result.ts';

/** Who may open tickets and how often (/setup intake), kept in the guild's ticket settings. */
export interface IntakeRules {
  /** When either list is non-empty, only members on it or holding a listed role may open tickets. */
  allowUsers: string[];
  allowRoles: string[];
  /** Blocked members and roles never open tickets; the block wins over the allowlist. */
  blockUsers: string[];
  blockRoles: string[];
  /** Minutes a member waits between two opens; 0 is off. */
  cooldownMin: number;
}

export const DEFAULT_INTAKE: IntakeRules = { allowUsers: [], allowRoles: [], blockUsers: [], blockRoles: [], cooldownMin: 0 };

/** How many ids each list keeps: enough for a server's exceptions, small enough to read on every open. */
export const MAX_INTAKE_ENTRIES = 50;

export type IntakeList = 'allow' | 'block';
export type IntakeTarget = { kind: 'user' | 'role'; id: string };

export type IntakeRefusal = { code: 'blocked' } | { code: 'not-allowed' } | { code: 'cooldown'; until: number };

/** Whether a member may open a ticket now; `lastOpenedAt` is their latest ticket's creation (null: never). */
export function checkIntake(
  rules: IntakeRules,
  member: { userId: string; roles: readonly string[] },
  lastOpenedAt: number | null,
  at: number,
): Result<void, IntakeRefusal> {
  if (rules.blockUsers.includes(member.userId) || member.roles.some((r) => rules.blockRoles.includes(r))) return err({ code: 'blocked' });
  const hasAllowlist = rules.allowUsers.length > 0 || rules.allowRoles.length > 0;
  if (hasAllowlist && !rules.allowUsers.includes(member.userId) && !member.roles.some((r) => rules.allowRoles.includes(r))) {
    return err({ code: 'not-allowed' });
  }
  if (rules.cooldownMin > 0 && lastOpenedAt !== null) {
    const until = lastOpenedAt + rules.cooldownMin * 60_000;
    if (at < until) return err({ code: 'cooldown', until });
  }
  return ok(undefined);
}

const listKey = (list: IntakeList, kind: IntakeTarget['kind']) =>
  (list === 'allow' ? (kind === 'user' ? 'allowUsers' : 'allowRoles') : kind === 'user' ? 'blockUsers' : 'blockRoles') as
    | 'allowUsers'
    | 'allowRoles'
    | 'blockUsers'
    | 'blockRoles';

/** Adds a member or role to a list; refuses what is already there or a full list (nothing changes then). */
export function addToList(rules: IntakeRules, list: IntakeList, target: IntakeTarget): Result<IntakeRules, 'already' | 'full'> {
  const key = listKey(list, target.kind);
  if (rules[key].includes(target.id)) return err('already');
  if (rules[key].length >= MAX_INTAKE_ENTRIES) return err('full');
  return ok({ ...rules, [key]: [...rules[key], target.id] });
}

/** Removes a member or role from a list; refuses what is not on it. */
export function removeFromList(rules: IntakeRules, list: IntakeList, target: IntakeTarget): Result<IntakeRules, 'absent'> {
  const key = listKey(list, target.kind);
  if (!rules[key].includes(target.id)) return err('absent');
  return ok({ ...rules, [key]: rules[key].filter((id) => id !== target.id) });
}
