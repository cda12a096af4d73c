import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import { t as tr } from '../../i18n/index.ts';
import type { DraftProblem, FaqEntry } from './rules/entry.ts';
import { FAQ_LIMITS } from './rules/entry.ts';
import type { ImportProblem } from './rules/import.ts';
import type { Metric, UnansweredRow } from './store.ts';

export const FAQ_FEATURE = 'faq';

export const FaqActions = {
  add: 'add',
  edit: 'edit',
  helpful: 'good',
  notHelpful: 'bad',
  solved: 'solved',
  openAnyway: 'open',
} as const;

export const ENTRY_FIELDS = { question: 'question', phrasings: 'phrasings', answer: 'answer', tags: 'tags' } as const;

export const LIST_PAGE_SIZE = 20;

const EMBED_COLOR = 0x5865f2;

/** The add/edit form: Question, Other phrasings (one per line), Answer, Tags; prefilled when editing. */
export function entryModal(guildId: string, locale: string | undefined, entry?: FaqEntry): APIModalInteractionResponseCallbackData {
  const row = (custom_id: string, label: string, style: TextInputStyle, max: number, required: boolean, value?: string): APIActionRowComponent<never> =>
    ({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.TextInput, custom_id, label: label.slice(0, 45), style, max_length: max, required, ...(value ? { value } : {}) }],
    }) as never;
  return {
    custom_id: encodeCustomId({
      feature: FAQ_FEATURE,
      action: entry ? FaqActions.edit : FaqActions.add,
      id: guildId,
      ...(entry ? { extra: String(entry.id) } : {}),
    }),
    title: (entry ? tr(locale, 'faq.modal.edit-title', { id: entry.id }) : tr(locale, 'faq.modal.add-title')).slice(0, 45),
    components: [
      row(ENTRY_FIELDS.question, tr(locale, 'faq.field.question'), TextInputStyle.Short, FAQ_LIMITS.question, true, entry?.question),
      row(ENTRY_FIELDS.phrasings, tr(locale, 'faq.field.phrasings'), TextInputStyle.Paragraph, 2000, false, entry?.phrasings.join('\n')),
      row(ENTRY_FIELDS.answer, tr(locale, 'faq.field.answer'), TextInputStyle.Paragraph, FAQ_LIMITS.answer, true, entry?.answer),
      row(ENTRY_FIELDS.tags, tr(locale, 'faq.field.tags'), TextInputStyle.Short, 400, false, entry?.tags.join(', ')),
    ],
  };
}

/** An entry quoted as an answer. */
export function answerEmbed(entry: FaqEntry, locale: string | undefined, confidence: number | null, aiAnswer?: string): APIEmbed {
  const footer =
    aiAnswer !== undefined
      ? tr(locale, 'faq.answer.footer-ai', { id: entry.id })
      : confidence === null
        ? tr(locale, 'faq.answer.footer-plain', { id: entry.id })
        : tr(locale, 'faq.answer.footer', { id: entry.id, confidence: Math.round(confidence * 100) });
  return { title: entry.question.slice(0, 256), description: (aiAnswer ?? entry.answer).slice(0, 4096), color: EMBED_COLOR, footer: { text: footer } };
}

/** "Helpful" / "Not helpful / talk to staff" under an answer. */
export function feedbackRow(guildId: string, answerId: string, locale: string | undefined): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Success,
        label: tr(locale, 'faq.button.helpful').slice(0, 80),
        custom_id: encodeCustomId({ feature: FAQ_FEATURE, action: FaqActions.helpful, id: guildId, extra: answerId }),
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: tr(locale, 'faq.button.not-helpful').slice(0, 80),
        custom_id: encodeCustomId({ feature: FAQ_FEATURE, action: FaqActions.notHelpful, id: guildId, extra: answerId }),
      },
    ],
  };
}

/** "This solved it" / "Open the ticket anyway" under the suggestions shown for a /ticket open form. */
export function draftRow(guildId: string, draftId: string, locale: string | undefined): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Success,
        label: tr(locale, 'faq.button.solved').slice(0, 80),
        custom_id: encodeCustomId({ feature: FAQ_FEATURE, action: FaqActions.solved, id: guildId, extra: draftId }),
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: tr(locale, 'faq.button.open-anyway').slice(0, 80),
        custom_id: encodeCustomId({ feature: FAQ_FEATURE, action: FaqActions.openAnyway, id: guildId, extra: draftId }),
      },
    ],
  };
}

/** One page of the entry list, within Discord's 2,000 characters. */
export function listText(entries: readonly FaqEntry[], page: number, locale: string | undefined): string {
  if (entries.length === 0) return tr(locale, 'faq.list.empty');
  const pages = Math.ceil(entries.length / LIST_PAGE_SIZE);
  if (page >= pages) return tr(locale, 'faq.list.no-page', { page: page + 1, pages });
  const from = page * LIST_PAGE_SIZE;
  const shown = entries.slice(from, from + LIST_PAGE_SIZE);
  const lines = shown.map((e) => {
    const q = e.question.length > 80 ? `${e.question.slice(0, 79)}…` : e.question;
    return `\`#${e.id}\` ${q}${e.tags.length ? ` · ${e.tags.slice(0, 3).join(', ')}` : ''}`;
  });
  return [tr(locale, 'faq.list.header', { from: from + 1, to: from + shown.length, total: entries.length }), ...lines].join('\n').slice(0, 2000);
}

const fieldName = (field: DraftProblem['field'], locale: string | undefined) => tr(locale, 'faq.field-name', { field });

export function problemText(p: DraftProblem, locale: string | undefined): string {
  return tr(locale, 'faq.problem', { issue: p.issue.replace(/-/g, '_'), field: fieldName(p.field, locale), max: p.max });
}

export function importProblemText(p: ImportProblem, locale: string | undefined): string {
  const where =
    p.at === null ? '' : 'entry' in p.at ? tr(locale, 'faq.import.at-entry', { n: p.at.entry }) : tr(locale, 'faq.import.at-line', { n: p.at.line });
  const i = p.issue;
  const what =
    i.code === 'draft'
      ? problemText(i.problem, locale)
      : i.code === 'bad-field'
        ? tr(locale, 'faq.import.bad-field', { field: i.field })
        : i.code === 'too-many'
          ? tr(locale, 'faq.import.too-many', { max: i.max })
          : i.code === 'not-json'
            ? tr(locale, 'faq.import.not-json', { detail: i.detail })
            : tr(locale, 'faq.import.issue', { code: i.code.replace(/-/g, '_') });
  return tr(locale, 'faq.import.refused', { where, what });
}

export function statsText(days: number, totals: Record<Metric, number>, entries: number, unanswered: number, locale: string | undefined): string {
  return tr(locale, 'faq.stats', {
    days,
    seen: totals.seen,
    answered: totals.answered,
    helpful: totals.helpful,
    notHelpful: totals['not-helpful'],
    deflected: totals.deflected,
    entries,
    unanswered,
  });
}

export function unansweredText(rows: readonly UnansweredRow[], locale: string | undefined): string {
  if (rows.length === 0) return tr(locale, 'faq.unanswered.none');
  const lines = [tr(locale, 'faq.unanswered.header')];
  for (const r of rows) {
    const line = tr(locale, 'faq.unanswered.line', { n: r.n, question: r.question.replace(/\s+/g, ' ').slice(0, 150) });
    if (lines.join('\n').length + line.length + 1 > 1990) break;
    lines.push(line);
  }
  return lines.join('\n');
}
