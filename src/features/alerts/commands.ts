import {
  type APIChatInputApplicationCommandInteraction,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits as P,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import { ephemeral, type Handled, refused } from '../../discord/handled.ts';
import { invokerOf, numberOption, reply, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { permissionBits } from '../../discord/permissions.ts';
import { hasAnyPermission } from '../../discord/staff-permissions.ts';
import { t as tr } from '../../i18n/index.ts';
import { ALERT_KINDS, type AlertRoute, isAlertKind, type RouteErrors, type RouteInput } from './rules.ts';
import { routeLine } from './views.ts';

const kindOption = {
  type: T.String,
  name: 'kind',
  description: 'Which alerts',
  required: true,
  choices: ALERT_KINDS.map((k) => ({ name: k, value: k })),
} as const;

/** `/alerts`: where each kind of alert goes, how repeats fold, whom it mentions and when not (administrators). */
export const alertsCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'alerts',
  description: 'Where staff alerts go, and how repeats are folded',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(P.Administrator),
  options: [
    {
      type: T.Subcommand,
      name: 'route',
      description: 'Send one kind of alert to a channel, folding repeats into one message',
      options: [
        kindOption,
        { type: T.Channel, name: 'channel', description: 'The channel for these alerts', required: true, channel_types: [ChannelType.GuildText] },
        { type: T.Role, name: 'role', description: 'A role to mention on the first alert of each fold' },
        { type: T.Integer, name: 'window', description: 'Minutes in which repeats fold into one message (default 10)', min_value: 1, max_value: 1440 },
        { type: T.String, name: 'quiet', description: 'Quiet hours without the mention, e.g. 22:00-07:00 (off: none)', max_length: 11 },
        { type: T.String, name: 'timezone', description: 'The quiet hours’ time zone, e.g. Europe/Berlin (default UTC)', max_length: 64 },
      ],
    },
    { type: T.Subcommand, name: 'clear', description: 'Stop routing one kind of alert through the desk', options: [kindOption] },
    { type: T.Subcommand, name: 'show', description: 'Where each kind of alert goes' },
  ],
};

/** What the command needs of the desk: the same validated save the dashboard uses. */
export interface RouteDesk {
  routeList(): AlertRoute[];
  saveRoute(input: RouteInput, by: string, via: string): { ok: true; value: AlertRoute } | { ok: false; errors: RouteErrors };
  clearRoute(kind: string, by: string, via: string): boolean;
}

const answer = (message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: 'ok', detail });

/** `/alerts …`, administrators only (checked on every call). Bad input is refused with every reason, and changes nothing. */
export function handleAlertsCommand(desk: RouteDesk, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
  const locale = i.locale;
  const inv = invokerOf(i);
  if (!hasAnyPermission(inv.permissions, P.Administrator)) return refused('not-admin', tr(locale, 'alerts.not-admin'));
  switch (call.path) {
    case 'alerts route': {
      const window = numberOption(call, 'window');
      const r = desk.saveRoute(
        {
          kind: stringOption(call, 'kind') ?? '',
          channel: stringOption(call, 'channel') ?? '',
          role: stringOption(call, 'role') ?? '',
          window: window === null ? '' : String(window),
          quiet: stringOption(call, 'quiet') ?? '',
          timezone: stringOption(call, 'timezone') ?? '',
        },
        inv.userId,
        'command',
      );
      if (!r.ok) {
        const reasons = Object.values(r.errors).map((k) => tr(locale, k));
        return refused('bad-input', tr(locale, 'alerts.refused', { reasons: reasons.join(' ') }));
      }
      return answer(tr(locale, 'alerts.saved', { line: routeLine(r.value, locale) }), `route ${r.value.kind}`);
    }
    case 'alerts clear': {
      const kind = stringOption(call, 'kind') ?? '';
      if (!isAlertKind(kind)) return refused('bad-input', tr(locale, 'alerts.err.kind'));
      return desk.clearRoute(kind, inv.userId, 'command') ? answer(tr(locale, 'alerts.cleared'), `clear ${kind}`) : answer(tr(locale, 'alerts.none-to-clear'));
    }
    case 'alerts show': {
      const routes = desk.routeList();
      return answer(routes.length ? routes.map((r) => routeLine(r, locale)).join('\n') : tr(locale, 'alerts.none'));
    }
  }
  return refused('unknown-command', tr(locale, 'common.not-a-command', { command: call.path }));
}
