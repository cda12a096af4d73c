import { openGatewaySocket } from './connection.ts';
import { Outbound } from './send-window.ts';
import type { SessionEvent } from './session.ts';

/**
 * The shard's one gateway socket and its timers: opening (a socket that
 * arrives after the session moved on is not taken), sending under Discord's
 * 120 payloads a minute, closing, and the delays the protocol machine asks
 * for. Events of a socket no longer held are dropped.
 */
export class GatewayLink {
  ws: WebSocket | null = null;
  readonly out = new Outbound();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly generation: () => number;
  private readonly onEvent: (e: SessionEvent) => void;

  /** `generation` is the session's attempt counter; `onEvent` feeds the protocol machine. */
  constructor(generation: () => number, onEvent: (e: SessionEvent) => void) {
    this.generation = generation;
    this.onEvent = onEvent;
  }

  async open(url: string): Promise<void> {
    const generation = this.generation();
    const adopt = (ws: WebSocket) => {
      if (generation === this.generation()) {
        this.ws = ws;
        this.out.newSocket();
      }
      return this.ws === ws;
    };
    const r = await openGatewaySocket(url, adopt, (ws, e) => this.onSocket(ws, e));
    if (!r.ok && generation === this.generation()) this.onEvent({ type: 'closed', code: 1006 });
  }

  /** Under the send window, or held until it allows (dropped if the socket changed meanwhile). */
  send(payload: string, heartbeat = false): void {
    const ws = this.ws;
    const wait = this.out.delay(Date.now());
    if (wait > 0) {
      this.later(wait, () => {
        if (this.ws === ws) this.send(payload, heartbeat);
      });
      return;
    }
    if (!ws) return;
    this.out.sent(Date.now(), heartbeat);
    ws.send(payload);
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  close(code: number): void {
    const ws = this.ws;
    this.ws = null;
    try {
      ws?.close(code);
    } catch {
      /* already closed */
    }
  }

  /** Closes the socket and forgets every pending delay. */
  stop(code: number): void {
    this.close(code);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private onSocket(ws: WebSocket, e: SessionEvent): void {
    if (this.ws !== ws) return;
    if (e.type === 'closed') this.ws = null;
    if (e.type === 'heartbeat-ack') this.out.acked();
    this.onEvent(e);
  }
}
