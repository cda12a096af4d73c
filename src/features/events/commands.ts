import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { sub } from '../../discord/command-options.ts';
import { eventsEn } from '../../i18n/events/en.ts';
import { MAX_CAPACITY } from './rules/limits.ts';
import { REPEATS } from './rules/recurrence.ts';

const S = ApplicationCommandOptionType;
const english = (key: string) => (eventsEn as Record<string, string>)[key] ?? key;

const event: APIApplicationCommandBasicOption = { type: S.String, name: 'event', description: 'The event', required: true, max_length: 20, autocomplete: true };
const occurrence: APIApplicationCommandBasicOption = {
  type: S.String,
  name: 'occurrence',
  description: 'Only this date of a repeating event (leave empty for the whole series)',
  max_length: 20,
  autocomplete: true,
};
const zone = (name: string, required: boolean): APIApplicationCommandBasicOption => ({
  type: S.String,
  name,
  description: 'An IANA time zone, like Europe/Berlin',
  required,
  max_length: 64,
  autocomplete: true,
});

/**
 * /event: community events with RSVPs, reminders, repetition, Discord's
 * scheduled events and a calendar feed. Creating, editing and cancelling
 * need Manage Events (checked on every command); answering is for everyone.
 */
export const eventCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'event',
  type: ApplicationCommandType.ChatInput,
  description: 'Community events with RSVPs and reminders',
  contexts: [InteractionContextType.Guild],
  options: [
    sub('create', 'Create an event (a form asks for title, description, start and duration)', [
      { type: S.Integer, name: 'capacity', description: 'Places; later Going answers join a waitlist', min_value: 1, max_value: MAX_CAPACITY },
      {
        type: S.Channel,
        name: 'channel',
        description: 'Where it happens: a voice or stage channel',
        channel_types: [ChannelType.GuildVoice, ChannelType.GuildStageVoice],
      },
      { type: S.String, name: 'location', description: 'Where it happens, as text (a place or a link)', max_length: 100 },
      {
        type: S.String,
        name: 'repeat',
        description: 'How it repeats',
        choices: REPEATS.map((r) => ({ name: english(`cmd.event.create.repeat.choice.${r}`), value: r })),
      },
    ]),
    sub('edit', 'Change an event, or one date of a repeating event', [event, occurrence]),
    sub('cancel', 'Cancel an event, or one date of a repeating event', [event, occurrence]),
    sub('list', 'The coming events'),
    sub('feed', 'The address of the guild’s calendar feed (iCal)', [
      { type: S.Boolean, name: 'rotate', description: 'Make a new address; the old one stops working (Manage Events)' },
    ]),
    sub('config', 'The guild’s event settings (Manage Events)', [
      zone('timezone', false),
      { type: S.String, name: 'reminders', description: 'Reminder times before the start, like 15m, 1h, 1d', max_length: 40 },
      {
        type: S.String,
        name: 'reminder_mode',
        description: 'How reminders reach those going',
        choices: (['dm', 'channel'] as const).map((m) => ({ name: english(`cmd.event.config.reminder_mode.choice.${m}`), value: m })),
      },
    ]),
    sub('timezone', 'Your own time zone, for the start times you type', [zone('zone', true)]),
  ],
};

export const EVENTS_COMMANDS = [eventCommand];
