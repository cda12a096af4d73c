import { GatewayCloseCodes, GatewayOpcodes } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { CLOSE_ACTIONS, closeAction } from '../../src/gateway/close-codes.ts';
import { batchByGuild, Outstanding } from '../../src/gateway/fanout.ts';
import { emptyLag, lagBetween, lagPercentile, recordLag } from '../../src/gateway/lag-histogram.ts';
import {
  INITIAL_SESSION,
  RESUMABLE_CLOSE,
  type SessionAction,
  type SessionConfig,
  type SessionEvent,
  type SessionState,
  step,
} from '../../src/gateway/session.ts';
import { identifySchedule, shardCountFor, shardForGuild } from '../../src/gateway/shard.ts';

const cfg = (over: Partial<SessionConfig> = {}): SessionConfig => ({
  token: 't',
  intents: 513,
  shard: [0, 1],
  gatewayUrl: 'wss://gateway.discord.gg',
  now: 1000,
  random: 0.5,
  ...over,
});

/** Runs events through the machine, collecting every action. */
function run(events: SessionEvent[], from: SessionState = INITIAL_SESSION, c = cfg()): { state: SessionState; actions: SessionAction[] } {
  let state = from;
  const actions: SessionAction[] = [];
  for (const e of events) {
    const r = step(state, e, c);
    state = r.state;
    actions.push(...r.actions);
  }
  return { state, actions };
}

const READY = { type: 'dispatch', s: 1, t: 'READY', d: { session_id: 'sess', resume_gateway_url: 'wss://resume.example' } } as const;

describe('shard maths', () => {
  it('routes a guild to (guild_id >> 22) % shard_count', () => {
    // Expected values worked out independently (Python: (g >> 22) % c).
    const table: [string, number, number][] = [
      ['41771983423143937', 1, 0],
      ['41771983423143937', 2, 0],
      ['41771983423143937', 16, 6],
      ['80351110224678912', 2, 1],
      ['80351110224678912', 7, 1],
      ['1574230702206091264', 5, 3],
      ['175928847299117063', 10, 6],
      ['613425648685547541', 1000, 544],
    ];
    for (const [id, count, shard] of table) expect(shardForGuild(id, count), `${id} / ${count}`).toBe(shard);
    expect(() => shardForGuild('x', 1)).toThrow();
  });

  it('takes at least one shard per 1,000 guilds and staggers identifies per concurrency key', () => {
    expect(shardCountFor(1, 2500)).toBe(3);
    expect(shardCountFor(4, 10)).toBe(4);
    expect(identifySchedule(4, 2, 0)).toEqual([0, 0, 5000, 5000]);
    expect(identifySchedule(3, 1, 100)).toEqual([100, 5100, 10100]);
  });
});

describe('close codes', () => {
  it('maps every documented code to resume, re-identify or fatal', () => {
    expect(Object.keys(CLOSE_ACTIONS)).toHaveLength(14);
    expect([4000, 4002, 4008].map(closeAction)).toEqual(['resume', 'resume', 'resume']);
    expect([4001, 4003, 4005, 4007, 4009].map(closeAction)).toEqual(Array(5).fill('reidentify'));
    expect([4004, 4010, 4011, 4012, 4013, 4014].map(closeAction)).toEqual(Array(6).fill('fatal'));
    expect(closeAction(1006)).toBe('resume');
    expect(closeAction(1000)).toBe('reidentify');
  });
});

