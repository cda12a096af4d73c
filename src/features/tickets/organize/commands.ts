import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandOptionChoice,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type APIChatInputApplicationCommandInteraction,
  type APIModalSubmitInteraction,
  ApplicationCommandOptionType,
  InteractionResponseType,
} from 'discord-api-types/v10';
import { focusedOf, matching } from '../../../discord/autocomplete.ts';
import type { CustomId } from '../../../discord/custom-id.ts';
import { ephemeral, type Handled, refused } from '../../../discord/handled.ts';
import { invokerOf, modalValues, reply, type SubcommandCall, stringOption } from '../../../discord/interaction.ts';
import { isTicketStaff } from '../../../discord/staff-permissions.ts';
import { guildLocaleOf, t as tr } from '../../../i18n/index.ts';
import { now } from '../../../runtime/clock.ts';
import type { GuildTicketIndex } from '../guild-index.ts';
import { categoryPolicy } from '../panels/rules.ts';
import type { PanelStore } from '../panels/store.ts';
import type { Actor } from '../rules.ts';
import type { TicketPort, TicketRequest } from '../ticket-port.ts';
import type { TicketListRow } from '../views.ts';
import { checkSnippetContent, checkSnippetName, MAX_SNIPPET_NAME, MAX_SNIPPETS, MAX_TAG_LENGTH, normalizeTag, tagReason } from './rules.ts';
import type { SnippetStore } from './store.ts';
import { OrganizeActions, SNIPPET_FIELD, snippetList, snippetModal, snippetRefusalText } from './views.ts';

const S = ApplicationCommandOptionType;

/** /ticket reply, /ticket tag add|remove and /ticket transfer, beside /ticket's other subcommands. */
export const ticketOrganizeOptions: (APIApplicationCommandSubcommandOption | APIApplicationCommandSubcommandGroupOption)[] = [
  {
    type: S.Subcommand,
    name: 'reply',
    description: 'Send a saved reply in this ticket (staff)',
    options: [{ type: S.String, name: 'snippet', description: 'Which saved reply', required: true, autocomplete: true, max_length: MAX_SNIPPET_NAME }],
  },
  {
    type: S.SubcommandGroup,
    name: 'tag',
    description: 'Tags on this ticket (staff)',
    options: [
      {
        type: S.Subcommand,
        name: 'add',
        description: 'Put a tag on this ticket',
        options: [{ type: S.String, name: 'tag', description: 'The tag, e.g. refund', required: true, autocomplete: true, max_length: MAX_TAG_LENGTH }],
      },
      {
        type: S.Subcommand,
        name: 'remove',
        description: 'Take a tag off this ticket',
        options: [{ type: S.String, name: 'tag', description: 'The tag', required: true, autocomplete: true, max_length: MAX_TAG_LENGTH }],
      },
    ],
  },
  {
    type: S.Subcommand,
    name: 'transfer',
    description: 'Move this ticket to another panel category (staff)',
    options: [{ type: S.String, name: 'category', description: 'The category it belongs in', required: true, autocomplete: true, max_length: 100 }],
  },
];

/** /tickets snippet set|remove|list: the guild's saved replies. */
export const snippetGroup: APIApplicationCommandSubcommandGroupOption = {
  type: S.SubcommandGroup,
  name: 'snippet',
  description: 'Saved replies for /ticket reply and the inbox (staff)',
  options: [
    {
      type: S.Subcommand,
      name: 'set',
      description: 'Create or edit a saved reply (opens a form)',
      options: [{ type: S.String, name: 'name', description: 'Its name', required: true, autocomplete: true, max_length: MAX_SNIPPET_NAME }],
    },
    {
      type: S.Subcommand,
      name: 'remove',
      description: 'Delete a saved reply',
      options: [{ type: S.String, name: 'name', description: 'Its name', required: true, autocomplete: true, max_length: MAX_SNIPPET_NAME }],
    },
    { type: S.Subcommand, name: 'list', description: 'List the saved replies and their placeholders' },
  ],
};

/** What the guild actor lends these commands. */
export interface OrganizeHost {
  guildId: string;
  index: GuildTicketIndex;
  snippets: SnippetStore;
  panels: PanelStore;
  ticket(id: string): TicketPort;
}

const PATHS = new Set([
  'ticket reply',
  'ticket tag add',
  'ticket tag remove',
  'ticket transfer',
  'tickets snippet set',
  'tickets snippet remove',
  'tickets snippet list',
]);

