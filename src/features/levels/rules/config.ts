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

/** What an administrator changes (/levels config or the dashboard); a field left out (undefined) keeps its value, null clears a channel or the text. */
export interface LevelsOptions {
  xpMin?: number;
  xpMax?: number;
  cooldownS?: number;
  voicePerMinute?: number;
  eventXp?: number;
  /** `a,b,c` (or separated by spaces or semicolons). */
  curve?: string;
  announce?: Announce;
  announceChannel?: string | null;
  alertChannel?: string | null;
  /** `default` (or null) goes back to the catalog's text. */
  message?: string | null;
  stack?: boolean;
}

/** The configuration after a change, or the first problem found (nothing changes then). */
export function applyLevelsOptions(cfg: LevelsConfig, o: LevelsOptions): { ok: true; value: LevelsConfig } | { ok: false; error: ConfigProblem } {
  const c: LevelsConfig = { ...cfg };
  c.xpMin = o.xpMin ?? c.xpMin;
  c.xpMax = o.xpMax ?? c.xpMax;
  c.cooldownS = o.cooldownS ?? c.cooldownS;
  c.voicePerMinute = o.voicePerMinute ?? c.voicePerMinute;
  c.eventXp = o.eventXp ?? c.eventXp;
  if (o.curve !== undefined) {
    const parts = o.curve
      .split(/[,;\s]+/)
      .filter(Boolean)
      .map(Number);
    if (parts.length !== 3) return { ok: false, error: 'curve' };
    c.curve = { a: parts[0]!, b: parts[1]!, c: parts[2]! };
  }
  c.announce = o.announce ?? c.announce;
  if (o.announceChannel !== undefined) c.announceChannel = o.announceChannel;
  if (o.alertChannel !== undefined) c.alertChannel = o.alertChannel;
  if (o.message !== undefined) c.message = o.message === null || o.message.trim().toLowerCase() === 'default' ? null : o.message;
  c.stack = o.stack ?? c.stack;
  const problem = checkConfig(c);
  return problem ? { ok: false, error: problem } : { ok: true, value: c };
}
