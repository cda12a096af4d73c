import {
  type APIApplicationCommandSubcommandGroupOption,
  type APIChatInputApplicationCommandInteraction,
  ApplicationCommandOptionType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../../discord/custom-id.ts';
import { ephemeral, type Handled, refused, reply } from '../../../discord/handled.ts';
import { invokerOf, type SubcommandCall, stringOption } from '../../../discord/interaction.ts';
import { isAdministrator } from '../../../discord/staff-permissions.ts';
import { t as tr } from '../../../i18n/index.ts';
import { parseMinutes, showMinutes } from '../upkeep/rules.ts';
import { TICKET_FEATURE, TicketGuildActions } from '../views.ts';
import {
  addToList,
  type IntakeList,
  type IntakeRefusal,
  type IntakeRules,
  type IntakeTarget,
  MAX_INTAKE_ENTRIES,
  MAX_KEYWORD_LENGTH,
  MAX_KEYWORDS,
  MAX_SUGGEST_CHANNELS,
  parseKeywords,
  removeFromList,
  setSuggestChannel,
} from './rules.ts';

/** Where the guild's intake rules live (the ticket index in the guild actor). */
export interface IntakeStore {
  intake(): IntakeRules;
  setIntake(r: IntakeRules): void;
}

const target = (name: string, description: string) => ({
  type: ApplicationCommandOptionType.Subcommand as const,
  name,
  description,
  options: [{ type: ApplicationCommandOptionType.Mentionable as const, name: 'target', description: 'A member or a role', required: true }],
});

/** /setup intake …: who may open tickets and how often (administrators). */
export const intakeGroup: APIApplicationCommandSubcommandGroupOption = {
  type: ApplicationCommandOptionType.SubcommandGroup,
  name: 'intake',
  description: 'Who may open tickets and how often (administrators)',
  options: [
    target('allow', 'Only listed members and roles may open tickets: add one'),
    target('unallow', 'Take a member or role off the allowlist'),
    target('block', 'Never let this member or role open tickets'),
    target('unblock', 'Lift a block'),
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'cooldown',
      description: 'Time a member waits between two tickets',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'duration', description: 'e.g. 30m, 2h, 1d; 0 turns it off', required: true, max_length: 20 },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'suggest',
      description: 'Suggest a ticket on help-channel messages with these keywords',
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'The help channel',
          required: true,
          channel_types: [ChannelType.GuildText],
        },
        { type: ApplicationCommandOptionType.String, name: 'keywords', description: 'Comma-separated; leave out to stop', max_length: 1000 },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show who may open tickets and the cooldown' },
  ],
};

/** The suggestion posted under a member's message in a help channel, with a button that opens /ticket open's form. */
export function suggestionMessage(guildId: string, messageId: string, authorId: string, locale: string | undefined): RESTPostAPIChannelMessageJSONBody {
  return {
    content: tr(locale, 'ticket.intake.suggestion'),
    message_reference: { message_id: messageId, fail_if_not_exists: false },
    allowed_mentions: { parse: [] },
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: tr(locale, 'ticket.intake.suggest-button'),
            // The member's message and its author: a ticket its author opens from here is acknowledged on that message.
            custom_id: encodeCustomId({ feature: TICKET_FEATURE, action: TicketGuildActions.suggestOpen, id: guildId, extra: `${messageId}.${authorId}` }),
          },
        ],
      },
    ],
  };
}

const mention = (t: IntakeTarget) => (t.kind === 'role' ? `<@&${t.id}>` : `<@${t.id}>`);

/** The rules as administrators read them back. */
export function intakeSummary(locale: string, r: IntakeRules): string {
  const list = (users: string[], roles: string[]) =>
    [...users.map((id) => `<@${id}>`), ...roles.map((id) => `<@&${id}>`)].join(', ') || tr(locale, 'ticket.intake.nobody');
  return [
    r.allowUsers.length || r.allowRoles.length
      ? tr(locale, 'ticket.intake.allowlist', { list: list(r.allowUsers, r.allowRoles) })
      : tr(locale, 'ticket.intake.everyone'),
    tr(locale, 'ticket.intake.blocklist', { list: list(r.blockUsers, r.blockRoles) }),
    r.cooldownMin > 0 ? tr(locale, 'ticket.intake.cooldown-on', { duration: showMinutes(r.cooldownMin) }) : tr(locale, 'ticket.intake.cooldown-off'),
    ...r.suggest.map((c) => tr(locale, 'ticket.intake.suggest-line', { channel: c.channelId, keywords: c.keywords.join(', ') })),
  ].join('\n');
}

