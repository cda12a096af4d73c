import { err, ok, type Result } from '../../../lib/result.ts';

/** Default reminder: 15 minutes before the start. */
export const DEFAULT_OFFSETS_MIN: readonly number[] = [15];
export const MAX_OFFSETS = 5;
const MAX_OFFSET_MIN = 7 * 24 * 60;

/** Reminder offsets as an admin types them, `15m, 1h, 1d`: minutes before the start, distinct, largest first. */
export function parseOffsets(input: string): Result<number[], 'bad-offsets'> {
  const parts = input
    .split(/[,\s]+/)
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
  if (parts.length === 0 || parts.length > MAX_OFFSETS) return err('bad-offsets');
  const out = new Set<number>();
  for (const p of parts) {
    const m = /^(\d{1,5})(m|min|h|d)?$/.exec(p);
    if (!m) return err('bad-offsets');
    const n = Number(m[1]) * (m[2] === 'h' ? 60 : m[2] === 'd' ? 1440 : 1);
    if (n < 1 || n > MAX_OFFSET_MIN) return err('bad-offsets');
    out.add(n);
  }
  return ok([...out].sort((a, b) => b - a));
}

/** The reminders of an occurrence still to send after `nowMs`: one per offset, due `offset` minutes before the start. */
export function reminderSchedule(start: number, offsets: readonly number[], nowMs: number): { offset: number; at: number }[] {
  return offsets
    .map((offset) => ({ offset, at: start - offset * 60_000 }))
    .filter((r) => r.at > nowMs)
    .sort((a, b) => a.at - b.at);
}
