import { err, ok, type Result } from '../../../lib/result.ts';
import { isZone } from '../../../lib/zoned-time.ts';
import { parseOffsets } from './reminders.ts';

/** A change to the guild's event settings, checked: only the fields given change. */
export interface EventSettingsChange {
  zone?: string;
  offsets?: number[];
  reminderMode?: 'dm' | 'channel';
}

/** What an administrator typed (in /event config or on the dashboard); null or absent: unchanged. */
export interface EventSettingsInput {
  timezone?: string | null;
  reminders?: string | null;
  reminderMode?: string | null;
}

export type EventSettingsProblem =
  | { field: 'timezone'; problem: 'bad-zone' }
  | { field: 'reminders'; problem: 'bad-offsets' }
  | { field: 'reminderMode'; problem: 'bad-mode' };

/** Everything checked before anything is written: one bad value changes nothing. */
export function checkEventSettings(input: EventSettingsInput): Result<EventSettingsChange, EventSettingsProblem> {
  const out: EventSettingsChange = {};
  if (input.timezone != null) {
    const zone = input.timezone.trim();
    if (!isZone(zone)) return err({ field: 'timezone', problem: 'bad-zone' });
    out.zone = zone;
  }
  if (input.reminders != null) {
    const offsets = parseOffsets(input.reminders);
    if (!offsets.ok) return err({ field: 'reminders', problem: 'bad-offsets' });
    out.offsets = offsets.value;
  }
  if (input.reminderMode != null) {
    if (input.reminderMode !== 'dm' && input.reminderMode !== 'channel') return err({ field: 'reminderMode', problem: 'bad-mode' });
    out.reminderMode = input.reminderMode;
  }
  return ok(out);
}