/** What a member is told when the rules refuse their ticket. */
export function intakeRefusalText(locale: string | undefined, r: IntakeRefusal): string {
  if (r.code === 'cooldown') return tr(locale, 'ticket.intake.refused.cooldown', { at: Math.floor(r.until / 1000) });
  return tr(locale, r.code === 'blocked' ? 'ticket.intake.refused.blocked' : 'ticket.intake.refused.not-allowed');
}

/**
 * /setup intake allow|unallow|block|unblock|cooldown|show, for administrators
 * only (checked here, whatever Discord's command permissions say). Every
 * refusal leaves the rules as they were.
 */
export function handleIntakeCommand(store: IntakeStore, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
  const locale = i.locale;
  if (!isAdministrator(invokerOf(i).permissions)) return refused('not-admin', tr(locale, 'ticket.intake.not-admin'));
  const current = store.intake();
  const done = (text: string, next: IntakeRules | null): Handled => {
    if (next) store.setIntake(next);
    return { response: reply(ephemeral(text)), outcome: 'ok', detail: JSON.stringify(next ?? current) };
  };
  const sub = call.path.slice('setup intake '.length);
  switch (sub) {
    case 'show':
      return done(intakeSummary(locale, current), null);
    case 'cooldown': {
      const raw = (stringOption(call, 'duration') ?? '').trim();
      if (raw === '0' || raw.toLowerCase() === 'off') return done(tr(locale, 'ticket.intake.cooldown-off'), { ...current, cooldownMin: 0 });
      const m = parseMinutes(raw);
      if (!m.ok) return refused('bad-duration', tr(locale, 'ticket.intake.refused.bad-duration', { value: raw.slice(0, 40) }));
      return done(tr(locale, 'ticket.intake.cooldown-on', { duration: showMinutes(m.value) }), { ...current, cooldownMin: m.value });
    }
    case 'suggest': {
      const channelId = stringOption(call, 'channel') ?? '';
      const words = parseKeywords(stringOption(call, 'keywords') ?? '');
      if (!words.ok) {
        return refused('bad-keywords', tr(locale, 'ticket.intake.refused.bad-keywords', { max: MAX_KEYWORDS, length: MAX_KEYWORD_LENGTH }));
      }
      const r = setSuggestChannel(current, channelId, words.value);
      if (!r.ok) return refused('full', tr(locale, 'ticket.intake.refused.suggest-full', { max: MAX_SUGGEST_CHANNELS }));
      const head = words.value.length
        ? tr(locale, 'ticket.intake.suggest-saved', { channel: channelId })
        : tr(locale, 'ticket.intake.suggest-removed', { channel: channelId });
      return done(`${head}\n${intakeSummary(locale, r.value)}`, r.value);
    }
    case 'allow':
    case 'unallow':
    case 'block':
    case 'unblock': {
      const id = stringOption(call, 'target') ?? '';
      const t: IntakeTarget = { kind: i.data.resolved?.roles?.[id] ? 'role' : 'user', id };
      if (!id) return refused('bad-input', tr(locale, 'ticket.intake.refused.no-target'));
      const list: IntakeList = sub === 'allow' || sub === 'unallow' ? 'allow' : 'block';
      if (sub === 'allow' || sub === 'block') {
        const r = addToList(current, list, t);
        if (!r.ok) {
          return refused(
            r.error,
            tr(locale, r.error === 'full' ? 'ticket.intake.refused.full' : 'ticket.intake.refused.already', {
              list,
              target: mention(t),
              max: MAX_INTAKE_ENTRIES,
            }),
          );
        }
        return done(`${tr(locale, 'ticket.intake.added', { list, target: mention(t) })}\n${intakeSummary(locale, r.value)}`, r.value);
      }
      const r = removeFromList(current, list, t);
      if (!r.ok) return refused('absent', tr(locale, 'ticket.intake.refused.absent', { list, target: mention(t) }));
      return done(`${tr(locale, 'ticket.intake.removed', { list, target: mention(t) })}\n${intakeSummary(locale, r.value)}`, r.value);
    }
  }
  return refused('unknown-command', tr(locale, 'ticket.unknown-command', { command: call.path }));
}
