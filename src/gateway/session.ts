import {
  GatewayDispatchEvents,
  type GatewayHeartbeat,
  type GatewayIdentify,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  type GatewayReceivePayload,
  type GatewayResume,
} from 'discord-api-types/v10';
import { backoffMs } from '../discord/ratelimit.ts';
import { closeAction, fatalReason } from './close-codes.ts';

/**
 * The gateway protocol for one shard as a pure state machine: events in
 * (what the socket or a timer said), actions out (what the shell must do).
 * The ShardActor persists the state and carries out the actions; tests drive
 * this directly.
 */
export type Phase = 'idle' | 'connecting' | 'identifying' | 'resuming' | 'ready' | 'backoff' | 'fatal';

export interface SessionState {
  phase: Phase;
  /** Bumped on every new connection, so timers of an old one are ignored. */
  generation: number;
  sessionId: string | null;
  seq: number | null;
  resumeUrl: string | null;
  heartbeatIntervalMs: number | null;
  awaitingAck: boolean;
  /**
   * A dispatch was read since the last heartbeat went out. Discord's ACK
   * follows whatever it sent before it, so a shard still reading a backlog
   * (a flood of joins) sees its ACK late: the connection is alive, and
   * closing it as a zombie would throw the unread backlog away — Discord's
   * resume buffer is finite, so a resume past it starts a new session.
   */
  heardSinceBeat: boolean;
  lastHeartbeatAt: number | null;
  latencyMs: number | null;
  /** Consecutive failed connections, for the backoff. */
  failures: number;
  fatal: { code: number; reason: string } | null;
}

export const INITIAL_SESSION: SessionState = {
  phase: 'idle',
  generation: 0,
  sessionId: null,
  seq: null,
  resumeUrl: null,
  heartbeatIntervalMs: null,
  awaitingAck: false,
  heardSinceBeat: false,
  lastHeartbeatAt: null,
  latencyMs: null,
  failures: 0,
  fatal: null,
};

export interface SessionConfig {
  token: string;
  intents: number;
  shard: [number, number];
  gatewayUrl: string;
  now: number;
  /** [0, 1): jitter for the first heartbeat and the backoff. */
  random: number;
}

export type SessionEvent =
  | { type: 'start' }
  | { type: 'hello'; heartbeatIntervalMs: number }
  | { type: 'dispatch'; s: number; t: string; d: unknown }
  | { type: 'heartbeat-ack' }
  | { type: 'heartbeat-due'; generation: number }
  | { type: 'heartbeat-requested' }
  | { type: 'reconnect-requested' }
  | { type: 'invalid-session'; resumable: boolean }
  | { type: 'closed'; code: number }
  | { type: 'retry-due' };

export type SessionAction =
  | { type: 'open'; url: string }
  | { type: 'send'; payload: GatewayIdentify | GatewayResume | GatewayHeartbeat }
  | { type: 'schedule-heartbeat'; inMs: number; generation: number }
  | { type: 'close'; code: number }
  | { type: 'schedule-retry'; inMs: number }
  | { type: 'deliver'; t: string; s: number; d: unknown }
  | { type: 'fatal'; code: number; reason: string };

/** We close with a code outside 1000/1001 so Discord keeps the session resumable. */
export const RESUMABLE_CLOSE = 4900;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 60_000;

type Out = { state: SessionState; actions: SessionAction[] };

const url = (s: SessionState, c: SessionConfig) => {
  const base = s.sessionId && s.resumeUrl ? s.resumeUrl : c.gatewayUrl;
  return `${base.replace(/\/?(\?.*)?$/, '')}/?v=10&encoding=json`;
};

function open(s: SessionState, c: SessionConfig): Out {
  const state = { ...s, phase: 'connecting' as const, generation: s.generation + 1, awaitingAck: false, heardSinceBeat: false, heartbeatIntervalMs: null };
  return { state, actions: [{ type: 'open', url: url(state, c) }] };
}

/** Leave this connection and come back after `inMs`. */
function away(s: SessionState, inMs: number, code: number, keepSession: boolean, countFailure: boolean): Out {
  const state: SessionState = {
    ...s,
    phase: 'backoff',
    awaitingAck: false,
    failures: countFailure ? s.failures + 1 : s.failures,
    ...(keepSession ? {} : { sessionId: null, seq: null, resumeUrl: null }),
  };
  return {
    state,
    actions: [
      { type: 'close', code },
      { type: 'schedule-retry', inMs },
    ],
  };
}

const heartbeat = (s: SessionState): SessionAction => ({ type: 'send', payload: { op: GatewayOpcodes.Heartbeat, d: s.seq } });

