import { isSnowflake } from '../../discord/snowflake.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { type Text, text, textList } from '../../i18n/text.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { checkEventSettings } from '../events/rules/settings.ts';
import { type Announce, applyLevelsOptions, type ConfigProblem, type LevelsConfig } from '../levels/rules/config.ts';
import { checkApprovalTtl } from '../moderation/rules/approvals.ts';
import { type AutomodConfig, type ConfigIssue, parseAutomodConfig } from '../moderation/rules/automod-config.ts';
import { parseLadder } from '../moderation/rules/escalation.ts';
import { type ModSettings, parseLadderText } from '../moderation/settings.ts';
import {
  type AntiRaidConfig,
  type AntiRaidOptions,
  applyAntiRaidOptions,
  applyGateOptions,
  GATE_CHALLENGES,
  type GateConfig,
  type GateOptions,
} from '../protection/rules/config.ts';
import { type Campaigns, nameCampaign } from '../protection/rules/invites.ts';
import type { TicketConfig } from '../tickets/guild-index.ts';
import { MAX_OPEN_PER_TYPE } from '../tickets/rules.ts';
import type { SectionName } from './names.ts';

/**
 * Every feature's settings as one flat record per section, and the one check
 * a change passes before it is saved, whichever front end sent it (the
 * dashboard's form, the REST API's PATCH): each section's `apply` calls the
 * rule module its slash command uses (/setup tickets, /modconfig and
 * /automod, /antiraid config, /verification config, /invites name,
 * /levels config, /event config, /faq config and channels, /server settings).
 * Pure: the guild actor reads the current values and saves the result.
 */

export { isSectionName, SECTION_NAMES, type SectionName } from './names.ts';

/** A refused change: the field at fault and why, as a message value (rendered in the reader's language). */
export interface FieldProblem {
  field: string;
  problem: Text;
}

/** How a field is shown on the dashboard's form and read back from it. */
export type FieldKind = 'bool' | 'int' | 'channel' | 'role' | 'channels' | 'text' | 'longtext' | 'json' | 'choice' | 'pairs';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  choices?: readonly string[];
}

/** A section's values: one JSON value per field. */
export type Values = Record<string, unknown>;

/** A section over what its feature stores (`S`): the values shown, and the change checked by the feature's own rules. */
export interface SectionSpec<S> {
  name: SectionName;
  fields: readonly FieldSpec[];
  values(stored: S): Values;
  /** What to store after `patch` (only the fields given change), or the first field refused; nothing is saved on a refusal. */
  apply(stored: S, patch: Values): Result<S, FieldProblem>;
}

const f = (name: string, kind: FieldKind, choices?: readonly string[]): FieldSpec => (choices ? { name, kind, choices } : { name, kind });
const fail = (field: string, key: MessageKey, values?: Record<string, string | number | Text>): Result<never, FieldProblem> =>
  err({ field, problem: text(key, values) });

/** The first field not in the section, if any. */
function unknownField(patch: Values, fields: readonly FieldSpec[]): FieldProblem | null {
  const names = fields.map((x) => x.name);
  const extra = Object.keys(patch).find((k) => k !== 'version' && !names.includes(k));
  return extra === undefined ? null : { field: extra, problem: text('set.err.unknown', { known: names.join(', ') }) };
}

/** Field by field type checks for the simple kinds; the section's rules then check what the values mean. */
function checkKinds(patch: Values, fields: readonly FieldSpec[]): FieldProblem | null {
  const bad = unknownField(patch, fields);
  if (bad) return bad;
  for (const spec of fields) {
    if (!(spec.name in patch)) continue;
    const v = patch[spec.name];
    const p = (key: MessageKey, values?: Record<string, string | number>) => ({ field: spec.name, problem: text(key, values) });
    switch (spec.kind) {
      case 'bool':
        if (typeof v !== 'boolean') return p('set.err.bool');
        break;
      case 'int':
        if (typeof v !== 'number' || !Number.isInteger(v)) return p('set.err.whole');
        break;
      case 'channel':
      case 'role':
        if (v !== null && !(typeof v === 'string' && isSnowflake(v))) return p('set.err.id');
        break;
      case 'channels':
        if (!Array.isArray(v) || v.length > MAX_LIST || !v.every((x) => typeof x === 'string' && isSnowflake(x))) return p('set.err.ids', { max: MAX_LIST });
        break;
      case 'text':
      case 'longtext':
        if (v !== null && (typeof v !== 'string' || v.length > MAX_TEXT)) return p('set.err.text', { max: MAX_TEXT });
        break;
      case 'choice':
        if (typeof v !== 'string' || !spec.choices?.includes(v)) return p('set.err.choice', { choices: (spec.choices ?? []).join(', ') });
        break;
      case 'json':
      case 'pairs':
        break;
    }
  }
  return null;
}

