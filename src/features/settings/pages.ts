import { type AppLocale, type MessageKey, type MessageValues, t } from '../../i18n/index.ts';
import { esc, htmlPage } from '../dashboard/pages.ts';
import { type RawForm, toText } from './form.ts';
import { SECTION_NAMES, type SectionName } from './names.ts';
import { type FieldSpec, SECTIONS, type Values } from './sections.ts';

/**
 * The settings pages: the list of sections, and one form per section. Plain
 * HTML forms (no script): labels tied to their fields, help and errors tied
 * with aria-describedby, the version read in a hidden field.
 */

const tx = (l: AppLocale, k: MessageKey, v?: MessageValues) => esc(t(l, k, v));
const key = (k: string) => k as MessageKey;

/** A moment as every locale's page shows it: UTC, to the minute. */
export const when = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export interface GuildRef {
  id: string;
  name: string;
}

const base = (g: GuildRef) => `/dashboard/guilds/${esc(g.id)}/settings`;

/** GET /dashboard/guilds/:id/settings: every section, with a link and what it covers. */
export function sectionsPage(l: AppLocale, g: GuildRef): Response {
  const items = SECTION_NAMES.map(
    (s) => `<li><a href="${base(g)}/${s}">${tx(l, key(`set.section.${s}`))}</a><p class="help">${tx(l, key(`set.section.${s}.help`))}</p></li>`,
  ).join('');
  return htmlPage(
    l,
    `${t(l, 'set.title')} · ${g.name}`,
    `<header><p><a href="/dashboard/guilds/${esc(g.id)}">${esc(g.name)}</a></p><h1>${tx(l, 'set.title')}</h1></header>
<p>${tx(l, 'set.intro')}</p><ul class="settings-sections">${items}</ul>`,
  );
}

/** What the page says above the form. */
export type Notice =
  | { kind: 'none' }
  | { kind: 'saved'; version: number }
  | { kind: 'invalid'; field: string; message: string }
  | { kind: 'conflict'; changedBy: string | null; changedAt: number | null };

export interface SectionState {
  version: number;
  changedBy: string | null;
  changedAt: number | null;
  values: Values;
}

function control(l: AppLocale, s: SectionName, f: FieldSpec, text: string, describedBy: string, invalid: boolean): string {
  const common = `id="f-${f.name}" name="${f.name}" aria-describedby="${describedBy}"${invalid ? ' aria-invalid="true"' : ''}`;
  const options = (pairs: readonly (readonly [string, string])[]) =>
    pairs.map(([v, label]) => `<option value="${esc(v)}"${v === text ? ' selected' : ''}>${esc(label)}</option>`).join('');
  switch (f.kind) {
    case 'bool': {
      const yesNo: [string, string][] = [
        ['true', t(l, 'set.yes')],
        ['false', t(l, 'set.no')],
      ];
      // A value the rules refused is kept on the page, so the admin sees what was sent.
      return `<select ${common}>${options(text === 'true' || text === 'false' ? yesNo : [...yesNo, [text, text]])}</select>`;
    }
    case 'choice': {
      const choices = f.choices ?? [];
      // A value the rules refused is kept on the page, so the admin sees what was sent.
      const all = choices.includes(text) ? choices : [...choices, text];
      return `<select ${common}>${options(all.map((c) => [c, c] as const))}</select>`;
    }
    case 'int':
      return `<input ${common} type="text" inputmode="numeric" value="${esc(text)}">`;
    case 'channel':
    case 'role':
      return `<input ${common} type="text" inputmode="numeric" autocomplete="off" value="${esc(text)}">`;
    case 'json':
    case 'longtext':
    case 'pairs':
      return `<textarea ${common} rows="${f.kind === 'json' && s === 'moderation' && f.name === 'automod' ? 12 : 4}" spellcheck="false">${esc(text)}</textarea>`;
    default:
      return `<input ${common} type="text" value="${esc(text)}">`;
  }
}

/**
 * One section's form. `input` is what the admin typed (kept on a refusal);
 * without it the stored values are shown.
 */
export function sectionPage(
  l: AppLocale,
  g: GuildRef,
  s: SectionName,
  state: SectionState,
  notice: Notice,
  input: RawForm | null,
  status = 200,
  note: MessageKey | null = null,
): Response {
  const fields = SECTIONS[s].fields;
  const bad = notice.kind === 'invalid' ? notice.field : null;
  const rows = fields
    .map((f) => {
      const text = input ? (input[f.name] ?? '') : toText(f, state.values[f.name]);
      const invalid = bad === f.name;
      const idHelp = f.kind === 'channel' || f.kind === 'role' ? ` ${tx(l, 'set.id-help')}` : f.kind === 'channels' ? ` ${tx(l, 'set.ids-help')}` : '';
      const describedBy = invalid ? `h-${f.name} e-${f.name}` : `h-${f.name}`;
      return `<div class="field${invalid ? ' invalid' : ''}" id="field-${f.name}">
<label for="f-${f.name}">${tx(l, key(`set.f.${s}.${f.name}`))}</label>
${control(l, s, f, text, describedBy, invalid)}
<p class="help" id="h-${f.name}">${tx(l, key(`set.f.${s}.${f.name}.help`))}${idHelp}</p>${
        invalid && notice.kind === 'invalid' ? `\n<p class="field-error" id="e-${f.name}">${esc(notice.message)}</p>` : ''
      }
</div>`;
    })
    .join('\n');
  // A refused field the form does not show (should not happen from this page) is still said at the top.
  const orphan = notice.kind === 'invalid' && !fields.some((f) => f.name === notice.field) ? ` ${esc(notice.field)}: ${esc(notice.message)}` : '';
  const top =
    notice.kind === 'saved'
      ? `<p class="notice saved" role="status">${tx(l, 'set.saved', { version: notice.version })}</p>`
      : notice.kind === 'invalid'
        ? `<p class="notice error" role="alert">${tx(l, 'set.invalid')}${orphan}</p>`
        : notice.kind === 'conflict'
          ? `<p class="notice conflict" role="alert">${
              notice.changedBy && notice.changedAt !== null
                ? tx(l, 'set.conflict', { name: notice.changedBy, at: when(notice.changedAt) })
                : tx(l, 'set.conflict-unknown')
            }</p>`
          : '';
  const version =
    state.changedBy && state.changedAt !== null
      ? tx(l, 'set.version', { version: state.version, name: state.changedBy, at: when(state.changedAt) })
      : tx(l, 'set.version-new', { version: state.version });
  return htmlPage(
    l,
    `${t(l, key(`set.section.${s}`))} · ${g.name}`,
    `<header><p><a href="${base(g)}">${tx(l, 'set.all')}</a> · <a href="/dashboard/guilds/${esc(g.id)}">${esc(g.name)}</a></p>
<h1>${tx(l, key(`set.section.${s}`))}</h1></header>
<p>${tx(l, key(`set.section.${s}.help`))}</p>${note ? `<p class="help">${tx(l, note)}</p>` : ''}${top}
<p class="version">${version}</p>
<form method="post" action="${base(g)}/${s}" class="settings">
<input type="hidden" name="version" value="${state.version}">
${rows}
<p><button type="submit">${tx(l, 'set.save')}</button></p>
</form>`,
    status,
  );
}
