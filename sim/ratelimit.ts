// Per-route buckets (fixed windows keyed by bucket hash + major id), the
// global per-token limit, and the invalid-request counter Discord bans on.

import type { RouteDef } from './routes.ts';
import { bucketHash, findRoute, majorId, routeKey } from './routes.ts';

export interface BucketConfig {
  limit: number;
  windowMs: number;
}

interface Window {
  count: number;
  resetAt: number;
  limit: number;
}

export type BucketResult = { ok: true; headers: Record<string, string> } | { ok: false; retryAfterS: number; headers: Record<string, string> };

const INVALID_WINDOW_MS = 10 * 60 * 1000;

export class RateLimiter {
  private readonly overrides = new Map<string, BucketConfig>();
  private readonly windows = new Map<string, Window>();
  globalLimit = 50;
  private globalWindow: { start: number; count: number } = { start: 0, count: 0 };
  private invalid: number[] = [];

  setOverride(route: string, cfg: BucketConfig): void {
    this.overrides.set(route, cfg);
    // Drop the route's current counters so a test sees the new size at once.
    const def = findRoute(route);
    if (!def) return;
    const prefix = `${bucketHash(def)}|`;
    for (const key of [...this.windows.keys()]) if (key.startsWith(prefix)) this.windows.delete(key);
  }

  config(def: RouteDef): BucketConfig {
    return this.overrides.get(routeKey(def)) ?? { limit: def.limit, windowMs: def.windowMs };
  }

  take(def: RouteDef, params: Record<string, string>, now: number): BucketResult {
    const cfg = this.config(def);
    const hash = bucketHash(def);
    // Routes of one group share the hash and therefore the counters.
    const key = `${hash}|${majorId(params)}`;
    let w = this.windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { count: 0, resetAt: now + cfg.windowMs, limit: cfg.limit };
      this.windows.set(key, w);
    }
    const headers = (remaining: number): Record<string, string> => ({
      'X-RateLimit-Limit': String(w.limit),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset': (w.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': (Math.max(0, w.resetAt - now) / 1000).toFixed(3),
      'X-RateLimit-Bucket': hash,
    });
    if (w.count >= w.limit) {
      const retryAfterS = Math.max(0.001, (w.resetAt - now) / 1000);
      return { ok: false, retryAfterS, headers: { ...headers(0), 'X-RateLimit-Scope': 'user' } };
    }
    w.count++;
    return { ok: true, headers: headers(w.limit - w.count) };
  }

  // Fixed one-second windows: at most `globalLimit` requests start in any
  // window that begins with the first request after the previous one ended.
  takeGlobal(now: number): { ok: true } | { ok: false; retryAfterS: number } {
    const g = this.globalWindow;
    if (now - g.start >= 1000) {
      g.start = now;
      g.count = 0;
    }
    if (g.count >= this.globalLimit) {
      return { ok: false, retryAfterS: Math.max(0.001, (g.start + 1000 - now) / 1000) };
    }
    g.count++;
    return { ok: true };
  }

  noteInvalid(now: number): void {
    this.invalid.push(now);
    if (this.invalid.length > 20_000) this.prune(now);
  }

  invalidCount(now: number): number {
    this.prune(now);
    return this.invalid.length;
  }

  private prune(now: number): void {
    const cutoff = now - INVALID_WINDOW_MS;
    let i = 0;
    while (i < this.invalid.length && this.invalid[i]! < cutoff) i++;
    if (i > 0) this.invalid = this.invalid.slice(i);
  }

  // Counters only; overrides survive a reset so a test can set them first.
  resetCounters(): void {
    this.windows.clear();
    this.globalWindow = { start: 0, count: 0 };
    this.invalid = [];
  }

  resetAll(): void {
    this.resetCounters();
    this.overrides.clear();
    this.globalLimit = 50;
  }
}
