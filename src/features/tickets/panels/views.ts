import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIModalInteractionResponseCallbackData,
  type APISelectMenuOption,
  ButtonStyle,
  ComponentType,
  type RESTPostAPIChannelMessageJSONBody,
  TextInputStyle,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../../discord/custom-id.ts';
import { t as tr } from '../../../i18n/index.ts';
import { showMinutes } from '../upkeep/rules.ts';
import { formatQuestions, type Panel, type PanelCategory, type PanelRefusal } from './rules.ts';

/**
 * custom_ids of panels, all `ticket:<action>:<guild id>:<extra>`: the guild id
 * routes a press to the guild actor, the extra names the category (button,
 * form) or the panel (select), so a press after a restart or a redeploy
 * needs nothing but the id and the stored category.
 */
export const PanelActions = { press: 'panel', pick: 'panel-pick', form: 'panel-form' } as const;
const FEATURE = 'ticket';

export const pressId = (guildId: string, categoryId: number) =>
  encodeCustomId({ feature: FEATURE, action: PanelActions.press, id: guildId, extra: String(categoryId) });
export const pickId = (guildId: string, panelId: number) =>
  encodeCustomId({ feature: FEATURE, action: PanelActions.pick, id: guildId, extra: String(panelId) });
export const formId = (guildId: string, categoryId: number) =>
  encodeCustomId({ feature: FEATURE, action: PanelActions.form, id: guildId, extra: String(categoryId) });
/** The text inputs' custom_ids, by position: answers are read back in the questions' order. */
export const answerId = (n: number) => `q${n}`;

const PANEL_COLOR = 0x5865f2;

/** The panel message: an embed, then a button per category (rows of five) or one select menu. `locale` is the guild's. */
export function panelMessage(guildId: string, p: Panel, categories: readonly PanelCategory[], locale: string | undefined): RESTPostAPIChannelMessageJSONBody {
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  if (p.style === 'buttons') {
    const buttons: APIButtonComponentWithCustomId[] = categories.map((c) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: c.name,
      custom_id: pressId(guildId, c.id),
      ...(c.emoji ? { emoji: c.emoji } : {}),
    }));
    for (let n = 0; n < buttons.length; n += 5) rows.push({ type: ComponentType.ActionRow, components: buttons.slice(n, n + 5) });
  } else if (categories.length > 0) {
    const options: APISelectMenuOption[] = categories.map((c) => ({
      label: c.name,
      value: String(c.id),
      ...(c.description ? { description: c.description } : {}),
      ...(c.emoji ? { emoji: c.emoji } : {}),
    }));
    rows.push({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.StringSelect, custom_id: pickId(guildId, p.id), placeholder: tr(locale, 'panel.select.placeholder'), options }],
    });
  }
  return {
    embeds: [
      {
        title: p.title,
        color: PANEL_COLOR,
        ...(p.description ? { description: p.description } : {}),
        // With buttons the descriptions have no place of their own: they go in the embed.
        ...(p.style === 'buttons' && categories.some((c) => c.description)
          ? {
              fields: categories
                .filter((c) => c.description)
                .map((c) => ({ name: c.emoji && !c.emoji.id ? `${c.emoji.name} ${c.name}` : c.name, value: c.description! })),
            }
          : {}),
      },
    ],
    components: rows,
    allowed_mentions: { parse: [] },
  };
}

/** The category's form: its questions as text inputs; the title is the category's name (at most 45, like a label). */
export function categoryModal(guildId: string, c: PanelCategory): APIModalInteractionResponseCallbackData {
  return {
    custom_id: formId(guildId, c.id),
    title: c.name,
    components: c.questions.map((q, n) => ({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.TextInput,
          custom_id: answerId(n),
          label: q.label,
          style: q.style === 'paragraph' ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: q.required,
          // The first answer is the ticket's subject, which Discord's thread names cut at 100.
          max_length: n === 0 ? 100 : q.style === 'paragraph' ? 4000 : 1000,
          ...(q.placeholder ? { placeholder: q.placeholder } : {}),
        },
      ],
    })),
  };
}

/** A refused category or panel change in the admin's language; each says nothing was changed. */
export function panelRefusalText(locale: string | undefined, r: PanelRefusal): string {
  switch (r.code) {
    case 'no-questions':
      return tr(locale, 'panel.refused.no-questions');
    case 'too-many-questions':
      return tr(locale, 'panel.refused.too-many-questions', { count: r.count, max: r.max });
    case 'label-too-long':
      return tr(locale, 'panel.refused.label-too-long', { label: r.label, max: r.max });
    case 'empty-label':
      return tr(locale, 'panel.refused.empty-label');
    case 'placeholder-too-long':
      return tr(locale, 'panel.refused.placeholder-too-long', { label: r.label, max: r.max });
    case 'bad-name':
      return tr(locale, 'panel.refused.bad-name', { name: r.name, max: r.max });
    case 'bad-emoji':
      return tr(locale, 'panel.refused.bad-emoji', { emoji: r.emoji });
    case 'description-too-long':
      return tr(locale, 'panel.refused.description-too-long', { max: r.max });
    case 'bad-duration':
      return tr(locale, 'panel.refused.bad-duration', { value: r.value });
    case 'no-categories':
      return tr(locale, 'panel.refused.no-categories');
    case 'too-many-categories':
      return tr(locale, 'panel.refused.too-many-categories', { count: r.count, max: r.max });
    case 'unknown-category':
      return tr(locale, 'panel.refused.unknown-category', { name: r.name });
    case 'duplicate-category':
      return tr(locale, 'panel.refused.duplicate-category', { name: r.name });
  }
}

/** One category as /panel category list and every change show it. */
export function categoryLine(locale: string | undefined, c: PanelCategory): string {
  const minutes = (m: number | null) => (m === null ? tr(locale, 'panel.category.guild-default') : showMinutes(m));
  return tr(locale, 'panel.category.line', {
    emoji: c.emoji ? (c.emoji.id ? `<${c.emoji.animated ? 'a' : ''}:${c.emoji.name}:${c.emoji.id}> ` : `${c.emoji.name} `) : '',
    name: c.name,
    type: tr(locale, 'ticket.type', { type: c.issueType }),
    severity: tr(locale, 'ticket.severity', { severity: c.severity }),
    role: c.staffRoleId ?? '',
    hasRole: c.staffRoleId ? 'yes' : 'no',
    mode: c.mode,
    parent: c.parentId ?? '',
    hasParent: c.parentId ? 'yes' : 'no',
    first: minutes(c.firstResponseMin),
    resolution: minutes(c.resolutionMin),
    hours: c.hours ? 'yes' : 'no',
    questions: formatQuestions(c.questions),
  });
}
