import { type Text, text, textList } from '../../i18n/text.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { DEFAULT_APPROVAL_TTL_MS } from './rules/approvals.ts';
import { type ConfigIssue, issueText } from './rules/automod-config.ts';
import { durationText, parseDuration } from './rules/duration.ts';
import { DEFAULT_LADDER, describeAction, type Ladder, parseLadder } from './rules/escalation.ts';

/** Per-guild moderation settings, changed with /modconfig. */
export interface ModSettings {
  /** Every moderation action is posted here. */
  modLogChannelId: string | null;
  /** Kick, ban and classifier reviews wait here for Approve / Reject. */
  queueChannelId: string | null;
  /** Appeals go to this separate staff channel. */
  appealsChannelId: string | null;
  approvalTtlMs: number;
  ladder: Ladder;
  /** Whether messages are also sent to the AI classifier. */
  ai: boolean;
}

export const DEFAULT_SETTINGS: ModSettings = {
  modLogChannelId: null,
  queueChannelId: null,
  appealsChannelId: null,
  approvalTtlMs: DEFAULT_APPROVAL_TTL_MS,
  ladder: DEFAULT_LADDER,
  ai: false,
};

/** The ladder's problems in `locale`, one line. */
export const ladderErrorText = (locale: string | null | undefined, issues: readonly ConfigIssue[]): string =>
  issues.map((i) => issueText(locale, i)).join('; ');

/**
 * The ladder as an administrator types it: `default`, `off`, a JSON list of
 * steps, or steps like `3/24h:timeout 10m, 5/24h:timeout 1h, 7/24h:kick`
 * (infractions / window : action).
 */
export function parseLadderText(input: string): Result<Ladder, ConfigIssue[]> {
  const t = input.trim();
  if (/^default$/i.test(t)) return ok(DEFAULT_LADDER);
  if (/^(off|none)$/i.test(t)) return ok([]);
  let raw: unknown;
  if (t.startsWith('[')) {
    try {
      raw = JSON.parse(t);
    } catch {
      return err([{ path: '', problem: text('rule.ladder.not-json') }]);
    }
  } else {
    const steps: unknown[] = [];
    for (const part of t
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^(\d{1,3})\s*\/\s*([0-9smhdw]+)\s*:\s*(kick|ban|timeout\s+([0-9smhdw]+))$/i.exec(part);
      if (!m) return err([{ path: '', problem: text('rule.ladder.bad-step', { step: part }) }]);
      const within = parseDuration(m[2]!);
      if (!within.ok) return err([{ path: '', problem: within.error }]);
      let action: unknown = { kind: m[3]!.toLowerCase() };
      if (m[4]) {
        const d = parseDuration(m[4]);
        if (!d.ok) return err([{ path: '', problem: d.error }]);
        action = { kind: 'timeout', durationMs: d.value };
      }
      steps.push({ infractions: Number(m[1]), withinMs: within.value, action });
    }
    raw = steps;
  }
  const parsed = parseLadder(raw);
  return parsed;
}

/** The ladder in words ("3 in 1 day → timeout for 10 minutes, …"), as a message value. */
export function describeLadder(l: Ladder): Text {
  if (l.length === 0) return text('mod.config.ladder-off');
  const steps = l.map((s) => text('rule.ladder.step', { count: s.infractions, window: durationText(s.withinMs), action: describeAction(s.action) }));
  // At least one step, so the list is a message, not the empty string.
  return textList(steps) as Text;
}

/** The settings as `/modconfig` shows them, as a message value (the reply renders it in the administrator's language). */
export function describeSettings(s: ModSettings): Text {
  const ch = (id: string | null) => (id ? `<#${id}>` : text('mod.config.not-set'));
  return text('mod.config.settings', {
    modLog: ch(s.modLogChannelId),
    queue: ch(s.queueChannelId),
    appeals: ch(s.appealsChannelId),
    ttl: durationText(s.approvalTtlMs),
    ladder: describeLadder(s.ladder),
    ai: s.ai ? 'on' : 'off',
  });
}
