import { parseDuration } from '../../discord/hierarchy.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { DEFAULT_APPROVAL_TTL_MS } from './rules/approvals.ts';
import { type ConfigIssue, formatDuration } from './rules/automod-config.ts';
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

const issuesText = (issues: readonly ConfigIssue[]) => issues.map((i) => `${i.path}: ${i.message}`).join('; ');

/**
 * The ladder as an administrator types it: `default`, `off`, a JSON list of
 * steps, or steps like `3/24h:timeout 10m, 5/24h:timeout 1h, 7/24h:kick`
 * (infractions / window : action).
 */
export function parseLadderText(text: string): Result<Ladder, string> {
  const t = text.trim();
  if (/^default$/i.test(t)) return ok(DEFAULT_LADDER);
  if (/^(off|none)$/i.test(t)) return ok([]);
  let raw: unknown;
  if (t.startsWith('[')) {
    try {
      raw = JSON.parse(t);
    } catch {
      return err('The ladder is not valid JSON.');
    }
  } else {
    const steps: unknown[] = [];
    for (const part of t
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^(\d{1,3})\s*\/\s*([0-9smhdw]+)\s*:\s*(kick|ban|timeout\s+([0-9smhdw]+))$/i.exec(part);
      if (!m) return err(`"${part}" is not a step; write steps like 3/24h:timeout 10m, 7/24h:kick.`);
      const within = parseDuration(m[2]!);
      if (!within.ok) return err(within.error);
      let action: unknown = { kind: m[3]!.toLowerCase() };
      if (m[4]) {
        const d = parseDuration(m[4]);
        if (!d.ok) return err(d.error);
        action = { kind: 'timeout', durationMs: d.value };
      }
      steps.push({ infractions: Number(m[1]), withinMs: within.value, action });
    }
    raw = steps;
  }
  const parsed = parseLadder(raw);
  return parsed.ok ? ok(parsed.value) : err(issuesText(parsed.error));
}

export function describeLadder(l: Ladder): string {
  if (l.length === 0) return 'off (infractions are recorded, nothing escalates)';
  return l.map((s) => `${s.infractions} in ${formatDuration(s.withinMs)} → ${describeAction(s.action)}`).join(', ');
}

export function describeSettings(s: ModSettings): string {
  const ch = (id: string | null) => (id ? `<#${id}>` : 'not set');
  return [
    `Mod log: ${ch(s.modLogChannelId)}`,
    `Mod queue: ${ch(s.queueChannelId)}`,
    `Appeals: ${ch(s.appealsChannelId)}`,
    `Pending approvals expire after ${formatDuration(s.approvalTtlMs)}`,
    `Ladder: ${describeLadder(s.ladder)}`,
    `AI classifier: ${s.ai ? 'on' : 'off'}`,
  ].join('\n');
}
