import { render } from '../../i18n/text.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { checkApprovalTtl } from '../moderation/rules/approvals.ts';
import { parseLadder } from '../moderation/rules/escalation.ts';
import { ladderErrorText, type ModSettings, parseLadderText } from '../moderation/settings.ts';
import type { TicketConfig } from '../tickets/guild-index.ts';
import { MAX_OPEN_PER_TYPE } from '../tickets/rules.ts';

/**
 * The configuration the REST API reads and changes, by section, and the
 * checks a change passes: the same rules /setup tickets and /modconfig apply
 * (the open-ticket bounds, the approval expiry's range, the escalation ladder's
 * parser). A change names the version it was made against.
 */
export type ConfigSection = 'tickets' | 'moderation';
export const CONFIG_SECTIONS: readonly ConfigSection[] = ['tickets', 'moderation'];

export type TicketConfigPatch = Partial<Omit<TicketConfig, 'surveyQuestions'>>;
export type ModerationPatch = Partial<ModSettings>;
export type ConfigPatch = { section: 'tickets'; patch: TicketConfigPatch } | { section: 'moderation'; patch: ModerationPatch };

/** A refused change: the field at fault and why. */
export interface FieldError {
  field: string;
  error: string;
}

const SNOWFLAKE = /^\d{15,20}$/;
const TICKET_IDS = ['staffRoleId', 'categoryId', 'logChannelId', 'transcriptChannelId'] as const;
const TICKET_FLAGS = ['transcriptDm', 'anonymousStaff', 'ratingsEnabled'] as const;
const MOD_IDS = ['modLogChannelId', 'queueChannelId', 'appealsChannelId'] as const;

function objectBody(body: unknown): Result<Record<string, unknown>, FieldError> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return err({ field: 'body', error: 'expected a JSON object' });
  return ok(body as Record<string, unknown>);
}

/** The version a change was made against: the `version` field, else the If-Match header (`"3"` or `3`). */
export function versionOf(body: Record<string, unknown>, ifMatch: string | null): Result<number, FieldError> {
  const raw = body.version ?? (ifMatch === null ? undefined : Number(ifMatch.replace(/^W\//, '').replace(/"/g, '')));
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1)
    return err({ field: 'version', error: 'the version you read (a positive integer), as `version` or If-Match' });
  return ok(raw);
}

function idOrNull(b: Record<string, unknown>, k: string): Result<string | null, FieldError> {
  const v = b[k];
  if (v === null) return ok(null);
  return typeof v === 'string' && SNOWFLAKE.test(v) ? ok(v) : err({ field: k, error: 'a Discord id (digits) or null' });
}

function unknownFields(b: Record<string, unknown>, known: readonly string[]): FieldError | null {
  const extra = Object.keys(b).find((k) => k !== 'version' && !known.includes(k));
  return extra ? { field: extra, error: `unknown field; known: ${known.join(', ')}` } : null;
}

/** A change to the ticket configuration: only the fields given change. */
export function parseTicketPatch(body: unknown): Result<TicketConfigPatch, FieldError> {
  const o = objectBody(body);
  if (!o.ok) return o;
  const b = o.value;
  const bad = unknownFields(b, [...TICKET_IDS, ...TICKET_FLAGS, 'maxOpenPerType']);
  if (bad) return err(bad);
  const patch: TicketConfigPatch = {};
  for (const k of TICKET_IDS) {
    if (!(k in b)) continue;
    const v = idOrNull(b, k);
    if (!v.ok) return v;
    patch[k] = v.value;
  }
  for (const k of TICKET_FLAGS) {
    if (!(k in b)) continue;
    if (typeof b[k] !== 'boolean') return err({ field: k, error: 'true or false' });
    patch[k] = b[k] as boolean;
  }
  if ('maxOpenPerType' in b) {
    const n = b.maxOpenPerType;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < MAX_OPEN_PER_TYPE.min || n > MAX_OPEN_PER_TYPE.max)
      return err({ field: 'maxOpenPerType', error: `an integer from ${MAX_OPEN_PER_TYPE.min} to ${MAX_OPEN_PER_TYPE.max}` });
    patch.maxOpenPerType = n;
  }
  return ok(patch);
}

/** A change to the moderation settings (/modconfig's): the ladder as text (`3/24h:timeout 10m, …`, `default`, `off`) or as steps. */
export function parseModerationPatch(body: unknown): Result<ModerationPatch, FieldError> {
  const o = objectBody(body);
  if (!o.ok) return o;
  const b = o.value;
  const bad = unknownFields(b, [...MOD_IDS, 'approvalTtlMs', 'ladder', 'ai']);
  if (bad) return err(bad);
  const patch: ModerationPatch = {};
  for (const k of MOD_IDS) {
    if (!(k in b)) continue;
    const v = idOrNull(b, k);
    if (!v.ok) return v;
    patch[k] = v.value;
  }
  if ('approvalTtlMs' in b) {
    const ttl = typeof b.approvalTtlMs === 'number' ? checkApprovalTtl(b.approvalTtlMs) : null;
    if (!ttl?.ok) return err({ field: 'approvalTtlMs', error: ttl ? render('en', ttl.error) : 'milliseconds, a number' });
    patch.approvalTtlMs = ttl.value;
  }
  if ('ladder' in b) {
    const l = typeof b.ladder === 'string' ? parseLadderText(b.ladder) : parseLadder(b.ladder);
    if (!l.ok) return err({ field: 'ladder', error: ladderErrorText('en', l.error) });
    patch.ladder = l.value;
  }
  if ('ai' in b) {
    if (typeof b.ai !== 'boolean') return err({ field: 'ai', error: 'true or false' });
    patch.ai = b.ai;
  }
  return ok(patch);
}
