import { type APIActionRowComponent, type APIComponentInMessageActionRow, type APIEmbed, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import { t as tr } from '../../i18n/index.ts';
import { type Curve, levelOf } from './rules/curve.ts';
import type { MemberRow } from './store.ts';

export const LEVELS_FEATURE = 'levels';
export const PAGE_ACTION = 'page';
export const PAGE_SIZE = 10;

/** One page of the board as an embed, with previous/next buttons (the page number rides in the custom_id). */
export function boardMessage(
  guildId: string,
  rows: readonly MemberRow[],
  page: number,
  total: number,
  curve: Curve,
  locale: string | undefined,
): { embeds: APIEmbed[]; components: APIActionRowComponent<APIComponentInMessageActionRow>[]; allowed_mentions: { parse: [] } } {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const lines = rows.map((m, i) => tr(locale, 'levels.board.line', { rank: page * PAGE_SIZE + i + 1, user: m.userId, level: levelOf(curve, m.xp), xp: m.xp }));
  const button = (label: string, to: number, disabled: boolean) => ({
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    label,
    custom_id: encodeCustomId({ feature: LEVELS_FEATURE, action: PAGE_ACTION, id: guildId, extra: String(to) }),
    disabled,
  });
  return {
    embeds: [
      {
        title: tr(locale, 'levels.board.title', { page: page + 1, pages }),
        description: lines.length > 0 ? lines.join('\n') : tr(locale, 'levels.board.empty'),
        color: 0x5865f2,
      },
    ],
    components:
      pages > 1
        ? [
            {
              type: ComponentType.ActionRow,
              components: [button(tr(locale, 'levels.board.prev'), page - 1, page <= 0), button(tr(locale, 'levels.board.next'), page + 1, page >= pages - 1)],
            },
          ]
        : [],
    allowed_mentions: { parse: [] },
  };
}
