import { b64url, unb64url } from '../../lib/base64url.ts';
import { sameSecret } from '../../lib/hex.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { hmacSha256Hex } from '../audit/webhook.ts';

/**
 * Staff links: `<payload>.<signature>` where payload is base64url JSON
 * `{g: guild id, u: user id, exp: epoch seconds}` and signature is hex
 * HMAC-SHA256 of the payload with STAFF_LINK_SECRET. Bound to one guild and
 * one user; useless after `exp`. Never logged.
 */
export interface StaffClaims {
  guildId: string;
  userId: string;
  exp: number;
}

export const STAFF_LINK_TTL_S = 12 * 60 * 60;

export type TokenProblem = 'malformed' | 'bad-signature' | 'expired' | 'wrong-guild';

export async function signStaffToken(secret: string, claims: StaffClaims): Promise<string> {
  const payload = b64url(JSON.stringify({ g: claims.guildId, u: claims.userId, exp: claims.exp }));
  return `${payload}.${await hmacSha256Hex(secret, payload)}`;
}

export async function verifyStaffToken(secret: string, token: string, guildId: string, nowS: number): Promise<Result<StaffClaims, TokenProblem>> {
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined || !/^[0-9a-f]{64}$/.test(sig)) return err('malformed');
  if (!(await sameSecret(sig, await hmacSha256Hex(secret, payload)))) return err('bad-signature');
  let raw: unknown;
  try {
    raw = JSON.parse(unb64url(payload));
  } catch {
    return err('malformed');
  }
  const c = raw as { g?: unknown; u?: unknown; exp?: unknown };
  if (typeof c.g !== 'string' || typeof c.u !== 'string' || typeof c.exp !== 'number') return err('malformed');
  if (c.exp <= nowS) return err('expired');
  if (c.g !== guildId) return err('wrong-guild');
  return ok({ guildId: c.g, userId: c.u, exp: c.exp });
}
