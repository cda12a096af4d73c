import { GatewayOpcodes, type GatewayReceivePayload } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { type BarrierHost, catchUp } from '../../src/gateway/connection.ts';
import { hourOf } from '../../src/gateway/events.ts';
import { GUILDS_WAIT_MS } from '../../src/gateway/handover.ts';
import { emptyLag } from '../../src/gateway/lag-histogram.ts';
import { Outbound, SEND_LIMIT } from '../../src/gateway/send-window.ts';
import { INITIAL_SESSION, persistable, persistsAfter, restoredSession, type SessionState, sessionEventOf } from '../../src/gateway/session.ts';
import { deliveryTag, type ShardConfig, validateShardConfig, WATCHDOG_MS, watchdog } from '../../src/gateway/shard-config.ts';
import { buildShardStatus, countEvent, DispatchTally, EventRate, type HourlyCounts } from '../../src/gateway/shard-status.ts';

const CONFIG: ShardConfig = { shardId: 1, shardCount: 2, intents: 513, gatewayUrl: 'wss://gateway.discord.gg', notBefore: 1_000 };
const HOUR = 3_600_000;

describe('shard config', () => {
  it('accepts a config a shard can run with', () => {
    expect(validateShardConfig(CONFIG)).toEqual({ ok: true, value: CONFIG });
    expect(validateShardConfig({ ...CONFIG, gatewayUrl: 'ws://127.0.0.1:8787/gateway', generation: 3, shadow: true }).ok).toBe(true);
  });

  it('refuses each kind of bad value with a message that names it', () => {
    const bad: [Partial<ShardConfig>, string][] = [
      [{ shardId: 2 }, 'shardId must be a whole number in [0, shardCount)'],
      [{ shardId: -1 }, 'shardId'],
      [{ shardCount: 0 }, 'shardCount must be a whole number ≥ 1'],
      [{ intents: 1.5 }, 'intents must be a non-negative bitfield'],
      [{ gatewayUrl: 'https://gateway.discord.gg' }, 'gatewayUrl must be a ws:// or wss:// URL'],
      [{ notBefore: Number.NaN }, 'notBefore must be epoch milliseconds'],
      [{ generation: 0 }, 'generation must be a whole number ≥ 1'],
      [{ shadow: true, recording: true }, 'cannot be a shadow and recording at once'],
    ];
    for (const [over, message] of bad) {
      const r = validateShardConfig({ ...CONFIG, ...over });
      expect(r.ok, JSON.stringify(over)).toBe(false);
      if (!r.ok) expect(r.error).toContain(message);
    }
  });

  it('the watchdog waits for notBefore, then reconnects a shard with no socket unless it is fatal or backing off', () => {
    expect(watchdog(CONFIG, 500, false, 'idle')).toEqual({ connect: false, nextAt: 1_000 });
    expect(watchdog(CONFIG, 2_000, false, 'idle')).toEqual({ connect: true, nextAt: 2_000 + WATCHDOG_MS });
    expect(watchdog(CONFIG, 2_000, true, 'ready').connect).toBe(false);
    expect(watchdog(CONFIG, 2_000, false, 'fatal').connect).toBe(false);
    expect(watchdog(CONFIG, 2_000, false, 'backoff').connect).toBe(false);
  });

  it('tags batches with the generation and recording flag of the config at sending time, shadow as received', () => {
    expect(deliveryTag(null, false)).toEqual({ generation: 1, shadow: false, recording: false });
    expect(deliveryTag({ ...CONFIG, generation: 4, recording: true }, true)).toEqual({ generation: 4, shadow: true, recording: true });
  });
});

