import { runDurableObjectAlarm } from 'cloudflare:test';
import { clock } from '../../src/runtime/clock.ts';

/**
 * Moves the clock every actor, scheduler and outbox reads (src/runtime/clock.ts).
 * The vitest workerd pool runs the tests and the actors in one isolate, so the
 * module the actors import is this one (test/runtime/clock.test.ts checks it).
 */
let offset = 0;

export function advanceClock(ms: number): void {
  offset += ms;
  clock.now = () => Date.now() + offset;
}

export function resetClock(): void {
  offset = 0;
  clock.now = () => Date.now();
}

/** Lets `ms` pass for an actor: the clock moves, then its alarm runs what became due. */
export async function passTime(stub: DurableObjectStub, ms: number): Promise<void> {
  advanceClock(ms);
  await runDurableObjectAlarm(stub as never);
}