const MAX_LIST = 50;
const MAX_TEXT = 2000;

/** Problems located by a path (automod, the ladder), as one message. */
const issuesText = (issues: readonly ConfigIssue[]): Text =>
  text('set.err.issues', {
    issues: textList(
      issues.map((i) => (i.path ? text('set.err.issue', { path: i.path, problem: i.problem }) : i.problem)),
      'semicolon',
    ),
  });

/** A section: the type checks of its fields first, then its feature's rules. */
function section<S>(
  name: SectionName,
  fields: readonly FieldSpec[],
  values: (stored: S) => Values,
  rules: (stored: S, patch: Values) => Result<S, FieldProblem>,
): SectionSpec<S> {
  return {
    name,
    fields,
    values,
    apply(stored, patch) {
      const bad = checkKinds(patch, fields);
      return bad ? err(bad) : rules(stored, patch);
    },
  };
}

// ---- tickets (/setup tickets, /tickets settings) ----

const tickets = section<TicketConfig>(
  'tickets',
  [
    f('staffRoleId', 'role'),
    f('categoryId', 'channel'),
    f('logChannelId', 'channel'),
    f('transcriptChannelId', 'channel'),
    f('maxOpenPerType', 'int'),
    f('transcriptDm', 'bool'),
    f('anonymousStaff', 'bool'),
    f('ratingsEnabled', 'bool'),
  ],
  ({ surveyQuestions: _, ...shown }) => shown,
  (stored, patch) => {
    const n = patch.maxOpenPerType;
    if (typeof n === 'number' && (n < MAX_OPEN_PER_TYPE.min || n > MAX_OPEN_PER_TYPE.max))
      return fail('maxOpenPerType', 'set.err.range', { min: MAX_OPEN_PER_TYPE.min, max: MAX_OPEN_PER_TYPE.max });
    return ok({ ...stored, ...(patch as Partial<TicketConfig>) });
  },
);

// ---- moderation (/modconfig) and automod (/automod) ----

export interface ModerationStored {
  settings: ModSettings;
  automod: AutomodConfig;
}

const moderation = section<ModerationStored>(
  'moderation',
  [
    f('modLogChannelId', 'channel'),
    f('queueChannelId', 'channel'),
    f('appealsChannelId', 'channel'),
    f('approvalTtlMs', 'int'),
    f('ladder', 'json'),
    f('ai', 'bool'),
    f('automod', 'json'),
  ],
  (s) => ({ ...s.settings, automod: s.automod }),
  (stored, patch) => {
    const { automod: _, ladder: __, ...plain } = patch;
    const settings: ModSettings = { ...stored.settings, ...(plain as Partial<ModSettings>) };
    let automod = stored.automod;
    if ('approvalTtlMs' in patch) {
      const ttl = checkApprovalTtl(patch.approvalTtlMs as number);
      if (!ttl.ok) return err({ field: 'approvalTtlMs', problem: ttl.error });
    }
    if ('ladder' in patch) {
      const l = typeof patch.ladder === 'string' ? parseLadderText(patch.ladder) : parseLadder(patch.ladder);
      if (!l.ok) return err({ field: 'ladder', problem: issuesText(l.error) });
      settings.ladder = l.value;
    }
    if ('automod' in patch) {
      if (typeof patch.automod === 'string') return fail('automod', 'set.err.json');
      const a = parseAutomodConfig(patch.automod);
      if (!a.ok) return err({ field: 'automod', problem: issuesText(a.error) });
      automod = a.value;
    }
    return ok({ settings, automod });
  },
);