describe('gateway session state machine', () => {
  it('HELLO → IDENTIFY with intents and shard, first heartbeat jittered, READY makes it resumable', () => {
    const { state, actions } = run(
      [{ type: 'start' }, { type: 'hello', heartbeatIntervalMs: 40_000 }, READY],
      INITIAL_SESSION,
      cfg({ random: 0.25, shard: [2, 4] }),
    );
    expect(actions[0]).toEqual({ type: 'open', url: 'wss://gateway.discord.gg/?v=10&encoding=json' });
    expect(actions[1]).toEqual({ type: 'schedule-heartbeat', inMs: 10_000, generation: 1 });
    expect(actions[2]).toMatchObject({ type: 'send', payload: { op: GatewayOpcodes.Identify, d: { token: 't', intents: 513, shard: [2, 4] } } });
    expect(state).toMatchObject({ phase: 'ready', sessionId: 'sess', resumeUrl: 'wss://resume.example', seq: 1 });
  });

  it('heartbeats with the last sequence, measures latency, and treats a missing ACK as a zombie to resume', () => {
    const ready = run([{ type: 'start' }, { type: 'hello', heartbeatIntervalMs: 1000 }, READY, { type: 'dispatch', s: 2, t: 'MESSAGE_CREATE', d: {} }]).state;
    const beat = step(ready, { type: 'heartbeat-due', generation: 1 }, cfg({ now: 5000 }));
    expect(beat.actions).toEqual([
      { type: 'send', payload: { op: GatewayOpcodes.Heartbeat, d: 2 } },
      { type: 'schedule-heartbeat', inMs: 1000, generation: 1 },
    ]);
    expect(step(beat.state, { type: 'heartbeat-ack' }, cfg({ now: 5042 })).state.latencyMs).toBe(42);
    const zombie = step(beat.state, { type: 'heartbeat-due', generation: 1 }, cfg({ now: 6000 }));
    expect(zombie.actions[0]).toEqual({ type: 'close', code: RESUMABLE_CLOSE });
    expect(zombie.state).toMatchObject({ phase: 'backoff', sessionId: 'sess', seq: 2 });
    // The old connection's timer is ignored after reconnecting.
    const back = run([{ type: 'retry-due' }], zombie.state);
    expect(back.actions[0]).toEqual({ type: 'open', url: 'wss://resume.example/?v=10&encoding=json' });
    expect(step(back.state, { type: 'heartbeat-due', generation: 1 }, cfg()).actions).toEqual([]);
  });

  it('a late ACK behind a backlog still being read is not a zombie: it beats again, and closes only once a whole interval brings nothing', () => {
    const ready = run([{ type: 'start' }, { type: 'hello', heartbeatIntervalMs: 1000 }, READY]).state;
    const beat = step(ready, { type: 'heartbeat-due', generation: 1 }, cfg({ now: 5000 }));
    // Dispatches sent before the ACK are still being read when the next beat is due.
    const reading = run(
      Array.from({ length: 3 }, (_, i) => ({ type: 'dispatch' as const, s: 2 + i, t: 'GUILD_MEMBER_ADD', d: {} })),
      beat.state,
    ).state;
    const again = step(reading, { type: 'heartbeat-due', generation: 1 }, cfg({ now: 6000 }));
    expect(again.actions).toEqual([
      { type: 'send', payload: { op: GatewayOpcodes.Heartbeat, d: 4 } },
      { type: 'schedule-heartbeat', inMs: 1000, generation: 1 },
    ]);
    expect(again.state).toMatchObject({ phase: 'ready', awaitingAck: true });
    // The ACK then arrives: latency counts from the first unanswered beat.
    expect(step(again.state, { type: 'heartbeat-ack' }, cfg({ now: 6100 })).state.latencyMs).toBe(1100);
    // Or nothing at all for a whole interval: a zombie after all.
    const zombie = step(again.state, { type: 'heartbeat-due', generation: 1 }, cfg({ now: 7000 }));
    expect(zombie.actions[0]).toEqual({ type: 'close', code: RESUMABLE_CLOSE });
  });

  it('RESUMEs with session id and sequence on the resume URL, and skips replayed sequences', () => {
    const ready = run([{ type: 'start' }, { type: 'hello', heartbeatIntervalMs: 1000 }, READY, { type: 'dispatch', s: 5, t: 'X', d: {} }]).state;
    const r = run(
      [
        { type: 'closed', code: 1006 },
        { type: 'retry-due' },
        { type: 'hello', heartbeatIntervalMs: 1000 },
        { type: 'dispatch', s: 5, t: 'X', d: {} },
        { type: 'dispatch', s: 6, t: 'X', d: {} },
        { type: 'dispatch', s: 7, t: 'RESUMED', d: null },
      ],
      ready,
    );
    expect(r.actions.find((a) => a.type === 'send')).toEqual({
      type: 'send',
      payload: { op: GatewayOpcodes.Resume, d: { token: 't', session_id: 'sess', seq: 5 } },
    });
    expect(r.actions.filter((a) => a.type === 'deliver').map((a) => (a as { s: number }).s)).toEqual([6, 7]);
    expect(r.state).toMatchObject({ phase: 'ready', failures: 0 });
  });

  it('handles RECONNECT and INVALID_SESSION both ways', () => {
    const ready = run([{ type: 'start' }, { type: 'hello', heartbeatIntervalMs: 1000 }, READY]).state;
    expect(step(ready, { type: 'reconnect-requested' }, cfg()).actions).toEqual([
      { type: 'close', code: RESUMABLE_CLOSE },
      { type: 'schedule-retry', inMs: 0 },
    ]);
    const resumable = step(ready, { type: 'invalid-session', resumable: true }, cfg({ random: 0.5 }));
    expect(resumable.state.sessionId).toBe('sess');
    expect(resumable.actions[1]).toEqual({ type: 'schedule-retry', inMs: 3000 });
    const fresh = step(ready, { type: 'invalid-session', resumable: false }, cfg());
    expect(fresh.state).toMatchObject({ sessionId: null, seq: null, resumeUrl: null });
    const next = run([{ type: 'retry-due' }, { type: 'hello', heartbeatIntervalMs: 1000 }], fresh.state);
    expect(next.actions.find((a) => a.type === 'send')).toMatchObject({ payload: { op: GatewayOpcodes.Identify } });
  });

  it('stops on fatal close codes and reports them; other codes back off exponentially with a cap', () => {
    const ready = run([{ type: 'start' }, { type: 'hello', heartbeatIntervalMs: 1000 }, READY]).state;
    for (const code of [GatewayCloseCodes.AuthenticationFailed, GatewayCloseCodes.DisallowedIntents]) {
      const r = step(ready, { type: 'closed', code }, cfg());
      expect(r.state.phase).toBe('fatal');
      expect(r.actions).toEqual([{ type: 'fatal', code, reason: expect.any(String) }]);
      expect(step(r.state, { type: 'retry-due' }, cfg()).actions).toEqual([]);
    }
    let s = ready;
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = step(s, { type: 'closed', code: 1006 }, cfg({ random: 1 }));
      delays.push((r.actions[0] as { inMs: number }).inMs);
      s = step(r.state, { type: 'retry-due' }, cfg()).state;
    }
    expect(delays.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(Math.max(...delays)).toBe(60_000);
  });
});

