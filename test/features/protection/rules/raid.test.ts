import { GuildVerificationLevel } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { DAY_MS, snowflakeAt } from '../../../../src/discord/snowflake.ts';
import { activitySeries, countJoin, countLeave, newActivity } from '../../../../src/features/protection/rules/activity.ts';
import {
  DEFAULT_LOCKDOWN,
  extendLockdown,
  type GuildSettings,
  lockdownEndsAt,
  planLockdown,
  planRestore,
  settingRequest,
} from '../../../../src/features/protection/rules/lockdown.ts';
import {
  DEFAULT_RAID_CONFIG,
  largestNamePattern,
  nameShape,
  newJoinWindow,
  parseRaidConfig,
  type RaidAssessment,
  recordJoin,
} from '../../../../src/features/protection/rules/raid.ts';
import { render } from '../../../../src/i18n/text.ts';

const T0 = Date.UTC(2025, 4, 1, 20);
const NAMES = ['alice', 'bjorn', 'chen', 'dmitri', 'elena', 'farah', 'goran', 'hiro', 'ines', 'jamal', 'kasia', 'lupe', 'marek', 'noor'];
const oldId = (i: number) => snowflakeAt(T0 - 900 * DAY_MS, i);
const newId = (i: number) => snowflakeAt(T0 - DAY_MS, i);

/** Joins every `gapMs`, returns the assessment after each. */
function joins(n: number, gapMs: number, make: (i: number) => { userId: string; name: string }, config = DEFAULT_RAID_CONFIG) {
  const w = newJoinWindow(config);
  const out: RaidAssessment[] = [];
  for (let i = 0; i < n; i++) out.push(recordJoin(w, { ...make(i), at: T0 + i * gapMs }, config));
  return { w, out };
}

describe('raid detector', () => {
  it('crosses at exactly N joins in S seconds and not at N-1', () => {
    const { out } = joins(10, 1000, (i) => ({ userId: oldId(i), name: NAMES[i]! }));
    expect(out[8]).toMatchObject({ crossed: false, count: 9 });
    expect(out[9]).toMatchObject({ crossed: true, reason: 'rate', count: 10, newAccounts: 0 });
    expect(out[9]!.memberIds).toHaveLength(10);
    expect(render('en', out[9]!.summary)).toBe('10 joins in 10 s; 0 new accounts');
  });

  it('slides: joins older than the window stop counting', () => {
    // 11 joins 1.1 s apart: any 10 s window holds at most 10 (9.9 s span) — the 10th crosses, then one falls out as the next arrives.
    const { out } = joins(14, 1100, (i) => ({ userId: oldId(i), name: NAMES[i]! }));
    expect(out[9]).toMatchObject({ crossed: true, count: 10 });
    expect(out[10]).toMatchObject({ crossed: true, count: 10 });
    const slow = joins(30, 1200, (i) => ({ userId: oldId(i), name: NAMES[i % NAMES.length]! }));
    expect(slow.out.every((a) => !a.crossed)).toBe(true);
    expect(Math.max(...slow.out.map((a) => a.count))).toBe(9);
  });

  it('counts new accounts and shared name patterns; a smaller burst of them is a raid', () => {
    const { out } = joins(6, 500, (i) => ({ userId: newId(i), name: `raider_${1000 + i}` }));
    const last = out[5]!;
    expect(last).toMatchObject({ crossed: true, reason: 'suspicious', count: 6, newAccounts: 6, newAccountShare: 1 });
    expect(last.namePattern).toEqual({ kind: 'shape', pattern: 'raider#', count: 6 });
    expect(render('en', last.summary)).toBe('6 joins in 10 s; 6 new accounts; 6 names like raider#');
    expect(render('de', last.summary)).toBe('6 Beitritte in 10 s; 6 neue Konten; 6 Namen wie raider#');
    expect(render('fr', last.summary)).toBe('6 arrivées en 10 s ; 6 nouveaux comptes ; 6 noms comme raider#');
    const mixed = joins(6, 500, (i) => ({ userId: i < 3 ? newId(i) : oldId(i), name: NAMES[i]! }));
    expect(mixed.out[5]).toMatchObject({ crossed: false, newAccountShare: 0.5, namePattern: null });
  });

  it('finds name patterns by shape, prefix or suffix', () => {
    expect(nameShape('Raider_123')).toBe('raider#');
    expect(nameShape('ｒａｉｄｅｒ.99')).toBe('raider#');
    expect(largestNamePattern(['spambot1', 'spambot22', 'spambot333', 'zed'])).toMatchObject({ kind: 'shape', pattern: 'spambot#', count: 3 });
    expect(largestNamePattern(['xxcoolguy', 'yycoolguy', 'zzcoolguy'])).toMatchObject({ kind: 'suffix', pattern: 'lguy', count: 3 });
    expect(largestNamePattern(['alice', 'bob', 'carol'])).toBeNull();
  });

  it('keeps memory bounded during a flood', () => {
    const { w, out } = joins(5000, 1, (i) => ({ userId: oldId(i % 4000), name: `n${i}` }));
    expect(w.entries.length).toBeLessThanOrEqual(w.capacity);
    expect(out.at(-1)!.crossed).toBe(true);
  });

  it('validates the configuration', () => {
    expect(parseRaidConfig({})).toEqual({ ok: true, value: DEFAULT_RAID_CONFIG });
    expect(parseRaidConfig({ joins: 1, suspiciousShare: 2 })).toMatchObject({ ok: false });
  });
});

