import type { GuildFeature } from '../../platform/feature.ts';

/**
 * A feature of the same guild that rewards attending events (levels: XP and
 * the "events attended" count for achievements). Events says who attended;
 * the rewarder decides what it is worth, so events knows nothing of XP.
 */
export interface AttendanceRewarder {
  rewardAttendance(userIds: readonly string[], what: string): void;
}

export const isAttendanceRewarder = (f: GuildFeature): f is GuildFeature & AttendanceRewarder =>
  typeof (f as Partial<AttendanceRewarder>).rewardAttendance === 'function';
