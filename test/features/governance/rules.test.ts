import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  ALL_PERMISSIONS,
  acceptedBits,
  activityOf,
  channelPermissions,
  drift,
  effectivePermissions,
  grantedPermissions,
  parseRecord,
  permissionNames,
  powerFlags,
  reviewDueAt,
  SILENT_AFTER_MS,
} from '../../../src/features/governance/rules.ts';

const GUILD = '100000000000000001';
const OWNER = '100000000000000002';
const guild = {
  id: GUILD,
  ownerId: OWNER,
  roles: [
    { id: GUILD, permissions: String(P.ViewChannel | P.SendMessages) },
    { id: '200000000000000001', permissions: String(P.ManageMessages | P.KickMembers) },
    { id: '200000000000000002', permissions: String(P.Administrator) },
    { id: '200000000000000003', permissions: 'not-a-number' },
  ],
};
const DAY = 86_400_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');

describe('effective guild permissions', () => {
  it('are @everyone’s OR every role of the member', () => {
    const bits = effectivePermissions({ userId: '300000000000000001', roles: ['200000000000000001'] }, guild);
    expect(bits).toBe(P.ViewChannel | P.SendMessages | P.ManageMessages | P.KickMembers);
  });

  it('with no role are @everyone’s; a malformed role grants nothing', () => {
    expect(effectivePermissions({ userId: '300000000000000001', roles: [] }, guild)).toBe(P.ViewChannel | P.SendMessages);
    expect(effectivePermissions({ userId: '300000000000000001', roles: ['200000000000000003'] }, guild)).toBe(P.ViewChannel | P.SendMessages);
  });

  it('Administrator implies every permission', () => {
    const bits = effectivePermissions({ userId: '300000000000000001', roles: ['200000000000000002'] }, guild);
    expect(bits).toBe(ALL_PERMISSIONS);
    expect(bits & P.BanMembers).toBe(P.BanMembers);
  });

  it('the owner has every permission whatever their roles', () => {
    expect(effectivePermissions({ userId: OWNER, roles: [] }, guild)).toBe(ALL_PERMISSIONS);
  });

  it('names each bit once, with current names (no deprecated alias twice)', () => {
    expect(permissionNames(P.KickMembers | P.ManageGuildExpressions)).toEqual(['KickMembers', 'ManageGuildExpressions']);
    expect(new Set(permissionNames(ALL_PERMISSIONS)).size).toBe(permissionNames(ALL_PERMISSIONS).length);
    expect(grantedPermissions(['200000000000000001'], guild)).toBe(P.ViewChannel | P.SendMessages | P.ManageMessages | P.KickMembers);
  });
});

describe('over-powered bots', () => {
  it('Administrator is always flagged, whatever was accepted', () => {
    expect(powerFlags(P.Administrator, acceptedBits(['ManageGuild', 'ManageRoles']))).toEqual({ administrator: true, overpowered: [] });
  });

  it('a powerful permission not accepted for its purpose is flagged by name', () => {
    expect(powerFlags(P.SendMessages | P.BanMembers | P.MentionEveryone, 0n)).toEqual({
      administrator: false,
      overpowered: ['BanMembers', 'MentionEveryone'],
    });
  });

  it('accepted powerful permissions are not flagged; ordinary permissions never are', () => {
    expect(powerFlags(P.BanMembers | P.KickMembers | P.ManageMessages, acceptedBits(['BanMembers', 'KickMembers']))).toEqual({
      administrator: false,
      overpowered: [],
    });
    expect(powerFlags(P.ManageMessages | P.SendMessages | P.EmbedLinks, 0n).overpowered).toEqual([]);
  });

  it('accepting a permission that is not powerful grants nothing', () => {
    expect(acceptedBits(['Administrator', 'SendMessages'])).toBe(0n);
  });
});

describe('silence', () => {
  it('a bot seen within 90 days is active', () => {
    expect(activityOf(NOW - 89 * DAY, NOW - 400 * DAY, NOW)).toEqual({ kind: 'active', lastSeen: NOW - 89 * DAY });
  });

  it('a bot last seen 90 days ago or more is silent', () => {
    expect(activityOf(NOW - SILENT_AFTER_MS, NOW - 400 * DAY, NOW)).toEqual({ kind: 'silent', lastSeen: NOW - SILENT_AFTER_MS });
  });

  it('never seen: silent once 90 days were watched, unknown before', () => {
    expect(activityOf(null, NOW - 91 * DAY, NOW)).toEqual({ kind: 'silent', lastSeen: null });
    expect(activityOf(null, NOW - 10 * DAY, NOW)).toEqual({ kind: 'unknown', watchedSince: NOW - 10 * DAY });
  });
});

describe('Guildkeep’s drift', () => {
  const need = P.ViewChannel | P.SendMessages | P.ManageRoles;

  it('lists missing and excess permissions by name', () => {
    const granted = P.ViewChannel | P.SendMessages | P.BanMembers;
    expect(drift(granted, granted, need)).toEqual({ missing: ['ManageRoles'], excess: ['BanMembers'] });
  });

  it('exactly what is needed: no drift', () => {
    expect(drift(need, need, need)).toEqual({ missing: [], excess: [] });
  });

  it('Administrator misses nothing and is itself the excess', () => {
    expect(drift(P.Administrator, ALL_PERMISSIONS, need)).toEqual({ missing: [], excess: ['Administrator'] });
  });
});

