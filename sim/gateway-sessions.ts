// Gateway bookkeeping: one Connection per WebSocket, one Session per
// successful IDENTIFY (it outlives its connection so it can be resumed), the
// bounded replay buffer of each session, and the protocol log tests read.
import type { WebSocket } from 'ws';

export type SessionState = 'connected' | 'disconnected' | 'invalidated';

export type FaultKind = 'drop' | 'close' | 'reconnect' | 'invalid-session' | 'zombie' | 'heartbeat-request';

export interface GatewayFault {
  kind: FaultKind;
  // close: the close code (default 4000).
  code?: number;
  // invalid-session: the `d` of op 9 (default false).
  resumable?: boolean;
  // zombie: keep delivering dispatches while no longer ACKing (default: park
  // them in the session's buffer, as a dead link would).
  deliver?: boolean;
}

export interface PendingFault {
  remaining: number;
  fault: GatewayFault;
}

// Why dispatches stop flowing on a connection while the session stays attached.
export type Parked = null | 'zombie' | 'reconnect';

export class Connection {
  readonly id: number;
  readonly ws: WebSocket;
  // '/gateway' or '/gateway-resume' (the resume_gateway_url).
  readonly path: string;
  readonly openedAt: number;
  session: Session | null = null;
  parked: Parked = null;
  zombieDeliver = false;
  heartbeats = 0;
  lastHeartbeatAt: number | null = null;
  lastHeartbeatSeq: number | null = null;
  // Receive times inside the current rate window (120 / 60 s by default).
  received: number[] = [];
  hbTimer: NodeJS.Timeout | null = null;
  killTimer: NodeJS.Timeout | null = null;
  // Set when the simulator closed (or dropped) the socket itself.
  serverClosed: number | 'drop' | null = null;
  closed = false;

  constructor(id: number, ws: WebSocket, path: string, now: number) {
    this.id = id;
    this.ws = ws;
    this.path = path;
    this.openedAt = now;
  }

  // Dispatches go out now, or wait in the session buffer (zombie / after op 7).
  get delivering(): boolean {
    return !this.closed && (this.parked === null || (this.parked === 'zombie' && this.zombieDeliver));
  }
}

export class Session {
  readonly id: string;
  readonly shard: [number, number];
  readonly intents: number;
  readonly largeThreshold: number;
  readonly createdAt: number;
  state: SessionState = 'connected';
  conn: Connection | null = null;
  seq = 0;
  disconnectedAt: number | null = null;
  invalidatedAt: number | null = null;
  invalidReason: string | null = null;
  resumes = 0;
  // RESUMEs sent to the plain gateway URL instead of resume_gateway_url.
  resumesOnGatewayUrl = 0;
  connections = 1;
  heartbeats = 0;
  lastHeartbeatAt: number | null = null;
  closeCodesSent: number[] = [];
  opsSent: Record<string, number> = {};
  pendingFaults: PendingFault[] = [];
  // Replay buffer: entries[head..] hold the payloads with s = firstS.. seq.
  private entries: string[] = [];
  private head = 0;
  private readonly capacity: number;

  constructor(id: string, shard: [number, number], intents: number, largeThreshold: number, capacity: number, now: number) {
    this.id = id;
    this.shard = shard;
    this.intents = intents;
    this.largeThreshold = largeThreshold;
    this.capacity = Math.max(1, capacity);
    this.createdAt = now;
  }

  get buffered(): number {
    return this.entries.length - this.head;
  }
  get firstBufferedSeq(): number {
    return this.seq - this.buffered + 1;
  }

  // Stores one dispatch payload (already carrying s = this.seq).
  record(json: string): void {
    this.entries.push(json);
    if (this.entries.length - this.head > this.capacity) this.head++;
    if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  // Payloads with s > seq, or null when some of them have left the buffer.
  after(seq: number): string[] | null {
    if (seq >= this.seq) return [];
    if (seq + 1 < this.firstBufferedSeq) return null;
    const from = this.head + (seq + 1 - this.firstBufferedSeq);
    return this.entries.slice(from);
  }

  invalidate(now: number, reason: string): void {
    this.state = 'invalidated';
    this.invalidatedAt = now;
    this.invalidReason = reason;
    this.conn = null;
    this.pendingFaults = [];
    this.entries = [];
    this.head = 0;
  }

  noteOp(op: number): void {
    this.opsSent[op] = (this.opsSent[op] ?? 0) + 1;
  }
}

export interface ProtocolLogEntry {
  i: number;
  at: number;
  dir: 'in' | 'out';
  conn: number;
  session: string | null;
  op: number | null;
  t?: string;
  s?: number;
  // Close frames (op null): the code; 'drop' for a destroyed socket.
  code?: number | 'drop';
  note?: string;
}

export class ProtocolLog {
  private entries: ProtocolLogEntry[] = [];
  private next = 1;
  private readonly limit: number;

  constructor(limit = 200_000) {
    this.limit = limit;
  }

  add(e: Omit<ProtocolLogEntry, 'i' | 'at'>, at: number = Date.now()): void {
    this.entries.push({ i: this.next++, at, ...e });
    if (this.entries.length > this.limit + 10_000) this.entries.splice(0, this.entries.length - this.limit);
  }

  since(i: number, limit: number): { entries: ProtocolLogEntry[]; next: number } {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.i < i) lo = mid + 1;
      else hi = mid;
    }
    return { entries: this.entries.slice(lo, lo + limit), next: this.next };
  }

  clear(): void {
    this.entries = [];
  }
}
