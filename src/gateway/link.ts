import { openGatewaySocket } from './connection.ts';
import { type Clock, systemClock } from './dispatcher.ts';
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
  private readonly timers: Delays;
  private readonly generation: () => number;
  private readonly onEvent: (e: SessionEvent) => void;

  /** `generation` is the session's attempt counter; `onEvent` feeds the protocol machine. */
  constructor(generation: () => number, onEvent: (e: SessionEvent) => void, clock: Clock = systemClock) {
    this.generation = generation;
    this.onEvent = onEvent;
    this.timers = new Delays(clock);
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
    this.timers.later(ms, fn);
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
    this.timers.clear();
  }

  private onSocket(ws: WebSocket, e: SessionEvent): void {
    if (this.ws !== ws) return;
    if (e.type === 'closed') this.ws = null;
    if (e.type === 'heartbeat-ack') this.out.acked();
    this.onEvent(e);
    // A heartbeat due while a backlog is read goes out now, not after it: after the message, which counts as heard
    // (so a late ACK is not taken for a zombie), and never ahead of a close, which must be read for what it says (4004 is fatal).
    if (e.type !== 'closed' && this.ws === ws) this.timers.fireDue();
  }
}

/**
 * Delays that also fire from the socket's message path. The runtime runs
 * events that are ready before timers, so while a shard reads a backlog of
 * dispatches (a flood of joins: hundreds of thousands queued) no timer
 * fires: the heartbeat went out 20 s late and the gateway closed the
 * connection (4000), then the resume fell past its buffer. After each
 * message, whatever is already due runs.
 */
export class Delays {
  private readonly pending = new Map<unknown, { at: number; fn: () => void }>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  later(ms: number, fn: () => void): void {
    const h: unknown = this.clock.setTimeout(() => this.fire(h), ms);
    this.pending.set(h, { at: this.clock.now() + ms, fn });
  }

  /** Runs the delays already due, in due order. */
  fireDue(): void {
    // On every dispatch: nothing is allocated unless something is due.
    const now = this.clock.now();
    let any = false;
    for (const d of this.pending.values()) if (d.at <= now) any = true;
    if (!any) return;
    const due = [...this.pending].filter(([, d]) => d.at <= now).sort((a, b) => a[1].at - b[1].at);
    for (const [h] of due) {
      this.clock.clearTimeout(h);
      this.fire(h);
    }
  }

  clear(): void {
    for (const h of this.pending.keys()) this.clock.clearTimeout(h);
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }

  private fire(h: unknown): void {
    const d = this.pending.get(h);
    if (!d) return;
    this.pending.delete(h);
    d.fn();
  }
}
