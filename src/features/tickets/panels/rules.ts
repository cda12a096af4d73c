import { err, ok, type Result } from '../../../lib/result.ts';
import { type IssueType, SEVERITIES, type Severity } from '../model.ts';
import type { TicketPolicy } from '../upkeep/rules.ts';

/**
 * Ticket panels: categories (what a member picks, with its own form, staff
 * role, mode and targets) and panels (a message with a button per category,
 * or one select menu). Pure: parsing and Discord's limits, no storage.
 */

/** Discord's limits that a category or panel must fit (docs/components/reference.mdx). */
export const LIMITS = {
  /** A modal holds 1–5 text inputs. */
  questions: 5,
  /** Text input label; also the modal title, which is the category's name. */
  label: 45,
  placeholder: 100,
  /** Select option description. */
  description: 100,
  /** Buttons on one message (5 rows of 5) and options in one select menu. */
  categoriesPerPanel: 25,
  panelTitle: 256,
  panelDescription: 4000,
  /** Ours, not Discord's: what a guild keeps (autocomplete offers 25 at a time). */
  categoriesPerGuild: 50,
  panelsPerGuild: 25,
} as const;

export const PANEL_MODES = ['thread', 'channel'] as const;
export type PanelMode = (typeof PANEL_MODES)[number];
export const PANEL_STYLES = ['buttons', 'select'] as const;
export type PanelStyle = (typeof PANEL_STYLES)[number];

export const isPanelMode = (s: unknown): s is PanelMode => (PANEL_MODES as readonly unknown[]).includes(s);
export const isPanelStyle = (s: unknown): s is PanelStyle => (PANEL_STYLES as readonly unknown[]).includes(s);

/** One text input of a category's form; the first is the ticket's subject. */
export interface Question {
  label: string;
  style: 'short' | 'paragraph';
  required: boolean;
  placeholder: string | null;
}

/** A custom emoji (`<:name:id>`) or a Unicode one (name only), as Discord's partial emoji. */
export interface PanelEmoji {
  name: string;
  id?: string;
  animated?: boolean;
}

export interface PanelCategory {
  id: number;
  name: string;
  emoji: PanelEmoji | null;
  description: string | null;
  issueType: IssueType;
  severity: Severity;
  /** Mentioned in the ticket and given its channel; null: the guild's staff role. */
  staffRoleId: string | null;
  mode: PanelMode;
  /** Channel mode: the category channel new channels go in; null: the guild's (/setup tickets). */
  parentId: string | null;
  questions: Question[];
  /** Targets for this category's tickets, in minutes; null: the guild's for the severity. */
  firstResponseMin: number | null;
  resolutionMin: number | null;
  /** Whether the guild's support hours gate this category (and pause its SLA clock). */
  hours: boolean;
}

export interface Panel {
  id: number;
  channelId: string;
  /** null until posted. */
  messageId: string | null;
  /** Fingerprint of what the message last showed (managed-message.ts); null forces an edit. */
  shown: string | null;
  title: string;
  description: string | null;
  style: PanelStyle;
  categoryIds: number[];
  /** Why Discord refused the post for good, shown by /panel list; null when fine. */
  error: string | null;
}

export type PanelRefusal =
  | { code: 'no-questions' }
  | { code: 'too-many-questions'; count: number; max: number }
  | { code: 'label-too-long'; label: string; max: number }
  | { code: 'empty-label' }
  | { code: 'placeholder-too-long'; label: string; max: number }
  | { code: 'bad-name'; name: string; max: number }
  | { code: 'bad-emoji'; emoji: string }
  | { code: 'description-too-long'; max: number }
  | { code: 'bad-duration'; value: string }
  | { code: 'no-categories' }
  | { code: 'too-many-categories'; count: number; max: number }
  | { code: 'unknown-category'; name: string }
  | { code: 'duplicate-category'; name: string };

/**
 * The form of a category, typed as one option (a slash command has no list
 * option): questions separated by `|`, each `Label [long] [optional] = placeholder`.
 * `[long]` makes a paragraph input, `[optional]` lets the member leave it
 * empty; the first question is the ticket's subject, always short and required.
 */