describe('lockdown', () => {
  const current: GuildSettings = {
    verificationLevel: GuildVerificationLevel.Low,
    invitesDisabledUntil: null,
    dmsDisabledUntil: null,
    slowmode: { '10': 0, '11': 60 },
  };
  const settings = { ...DEFAULT_LOCKDOWN, slowmodeChannelIds: ['10', '11'], slowmodeSeconds: 30 };

  it('plans only the changes needed, remembering each previous value', () => {
    const l = planLockdown(current, settings, T0, 'raid');
    const until = new Date(T0 + settings.minDurationMs).toISOString();
    expect(l.changes).toEqual([
      { kind: 'verification-level', from: GuildVerificationLevel.Low, to: GuildVerificationLevel.High },
      { kind: 'incident-actions', from: { invites: null, dms: null }, to: { invites: until, dms: null } },
      { kind: 'slowmode', channelId: '10', from: 0, to: 30 },
    ]);
    expect(settingRequest('1', l.changes[0]!)).toEqual({ method: 'PATCH', route: '/guilds/1', body: { verification_level: GuildVerificationLevel.High } });
    expect(settingRequest('1', l.changes[1]!)).toEqual({
      method: 'PUT',
      route: '/guilds/1/incident-actions',
      body: { invites_disabled_until: until, dms_disabled_until: null },
    });
    expect(settingRequest('1', l.changes[2]!)).toEqual({ method: 'PATCH', route: '/channels/10', body: { rate_limit_per_user: 30 } });
  });

  it('restores exactly what it changed, and leaves what a moderator changed since', () => {
    const l = planLockdown(current, settings, T0, 'raid');
    const during: GuildSettings = {
      verificationLevel: GuildVerificationLevel.High,
      invitesDisabledUntil: new Date(T0 + settings.minDurationMs).toISOString(),
      dmsDisabledUntil: null,
      slowmode: { '10': 120, '11': 60 },
    };
    const r = planRestore(l, during, T0 + 20 * 60_000);
    expect(r.changes).toEqual([
      { kind: 'verification-level', from: GuildVerificationLevel.High, to: GuildVerificationLevel.Low },
      { kind: 'incident-actions', from: { invites: during.invitesDisabledUntil, dms: null }, to: { invites: null, dms: null } },
    ]);
    expect(r.skipped).toEqual([
      { change: { kind: 'slowmode', channelId: '10', from: 120, to: 0 }, reason: 'Slowmode in <#10> was changed during the lockdown; left as it is.' },
    ]);
  });

  it('does nothing to a guild that is already locked down, and ends after the quiet time', () => {
    const strict: GuildSettings = {
      verificationLevel: GuildVerificationLevel.VeryHigh,
      invitesDisabledUntil: new Date(T0 + DAY_MS / 2).toISOString(),
      dmsDisabledUntil: null,
      slowmode: { '10': 60 },
    };
    expect(planLockdown(strict, { ...settings, slowmodeChannelIds: ['10'] }, T0, 'raid').changes).toEqual([]);
    const l = extendLockdown(planLockdown(current, settings, T0, 'raid'), T0 + 14 * 60_000);
    expect(lockdownEndsAt(l, settings)).toBe(T0 + 24 * 60_000);
  });
});

describe('join and leave counters', () => {
  it('counts per minute in a fixed ring and fills gaps with zeros', () => {
    const c = newActivity(60);
    countJoin(c, T0);
    countJoin(c, T0 + 10_000, 2);
    countLeave(c, T0 + 61_000);
    expect(activitySeries(c, T0 + 120_000, 3)).toEqual([
      { minute: T0 / 60_000, joins: 3, leaves: 0 },
      { minute: T0 / 60_000 + 1, joins: 0, leaves: 1 },
      { minute: T0 / 60_000 + 2, joins: 0, leaves: 0 },
    ]);
    countJoin(c, T0 + 60 * 60_000);
    expect(activitySeries(c, T0 + 60 * 60_000, 60)[0]).toEqual({ minute: T0 / 60_000 + 1, joins: 0, leaves: 1 });
    expect(c.buckets).toHaveLength(60);
  });
});