describe('what admins record about a bot', () => {
  const good = {
    bot: '400000000000000001',
    owner: '<@400000000000000002>',
    purpose: 'Tickets',
    failurePlan: 'Staff answer in #help',
    reviewDate: '2027-03-01',
  };

  it('accepts a full record (a mention as owner), with accepted powers sorted and deduplicated', () => {
    const r = parseRecord({ ...good, accepted: ['KickMembers', 'BanMembers', 'KickMembers'] }, NOW);
    expect(r).toEqual({
      ok: true,
      value: {
        botId: '400000000000000001',
        ownerId: '400000000000000002',
        purpose: 'Tickets',
        failurePlan: 'Staff answer in #help',
        reviewDate: '2027-03-01',
        accepted: ['BanMembers', 'KickMembers'],
      },
    });
    expect(parseRecord({ ...good, reviewDate: '' }, NOW)).toMatchObject({ ok: true, value: { reviewDate: null, accepted: [] } });
  });

  it('reports every bad field at once', () => {
    const r = parseRecord({ bot: 'x', owner: 'bob', purpose: 'p'.repeat(201), failurePlan: '  ', reviewDate: '2027-02-30', accepted: 'Administrator' }, NOW);
    expect(r).toEqual({
      ok: false,
      errors: {
        bot: 'bot-format',
        owner: 'owner-format',
        purpose: 'purpose-long',
        failurePlan: 'failure-required',
        reviewDate: 'date-format',
        accepted: 'accepted-unknown',
      },
    });
  });

  it('counts length in characters as a member reads them, and refuses today, the past and beyond two years', () => {
    expect(parseRecord({ ...good, purpose: '🤖'.repeat(200) }, NOW).ok).toBe(true);
    expect(parseRecord({ ...good, owner: '' }, NOW)).toMatchObject({ ok: false, errors: { owner: 'owner-required' } });
    expect(parseRecord({ ...good, failurePlan: 'x'.repeat(1001) }, NOW)).toMatchObject({ ok: false, errors: { failurePlan: 'failure-long' } });
    expect(parseRecord({ ...good, reviewDate: '2026-12-06' }, NOW)).toMatchObject({ ok: false, errors: { reviewDate: 'date-past' } });
    expect(parseRecord({ ...good, reviewDate: '2029-01-01' }, NOW)).toMatchObject({ ok: false, errors: { reviewDate: 'date-far' } });
    expect(parseRecord({ ...good, reviewDate: '2026-12-07' }, NOW).ok).toBe(true);
  });

  it('a review is due at 09:00 UTC on its date', () => {
    expect(reviewDueAt('2027-03-01')).toBe(Date.parse('2027-03-01T09:00:00Z'));
  });
});

describe('drift counts only what Guildkeep’s own roles add', () => {
  it('@everyone’s permissions are never excess', () => {
    const g = {
      id: GUILD,
      roles: [
        { id: GUILD, permissions: String(P.CreateInstantInvite | P.ViewChannel) },
        { id: '5', permissions: String(P.SendMessages) },
      ],
    };
    const own = grantedPermissions(['5'], g, false);
    expect(own).toBe(P.SendMessages);
    expect(drift(own, grantedPermissions(['5'], g), P.ViewChannel | P.SendMessages)).toEqual({ missing: [], excess: [] });
  });
});

describe('channel permissions', () => {
  const member = { userId: '300000000000000001', roles: ['200000000000000001', '200000000000000004'] };
  const base = P.ViewChannel | P.SendMessages | P.EmbedLinks;

  it('apply @everyone’s overwrite, then the roles’ (denies, then allows), then the member’s own', () => {
    const bits = channelPermissions(base, member, GUILD, [
      { id: GUILD, type: 0, allow: '0', deny: String(P.SendMessages | P.EmbedLinks) },
      { id: '200000000000000001', type: 0, allow: String(P.SendMessages), deny: '0' },
      { id: '200000000000000004', type: 0, allow: '0', deny: String(P.SendMessages) },
      { id: '200000000000000009', type: 0, allow: String(P.AttachFiles), deny: '0' },
    ]);
    // One role allows what another denies: the allow wins; a role the member lacks counts for nothing.
    expect(bits).toBe(P.ViewChannel | P.SendMessages);
    const own = channelPermissions(base, member, GUILD, [{ id: member.userId, type: 1, allow: String(P.AttachFiles), deny: String(P.ViewChannel) }]);
    expect(own).toBe(P.SendMessages | P.EmbedLinks | P.AttachFiles);
  });

  it('Administrator passes every overwrite', () => {
    expect(channelPermissions(ALL_PERMISSIONS, member, GUILD, [{ id: GUILD, type: 0, allow: '0', deny: String(P.ViewChannel) }])).toBe(ALL_PERMISSIONS);
  });
});
