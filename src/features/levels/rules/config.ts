import { type Curve, MEE6_CURVE, validCurve } from './curve.ts';

export type Announce = 'channel' | 'dm' | 'off';

/** A guild's levels settings; stored as one JSON value, read through `withDefaults` so older rows gain new fields. */
export interface LevelsConfig {
  xpMin: number;
  xpMax: number;
  /** At most one message award per member per this many seconds. */
  cooldownS: number;
  curve: Curve;
  /** XP per minute in voice; 0 turns voice XP off. */
  voicePerMinute: number;
  /** XP for each event occurrence a member attended (was Going when it started); 0 turns it off. */
  eventXp: number;
  announce: Announce;
  /** Where level-ups go when `announce` is `channel`; null: the channel the member wrote in. */
  announceChannel: string | null;
  /** The guild's own level-up text with placeholders; null: the catalog's text in the guild's language. */
  message: string | null;
  /** Reward roles pile up (true) or each replaces the lower ones (false). */
  stack: boolean;
  /** Where the bot tells admins it could not give a reward role; null: audit log and /diagnostics only. */
  alertChannel: string | null;
  /** The public leaderboard page's secret path part; null: no page. */
  pageKey: string | null;
}

export const DEFAULT_CONFIG: LevelsConfig = {
  xpMin: 15,
  xpMax: 25,
  cooldownS: 60,
  curve: MEE6_CURVE,
  voicePerMinute: 0,
  eventXp: 0,
  announce: 'channel',
  announceChannel: null,
  message: null,
  stack: true,
  alertChannel: null,
  pageKey: null,
};

export const withDefaults = (stored: Partial<LevelsConfig> | null): LevelsConfig => ({ ...DEFAULT_CONFIG, ...(stored ?? {}) });

export const MAX_TEMPLATE = 500;

export type ConfigProblem = 'xp-range' | 'cooldown' | 'curve' | 'voice' | 'event' | 'template';

/** Whether a changed configuration is one the feature can run with; the first problem found otherwise. */
export function checkConfig(c: LevelsConfig): ConfigProblem | null {
  const int = (n: number, lo: number, hi: number) => Number.isInteger(n) && n >= lo && n <= hi;
  if (!int(c.xpMin, 0, 10_000) || !int(c.xpMax, 0, 10_000) || c.xpMin > c.xpMax) return 'xp-range';
  if (!int(c.cooldownS, 0, 86_400)) return 'cooldown';
  if (!validCurve(c.curve)) return 'curve';
  if (!int(c.voicePerMinute, 0, 1_000)) return 'voice';
  if (!int(c.eventXp, 0, 10_000)) return 'event';
  if (c.message !== null && (c.message.trim().length === 0 || c.message.length > MAX_TEMPLATE)) return 'template';
  return null;
}
