import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/gateway/dispatcher.ts';
import { Delays } from '../../src/gateway/link.ts';

/** A clock whose timers never fire by themselves: the runtime busy reading a backlog of socket messages. */
class StarvedClock implements Clock {
  t = 0;
  readonly armed = new Map<number, () => void>();
  private next = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, _ms: number): unknown {
    const id = this.next++;
    this.armed.set(id, fn);
    return id;
  }
  clearTimeout(h: unknown): void {
    this.armed.delete(h as number);
  }
  /** The runtime gets round to the oldest armed timer. */
  runOldest(): void {
    const [id, fn] = [...this.armed][0]!;
    this.armed.delete(id);
    fn();
  }
}

describe("the gateway link's delays", () => {
  it('fire from the message path once due, in due order, when the runtime has not run their timers; never twice', () => {
    const clock = new StarvedClock();
    const d = new Delays(clock);
    const fired: string[] = [];
    d.later(41_250, () => fired.push('heartbeat'));
    d.later(5_000, () => fired.push('retry'));
    d.later(90_000, () => fired.push('later'));
    clock.t = 30_000;
    d.fireDue();
    expect(fired).toEqual(['retry']);
    // 20 s of backlog read with no timer run: the heartbeat goes out with the next message.
    clock.t = 61_000;
    d.fireDue();
    expect(fired).toEqual(['retry', 'heartbeat']);
    // Their own timers were cancelled; a stray one would not fire them again.
    expect(clock.armed.size).toBe(1);
    expect(d.size).toBe(1);
    clock.t = 100_000;
    clock.runOldest();
    d.fireDue();
    expect(fired).toEqual(['retry', 'heartbeat', 'later']);
    expect(d.size).toBe(0);
  });

  it('fire by their timer as usual, and clear() forgets them all', () => {
    const clock = new StarvedClock();
    const d = new Delays(clock);
    const fired: number[] = [];
    d.later(10, () => fired.push(1));
    d.later(20, () => fired.push(2));
    clock.runOldest();
    expect(fired).toEqual([1]);
    d.clear();
    expect(clock.armed.size).toBe(0);
    clock.t = 1_000;
    d.fireDue();
    expect(fired).toEqual([1]);
  });
});
