import {
  GuildVerificationLevel,
  type RESTPatchAPIChannelJSONBody,
  type RESTPatchAPIGuildJSONBody,
  type RESTPutAPIGuildIncidentActionsJSONBody,
  Routes,
} from 'discord-api-types/v10';

/**
 * Raid lockdown as data: the plan lists each setting it changes with the
 * value it found, so ending the lockdown restores exactly those settings and
 * nothing else. A setting a moderator changed by hand during the lockdown is
 * left as they set it.
 */

export interface GuildSettings {
  verificationLevel: GuildVerificationLevel;
  /** ISO times from the guild's `incidents_data`, null when not paused. */
  invitesDisabledUntil: string | null;
  dmsDisabledUntil: string | null;
  /** Slowmode (`rate_limit_per_user`, seconds) of the channels the lockdown may touch. */
  slowmode: Readonly<Record<string, number>>;
}

export interface LockdownSettings {
  verificationLevel: GuildVerificationLevel;
  pauseInvites: boolean;
  pauseDms: boolean;
  /** 0 leaves slowmode alone. */
  slowmodeSeconds: number;
  slowmodeChannelIds: string[];
  /** Lockdown lasts at least this long… */
  minDurationMs: number;
  /** …and until no spike has been seen for this long. */
  quietMs: number;
}

export const DEFAULT_LOCKDOWN: LockdownSettings = {
  verificationLevel: GuildVerificationLevel.High,
  pauseInvites: true,
  pauseDms: false,
  slowmodeSeconds: 30,
  slowmodeChannelIds: [],
  minDurationMs: 15 * 60_000,
  quietMs: 10 * 60_000,
};

/** Discord accepts incident-action times at most 24 hours ahead. */
export const MAX_INCIDENT_MS = 24 * 3_600_000;
/** Discord's slowmode ceiling (6 hours). */
export const MAX_SLOWMODE_SECONDS = 21_600;

export type SettingChange =
  | { kind: 'verification-level'; from: GuildVerificationLevel; to: GuildVerificationLevel }
  | { kind: 'slowmode'; channelId: string; from: number; to: number }
  | { kind: 'incident-actions'; from: { invites: string | null; dms: string | null }; to: { invites: string | null; dms: string | null } };

export interface Lockdown {
  startedAt: number;
  /** The latest join spike seen while locked down. */
  lastSpikeAt: number;
  reason: string;
  changes: SettingChange[];
}

const isPaused = (until: string | null, now: number) => until !== null && Date.parse(until) > now;
/** Discord may write back a time we sent in another ISO form (offset, microseconds): compare the instants. */
const sameInstant = (a: string | null, b: string | null) => (a === null || b === null ? a === b : Date.parse(a) === Date.parse(b));

/** What to change to lock the guild down, given its current settings. Settings already as strict are left alone. */
export function planLockdown(current: GuildSettings, settings: LockdownSettings, now: number, reason: string): Lockdown {
  const changes: SettingChange[] = [];
  if (current.verificationLevel < settings.verificationLevel) {
    changes.push({ kind: 'verification-level', from: current.verificationLevel, to: settings.verificationLevel });
  }
  const until = new Date(now + Math.min(Math.max(settings.minDurationMs, 60_000), MAX_INCIDENT_MS)).toISOString();
  const invites = settings.pauseInvites && !isPaused(current.invitesDisabledUntil, now) ? until : current.invitesDisabledUntil;
  const dms = settings.pauseDms && !isPaused(current.dmsDisabledUntil, now) ? until : current.dmsDisabledUntil;
  if (invites !== current.invitesDisabledUntil || dms !== current.dmsDisabledUntil) {
    changes.push({ kind: 'incident-actions', from: { invites: current.invitesDisabledUntil, dms: current.dmsDisabledUntil }, to: { invites, dms } });
  }
  const slow = Math.min(settings.slowmodeSeconds, MAX_SLOWMODE_SECONDS);
  if (slow > 0) {
    for (const channelId of settings.slowmodeChannelIds) {
      const from = current.slowmode[channelId];
      if (from !== undefined && from < slow) changes.push({ kind: 'slowmode', channelId, from, to: slow });
    }
  }
  return { startedAt: now, lastSpikeAt: now, reason, changes };
}

/** A later spike during the lockdown pushes its end back. */
export const extendLockdown = (l: Lockdown, now: number): Lockdown => ({ ...l, lastSpikeAt: Math.max(l.lastSpikeAt, now) });

/** When the lockdown may end on its own. */
export const lockdownEndsAt = (l: Lockdown, settings: LockdownSettings): number =>
  Math.max(l.startedAt + settings.minDurationMs, l.lastSpikeAt + settings.quietMs);

export interface RestorePlan {
  changes: SettingChange[];
  /** Settings changed by someone else since the lockdown: left as they are. */
  skipped: { change: SettingChange; reason: string }[];
}

/**
 * The changes that undo a lockdown: each setting goes back to the value
 * found at the start, unless it no longer holds the value the lockdown set.
 * Incident pauses that would already have expired go back to null.
 */
export function planRestore(l: Lockdown, current: GuildSettings, now: number): RestorePlan {
  const changes: SettingChange[] = [];
  const skipped: RestorePlan['skipped'] = [];
  const stillOurs = (ok: boolean, change: SettingChange, what: string) => {
    if (ok) changes.push(change);
    else skipped.push({ change, reason: `${what} was changed during the lockdown; left as it is.` });
  };
  for (const c of l.changes) {
    switch (c.kind) {
      case 'verification-level':
        stillOurs(current.verificationLevel === c.to, { kind: c.kind, from: current.verificationLevel, to: c.from }, 'The verification level');
        break;
      case 'slowmode':
        stillOurs(
          current.slowmode[c.channelId] === c.to,
          { kind: c.kind, channelId: c.channelId, from: current.slowmode[c.channelId] ?? c.to, to: c.from },
          `Slowmode in <#${c.channelId}>`,
        );
        break;
      case 'incident-actions': {
        const back = (was: string | null) => (was !== null && Date.parse(was) > now ? was : null);
        const ours = sameInstant(current.invitesDisabledUntil, c.to.invites) && sameInstant(current.dmsDisabledUntil, c.to.dms);
        stillOurs(
          ours,
          {
            kind: c.kind,
            from: { invites: current.invitesDisabledUntil, dms: current.dmsDisabledUntil },
            to: { invites: back(c.from.invites), dms: back(c.from.dms) },
          },
          'The invite and DM pause',
        );
        break;
      }
    }
  }
  return { changes, skipped };
}

export type SettingRequest =
  | { method: 'PATCH'; route: `/guilds/${string}`; body: RESTPatchAPIGuildJSONBody }
  | { method: 'PATCH'; route: `/channels/${string}`; body: RESTPatchAPIChannelJSONBody }
  | { method: 'PUT'; route: `/guilds/${string}/incident-actions`; body: RESTPutAPIGuildIncidentActionsJSONBody };

/** The REST request that applies a change (Manage Server for the guild ones, Manage Channels for slowmode). */
export function settingRequest(guildId: string, c: SettingChange): SettingRequest {
  switch (c.kind) {
    case 'verification-level':
      return { method: 'PATCH', route: Routes.guild(guildId), body: { verification_level: c.to } };
    case 'slowmode':
      return { method: 'PATCH', route: Routes.channel(c.channelId), body: { rate_limit_per_user: c.to } };
    case 'incident-actions':
      return { method: 'PUT', route: Routes.guildIncidentActions(guildId), body: { invites_disabled_until: c.to.invites, dms_disabled_until: c.to.dms } };
  }
}
