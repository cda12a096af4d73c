import { type AppLocale, type MessageKey, type MessageValues, t } from '../../i18n/index.ts';
import { htmlPage } from '../dashboard/pages.ts';
import type { BotEntry, BotRegister } from './feature.ts';
import { dayOf, type Field, type FieldError, type FieldErrors, LIMITS, POWERFUL, permissionNames } from './rules.ts';

/**
 * The register's page: server-rendered, no script, the dashboard's one
 * stylesheet. Each bot has its own form; a refused save shows the page again
 * with what was typed and each error next to its field.
 */
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const tx = (l: AppLocale, k: MessageKey, v?: MessageValues) => esc(t(l, k, v));

/** The message key of a field error. */
export const errorKey = (e: FieldError): MessageKey => `gov.err.${e}` as MessageKey;

/** A refused form: whose form (a bot's id, or 'settings'), what was typed, and the errors. */
export interface Refused {
  form: string;
  values: Record<string, string | string[]>;
  errors: FieldErrors;
}

function fieldError(l: AppLocale, errors: FieldErrors | undefined, field: Field, id: string): string {
  const e = errors?.[field];
  return e ? `<p class="field-error" id="${esc(id)}-error">${tx(l, errorKey(e))}</p>` : '';
}

const invalid = (errors: FieldErrors | undefined, field: Field, id: string) =>
  errors?.[field] ? ` aria-invalid="true" aria-describedby="${esc(id)}-error"` : '';

function activityLine(l: AppLocale, b: BotEntry): string {
  const a = b.activity;
  if (a.kind === 'active') return tx(l, 'gov.activity.active', { date: dayOf(a.lastSeen) });
  if (a.kind === 'silent')
    return tx(l, 'gov.activity.silent', { seen: a.lastSeen === null ? 'no' : 'yes', date: a.lastSeen === null ? '' : dayOf(a.lastSeen) });
  return tx(l, 'gov.activity.unknown', { date: dayOf(a.watchedSince) });
}

function botForm(l: AppLocale, guildId: string, b: BotEntry, refused: Refused | null): string {
  const mine = refused?.form === b.id ? refused : null;
  const v = (k: string, saved: string | null | undefined): string => {
    const typed = mine?.values[k];
    return esc(typeof typed === 'string' ? typed : (saved ?? ''));
  };
  const accepted = new Set(mine ? [mine.values.accepted ?? []].flat() : (b.record?.accepted ?? []));
  const e = mine?.errors;
  const id = (f: string) => `b${b.id}-${f}`;
  const boxes = permissionNames(POWERFUL)
    .map((n) => `<label><input type="checkbox" name="accepted" value="${esc(n)}"${accepted.has(n) ? ' checked' : ''}> <code>${esc(n)}</code></label>`)
    .join(' ');
  return `<form method="post" action="/dashboard/guilds/${esc(guildId)}/bots" class="bot-record">
<input type="hidden" name="action" value="record"><input type="hidden" name="bot" value="${esc(b.id)}">
${fieldError(l, e, 'bot', id('bot'))}
<p><label for="${id('owner')}">${tx(l, 'gov.field.owner')}</label>
<input id="${id('owner')}" name="owner" inputmode="numeric" value="${v('owner', b.record?.ownerId)}"${invalid(e, 'owner', id('owner'))}>${fieldError(l, e, 'owner', id('owner'))}</p>
<p><label for="${id('purpose')}">${tx(l, 'gov.field.purpose')}</label>
<input id="${id('purpose')}" name="purpose" maxlength="${LIMITS.purpose}" value="${v('purpose', b.record?.purpose)}"${invalid(e, 'purpose', id('purpose'))}>${fieldError(l, e, 'purpose', id('purpose'))}</p>
<p><label for="${id('failurePlan')}">${tx(l, 'gov.field.failure')}</label>
<textarea id="${id('failurePlan')}" name="failurePlan" maxlength="${LIMITS.failurePlan}" rows="3"${invalid(e, 'failurePlan', id('failurePlan'))}>${v('failurePlan', b.record?.failurePlan)}</textarea>${fieldError(l, e, 'failurePlan', id('failurePlan'))}</p>
<p><label for="${id('reviewDate')}">${tx(l, 'gov.field.review')}</label>
<input id="${id('reviewDate')}" name="reviewDate" type="date" value="${v('reviewDate', b.record?.reviewDate)}"${invalid(e, 'reviewDate', id('reviewDate'))}>${fieldError(l, e, 'reviewDate', id('reviewDate'))}</p>
<fieldset><legend>${tx(l, 'gov.field.accepted')}</legend>${boxes}${fieldError(l, e, 'accepted', id('accepted'))}</fieldset>
<p><button>${tx(l, 'gov.save')}</button></p></form>`;
}

