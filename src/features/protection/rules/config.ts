import { isSnowflake } from '../../../discord/snowflake.ts';
import { type Text, text } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';
import { DEFAULT_LOCKDOWN, type LockdownSettings, MAX_SLOWMODE_SECONDS } from './lockdown.ts';
import { DEFAULT_RAID_CONFIG, parseRaidConfig, type RaidConfig } from './raid.ts';
import { type ChallengeKind, DEFAULT_VERIFICATION, parseVerificationConfig, type VerificationConfig } from './verification.ts';

/**
 * Per-guild protection settings as the commands change them. Pure: each
 * `apply…Options` takes the current settings and what the administrator
 * typed, and returns the new settings or every problem found.
 */

export interface AntiRaidConfig {
  raid: RaidConfig;
  lockdown: LockdownSettings;
  /** Where moderators are alerted (with the End lockdown and removal buttons). */
  alertChannelId: string | null;
  /** Given to raiders; created at the first lockdown when unset. */
  quarantineRoleId: string | null;
}

/** A lockdown pauses invites and DMs (Discord's incident actions) unless configured otherwise. */
export const DEFAULT_ANTIRAID: AntiRaidConfig = {
  raid: DEFAULT_RAID_CONFIG,
  lockdown: { ...DEFAULT_LOCKDOWN, pauseDms: true },
  alertChannelId: null,
  quarantineRoleId: null,
};

export interface GateConfig extends VerificationConfig {
  /** Where the Verify button is posted. */
  verifyChannelId: string | null;
}

export const DEFAULT_GATE: GateConfig = { ...DEFAULT_VERIFICATION, verifyChannelId: null };

/** Challenge kinds a member can answer from an interaction reply (an image needs an attachment upload). */
export const GATE_CHALLENGES: readonly ChallengeKind[] = ['question', 'text'];

export const MAX_SLOWMODE_CHANNELS = 10;

/** Channel mentions or ids separated by spaces or commas; "none" clears the list. */
export function parseChannelList(input: string): Result<string[], Text> {
  const t = input.trim();
  if (t === '' || t.toLowerCase() === 'none') return ok([]);
  const ids: string[] = [];
  for (const part of t.split(/[\s,]+/)) {
    const id = /^<#(\d{15,20})>$/.exec(part)?.[1] ?? (isSnowflake(part) ? part : null);
    if (!id) return err(text('prot.cfg.not-channel', { value: part }));
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length > MAX_SLOWMODE_CHANNELS) return err(text('prot.cfg.too-many-channels', { max: MAX_SLOWMODE_CHANNELS }));
  return ok(ids);
}

export interface AntiRaidOptions {
  threshold?: number | null;
  windowSeconds?: number | null;
  slowmodeChannels?: string | null;
  slowmodeSeconds?: number | null;
  lockdownMinutes?: number | null;
  alertChannelId?: string | null;
  quarantineRoleId?: string | null;
}

