import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { checkStaffAction, checkTimeoutDuration, parseDuration, type StaffCheck } from '../../../../src/discord/hierarchy.ts';
import { DAY_MS, snowflakeAt } from '../../../../src/discord/snowflake.ts';
import {
  createApproval,
  decideApproval,
  expireDue,
  markExecuted,
  needsApproval,
  nextExpiry,
  type PendingApproval,
} from '../../../../src/features/moderation/rules/approvals.ts';
import { DEFAULT_LADDER, nextStep, parseLadder } from '../../../../src/features/moderation/rules/escalation.ts';
import {
  activeCount,
  addInfraction,
  emptyRecord,
  type Infraction,
  type InfractionRecord,
  pardon,
} from '../../../../src/features/moderation/rules/infractions.ts';
import { checkPurgeCount, planPurge, purgeSummary } from '../../../../src/features/moderation/rules/purge.ts';
import { render } from '../../../../src/i18n/text.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 2, 1);

const warning = (id: number, at: number): Infraction => ({
  id: String(id),
  userId: 'u1',
  at,
  source: 'warn',
  ruleId: null,
  reason: 'r',
  moderatorId: 'mod',
  pardon: null,
});

function warn(record: InfractionRecord, n: number, start: number, gap = 60_000): InfractionRecord {
  let r = record;
  for (let i = 0; i < n; i++) r = addInfraction(r, warning(r.items.length + 1, start + i * gap));
  return r;
}

