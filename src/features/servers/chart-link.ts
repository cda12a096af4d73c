import { b64url, unb64url } from '../../lib/base64url.ts';
import { sameSecret } from '../../lib/hex.ts';
import { hmacSha256Hex } from '../audit/webhook.ts';
import { PERIODS, type Period } from './rules/history.ts';

/**
 * Addresses of `/server stats` chart images. Discord fetches an embed's image
 * itself, without our cookies or headers, so the address carries its own
 * proof: `<payload>.<signature>.png`, payload base64url JSON `{g, p, s, per,
 * exp}`, HMAC-SHA256 under the deployment's link secret over `chart.` +
 * payload (the prefix keeps these from passing as staff or appeal tokens).
 * It names one server's chart of one guild and reveals nothing else.
 */
export interface ChartClaims {
  guildId: string;
  panelId: string;
  serverId: string;
  period: Period;
  exp: number;
}

/** Discord re-fetches embed images now and then; a week keeps a posted chart visible. */
export const CHART_LINK_TTL_S = 7 * 86_400;

const sign = (secret: string, payload: string) => hmacSha256Hex(secret, `chart.${payload}`);

export async function chartLink(publicUrl: string | undefined, secret: string | undefined, c: Omit<ChartClaims, 'exp'>, nowS: number): Promise<string | null> {
  if (!publicUrl || !secret) return null;
  const payload = b64url(JSON.stringify({ g: c.guildId, p: c.panelId, s: c.serverId, per: c.period, exp: nowS + CHART_LINK_TTL_S }));
  return `${publicUrl.replace(/\/+$/, '')}/charts/servers/${payload}.${await sign(secret, payload)}.png`;
}

/** The claims of a chart file name, or null for anything forged, expired or malformed (the route answers 404 alike). */
export async function verifyChartFile(secret: string, file: string, nowS: number): Promise<ChartClaims | null> {
  const m = /^([A-Za-z0-9_-]{8,400})\.([0-9a-f]{64})\.png$/.exec(file);
  if (!m) return null;
  const [, payload, sig] = m;
  if (!(await sameSecret(sig!, await sign(secret, payload!)))) return null;
  let raw: { g?: unknown; p?: unknown; s?: unknown; per?: unknown; exp?: unknown };
  try {
    raw = JSON.parse(unb64url(payload!)) as typeof raw;
  } catch {
    return null;
  }
  const { g, p, s, per, exp } = raw;
  if (typeof g !== 'string' || typeof p !== 'string' || typeof s !== 'string' || typeof exp !== 'number') return null;
  if (typeof per !== 'string' || !(per in PERIODS) || exp <= nowS) return null;
  return { guildId: g, panelId: p, serverId: s, period: per as Period, exp };
}
