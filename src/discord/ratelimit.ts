/**
 * Rate-limit bookkeeping for Discord's REST API, as pure functions over plain
 * state, so the maths is unit-tested apart from fetch and timers.
 * Discord: buckets are per method + route + top-level resource; the bucket hash
 * comes from `X-RateLimit-Bucket`; never hard-code the numbers.
 */

export interface BucketState {
  remaining: number;
  /** Epoch ms at which `remaining` refills. */
  resetAt: number;
}

export interface LimiterState {
  /** route key → bucket hash learned from X-RateLimit-Bucket */
  hashes: Map<string, string>;
  /** `${hash}:${major}` (or the route key before the hash is known) → state */
  buckets: Map<string, BucketState>;
  /** Epoch ms until which every non-exempt request waits after a global 429. */
  globalUntil: number;
  /** Send times of the last second, for our own cap under Discord's 50/s global limit. */
  recent: number[];
}

export const GLOBAL_LIMIT_PER_S = 50;

export function newLimiterState(): LimiterState {
  return { hashes: new Map(), buckets: new Map(), globalUntil: 0, recent: [] };
}

const MAJOR_PARAMS = /^\/(channels|guilds|webhooks)\/(\d+)(?:\/([^/]+))?/;

/**
 * The route key of a request: method plus the path with ids replaced, keeping
 * the top-level resource id (channel, guild, webhook) because Discord counts
 * each of those separately. Interaction tokens are replaced too.
 */
export function routeKey(method: string, path: string): { route: string; major: string } {
  const m = MAJOR_PARAMS.exec(path);
  let major = 'global';
  if (m) major = m[1] === 'webhooks' && m[3] ? `${m[2]}/${m[3]}` : m[2]!;
  const route = path
    .replace(/^\/interactions\/\d+\/[^/]+/, '/interactions/:id/:token')
    .replace(/^\/webhooks\/(\d+)\/[^/]+/, '/webhooks/$1/:token')
    .replace(/\/\d{5,}/g, '/:id')
    // Discord buckets reactions per channel regardless of the emoji
    .replace(/\/reactions\/[^/]+.*/, '/reactions/*');
  return { route: `${method} ${route}`, major };
}

/** Interaction callbacks and interaction webhooks don't count against the global limit. */
export function isGlobalExempt(path: string): boolean {
  return path.startsWith('/interactions/') || path.startsWith('/webhooks/');
}

function bucketKey(state: LimiterState, route: string, major: string): string {
  const hash = state.hashes.get(route);
  return hash ? `${hash}:${major}` : `${route}:${major}`;
}

/** How long to wait (ms) before this request may be sent; 0 = now. */
export function delayBeforeSend(state: LimiterState, route: string, major: string, exempt: boolean, now: number): number {
  let wait = 0;
  const b = state.buckets.get(bucketKey(state, route, major));
  if (b && b.remaining <= 0 && b.resetAt > now) wait = b.resetAt - now;
  if (!exempt) {
    if (state.globalUntil > now) wait = Math.max(wait, state.globalUntil - now);
    const windowStart = now - 1000;
    while (state.recent.length && state.recent[0]! <= windowStart) state.recent.shift();
    if (state.recent.length >= GLOBAL_LIMIT_PER_S) wait = Math.max(wait, state.recent[0]! + 1000 - now);
  }
  return wait;
}

/** Books a request as sent: takes a slot of the bucket and of the global window. */
export function noteSent(state: LimiterState, route: string, major: string, exempt: boolean, now: number): void {
  const b = state.buckets.get(bucketKey(state, route, major));
  if (b && b.resetAt > now) b.remaining -= 1;
  if (!exempt) state.recent.push(now);
}

export interface RateLimitHeaders {
  bucket: string | null;
  remaining: number | null;
  resetAfterS: number | null;
}

export function readRateLimitHeaders(h: Headers): RateLimitHeaders {
  const num = (name: string): number | null => {
    const v = h.get(name);
    if (v === null) return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  };
  return { bucket: h.get('x-ratelimit-bucket'), remaining: num('x-ratelimit-remaining'), resetAfterS: num('x-ratelimit-reset-after') };
}

/** Learns the bucket's hash and state from a response's headers. */
export function noteResponse(state: LimiterState, route: string, major: string, h: RateLimitHeaders, now: number): void {
  if (h.bucket) state.hashes.set(route, h.bucket);
  if (h.remaining === null || h.resetAfterS === null) return;
  state.buckets.set(bucketKey(state, route, major), { remaining: h.remaining, resetAt: now + h.resetAfterS * 1000 });
}

/** Applies a 429: the bucket (or, when global, every request) waits `retry_after` seconds. */
export function note429(state: LimiterState, route: string, major: string, retryAfterS: number, global: boolean, now: number): void {
  const until = now + Math.max(0, retryAfterS) * 1000;
  if (global) state.globalUntil = Math.max(state.globalUntil, until);
  else state.buckets.set(bucketKey(state, route, major), { remaining: 0, resetAt: until });
}

/** Exponential backoff with full jitter for 5xx and network errors: attempt 0 → up to base ms. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