export function step(s: SessionState, e: SessionEvent, c: SessionConfig): Out {
  if (s.phase === 'fatal' && e.type !== 'start') return { state: s, actions: [] };
  switch (e.type) {
    case 'start':
    case 'retry-due':
      return open({ ...s, fatal: null }, c);

    case 'hello': {
      const state: SessionState = { ...s, heartbeatIntervalMs: e.heartbeatIntervalMs, phase: s.sessionId ? 'resuming' : 'identifying' };
      const first: SessionAction = { type: 'schedule-heartbeat', inMs: Math.floor(e.heartbeatIntervalMs * c.random), generation: s.generation };
      const hello: SessionAction = s.sessionId
        ? { type: 'send', payload: { op: GatewayOpcodes.Resume, d: { token: c.token, session_id: s.sessionId, seq: s.seq ?? 0 } } }
        : {
            type: 'send',
            payload: {
              op: GatewayOpcodes.Identify,
              d: { token: c.token, intents: c.intents, shard: c.shard, properties: { os: 'cloudflare-workers', browser: 'guildkeep', device: 'guildkeep' } },
            },
          };
      return { state, actions: [first, hello] };
    }

    case 'dispatch': {
      // A replayed or repeated sequence number was delivered already.
      if (s.seq !== null && e.s <= s.seq) return { state: s, actions: [] };
      let state: SessionState = { ...s, seq: e.s, heardSinceBeat: true };
      if (e.t === GatewayDispatchEvents.Ready) {
        const d = e.d as GatewayReadyDispatchData;
        state = { ...state, phase: 'ready', sessionId: d.session_id, resumeUrl: d.resume_gateway_url, failures: 0 };
      } else if (e.t === GatewayDispatchEvents.Resumed) {
        state = { ...state, phase: 'ready', failures: 0 };
      }
      return { state, actions: [{ type: 'deliver', t: e.t, s: e.s, d: e.d }] };
    }

    case 'heartbeat-ack':
      return { state: { ...s, awaitingAck: false, latencyMs: s.lastHeartbeatAt === null ? s.latencyMs : c.now - s.lastHeartbeatAt }, actions: [] };

    case 'heartbeat-due': {
      if (e.generation !== s.generation || s.heartbeatIntervalMs === null || s.phase === 'backoff' || s.phase === 'connecting')
        return { state: s, actions: [] };
      // No ACK and nothing else heard since the last beat: a zombie connection. Close it and resume.
      if (s.awaitingAck && !s.heardSinceBeat) return away(s, backoffMs(s.failures, BACKOFF_BASE_MS, BACKOFF_CAP_MS, c.random), RESUMABLE_CLOSE, true, true);
      // Late ACK behind a backlog still being read: beat again (latency is measured from the first unanswered beat).
      const state = { ...s, awaitingAck: true, heardSinceBeat: false, lastHeartbeatAt: s.awaitingAck ? s.lastHeartbeatAt : c.now };
      return { state, actions: [heartbeat(state), { type: 'schedule-heartbeat', inMs: s.heartbeatIntervalMs, generation: s.generation }] };
    }

    case 'heartbeat-requested':
      return { state: { ...s, lastHeartbeatAt: c.now, awaitingAck: true }, actions: [heartbeat(s)] };

    case 'reconnect-requested':
      return away(s, 0, RESUMABLE_CLOSE, true, false);

    case 'invalid-session':
      // Discord asks for a pause of 1-5 s before the next attempt.
      return e.resumable
        ? away(s, 1000 + Math.floor(4000 * c.random), RESUMABLE_CLOSE, true, false)
        : away(s, 1000 + Math.floor(4000 * c.random), 1000, false, false);

    case 'closed': {
      // We closed it ourselves and already planned what comes next.
      if (s.phase === 'backoff') return { state: s, actions: [] };
      const action = closeAction(e.code);
      if (action === 'fatal') {
        const reason = fatalReason(e.code);
        return { state: { ...s, phase: 'fatal', fatal: { code: e.code, reason } }, actions: [{ type: 'fatal', code: e.code, reason }] };
      }
      const keep = action === 'resume';
      const state: SessionState = {
        ...s,
        phase: 'backoff',
        awaitingAck: false,
        failures: s.failures + 1,
        ...(keep ? {} : { sessionId: null, seq: null, resumeUrl: null }),
      };
      return { state, actions: [{ type: 'schedule-retry', inMs: backoffMs(s.failures, BACKOFF_BASE_MS, BACKOFF_CAP_MS, c.random) }] };
    }
  }
}

/** What a payload from the socket means to the machine; null for opcodes it does not act on. */
export function sessionEventOf(p: GatewayReceivePayload): SessionEvent | null {
  switch (p.op) {
    case GatewayOpcodes.Hello:
      return { type: 'hello', heartbeatIntervalMs: p.d.heartbeat_interval };
    case GatewayOpcodes.HeartbeatAck:
      return { type: 'heartbeat-ack' };
    case GatewayOpcodes.Heartbeat:
      return { type: 'heartbeat-requested' };
    case GatewayOpcodes.Reconnect:
      return { type: 'reconnect-requested' };
    case GatewayOpcodes.InvalidSession:
      return { type: 'invalid-session', resumable: p.d };
    case GatewayOpcodes.Dispatch:
      return { type: 'dispatch', s: p.s, t: p.t, d: p.d };
    default:
      return null;
  }
}

/**
 * Whether the session must be written after this event. A dispatch moves only
 * the received sequence, and what is persisted is the applied one (saved when
 * deliveries finish): no write per event. READY and RESUMED change the session itself.
 */
export const persistsAfter = (e: SessionEvent): boolean =>
  e.type !== 'dispatch' || e.t === GatewayDispatchEvents.Ready || e.t === GatewayDispatchEvents.Resumed;

/** The state to persist: with the safe sequence, not the last received, so a restart replays what guilds have not applied. */
export function persistable(s: SessionState, safeSeq: number): SessionState {
  return { ...s, seq: s.seq === null ? null : Math.min(s.seq, safeSeq) };
}

/** After a restart the socket is gone: keep what a RESUME needs, from the last safe sequence. */
export function restoredSession(saved: SessionState | null): SessionState {
  if (!saved) return INITIAL_SESSION;
  return { ...saved, phase: saved.phase === 'fatal' ? 'fatal' : 'idle', awaitingAck: false, heardSinceBeat: false };
}
