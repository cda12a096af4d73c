import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandOptionChoice,
  type APIApplicationCommandSubcommandOption,
  type APIChatInputApplicationCommandInteraction,
  type APIMessage,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionResponseType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord-api-types/v10';
import { focusedOf, matching } from '../../../discord/autocomplete.ts';
import type { CustomId } from '../../../discord/custom-id.ts';
import { isUnknown } from '../../../discord/errors.ts';
import { ephemeral, type Handled, refused, reply } from '../../../discord/handled.ts';
import { invokerOf, modalValues, numberOption, type SubcommandCall, stringOption } from '../../../discord/interaction.ts';
import { permissionBits } from '../../../discord/permissions.ts';
import type { DiscordRest } from '../../../discord/rest.ts';
import { isAdministrator } from '../../../discord/staff-permissions.ts';
import { t as tr } from '../../../i18n/index.ts';
import type { TicketConfig } from '../guild-index.ts';
import { ISSUE_TYPES, isIssueType, isSeverity, SEVERITIES } from '../model.ts';
import { parseMinutes } from '../upkeep/rules.ts';
import {
  checkName,
  describeAnswers,
  isPanelMode,
  isPanelStyle,
  LIMITS,
  PANEL_MODES,
  PANEL_STYLES,
  type Panel,
  type PanelCategory,
  type PanelRefusal,
  parseEmoji,
  parseQuestions,
  pickCategories,
} from './rules.ts';
import type { PanelStore } from './store.ts';
import { answerId, categoryLine, categoryModal, PanelActions, panelRefusalText } from './views.ts';

export const PANEL_COMMAND = 'panel';

const choices = (values: readonly string[]) => values.map((v) => ({ name: v, value: v }));
const S = ApplicationCommandOptionType.String;

/** The options a category is described by; `add` requires the first two, `edit` names the category and changes what it is given. */
const categoryOptions = (required: boolean): APIApplicationCommandSubcommandOption['options'] => [
  {
    type: S,
    name: 'questions',
    description: 'Form questions split by |, e.g. Subject | What happened [long] | Order [optional] = 123',
    required,
    max_length: 1000,
  },
  { type: S, name: 'emoji', description: 'Emoji on its button or option (edit: none removes it)', max_length: 64 },
  { type: S, name: 'description', description: 'A line under its name (edit: none removes it)', max_length: LIMITS.description },
  { type: S, name: 'issue_type', description: 'Issue type of its tickets (default other)', choices: choices(ISSUE_TYPES) },
  { type: S, name: 'severity', description: 'Severity of its tickets (default medium)', choices: choices(SEVERITIES) },
  { type: ApplicationCommandOptionType.Role, name: 'staff_role', description: 'Staff role for its tickets (default: the one of /setup tickets)' },
  { type: S, name: 'mode', description: 'Private thread in the panel’s channel, or a private channel', choices: choices(PANEL_MODES) },
  {
    type: ApplicationCommandOptionType.Channel,
    name: 'parent',
    description: 'Channel mode: the category its channels go in (default: /setup tickets’)',
    channel_types: [ChannelType.GuildCategory],
  },
  { type: S, name: 'first_response', description: 'Time to the first answer, e.g. 30m (edit: default for the guild’s)', max_length: 20 },
  { type: S, name: 'resolution', description: 'Time to resolution, e.g. 1d (edit: default for the guild’s)', max_length: 20 },
  { type: ApplicationCommandOptionType.Boolean, name: 'hours', description: 'Whether support hours apply to it (default yes)' },
];

const panelOptions = (required: boolean): APIApplicationCommandSubcommandOption['options'] => [
  { type: S, name: 'title', description: 'The panel’s title', required, max_length: LIMITS.panelTitle },
  { type: S, name: 'categories', description: 'Categories it offers, by name, split by commas (at most 25)', required, max_length: 1000 },
  { type: S, name: 'style', description: 'A button per category, or one select menu (default buttons)', choices: choices(PANEL_STYLES) },
  { type: S, name: 'description', description: 'Text under the title (edit: none removes it)', max_length: LIMITS.panelDescription },
];