function botSection(l: AppLocale, guildId: string, b: BotEntry, refused: Refused | null, saved: string | null): string {
  const flags = [
    b.flags.administrator ? `<p class="flag admin">${tx(l, 'gov.flag.admin')}</p>` : '',
    b.flags.overpowered.length > 0 ? `<p class="flag overpowered">${tx(l, 'gov.flag.overpowered', { names: b.flags.overpowered.join(', ') })}</p>` : '',
  ].join('');
  const roles = b.roles.length === 0 ? tx(l, 'gov.none') : b.roles.map((r) => esc(r.name)).join(', ');
  const perms = b.permissions.length === 0 ? tx(l, 'gov.none') : b.permissions.map((p) => `<code>${esc(p)}</code>`).join(' ');
  return `<section class="bot" id="bot-${esc(b.id)}" data-bot="${esc(b.id)}">
<h2>${esc(b.name)}${b.self ? ` <small>${tx(l, 'gov.self')}</small>` : ''}</h2>
${saved === b.id ? `<p class="saved">${tx(l, 'gov.saved')}</p>` : ''}${flags}
<dl><dt>${tx(l, 'gov.roles')}</dt><dd>${roles}</dd><dt>${tx(l, 'gov.permissions')}</dt><dd>${perms}</dd>
<dt>${tx(l, 'gov.activity')}</dt><dd class="activity">${activityLine(l, b)}</dd></dl>
${b.record ? '' : `<p class="unrecorded">${tx(l, 'gov.unrecorded')}</p>`}
${botForm(l, guildId, b, refused)}</section>`;
}

/** The register page; `refused` re-shows a form with its errors (status 400), `saved` names the form just saved. */
export function registerPage(
  l: AppLocale,
  guild: { id: string; name: string },
  r: BotRegister,
  opts: { refused?: Refused | null; saved?: string | null } = {},
): Response {
  const refused = opts.refused ?? null;
  const d = r.drift;
  const channels = d.channels ?? [];
  const drift =
    d.missing.length === 0 && d.excess.length === 0 && channels.length === 0
      ? `<p>${tx(l, 'gov.drift.ok')}</p>`
      : `${d.missing.length > 0 ? `<p class="drift missing">${tx(l, 'gov.drift.missing', { names: d.missing.join(', ') })}</p>` : ''}${
          d.excess.length > 0 ? `<p class="drift excess">${tx(l, 'gov.drift.excess', { names: d.excess.join(', ') })}</p>` : ''
        }${channels.map((c) => `<p class="drift missing">${tx(l, 'gov.drift.channel', { channel: c.channelId, names: c.missing.join(', ') })}</p>`).join('')}`;
  const settingsRefused = refused?.form === 'settings' ? refused : null;
  const typedChannel = settingsRefused?.values.reminderChannel;
  const channel = esc(typeof typedChannel === 'string' ? typedChannel : (r.reminderChannelId ?? ''));
  const settings = `<section class="settings"><h2>${tx(l, 'gov.settings.title')}</h2>
${opts.saved === 'settings' ? `<p class="saved">${tx(l, 'gov.saved')}</p>` : ''}
<form method="post" action="/dashboard/guilds/${esc(guild.id)}/bots"><input type="hidden" name="action" value="settings">
<p><label for="reminder-channel">${tx(l, 'gov.settings.channel')}</label>
<input id="reminder-channel" name="reminderChannel" inputmode="numeric" value="${channel}"${invalid(settingsRefused?.errors, 'reminderChannel', 'reminder-channel')}>${fieldError(
    l,
    settingsRefused?.errors,
    'reminderChannel',
    'reminder-channel',
  )}</p>
<p><button>${tx(l, 'gov.save')}</button></p></form></section>`;
  const body = `<header><p><a href="/dashboard/guilds/${esc(guild.id)}">${tx(l, 'gov.back')}</a></p><h1>${tx(l, 'gov.title', { guild: guild.name })}</h1></header>
<p>${tx(l, 'gov.intro')}</p>
${r.complete ? '' : `<p class="incomplete">${tx(l, 'gov.incomplete')}</p>`}
<section class="drift"><h2>${tx(l, 'gov.drift.title')}</h2>${drift}</section>
${settings}
${r.bots.map((b) => botSection(l, guild.id, b, refused, opts.saved ?? null)).join('\n')}`;
  return htmlPage(l, `${t(l, 'gov.title', { guild: guild.name })} · ${t(l, 'dash.title')}`, body, refused ? 400 : 200);
}
