import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIInteractionResponseCallbackData,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type RESTPostAPIChannelMessageJSONBody,
  TextInputStyle,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import { t as tr } from '../../i18n/index.ts';
import type { AntiRaidConfig } from './rules/config.ts';
import type { Attribution, CampaignStats, InviterStats, JoinRecord } from './rules/invites.ts';
import { classifyJoin } from './rules/invites.ts';
import type { SettingChange } from './rules/lockdown.ts';
import type { LockdownRecord } from './rules/lockdown-record.ts';
import type { ChallengeView } from './rules/verification.ts';

/** custom_id feature prefixes: `raid:<action>:<guild_id>:<lockdown_id>` and `verify:<action>:<guild_id>`. */
export const RAID_FEATURE = 'raid';
export const VERIFY_FEATURE = 'verify';
export const RaidActions = { end: 'end', approve: 'approve', reject: 'reject' } as const;
export const VerifyActions = { start: 'start', answer: 'answer', submit: 'submit' } as const;
export const ANSWER_FIELD = 'answer';

const level = (n: number, locale?: string) => tr(locale, 'prot.level', { level: String(n) });
const at = (ms: number, style = 'f') => `<t:${Math.floor(ms / 1000)}:${style}>`;
const sec = (ms: number) => Math.floor(ms / 1000);
const iso = (s: string | null, locale?: string) => (s ? at(Date.parse(s)) : tr(locale, 'prot.not-paused'));

/** One setting a lockdown changed, in English (the audit log). */
export const describeChange = (c: SettingChange): string => describeChangeIn(c);

/** One setting a lockdown changed, in `locale`. */
export function describeChangeIn(c: SettingChange, locale?: string): string {
  switch (c.kind) {
    case 'verification-level':
      return tr(locale, 'prot.change.level', { from: level(c.from, locale), to: level(c.to, locale) });
    case 'slowmode':
      return tr(locale, 'prot.change.slowmode', { channel: c.channelId, from: c.from, to: c.to });
    case 'incident-actions': {
      const parts: string[] = [];
      if (c.from.invites !== c.to.invites)
        parts.push(
          c.to.invites
            ? tr(locale, 'prot.change.invites-paused', { until: iso(c.to.invites, locale) })
            : tr(locale, 'prot.change.invites-resumed', { was: iso(c.from.invites, locale) }),
        );
      if (c.from.dms !== c.to.dms)
        parts.push(
          c.to.dms
            ? tr(locale, 'prot.change.dms-paused', { until: iso(c.to.dms, locale) })
            : tr(locale, 'prot.change.dms-resumed', { was: iso(c.from.dms, locale) }),
        );
      return tr(locale, 'prot.change.incident', { parts: parts.join(', ') || tr(locale, 'prot.change.unchanged') });
    }
  }
}

const button = (
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger,
  label: string,
  custom_id: string,
  disabled = false,
): APIButtonComponent => ({ type: ComponentType.Button, style, label, custom_id, disabled });
const row = (...components: APIButtonComponent[]): APIActionRowComponent<APIComponentInMessageActionRow> => ({ type: ComponentType.ActionRow, components });

