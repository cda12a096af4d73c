/**
 * The time every actor, scheduler, outbox and feature reads. One module-level
 * clock per isolate: production leaves it on `Date.now`; tests move it (the
 * vitest workerd pool runs tests and actors in one isolate) through
 * test/support/clock.ts instead of editing stored timestamps.
 */
export const clock: { now: () => number } = { now: () => Date.now() };

/** Milliseconds since the epoch, by the isolate's clock. */
export function now(): number {
  return clock.now();
}
