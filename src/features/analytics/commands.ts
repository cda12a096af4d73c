import {
  type APIEmbed,
  type APIMessageComponentInteraction,
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  InteractionContextType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits as P,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import { ephemeral, type Handled, refused } from '../../discord/handled.ts';
import { hasPermission, parsePermissions } from '../../discord/hierarchy.ts';
import { reply } from '../../discord/interaction.ts';
import { permissionBits } from '../../discord/permissions.ts';
import { t as tr } from '../../i18n/index.ts';
import type { AnalyticsData } from './guild-analytics.ts';
import { RANGES, type Range } from './rules.ts';

export const ANALYTICS_FEATURE = 'analytics';
export const AnalyticsActions = { pause: 'pause', confirm: 'pause-yes' } as const;
/** Jobs that finish a deferred answer: /stats (its chart) and a confirmed pause from an alert's button. */
export const ANALYTICS_JOBS = { stats: 'analytics-stats', pause: 'analytics-pause' } as const;

const RANGE_LABEL: Record<Range, string> = { '1h': 'last hour', '24h': 'last 24 hours', '7d': 'last 7 days', '30d': 'last 30 days' };

/** `/stats [range]`: the server's joins, leaves and verification, with a chart (Manage Server by default; the answer only the invoker sees). */
export const statsCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'stats',
  description: 'Joins, leaves and verification of this server, with a chart',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(P.ManageGuild),
  options: [
    {
      type: T.String,
      name: 'range',
      description: 'How far back (default 24 hours)',
      required: false,
      choices: RANGES.map((r) => ({ name: RANGE_LABEL[r], value: r })),
    },
  ],
};

/** The button an invite spike alert carries: the guild as the id (the Worker routes guild-owned buttons by it), the code after it. */
export const pauseCustomId = (guildId: string, code: string) =>
  encodeCustomId({ feature: ANALYTICS_FEATURE, action: AnalyticsActions.pause, id: guildId, extra: code });

/** Whether the presser may pause invites: Manage Server, from the interaction's own member permissions (current at the press). */
export const canPause = (i: { member?: { permissions?: string } }) => hasPermission(parsePermissions(i.member?.permissions), P.ManageGuild);

/**
 * An alert's "Pause invite": deleting an invite is destructive, so the first
 * press asks, in a reply only the presser sees; the second does it.
 */
export function pauseAsk(i: APIMessageComponentInteraction, guildId: string, code: string): Handled {
  const l = i.locale;
  if (!canPause(i)) return refused('not-allowed', tr(l, 'analytics.pause.not-allowed'));
  return {
    response: reply({
      ...ephemeral(tr(l, 'analytics.pause.confirm', { code })),
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.Button,
              style: ButtonStyle.Danger,
              custom_id: encodeCustomId({ feature: ANALYTICS_FEATURE, action: AnalyticsActions.confirm, id: guildId, extra: code }),
              label: tr(l, 'analytics.pause.yes', { code }).slice(0, 80),
            },
          ],
        },
      ],
    }),
    outcome: 'ok',
    detail: `asked to pause ${code}`,
  };
}

/** The deferred answer a job finishes (an ephemeral "thinking…" the job edits). */
export const deferred = (detail: string): Handled => ({
  response: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } },
  outcome: 'ok',
  detail,
});

/** /stats' embed: the range's numbers, the top invite, and the chart attached as `stats.png`. */
export function statsEmbed(d: AnalyticsData, locale: string | undefined): APIEmbed {
  const top = d.invites[0];
  return {
    title: tr(locale, 'analytics.stats.title', { range: tr(locale, `analytics.range.${d.range}`) }),
    fields: [
      { name: tr(locale, 'analytics.stats.joins'), value: String(d.totals.join), inline: true },
      { name: tr(locale, 'analytics.stats.leaves'), value: String(d.totals.leave), inline: true },
      { name: tr(locale, 'analytics.stats.verified'), value: String(d.totals['verify-pass']), inline: true },
      { name: tr(locale, 'analytics.stats.failed'), value: String(d.totals['verify-fail']), inline: true },
      { name: tr(locale, 'analytics.stats.top-invite'), value: top ? `${top.key} (${top.n})` : tr(locale, 'analytics.stats.none'), inline: true },
    ],
    image: { url: 'attachment://stats.png' },
    footer: { text: tr(locale, 'analytics.stats.chart') },
  };
}
