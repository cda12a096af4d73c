import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from 'discord-api-types/v10';
import { encodeCustomId } from '../../../discord/custom-id.ts';
import { t as tr } from '../../../i18n/index.ts';
import type { Ticket } from '../model.ts';
import { severityLabel, TICKET_FEATURE, typeLabel } from '../views.ts';
import { MAX_SNIPPET_CONTENT, PLACEHOLDERS, type PlaceholderValues, type SnippetRefusal } from './rules.ts';
import type { Snippet } from './store.ts';

export const OrganizeActions = { snippetForm: 'snippet-form' } as const;
export const SNIPPET_FIELD = 'content';

/** What `{user}`, `{staff}`… stand for in a reply to this ticket; `staff` as the member is to see it (the guild's anonymity decides). */
export function placeholderValues(t: Ticket, staff: string, locale: string | undefined): PlaceholderValues {
  return {
    user: `<@${t.openerId}>`,
    'user.name': t.openerName,
    staff,
    ticket: `#${t.number}`,
    subject: t.subject,
    type: typeLabel(t.issueType, locale),
    severity: severityLabel(t.severity, locale),
    assignee: t.assigneeName ?? (t.assigneeId ? `<@${t.assigneeId}>` : tr(locale, 'ticket.snippet.nobody')),
    category: t.category?.name ?? '',
  };
}

/** The form of `/tickets snippet set`: the text, with what it held before. */
export function snippetModal(guildId: string, name: string, existing: Snippet | null, locale: string | undefined): APIModalInteractionResponseCallbackData {
  return {
    custom_id: encodeCustomId({ feature: TICKET_FEATURE, action: OrganizeActions.snippetForm, id: guildId, extra: name }),
    title: tr(locale, 'ticket.snippet.form-title', { name }).slice(0, 45),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: SNIPPET_FIELD,
            label: tr(locale, 'ticket.snippet.form-label').slice(0, 45),
            style: TextInputStyle.Paragraph,
            required: true,
            max_length: MAX_SNIPPET_CONTENT,
            placeholder: tr(locale, 'ticket.snippet.form-placeholder', { placeholders: PLACEHOLDERS.map((p) => `{${p}}`).join(' ') }).slice(0, 100),
            ...(existing ? { value: existing.content } : {}),
          },
        ],
      },
    ],
  };
}

export function snippetList(all: readonly Snippet[], locale: string | undefined): string {
  if (all.length === 0) return tr(locale, 'ticket.snippet.none');
  const lines = all.map((s) => tr(locale, 'ticket.snippet.line', { name: s.name, preview: s.content.replace(/\s+/g, ' ').slice(0, 80) }));
  const head = tr(locale, 'ticket.snippet.list', { count: all.length, placeholders: PLACEHOLDERS.map((p) => `{${p}}`).join(' ') });
  // Discord's 2,000 characters: as many lines as fit, then how many more.
  const out: string[] = [head];
  let used = head.length;
  for (const [n, line] of lines.entries()) {
    if (used + line.length + 60 > 2000) {
      out.push(tr(locale, 'ticket.snippet.more', { count: lines.length - n }));
      break;
    }
    out.push(line);
    used += line.length + 1;
  }
  return out.join('\n');
}

/** ICU select keys cannot hold hyphens: each refusal by a plain key. */
export function snippetRefusalText(r: SnippetRefusal, locale: string | undefined): string {
  const reason = { 'bad-name': 'name', 'empty-content': 'empty', 'content-too-long': 'long', 'unknown-placeholder': 'placeholder', full: 'full' }[r.code];
  return tr(locale, 'ticket.snippet.refused', {
    reason,
    max: 'max' in r ? r.max : 0,
    length: 'length' in r ? r.length : 0,
    name: 'name' in r ? r.name : '',
    placeholders: PLACEHOLDERS.map((p) => `{${p}}`).join(' '),
  });
}
