import {
  ButtonStyle, ComponentType, MessageFlags, TextInputStyle,
  type APIActionRowComponent, type APIButtonComponent, type APIComponentInMessageActionRow, type APIInteractionResponseCallbackData,
  type APIModalInteractionResponseCallbackData, type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import type { CampaignStats, InviterStats, JoinRecord, Attribution } from './rules/invites.ts';
import { classifyJoin } from './rules/invites.ts';
import type { SettingChange } from './rules/lockdown.ts';
import type { ChallengeView } from './rules/verification.ts';
import type { AntiRaidConfig } from './rules/config.ts';
import type { LockdownRecord } from './rules/lockdown-record.ts';

/** custom_id feature prefixes: `raid:<action>:<guild_id>:<lockdown_id>` and `verify:<action>:<guild_id>`. */
export const RAID_FEATURE = 'raid';
export const VERIFY_FEATURE = 'verify';
export const RaidActions = { end: 'end', approve: 'approve', reject: 'reject' } as const;
export const VerifyActions = { start: 'start', answer: 'answer', submit: 'submit' } as const;
export const ANSWER_FIELD = 'answer';

const LEVELS = ['None', 'Low', 'Medium', 'High', 'Highest'];
const at = (ms: number, style = 'f') => `<t:${Math.floor(ms / 1000)}:${style}>`;
const iso = (s: string | null) => (s ? at(Date.parse(s)) : 'not paused');

export function describeChange(c: SettingChange): string {
  switch (c.kind) {
    case 'verification-level': return `Verification level: ${LEVELS[c.from] ?? c.from} → ${LEVELS[c.to] ?? c.to}`;
    case 'slowmode': return `Slowmode in <#${c.channelId}>: ${c.from} s → ${c.to} s`;
    case 'incident-actions': {
      const parts: string[] = [];
      if (c.from.invites !== c.to.invites) parts.push(`invites ${c.to.invites ? `paused until ${iso(c.to.invites)}` : `resumed (were ${iso(c.from.invites)})`}`);
      if (c.from.dms !== c.to.dms) parts.push(`DMs ${c.to.dms ? `paused until ${iso(c.to.dms)}` : `resumed (were ${iso(c.from.dms)})`}`);
      return `Incident actions: ${parts.join(', ') || 'unchanged'}`;
    }
  }
}

const button = (style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger, label: string, custom_id: string, disabled = false): APIButtonComponent =>
  ({ type: ComponentType.Button, style, label, custom_id, disabled });
const row = (...components: APIButtonComponent[]): APIActionRowComponent<APIComponentInMessageActionRow> => ({ type: ComponentType.ActionRow, components });

/** The moderators' alert for a lockdown, rendered from its record at each change (one writer: the alert job). */
export function raidAlert(guildId: string, r: LockdownRecord, quarantined: number): RESTPostAPIChannelMessageJSONBody {
  const lines: string[] = [];
  const head = r.crossedBy ? `🚨 **Raid detected** ${at(r.detectedAt, 'R')}: ${r.summary}.` : `🚨 **Lockdown started** by <@${r.startedBy}> ${at(r.detectedAt, 'R')}: ${r.summary}.`;
  lines.push(head);
  const changes = r.lockdown?.changes ?? [];
  if (r.phase === 'starting') lines.push('Locking down…');
  else if (changes.length) lines.push('**Lockdown:**', ...changes.map((c) => `• ${describeChange(c)}`));
  else lines.push('Nothing needed changing: the server was already as strict as a lockdown makes it.');
  for (const f of r.failed) lines.push(`⚠️ Not applied: ${describeChange(f.change)} (${f.error})`);
  lines.push(`**${quarantined}** member${quarantined === 1 ? '' : 's'} quarantined (everyone who joined in the spike and while locked down).`);
  if (r.phase === 'active' && r.endsAt) lines.push(`Ends on its own ${at(r.endsAt, 'R')} unless the raid goes on.`);
  if (r.phase === 'ending') lines.push('Ending: restoring the settings the lockdown changed…');
  if (r.phase === 'ended' && r.restore) {
    lines.push(`✅ **Lockdown ended** ${r.endedBy === 'timer' ? 'after its set time' : `by <@${r.endedBy}>`}${r.endedAt ? ` ${at(r.endedAt, 'R')}` : ''}.`);
    for (const c of r.restore.restored) lines.push(`• Restored ${describeChange(c)}`);
    for (const s of r.restore.skipped) lines.push(`• Left alone: ${s.reason}`);
    for (const f of r.restore.failed) lines.push(`⚠️ Not restored: ${describeChange(f.change)} (${f.error})`);
  }
  if (r.phase === 'failed') lines.push(`⚠️ The lockdown could not be applied: ${r.error ?? 'unknown error'}`);
  const rm = r.removal;
  if (rm) {
    if (rm.status === 'pending') lines.push(`**Remove raiders?** Ban the quarantined members (needs Ban Members). Expires ${at(rm.expiresAt, 'R')}.`);
    else if (rm.status === 'approved') lines.push(r.removalResult ? `🔨 Raiders removed (approved by <@${rm.decidedBy}>): ${r.removalResult.banned} banned${r.removalResult.failed ? `, ${r.removalResult.failed} not banned` : ''}.` : `🔨 Removal approved by <@${rm.decidedBy}>: banning…`);
    else if (rm.status === 'rejected') lines.push(`Removal rejected by <@${rm.decidedBy}>; quarantined members stay.`);
    else lines.push('The removal request expired.');
  }
  const id = (action: string) => encodeCustomId({ feature: RAID_FEATURE, action, id: guildId, extra: r.id });
  const live = r.phase === 'active';
  const components = [row(button(ButtonStyle.Danger, live ? 'End lockdown' : 'Lockdown over', id(RaidActions.end), !live))];
  if (rm) {
    const open = rm.status === 'pending';
    components.push(row(button(ButtonStyle.Success, 'Approve removal', id(RaidActions.approve), !open), button(ButtonStyle.Secondary, 'Reject removal', id(RaidActions.reject), !open)));
  }
  return { content: lines.join('\n').slice(0, 2000), components, allowed_mentions: { parse: [] } };
}

export const ephemeral = (content: string): APIInteractionResponseCallbackData => ({ content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } });

