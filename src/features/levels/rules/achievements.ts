/** What an achievement counts. */
export type AchievementKind = 'messages' | 'level' | 'events' | 'voice';
export const ACHIEVEMENT_KINDS: readonly AchievementKind[] = ['messages', 'level', 'events', 'voice'];

export interface Achievement {
  id: number;
  kind: AchievementKind;
  threshold: number;
  name: string;
}

/** A member's counters, as the achievements read them. */
export interface Standing {
  messages: number;
  level: number;
  events: number;
  voiceMinutes: number;
}

const countOf = (s: Standing, k: AchievementKind): number =>
  k === 'messages' ? s.messages : k === 'level' ? s.level : k === 'events' ? s.events : s.voiceMinutes;

/** The achievements `s` has reached that are not in `earned`: each is announced once. */
export const newlyEarned = (defs: readonly Achievement[], s: Standing, earned: ReadonlySet<number>): Achievement[] =>
  defs.filter((d) => !earned.has(d.id) && countOf(s, d.kind) >= d.threshold);

export const isAchievementKind = (k: string): k is AchievementKind => (ACHIEVEMENT_KINDS as readonly string[]).includes(k);