// ---- anti-raid (/antiraid on|off|config) ----

/**
 * The rules answer every problem of a change together, without naming the
 * field; each field is then tried alone to name the one at fault (the first
 * given that fails by itself, else the first given).
 */
function blame(fields: readonly string[], failsAlone: (field: string) => boolean, problems: readonly Text[]): FieldProblem {
  const field = fields.find(failsAlone) ?? fields[0] ?? 'body';
  return { field, problem: problems.length === 1 ? problems[0]! : (textList(problems, 'semicolon') as Text) };
}

const ANTIRAID_OPTIONS: Readonly<Record<string, keyof AntiRaidOptions>> = {
  threshold: 'threshold',
  windowSeconds: 'windowSeconds',
  slowmodeSeconds: 'slowmodeSeconds',
  lockdownMinutes: 'lockdownMinutes',
  alertChannelId: 'alertChannelId',
  quarantineRoleId: 'quarantineRoleId',
};

const antiraid = section<AntiRaidConfig>(
  'antiraid',
  [
    f('enabled', 'bool'),
    f('threshold', 'int'),
    f('windowSeconds', 'int'),
    f('slowmodeChannelIds', 'channels'),
    f('slowmodeSeconds', 'int'),
    f('lockdownMinutes', 'int'),
    f('alertChannelId', 'channel'),
    f('quarantineRoleId', 'role'),
  ],
  (c) => ({
    enabled: c.raid.enabled,
    threshold: c.raid.joins,
    windowSeconds: c.raid.seconds,
    slowmodeChannelIds: c.lockdown.slowmodeChannelIds,
    slowmodeSeconds: c.lockdown.slowmodeSeconds,
    lockdownMinutes: Math.round(c.lockdown.minDurationMs / 60_000),
    alertChannelId: c.alertChannelId,
    quarantineRoleId: c.quarantineRoleId,
  }),
  (cfg, patch) => {
    const optionsOf = (keys: readonly string[]): AntiRaidOptions => {
      const o: Record<string, unknown> = {};
      for (const k of keys) {
        if (k === 'slowmodeChannelIds') {
          const ids = patch.slowmodeChannelIds as string[];
          o.slowmodeChannels = ids.length === 0 ? 'none' : ids.join(' ');
        } else if (ANTIRAID_OPTIONS[k] && patch[k] !== null) o[ANTIRAID_OPTIONS[k]] = patch[k];
      }
      return o as AntiRaidOptions;
    };
    // Clearing the alert channel or the quarantine role needs no check (/antiraid config has no way to clear them).
    const base: AntiRaidConfig = {
      ...cfg,
      alertChannelId: patch.alertChannelId === null ? null : cfg.alertChannelId,
      quarantineRoleId: patch.quarantineRoleId === null ? null : cfg.quarantineRoleId,
    };
    const given = Object.keys(patch).filter((k) => k !== 'enabled');
    const next = applyAntiRaidOptions(base, optionsOf(given));
    if (!next.ok) return err(blame(given, (k) => !applyAntiRaidOptions(base, optionsOf([k])).ok, next.error));
    const enabled = typeof patch.enabled === 'boolean' ? patch.enabled : cfg.raid.enabled;
    return ok({ ...next.value, raid: { ...next.value.raid, enabled } });
  },
);

// ---- verification (/verification on|off|config) ----

const GATE_OPTIONS: Readonly<Record<string, keyof GateOptions>> = {
  enabled: 'enabled',
  unverifiedRoleId: 'unverifiedRoleId',
  verifiedRoleId: 'verifiedRoleId',
  verifyChannelId: 'verifyChannelId',
  challenge: 'challenge',
  timeoutMinutes: 'timeoutMinutes',
  kickAfterMinutes: 'kickAfterMinutes',
};