/** The settings after `/antiraid config`; options left out keep their value. */
export function applyAntiRaidOptions(cfg: AntiRaidConfig, o: AntiRaidOptions): Result<AntiRaidConfig, Text[]> {
  const issues: Text[] = [];
  const joins = o.threshold ?? cfg.raid.joins;
  // The smaller "suspicious burst" can never need more joins than the raid threshold itself.
  const raid = parseRaidConfig({
    ...cfg.raid,
    joins,
    seconds: o.windowSeconds ?? cfg.raid.seconds,
    suspiciousJoins: Math.max(2, Math.min(cfg.raid.suspiciousJoins, joins)),
  });
  if (!raid.ok)
    issues.push(
      ...raid.error.map((i) =>
        text('prot.cfg.field', { field: i.path === 'raid.joins' ? 'threshold' : i.path === 'raid.seconds' ? 'window' : i.path, problem: i.problem }),
      ),
    );
  let channels = cfg.lockdown.slowmodeChannelIds;
  if (o.slowmodeChannels != null) {
    const parsed = parseChannelList(o.slowmodeChannels);
    if (parsed.ok) channels = parsed.value;
    else issues.push(parsed.error);
  }
  const slow = o.slowmodeSeconds ?? cfg.lockdown.slowmodeSeconds;
  if (!Number.isInteger(slow) || slow < 0 || slow > MAX_SLOWMODE_SECONDS) issues.push(text('prot.cfg.slowmode', { max: MAX_SLOWMODE_SECONDS }));
  let { minDurationMs, quietMs } = cfg.lockdown;
  if (o.lockdownMinutes != null) {
    if (!Number.isInteger(o.lockdownMinutes) || o.lockdownMinutes < 1 || o.lockdownMinutes > 1440) issues.push(text('prot.cfg.lockdown-minutes'));
    minDurationMs = o.lockdownMinutes * 60_000;
    // A short lockdown must not be held open by a quiet period longer than itself.
    quietMs = Math.min(DEFAULT_LOCKDOWN.quietMs, minDurationMs);
  }
  for (const [field, id] of [
    ['alert_channel', o.alertChannelId],
    ['quarantine_role', o.quarantineRoleId],
  ] as const) {
    if (id != null && !isSnowflake(id)) issues.push(text('prot.cfg.field', { field, problem: text('prot.cfg.must-be-id') }));
  }
  if (issues.length > 0 || !raid.ok) return err(issues);
  return ok({
    raid: raid.value,
    lockdown: { ...cfg.lockdown, slowmodeChannelIds: channels, slowmodeSeconds: slow, minDurationMs, quietMs },
    alertChannelId: o.alertChannelId ?? cfg.alertChannelId,
    quarantineRoleId: o.quarantineRoleId ?? cfg.quarantineRoleId,
  });
}

export interface GateOptions {
  unverifiedRoleId?: string | null;
  verifiedRoleId?: string | null;
  verifyChannelId?: string | null;
  challenge?: string | null;
  timeoutMinutes?: number | null;
  /** 0 keeps members who never verify. */
  kickAfterMinutes?: number | null;
  enabled?: boolean;
}

/** The gate after `/verification config|on|off`; turning it on needs an unverified role and a verify channel. */
export function applyGateOptions(cfg: GateConfig, o: GateOptions): Result<GateConfig, Text[]> {
  const issues: Text[] = [];
  if (o.challenge != null && !(GATE_CHALLENGES as readonly string[]).includes(o.challenge)) issues.push(text('prot.cfg.challenge'));
  if (o.kickAfterMinutes != null && o.kickAfterMinutes !== 0 && (o.kickAfterMinutes < 1 || o.kickAfterMinutes > 43_200))
    issues.push(text('prot.cfg.kick-after'));
  const removeAfterMs = o.kickAfterMinutes == null ? cfg.removeAfterMs : o.kickAfterMinutes === 0 ? null : o.kickAfterMinutes * 60_000;
  const parsed = parseVerificationConfig({
    enabled: o.enabled ?? cfg.enabled,
    unverifiedRoleId: o.unverifiedRoleId ?? cfg.unverifiedRoleId,
    verifiedRoleId: o.verifiedRoleId ?? cfg.verifiedRoleId,
    challenge: o.challenge ?? cfg.challenge,
    challengeTtlMs: o.timeoutMinutes != null ? o.timeoutMinutes * 60_000 : cfg.challengeTtlMs,
    maxAttempts: cfg.maxAttempts,
    retryCooldownMs: cfg.retryCooldownMs,
    removeAfterMs,
  });
  if (!parsed.ok) {
    for (const i of parsed.error) {
      issues.push(
        i.path === 'verification.challengeTtlMs'
          ? text('prot.cfg.timeout-minutes')
          : i.path === 'verification.unverifiedRoleId' && i.problem.key === 'prot.cfg.role-needed'
            ? text('prot.cfg.set-role-first')
            : text('prot.cfg.field', { field: i.path.replace('verification.', ''), problem: i.problem }),
      );
    }
  }
  const verifyChannelId = o.verifyChannelId ?? cfg.verifyChannelId;
  if (verifyChannelId !== null && !isSnowflake(verifyChannelId))
    issues.push(text('prot.cfg.field', { field: 'verify_channel', problem: text('prot.cfg.must-be-id') }));
  if ((o.enabled ?? cfg.enabled) && !verifyChannelId) issues.push(text('prot.cfg.set-channel-first'));
  if (issues.length > 0 || !parsed.ok) return err(issues);
  return ok({ ...parsed.value, verifyChannelId });
}
