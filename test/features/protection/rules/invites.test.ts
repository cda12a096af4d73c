import type { APIExtendedInvite, GatewayInviteCreateDispatchData } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../../src/discord/snowflake.ts';
import {
  type Attribution,
  applyInviteCreate,
  applyInviteDelete,
  attribute,
  campaignStats,
  classifyJoin,
  type InviteSnapshot,
  inviterStats,
  type JoinRecord,
  leaderboard,
  nameCampaign,
  nextBaseline,
  recordLeave,
  snapshotFromRest,
} from '../../../../src/features/protection/rules/invites.ts';

const T0 = Date.UTC(2025, 6, 1);

function invite(code: string, inviterId: string, uses: number, maxUses = 0, extra: Partial<APIExtendedInvite> = {}): APIExtendedInvite {
  return {
    code,
    uses,
    max_uses: maxUses,
    max_age: 0,
    temporary: false,
    created_at: new Date(T0 - DAY_MS).toISOString(),
    expires_at: null,
    type: 0,
    channel: { id: '10', name: 'general', type: 0 },
    inviter: { id: inviterId, username: inviterId, discriminator: '0', global_name: null, avatar: null },
    ...extra,
  } as APIExtendedInvite;
}

const snap = (list: APIExtendedInvite[], vanityUses: number | null = null, at = T0): InviteSnapshot =>
  snapshotFromRest(list, vanityUses === null ? null : { code: 'ourguild', uses: vanityUses }, at);

describe('invite attribution', () => {
  it('attributes a join to the one invite whose uses grew', () => {
    const before = snap([invite('aaa', 'alice', 3), invite('bbb', 'bob', 7)]);
    const after = snap([invite('aaa', 'alice', 3), invite('bbb', 'bob', 8)]);
    expect(attribute(before, after, T0)).toEqual({ kind: 'invite', code: 'bbb', inviterId: 'bob' });
  });

  it('says two simultaneous joins through different invites are ambiguous', () => {
    const before = snap([invite('aaa', 'alice', 3), invite('bbb', 'bob', 7)]);
    const after = snap([invite('aaa', 'alice', 4), invite('bbb', 'bob', 8)]);
    expect(attribute(before, after, T0, 2)).toEqual({
      kind: 'ambiguous',
      candidates: [
        { code: 'aaa', inviterId: 'alice', vanity: false },
        { code: 'bbb', inviterId: 'bob', vanity: false },
      ],
    });
    expect(attribute(before, after, T0, 1).kind).toBe('ambiguous');
  });

  it('matches a one-use invite that vanished after use, whether INVITE_DELETE came first or not', () => {
    const before = snap([invite('once', 'carol', 0, 1), invite('aaa', 'alice', 3)]);
    const after = snap([invite('aaa', 'alice', 3)]);
    const expected: Attribution = { kind: 'invite', code: 'once', inviterId: 'carol' };
    expect(attribute(before, after, T0)).toEqual(expected);
    const deletedFirst = applyInviteDelete(before, { code: 'once', channel_id: '10', guild_id: '1' }, T0);
    expect(deletedFirst.invites.once!.deletedAt).toBe(T0);
    expect(attribute(deletedFirst, after, T0)).toEqual(expected);
  });

  it('does not take a vanished invite that was deleted by hand or had expired for a use', () => {
    const manual = snap([invite('many', 'dave', 2, 10)]);
    expect(attribute(manual, snap([]), T0)).toEqual({ kind: 'unknown' });
    const expiring = snap([invite('once', 'erin', 0, 1, { expires_at: new Date(T0 + 1000).toISOString() })]);
    expect(attribute(expiring, snap([]), T0 + 2000)).toEqual({ kind: 'unknown' });
  });

  it('tracks vanity-URL joins separately', () => {
    const before = snap([invite('aaa', 'alice', 3)], 40);
    const after = snap([invite('aaa', 'alice', 3)], 41);
    expect(attribute(before, after, T0)).toEqual({ kind: 'vanity', code: 'ourguild' });
  });

  it('counts uses of an invite created between reads (INVITE_CREATE says uses 0)', () => {
    const created: GatewayInviteCreateDispatchData = {
      code: 'fresh',
      channel_id: '10',
      guild_id: '1',
      created_at: new Date(T0).toISOString(),
      max_age: 3600,
      max_uses: 0,
      temporary: false,
      uses: 0,
      expires_at: null,
      inviter: { id: 'frank', username: 'frank', discriminator: '0', global_name: null, avatar: null },
    };
    const before = applyInviteCreate(snap([]), created, T0);
    expect(before.invites.fresh).toMatchObject({ uses: 0, inviterId: 'frank', expiresAt: T0 + 3_600_000 });
    expect(attribute(before, snap([invite('fresh', 'frank', 1)]), T0)).toEqual({ kind: 'invite', code: 'fresh', inviterId: 'frank' });
    expect(attribute(snap([]), snap([invite('fresh', 'frank', 1)]), T0)).toEqual({ kind: 'invite', code: 'fresh', inviterId: 'frank' });
  });

  it('holds back uses that belong to a join not seen yet', () => {
    const before = snap([invite('aaa', 'alice', 3)]);
    const fresh = snap([invite('aaa', 'alice', 5)]);
    const first = attribute(before, fresh, T0);
    expect(first).toEqual({ kind: 'invite', code: 'aaa', inviterId: 'alice' });
    const baseline = nextBaseline(before, fresh, first);
    expect(baseline.invites.aaa!.uses).toBe(4);
    expect(attribute(baseline, snap([invite('aaa', 'alice', 5)]), T0)).toEqual(first);
    expect(nextBaseline(baseline, fresh, first).invites.aaa!.uses).toBe(5);
  });
});

