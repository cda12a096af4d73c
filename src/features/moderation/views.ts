import {
  ButtonStyle, ComponentType, TextInputStyle,
  type APIActionRowComponent, type APIButtonComponent, type APIComponentInMessageActionRow, type APIEmbed,
  type APIModalInteractionResponseCallbackData, type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import { describeModAction, type ApprovalOrigin } from './rules/approvals.ts';
import type { Appeal } from './rules/appeals.ts';
import { formatDuration } from './rules/automod-config.ts';
import { activeCount, type InfractionRecord } from './rules/infractions.ts';
import type { ModCase, StoredApproval } from './store.ts';

/** custom_id feature of every moderation component: `mod:<action>:<guild_id>[:<extra>]`. */
export const MOD_FEATURE = 'mod';
export const ModActions = {
  approve: 'approve',
  reject: 'reject',
  purge: 'purge',
  purgeCancel: 'purge-cancel',
  /** In the member's DM: opens the appeal form for a case. */
  appeal: 'appeal',
  appealForm: 'appeal-form',
  appealAccept: 'appeal-accept',
  appealReject: 'appeal-reject',
} as const;

export const APPEAL_TEXT_FIELD = 'appeal_text';

const unix = (ms: number) => Math.floor(ms / 1000);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const cid = (action: string, guildId: string, extra?: string) => encodeCustomId({ feature: MOD_FEATURE, action, id: guildId, ...(extra !== undefined ? { extra } : {}) });

const COLOR: Record<string, number> = {
  warn: 0xf1c40f, timeout: 0xe67e22, untimeout: 0x2ecc71, kick: 0xe74c3c, ban: 0x992d22, unban: 0x2ecc71,
  quarantine: 0x9b59b6, delete: 0x95a5a6, purge: 0x95a5a6, pardon: 0x2ecc71,
};

const TITLE: Record<string, string> = {
  warn: 'Warning', timeout: 'Timeout', untimeout: 'Timeout removed', kick: 'Kick', ban: 'Ban', unban: 'Unban',
  quarantine: 'Quarantine', delete: 'Message deleted', purge: 'Purge', pardon: 'Pardon',
};

function byWhom(c: Pick<ModCase, 'moderatorId' | 'source'>): string {
  if (c.moderatorId) return `<@${c.moderatorId}>${c.source === 'moderator' ? '' : ` (${c.source})`}`;
  return c.source === 'escalation' ? 'Escalation ladder' : c.source === 'classifier' ? 'AI classifier (approved)' : 'Automod';
}

/** The mod-log entry of a case. */
export function caseEmbed(c: ModCase): APIEmbed {
  const fields: NonNullable<APIEmbed['fields']> = [
    ...(c.userId ? [{ name: 'Member', value: `<@${c.userId}> (${c.userId})`, inline: true }] : []),
    { name: 'By', value: byWhom(c), inline: true },
  ];
  if (c.durationMs !== null) fields.push({ name: 'Duration', value: formatDuration(c.durationMs), inline: true });
  if (c.roleId) fields.push({ name: 'Role', value: `<@&${c.roleId}>`, inline: true });
  if (c.channelId) fields.push({ name: 'Channel', value: `<#${c.channelId}>`, inline: true });
  fields.push({ name: 'Reason', value: clip(c.reason || '—', 1024) });
  if (c.evidence) fields.push({ name: 'Evidence', value: clip(c.evidence, 1024) });
  fields.push({ name: 'Result', value: clip(`${c.result === 'failed' ? '⚠️ failed' : c.result === 'pending' ? 'pending' : 'done'}${c.resultNote ? ` — ${c.resultNote}` : ''}`, 1024) });
  return { title: `Case #${c.id} · ${TITLE[c.action] ?? c.action}`, color: COLOR[c.action] ?? 0x95a5a6, fields, timestamp: new Date(c.at).toISOString() };
}

export const modLogMessage = (c: ModCase): RESTPostAPIChannelMessageJSONBody => ({ embeds: [caseEmbed(c)], allowed_mentions: { parse: [] } });

function originText(o: ApprovalOrigin): string {
  switch (o.kind) {
    case 'automod': return `automod rule \`${o.ruleId}\``;
    case 'escalation': return `escalation ladder step ${o.step + 1}`;
    case 'classifier': return `AI classifier (${o.provider}, score ${o.score.toFixed(2)}${o.labels.length ? `, ${o.labels.join(', ')}` : ''})`;
    case 'raid': return 'anti-raid';
  }
}

const STATUS_LINE: Record<StoredApproval['status'], string> = { pending: '⏳ Waiting for a moderator', approved: '✅ Approved', rejected: '❌ Rejected', expired: '⌛ Expired' };

function approvalButtons(guildId: string, a: StoredApproval): APIActionRowComponent<APIComponentInMessageActionRow> {
  const open = a.status === 'pending';
  const buttons: APIButtonComponent[] = [
    { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Approve', custom_id: cid(ModActions.approve, guildId, a.id), disabled: !open },
    { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Reject', custom_id: cid(ModActions.reject, guildId, a.id), disabled: !open },
  ];
  return { type: ComponentType.ActionRow, components: buttons };
}

/** The mod-queue message of an approval; re-rendered (buttons off) once decided or expired. */
export function approvalMessage(guildId: string, a: StoredApproval): RESTPostAPIChannelMessageJSONBody & { embeds: APIEmbed[] } {
  let status = STATUS_LINE[a.status];
  if (a.decidedBy && a.status !== 'expired') status += ` by <@${a.decidedBy}>`;
  if (a.decidedAt) status += ` <t:${unix(a.decidedAt)}:R>`;
  if (a.outcome) status += `\n${a.outcome}`;
  return {
    embeds: [{
      title: `Approval #${a.id} · ${TITLE[a.action.kind] ?? a.action.kind}`,
      color: a.status === 'pending' ? 0xe67e22 : a.status === 'approved' ? 0x2ecc71 : 0x95a5a6,
      description: clip(`**${describeModAction(a.action)}**\nAsked by ${originText(a.origin)}.\n${a.status === 'pending' ? `Expires <t:${unix(a.expiresAt)}:R>.` : ''}`, 4096),
      fields: [
        { name: 'Reason', value: clip(a.reason || '—', 1024) },
        ...(a.evidence ? [{ name: 'Evidence', value: clip(a.evidence, 1024) }] : []),
        { name: 'Status', value: clip(status, 1024) },
      ],
    }],
    components: [approvalButtons(guildId, a)],
    allowed_mentions: { parse: [] },
  };
}

const NOTICE_VERB: Partial<Record<ModCase['action'], string>> = {
  warn: 'You received a warning', timeout: 'You were timed out', kick: 'You were kicked', ban: 'You were banned', quarantine: 'You were quarantined', delete: 'Your message was removed',
};

/** The member's DM about a case: what, why, and how to appeal (a button, and for bans a web form too). */
export function dmNotice(guildId: string, guildName: string, c: ModCase, formLink: string | null): RESTPostAPIChannelMessageJSONBody {
  const verb = NOTICE_VERB[c.action] ?? 'A moderation action was taken';
  const lines = [
    `${verb} in **${guildName}**${c.durationMs !== null && c.action === 'timeout' ? ` for ${formatDuration(c.durationMs)}` : ''}.`,
    `Reason: ${clip(c.reason || '—', 500)}`,
    `Case: \`${guildId}-${c.id}\``,
    formLink
      ? `If you think this was a mistake, press **Appeal**, or use this form: ${formLink}`
      : 'If you think this was a mistake, press **Appeal** (or send `/appeal` here with the case above).',
  ];
  return {
    content: lines.join('\n'),
    components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Appeal', custom_id: cid(ModActions.appeal, guildId, String(c.id)) }] }],
    allowed_mentions: { parse: [] },
  };
}

/** Posted in the channel when the member's DMs are closed. */
export function channelNotice(c: ModCase): RESTPostAPIChannelMessageJSONBody {
  const verb = (NOTICE_VERB[c.action] ?? 'A moderation action was taken').replace(/^You (were|received)/, (_m, w: string) => (w === 'were' ? 'you were' : 'you received'));
  return { content: `<@${c.userId}>, ${verb}. Reason: ${clip(c.reason || '—', 500)} (case #${c.id})`, allowed_mentions: { users: [c.userId] } };
}

export function appealModal(guildId: string, caseId: number): APIModalInteractionResponseCallbackData {
  return {
    custom_id: cid(ModActions.appealForm, guildId, String(caseId)),
    title: `Appeal case #${caseId}`,
    components: [{
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.TextInput, custom_id: APPEAL_TEXT_FIELD, label: 'Why should this be undone?', style: TextInputStyle.Paragraph, min_length: 10, max_length: 1500, required: true }],
    }],
  };
}

/** The appeal as staff see it in the appeals channel, with the original case attached. */
export function appealMessage(guildId: string, a: Appeal, c: ModCase): RESTPostAPIChannelMessageJSONBody {
  const open = a.status === 'open';
  const status = open ? '⏳ Open' : `${a.status === 'accepted' ? '✅ Accepted' : '❌ Rejected'}${a.decidedBy ? ` by <@${a.decidedBy}>` : ''}${a.decidedAt ? ` <t:${unix(a.decidedAt)}:R>` : ''}`;
  return {
    content: `Appeal #${a.id} from <@${a.userId}> about case #${c.id} (${a.via === 'form' ? 'web form' : 'DM'})`,
    embeds: [
      { title: `Appeal #${a.id}`, description: clip(a.text, 4096), color: open ? 0x3498db : a.status === 'accepted' ? 0x2ecc71 : 0x95a5a6, fields: [{ name: 'Status', value: status }] },
      caseEmbed(c),
    ],
    components: [{
      type: ComponentType.ActionRow,
      components: [
        { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Accept (revert)', custom_id: cid(ModActions.appealAccept, guildId, String(a.id)), disabled: !open },
        { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Reject', custom_id: cid(ModActions.appealReject, guildId, String(a.id)), disabled: !open },
      ],
    }],
    allowed_mentions: { parse: [] },
  };
}

/** `/infractions <member>`: the record, newest first, with what still counts. */
export function infractionsText(record: InfractionRecord, now: number, windowMs: number): string {
  if (record.items.length === 0) return `<@${record.userId}> has no infractions.`;
  const active = activeCount(record, now, windowMs);
  const lines = [...record.items].reverse().slice(0, 15).map((i) => {
    const who = i.moderatorId ? `by <@${i.moderatorId}>` : i.source;
    const pardon = i.pardon ? ` — ~~pardoned~~ by <@${i.pardon.by}>${i.pardon.reason ? `: ${clip(i.pardon.reason, 80)}` : ''}` : '';
    return `#${i.id} <t:${unix(i.at)}:R> ${who}: ${clip(i.reason, 120)}${pardon}`;
  });
  const more = record.items.length > 15 ? `\n…and ${record.items.length - 15} older.` : '';
  return `<@${record.userId}>: ${record.items.length} infraction${record.items.length === 1 ? '' : 's'}, ${active} counting in the last ${formatDuration(windowMs)}.\n${lines.join('\n')}${more}`;
}
