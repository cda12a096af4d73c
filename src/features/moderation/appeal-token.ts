import { b64url, unb64url } from '../../lib/base64url.ts';
import { sameSecret } from '../../lib/hex.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { hmacSha256Hex } from '../audit/webhook.ts';

/**
 * Appeal form links for banned members: `<payload>.<signature>`, payload
 * base64url JSON `{g, c, u, exp}` (guild, case, user, epoch seconds), signed
 * with HMAC-SHA256 over `appeal.` + payload. The prefix separates these from
 * staff inbox tokens signed with the same secret, so neither passes for the
 * other. Bound to one case of one member.
 */
export interface AppealClaims {
  guildId: string;
  caseId: number;
  userId: string;
  exp: number;
}

/** A ban can be appealed through its link for 30 days. */
export const APPEAL_LINK_TTL_S = 30 * 86_400;

export type AppealTokenProblem = 'malformed' | 'bad-signature' | 'expired' | 'wrong-case';

const sign = (secret: string, payload: string) => hmacSha256Hex(secret, `appeal.${payload}`);

export async function signAppealToken(secret: string, c: AppealClaims): Promise<string> {
  const payload = b64url(JSON.stringify({ g: c.guildId, c: c.caseId, u: c.userId, exp: c.exp }));
  return `${payload}.${await sign(secret, payload)}`;
}

export async function verifyAppealToken(
  secret: string,
  token: string,
  guildId: string,
  caseId: number,
  nowS: number,
): Promise<Result<AppealClaims, AppealTokenProblem>> {
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined || !/^[0-9a-f]{64}$/.test(sig)) return err('malformed');
  if (!(await sameSecret(sig, await sign(secret, payload)))) return err('bad-signature');
  let raw: unknown;
  try {
    raw = JSON.parse(unb64url(payload));
  } catch {
    return err('malformed');
  }
  const c = raw as { g?: unknown; c?: unknown; u?: unknown; exp?: unknown };
  if (typeof c.g !== 'string' || typeof c.c !== 'number' || typeof c.u !== 'string' || typeof c.exp !== 'number') return err('malformed');
  if (c.exp <= nowS) return err('expired');
  if (c.g !== guildId || c.c !== caseId) return err('wrong-case');
  return ok({ guildId: c.g, caseId: c.c, userId: c.u, exp: c.exp });
}

/** The form's address for a case, or null when the deployment has no public URL or secret. */
export async function appealFormLink(
  publicUrl: string | undefined,
  secret: string | undefined,
  c: Omit<AppealClaims, 'exp'>,
  nowS: number,
): Promise<string | null> {
  if (!publicUrl || !secret) return null;
  const token = await signAppealToken(secret, { ...c, exp: nowS + APPEAL_LINK_TTL_S });
  return `${publicUrl.replace(/\/+$/, '')}/appeal/${c.guildId}/${c.caseId}#${token}`;
}

/** `123456789012345678-4` → guild and case; also `#4` or `4` when the guild is known. */
export function parseCaseRef(text: string, guildId: string | null): { guildId: string; caseId: number } | null {
  const t = text.trim();
  const full = /^(\d{15,20})-(\d{1,9})$/.exec(t);
  if (full) return { guildId: full[1]!, caseId: Number(full[2]) };
  const short = /^#?(\d{1,9})$/.exec(t);
  return short && guildId ? { guildId, caseId: Number(short[1]) } : null;
}