describe('inviter stats', () => {
  const young = T0 - 2 * DAY_MS;
  const old = T0 - 400 * DAY_MS;
  const via = (code: string, inviterId: string): Attribution => ({ kind: 'invite', code, inviterId });
  const records: JoinRecord[] = [
    { userId: 'm1', joinedAt: T0, accountCreatedAt: old, attribution: via('aaa', 'alice'), leftAt: null },
    { userId: 'm2', joinedAt: T0, accountCreatedAt: old, attribution: via('aaa', 'alice'), leftAt: T0 + 3 * DAY_MS },
    { userId: 'm3', joinedAt: T0, accountCreatedAt: old, attribution: via('aaa', 'alice'), leftAt: T0 + 5 * 60_000 },
    { userId: 'm4', joinedAt: T0, accountCreatedAt: young, attribution: via('bbb', 'bob'), leftAt: null },
    { userId: 'm5', joinedAt: T0, accountCreatedAt: old, attribution: via('bbb', 'bob'), leftAt: null },
    { userId: 'm6', joinedAt: T0, accountCreatedAt: old, attribution: { kind: 'vanity', code: 'ourguild' }, leftAt: null },
    { userId: 'm7', joinedAt: T0, accountCreatedAt: old, attribution: { kind: 'unknown' }, leftAt: null },
  ];

  it('counts total, regular, left and fake per inviter', () => {
    const stats = inviterStats(records);
    expect(stats.get('alice')).toEqual({ inviterId: 'alice', total: 3, regular: 1, left: 1, fake: 1 });
    expect(stats.get('bob')).toEqual({ inviterId: 'bob', total: 2, regular: 1, left: 0, fake: 1 });
    expect(leaderboard(stats).map((s) => s.inviterId)).toEqual(['alice', 'bob']);
    expect(classifyJoin(records[2]!)).toBe('fake');
  });

  it('counts a member who left and rejoined once, by their latest join', () => {
    const left = recordLeave(records, 'm1', T0 + DAY_MS);
    const rejoined = [...left, { userId: 'm1', joinedAt: T0 + 2 * DAY_MS, accountCreatedAt: old, attribution: via('bbb', 'bob'), leftAt: null }];
    const stats = inviterStats(rejoined);
    expect(stats.get('alice')).toMatchObject({ total: 2 });
    expect(stats.get('bob')).toMatchObject({ total: 3, regular: 2 });
  });

  it('names campaign invites and reports them', () => {
    const named = nameCampaign({}, 'aaa', 'Summer stream');
    if (!named.ok) throw new Error(named.error);
    expect(nameCampaign(named.value, 'bbb', 'summer STREAM')).toEqual({ ok: false, error: 'The campaign name "summer STREAM" is already used by invite aaa.' });
    expect(campaignStats(records, { ...named.value, ourguild: 'Vanity' })).toEqual([
      { code: 'aaa', name: 'Summer stream', total: 3, regular: 1, left: 1, fake: 1 },
      { code: 'ourguild', name: 'Vanity', total: 1, regular: 1, left: 0, fake: 0 },
    ]);
  });
});