/** The moderators' alert for a lockdown, rendered from its record at each change (one writer: the alert job). */
export function raidAlert(guildId: string, r: LockdownRecord, quarantined: number, locale?: string): RESTPostAPIChannelMessageJSONBody {
  const lines: string[] = [];
  const change = (c: SettingChange) => describeChangeIn(c, locale);
  const head = r.crossedBy
    ? tr(locale, 'prot.alert.detected', { at: sec(r.detectedAt), summary: r.summary })
    : tr(locale, 'prot.alert.started', { user: r.startedBy ?? '', at: sec(r.detectedAt), summary: r.summary });
  lines.push(head);
  const changes = r.lockdown?.changes ?? [];
  if (r.phase === 'starting') lines.push(tr(locale, 'prot.alert.locking'));
  else if (changes.length) lines.push(tr(locale, 'prot.alert.lockdown'), ...changes.map((c) => `• ${change(c)}`));
  else lines.push(tr(locale, 'prot.alert.nothing'));
  for (const f of r.failed) lines.push(tr(locale, 'prot.alert.not-applied', { change: change(f.change), error: f.error }));
  lines.push(tr(locale, 'prot.alert.quarantined', { count: quarantined }));
  if (r.phase === 'active' && r.endsAt) lines.push(tr(locale, 'prot.alert.ends', { at: sec(r.endsAt) }));
  if (r.phase === 'ending') lines.push(tr(locale, 'prot.alert.ending'));
  if (r.phase === 'ended' && r.restore) {
    lines.push(tr(locale, 'prot.alert.ended', { by: r.endedBy ?? '', when: r.endedAt ? ` ${at(r.endedAt, 'R')}` : '' }));
    for (const c of r.restore.restored) lines.push(tr(locale, 'prot.alert.restored', { change: change(c) }));
    for (const s of r.restore.skipped)
      lines.push(
        tr(locale, 'prot.alert.left-alone', {
          reason: tr(locale, 'prot.left-alone.reason', {
            what: s.change.kind === 'verification-level' ? 'level' : s.change.kind === 'slowmode' ? 'slowmode' : 'pause',
            channel: s.change.kind === 'slowmode' ? s.change.channelId : '',
          }),
        }),
      );
    for (const f of r.restore.failed) lines.push(tr(locale, 'prot.alert.not-restored', { change: change(f.change), error: f.error }));
  }
  if (r.phase === 'failed') lines.push(tr(locale, 'prot.alert.failed', { error: r.error ?? tr(locale, 'prot.unknown-error') }));
  const rm = r.removal;
  if (rm) {
    if (rm.status === 'pending') lines.push(tr(locale, 'prot.alert.removal-pending', { at: sec(rm.expiresAt) }));
    else if (rm.status === 'approved')
      lines.push(
        r.removalResult
          ? tr(locale, 'prot.alert.removal-done', { user: rm.decidedBy ?? '', banned: r.removalResult.banned, failed: r.removalResult.failed })
          : tr(locale, 'prot.alert.removal-approved', { user: rm.decidedBy ?? '' }),
      );
    else if (rm.status === 'rejected') lines.push(tr(locale, 'prot.alert.removal-rejected', { user: rm.decidedBy ?? '' }));
    else lines.push(tr(locale, 'prot.alert.removal-expired'));
  }
  const id = (action: string) => encodeCustomId({ feature: RAID_FEATURE, action, id: guildId, extra: r.id });
  const live = r.phase === 'active';
  const components = [row(button(ButtonStyle.Danger, tr(locale, live ? 'prot.button.end-lockdown' : 'prot.button.lockdown-over'), id(RaidActions.end), !live))];
  if (rm) {
    const open = rm.status === 'pending';
    components.push(
      row(
        button(ButtonStyle.Success, tr(locale, 'prot.button.approve-removal'), id(RaidActions.approve), !open),
        button(ButtonStyle.Secondary, tr(locale, 'prot.button.reject-removal'), id(RaidActions.reject), !open),
      ),
    );
  }
  return { content: lines.join('\n').slice(0, 2000), components, allowed_mentions: { parse: [] } };
}

export const ephemeral = (content: string): APIInteractionResponseCallbackData => ({ content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } });

/** The message in the verify channel that new members press. */
export function verifyPanel(guildId: string, locale?: string): RESTPostAPIChannelMessageJSONBody {
  return {
    content: tr(locale, 'prot.verify.panel'),
    components: [
      row(button(ButtonStyle.Success, tr(locale, 'prot.button.verify'), encodeCustomId({ feature: VERIFY_FEATURE, action: VerifyActions.start, id: guildId }))),
    ],
    allowed_mentions: { parse: [] },
  };
}

