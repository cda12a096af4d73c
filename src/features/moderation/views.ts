import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  type RESTPostAPIChannelMessageJSONBody,
  TextInputStyle,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import { formatDurationIn } from '../../i18n/format.ts';
import { t as tr } from '../../i18n/index.ts';
import type { Appeal } from './rules/appeals.ts';
import type { ApprovalOrigin, ModAction } from './rules/approvals.ts';
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
const cid = (action: string, guildId: string, extra?: string) =>
  encodeCustomId({ feature: MOD_FEATURE, action, id: guildId, ...(extra !== undefined ? { extra } : {}) });

const COLOR: Record<string, number> = {
  warn: 0xf1c40f,
  timeout: 0xe67e22,
  untimeout: 0x2ecc71,
  kick: 0xe74c3c,
  ban: 0x992d22,
  unban: 0x2ecc71,
  quarantine: 0x9b59b6,
  delete: 0x95a5a6,
  purge: 0x95a5a6,
  pardon: 0x2ecc71,
};

const actionTitle = (action: string, locale?: string) => tr(locale, 'mod.action-title', { action });

function byWhom(c: Pick<ModCase, 'moderatorId' | 'source'>, locale?: string): string {
  if (c.moderatorId) return `<@${c.moderatorId}>${c.source === 'moderator' ? '' : ` (${tr(locale, 'mod.source', { source: c.source })})`}`;
  return tr(locale, c.source === 'escalation' ? 'mod.by.escalation' : c.source === 'classifier' ? 'mod.by.classifier' : 'mod.by.automod');
}

/** The mod-log entry of a case, in the guild's locale. */
export function caseEmbed(c: ModCase, locale?: string): APIEmbed {
  const fields: NonNullable<APIEmbed['fields']> = [
    ...(c.userId ? [{ name: tr(locale, 'mod.field.member'), value: `<@${c.userId}> (${c.userId})`, inline: true }] : []),
    { name: tr(locale, 'mod.field.by'), value: byWhom(c, locale), inline: true },
  ];
  if (c.durationMs !== null) fields.push({ name: tr(locale, 'mod.field.duration'), value: formatDurationIn(locale, c.durationMs), inline: true });
  if (c.roleId) fields.push({ name: tr(locale, 'mod.field.role'), value: `<@&${c.roleId}>`, inline: true });
  if (c.channelId) fields.push({ name: tr(locale, 'mod.field.channel'), value: `<#${c.channelId}>`, inline: true });
  fields.push({ name: tr(locale, 'mod.field.reason'), value: clip(c.reason || '—', 1024) });
  if (c.evidence) fields.push({ name: tr(locale, 'mod.field.evidence'), value: clip(c.evidence, 1024) });
  fields.push({
    name: tr(locale, 'mod.field.result'),
    value: clip(`${tr(locale, 'mod.result', { result: c.result })}${c.resultNote ? ` — ${c.resultNote}` : ''}`, 1024),
  });
  return {
    title: tr(locale, 'mod.case.title', { id: String(c.id), title: actionTitle(c.action, locale) }),
    color: COLOR[c.action] ?? 0x95a5a6,
    fields,
    timestamp: new Date(c.at).toISOString(),
  };
}

export const modLogMessage = (c: ModCase, locale?: string): RESTPostAPIChannelMessageJSONBody => ({
  embeds: [caseEmbed(c, locale)],
  allowed_mentions: { parse: [] },
});

function originText(o: ApprovalOrigin, locale?: string): string {
  switch (o.kind) {
    case 'automod':
      return tr(locale, 'mod.origin.automod', { rule: o.ruleId });
    case 'escalation':
      return tr(locale, 'mod.origin.escalation', { step: o.step + 1 });
    case 'classifier':
      return tr(locale, 'mod.origin.classifier', {
        provider: o.provider,
        score: o.score.toFixed(2),
        hasLabels: o.labels.length ? 'yes' : 'no',
        labels: o.labels.join(', '),
      });
    case 'raid':
      return tr(locale, 'mod.origin.raid');
  }
}

