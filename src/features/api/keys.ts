import { b64url } from '../../lib/base64url.ts';
import { err, ok, type Result } from '../../lib/result.ts';

/**
 * Per-guild API keys: `gk_<guild id>_<43 base64url characters>`. The guild id
 * in the key binds it to one guild (a key on another guild's routes is refused
 * before any lookup); the secret part is 32 random bytes. Only the SHA-256 of
 * the whole key is stored, with a short prefix to tell keys apart.
 */
export type KeyScope = 'read' | 'read-write';
export const KEY_SCOPES: readonly KeyScope[] = ['read', 'read-write'];
export const MAX_KEY_NAME = 64;
export const MAX_KEYS_PER_GUILD = 25;

/** The rate limit per key: a bucket of `capacity` requests refilled at `capacity` per minute. */
export const RATE = { capacity: 60, perMs: 60_000 } as const;

const KEY = /^gk_(\d{15,20})_([A-Za-z0-9_-]{43})$/;

export function newKey(guildId: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `gk_${guildId}_${b64url(String.fromCharCode(...bytes))}`;
}

/** The guild a key names, or null when the text is not a key's shape. */
export function guildOfKey(key: string): string | null {
  return KEY.exec(key)?.[1] ?? null;
}

/** What lists show of a key: the guild part and the secret's first 4 characters. */
export const keyPrefix = (key: string): string => /^gk_\d+_.{4}/.exec(key)?.[0] ?? '';

export async function hashKey(key: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A key's name and scope as the create request gives them. */
export function parseNewKey(body: unknown): Result<{ name: string; scope: KeyScope }, string> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return err('body: expected {"name": string, "scope": "read" | "read-write"}');
  const b = body as Record<string, unknown>;
  const name = typeof b.name === 'string' ? b.name.trim() : '';
  if (!name || name.length > MAX_KEY_NAME || /\p{Cc}/u.test(name)) return err(`name: 1–${MAX_KEY_NAME} printable characters`);
  if (b.scope !== 'read' && b.scope !== 'read-write') return err('scope: "read" or "read-write"');
  return ok({ name, scope: b.scope });
}

/** A token bucket's state. */
export interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Takes one request from the bucket at `now`: the bucket refilled since
 * `at`, then one token less; or, when none is left, the whole seconds until
 * one is (Retry-After).
 */
export function take(b: Bucket, now: number): { ok: true; bucket: Bucket } | { ok: false; bucket: Bucket; retryAfterS: number } {
  const rate = RATE.capacity / RATE.perMs;
  const tokens = Math.min(RATE.capacity, b.tokens + Math.max(0, now - b.at) * rate);
  if (tokens < 1) return { ok: false, bucket: { tokens, at: now }, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / rate / 1000)) };
  return { ok: true, bucket: { tokens: tokens - 1, at: now } };
}
