import { type ActivityCounters, activitySeries, countJoin, countLeave, type MinuteBucket, newActivity } from './rules/activity.ts';
import { type JoinWindow, newJoinWindow, type RaidConfig } from './rules/raid.ts';
import type { ProtectionStore } from './store.ts';

const MINUTE = 60_000;
const KEEP_MINUTES = 1440;
const WINDOW_KEY = 'join-window';

/**
 * What every join touches — the raid window and the per-minute join and
 * leave counts — kept in memory and written behind (at most once per
 * `flushMs`), so a burst of joins costs no storage write per join for
 * them. An eviction loses at most the last unflushed second.
 */
export class HotState {
  private readonly store: ProtectionStore;
  private readonly flushMs: number;
  private activity: ActivityCounters | null = null;
  private window: JoinWindow | null = null;
  private readonly dirtyMinutes = new Set<number>();
  private windowDirty = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(store: ProtectionStore, flushMs = 1000) {
    this.store = store;
    this.flushMs = flushMs;
  }

  /** The raid window, sized for the configured threshold. */
  joinWindow(config: RaidConfig): JoinWindow {
    if (!this.window) this.window = this.store.get<JoinWindow | null>(WINDOW_KEY, null) ?? newJoinWindow(config);
    const capacity = newJoinWindow(config).capacity;
    if (this.window.capacity !== capacity) {
      this.window.capacity = capacity;
      this.window.entries.splice(0, Math.max(0, this.window.entries.length - capacity));
    }
    return this.window;
  }

  /** After the window was changed in place. */
  windowChanged(): void {
    this.windowDirty = true;
    this.schedule();
  }

  countJoin(now: number): void {
    countJoin(this.counters(now), now);
    this.touch(now);
  }

  countLeave(now: number): void {
    countLeave(this.counters(now), now);
    this.touch(now);
  }

  series(now: number, minutes: number): MinuteBucket[] {
    return activitySeries(this.counters(now), now, minutes);
  }

  /** Writes what changed since the last flush. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.activity && this.dirtyMinutes.size > 0) {
      const rows = [...this.dirtyMinutes].map((minute) => {
        const b = this.activity!.buckets[minute % this.activity!.capacity]!;
        return b.minute === minute ? { minute, joins: b.joins, leaves: b.leaves } : { minute, joins: 0, leaves: 0 };
      });
      this.dirtyMinutes.clear();
      this.store.writeActivity(rows, Math.floor(Date.now() / MINUTE) - KEEP_MINUTES);
    }
    if (this.window && this.windowDirty) {
      this.windowDirty = false;
      this.store.set(WINDOW_KEY, this.window);
    }
  }

  private counters(now: number): ActivityCounters {
    if (!this.activity) {
      const c = newActivity(KEEP_MINUTES);
      for (const r of this.store.activityRows(Math.floor(now / MINUTE) - KEEP_MINUTES + 1)) {
        c.buckets[r.minute % c.capacity] = { minute: r.minute, joins: r.joins, leaves: r.leaves };
      }
      this.activity = c;
    }
    return this.activity;
  }

  private touch(now: number): void {
    this.dirtyMinutes.add(Math.floor(now / MINUTE));
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.flushMs);
  }
}
