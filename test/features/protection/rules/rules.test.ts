import { ChannelType, GuildVerificationLevel, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { applyAntiRaidOptions, applyGateOptions, DEFAULT_ANTIRAID, DEFAULT_GATE, parseChannelList } from '../../../../src/features/protection/rules/config.ts';
import { knownFromGuildCreate, settingsFor, withChannel, withGuildUpdate } from '../../../../src/features/protection/rules/guild-settings.ts';
import { DEFAULT_LOCKDOWN, type GuildSettings, planLockdown, planRestore } from '../../../../src/features/protection/rules/lockdown.ts';
import { newLockdownRecord } from '../../../../src/features/protection/rules/lockdown-record.ts';
import { banBatches, decideRemoval, removalExecuted, requestRemoval } from '../../../../src/features/protection/rules/removal.ts';
import { raidAlert } from '../../../../src/features/protection/views.ts';
import { render, type Text } from '../../../../src/i18n/text.ts';
import type { Result } from '../../../../src/lib/result.ts';

/** Rule results with their message values rendered in English. */
const english = <T>(r: Result<T, Text>) => (r.ok ? r : { ok: false as const, error: render('en', r.error) });
const englishAll = <T>(r: Result<T, Text[]>) => (r.ok ? r : { ok: false as const, error: r.error.map((e) => render('en', e)) });

const T0 = Date.UTC(2025, 0, 1);
const ID = (n: number) => String(100_000_000_000_000_000n + BigInt(n));

describe('anti-raid settings', () => {
  it('reads channel lists as mentions or ids, and refuses anything else', () => {
    expect(parseChannelList(`<#${ID(1)}>, ${ID(2)} <#${ID(1)}>`)).toEqual({ ok: true, value: [ID(1), ID(2)] });
    expect(parseChannelList(' none ')).toEqual({ ok: true, value: [] });
    expect(english(parseChannelList('#general'))).toEqual({
      ok: false,
      error: '"#general" is not a channel; mention channels like #general or give their ids.',
    });
    expect(english(parseChannelList(Array.from({ length: 11 }, (_, i) => ID(i)).join(' ')))).toEqual({ ok: false, error: 'At most 10 slowmode channels.' });
  });

  it('changes only what was given, keeps the suspicious burst within the threshold, and sizes the quiet time to short lockdowns', () => {
    const r = applyAntiRaidOptions(DEFAULT_ANTIRAID, {
      threshold: 4,
      windowSeconds: 3,
      lockdownMinutes: 2,
      slowmodeChannels: `<#${ID(5)}>`,
      alertChannelId: ID(6),
    });
    expect(r.ok && r.value).toMatchObject({
      raid: { joins: 4, seconds: 3, suspiciousJoins: 4, enabled: true },
      lockdown: { minDurationMs: 120_000, quietMs: 120_000, slowmodeChannelIds: [ID(5)], slowmodeSeconds: 30, pauseInvites: true, pauseDms: true },
      alertChannelId: ID(6),
      quarantineRoleId: null,
    });
    expect(applyAntiRaidOptions(DEFAULT_ANTIRAID, { lockdownMinutes: 60 })).toMatchObject({
      ok: true,
      value: { lockdown: { minDurationMs: 3_600_000, quietMs: 600_000 } },
    });
    expect(englishAll(applyAntiRaidOptions(DEFAULT_ANTIRAID, { threshold: 1, slowmodeSeconds: 99_999, slowmodeChannels: 'x' }))).toEqual({
      ok: false,
      error: [
        'threshold must be a whole number from 2 to 1000',
        '"x" is not a channel; mention channels like #general or give their ids.',
        'slowmode must be 0 to 21600 seconds',
      ],
    });
  });
});

describe('verification settings', () => {
  it('needs an unverified role and a verify channel to turn on, and reads 0 as never removing', () => {
    expect(englishAll(applyGateOptions(DEFAULT_GATE, { enabled: true }))).toEqual({
      ok: false,
      error: ['set an unverified role first (/verification config unverified_role)', 'set a verify channel first (/verification config verify_channel)'],
    });
    const on = applyGateOptions(DEFAULT_GATE, {
      enabled: true,
      unverifiedRoleId: ID(1),
      verifyChannelId: ID(2),
      challenge: 'text',
      timeoutMinutes: 2,
      kickAfterMinutes: 30,
    });
    expect(on.ok && on.value).toMatchObject({
      enabled: true,
      unverifiedRoleId: ID(1),
      verifyChannelId: ID(2),
      challenge: 'text',
      challengeTtlMs: 120_000,
      removeAfterMs: 1_800_000,
    });
    const never = on.ok ? applyGateOptions(on.value, { kickAfterMinutes: 0 }) : on;
    expect(never.ok && never.value.removeAfterMs).toBeNull();
    expect(englishAll(applyGateOptions(DEFAULT_GATE, { challenge: 'image' }))).toEqual({ ok: false, error: ['challenge must be question or text'] });
  });
});

describe('removing raiders', () => {
  const mod = { id: ID(9), permissions: String(PermissionFlagsBits.BanMembers) };

  it('needs Ban Members, is decided once, and runs once', () => {
    const r = requestRemoval('abc', 'raid', T0);
    expect(decideRemoval(r, 'approve', { id: ID(8), permissions: String(PermissionFlagsBits.KickMembers) }, T0 + 1)).toMatchObject({
      ok: false,
      error: { code: 'not-allowed', message: 'You need the Ban Members permission to approve this.' },
    });
    const approved = decideRemoval(r, 'approve', mod, T0 + 2);
    expect(approved).toMatchObject({ ok: true, value: { status: 'approved', decidedBy: ID(9) } });
    if (!approved.ok) return;
    expect(decideRemoval(approved.value, 'reject', mod, T0 + 3)).toMatchObject({ ok: false, error: { code: 'already-decided', expired: null } });
    const ran = removalExecuted(approved.value, T0 + 4);
    expect(ran).toMatchObject({ ok: true, value: { executedAt: T0 + 4 } });
    expect(ran.ok && removalExecuted(ran.value, T0 + 5)).toEqual({ ok: false, error: 'Request abc was already carried out.' });
    expect('action' in (ran.ok ? ran.value : {})).toBe(false);
  });

  it('hands back the expired request to keep', () => {
    const r = requestRemoval('abc', 'raid', T0, 5 * 60_000);
    expect(decideRemoval(r, 'approve', mod, T0 + 5 * 60_000)).toMatchObject({
      ok: false,
      error: { code: 'expired', expired: { status: 'expired', id: 'abc' } },
    });
  });

  it('bans at most 200 per call', () => {
    expect(banBatches(Array.from({ length: 450 }, (_, i) => ID(i))).map((b) => b.length)).toEqual([200, 200, 50]);
    expect(banBatches([])).toEqual([]);
  });
});

describe('lockdown settings from the gateway', () => {
  const guild = {
    verification_level: GuildVerificationLevel.Low,
    incidents_data: null,
    channels: [
      { id: ID(1), type: ChannelType.GuildText, rate_limit_per_user: 5 },
      { id: ID(2), type: ChannelType.GuildText },
      { id: ID(3), type: ChannelType.GuildCategory },
    ],
  };

  it('keeps every channel that can have a slowmode, and follows updates and deletions', () => {
    const k = knownFromGuildCreate(guild);
    expect(k).toEqual({
      verificationLevel: GuildVerificationLevel.Low,
      invitesDisabledUntil: null,
      dmsDisabledUntil: null,
      slowmode: { [ID(1)]: 5, [ID(2)]: 0 },
    });
    const until = new Date(T0).toISOString();
    const k2 = withChannel(
      withGuildUpdate(k, { verification_level: GuildVerificationLevel.High, incidents_data: { invites_disabled_until: until, dms_disabled_until: null } }),
      { id: ID(2), type: ChannelType.GuildText, rate_limit_per_user: 30 },
    );
    expect(settingsFor(k2, [ID(1), ID(2), ID(4)])).toEqual({
      verificationLevel: GuildVerificationLevel.High,
      invitesDisabledUntil: until,
      dmsDisabledUntil: null,
      slowmode: { [ID(1)]: 5, [ID(2)]: 30 },
    });
    expect(withChannel(k2, { id: ID(1) }, true).slowmode).toEqual({ [ID(2)]: 30 });
  });

  it('restores the invite pause when Discord writes the time back in another ISO form', () => {
    const current: GuildSettings = { verificationLevel: GuildVerificationLevel.Low, invitesDisabledUntil: null, dmsDisabledUntil: null, slowmode: {} };
    const l = planLockdown(current, DEFAULT_LOCKDOWN, T0, 'raid');
    const sent = l.changes.find((c) => c.kind === 'incident-actions')!;
    const asDiscordWritesIt = sent.kind === 'incident-actions' ? sent.to.invites!.replace('Z', '+00:00') : '';
    const r = planRestore(l, { ...current, verificationLevel: GuildVerificationLevel.High, invitesDisabledUntil: asDiscordWritesIt }, T0 + 60_000);
    expect(r.skipped).toEqual([]);
    expect(r.changes).toContainEqual({ kind: 'incident-actions', from: { invites: asDiscordWritesIt, dms: null }, to: { invites: null, dms: null } });
  });
});

describe('the raid alert', () => {
  it('offers End lockdown while active and the removal while pending, and disables them after', () => {
    const r = newLockdownRecord('k1', T0, DEFAULT_LOCKDOWN, '12 joins in 10 s', { crossedBy: ID(1) }, ID(2));
    r.phase = 'active';
    r.removal = requestRemoval('k1', 'raid', T0);
    const live = raidAlert(ID(3), r, 12);
    const buttons = (m: typeof live) =>
      (m.components ?? []).flatMap((row) => (row as { components: { label: string; disabled: boolean; custom_id: string }[] }).components);
    expect(buttons(live).map((b) => [b.label, b.disabled])).toEqual([
      ['End lockdown', false],
      ['Approve removal', false],
      ['Reject removal', false],
    ]);
    expect(buttons(live)[0]!.custom_id).toBe(`raid:end:${ID(3)}:k1`);
    expect(live.content).toContain('**12** members quarantined');
    r.phase = 'ended';
    r.endedBy = 'timer';
    r.restore = { restored: [], skipped: [], failed: [] };
    r.removal = { ...r.removal, status: 'rejected', decidedBy: ID(4) };
    const over = raidAlert(ID(3), r, 12);
    expect(buttons(over).map((b) => [b.label, b.disabled])).toEqual([
      ['Lockdown over', true],
      ['Approve removal', true],
      ['Reject removal', true],
    ]);
    expect(over.content).toContain('✅ **Lockdown ended** after its set time');
    expect(over.content).toContain(`Removal rejected by <@${ID(4)}>`);
  });
});