/** The message in the verify channel that new members press. */
export function verifyPanel(guildId: string): RESTPostAPIChannelMessageJSONBody {
  return {
    content: '👋 **Welcome!** Press **Verify** to get access to the server. You will be asked one short question.',
    components: [row(button(ButtonStyle.Success, 'Verify', encodeCustomId({ feature: VERIFY_FEATURE, action: VerifyActions.start, id: guildId })))],
    allowed_mentions: { parse: [] },
  };
}

/** The ephemeral challenge; the answer is typed in a modal, never shown on a button. */
export function challengeReply(guildId: string, view: ChallengeView, expiresAt: number): APIInteractionResponseCallbackData {
  const body = view.kind === 'text' ? `${view.prompt}\n\n# ${view.display}` : view.prompt;
  return {
    content: `${body}\n\nPress **Answer** to reply (this challenge expires ${at(expiresAt, 'R')}).`,
    flags: MessageFlags.Ephemeral,
    components: [row(button(ButtonStyle.Primary, 'Answer', encodeCustomId({ feature: VERIFY_FEATURE, action: VerifyActions.answer, id: guildId })))],
    allowed_mentions: { parse: [] },
  };
}

export function answerModal(guildId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: encodeCustomId({ feature: VERIFY_FEATURE, action: VerifyActions.submit, id: guildId }),
    title: 'Verification',
    components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: ANSWER_FIELD, label: 'Your answer', style: TextInputStyle.Short, min_length: 1, max_length: 100, required: true }] }],
  };
}

export function describeAttribution(a: Attribution, campaigns: Readonly<Record<string, string>>): string {
  const named = (code: string) => (campaigns[code] ? `${code} (campaign “${campaigns[code]}”)` : code);
  switch (a.kind) {
    case 'invite': return `invite ${named(a.code)}${a.inviterId ? ` from <@${a.inviterId}>` : ''}`;
    case 'vanity': return `the vanity URL ${named(a.code)}`;
    case 'ambiguous': return `one of ${a.candidates.map((c) => (c.vanity ? `the vanity URL ${c.code}` : `invite ${named(c.code)}${c.inviterId ? ` (<@${c.inviterId}>)` : ''}`)).join(', ')} — several changed at once, so it cannot be told which`;
    case 'unknown': return 'an invite that could not be identified';
  }
}

const counts = (s: { total: number; regular: number; left: number; fake: number }) => `**${s.total}** total · ${s.regular} regular · ${s.left} left · ${s.fake} fake`;

export function inviterSummary(userId: string, stats: InviterStats | undefined, joined: JoinRecord | null, campaigns: Readonly<Record<string, string>>): string {
  const lines = [`<@${userId}> invited: ${counts(stats ?? { total: 0, regular: 0, left: 0, fake: 0 })}.`];
  if (joined) lines.push(`They joined ${at(joined.joinedAt, 'R')} through ${describeAttribution(joined.attribution, campaigns)} (${classifyJoin(joined)}).`);
  lines.push('Fake: left within 10 minutes or an account younger than 7 days.');
  return lines.join('\n');
}

