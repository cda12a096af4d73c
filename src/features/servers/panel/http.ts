import { err, ok } from '../../../lib/result.ts';
import type { PanelFailure, PanelResult } from './types.ts';

/** Every panel call gives up after this long: an answer to a member must still fit Discord's 3 s. */
export const PANEL_TIMEOUT_MS = 2500;

export interface PanelResponse {
  status: number;
  headers: Headers;
  body: unknown;
  /** Raw text, cut, for messages. */
  text: string;
}

/**
 * One HTTP call to a panel with a timeout. Network failures and timeouts are
 * values, not exceptions; the caller maps status codes. The key travels only
 * in `headers` and never appears in anything this returns.
 */
export async function panelFetch(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown },
  timeoutMs = PANEL_TIMEOUT_MS,
): Promise<PanelResult<PanelResponse>> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await fetch(url, {
      method: init.method,
      headers: init.body === undefined ? init.headers : { ...init.headers, 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: ctrl.signal,
      redirect: 'manual',
    });
    const text = await res.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    return ok({ status: res.status, headers: res.headers, body, text: text.slice(0, 300) });
  } catch (e) {
    if (ctrl.signal.aborted) return err({ kind: 'timeout', detail: `no answer within ${timeoutMs} ms` });
    return err({ kind: 'unreachable', detail: e instanceof Error ? e.message.split('\n')[0]!.slice(0, 200) : 'network error' });
  } finally {
    clearTimeout(timer);
  }
}

/** Seconds to wait, from Retry-After or the rate-limit reset header; at least 1. */
export function retryAfterSeconds(h: Headers): number {
  const ra = Number(h.get('retry-after'));
  if (Number.isFinite(ra) && ra > 0) return Math.ceil(ra);
  const reset = Number(h.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 1e9) return Math.max(1, Math.ceil(reset - Date.now() / 1000));
  return 5;
}

/** The failures every panel shares, by status code; `null` for a success or a code the adapter maps itself. */
export function commonFailure(r: PanelResponse): PanelFailure | null {
  if (r.status === 401 || r.status === 403) return { kind: 'refused-key', status: r.status, detail: `HTTP ${r.status}` };
  if (r.status === 429) return { kind: 'rate-limited', retryAfterS: retryAfterSeconds(r.headers), detail: 'HTTP 429' };
  if (r.status === 404) return { kind: 'not-found', detail: 'HTTP 404' };
  if (r.status === 502 || r.status === 503 || r.status === 504) return { kind: 'unreachable', detail: `HTTP ${r.status}` };
  if (r.status >= 300 && r.status < 400) return { kind: 'not-a-panel', detail: `HTTP ${r.status} redirect` };
  return null;
}
