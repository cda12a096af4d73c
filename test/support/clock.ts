import { runDurableObjectAlarm } from 'cloudflare:test';
import { clock } from '../../src/runtime/clock.ts';

/**
 * Moves the clock every actor, scheduler and outbox reads (src/runtime/clock.ts).
 * The vitest workerd pool runs the tests and the actors in one isolate, so the
 * module the actors import is this one (test/runtime/clock.test.ts checks it).
 */
let offset = 0;
let frozenAt: number | null = null;
const read = (): number => (frozenAt ?? Date.now()) + offset;

export function advanceClock(ms: number): void {
  offset += ms;
  clock.now = read;
}

/**
 * Stops the isolate's own time from moving the clock, so a test that compares
 * due times to the millisecond is not at the mercy of a millisecond passing
 * between two reads; only advanceClock moves it then.
 */
export function freezeClock(): void {
  frozenAt = Date.now();
  clock.now = read;
}

export function resetClock(): void {
  offset = 0;
  frozenAt = null;
  clock.now = () => Date.now();
}

/** Lets `ms` pass for an actor: the clock moves, then its alarm runs what became due. */
export async function passTime(stub: DurableObjectStub, ms: number): Promise<void> {
  advanceClock(ms);
  await runDurableObjectAlarm(stub as never);
}