/** The ephemeral challenge; the answer is typed in a modal, never shown on a button. */
export function challengeReply(guildId: string, view: ChallengeView, expiresAt: number, locale?: string): APIInteractionResponseCallbackData {
  const body = view.kind === 'text' ? `${view.prompt}\n\n# ${view.display}` : view.prompt;
  return {
    content: `${body}\n\n${tr(locale, 'prot.challenge.footer', { at: sec(expiresAt) })}`,
    flags: MessageFlags.Ephemeral,
    components: [
      row(
        button(ButtonStyle.Primary, tr(locale, 'prot.button.answer'), encodeCustomId({ feature: VERIFY_FEATURE, action: VerifyActions.answer, id: guildId })),
      ),
    ],
    allowed_mentions: { parse: [] },
  };
}

export function answerModal(guildId: string, locale?: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: encodeCustomId({ feature: VERIFY_FEATURE, action: VerifyActions.submit, id: guildId }),
    title: tr(locale, 'prot.answer.title').slice(0, 45),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: ANSWER_FIELD,
            label: tr(locale, 'prot.answer.label').slice(0, 45),
            style: TextInputStyle.Short,
            min_length: 1,
            max_length: 100,
            required: true,
          },
        ],
      },
    ],
  };
}

export function describeAttribution(a: Attribution, campaigns: Readonly<Record<string, string>>, locale?: string): string {
  const named = (code: string) => (campaigns[code] ? tr(locale, 'prot.attr.named', { code, name: campaigns[code] }) : code);
  switch (a.kind) {
    case 'invite':
      return tr(locale, 'prot.attr.invite', { code: named(a.code), hasInviter: a.inviterId ? 'yes' : 'no', inviter: a.inviterId ?? '' });
    case 'vanity':
      return tr(locale, 'prot.attr.vanity', { code: named(a.code) });
    case 'ambiguous':
      return tr(locale, 'prot.attr.ambiguous', {
        list: a.candidates
          .map((c) =>
            c.vanity
              ? tr(locale, 'prot.attr.vanity', { code: c.code })
              : tr(locale, 'prot.attr.candidate', { code: named(c.code), hasInviter: c.inviterId ? 'yes' : 'no', inviter: c.inviterId ?? '' }),
          )
          .join(', '),
      });
    case 'unknown':
      return tr(locale, 'prot.attr.unknown');
  }
}

const counts = (s: { total: number; regular: number; left: number; fake: number }, locale?: string) =>
  tr(locale, 'prot.counts', { total: s.total, regular: s.regular, left: s.left, fake: s.fake });

export function inviterSummary(
  userId: string,
  stats: InviterStats | undefined,
  joined: JoinRecord | null,
  campaigns: Readonly<Record<string, string>>,
  locale?: string,
): string {
  const lines = [tr(locale, 'prot.invites.invited', { user: userId, counts: counts(stats ?? { total: 0, regular: 0, left: 0, fake: 0 }, locale) })];
  if (joined)
    lines.push(
      tr(locale, 'prot.invites.joined', {
        at: sec(joined.joinedAt),
        how: describeAttribution(joined.attribution, campaigns, locale),
        kind: tr(locale, 'prot.join-kind', { kind: classifyJoin(joined) }),
      }),
    );
  lines.push(tr(locale, 'prot.invites.fake-rule'));
  return lines.join('\n');
}

export function leaderboardText(rows: readonly InviterStats[], locale?: string): string {
  if (rows.length === 0) return tr(locale, 'prot.invites.none');
  return [
    tr(locale, 'prot.invites.leaderboard'),
    ...rows.map((s, i) => tr(locale, 'prot.invites.leaderboard-line', { rank: i + 1, user: s.inviterId, counts: counts(s, locale) })),
  ].join('\n');
}

export function campaignsText(rows: readonly CampaignStats[], locale?: string): string {
  if (rows.length === 0) return tr(locale, 'prot.invites.no-campaigns');
  return [
    tr(locale, 'prot.invites.campaigns'),
    ...rows.map((c) => tr(locale, 'prot.invites.campaign-line', { name: c.name, code: c.code, counts: counts(c, locale) })),
  ].join('\n');
}