export function parseQuestions(input: string): Result<Question[], PanelRefusal> {
  const items = input
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) return err({ code: 'no-questions' });
  if (items.length > LIMITS.questions) return err({ code: 'too-many-questions', count: items.length, max: LIMITS.questions });
  const out: Question[] = [];
  for (const [n, item] of items.entries()) {
    const eq = item.indexOf('=');
    let label = (eq === -1 ? item : item.slice(0, eq)).trim();
    const placeholder = eq === -1 ? null : item.slice(eq + 1).trim() || null;
    const long = /\[long\]/i.test(label);
    const optional = /\[optional\]/i.test(label);
    label = label
      .replace(/\[(long|optional)\]/gi, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (!label) return err({ code: 'empty-label' });
    if ([...label].length > LIMITS.label) return err({ code: 'label-too-long', label, max: LIMITS.label });
    if (placeholder && [...placeholder].length > LIMITS.placeholder) return err({ code: 'placeholder-too-long', label, max: LIMITS.placeholder });
    out.push(
      n === 0 ? { label, style: 'short', required: true, placeholder } : { label, style: long ? 'paragraph' : 'short', required: !optional, placeholder },
    );
  }
  return ok(out);
}

/** The questions back in the syntax parseQuestions reads (shown by /panel category list). */
export function formatQuestions(qs: readonly Question[]): string {
  return qs
    .map((q, n) => {
      const flags = n === 0 ? '' : `${q.style === 'paragraph' ? ' [long]' : ''}${q.required ? '' : ' [optional]'}`;
      return `${q.label}${flags}${q.placeholder ? ` = ${q.placeholder}` : ''}`;
    })
    .join(' | ');
}

/** A category's name: the modal's title (45), listed with commas in /panel create, so no comma. */
export function checkName(raw: string): Result<string, PanelRefusal> {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (!name || name.includes(',') || [...name].length > LIMITS.label) return err({ code: 'bad-name', name: raw.slice(0, 60), max: LIMITS.label });
  return ok(name);
}

const CUSTOM_EMOJI = /^<(a?):([A-Za-z0-9_]{2,32}):(\d{17,20})>$/;
const UNICODE_EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u{FE0F}|\u{200D}|\u{20E3}|[#*0-9])+$/u;

/** An emoji as typed in a slash command option: a custom one (`<:name:id>`) or Unicode ones. */
export function parseEmoji(raw: string): Result<PanelEmoji, PanelRefusal> {
  const s = raw.trim();
  const custom = CUSTOM_EMOJI.exec(s);
  if (custom) return ok({ name: custom[2]!, id: custom[3]!, ...(custom[1] ? { animated: true } : {}) });
  if (s && [...s].length <= 10 && UNICODE_EMOJI.test(s) && /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u.test(s)) return ok({ name: s });
  return err({ code: 'bad-emoji', emoji: s.slice(0, 60) });
}

/**
 * The categories a panel shows, from the comma list typed in /panel create or
 * edit: each known (by name, any case), none twice, 1–25 (Discord's most
 * buttons on a message and options in a select).
 */
export function pickCategories(input: string, known: readonly PanelCategory[]): Result<PanelCategory[], PanelRefusal> {
  const names = input
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0) return err({ code: 'no-categories' });
  if (names.length > LIMITS.categoriesPerPanel) return err({ code: 'too-many-categories', count: names.length, max: LIMITS.categoriesPerPanel });
  const out: PanelCategory[] = [];
  for (const name of names) {
    const c = known.find((k) => k.name.toLowerCase() === name.toLowerCase());
    if (!c) return err({ code: 'unknown-category', name: name.slice(0, 60) });
    if (out.includes(c)) return err({ code: 'duplicate-category', name: c.name });
    out.push(c);
  }
  return ok(out);
}

/**
 * The guild's policy with the category's targets in place of the guild's,
 * for every severity (a ticket's severity is set at opening and could be
 * raised by staff later; the category's promise stays the same).
 */
export function categoryPolicy(base: TicketPolicy, c: Pick<PanelCategory, 'firstResponseMin' | 'resolutionMin'>): TicketPolicy {
  if (c.firstResponseMin === null && c.resolutionMin === null) return base;
  const every = (n: number) => Object.fromEntries(SEVERITIES.map((s) => [s, n])) as Record<Severity, number>;
  return {
    ...base,
    sla: {
      ...base.sla,
      firstResponseMin: c.firstResponseMin === null ? base.sla.firstResponseMin : every(c.firstResponseMin),
      resolutionMin: c.resolutionMin === null ? base.sla.resolutionMin : every(c.resolutionMin),
    },
  };
}

/**
 * The ticket's description from the form's other answers: each under its
 * question, empty optional answers left out.
 */
export function describeAnswers(qs: readonly Question[], answers: readonly string[]): string {
  return qs
    .slice(1)
    .map((q, n) => ({ q, a: (answers[n + 1] ?? '').trim() }))
    .filter(({ a }) => a.length > 0)
    .map(({ q, a }) => `**${q.label}**\n${a}`)
    .join('\n\n');
}
