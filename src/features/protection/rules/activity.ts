/**
 * Join and leave counts per minute for the dashboard: a ring of per-minute
 * buckets (24 hours by default), so memory stays fixed however busy the
 * guild is. Mutated in place: the actor keeps it in memory and writes it
 * behind; it is plain JSON.
 */

export interface MinuteBucket {
  minute: number;
  joins: number;
  leaves: number;
}

export interface ActivityCounters {
  capacity: number;
  /** Indexed by `minute % capacity`; a slot whose `minute` is stale counts as empty. */
  buckets: MinuteBucket[];
}

const MINUTE = 60_000;

export const newActivity = (capacity = 1440): ActivityCounters => ({
  capacity,
  buckets: Array.from({ length: capacity }, () => ({ minute: -1, joins: 0, leaves: 0 })),
});

function slot(c: ActivityCounters, now: number): MinuteBucket {
  const minute = Math.floor(now / MINUTE);
  const b = c.buckets[minute % c.capacity]!;
  if (b.minute !== minute) {
    b.minute = minute;
    b.joins = 0;
    b.leaves = 0;
  }
  return b;
}

export function countJoin(c: ActivityCounters, now: number, n = 1): void {
  slot(c, now).joins += n;
}
export function countLeave(c: ActivityCounters, now: number, n = 1): void {
  slot(c, now).leaves += n;
}

/** The last `minutes` minutes up to `now`, oldest first, with zeros where nothing happened. */
export function activitySeries(c: ActivityCounters, now: number, minutes = 60): MinuteBucket[] {
  const last = Math.floor(now / MINUTE);
  const n = Math.min(minutes, c.capacity);
  const out: MinuteBucket[] = [];
  for (let m = last - n + 1; m <= last; m++) {
    const b = c.buckets[((m % c.capacity) + c.capacity) % c.capacity]!;
    out.push(b.minute === m ? { ...b } : { minute: m, joins: 0, leaves: 0 });
  }
  return out;
}
