import { type Text, type TextValue, text, textList } from '../../../i18n/text.ts';
import type { CaseAction } from './appeals.ts';
import type { ApprovalOrigin, ModAction } from './approvals.ts';
import type { AutomodDecision, Violation } from './automod.ts';
import type { Escalation } from './escalation.ts';

/**
 * What the guild does about one automod decision and the escalation step it
 * reached: the steps run at once, in a fixed order (delete the message, tell
 * the member, time out, add the quarantine role), and the kick or ban that
 * waits for a moderator. Timeouts from the rule and from the ladder merge
 * into the longer one; ban outranks kick; automation never bans or kicks
 * directly.
 */

export interface EnforcementPlan {
  /** Delete the offending message first. */
  deleteMessage: boolean;
  /** DM the member (or post a channel notice) about what happened. */
  notify: boolean;
  timeoutMs: number | null;
  quarantineRoleId: string | null;
  /** A kick or ban for the mod queue, with what asked for it. */
  approval: { action: Extract<ModAction, { kind: 'kick' | 'ban' }>; origin: ApprovalOrigin } | null;
  /** What the case that records the immediate steps is called; null when nothing runs at once. */
  headline: CaseAction | null;
  /** Why, in one line: the rules that fired and the ladder step (rendered in the guild's language when stored). */
  reason: TextValue;
  /** What was seen, one line per violation (rendered in the guild's language when stored). */
  evidence: TextValue;
}

/**
 * `violations` are the message's (repeats included, for the evidence);
 * `decision` is decideActions' fold of them; `escalation` the ladder step
 * the new infractions reached. A manual /warn passes no violations.
 */
export function planEnforcement(
  violations: readonly Violation[],
  decision: AutomodDecision | null,
  escalation: Escalation | null,
  userId: string,
): EnforcementPlan {
  const effect = decision?.effect ?? null;
  let timeoutMs: number | null = effect?.kind === 'timeout' ? effect.durationMs : null;
  let approval: EnforcementPlan['approval'] = null;
  if (effect?.kind === 'ban')
    approval = {
      action: { kind: 'ban', userId, deleteMessageSeconds: effect.deleteMessageSeconds },
      origin: { kind: 'automod', ruleId: ruleOf(decision!, 'ban') },
    };
  else if (effect?.kind === 'kick') approval = { action: { kind: 'kick', userId }, origin: { kind: 'automod', ruleId: ruleOf(decision!, 'kick') } };
  if (escalation) {
    const a = escalation.step.action;
    if (a.kind === 'timeout') timeoutMs = Math.max(timeoutMs ?? 0, a.durationMs);
    else if (!approval) approval = { action: { kind: 'kick', userId }, origin: { kind: 'escalation', step: escalation.index } };
  }
  const quarantineRoleId = effect?.kind === 'quarantine' ? effect.roleId : null;
  const deleteMessage = decision?.deleteMessage ?? false;
  const warned = effect?.kind === 'warn';
  const headline: CaseAction | null = timeoutMs !== null ? 'timeout' : quarantineRoleId ? 'quarantine' : warned ? 'warn' : deleteMessage ? 'delete' : null;
  const counted = decision?.infractions.length ? decision.infractions : violations;
  const seen = new Set<string>();
  const reasons: Text[] = [];
  for (const v of counted) {
    const key = `${v.ruleId}\u0000${v.repeat}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reasons.push(text('mod.reason.automod-rule', { rule: v.ruleId, repeat: v.repeat ? 'yes' : 'no' }));
  }
  if (escalation) reasons.push(escalationText(escalation));
  return {
    deleteMessage,
    notify: headline === 'timeout' || headline === 'quarantine' || headline === 'warn',
    timeoutMs,
    quarantineRoleId,
    approval,
    headline,
    reason: textList(reasons, 'semicolon'),
    evidence: textList(
      violations.map((v) => text('mod.automod.evidence.line', { rule: v.ruleId, evidence: v.evidence })),
      'line',
    ),
  };
}

function ruleOf(d: AutomodDecision, kind: 'kick' | 'ban'): string {
  return d.infractions.find((v) => v.effect.kind === kind)?.ruleId ?? d.infractions[0]?.ruleId ?? '';
}

/** "escalation: 3 infractions in 1 day → …", the ladder's part of a case or approval reason. */
export const escalationText = (e: Escalation): Text => text('mod.reason.escalation', { reason: e.reason });