describe('session glue', () => {
  it('maps each opcode the machine acts on to its event, and ignores the rest', () => {
    const p = (x: unknown) => sessionEventOf(x as GatewayReceivePayload);
    expect(p({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: 41_250 } })).toEqual({ type: 'hello', heartbeatIntervalMs: 41_250 });
    expect(p({ op: GatewayOpcodes.HeartbeatAck })).toEqual({ type: 'heartbeat-ack' });
    expect(p({ op: GatewayOpcodes.Heartbeat, d: null })).toEqual({ type: 'heartbeat-requested' });
    expect(p({ op: GatewayOpcodes.Reconnect, d: null })).toEqual({ type: 'reconnect-requested' });
    expect(p({ op: GatewayOpcodes.InvalidSession, d: true })).toEqual({ type: 'invalid-session', resumable: true });
    expect(p({ op: GatewayOpcodes.Dispatch, s: 9, t: 'MESSAGE_CREATE', d: { id: '1' } })).toEqual({
      type: 'dispatch',
      s: 9,
      t: 'MESSAGE_CREATE',
      d: { id: '1' },
    });
    expect(p({ op: 99 })).toBeNull();
  });

  it('persists the applied sequence, not the received one, and only when the session itself changes', () => {
    const s: SessionState = { ...INITIAL_SESSION, phase: 'ready', sessionId: 'x', seq: 120 };
    expect(persistable(s, 97).seq).toBe(97);
    expect(persistable(s, 200).seq).toBe(120);
    expect(persistable({ ...s, seq: null }, 5).seq).toBeNull();
    expect(persistsAfter({ type: 'dispatch', s: 1, t: 'MESSAGE_CREATE', d: {} })).toBe(false);
    expect(persistsAfter({ type: 'dispatch', s: 1, t: 'READY', d: {} })).toBe(true);
    expect(persistsAfter({ type: 'dispatch', s: 1, t: 'RESUMED', d: {} })).toBe(true);
    expect(persistsAfter({ type: 'heartbeat-ack' })).toBe(true);
  });

  it('after a restart keeps what a RESUME needs, and a fatal stop stays fatal', () => {
    expect(restoredSession(null)).toEqual(INITIAL_SESSION);
    const saved: SessionState = { ...INITIAL_SESSION, phase: 'ready', sessionId: 'x', seq: 7, resumeUrl: 'wss://r', awaitingAck: true };
    expect(restoredSession(saved)).toEqual({ ...saved, phase: 'idle', awaitingAck: false, heardSinceBeat: false });
    expect(restoredSession({ ...saved, phase: 'fatal' }).phase).toBe('fatal');
  });
});

describe('shard tallies and status', () => {
  it('counts per hour and kind, and forgets hours older than a day', () => {
    const counts: HourlyCounts = {};
    const t0 = hourOf(Date.UTC(2026, 0, 1, 12));
    countEvent(counts, 'message', t0);
    countEvent(counts, 'message', t0 + 10);
    countEvent(counts, 'member_join', t0 + HOUR);
    expect(counts).toEqual({ [t0]: { message: 2 }, [t0 + HOUR]: { member_join: 1 } });
    countEvent(counts, 'message', t0 + 24 * HOUR);
    expect(Object.keys(counts).map(Number)).toEqual([t0 + HOUR, t0 + 24 * HOUR]);
  });

  it('reports the rate of the last ten seconds', () => {
    const r = new EventRate();
    for (let i = 0; i < 50; i++) r.record(1_000 + i * 100);
    expect(r.perSecond(6_000)).toBe(5);
    expect(r.perSecond(15_450)).toBe(0.5);
    expect(r.perSecond(30_000)).toBe(0);
  });

  it('routes dispatches: READY starts a session and names its guilds, GUILD_CREATEs arrive, interactions are answered, the rest go to their guild', () => {
    const t = new DispatchTally({});
    const now = Date.UTC(2026, 0, 1, 12);
    expect(t.route('READY', { guilds: [{ id: '1' }, { id: '2' }] }, now)).toEqual({ to: 'new-session', guildId: null, arrivalsChanged: true });
    expect(t.guilds).toBe(2);
    expect(t.arrivals.waiting).toBe(2);
    expect(t.route('GUILD_CREATE', { id: '1' }, now)).toEqual({ to: 'guild', guildId: '1', arrivalsChanged: true });
    expect(t.route('GUILD_CREATE', { id: '9' }, now)).toEqual({ to: 'guild', guildId: '9', arrivalsChanged: false });
    expect(t.arrivals.waiting).toBe(1);
    expect(t.route('INTERACTION_CREATE', { guild_id: '1', id: 'i' }, now)).toEqual({ to: 'interaction', guildId: null, arrivalsChanged: false });
    expect(t.route('MESSAGE_CREATE', { guild_id: '2' }, now)).toEqual({ to: 'guild', guildId: '2', arrivalsChanged: false });
    expect(t.route('PRESENCE_UPDATE', { user: {} }, now)).toEqual({ to: 'nowhere', guildId: null, arrivalsChanged: false });
    // Interactions and GUILD_CREATE are not among the counted kinds; messages are.
    expect(t.counts).toEqual({ [hourOf(now)]: { message: 1 } });
    expect(t.rate.perSecond(now)).toBe(0.6);
    t.arrivals.giveUp();
    expect(t.arrivals.waiting).toBe(0);
    expect(GUILDS_WAIT_MS).toBe(15_000);
  });

  it('builds the status: stopped without a config, the session phase and set role with one', () => {
    const tally = new DispatchTally({});
    const fanout = { safeSeq: () => 41, queued: 3, applied: 120, retries: 2, lag: emptyLag() };
    const session: SessionState = { ...INITIAL_SESSION, phase: 'ready', seq: 44, latencyMs: 30 };
    expect(buildShardStatus(null, session, fanout, tally, 0)).toMatchObject({ shard: null, phase: 'stopped', generation: 1, shadow: false });
    expect(buildShardStatus({ ...CONFIG, generation: 2, shadow: true }, session, fanout, tally, 0)).toMatchObject({
      shard: [1, 2],
      phase: 'ready',
      seq: 44,
      safeSeq: 41,
      heartbeatLatencyMs: 30,
      queued: 3,
      appliedEvents: 120,
      deliveryRetries: 2,
      generation: 2,
      shadow: true,
      guildsPending: 0,
    });
  });
});

