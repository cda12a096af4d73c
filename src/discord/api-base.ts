/** Where Discord's HTTP API is, unless DISCORD_API_BASE points elsewhere (the simulator). */
export const DEFAULT_API_BASE = 'https://discord.com/api/v10';

/** Discord's CDN, where avatars and attachments live. */
export const DISCORD_CDN = 'https://cdn.discordapp.com';

// Hosts of Discord's own API (stable, PTB and canary clients, the legacy domain): their CDN is cdn.discordapp.com.
const DISCORD_API_HOSTS = new Set(['discord.com', 'ptb.discord.com', 'canary.discord.com', 'discordapp.com']);

/**
 * The CDN that goes with an API base: Discord's for Discord's API, otherwise
 * the API base's own origin (the simulator serves its CDN paths there).
 */
export function cdnBase(apiBase: string): string {
  const url = new URL(apiBase || DEFAULT_API_BASE);
  return DISCORD_API_HOSTS.has(url.hostname) ? DISCORD_CDN : url.origin;
}

/**
 * A user's avatar as a PNG, by Discord's CDN rules: `avatars/{user_id}/{hash}.png?size=`
 * when the user has one (PNG works for animated `a_` hashes too: their first frame),
 * else the default avatar `embed/avatars/{(user_id >> 22) % 6}.png`, which ignores size.
 * `size` is rounded to a power of two between 16 and 4096, the only sizes the CDN accepts.
 */
export function avatarUrl(apiBase: string, userId: string, avatarHash: string | null, size = 128): string {
  const cdn = cdnBase(apiBase);
  if (!avatarHash) return `${cdn}/embed/avatars/${Number((BigInt(userId) >> 22n) % 6n)}.png`;
  return `${cdn}/avatars/${userId}/${avatarHash}.png?size=${cdnSize(size)}`;
}

function cdnSize(size: number): number {
  const clamped = Math.min(4096, Math.max(16, Number.isFinite(size) ? size : 128));
  return 2 ** Math.round(Math.log2(clamped));
}
