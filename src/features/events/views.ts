import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  type RESTPostAPIChannelMessageJSONBody,
  TextInputStyle,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import { type MessageKey, t as tr } from '../../i18n/index.ts';
import { MAX_DESCRIPTION, MAX_TITLE } from './rules/limits.ts';
import type { Rsvp } from './rules/rsvp.ts';
import type { Occurrence } from './store.ts';

export const EVENTS_FEATURE = 'events';
export const EventActions = { rsvp: 'rsvp', form: 'form' } as const;
export const FORM_FIELDS = { title: 'title', description: 'description', start: 'start', duration: 'duration' } as const;

/** The reactions counted as answers, beside the buttons (members who prefer reacting). */
export const REACTIONS = { going: '✅', maybe: '❔', no: '❌' } as const;
export type Choice = keyof typeof REACTIONS;

const sec = (ms: number) => Math.floor(ms / 1000);
const MAX_NAMES = 30;

const mentions = (ids: readonly string[]) =>
  ids.length === 0
    ? '—'
    : ids
        .slice(0, MAX_NAMES)
        .map((u) => `<@${u}>`)
        .join(', ') + (ids.length > MAX_NAMES ? ` +${ids.length - MAX_NAMES}` : '');

/**
 * The post of one occurrence: times as Discord timestamps (each member reads
 * them in their own time zone), the place, the answers with a live count and
 * the waitlist in order, and the Going / Maybe / Not going buttons.
 */
export function eventPost(
  guildId: string,
  o: Occurrence,
  rsvps: readonly Rsvp[],
  interested: number | null,
  locale?: string,
): RESTPostAPIChannelMessageJSONBody {
  const s = o.series;
  const going = rsvps.filter((r) => r.status === 'going').map((r) => r.userId);
  const waitlist = rsvps
    .filter((r) => r.status === 'waitlist')
    .sort((a, b) => a.seq - b.seq)
    .map((r) => r.userId);
  const maybe = rsvps.filter((r) => r.status === 'maybe').map((r) => r.userId);
  const no = rsvps.filter((r) => r.status === 'no').length;
  const where = s.locationChannel ? `<#${s.locationChannel}>` : (s.locationText ?? null);
  const fields: APIEmbed['fields'] = [
    { name: tr(locale, 'ev.post.when'), value: tr(locale, 'ev.post.when-value', { start: sec(o.start), end: sec(o.end) }) },
    ...(where ? [{ name: tr(locale, 'ev.post.where'), value: where }] : []),
    ...(s.repeat !== 'none' ? [{ name: tr(locale, 'ev.post.repeats'), value: tr(locale, `ev.repeat.${s.repeat}` as MessageKey) }] : []),
    {
      name: s.capacity === null ? tr(locale, 'ev.post.going', { n: going.length }) : tr(locale, 'ev.post.going-of', { n: going.length, capacity: s.capacity }),
      value: mentions(going),
    },
    ...(waitlist.length ? [{ name: tr(locale, 'ev.post.waitlist', { n: waitlist.length }), value: mentions(waitlist) }] : []),
    { name: tr(locale, 'ev.post.maybe', { n: maybe.length }), value: mentions(maybe), inline: true },
    { name: tr(locale, 'ev.post.not-going', { n: no }), value: '\u200b', inline: true },
    ...(interested !== null ? [{ name: tr(locale, 'ev.post.interested', { n: interested }), value: '\u200b', inline: true }] : []),
  ];
  const embed: APIEmbed = {
    title: (o.cancelled ? tr(locale, 'ev.post.cancelled-title', { title: o.title }) : o.title).slice(0, 256),
    description: o.description || undefined,
    fields,
    footer: { text: tr(locale, 'ev.post.footer', { id: s.id }) },
    timestamp: new Date(o.start).toISOString(),
  };
  const id = (choice: Choice) => encodeCustomId({ feature: EVENTS_FEATURE, action: EventActions.rsvp, id: guildId, extra: `${s.id}.${o.n}.${choice}` });
  const button = (choice: Choice, style: ButtonStyle.Success | ButtonStyle.Secondary | ButtonStyle.Danger): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style,
    label: tr(locale, `ev.button.${choice}`),
    emoji: { name: REACTIONS[choice] },
    custom_id: id(choice),
  });
  const row: APIActionRowComponent<APIButtonComponentWithCustomId> = {
    type: ComponentType.ActionRow,
    components: [button('going', ButtonStyle.Success), button('maybe', ButtonStyle.Secondary), button('no', ButtonStyle.Danger)],
  };
  return { embeds: [embed], components: o.cancelled ? [] : [row], allowed_mentions: { parse: [] } };
}

/** The form: a modal holds at most five inputs, these four; an edit comes prefilled. */
export function eventForm(
  guildId: string,
  draftId: string,
  zone: string,
  locale: string | undefined,
  prefill?: { title: string; description: string; start: string; duration: string },
): APIModalInteractionResponseCallbackData {
  const input = (custom_id: string, label: MessageKey, style: TextInputStyle, max: number, required: boolean, placeholder?: string, value?: string) => ({
    type: ComponentType.ActionRow as const,
    components: [
      {
        type: ComponentType.TextInput as const,
        custom_id,
        label: tr(locale, label),
        style,
        max_length: max,
        required,
        ...(placeholder ? { placeholder: placeholder.slice(0, 100) } : {}),
        ...(value ? { value } : {}),
      },
    ],
  });
  return {
    custom_id: encodeCustomId({ feature: EVENTS_FEATURE, action: EventActions.form, id: guildId, extra: draftId }),
    title: tr(locale, prefill ? 'ev.form.title-edit' : 'ev.form.title-create'),
    components: [
      input(FORM_FIELDS.title, 'ev.form.field-title', TextInputStyle.Short, MAX_TITLE, true, undefined, prefill?.title),
      input(FORM_FIELDS.description, 'ev.form.field-description', TextInputStyle.Paragraph, MAX_DESCRIPTION, false, undefined, prefill?.description),
      input(FORM_FIELDS.start, 'ev.form.field-start', TextInputStyle.Short, 40, true, tr(locale, 'ev.form.start-placeholder', { zone }), prefill?.start),
      input(
        FORM_FIELDS.duration,
        'ev.form.field-duration',
        TextInputStyle.Short,
        10,
        true,
        tr(locale, 'ev.form.duration-placeholder'),
        prefill?.duration ?? '2h',
      ),
    ],
  };
}
