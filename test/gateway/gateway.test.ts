import { createExecutionContext, createScheduledController, SELF, waitOnExecutionContext } from 'cloudflare:test';
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { guildActor, shardActor, ticketActor } from '../../src/runtime/actors.ts';
import { env, eventually, newGuild, openTicket, simApi } from '../helpers.ts';

const BASE = 'http://guildkeep.test';
const admin = (path: string, method = 'GET', token = 'test-admin-token') => SELF.fetch(BASE + path, { method, headers: { Authorization: `Bearer ${token}` } });

interface GatewayStatus {
  running: boolean;
  shards: {
    phase: string;
    seq: number | null;
    heartbeatLatencyMs: number | null;
    guilds: number;
    fatal: unknown;
    eventsPerSecond: number;
    countsPerHour: Record<string, Record<string, number>>;
  }[];
}
const status = async () => (await (await admin('/admin/gateway')).json()) as GatewayStatus;
const ready = () =>
  eventually(
    async () => {
      const s = await status();
      return s.shards[0]?.phase === 'ready' ? s : null;
    },
    15_000,
    'shard ready',
  );

/** Runs the Worker's scheduled handler as the cron trigger would. */
async function cron(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: '*/5 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

afterAll(async () => {
  await shardActor(env, 0, 1).stop();
  await simApi('/_sim/gateway/reset', { body: {} });
});

describe('gateway shard against the simulator', () => {
  it('starts only for the admin token, identifies and becomes ready', async () => {
    expect((await admin('/admin/gateway/start', 'POST', 'nope')).status).toBe(401);
    expect((await SELF.fetch(`${BASE}/admin/gateway`)).status).toBe(401);
    await simApi('/_sim/gateway/config', { body: { heartbeatIntervalMs: 1000, identifyIntervalMs: 0 } });
    const r = await admin('/admin/gateway/start', 'POST');
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ shardCount: 1, maxConcurrency: 1 });
    const s = await ready();
    expect(s.shards[0]!.guilds).toBeGreaterThan(0);
    const sessions = await simApi<{ sessions: { intents: number; shard: [number, number] }[] }>('/_sim/gateway/sessions');
    // guilds, members, invites, voice states (levels), messages, reactions, message content
    expect(sessions.sessions.at(-1)).toMatchObject({ intents: 1 | 2 | 64 | 128 | 512 | 1024 | 32768 | 65536, shard: [0, 1] });
  });

  it('puts a member message in a ticket thread into the transcript, through the gateway', async () => {
    await ready();
    const g = await newGuild();
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    await simApi<APIMessage>(`/_sim/channels/${ticket.channelId}/messages`, { body: { user_id: g.memberIds[0], content: 'sent over the gateway' } });
    await eventually(async () => (await ticketActor(env, id).view())!.transcript.some((e) => e.content === 'sent over the gateway'), 10_000, 'transcript');
    const row = await guildActor(env, g.guildId).findTicket(id);
    expect(row!.lastMemberMessageAt).not.toBeNull();
  });

  it('applies 10,000 dispatches over 200 guilds exactly once through 20 drops, RECONNECTs, zombies and invalid sessions both ways', async () => {
    await ready();
    const invalidatedBefore = (await simApi<{ sessions: { state: string }[] }>('/_sim/gateway/sessions')).sessions.filter(
      (x) => x.state === 'invalidated',
    ).length;
    const flood = simApi<{ sent: number; perGuild: Record<string, number> }>('/_sim/gateway/flood', { body: { guilds: 200, events: 10_000, ratePerS: 500 } });
    const kinds = [
      { kind: 'drop' },
      { kind: 'reconnect' },
      { kind: 'zombie' },
      { kind: 'invalid-session', resumable: true },
      { kind: 'invalid-session', resumable: false },
    ] as const;
    let applied = 0;
    for (let attempt = 0; applied < 20 && attempt < 40; attempt++) {
      // Each fault hits a live, resumed connection: wait for the shard to be back first
      // (a fault that finds it between connections is tried again).
      await ready();
      await new Promise((r) => setTimeout(r, 150));
      const r = await simApi<{ applied: string[] }>('/_sim/gateway/faults', { body: kinds[applied % kinds.length]! }).catch(() => ({ applied: [] }));
      if (r.applied.length) applied++;
    }
    expect(applied).toBe(20);
    const sent = await flood;
    expect(sent.sent).toBe(10_000);
    // Four non-resumable invalid sessions, so four new sessions: what the shard had received from
    // an invalidated one still reaches its guilds (recorded against that session's own sequence).
    const invalidated = (await simApi<{ sessions: { state: string }[] }>('/_sim/gateway/sessions')).sessions.filter((x) => x.state === 'invalidated').length;
    expect(invalidated - invalidatedBefore).toBeGreaterThanOrEqual(4);
    const ids = Object.keys(sent.perGuild);
    expect(ids).toHaveLength(200);
    const counts = async (id: string) => (await guildActor(env, id).gatewaySummary()).counts.find((c) => c.kind === 'message')?.n ?? 0;
    await eventually(
      async () => {
        for (const id of ids) if ((await counts(id)) < sent.perGuild[id]!) return false;
        return true;
      },
      45_000,
      'every flood event applied',
    );
    // Exactly once: no guild applied more than it was sent, even after the replays.
    for (const id of ids) expect(await counts(id), id).toBe(sent.perGuild[id]);
    // The shard's own view for /admin/gateway: messages this hour (the flood and more), and a live rate.
    const shard = (await status()).shards[0]!;
    const thisHour = Object.values(shard.countsPerHour).reduce((n, k) => n + (k.message ?? 0), 0);
    expect(thisHour).toBeGreaterThanOrEqual(10_000);
    const sessions = await simApi<{ sessions: { resumeCount: number; resumesOnGatewayUrl: number }[] }>('/_sim/gateway/sessions');
    expect(sessions.sessions.reduce((n, x) => n + x.resumeCount, 0)).toBeGreaterThanOrEqual(10);
    expect(sessions.sessions.reduce((n, x) => n + x.resumesOnGatewayUrl, 0)).toBe(0);
  }, 120_000);

  it('answers interactions that arrive over the gateway through the callback endpoint, like HTTP ones', async () => {
    await ready();
    const g = await newGuild();
    const spec = {
      type: 2,
      guild_id: g.guildId,
      channel_id: g.supportChannelId,
      user_id: g.memberIds[0],
      deliver: true,
      data: {
        name: 'ticket',
        type: 1,
        options: [
          {
            name: 'open',
            type: 1,
            options: [
              { name: 'issue_type', type: 3, value: 'crash' },
              { name: 'severity', type: 3, value: 'high' },
              { name: 'subject', type: 3, value: 'via gateway' },
            ],
          },
        ],
      },
    };
    // The simulator has no interactions URL in tests, so delivery goes over the gateway as INTERACTION_CREATE.
    const { interaction } = await simApi<{ interaction: { id: string } }>('/_sim/interactions', { body: spec });
    const record = await eventually(
      async () => {
        const r = await simApi<{ responses: { status?: number; body?: { type: number; data?: { content?: string } } }[] }>(
          `/_sim/interactions/${interaction.id}`,
        );
        return r.responses.length ? r : null;
      },
      10_000,
      'callback',
    );
    expect(JSON.stringify(record.responses[0])).toContain('Ticket #1 opened');
    expect(await guildActor(env, g.guildId).findTicket(`${g.guildId}-1`)).toMatchObject({ subject: 'via gateway' });
  });

  it('re-identifies after a non-resumable invalid session', async () => {
    const first = await ready();
    const seqBefore = first.shards[0]!.seq;
    await simApi('/_sim/gateway/faults', { body: { kind: 'invalid-session', resumable: false } });
    await eventually(
      async () => {
        const s = await status();
        return s.shards[0]?.phase === 'ready' && (s.shards[0].seq ?? 0) < (seqBefore ?? 0) ? s : null;
      },
      15_000,
      'a new session',
    );
  });

  it('stops on a fatal close code and reports it on /health', async () => {
    await ready();
    await simApi('/_sim/gateway/faults', { body: { kind: 'close', code: 4004 } });
    const s = await eventually(
      async () => {
        const x = await status();
        return x.shards[0]?.phase === 'fatal' ? x : null;
      },
      10_000,
      'fatal',
    );
    expect(s.shards[0]!.fatal).toMatchObject({ code: 4004 });
    const health = (await (await SELF.fetch(`${BASE}/health`)).json()) as { ok: boolean; gateway: { fatal: { code: number }[] } };
    expect(health.ok).toBe(false);
    expect(health.gateway.fatal).toEqual([expect.objectContaining({ shard: 0, code: 4004 })]);
    // No reconnect loop: nothing new connects.
    const n = (await simApi<{ connections: unknown[] }>('/_sim/gateway/sessions')).connections.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await simApi<{ connections: unknown[] }>('/_sim/gateway/sessions')).connections.length).toBe(n);
  });

  it('the cron trigger leaves a fatally stopped shard alone, and restarts one that lost its configuration', async () => {
    const before = await status();
    expect(before.shards[0]!.phase).toBe('fatal');
    await cron();
    expect((await status()).shards[0]!.phase).toBe('fatal');
    await shardActor(env, 0, 1).stop();
    expect((await status()).shards[0]!.phase).toBe('stopped');
    await cron();
    await ready();
  });
});