/**
 * Staff of the guild's staff role, or of the category the ticket is in (a
 * billing team answers billing tickets without being staff everywhere).
 */
function isStaffFor(h: OrganizeHost, i: APIChatInputApplicationCommandInteraction | APIModalSubmitInteraction, row: TicketListRow | null): boolean {
  const inv = invokerOf(i);
  if (isTicketStaff(inv.permissions, inv.roles, h.index.config().staffRoleId)) return true;
  const category = row?.categoryName ? h.panels.categoryByName(row.categoryName) : null;
  return category?.staffRoleId != null && isTicketStaff(inv.permissions, inv.roles, category.staffRoleId);
}

/** Saved replies, tags and transfers; null for other paths. */
export function handleOrganizeCommand(h: OrganizeHost, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled> | Handled | null {
  if (!PATHS.has(call.path)) return null;
  const l = i.locale;
  if (call.path.startsWith('tickets snippet ')) {
    if (!isStaffFor(h, i, null)) return refused('not-staff', tr(l, 'ticket.snippet.staff-only'));
    return snippetCommand(h, i, call);
  }
  const row = h.index.byChannel(i.channel.id);
  if (!row) return refused('not-in-ticket', tr(l, 'ticket.not-in-ticket'));
  if (!isStaffFor(h, i, row)) return refused('not-staff', tr(l, 'ticket.organize.staff-only'));
  const inv = invokerOf(i);
  const actor: Actor = { userId: inv.userId, isStaff: true, name: inv.name, locale: l };
  switch (call.path) {
    case 'ticket reply': {
      const snippet = h.snippets.get(stringOption(call, 'snippet') ?? '');
      if (!snippet) return refused('unknown-snippet', tr(l, 'ticket.snippet.unknown', { name: (stringOption(call, 'snippet') ?? '').slice(0, 40) }));
      // {staff} as the member will read it: "Support team" when the guild keeps staff anonymous.
      const shownAs = h.index.config().anonymousStaff ? tr(guildLocaleOf(i), 'ticket.snippet.team') : inv.name;
      return ask(h, row, { kind: 'reply', text: snippet.content, staffShownAs: shownAs, label: snippet.name }, actor);
    }
    case 'ticket tag add':
    case 'ticket tag remove': {
      const tag = normalizeTag(stringOption(call, 'tag') ?? '');
      if (!tag.ok)
        return refused('bad-tag', tr(l, 'ticket.tag.refused', { reason: tagReason(tag.error.code), tag: '', number: String(row.number), max: MAX_TAG_LENGTH }));
      return ask(h, row, { kind: 'act', action: { kind: 'tag', tag: tag.value, on: call.path === 'ticket tag add' } }, actor);
    }
    case 'ticket transfer': {
      const name = stringOption(call, 'category') ?? '';
      const all = h.panels.categories();
      if (all.length === 0) return refused('no-categories', tr(l, 'ticket.transfer.no-categories'));
      const c = h.panels.categoryByName(name);
      if (!c) return refused('unknown-category', tr(l, 'ticket.transfer.unknown', { name: name.slice(0, 100), known: all.map((x) => x.name).join(', ') }));
      const cfg = h.index.config();
      return ask(
        h,
        row,
        {
          kind: 'transfer',
          to: { id: c.id, name: c.name, issueType: c.issueType },
          plan: {
            staffRoleId: c.staffRoleId ?? cfg.staffRoleId,
            parentId: c.mode === 'channel' ? (c.parentId ?? cfg.categoryId) : null,
            policy: categoryPolicy(h.index.policy(), c),
            hours: c.hours ? h.index.hours() : null,
          },
        },
        actor,
      );
    }
  }
  return null;
}

async function ask(h: OrganizeHost, row: TicketListRow, req: TicketRequest, actor: Actor): Promise<Handled> {
  try {
    const r = await h.ticket(row.id).request(req, actor);
    return { response: reply(r.reply), outcome: r.outcome.ok ? 'ok' : `refused:${r.outcome.refusal.code}`, detail: `ticket #${row.number}` };
  } catch (e) {
    console.error(`ticket ${row.id}: ${e instanceof Error ? e.message : String(e)}`);
    return {
      response: reply(ephemeral(tr(actor.locale, 'ticket.unreachable', { number: String(row.number) }))),
      outcome: 'error',
      detail: `ticket #${row.number}`,
    };
  }
}

function snippetCommand(h: OrganizeHost, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
  const l = i.locale;
  if (call.path === 'tickets snippet list') return { response: reply(ephemeral(snippetList(h.snippets.all(), l))), outcome: 'ok', detail: '' };
  const name = checkSnippetName(stringOption(call, 'name') ?? '');
  if (!name.ok) return refused('bad-name', snippetRefusalText(name.error, l));
  const existing = h.snippets.get(name.value);
  if (call.path === 'tickets snippet remove') {
    if (!existing || !h.snippets.remove(existing.name)) return refused('unknown-snippet', tr(l, 'ticket.snippet.unknown', { name: name.value }));
    return { response: reply(ephemeral(tr(l, 'ticket.snippet.removed', { name: existing.name }))), outcome: 'ok', detail: existing.name };
  }
  if (!existing && h.snippets.all().length >= MAX_SNIPPETS) return refused('full', snippetRefusalText({ code: 'full', max: MAX_SNIPPETS }, l));
  return {
    response: { type: InteractionResponseType.Modal, data: snippetModal(h.guildId, existing?.name ?? name.value, existing, l) },
    outcome: 'ok',
    detail: 'asked for the text',
  };
}

/** The form of /tickets snippet set: checked again (staff, name, text, room), then saved. */
export function handleSnippetForm(h: OrganizeHost, i: APIModalSubmitInteraction, cid: CustomId): Handled | null {
  if (cid.action !== OrganizeActions.snippetForm) return null;
  const l = i.locale;
  if (!isStaffFor(h, i, null)) return refused('not-staff', tr(l, 'ticket.snippet.staff-only'));
  const name = checkSnippetName(cid.extra ?? '');
  if (!name.ok) return refused('bad-name', snippetRefusalText(name.error, l));
  const content = checkSnippetContent(modalValues(i).get(SNIPPET_FIELD) ?? '');
  if (!content.ok) return refused('bad-content', snippetRefusalText(content.error, l));
  const existing = h.snippets.get(name.value);
  if (!existing && h.snippets.all().length >= MAX_SNIPPETS) return refused('full', snippetRefusalText({ code: 'full', max: MAX_SNIPPETS }, l));
  h.snippets.save({ name: existing?.name ?? name.value, content: content.value, updatedBy: invokerOf(i).userId, updatedAt: now() });
  return {
    response: reply(ephemeral(tr(l, existing ? 'ticket.snippet.updated' : 'ticket.snippet.saved', { name: existing?.name ?? name.value }))),
    outcome: 'ok',
    detail: existing?.name ?? name.value,
  };
}

/** Choices for /ticket reply, tag, transfer and list, and /tickets snippet: from memory or one indexed read. */
export function organizeAutocomplete(h: OrganizeHost, i: APIApplicationCommandAutocompleteInteraction): APIApplicationCommandOptionChoice[] | null {
  const f = focusedOf(i);
  if (!f) return null;
  const snippets = () =>
    matching(
      f.typed,
      h.snippets.all().map((s) => ({ name: `${s.name} — ${s.content.replace(/\s+/g, ' ')}`.slice(0, 100), value: s.name })),
    );
  if ((f.path === 'ticket reply' && f.name === 'snippet') || (f.path.startsWith('tickets snippet ') && f.name === 'name')) return snippets();
  if (f.path === 'ticket transfer' && f.name === 'category')
    return matching(
      f.typed,
      h.panels.categories().map((c) => ({ name: c.name, value: c.name })),
    );
  if (f.name !== 'tag') return null;
  if (f.path === 'ticket tag remove') {
    const channelId = i.channel?.id ?? i.channel_id;
    const tags = channelId ? (h.index.byChannel(channelId)?.tags ?? []) : [];
    return matching(
      f.typed,
      tags.map((t) => ({ name: t, value: t })),
    );
  }
  if (f.path !== 'ticket tag add' && f.path !== 'ticket list') return null;
  const used = h.index.tagsInUse(100).map((t) => ({ name: t, value: t }));
  // A new tag is offered as typed, first, so it can be picked like one in use.
  const typed = normalizeTag(f.typed);
  const fresh = f.path === 'ticket tag add' && typed.ok && !used.some((u) => u.value === typed.value) ? [{ name: typed.value, value: typed.value }] : [];
  return [...fresh, ...matching(f.typed, used)].slice(0, 25);
}
