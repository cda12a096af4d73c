import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dataPointOf, type MetricDataPoint, metricSink } from '../../src/runtime/metrics.ts';
import { command, joins, protection, run, startGateway, stopGateway, tracked } from '../features/protection/support.ts';
import { deliver, eventually, newGuild, simApi, slash, type TestGuild } from '../helpers.ts';

interface Received {
  path: string;
  body: string;
}

/** The data points the test dataset (vitest.config.ts, `METRICS`) received for one guild. */
async function points(guildId: string): Promise<MetricDataPoint[]> {
  const all = (await (await fetch(`${inject('sinkUrl')}/received`)).json()) as Received[];
  return all
    .filter((r) => r.path === '/wae')
    .map((r) => JSON.parse(r.body) as MetricDataPoint)
    .filter((p) => p.indexes[0] === guildId);
}

describe('the data point layout (the operator SQL in the README relies on it)', () => {
  it('puts the guild in index1, the kind and name in blob1 and blob2, a count in double1', () => {
    expect(dataPointOf({ kind: 'interaction', guildId: '1', action: '/ticket open', outcome: 'ok', latencyMs: 12.5 })).toEqual({
      indexes: ['1'],
      blobs: ['interaction', '/ticket open', 'ok', ''],
      doubles: [1, 12.5],
    });
    expect(dataPointOf({ kind: 'member', guildId: '2', what: 'leave' })).toEqual({ indexes: ['2'], blobs: ['member', 'leave', '', ''], doubles: [1, 0] });
    expect(dataPointOf({ kind: 'invite', guildId: '3', attribution: 'invite', code: 'abc', inviterId: '42' })).toEqual({
      indexes: ['3'],
      blobs: ['invite', 'invite', 'abc', '42'],
      doubles: [1, 0],
    });
    expect(dataPointOf({ kind: 'invite', guildId: '3', attribution: 'unknown', code: null, inviterId: null }).blobs).toEqual(['invite', 'unknown', '', '']);
    expect(dataPointOf({ kind: 'interaction', guildId: '1', action: 'x'.repeat(1000), outcome: 'ok', latencyMs: 0 }).blobs[1]).toHaveLength(256);
  });

  it('writes nothing without the binding, and a failing dataset never fails the caller', () => {
    expect(() => metricSink({}).write({ kind: 'member', guildId: '1', what: 'join' })).not.toThrow();
    const broken = {
      writeDataPoint: () => {
        throw new Error('dataset unavailable');
      },
    };
    expect(() => metricSink({ METRICS: broken }).write({ kind: 'member', guildId: '1', what: 'join' })).not.toThrow();
  });
});

describe('metric events reach Analytics Engine when it is bound', () => {
  beforeAll(startGateway, 30_000);
  afterAll(stopGateway);

  it('writes every audited interaction with its outcome and latency', async () => {
    const g = await newGuild();
    await deliver(slash(g, g.memberIds[0]!, 'ticket open', { issue_type: 'billing', severity: 'high', subject: 'metrics please' }));
    await deliver(slash(g, g.memberIds[1]!, 'ticket list'));
    const seen = await eventually(
      async () => {
        const p = await points(g.guildId);
        return p.filter((x) => x.blobs[0] === 'interaction').length >= 2 ? p : null;
      },
      8000,
      'two interaction data points',
    );
    const interactions = seen.filter((x) => x.blobs[0] === 'interaction').map((x) => x.blobs.slice(1, 3));
    expect(interactions).toEqual(
      expect.arrayContaining([
        ['/ticket open', 'ok'],
        ['/ticket list', 'refused:not-staff'],
      ]),
    );
    for (const p of seen) expect(p.doubles[0]).toBe(1);
  });

  it('writes joins, leaves and each join attributed to its invite and inviter', async () => {
    const g: TestGuild = await newGuild(4, 1);
    expect((await run(command(g, g.adminId, 'antiraid off'))).response).toBeTruthy();
    await tracked(g.guildId);
    const [alice] = g.memberIds;
    const inv = await simApi<{ code: string }>(`/_sim/guilds/${g.guildId}/invites`, { body: { inviter_id: alice } });
    await eventually(async () => (await protection(g.guildId)).invites.invites === 1, 5000, 'INVITE_CREATE applied');
    const j = await joins(g.guildId, { count: 2, via: inv.code });
    await simApi(`/_sim/guilds/${g.guildId}/leave`, { body: { user_id: j.member_ids[0] } });
    const seen = await eventually(
      async () => {
        const p = await points(g.guildId);
        return p.filter((x) => x.blobs[0] === 'invite').length >= 2 && p.some((x) => x.blobs[1] === 'leave') ? p : null;
      },
      10_000,
      'two attributed joins and a leave',
    );
    expect(seen.filter((x) => x.blobs[0] === 'member' && x.blobs[1] === 'join')).toHaveLength(2);
    expect(seen.filter((x) => x.blobs[0] === 'member' && x.blobs[1] === 'leave')).toHaveLength(1);
    expect(seen.filter((x) => x.blobs[0] === 'invite').map((x) => x.blobs.slice(1))).toEqual([
      ['invite', inv.code, alice],
      ['invite', inv.code, alice],
    ]);
  });
});
