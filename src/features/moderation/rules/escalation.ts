import { type Text, text } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';
import type { ConfigIssue } from './automod-config.ts';
import { durationText, MAX_TIMEOUT_MS } from './duration.ts';
import { activeCount, type InfractionRecord } from './infractions.ts';

/**
 * The escalation ladder: after each new infraction, the step whose count the
 * member has just reached is applied. Ban is never a step; a kick still goes
 * through the approval queue because automation asked for it.
 */

export type LadderAction = { kind: 'timeout'; durationMs: number } | { kind: 'kick' };

export interface LadderStep {
  /** Active (unpardoned) infractions within `withinMs` that trigger the step. */
  infractions: number;
  withinMs: number;
  action: LadderAction;
}

export type Ladder = readonly LadderStep[];

const HOUR = 3_600_000;

/** 3 in 24 h → 10-minute timeout, 5 → 1-hour timeout, 7 → kick. */
export const DEFAULT_LADDER: Ladder = [
  { infractions: 3, withinMs: 24 * HOUR, action: { kind: 'timeout', durationMs: 10 * 60_000 } },
  { infractions: 5, withinMs: 24 * HOUR, action: { kind: 'timeout', durationMs: HOUR } },
  { infractions: 7, withinMs: 24 * HOUR, action: { kind: 'kick' } },
];

const MAX_STEPS = 10;
const MAX_WINDOW_MS = 90 * 24 * HOUR;

/** Validates a per-guild ladder: ascending counts, timeouts within 28 days, no ban. */
export function parseLadder(input: unknown): Result<Ladder, ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  if (!Array.isArray(input)) return err([{ path: 'ladder', problem: text('rule.ladder.list') }]);
  if (input.length > MAX_STEPS) issues.push({ path: 'ladder', problem: text('rule.ladder.max-steps', { max: MAX_STEPS }) });
  const steps: LadderStep[] = [];
  const at: number[] = [];
  input.slice(0, MAX_STEPS).forEach((s: unknown, i) => {
    const path = `ladder[${i}]`;
    if (typeof s !== 'object' || s === null) {
      issues.push({ path, problem: text('rule.object') });
      return;
    }
    const o = s as Record<string, unknown>;
    const count = o.infractions;
    const within = o.withinMs;
    const action = o.action as Record<string, unknown> | undefined;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100)
      issues.push({ path: `${path}.infractions`, problem: text('rule.int-range', { min: 1, max: 100 }) });
    if (typeof within !== 'number' || !Number.isInteger(within) || within < 60_000 || within > MAX_WINDOW_MS)
      issues.push({ path: `${path}.withinMs`, problem: text('rule.ladder.window') });
    let parsed: LadderAction | null = null;
    if (action?.kind === 'ban') issues.push({ path: `${path}.action`, problem: text('rule.ladder.no-ban') });
    else if (action?.kind === 'kick') parsed = { kind: 'kick' };
    else if (action?.kind === 'timeout') {
      const d = action.durationMs;
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 1000 || d > MAX_TIMEOUT_MS)
        issues.push({ path: `${path}.action.durationMs`, problem: text('rule.ladder.timeout-range') });
      else parsed = { kind: 'timeout', durationMs: d };
    } else issues.push({ path: `${path}.action`, problem: text('rule.ladder.action') });
    if (parsed && typeof count === 'number' && typeof within === 'number') {
      steps.push({ infractions: count, withinMs: within, action: parsed });
      at.push(i);
    }
  });
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]!.infractions <= steps[i - 1]!.infractions) issues.push({ path: `ladder[${at[i]}].infractions`, problem: text('rule.ladder.increasing') });
  }
  return issues.length > 0 ? err(issues) : ok(steps);
}

export interface Escalation {
  step: LadderStep;
  /** Index of the step in the ladder. */
  index: number;
  /** Active infractions counted for the step. */
  count: number;
  /**
   * "3 infractions in 1 day → timeout for 10 minutes" as a message value:
   * rendered in the guild's language where it is stored (case reasons), in
   * the moderator's in a reply.
   */
  reason: Text;
}

/** What a ladder step does ("timeout for 10 minutes", "kick"), as a message value. */
export function describeAction(a: LadderAction): Text {
  return text('rule.ladder.step-action', { kind: a.kind, duration: a.kind === 'timeout' ? durationText(a.durationMs) : '' });
}

/** Why the ladder acted: `count` infractions within the step's window, and what the step does. */
export const escalationReason = (count: number, step: LadderStep): Text =>
  text('rule.ladder.reason', { count, window: durationText(step.withinMs), action: describeAction(step.action) });

/**
 * The step to apply after the newest infraction, or null. A step applies
 * when its count is reached exactly (so the 4th warning after a 3-warning
 * timeout does nothing); beyond the last step, every further infraction
 * repeats the last step. Pardoned infractions do not count.
 */
export function nextStep(record: InfractionRecord, ladder: Ladder, now: number): Escalation | null {
  for (let i = ladder.length - 1; i >= 0; i--) {
    const step = ladder[i]!;
    const count = activeCount(record, now, step.withinMs);
    const last = i === ladder.length - 1;
    if (count === step.infractions || (last && count > step.infractions)) {
      return { step, index: i, count, reason: escalationReason(count, step) };
    }
  }
  return null;
}