const verification = section<GateConfig>(
  'verification',
  [
    f('enabled', 'bool'),
    f('unverifiedRoleId', 'role'),
    f('verifiedRoleId', 'role'),
    f('verifyChannelId', 'channel'),
    f('challenge', 'choice', GATE_CHALLENGES),
    f('timeoutMinutes', 'int'),
    f('kickAfterMinutes', 'int'),
  ],
  (c) => ({
    enabled: c.enabled,
    unverifiedRoleId: c.unverifiedRoleId,
    verifiedRoleId: c.verifiedRoleId,
    verifyChannelId: c.verifyChannelId,
    challenge: c.challenge,
    timeoutMinutes: Math.round(c.challengeTtlMs / 60_000),
    kickAfterMinutes: c.removeAfterMs === null ? 0 : Math.round(c.removeAfterMs / 60_000),
  }),
  (cfg, patch) => {
    // A cleared role or channel is cleared first, so the rules see the gate without it (a gate that is on cannot lose them).
    const base: GateConfig = {
      ...cfg,
      unverifiedRoleId: patch.unverifiedRoleId === null ? null : cfg.unverifiedRoleId,
      verifiedRoleId: patch.verifiedRoleId === null ? null : cfg.verifiedRoleId,
      verifyChannelId: patch.verifyChannelId === null ? null : cfg.verifyChannelId,
    };
    const optionsOf = (keys: readonly string[]): GateOptions => {
      const o: Record<string, unknown> = {};
      for (const k of keys) if (GATE_OPTIONS[k] && patch[k] !== null) o[GATE_OPTIONS[k]] = patch[k];
      return o as GateOptions;
    };
    const given = Object.keys(patch);
    const next = applyGateOptions(base, optionsOf(given));
    if (!next.ok) return err(blame(given, (k) => !applyGateOptions(base, optionsOf([k])).ok, next.error));
    return ok(next.value);
  },
);

// ---- invites (/invites name) ----

const invites = section<Campaigns>(
  'invites',
  [f('campaigns', 'pairs')],
  (c) => ({ campaigns: c }),
  (stored, patch) => {
    if (!('campaigns' in patch)) return ok(stored);
    const c = patch.campaigns;
    if (!c || typeof c !== 'object' || Array.isArray(c) || Object.keys(c).length > MAX_LIST) return fail('campaigns', 'set.err.campaigns', { max: MAX_LIST });
    // The whole list as given, each name checked by /invites name's rule (an invite code, a name, each name once).
    let named: Record<string, string> = {};
    for (const [code, name] of Object.entries(c)) {
      const r = typeof name === 'string' ? nameCampaign(named, code, name) : null;
      if (!r?.ok) return fail('campaigns', 'set.err.campaign', { code });
      named = r.value;
    }
    return ok(named);
  },
);

// ---- levels (/levels config) ----

const LEVELS_FIELD: Readonly<Record<ConfigProblem, string>> = {
  'xp-range': 'xpMin',
  cooldown: 'cooldownS',
  curve: 'curve',
  voice: 'voicePerMinute',
  event: 'eventXp',
  template: 'message',
};

const levels = section<LevelsConfig>(
  'levels',
  [
    f('xpMin', 'int'),
    f('xpMax', 'int'),
    f('cooldownS', 'int'),
    f('curve', 'text'),
    f('voicePerMinute', 'int'),
    f('eventXp', 'int'),
    f('announce', 'choice', ['channel', 'dm', 'off']),
    f('announceChannel', 'channel'),
    f('alertChannel', 'channel'),
    f('message', 'longtext'),
    f('stack', 'bool'),
  ],
  // Not the public page's key: it is a secret, turned on and off by /levels config.
  (c) => ({
    xpMin: c.xpMin,
    xpMax: c.xpMax,
    cooldownS: c.cooldownS,
    curve: `${c.curve.a},${c.curve.b},${c.curve.c}`,
    voicePerMinute: c.voicePerMinute,
    eventXp: c.eventXp,
    announce: c.announce,
    announceChannel: c.announceChannel,
    alertChannel: c.alertChannel,
    message: c.message,
    stack: c.stack,
  }),
  (cfg, patch) => {
    const next = applyLevelsOptions(cfg, {
      xpMin: patch.xpMin as number | undefined,
      xpMax: patch.xpMax as number | undefined,
      cooldownS: patch.cooldownS as number | undefined,
      voicePerMinute: patch.voicePerMinute as number | undefined,
      eventXp: patch.eventXp as number | undefined,
      curve: patch.curve === null ? '' : (patch.curve as string | undefined),
      announce: patch.announce as Announce | undefined,
      announceChannel: patch.announceChannel as string | null | undefined,
      alertChannel: patch.alertChannel as string | null | undefined,
      message: patch.message as string | null | undefined,
      stack: patch.stack as boolean | undefined,
    });
    if (next.ok) return ok(next.value);
    const field = next.error === 'xp-range' && !('xpMin' in patch) ? 'xpMax' : LEVELS_FIELD[next.error];
    return fail(field, `levels.config.bad-${next.error}`);
  },
);