/** /panel: ticket panels and their categories (administrators; checked again at run time). */
export const panelCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: PANEL_COMMAND,
  type: ApplicationCommandType.ChatInput,
  description: 'Ticket panels: messages with a button per kind of ticket (administrators)',
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(PermissionFlagsBits.Administrator),
  options: [
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: 'category',
      description: 'Kinds of tickets a panel offers, each with its own form',
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'add',
          description: 'Add a category',
          options: [
            { type: S, name: 'name', description: 'Its name, on the button and the form (at most 45)', required: true, max_length: 45 },
            ...categoryOptions(true)!,
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'edit',
          description: 'Change a category (panels showing it follow)',
          options: [
            { type: S, name: 'name', description: 'The category', required: true, autocomplete: true, max_length: 45 },
            { type: S, name: 'new_name', description: 'A new name', max_length: 45 },
            ...categoryOptions(false)!,
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'remove',
          description: 'Remove a category no panel shows',
          options: [{ type: S, name: 'name', description: 'The category', required: true, autocomplete: true, max_length: 45 }],
        },
        { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'List the categories and their forms' },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'create',
      description: 'Post a panel in a channel',
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'Where the panel is posted',
          required: true,
          channel_types: [ChannelType.GuildText],
        },
        ...panelOptions(true)!,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'edit',
      description: 'Change a panel in place (posts it again if it was deleted)',
      options: [
        { type: ApplicationCommandOptionType.Integer, name: 'panel', description: 'The panel', required: true, autocomplete: true, min_value: 1 },
        ...panelOptions(false)!,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'delete',
      description: 'Delete a panel and its message',
      options: [{ type: ApplicationCommandOptionType.Integer, name: 'panel', description: 'The panel', required: true, autocomplete: true, min_value: 1 }],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'List the panels and whether their messages are still there' },
  ],
};

/** What the panel commands need from the guild actor. */
export interface PanelHost {
  guildId: string;
  store: PanelStore;
  rest: DiscordRest;
  config(): TicketConfig;
  /** Queues posting or editing the panel's message (a durable job). */
  sync(panelId: number): void;
  /** Queues deleting a panel's message. */
  unpost(channelId: string, messageId: string): void;
}

const done = (text: string, detail = ''): Handled => ({ response: reply(ephemeral(text.slice(0, 2000))), outcome: 'ok', detail });
const refusal = (l: string | undefined, r: PanelRefusal): Handled => refused(r.code, panelRefusalText(l, r));
const cleared = (v: string | null) => v !== null && v.trim().toLowerCase() === 'none';

/**
 * /panel …: every change is for administrators (checked here, whatever
 * Discord's command permissions say) and every refusal changes nothing:
 * all input is checked before the one write.
 */
