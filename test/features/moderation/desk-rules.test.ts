import type { APIInteraction } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { signStaffToken } from '../../../src/features/inbox/token.ts';
import { parseCaseRef, signAppealToken, verifyAppealToken } from '../../../src/features/moderation/appeal-token.ts';
import { dmRoute } from '../../../src/features/moderation/dm-routing.ts';
import { type Appeal, type AppealableCase, checkAppeal, decideAppeal, revertSteps } from '../../../src/features/moderation/rules/appeals.ts';
import { decideActions, type Violation } from '../../../src/features/moderation/rules/automod.ts';
import type { AutomodEffect } from '../../../src/features/moderation/rules/automod-config.ts';
import { planEnforcement } from '../../../src/features/moderation/rules/enforcement.ts';
import { DEFAULT_LADDER, type Escalation, escalationReason } from '../../../src/features/moderation/rules/escalation.ts';
import { describeLadder, ladderErrorText, parseLadderText } from '../../../src/features/moderation/settings.ts';
import { render, renderValue, text } from '../../../src/i18n/text.ts';

/** The ladder's refusal in English (the parser returns message values). */
const ladderError = (input: string) => {
  const r = parseLadderText(input);
  return r.ok ? 'ok' : ladderErrorText('en', r.error);
};

const v = (ruleId: string, effect: AutomodEffect, over: Partial<Violation> = {}): Violation => ({
  ruleId,
  kind: 'words',
  effect,
  deleteMessage: true,
  evidence: text('mod.automod.evidence.word', { word: `${ruleId} seen` }),
  repeat: false,
  ...over,
});
const step = (index: number): Escalation => {
  const s = DEFAULT_LADDER[index]!;
  return { step: s, index, count: s.infractions, reason: escalationReason(s.infractions, s) };
};
/** The plan with its reason in English, as the guild would store it. */
const plan = (vs: Violation[], e: Escalation | null = null) => {
  const p = planEnforcement(vs, decideActions(vs), e, '42');
  return { ...p, reason: renderValue('en', p.reason), evidence: renderValue('en', p.evidence) };
};

describe('enforcement plan', () => {
  it('merges a rule timeout with the ladder into the longer one, and keeps quarantine and the DM', () => {
    expect(plan([v('a', { kind: 'timeout', durationMs: 60_000 })], step(1))).toMatchObject({
      deleteMessage: true,
      notify: true,
      timeoutMs: 3_600_000,
      headline: 'timeout',
      approval: null,
      reason: 'automod rule `a`; escalation: 5 infractions in 1 day → timeout for 1 hour',
    });
    expect(plan([v('a', { kind: 'quarantine', roleId: '9' })])).toMatchObject({ timeoutMs: null, quarantineRoleId: '9', headline: 'quarantine', notify: true });
    expect(plan([v('a', { kind: 'warn' })])).toMatchObject({ headline: 'warn', notify: true });
    expect(plan([v('a', { kind: 'delete' })])).toMatchObject({ headline: 'delete', notify: false, evidence: 'a: blocked word "a seen"' });
  });

  it('kick and ban always wait for approval; ban outranks kick; the ladder kick names its step', () => {
    expect(plan([v('k', { kind: 'kick' }), v('b', { kind: 'ban', deleteMessageSeconds: 60 })]).approval).toEqual({
      action: { kind: 'ban', userId: '42', deleteMessageSeconds: 60 },
      origin: { kind: 'automod', ruleId: 'b' },
    });
    expect(plan([v('w', { kind: 'warn' })], step(2)).approval).toEqual({ action: { kind: 'kick', userId: '42' }, origin: { kind: 'escalation', step: 2 } });
    expect(plan([v('k', { kind: 'kick' }, { deleteMessage: false })])).toMatchObject({
      headline: null,
      deleteMessage: false,
      approval: { origin: { kind: 'automod', ruleId: 'k' } },
    });
  });

  it('a repeat only deletes, and says so', () => {
    expect(plan([v('r', { kind: 'timeout', durationMs: 60_000 }, { repeat: true })])).toMatchObject({
      headline: 'delete',
      timeoutMs: null,
      notify: false,
      reason: 'automod rule `r` (repeat)',
    });
  });
});

const kase = (over: Partial<AppealableCase> = {}): AppealableCase => ({
  id: 4,
  userId: '42',
  action: 'ban',
  infractionIds: [],
  timedOut: false,
  roleId: null,
  result: 'done',
  revertedAt: null,
  ...over,
});
const appeal = (over: Partial<Appeal> = {}): Appeal => ({
  id: 1,
  caseId: 4,
  userId: '42',
  text: 'sorry',
  via: 'dm',
  at: 0,
  status: 'open',
  decidedBy: null,
  decidedAt: null,
  channelId: null,
  messageId: null,
  ...over,
});

