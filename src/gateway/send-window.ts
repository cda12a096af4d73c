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