/** What a lockdown does with these settings, in one line. */
export function lockdownPlanSummary(c: AntiRaidConfig, locale?: string): string {
  const l = c.lockdown;
  const parts = [tr(locale, 'prot.plan.level', { level: level(l.verificationLevel, locale) })];
  if (l.pauseInvites || l.pauseDms)
    parts.push(tr(locale, 'prot.plan.paused', { what: l.pauseInvites && l.pauseDms ? 'both' : l.pauseInvites ? 'invites' : 'dms' }));
  if (l.slowmodeSeconds > 0 && l.slowmodeChannelIds.length)
    parts.push(tr(locale, 'prot.plan.slowmode', { seconds: l.slowmodeSeconds, channels: l.slowmodeChannelIds.map((id) => `<#${id}>`).join(' ') }));
  parts.push(tr(locale, 'prot.plan.quarantine'));
  return parts.join(', ');
}

export function lockdownSummary(r: LockdownRecord | null, quarantined: number, locale?: string): string {
  if (!r) return tr(locale, 'prot.lockdown.none');
  const changes = r.lockdown?.changes.map((c) => describeChangeIn(c, locale)).join('; ') || tr(locale, 'prot.lockdown.none-yet');
  const summary = tr(locale, 'prot.lockdown.summary', {
    phase: tr(locale, 'prot.phase', { phase: r.phase }),
    at: sec(r.detectedAt),
    summary: r.summary,
    changes,
    quarantined,
  });
  return `${summary}${r.endsAt ? ` ${tr(locale, 'prot.lockdown.ends', { at: sec(r.endsAt) })}` : ''}`;
}

/** Where a lockdown alert goes: a channel (configured, or the guild's own notice channels) or the owner's DMs. */
export type AlertTarget = { kind: 'channel'; channelId: string; via: 'configured' | 'safety-alerts' | 'system' } | { kind: 'owner-dm'; userId: string };

/** Where an alert goes, in `locale` (English for the audit log when none is given). */
export function describeAlertTarget(t: AlertTarget, locale?: string): string {
  if (t.kind === 'owner-dm') return tr(locale, 'prot.alert-target', { via: 'owner', id: t.userId });
  return tr(locale, 'prot.alert-target', { via: t.via === 'safety-alerts' ? 'safety' : t.via, id: t.channelId });
}

/** The alert as a DM to the owner, in the guild's `locale`: no buttons (they only work in the server), and why it came to them. */
export function ownerAlert(body: RESTPostAPIChannelMessageJSONBody, locale?: string): RESTPostAPIChannelMessageJSONBody {
  return {
    ...body,
    content: `${body.content ?? ''}\n\n${tr(locale, 'prot.owner-dm.why')}`.slice(0, 2000),
    components: [],
  };
}

/** /antiraid status: the detector, what a lockdown does, and the one in progress. */
export function antiraidSummary(
  c: AntiRaidConfig,
  r: LockdownRecord | null,
  quarantined: number,
  alertsTo: AlertTarget | null = null,
  locale?: string,
): string {
  const l = c.lockdown;
  return [
    tr(locale, 'prot.summary.antiraid', {
      on: c.raid.enabled ? 'yes' : 'no',
      joins: c.raid.joins,
      seconds: c.raid.seconds,
      suspicious: c.raid.suspiciousJoins,
    }),
    tr(locale, 'prot.summary.lockdown', {
      plan: lockdownPlanSummary(c, locale),
      min: Math.round(l.minDurationMs / 60_000),
      quiet: Math.round(l.quietMs / 60_000),
    }),
    tr(locale, 'prot.summary.alerts', {
      alerts: c.alertChannelId
        ? `<#${c.alertChannelId}>`
        : alertsTo
          ? tr(locale, 'prot.summary.no-channel-to', { target: describeAlertTarget(alertsTo, locale) })
          : tr(locale, 'prot.summary.no-channel'),
      role: c.quarantineRoleId ? `<@&${c.quarantineRoleId}>` : tr(locale, 'prot.summary.role-created'),
    }),
    lockdownSummary(r, quarantined, locale),
  ].join('\n');
}