export function leaderboardText(rows: readonly InviterStats[]): string {
  if (rows.length === 0) return 'No invites tracked yet.';
  return ['**Invite leaderboard** (regular invites first)', ...rows.map((s, i) => `${i + 1}. <@${s.inviterId}> — ${counts(s)}`)].join('\n');
}

export function campaignsText(rows: readonly CampaignStats[]): string {
  if (rows.length === 0) return 'No campaign invites named yet. Name one with /invites name.';
  return ['**Campaigns**', ...rows.map((c) => `• “${c.name}” (${c.code}) — ${counts(c)}`)].join('\n');
}

/** What a lockdown does with these settings, in one line. */
export function lockdownPlanSummary(c: AntiRaidConfig): string {
  const l = c.lockdown;
  const parts = [`verification level ${LEVELS[l.verificationLevel] ?? l.verificationLevel}`];
  if (l.pauseInvites || l.pauseDms) parts.push(`${[l.pauseInvites && 'invites', l.pauseDms && 'DMs'].filter(Boolean).join(' and ')} paused`);
  if (l.slowmodeSeconds > 0 && l.slowmodeChannelIds.length) parts.push(`${l.slowmodeSeconds} s slowmode in ${l.slowmodeChannelIds.map((id) => `<#${id}>`).join(' ')}`);
  parts.push('new members quarantined');
  return parts.join(', ');
}

export function lockdownSummary(r: LockdownRecord | null, quarantined: number): string {
  if (!r) return 'No lockdown in progress.';
  const changes = r.lockdown?.changes.map(describeChange).join('; ') || 'none yet';
  return `Lockdown **${r.phase}** since ${at(r.detectedAt, 'R')} (${r.summary}); changed: ${changes}; ${quarantined} quarantined.${r.endsAt ? ` Ends ${at(r.endsAt, 'R')}.` : ''}`;
}

/** Where a lockdown alert goes: a channel (configured, or the guild's own notice channels) or the owner's DMs. */
export type AlertTarget = { kind: 'channel'; channelId: string; via: 'configured' | 'safety-alerts' | 'system' } | { kind: 'owner-dm'; userId: string };

export function describeAlertTarget(t: AlertTarget): string {
  if (t.kind === 'owner-dm') return `a DM to the owner <@${t.userId}>`;
  if (t.via === 'safety-alerts') return `<#${t.channelId}> (the server's Safety Notifications channel)`;
  if (t.via === 'system') return `<#${t.channelId}> (the server's System Messages channel)`;
  return `<#${t.channelId}>`;
}

/** The alert as a DM to the owner: no buttons (they only work in the server), and why it came to them. */
export function ownerAlert(body: RESTPostAPIChannelMessageJSONBody): RESTPostAPIChannelMessageJSONBody {
  return {
    ...body,
    content: `${body.content ?? ''}\n\n_You get this because your server has no anti-raid alert channel, Safety Notifications channel or System Messages channel Guildkeep can post in. Set one with \`/antiraid config alert_channel\`; end the lockdown there with \`/lockdown end\`._`.slice(0, 2000),
    components: [],
  };
}

/** /antiraid status: the detector, what a lockdown does, and the one in progress. */
export function antiraidSummary(c: AntiRaidConfig, r: LockdownRecord | null, quarantined: number, alertsTo: AlertTarget | null = null): string {
  const l = c.lockdown;
  return [
    `Anti-raid: **${c.raid.enabled ? 'on' : 'off'}** — ${c.raid.joins} joins in ${c.raid.seconds} s (or ${c.raid.suspiciousJoins} when most are new accounts or share a name pattern).`,
    `Lockdown: ${lockdownPlanSummary(c)}; lasts at least ${Math.round(l.minDurationMs / 60_000)} min and until ${Math.round(l.quietMs / 60_000)} min without a spike.`,
    `Alerts: ${c.alertChannelId ? `<#${c.alertChannelId}>` : `no channel set, so they go to ${alertsTo ? describeAlertTarget(alertsTo) : "the server's Safety Notifications channel, else its System Messages channel, else a DM to the owner"}`}. Quarantine role: ${c.quarantineRoleId ? `<@&${c.quarantineRoleId}>` : 'created at the first lockdown'}.`,
    lockdownSummary(r, quarantined),
  ].join('\n');
}