/** What an approval would do, in words, in `locale` (the mod-queue message). */
function describeAction(a: ModAction, locale?: string): string {
  switch (a.kind) {
    case 'kick':
      return tr(locale, 'mod.action.kick', { user: a.userId });
    case 'ban':
      return tr(locale, 'mod.action.ban', { user: a.userId });
    case 'purge':
      return tr(locale, 'mod.action.purge', { count: a.messageIds.length, channel: a.channelId });
    case 'timeout':
      return tr(locale, 'mod.action.timeout', { user: a.userId });
    case 'delete':
      return tr(locale, 'mod.action.delete', { channel: a.channelId });
  }
}

function approvalButtons(guildId: string, a: StoredApproval, locale?: string): APIActionRowComponent<APIComponentInMessageActionRow> {
  const open = a.status === 'pending';
  const buttons: APIButtonComponent[] = [
    {
      type: ComponentType.Button,
      style: ButtonStyle.Danger,
      label: tr(locale, 'mod.button.approve'),
      custom_id: cid(ModActions.approve, guildId, a.id),
      disabled: !open,
    },
    {
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: tr(locale, 'mod.button.reject'),
      custom_id: cid(ModActions.reject, guildId, a.id),
      disabled: !open,
    },
  ];
  return { type: ComponentType.ActionRow, components: buttons };
}

/** The mod-queue message of an approval; re-rendered (buttons off) once decided or expired. */
export function approvalMessage(guildId: string, a: StoredApproval, locale?: string): RESTPostAPIChannelMessageJSONBody & { embeds: APIEmbed[] } {
  let status = tr(locale, 'mod.approval.status', { status: a.status });
  if (a.decidedBy && a.status !== 'expired') status += ` ${tr(locale, 'common.by-user', { user: a.decidedBy })}`;
  if (a.decidedAt) status += ` <t:${unix(a.decidedAt)}:R>`;
  if (a.outcome) status += `\n${outcomeText(a.outcome, locale)}`;
  return {
    embeds: [
      {
        title: tr(locale, 'mod.approval.title', { id: String(a.id), title: actionTitle(a.action.kind, locale) }),
        color: a.status === 'pending' ? 0xe67e22 : a.status === 'approved' ? 0x2ecc71 : 0x95a5a6,
        description: clip(
          `**${describeAction(a.action, locale)}**\n${tr(locale, 'mod.approval.asked-by', { origin: originText(a.origin, locale) })}\n${a.status === 'pending' ? tr(locale, 'mod.approval.expires', { at: unix(a.expiresAt) }) : ''}`,
          4096,
        ),
        fields: [
          { name: tr(locale, 'mod.field.reason'), value: clip(a.reason || '—', 1024) },
          ...(a.evidence ? [{ name: tr(locale, 'mod.field.evidence'), value: clip(a.evidence, 1024) }] : []),
          { name: tr(locale, 'mod.field.status'), value: clip(status, 1024) },
        ],
      },
    ],
    components: [approvalButtons(guildId, a, locale)],
    allowed_mentions: { parse: [] },
  };
}

/** The member's DM about a case: what, why, and how to appeal (a button, and for bans a web form too). */
export function dmNotice(guildId: string, guildName: string, c: ModCase, formLink: string | null, locale?: string): RESTPostAPIChannelMessageJSONBody {
  const timed = c.durationMs !== null && c.action === 'timeout';
  const lines = [
    tr(locale, 'mod.notice.dm', {
      action: c.action,
      guild: guildName,
      hasDuration: timed ? 'yes' : 'no',
      duration: timed ? formatDurationIn(locale, c.durationMs!) : '',
    }),
    tr(locale, 'mod.notice.reason', { reason: clip(c.reason || '—', 500) }),
    tr(locale, 'mod.notice.case', { case: `${guildId}-${c.id}` }),
    formLink ? tr(locale, 'mod.notice.appeal-form', { link: formLink }) : tr(locale, 'mod.notice.appeal-button'),
  ];
  return {
    content: lines.join('\n'),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: tr(locale, 'mod.button.appeal'),
            custom_id: cid(ModActions.appeal, guildId, String(c.id)),
          },
        ],
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** Posted in the channel when the member's DMs are closed. */
export function channelNotice(c: ModCase, locale?: string): RESTPostAPIChannelMessageJSONBody {
  return {
    content: tr(locale, 'mod.notice.channel', { user: c.userId, action: c.action, reason: clip(c.reason || '—', 500), id: String(c.id) }),
    allowed_mentions: { users: [c.userId] },
  };
}

