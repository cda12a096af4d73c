import { bytesToHex } from '../../lib/hex.ts';
import { maskDeep } from './mask.ts';

/** Header names of the log webhook's signature: HMAC-SHA256 over `${timestamp}.${body}`. */
export const LOG_SIGNATURE_HEADER = 'X-Guildkeep-Signature';
export const LOG_TIMESTAMP_HEADER = 'X-Guildkeep-Timestamp';

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return bytesToHex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message)));
}

/** How long one delivery may take before it counts as failed (and is retried with the job's backoff). */
const DELIVERY_TIMEOUT_MS = 10_000;

export interface LogWebhookConfig {
  LOG_WEBHOOK_URL?: string | undefined;
  LOG_WEBHOOK_SECRET?: string | undefined;
}

export type LogEvent =
  | { type: 'audit'; entries: unknown[] }
  | { type: 'dependency'; dependency: 'discord'; state: 'unauthorized'; route: string; at: number }
  | { type: 'dependency'; dependency: 'gateway'; state: 'fatal'; shard: number; code: number; reason: string; at: number };

/**
 * Delivers one event to the deployment's log webhook, masked and signed.
 * Returns false when it should be retried; true when delivered or when no webhook is configured.
 */
export async function deliverLogEvent(cfg: LogWebhookConfig, event: LogEvent): Promise<boolean> {
  if (!cfg.LOG_WEBHOOK_URL) return true;
  const body = JSON.stringify(maskDeep(event));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'Content-Type': 'application/json', [LOG_TIMESTAMP_HEADER]: timestamp };
  if (cfg.LOG_WEBHOOK_SECRET) headers[LOG_SIGNATURE_HEADER] = `sha256=${await hmacSha256Hex(cfg.LOG_WEBHOOK_SECRET, `${timestamp}.${body}`)}`;
  // One immediate second try: a receiver closing an idle keep-alive connection
  // just as we reuse it fails the first send through no fault of its own.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // A receiver that accepts the connection and never answers would otherwise hold the job's lane (and every later audit delivery) for good.
      const res = await fetch(cfg.LOG_WEBHOOK_URL, { method: 'POST', headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
      await res.body?.cancel();
      // A 4xx other than 429 will not get better by retrying.
      return res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429);
    } catch {
      // network error: try once more, then leave it to the job's backoff
    }
  }
  return false;
}
