/**
 * Discord closes a connection that sends more than 120 payloads in 60 s
 * (4008). We keep a margin for heartbeats: at most 110 per window, and tell
 * the caller how long to hold a payload that would go over.
 */
export const SEND_LIMIT = 110;
export const SEND_WINDOW_MS = 60_000;

export function sendDelay(sentAt: number[], now: number): number {
  while (sentAt.length && sentAt[0]! <= now - SEND_WINDOW_MS) sentAt.shift();
  return sentAt.length < SEND_LIMIT ? 0 : sentAt[0]! + SEND_WINDOW_MS - now;
}

/**
 * One shard's outbound side: what went out in the window, and heartbeats sent
 * and ACKs received on the current socket. The gateway answers heartbeats in
 * order, behind the dispatches it sent before each, so an ACK is a barrier.
 */
export class Outbound {
  private readonly sentAt: number[] = [];
  private beats = 0;
  private acks = 0;

  /** A new socket: its heartbeats are counted from zero. */
  newSocket(): void {
    this.beats = 0;
    this.acks = 0;
  }

  /** How long a payload must wait now (0: it may go). */
  delay(now: number): number {
    return sendDelay(this.sentAt, now);
  }

  /** A payload went out; a heartbeat returns the ACK count that shows it was answered. */
  sent(now: number, heartbeat: boolean): number {
    this.sentAt.push(now);
    if (heartbeat) this.beats++;
    return this.beats;
  }

  acked(): void {
    this.acks++;
  }

  answered(target: number): boolean {
    return this.acks >= target;
  }
}
