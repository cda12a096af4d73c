import { now } from './clock.ts';

/** Something in an actor that wants to be woken: it says when its next work is due (clock time), or null. */
export interface AlarmSource {
  nextDue(): number | null;
}

/** How the outbox and the scheduler ask for wake-ups (AlarmMux; a recorder in unit tests). */
export interface AlarmRequests {
  add(source: AlarmSource): void;
  request(at: number): void;
  rearm(): void;
}

/**
 * One Durable Object alarm shared by the actor's outbox and scheduler. Each
 * asks for a wake-up; the alarm is set for the earliest of all requests and
 * of what every source has stored, so a request can never push back an
 * earlier wake-up that another source (or an evicted instance) set.
 */
export class AlarmMux implements AlarmRequests {
  /** When the alarm is set for, in clock time, as far as this instance knows (null: unknown or none). */
  private at: number | null = null;
  private readonly sources: AlarmSource[] = [];
  private readonly storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  add(source: AlarmSource): void {
    this.sources.push(source);
  }

  /**
   * Wake no later than `at`. Skips the write when an alarm at least as early
   * is known to be set, which keeps the interaction path to one commit.
   */
  request(at: number): void {
    if (this.at !== null && this.at <= at) return;
    let target = at;
    // Unknown state (a fresh instance): what is stored may be due earlier than what was asked.
    if (this.at === null)
      for (const s of this.sources) {
        const n = s.nextDue();
        if (n !== null && n < target) target = n;
      }
    this.at = target;
    // The clock may be moved in tests: the alarm is set the same distance ahead in real time.
    void this.storage.setAlarm(Date.now() + Math.max(0, target - now()));
  }

  /** For the actor's onAlarm: the alarm that woke us is gone. */
  fired(): void {
    this.at = null;
  }

  /** After a wake-up's work: the earliest stored work of every source gets an alarm. */
  rearm(): void {
    let next: number | null = null;
    for (const s of this.sources) {
      const n = s.nextDue();
      if (n !== null && (next === null || n < next)) next = n;
    }
    if (next !== null) this.request(Math.max(next, now() + 50));
  }
}