describe('intents', () => {
  it('asks for what the features need, and lets a deployer turn named ones off', async () => {
    const { intentsFor } = await import('../../src/gateway/intents.ts');
    const needed = 1 | 2 | 64 | 512 | 1024 | 32768;
    expect(intentsFor(undefined, needed)).toEqual({ ok: true, intents: needed });
    expect(intentsFor('message_content, guild_members', needed)).toEqual({ ok: true, intents: 1 | 64 | 512 | 1024 });
    // Turning off one no feature needs changes nothing.
    expect(intentsFor('guild_moderation', needed)).toEqual({ ok: true, intents: needed });
    expect(intentsFor('presences', needed)).toMatchObject({ ok: false, error: expect.stringContaining('unknown intent(s) in GATEWAY_INTENTS_OFF: presences') });
  });
});

describe('gateway send budget', () => {
  it('holds the 111th payload of a minute until the oldest leaves the window', async () => {
    const { sendDelay, SEND_LIMIT } = await import('../../src/gateway/send-window.ts');
    const sent: number[] = [];
    for (let i = 0; i < SEND_LIMIT; i++) {
      expect(sendDelay(sent, i * 10)).toBe(0);
      sent.push(i * 10);
    }
    expect(sendDelay(sent, 5_000)).toBe(55_000);
    expect(sendDelay(sent, 60_000)).toBe(0);
    expect(SEND_LIMIT).toBeLessThan(120);
  });
});

describe('fan-out batching', () => {
  const ev = (guildId: string, s: number, source = 'a') => ({ guildId, e: { s, t: 'MESSAGE_CREATE', d: null }, source });
  it('batches per guild in sequence order', () => {
    const b = batchByGuild([ev('1', 1), ev('2', 2), ev('1', 3)]);
    expect(b.map((x) => [x.guildId, x.events.map((e) => e.s)])).toEqual([
      ['1', [1, 3]],
      ['2', [2]],
    ]);
  });
  it("splits a guild's batch where the source (session, shadow role) changes, keeping order", () => {
    const b = batchByGuild([ev('1', 7, 'a'), ev('1', 8, 'a'), ev('1', 1, 'b'), ev('2', 2, 'b')]);
    expect(b.map((x) => [x.guildId, x.source, x.events.map((e) => e.s)])).toEqual([
      ['1', 'a', [7, 8]],
      ['1', 'b', [1]],
      ['2', 'b', [2]],
    ]);
  });
  it('the safe resume point is before the oldest unapplied sequence', () => {
    const o = new Outstanding();
    for (const s of [1, 2, 3, 4]) o.add(s);
    o.done([1, 3]);
    expect(o.safeSeq()).toBe(1);
    o.done([2, 4]);
    expect(o.safeSeq()).toBe(4);
  });
});

describe('apply-lag histogram', () => {
  it('puts lags in log buckets and reads percentiles of an interval', () => {
    const h = emptyLag();
    for (let i = 0; i < 98; i++) recordLag(h, 4);
    const before = structuredClone(h);
    for (let i = 0; i < 99; i++) recordLag(h, 12);
    recordLag(h, 250);
    expect(lagPercentile(h, 0.5)).toBe(15);
    const interval = lagBetween(before, h);
    expect(interval.counts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(lagPercentile(interval, 0.5)).toBe(15);
    expect(lagPercentile(interval, 0.99)).toBe(15);
    expect(lagPercentile(interval, 1)).toBe(300);
    expect(lagPercentile(emptyLag(), 0.5)).toBeNull();
  });
  it('keeps lags past the last bound as the maximum', () => {
    const h = emptyLag();
    recordLag(h, 120_000);
    expect(lagPercentile(h, 0.99)).toBe(120_000);
  });
});
