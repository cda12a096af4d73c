import type { Lockdown, LockdownSettings, SettingChange } from './lockdown.ts';
import type { RaiderRemoval } from './removal.ts';

/**
 * One lockdown from detection to restore, as stored. `lockdown.changes`
 * holds only the changes Discord accepted, each with the value it found:
 * ending restores exactly those.
 *
 *   starting → active → ending → ended     (failed: nothing could be applied)
 */
export type LockdownPhase = 'starting' | 'active' | 'ending' | 'ended' | 'failed';

export interface LockdownRecord {
  id: string;
  phase: LockdownPhase;
  detectedAt: number;
  /** The join that crossed the threshold; null when a moderator started it. */
  crossedBy: string | null;
  startedBy: string | null;
  summary: string;
  /** The settings it was started with (duration, slowmode channels…). */
  settings: LockdownSettings;
  lockdown: Lockdown | null;
  failed: { change: SettingChange; error: string }[];
  /** When the lockdown's REST calls had all been answered. */
  appliedAt: number | null;
  /** When the timer ends it, unless a later spike moves it. */
  endsAt: number | null;
  alertChannelId: string | null;
  alertMessageId: string | null;
  removal: RaiderRemoval | null;
  /** Bulk-ban progress: a retry resumes after the batches already sent. */
  removalResult: { banned: number; failed: number; batches: number } | null;
  endedAt: number | null;
  /** A moderator's id, or 'timer'. */
  endedBy: string | null;
  restore: { restored: SettingChange[]; skipped: { change: SettingChange; reason: string }[]; failed: { change: SettingChange; error: string }[] } | null;
  error: string | null;
}

export function newLockdownRecord(
  id: string,
  now: number,
  settings: LockdownSettings,
  summary: string,
  by: { crossedBy: string } | { startedBy: string },
  alertChannelId: string | null,
): LockdownRecord {
  return {
    id,
    phase: 'starting',
    detectedAt: now,
    crossedBy: 'crossedBy' in by ? by.crossedBy : null,
    startedBy: 'startedBy' in by ? by.startedBy : null,
    summary,
    settings,
    lockdown: null,
    failed: [],
    appliedAt: null,
    endsAt: null,
    alertChannelId,
    alertMessageId: null,
    removal: null,
    removalResult: null,
    endedAt: null,
    endedBy: null,
    restore: null,
    error: null,
  };
}

/** Whether joins now are quarantined and a spike extends it rather than starting another. */
export const isLocked = (r: LockdownRecord | null): r is LockdownRecord => r !== null && (r.phase === 'starting' || r.phase === 'active');
