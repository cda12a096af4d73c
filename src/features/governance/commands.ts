import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits as P,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { permissionBits } from '../../discord/permissions.ts';
import { t } from '../../i18n/index.ts';
import type { BotEntry, BotRegister } from './feature.ts';
import { dayOf } from './rules.ts';

/** `/bots review`: the register's short form in Discord, for members who may manage the server. */
export const BOTS_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'bots',
  type: ApplicationCommandType.ChatInput,
  description: 'The server’s bot register (Manage Server)',
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(P.ManageGuild),
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'review',
      description: 'Bots that need attention, and Guildkeep’s own permission drift',
    },
  ],
};

/** Discord caps a message at 2,000 characters. */
const MAX_CONTENT = 2000;

/** What needs attention about one bot, in the reader's language (empty: nothing). */
export function issuesOf(locale: string | undefined, b: BotEntry, now: number): string[] {
  const out: string[] = [];
  if (b.flags.administrator) out.push(t(locale, 'gov.review.admin'));
  if (b.flags.overpowered.length > 0) out.push(t(locale, 'gov.review.overpowered', { names: b.flags.overpowered.join(', ') }));
  if (b.activity.kind === 'silent') out.push(t(locale, 'gov.review.silent'));
  if (!b.record && !b.self) out.push(t(locale, 'gov.review.unowned'));
  if (b.record?.reviewDate && b.record.reviewDate <= dayOf(now)) out.push(t(locale, 'gov.review.due', { date: b.record.reviewDate }));
  return out;
}

/** The `/bots review` answer: each bot needing attention, then Guildkeep's drift, and where to edit the register. */
export function reviewText(locale: string | undefined, r: BotRegister, now: number, link: string | null): string {
  const lines = [t(locale, 'gov.review.title', { count: r.bots.length })];
  const attention = r.bots.map((b) => ({ b, issues: issuesOf(locale, b, now) })).filter((x) => x.issues.length > 0);
  if (attention.length === 0) lines.push(t(locale, 'gov.review.all-clear'));
  for (const { b, issues } of attention) lines.push(`• <@${b.id}>: ${issues.join('; ')}`);
  if (!r.complete) lines.push(t(locale, 'gov.incomplete'));
  const d = r.drift;
  lines.push('', `__${t(locale, 'gov.drift.title')}__`);
  const channels = d.channels ?? [];
  if (d.missing.length === 0 && d.excess.length === 0 && channels.length === 0) lines.push(t(locale, 'gov.drift.ok'));
  for (const c of channels) lines.push(`❌ ${t(locale, 'gov.drift.channel', { channel: `<#${c.channelId}>`, names: c.missing.join(', ') })}`);
  if (d.missing.length > 0) lines.push(`❌ ${t(locale, 'gov.drift.missing', { names: d.missing.join(', ') })}`);
  if (d.excess.length > 0) lines.push(`⚠️ ${t(locale, 'gov.drift.excess', { names: d.excess.join(', ') })}`);
  if (link) lines.push('', t(locale, 'gov.review.link', { url: link }));
  const content = lines.join('\n');
  return content.length > MAX_CONTENT ? `${content.slice(0, MAX_CONTENT - 1)}…` : content;
}