describe('appeals', () => {
  it('one appeal per case, only by its member, only for actions that happened', () => {
    expect(checkAppeal(kase(), 4, '42', [], '  please  ')).toEqual({ ok: true, value: 'please' });
    expect(checkAppeal(kase(), 4, '43', [], 'x')).toMatchObject({
      ok: false,
      error: { code: 'no-case', message: 'There is no case #4 about you in that server.' },
    });
    expect(checkAppeal(null, 4, '42', [], 'x')).toMatchObject({ error: { code: 'no-case' } });
    expect(checkAppeal(kase({ action: 'unban' }), 4, '42', [], 'x')).toMatchObject({ error: { message: 'Case #4 cannot be appealed.' } });
    expect(checkAppeal(kase({ result: 'failed' }), 4, '42', [], 'x')).toMatchObject({ error: { code: 'not-appealable' } });
    expect(checkAppeal(kase(), 4, '42', [appeal()], 'x')).toMatchObject({ error: { code: 'open' } });
    expect(checkAppeal(kase(), 4, '42', [appeal({ status: 'rejected', decidedAt: 5000 })], 'x')).toMatchObject({
      error: { message: 'Your appeal of case #4 was already rejected <t:5:R>; a case can be appealed once.' },
    });
    expect(checkAppeal(kase(), 4, '42', [], ' ')).toMatchObject({ error: { code: 'empty' } });
  });

  it('decided once, by someone with the permission the action needed', () => {
    expect(decideAppeal(appeal(), 'ban', 'accept', { id: '7', permissions: String(1n << 40n) }, 1000)).toMatchObject({
      ok: false,
      error: { message: 'You need the Ban Members permission to accept this appeal.' },
    });
    const ok = decideAppeal(appeal(), 'ban', 'accept', { id: '7', permissions: String(1n << 2n) }, 1000);
    expect(ok).toMatchObject({ ok: true, value: { status: 'accepted', decidedBy: '7', decidedAt: 1000 } });
    expect(decideAppeal((ok as { value: Appeal }).value, 'ban', 'reject', { id: '8', permissions: '8' }, 2000)).toMatchObject({
      error: { message: 'This appeal was already accepted by <@7> <t:1:R>.' },
    });
  });

  it('reverts what the case did', () => {
    expect(revertSteps(kase({ infractionIds: ['3'] }))).toEqual([
      { kind: 'unban', userId: '42' },
      { kind: 'pardon', userId: '42', infractionId: '3' },
    ]);
    expect(revertSteps(kase({ action: 'timeout', timedOut: true, roleId: '9' }))).toEqual([
      { kind: 'untimeout', userId: '42' },
      { kind: 'remove-role', userId: '42', roleId: '9' },
    ]);
    expect(revertSteps(kase({ action: 'kick' }))).toEqual([]);
  });
});

describe('ladder text', () => {
  it('parses default, off, compact steps and JSON; refuses bans and bad steps with the reason', () => {
    expect(parseLadderText('default')).toEqual({ ok: true, value: DEFAULT_LADDER });
    expect(parseLadderText('off')).toEqual({ ok: true, value: [] });
    const compact = parseLadderText('2/1h:timeout 5m, 4/1d:kick');
    expect(compact.ok && render('en', describeLadder(compact.value))).toBe('2 in 1 hour → timeout for 5 minutes, 4 in 1 day → kick');
    expect(parseLadderText('[{"infractions":3,"withinMs":3600000,"action":{"kind":"kick"}}]')).toMatchObject({ ok: true, value: [{ infractions: 3 }] });
    expect(ladderError('3/1h:ban')).toBe('ladder[0].action: ban is never automatic; use kick as the last step');
    expect(ladderError('3 warnings')).toBe('"3 warnings" is not a step; write steps like 3/24h:timeout 10m, 7/24h:kick.');
    expect(ladderError('3/1h:kick, 2/1h:kick')).toBe('ladder[1].infractions: steps must have increasing counts');
  });
});

describe('appeal links', () => {
  const secret = 'appeal-secret';
  const G = '123456789012345678';

  it('bind guild, case and member until they expire; staff tokens do not pass', async () => {
    const t = await signAppealToken(secret, { guildId: G, caseId: 4, userId: '42', exp: 2000 });
    expect(await verifyAppealToken(secret, t, G, 4, 1000)).toEqual({ ok: true, value: { guildId: G, caseId: 4, userId: '42', exp: 2000 } });
    expect(await verifyAppealToken(secret, t, G, 5, 1000)).toEqual({ ok: false, error: 'wrong-case' });
    expect(await verifyAppealToken(secret, t, G, 4, 2000)).toEqual({ ok: false, error: 'expired' });
    expect(await verifyAppealToken('other', t, G, 4, 1000)).toEqual({ ok: false, error: 'bad-signature' });
    const staff = await signStaffToken(secret, { guildId: G, userId: '42', exp: 2000 });
    expect((await verifyAppealToken(secret, staff, G, 4, 1000)).ok).toBe(false);
  });

  it('case references and DM routing', () => {
    expect(parseCaseRef(`${G}-4`, null)).toEqual({ guildId: G, caseId: 4 });
    expect(parseCaseRef('#4', G)).toEqual({ guildId: G, caseId: 4 });
    expect(parseCaseRef('#4', null)).toBeNull();
    const cmd = (value: string) => ({ type: 2, data: { name: 'appeal', options: [{ name: 'case', type: 3, value }] } }) as unknown as APIInteraction;
    expect(dmRoute(cmd(`${G}-4`))).toEqual({ guildId: G });
    expect(dmRoute(cmd('4'))).toMatchObject({ reply: expect.stringContaining('Give the case exactly') });
    expect(dmRoute({ type: 3, data: { custom_id: `mod:appeal:${G}:4` } } as unknown as APIInteraction)).toEqual({ guildId: G });
    expect(dmRoute({ type: 3, data: { custom_id: `mod:approve:${G}:4` } } as unknown as APIInteraction)).toBeNull();
    expect(dmRoute({ type: 2, data: { name: 'ticket' } } as unknown as APIInteraction)).toBeNull();
  });
});