export function appealModal(guildId: string, caseId: number, locale?: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: cid(ModActions.appealForm, guildId, String(caseId)),
    title: tr(locale, 'mod.appeal.modal.title', { id: String(caseId) }).slice(0, 45),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: APPEAL_TEXT_FIELD,
            label: tr(locale, 'mod.appeal.modal.label').slice(0, 45),
            style: TextInputStyle.Paragraph,
            min_length: 10,
            max_length: 1500,
            required: true,
          },
        ],
      },
    ],
  };
}

/** The appeal as staff see it in the appeals channel, with the original case attached. */
export function appealMessage(guildId: string, a: Appeal, c: ModCase, locale?: string): RESTPostAPIChannelMessageJSONBody {
  const open = a.status === 'open';
  const status = `${tr(locale, 'mod.appeal.status', { status: a.status })}${!open && a.decidedBy ? ` ${tr(locale, 'common.by-user', { user: a.decidedBy })}` : ''}${!open && a.decidedAt ? ` <t:${unix(a.decidedAt)}:R>` : ''}`;
  return {
    content: tr(locale, 'mod.appeal.post', { id: String(a.id), user: a.userId, case: String(c.id), via: a.via }),
    embeds: [
      {
        title: tr(locale, 'mod.appeal.title', { id: String(a.id) }),
        description: clip(a.text, 4096),
        color: open ? 0x3498db : a.status === 'accepted' ? 0x2ecc71 : 0x95a5a6,
        fields: [{ name: tr(locale, 'mod.field.status'), value: status }],
      },
      caseEmbed(c, locale),
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Success,
            label: tr(locale, 'mod.button.accept-revert'),
            custom_id: cid(ModActions.appealAccept, guildId, String(a.id)),
            disabled: !open,
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: tr(locale, 'mod.button.reject'),
            custom_id: cid(ModActions.appealReject, guildId, String(a.id)),
            disabled: !open,
          },
        ],
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** `/infractions <member>`: the record, newest first, with what still counts. */
export function infractionsText(record: InfractionRecord, now: number, windowMs: number, locale?: string): string {
  if (record.items.length === 0) return tr(locale, 'mod.infractions.none', { user: record.userId });
  const active = activeCount(record, now, windowMs);
  const lines = [...record.items]
    .reverse()
    .slice(0, 15)
    .map((i) => {
      const who = i.moderatorId ? tr(locale, 'common.by-user', { user: i.moderatorId }) : tr(locale, 'mod.source', { source: i.source });
      const pardon = i.pardon
        ? tr(locale, 'mod.infractions.pardoned', {
            user: i.pardon.by,
            hasReason: i.pardon.reason ? 'yes' : 'no',
            reason: i.pardon.reason ? clip(i.pardon.reason, 80) : '',
          })
        : '';
      return tr(locale, 'mod.infractions.line', { id: String(i.id), at: unix(i.at), who, reason: clip(i.reason, 120), pardon });
    });
  const more = record.items.length > 15 ? `\n${tr(locale, 'mod.infractions.more', { count: record.items.length - 15 })}` : '';
  return `${tr(locale, 'mod.infractions.header', { user: record.userId, count: record.items.length, active, window: formatDurationIn(locale, windowMs) })}\n${lines.join('\n')}${more}`;
}

/** What became of an approved request, stored as data so the queue message is rendered in the guild's language. */
export interface ApprovalOutcome {
  kind: 'carrying' | 'done' | 'failed';
  caseId: number;
  /** Discord's note on the case (operator text, shown as is). */
  note?: string;
}

export const approvalOutcome = (o: ApprovalOutcome): string => JSON.stringify(o);

/** The stored outcome in `locale`; text stored before outcomes were data is shown as it was written. */
export function outcomeText(stored: string, locale?: string): string {
  let o: ApprovalOutcome;
  try {
    o = JSON.parse(stored) as ApprovalOutcome;
  } catch {
    return stored;
  }
  if (typeof o !== 'object' || o === null || typeof o.caseId !== 'number') return stored;
  if (o.kind === 'carrying') return tr(locale, 'mod.approval.carrying', { case: String(o.caseId) });
  return tr(locale, 'mod.approval.outcome', { result: o.kind, case: String(o.caseId), hasNote: o.note ? 'yes' : 'no', note: o.note ?? '' });
}