// ---- events (/event config) ----

export interface EventsStored {
  zone: string;
  offsets: number[];
  reminderMode: 'dm' | 'channel';
}

/** Reminder offsets (minutes) as /event config takes them: `60m, 15m`. */
export const offsetsText = (offsets: readonly number[]): string => offsets.map((m) => `${m}m`).join(', ');

const events = section<EventsStored>(
  'events',
  [f('timezone', 'text'), f('reminders', 'text'), f('reminderMode', 'choice', ['dm', 'channel'])],
  (s) => ({ timezone: s.zone, reminders: offsetsText(s.offsets), reminderMode: s.reminderMode }),
  (stored, patch) => {
    const checked = checkEventSettings({
      timezone: patch.timezone === null ? '' : (patch.timezone as string | undefined),
      reminders: patch.reminders === null ? '' : (patch.reminders as string | undefined),
      reminderMode: patch.reminderMode as string | undefined,
    });
    if (!checked.ok)
      return checked.error.problem === 'bad-zone'
        ? fail('timezone', 'ev.refused.zone')
        : checked.error.problem === 'bad-offsets'
          ? fail('reminders', 'ev.refused.offsets')
          : fail('reminderMode', 'set.err.choice', { choices: 'dm, channel' });
    const c = checked.value;
    return ok({ zone: c.zone ?? stored.zone, offsets: c.offsets ?? stored.offsets, reminderMode: c.reminderMode ?? stored.reminderMode });
  },
);

// ---- FAQ (/faq config, /faq channels), game servers (/server settings) ----

export interface FaqStored {
  ai: boolean;
  channels: string[];
}

const faq = section<FaqStored>(
  'faq',
  [f('ai', 'bool'), f('channels', 'channels')],
  (s) => ({ ...s }),
  (stored, patch) => ok({ ...stored, ...(patch as Partial<FaqStored>) }),
);

export interface ServersStored {
  allowKill: boolean;
  prefixHints: boolean;
}

const servers = section<ServersStored>(
  'servers',
  [f('allowKill', 'bool'), f('prefixHints', 'bool')],
  (s) => ({ ...s }),
  (stored, patch) => ok({ ...stored, ...(patch as Partial<ServersStored>) }),
);

// ---- logging: the log and alert channels of every feature, in one place ----

export interface LoggingStored {
  ticketLogChannelId: string | null;
  transcriptChannelId: string | null;
  modLogChannelId: string | null;
  raidAlertChannelId: string | null;
  levelsAlertChannelId: string | null;
}

const logging = section<LoggingStored>(
  'logging',
  [
    f('ticketLogChannelId', 'channel'),
    f('transcriptChannelId', 'channel'),
    f('modLogChannelId', 'channel'),
    f('raidAlertChannelId', 'channel'),
    f('levelsAlertChannelId', 'channel'),
  ],
  (s) => ({ ...s }),
  (stored, patch) => ok({ ...stored, ...(patch as Partial<LoggingStored>) }),
);

/** Every section, in the order the dashboard lists them. */
export const SECTIONS = { tickets, moderation, antiraid, verification, invites, levels, events, faq, servers, logging } as const;

/** What a section's feature stores. */
export type StoredOf<K extends SectionName> = (typeof SECTIONS)[K] extends SectionSpec<infer S> ? S : never;

/** Each section's fields (the dashboard's forms and the OpenAPI document). */
export const fieldsOf = (name: SectionName): readonly FieldSpec[] => SECTIONS[name].fields;
