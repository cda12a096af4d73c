import { PermissionFlagsBits } from 'discord-api-types/v10';
import { err, ok, type Result } from '../../lib/result.ts';

/**
 * Telegram's side of the mod queue, pure: the callback data of the buttons,
 * the chat id an admin sets, the one-time link codes, the webhook secret,
 * and a member's guild permissions.
 */

/** Telegram limits callback_data to 1-64 bytes. */
export const CALLBACK_DATA_MAX = 64;
/** Telegram's message text limit (we stay well inside it). */
export const TEXT_MAX = 4096;
/** answerCallbackQuery text: 0-200 characters. */
export const ANSWER_MAX = 200;
/** How long a link code from /telegram link is good for. */
export const LINK_CODE_TTL_MS = 10 * 60_000;

export type Choice = 'approve' | 'reject';
export interface CallbackData {
  guildId: string;
  approvalId: string;
  choice: Choice;
}

/** `gk:<guild>:<approval>:a|r` — at most 2 + 1 + 20 + 1 + 15 + 2 = 41 bytes. */
export function callbackData(d: CallbackData): string {
  const s = `gk:${d.guildId}:${d.approvalId}:${d.choice === 'approve' ? 'a' : 'r'}`;
  if (new TextEncoder().encode(s).length > CALLBACK_DATA_MAX) throw new Error('callback_data over 64 bytes');
  return s;
}

export function parseCallbackData(s: unknown): CallbackData | null {
  if (typeof s !== 'string') return null;
  const m = /^gk:(\d{15,20}):(\d{1,15}):([ar])$/.exec(s);
  return m ? { guildId: m[1]!, approvalId: m[2]!, choice: m[3] === 'a' ? 'approve' : 'reject' } : null;
}

/** A Telegram chat id as an admin types it: an integer (groups and supergroups are negative), not 0. */
export function parseChatId(raw: string): Result<string, 'bad-chat-id'> {
  const s = raw.trim();
  return /^-?[1-9]\d{0,15}$/.test(s) ? ok(s) : err('bad-chat-id');
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time link code: the guild (so the webhook knows which actor to ask) and 10 random characters. */
export function newLinkCode(guildId: string, random: Uint8Array = crypto.getRandomValues(new Uint8Array(10))): string {
  return `${guildId}-${Array.from(random.slice(0, 10), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('')}`;
}

/** `/link CODE` (or `/link@bot CODE`, or `/start CODE` from a t.me deep link) → the code's guild and the code. */
export function parseLinkCommand(text: unknown): { guildId: string; code: string } | null {
  if (typeof text !== 'string') return null;
  const m = /^\/(?:link|start)(?:@\w+)?\s+((\d{15,20})-[A-Z0-9]{10})\s*$/i.exec(text.trim());
  return m ? { guildId: m[2]!, code: m[1]!.toUpperCase() } : null;
}

const b64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

/**
 * The webhook's secret_token, derived from the bot token (HMAC-SHA256 of a
 * fixed label, base64url: 43 characters of A-Z a-z 0-9 _ -, as Telegram
 * allows), so no second secret has to be configured. Rotating the bot token
 * rotates it: register the webhook again then.
 */
export async function webhookSecret(botToken: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(botToken), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return b64url(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('guildkeep:telegram-webhook:v1')));
}

/** A member's guild-level permissions from their roles (the owner and Administrator hold all), as a bitfield string. */
export function guildPermissions(
  member: { userId: string; roles: readonly string[] },
  roles: readonly { id: string; permissions: string }[],
  ownerId: string,
  guildId: string,
): string {
  if (member.userId === ownerId) return String(PermissionFlagsBits.Administrator);
  let p = 0n;
  for (const r of roles) if (r.id === guildId || member.roles.includes(r.id)) p |= BigInt(r.permissions);
  return String(p);
}