describe('escalation ladder', () => {
  it('applies 10-minute timeout at 3, 1-hour timeout at 5, kick at 7, nothing in between', () => {
    const steps: (string | null)[] = [];
    let r = emptyRecord('u1');
    for (let i = 1; i <= 8; i++) {
      r = warn(r, 1, T0 + i * 60_000);
      const s = nextStep(r, DEFAULT_LADDER, T0 + i * 60_000);
      steps.push(s ? (s.step.action.kind === 'kick' ? 'kick' : `timeout ${s.step.action.durationMs / 60_000}m`) : null);
    }
    expect(steps).toEqual([null, null, 'timeout 10m', null, 'timeout 60m', null, 'kick', 'kick']);
    const reached = nextStep(warn(emptyRecord('u1'), 3, T0), DEFAULT_LADDER, T0 + 5 * 60_000);
    expect(reached && render('en', reached.reason)).toBe('3 infractions in 1 day → timeout for 10 minutes');
    expect(reached && render('de', reached.reason)).toBe('3 Verstöße in 1 Tag → Timeout für 10 Minuten');
  });

  it('only counts infractions within 24 hours, and never pardoned ones', () => {
    const old = warn(emptyRecord('u1'), 2, T0);
    const now = T0 + 25 * HOUR;
    const r = warn(old, 1, now);
    expect(activeCount(r, now, 24 * HOUR)).toBe(1);
    expect(nextStep(r, DEFAULT_LADDER, now)).toBeNull();

    const three = warn(emptyRecord('u1'), 3, T0);
    const pardoned = pardon(three, '2', 'mod2', T0 + 1000, 'mistake');
    if (!pardoned.ok) throw new Error(pardoned.error.message);
    expect(nextStep(pardoned.value, DEFAULT_LADDER, T0 + 5 * 60_000)).toBeNull();
    expect(pardon(pardoned.value, '2', 'mod3', T0 + 2000)).toMatchObject({ ok: false, error: { code: 'already-pardoned', by: 'mod2' } });
    expect(pardon(pardoned.value, '99', 'mod3', T0 + 2000)).toMatchObject({ ok: false, error: { code: 'not-found', message: '<@u1> has no infraction #99.' } });
  });

  it('keeps at most 100 infractions per member', () => {
    expect(warn(emptyRecord('u1'), 130, T0).items).toHaveLength(100);
  });

  it('validates a guild ladder: no ban, increasing counts, timeouts within 28 days', () => {
    expect(parseLadder(DEFAULT_LADDER)).toMatchObject({ ok: true });
    const r = parseLadder([
      { infractions: 3, withinMs: 24 * HOUR, action: { kind: 'ban' } },
      { infractions: 2, withinMs: 24 * HOUR, action: { kind: 'timeout', durationMs: 29 * DAY_MS } },
      { infractions: 1, withinMs: 24 * HOUR, action: { kind: 'kick' } },
      { infractions: 0, withinMs: 24 * HOUR, action: { kind: 'kick' } },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const messages = r.error.map((i) => `${i.path}: ${render('en', i.problem)}`);
    expect(messages).toContain('ladder[0].action: ban is never automatic; use kick as the last step');
    expect(messages).toContain('ladder[1].action.durationMs: a timeout lasts from 1 second to 28 days');
    expect(messages).toContain('ladder[3].infractions: must be a whole number from 1 to 100');
  });
});

describe('staff permission and hierarchy checks', () => {
  const all = (
    PermissionFlagsBits.BanMembers |
    PermissionFlagsBits.KickMembers |
    PermissionFlagsBits.ModerateMembers |
    PermissionFlagsBits.ManageMessages
  ).toString();
  const base: StaffCheck = {
    action: 'ban',
    invoker: { id: 'mod', permissions: all, highestRolePosition: 5 },
    bot: { id: 'bot', permissions: all, highestRolePosition: 10 },
    ownerId: 'owner',
    target: { id: 'member', isMember: true, highestRolePosition: 2 },
  };
  const refusal = (c: Partial<StaffCheck>) => {
    const r = checkStaffAction({ ...base, ...c });
    return r.ok ? 'ok' : r.error.message;
  };

  it('allows a moderator above the target with the bot above both', () => {
    expect(refusal({})).toBe('ok');
    expect(refusal({ action: 'purge', target: undefined })).toBe('ok');
  });

  it('says exactly why an action is refused', () => {
    expect(refusal({ invoker: { ...base.invoker, permissions: PermissionFlagsBits.KickMembers.toString() } })).toBe(
      'You need the Ban Members permission to ban members.',
    );
    expect(refusal({ action: 'timeout', invoker: { ...base.invoker, permissions: '0' } })).toBe('You need the Timeout Members permission to time out members.');
    expect(refusal({ bot: { ...base.bot, permissions: '0' } })).toBe(
      'I need the Ban Members permission to ban members; ask an administrator to grant it to my role.',
    );
    expect(refusal({ target: { id: 'mod', isMember: true, highestRolePosition: 5 } })).toBe('You cannot ban yourself.');
    expect(refusal({ target: { id: 'bot', isMember: true, highestRolePosition: 10 } })).toBe('I cannot ban myself.');
    expect(refusal({ target: { id: 'owner', isMember: true, highestRolePosition: 0 } })).toBe('You cannot ban the server owner.');
    expect(refusal({ target: { id: 'peer', isMember: true, highestRolePosition: 5 } })).toBe("<@peer>'s highest role is above or equal to yours.");
    expect(refusal({ invoker: { ...base.invoker, highestRolePosition: 20 }, target: { id: 'high', isMember: true, highestRolePosition: 12 } })).toBe(
      "My highest role is below or equal to <@high>'s highest role; move my role above it.",
    );
    expect(refusal({ action: 'kick', target: { id: 'gone', isMember: false, highestRolePosition: 0 } })).toBe('<@gone> is not a member of this server.');
    expect(
      refusal({
        action: 'timeout',
        target: { id: 'admin', isMember: true, highestRolePosition: 1, permissions: PermissionFlagsBits.Administrator.toString() },
      }),
    ).toBe('<@admin> is an administrator, and Discord does not allow timing out administrators.');
  });

  it('lets the owner and administrators act, bans non-members by id, and unbans without hierarchy', () => {
    expect(refusal({ invoker: { id: 'owner', permissions: '0', highestRolePosition: 0 }, target: { id: 'x', isMember: true, highestRolePosition: 9 } })).toBe(
      'ok',
    );
    expect(refusal({ invoker: { ...base.invoker, permissions: PermissionFlagsBits.Administrator.toString() } })).toBe('ok');
    expect(refusal({ target: { id: 'gone', isMember: false, highestRolePosition: 0 } })).toBe('ok');
    expect(refusal({ action: 'unban', target: { id: 'gone', isMember: false, highestRolePosition: 0 } })).toBe('ok');
  });

  it('parses durations and caps timeouts at 28 days', () => {
    expect(parseDuration('1h30m')).toEqual({ ok: true, value: 90 * 60_000 });
    expect(parseDuration('2 d')).toEqual({ ok: true, value: 2 * DAY_MS });
    expect(parseDuration('soon')).toMatchObject({ ok: false });
    expect(checkTimeoutDuration(28 * DAY_MS)).toMatchObject({ ok: true });
    const long = checkTimeoutDuration(29 * DAY_MS);
    expect(!long.ok && render('en', long.error)).toBe('A timeout can last at most 28 days (asked: 29 days).');
  });
});

describe('purge', () => {
  it('accepts 1–100 and asks for confirmation above 20', () => {
    expect(checkPurgeCount(0, false)).toMatchObject({ ok: false, error: { code: 'out-of-range' } });
    expect(checkPurgeCount(101, true)).toMatchObject({ ok: false, error: { code: 'out-of-range' } });
    expect(checkPurgeCount(20, false)).toEqual({ ok: true, value: 20 });
    expect(checkPurgeCount(21, false)).toMatchObject({ ok: false, error: { code: 'needs-confirmation', count: 21 } });
    expect(checkPurgeCount(21, true)).toEqual({ ok: true, value: 21 });
  });

  it('bulk-deletes recent messages, deletes a lone one singly and leaves those older than 14 days', () => {
    const now = T0 + 30 * DAY_MS;
    const recent = Array.from({ length: 3 }, (_, i) => snowflakeAt(now - i * HOUR, i));
    const old = [snowflakeAt(now - 15 * DAY_MS)];
    const plan = planPurge([...recent, ...old], now);
    expect(plan).toEqual({ bulk: [recent], single: [], tooOld: old });
    expect(planPurge([recent[0]!], now)).toEqual({ bulk: [], single: [recent[0]], tooOld: [] });
    expect(render('en', purgeSummary(3, plan))).toBe('Deleted 3 messages. 1 older than 14 days were left, because Discord cannot bulk-delete them.');
    expect(render('en', purgeSummary(1, { ...plan, tooOld: [] }))).toBe('Deleted 1 message.');
  });
});

describe('approvals', () => {
  const mod = { id: 'mod', permissions: PermissionFlagsBits.BanMembers.toString() };
  const pending = (): PendingApproval =>
    createApproval(
      'a1',
      { kind: 'ban', userId: 'u1', deleteMessageSeconds: 0 },
      { kind: 'classifier', provider: 'local', labels: ['scam'], score: 0.9 },
      'scam link',
      T0,
      HOUR,
    );

  it("holds automation's kick, ban and purge for approval, not a moderator's own", () => {
    expect(needsApproval({ kind: 'ban', userId: 'u', deleteMessageSeconds: 0 }, 'automation')).toBe(true);
    expect(needsApproval({ kind: 'kick', userId: 'u' }, 'automation')).toBe(true);
    expect(needsApproval({ kind: 'purge', channelId: 'c', messageIds: ['1', '2'] }, 'automation')).toBe(true);
    expect(needsApproval({ kind: 'timeout', userId: 'u', durationMs: 1000 }, 'automation')).toBe(false);
    expect(needsApproval({ kind: 'ban', userId: 'u', deleteMessageSeconds: 0 }, 'moderator')).toBe(false);
  });

  it('decides once: the second decision is refused with who decided', () => {
    const approved = decideApproval(pending(), 'approve', mod, T0 + 1000);
    if (!approved.ok) throw new Error(approved.error.message);
    expect(approved.value).toMatchObject({ status: 'approved', decidedBy: 'mod', decidedAt: T0 + 1000 });
    const again = decideApproval(approved.value, 'reject', { id: 'other', permissions: mod.permissions }, T0 + 2000);
    expect(again).toMatchObject({ ok: false, error: { code: 'already-decided', decidedBy: 'mod', status: 'approved' } });
    if (!again.ok) expect(again.error.message).toBe(`This request was already approved by <@mod> <t:${Math.floor((T0 + 1000) / 1000)}:R>.`);
  });

  it('executes an approved action exactly once, and never a rejected one', () => {
    const approved = decideApproval(pending(), 'approve', mod, T0 + 1000);
    if (!approved.ok) throw new Error('approve');
    const done = markExecuted(approved.value, T0 + 1500);
    expect(done).toMatchObject({ ok: true, value: { executedAt: T0 + 1500 } });
    if (done.ok) expect(markExecuted(done.value, T0 + 1600)).toEqual({ ok: false, error: 'Request a1 was already carried out.' });
    const rejected = decideApproval(pending(), 'reject', mod, T0 + 1000);
    if (!rejected.ok) throw new Error('reject');
    expect(markExecuted(rejected.value, T0 + 1100)).toEqual({ ok: false, error: 'Request a1 is rejected, not approved.' });
  });

  it('refuses a moderator without the permission the action needs', () => {
    expect(decideApproval(pending(), 'approve', { id: 'helper', permissions: PermissionFlagsBits.KickMembers.toString() }, T0 + 1)).toMatchObject({
      ok: false,
      error: { code: 'not-allowed', message: 'You need the Ban Members permission to approve this.' },
    });
  });

  it('expires pending approvals after their time and refuses late decisions', () => {
    const a = pending();
    expect(nextExpiry([a])).toBe(T0 + HOUR);
    expect(expireDue([a], T0 + HOUR - 1)).toEqual([]);
    expect(expireDue([a], T0 + HOUR)).toMatchObject([{ id: 'a1', status: 'expired' }]);
    const late = decideApproval(a, 'approve', mod, T0 + HOUR);
    expect(late).toMatchObject({ ok: false, error: { code: 'expired', approval: { status: 'expired' } } });
    expect(nextExpiry([{ ...a, status: 'expired' }])).toBeNull();
  });
});