describe('outbound pacing and the catch-up barrier', () => {
  it('holds payloads over the window and counts heartbeats per socket', () => {
    const out = new Outbound();
    for (let i = 0; i < SEND_LIMIT; i++) {
      expect(out.delay(i)).toBe(0);
      out.sent(i, false);
    }
    expect(out.delay(1_000)).toBe(59_000);
    expect(out.sent(60_000, true)).toBe(1);
    expect(out.answered(1)).toBe(false);
    out.acked();
    expect(out.answered(1)).toBe(true);
    out.newSocket();
    expect(out.answered(1)).toBe(false);
  });

  /** Two sockets in turn; a heartbeat is ACKed `ackAfterMs` later, and only counted if its socket is still the shard's (as in the actor). */
  function barrier(ackAfterMs: number | null, ready = true) {
    let t = 0;
    const out = new Outbound();
    const sockets = [{ sent: [] as string[] }, { sent: [] as string[] }];
    let current = 0;
    let ack: { at: number; socket: number } | null = null;
    const ws = (i: number) =>
      ({
        send: (p: string) => {
          sockets[i]!.sent.push(p);
          if (ackAfterMs !== null) ack = { at: t + ackAfterMs, socket: i };
        },
      }) as unknown as WebSocket;
    const handles = [ws(0), ws(1)];
    const host: BarrierHost = {
      readySocket: () => (ready ? handles[current]! : null),
      current: () => handles[current]!,
      seq: () => 17,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
        if (ack && t >= ack.at) {
          if (ack.socket === current) out.acked();
          ack = null;
        }
      },
    };
    return {
      host,
      out,
      sockets,
      drop: () => {
        current = 1;
        out.newSocket();
      },
      time: () => t,
    };
  }

  it('returns once the heartbeat it sent is ACKed, with the last sequence in it', async () => {
    const b = barrier(30);
    expect(await catchUp(b.host, b.out, 1_000)).toEqual({ ok: true, value: undefined });
    expect(b.sockets[0]!.sent).toEqual([JSON.stringify({ op: GatewayOpcodes.Heartbeat, d: 17 })]);
    expect(b.time()).toBe(30);
  });

  it('gives up with an error when no ACK comes, and waits while the session is not ready', async () => {
    const silent = barrier(null);
    const r = await catchUp(silent.host, silent.out, 500);
    expect(r).toEqual({ ok: false, error: 'no heartbeat ACK within 500 ms' });
    const notReady = barrier(10, false);
    expect((await catchUp(notReady.host, notReady.out, 200)).ok).toBe(false);
    expect(notReady.sockets[0]!.sent).toEqual([]);
  });

  it('a socket replaced before its ACK came: the barrier is sent again on the new one', async () => {
    const b = barrier(20);
    const sleep = b.host.sleep;
    let dropped = false;
    b.host.sleep = async (ms) => {
      if (!dropped && b.time() >= 10) {
        dropped = true;
        b.drop();
      }
      await sleep(ms);
    };
    expect((await catchUp(b.host, b.out, 1_000)).ok).toBe(true);
    expect(b.sockets[0]!.sent).toHaveLength(1);
    expect(b.sockets[1]!.sent).toHaveLength(1);
  });
});
