import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { type AppLocale, type MessageKey, type MessageValues, t as tr } from '../../i18n/index.ts';
import { type AlertKind, type AlertRoute, type Fold, foldMinutes, formatQuiet, type RouteErrors, type RouteInput } from './rules.ts';

const secs = (ms: number) => Math.floor(ms / 1000);

/** A fold's text: its kind, the count and span once repeated, first and last time (Discord timestamps), the latest evidence. */
export function foldText(f: Fold, locale: string | undefined): string {
  return tr(locale, 'alerts.message', {
    mention: f.mentionRoleId ? `<@&${f.mentionRoleId}> ` : '',
    kind: tr(locale, `alerts.kind.${f.kind}` as const),
    count: f.count,
    minutes: foldMinutes(f),
    first: String(secs(f.firstAt)),
    last: String(secs(f.lastAt)),
    evidence: f.evidence,
  });
}

/** The latest alert's button, if it offers one (an edit without one removes an earlier alert's). */
const foldComponents = (f: Fold): APIActionRowComponent<APIComponentInMessageActionRow>[] =>
  f.action
    ? [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: f.action.customId, label: f.action.label.slice(0, 80) }],
        },
      ]
    : [];

/** The first message of a fold: it may mention the route's role, and nothing else. */
export function foldPost(f: Fold, locale: string | undefined): RESTPostAPIChannelMessageJSONBody {
  return {
    content: foldText(f, locale),
    allowed_mentions: f.mentionRoleId ? { parse: [], roles: [f.mentionRoleId] } : { parse: [] },
    ...(f.action ? { components: foldComponents(f) } : {}),
  };
}

/** An edit of the fold's message (edits never notify; nobody is pinged again). */
export function foldEdit(f: Fold, locale: string | undefined): RESTPatchAPIChannelMessageJSONBody {
  // Folds of kinds that never offer a button leave the message's components alone.
  return { content: foldText(f, locale), allowed_mentions: { parse: [] }, ...(f.action === undefined ? {} : { components: foldComponents(f) }) };
}

/** One route as a line of /alerts show. */
export function routeLine(r: AlertRoute, locale: string | undefined): string {
  return tr(locale, 'alerts.route-line', {
    kind: tr(locale, `alerts.kind.${r.kind}` as const),
    channel: r.channelId,
    role: r.roleId ?? 'none',
    window: r.windowMin,
    quiet: formatQuiet(r.quiet) || 'none',
    zone: r.timeZone,
  });
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** What one kind's form shows: its saved (or just submitted) values and, after a refused save, each field's error. */
export interface KindForm {
  kind: AlertKind;
  values: Required<RouteInput>;
  errors: RouteErrors;
  saved: boolean;
}

/** The dashboard's alerts page: one form per kind, errors next to their field. No script, no inline style. */
export function alertsPageBody(l: AppLocale, guild: { id: string; name: string }, forms: readonly KindForm[]): string {
  const x = (k: MessageKey, v?: MessageValues) => esc(tr(l, k, v));
  const field = (f: KindForm, name: keyof RouteErrors, label: MessageKey, hint: MessageKey) => {
    const id = `${f.kind}-${name}`;
    const e = f.errors[name];
    return `<p><label for="${id}">${x(label)}</label> <input id="${id}" name="${name}" value="${esc(f.values[name])}"${e ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}> <small>${x(hint)}</small>${
      e ? ` <strong class="error" id="${id}-error" data-field="${name}">${x(e)}</strong>` : ''
    }</p>`;
  };
  const forms_ = forms
    .map(
      (f) => `<section id="kind-${f.kind}"><h2>${x(`alerts.kind.${f.kind}` as const)}</h2>${f.saved ? `<p class="saved">${x('alerts.page.saved')}</p>` : ''}
<form method="post" action="/dashboard/guilds/${esc(guild.id)}/alerts"><input type="hidden" name="kind" value="${f.kind}">
${field(f, 'channel', 'alerts.page.channel', 'alerts.page.channel-hint')}
${field(f, 'role', 'alerts.page.role', 'alerts.page.role-hint')}
${field(f, 'window', 'alerts.page.window', 'alerts.page.window-hint')}
${field(f, 'quiet', 'alerts.page.quiet', 'alerts.page.quiet-hint')}
${field(f, 'timezone', 'alerts.page.timezone', 'alerts.page.timezone-hint')}
<p><button>${x('alerts.page.save')}</button></p></form></section>`,
    )
    .join('\n');
  return `<header><p><a href="/dashboard/guilds/${esc(guild.id)}">${x('dash.back')}</a></p><h1>${x('alerts.page.title', { guild: guild.name })}</h1></header>
<p>${x('alerts.page.intro')}</p>
${forms_}`;
}