export async function handlePanelCommand(h: PanelHost, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled> {
  const l = i.locale;
  if (!isAdministrator(invokerOf(i).permissions)) return refused('not-admin', tr(l, 'panel.not-admin'));
  switch (call.path) {
    case 'panel category add':
    case 'panel category edit':
      return saveCategory(h, l, call);
    case 'panel category remove': {
      const c = h.store.categoryByName(stringOption(call, 'name') ?? '');
      if (!c) return refused('unknown-category', tr(l, 'panel.category.unknown', { name: (stringOption(call, 'name') ?? '').slice(0, 60) }));
      const using = h.store.panels().filter((p) => p.categoryIds.includes(c.id));
      if (using.length) return refused('category-in-use', tr(l, 'panel.category.in-use', { name: c.name, panels: using.map((p) => `#${p.id}`).join(', ') }));
      h.store.removeCategory(c.id);
      return done(tr(l, 'panel.category.removed', { name: c.name }), c.name);
    }
    case 'panel category list': {
      const all = h.store.categories();
      return done(all.length ? all.map((c) => categoryLine(l, c)).join('\n') : tr(l, 'panel.category.none'));
    }
    case 'panel create':
    case 'panel edit':
      return savePanel(h, l, call);
    case 'panel delete': {
      const p = h.store.panel(numberOption(call, 'panel') ?? 0);
      if (!p) return refused('unknown-panel', tr(l, 'panel.unknown', { id: numberOption(call, 'panel') ?? 0 }));
      h.store.removePanel(p.id);
      if (p.messageId) h.unpost(p.channelId, p.messageId);
      return done(tr(l, 'panel.deleted', { id: p.id }), `panel ${p.id}`);
    }
    case 'panel list':
      return listPanels(h, l);
  }
  return refused('unknown-command', tr(l, 'ticket.unknown-command', { command: call.path }));
}

function saveCategory(h: PanelHost, l: string | undefined, call: SubcommandCall): Handled {
  const adding = call.path === 'panel category add';
  const all = h.store.categories();
  const before = adding ? null : h.store.categoryByName(stringOption(call, 'name') ?? '');
  if (!adding && !before) return refused('unknown-category', tr(l, 'panel.category.unknown', { name: (stringOption(call, 'name') ?? '').slice(0, 60) }));
  if (adding && all.length >= LIMITS.categoriesPerGuild) return refused('too-many', tr(l, 'panel.category.too-many', { max: LIMITS.categoriesPerGuild }));
  const rawName = adding ? stringOption(call, 'name') : stringOption(call, 'new_name');
  const name = rawName === null ? null : checkName(rawName);
  if (name && !name.ok) return refusal(l, name.error);
  const finalName = name?.value ?? before!.name;
  const clash = all.find((c) => c.name.toLowerCase() === finalName.toLowerCase() && c.id !== before?.id);
  if (clash) return refused('category-exists', tr(l, 'panel.category.exists', { name: clash.name }));
  const rawQuestions = stringOption(call, 'questions');
  const questions = rawQuestions === null ? null : parseQuestions(rawQuestions);
  if (questions && !questions.ok) return refusal(l, questions.error);
  const rawEmoji = stringOption(call, 'emoji');
  const emoji = rawEmoji === null || cleared(rawEmoji) ? null : parseEmoji(rawEmoji);
  if (emoji && !emoji.ok) return refusal(l, emoji.error);
  const minutes = (option: string): { value: number | null | undefined } | PanelRefusal => {
    const raw = stringOption(call, option);
    if (raw === null) return { value: undefined };
    if (raw.trim().toLowerCase() === 'default') return { value: null };
    const r = parseMinutes(raw);
    return r.ok ? { value: r.value } : { code: 'bad-duration', value: raw.slice(0, 40) };
  };
  const first = minutes('first_response');
  if ('code' in first) return refusal(l, first);
  const resolution = minutes('resolution');
  if ('code' in resolution) return refusal(l, resolution);
  const description = stringOption(call, 'description');
  if (description && [...description.trim()].length > LIMITS.description) return refusal(l, { code: 'description-too-long', max: LIMITS.description });
  const issueType = stringOption(call, 'issue_type');
  const severity = stringOption(call, 'severity');
  const mode = stringOption(call, 'mode');
  const hours = call.options.get('hours');
  const base: PanelCategory = before ?? {
    id: 0,
    name: finalName,
    emoji: null,
    description: null,
    issueType: 'other',
    severity: 'medium',
    staffRoleId: null,
    mode: 'thread',
    parentId: null,
    questions: [],
    firstResponseMin: null,
    resolutionMin: null,
    hours: true,
  };
  const next: PanelCategory = {
    ...base,
    name: finalName,
    emoji: rawEmoji === null ? base.emoji : emoji ? emoji.value : null,
    description: description === null ? base.description : cleared(description) ? null : description.trim() || null,
    issueType: isIssueType(issueType) ? issueType : base.issueType,
    severity: isSeverity(severity) ? severity : base.severity,
    staffRoleId: stringOption(call, 'staff_role') ?? base.staffRoleId,
    mode: isPanelMode(mode) ? mode : base.mode,
    parentId: stringOption(call, 'parent') ?? base.parentId,
    questions: questions?.value ?? base.questions,
    firstResponseMin: first.value === undefined ? base.firstResponseMin : first.value,
    resolutionMin: resolution.value === undefined ? base.resolutionMin : resolution.value,
    hours: typeof hours === 'boolean' ? hours : base.hours,
  };
  // A private channel needs somewhere to go: the category's own parent or the guild's ticket category.
  if (next.mode === 'channel' && !next.parentId && !h.config().categoryId) return refused('needs-parent', tr(l, 'panel.category.needs-parent'));
  if (next.firstResponseMin !== null && next.resolutionMin !== null && next.resolutionMin < next.firstResponseMin) {
    return refused('resolution-before-answer', tr(l, 'ticket.sla.order'));
  }
  const id = h.store.saveCategory(next);
  // Panels showing it follow a new name, emoji or description.
  if (before) for (const p of h.store.panels()) if (p.categoryIds.includes(id)) h.sync(p.id);
  return done(`${tr(l, 'panel.category.saved', { name: next.name })}\n${categoryLine(l, { ...next, id })}`, JSON.stringify({ ...next, id }));
}

function savePanel(h: PanelHost, l: string | undefined, call: SubcommandCall): Handled {
  const creating = call.path === 'panel create';
  const before = creating ? null : h.store.panel(numberOption(call, 'panel') ?? 0);
  if (!creating && !before) return refused('unknown-panel', tr(l, 'panel.unknown', { id: numberOption(call, 'panel') ?? 0 }));
  if (creating && h.store.panels().length >= LIMITS.panelsPerGuild) return refused('too-many', tr(l, 'panel.too-many', { max: LIMITS.panelsPerGuild }));
  const rawCategories = stringOption(call, 'categories');
  const picked = rawCategories === null ? null : pickCategories(rawCategories, h.store.categories());
  if (picked && !picked.ok) return refusal(l, picked.error);
  const style = stringOption(call, 'style');
  const description = stringOption(call, 'description');
  const title = stringOption(call, 'title')?.trim();
  const next: Panel = {
    id: before?.id ?? 0,
    channelId: before?.channelId ?? stringOption(call, 'channel') ?? '',
    messageId: before?.messageId ?? null,
    // An edit always reaches Discord, so a deleted message is posted again even when nothing else changed.
    shown: null,
    title: title || before?.title || '',
    description: description === null ? (before?.description ?? null) : cleared(description) ? null : description.trim() || null,
    style: isPanelStyle(style) ? style : (before?.style ?? 'buttons'),
    categoryIds: picked ? picked.value.map((c) => c.id) : (before?.categoryIds ?? []),
    error: null,
  };
  if (!next.title || !next.channelId) return refused('bad-input', tr(l, 'panel.bad-input'));
  const id = h.store.savePanel(next);
  h.sync(id);
  return done(tr(l, creating ? 'panel.created' : 'panel.edited', { id, channel: next.channelId }), JSON.stringify({ ...next, id }));
}

/** /panel list: each panel, and whether its message is still there (asked of Discord: someone may have deleted it). */
async function listPanels(h: PanelHost, l: string | undefined): Promise<Handled> {
  const panels = h.store.panels();
  if (!panels.length) return done(tr(l, 'panel.none'));
  const names = new Map(h.store.categories().map((c) => [c.id, c.name]));
  const states = await Promise.all(
    panels.map(async (p): Promise<string> => {
      if (p.error) return 'error';
      if (!p.messageId) return 'pending';
      const r = await h.rest.get<APIMessage>(Routes.channelMessage(p.channelId, p.messageId));
      if (r.ok) return 'posted';
      return isUnknown(r.error, RESTJSONErrorCodes.UnknownMessage) || isUnknown(r.error, RESTJSONErrorCodes.UnknownChannel) ? 'deleted' : 'unknown';
    }),
  );
  const lines = panels.map((p, n) =>
    tr(l, 'panel.list.line', {
      id: p.id,
      title: p.title,
      channel: p.channelId,
      style: p.style,
      categories: p.categoryIds.map((id) => names.get(id) ?? '?').join(', '),
      state: states[n]!,
      error: p.error ?? '',
    }),
  );
  return done(lines.join('\n'));
}

/** Categories (by name) and panels (by number and title) offered while an admin types one. */
export function panelAutocomplete(store: PanelStore, i: APIApplicationCommandAutocompleteInteraction): APIApplicationCommandOptionChoice[] {
  const f = focusedOf(i);
  if (!f) return [];
  if (f.name === 'name')
    return matching(
      f.typed,
      store.categories().map((c) => ({ name: c.name, value: c.name })),
    );
  if (f.name === 'panel')
    return matching(
      f.typed,
      store.panels().map((p) => ({ name: `#${p.id} ${p.title}`, value: p.id })),
    );
  return [];
}

/** What a press and a form submission need from the ticket desk. */
export interface PanelDesk {
  guildId: string;
  store: PanelStore;
  /** The member's open-ticket limit and the support hours (when the category follows them): a refusal, or null to go on. */
  gate(i: APIMessageComponentInteraction | APIModalSubmitInteraction, c: PanelCategory): Handled | null;
  /** Opens the ticket through /ticket open's path, with the category's staff role, mode and targets. */
  open(i: APIModalSubmitInteraction, c: PanelCategory, subject: string, description: string): Promise<Handled>;
}

/**
 * A panel's button or select: the category's form. Nothing is remembered
 * between the press and the form: both name the category in their custom_id,
 * and the category is read from storage.
 */
export function handlePanelPress(d: PanelDesk, i: APIMessageComponentInteraction, cid: CustomId): Handled {
  const l = i.locale;
  let categoryId = Number(cid.extra);
  if (cid.action === PanelActions.pick) {
    const picked = i.data.component_type === ComponentType.StringSelect ? i.data.values[0] : undefined;
    categoryId = Number(picked);
  }
  const c = Number.isInteger(categoryId) ? d.store.category(categoryId) : null;
  if (!c) return refused('unknown-category', tr(l, 'panel.press.gone'));
  const gate = d.gate(i, c);
  if (gate) return gate;
  return { response: { type: InteractionResponseType.Modal, data: categoryModal(d.guildId, c) }, outcome: 'ok', detail: `form of ${c.name}` };
}

/** The category's form, submitted: the first answer is the subject, the others the description. */
export async function handlePanelForm(d: PanelDesk, i: APIModalSubmitInteraction, cid: CustomId): Promise<Handled> {
  const l = i.locale;
  const c = d.store.category(Number(cid.extra));
  if (!c) return refused('unknown-category', tr(l, 'panel.press.gone'));
  const values = modalValues(i);
  const answers = c.questions.map((_, n) => values.get(answerId(n)) ?? '');
  const subject = answers[0]?.trim() ?? '';
  if (!subject) return refused('bad-input', tr(l, 'ticket.modal.no-subject'));
  const gate = d.gate(i, c);
  if (gate) return gate;
  return d.open(i, c, subject, describeAnswers(c.questions, answers));
}
