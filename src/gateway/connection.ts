import { GatewayOpcodes } from 'discord-api-types/v10';
import { err, ok, type Result } from '../lib/result.ts';
import type { Outbound } from './send-window.ts';
import { type SessionEvent, sessionEventOf } from './session.ts';

/**
 * Opens a gateway WebSocket with a Workers fetch upgrade and turns what it
 * says into session events, the socket's own close and error included.
 * `adopt` runs as soon as the socket is accepted, before any of its events
 * can be handled: it makes the socket the caller's, or returns false when the
 * caller has moved on (the socket is then closed). The caller ignores events
 * of a socket it no longer holds. Ok(null): opened, not adopted.
 */
export async function openGatewaySocket(
  url: string,
  adopt: (ws: WebSocket) => boolean,
  onEvent: (ws: WebSocket, e: SessionEvent) => void,
): Promise<Result<WebSocket | null, string>> {
  try {
    const res = await fetch(url.replace(/^ws/, 'http'), { headers: { Upgrade: 'websocket' } });
    const ws = res.webSocket;
    if (!ws) return err(`gateway answered ${res.status} without a WebSocket`);
    ws.accept();
    if (!adopt(ws)) {
      ws.close(1000);
      return ok(null);
    }
    ws.addEventListener('message', (m) => {
      const e = sessionEventOf(JSON.parse(typeof m.data === 'string' ? m.data : new TextDecoder().decode(m.data as ArrayBuffer)));
      if (e) onEvent(ws, e);
    });
    ws.addEventListener('close', (c) => onEvent(ws, { type: 'closed', code: c.code }));
    ws.addEventListener('error', () => onEvent(ws, { type: 'closed', code: 1006 }));
    return ok(ws);
  } catch (e) {
    return err(`gateway connection failed: ${String(e)}`);
  }
}

/** What the catch-up barrier needs from the shard. */
export interface BarrierHost {
  /** The socket in use, if the session on it is ready. */
  readySocket(): WebSocket | null;
  /** The socket still in use (the barrier is void once it is replaced). */
  current(): WebSocket | null;
  seq(): number | null;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * A barrier in the stream: a heartbeat now, and its ACK, which the gateway
 * writes after every dispatch it sent this socket before the heartbeat
 * arrived. Sent outside the send window's 110 (Discord allows 120 a minute).
 * A socket lost on the way is tried again on the next one, until the timeout.
 */
export async function catchUp(host: BarrierHost, out: Outbound, timeoutMs: number): Promise<Result<void, string>> {
  const deadline = host.now() + timeoutMs;
  while (host.now() < deadline) {
    const ws = host.readySocket();
    if (!ws) {
      await host.sleep(50);
      continue;
    }
    ws.send(JSON.stringify({ op: GatewayOpcodes.Heartbeat, d: host.seq() }));
    const target = out.sent(host.now(), true);
    while (host.current() === ws && !out.answered(target) && host.now() < deadline) await host.sleep(10);
    if (host.current() === ws && out.answered(target)) return ok(undefined);
  }
  return err(`no heartbeat ACK within ${timeoutMs} ms`);
}
