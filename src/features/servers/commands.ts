import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { sub, TEXT_CHANNELS } from '../../discord/command-options.ts';
import { serversOpsEn } from '../../i18n/servers/ops-en.ts';
import { CAPABILITIES } from './rules/capabilities.ts';
import { SCHEDULE_ACTIONS, WEEKDAYS } from './rules/schedule.ts';

const S = ApplicationCommandOptionType;
/** A choice's English name, from the catalog that also holds its translations. */
const englishChoice = (key: string) => (serversOpsEn as Record<string, string>)[`cmd.server.${key}`] ?? key;

/** The `server` option: `<panel>/<server>` values, from autocomplete. */
const server: APIApplicationCommandBasicOption = {
  type: S.String,
  name: 'server',
  description: 'The game server',
  required: true,
  max_length: 100,
  autocomplete: true,
};
const panel: APIApplicationCommandBasicOption = { type: S.String, name: 'panel', description: 'The panel', required: true, max_length: 40, autocomplete: true };
const role: APIApplicationCommandBasicOption = { type: S.Role, name: 'role', description: 'The role', required: true };
const capability = (required: boolean): APIApplicationCommandBasicOption => ({
  type: S.String,
  name: 'capability',
  description: 'What the role may do',
  required,
  choices: CAPABILITIES.map((c) => ({ name: c, value: c })),
});

/**
 * /server: game servers on the guild's panels. Visible to everyone; who may do
 * what is the guild's role grants (/server permissions), checked on every
 * command, button and autocomplete, Administrator only by default.
 */
export const serverCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'server',
  type: ApplicationCommandType.ChatInput,
  description: 'Control the community’s game servers',
  contexts: [InteractionContextType.Guild],
  options: [
    sub('list', 'List the game servers'),
    sub('status', 'Show a server’s state, CPU, memory, disk and uptime', [server]),
    sub('start', 'Start a server', [server]),
    sub('stop', 'Stop a server (asks to confirm)', [server]),
    sub('restart', 'Restart a server (asks to confirm)', [server]),
    sub('kill', 'Kill a server’s process (asks to confirm; off unless enabled)', [server]),
    sub('command', 'Send a console command', [
      server,
      { type: S.String, name: 'command', description: 'The console command', required: true, max_length: 200 },
    ]),
    {
      type: S.SubcommandGroup,
      name: 'backup',
      description: 'Backups of a server',
      options: [
        sub('create', 'Start a backup', [server, { type: S.String, name: 'name', description: 'A name for the backup', max_length: 100 }]),
        sub('list', 'List a server’s backups', [server]),
      ],
    },
    {
      type: S.SubcommandGroup,
      name: 'panel-schedule',
      description: 'The panel’s own schedules',
      options: [
        sub('list', 'List the panel’s schedules of a server', [server]),
        sub('run', 'Run one of the panel’s schedules now', [
          server,
          { type: S.String, name: 'schedule', description: 'The schedule id (see list)', required: true, max_length: 20 },
        ]),
      ],
    },
    sub('stats', 'Uptime, CPU, memory and players over time', [
      server,
      {
        type: S.String,
        name: 'period',
        description: 'How far back (default 24 hours)',
        choices: [
          { name: '24 hours', value: '24h' },
          { name: '7 days', value: '7d' },
          { name: '30 days', value: '30d' },
        ],
      },
    ]),
    {
      type: S.SubcommandGroup,
      name: 'display',
      description: 'Live status messages',
      options: [
        sub('set', 'Post a status message that keeps itself current', [
          server,
          { type: S.Channel, name: 'channel', description: 'Where the status message goes', required: true, channel_types: TEXT_CHANNELS },
          { type: S.Channel, name: 'announce', description: 'Where up and down changes are announced', channel_types: TEXT_CHANNELS },
        ]),
        sub('remove', 'Stop a server’s status messages', [server]),
      ],
    },
    {
      type: S.SubcommandGroup,
      name: 'schedule',
      description: 'Scheduled restarts, backups and commands',
      options: [
        sub('add', 'Schedule a restart, backup or command', [
          server,
          {
            type: S.String,
            name: 'action',
            description: 'What to do',
            required: true,
            choices: SCHEDULE_ACTIONS.map((a) => ({ name: englishChoice(`schedule.add.action.choice.${a}`), value: a })),
          },
          { type: S.String, name: 'time', description: 'At what time, HH:MM (24-hour)', required: true, min_length: 4, max_length: 5 },
          { type: S.String, name: 'timezone', description: 'Time zone, like Europe/Berlin (default UTC)', max_length: 60, autocomplete: true },
          {
            type: S.String,
            name: 'weekday',
            description: 'Only on this day (default every day)',
            choices: WEEKDAYS.map((d) => ({ name: englishChoice(`schedule.add.weekday.choice.${d}`), value: d })),
          },
          { type: S.String, name: 'command', description: 'The console command (for action command)', max_length: 200 },
          { type: S.Channel, name: 'channel', description: 'Where each run is announced', channel_types: TEXT_CHANNELS },
        ]),
        sub('list', 'List the scheduled operations'),
        sub('remove', 'Remove a scheduled operation', [{ type: S.Integer, name: 'id', description: 'Its number (see list)', required: true, min_value: 1 }]),
      ],
    },
    {
      type: S.SubcommandGroup,
      name: 'webhook',
      description: 'Signed server events to your own service (administrators)',
      options: [
        sub('set', 'Send server events to this address', [{ type: S.String, name: 'url', description: 'https:// address', required: true, max_length: 300 }]),
        sub('off', 'Stop sending server events'),
      ],
    },
    sub('connect', 'Connect a panel (administrators)', [
      {
        type: S.String,
        name: 'kind',
        description: 'The kind of panel',
        required: true,
        choices: [
          { name: 'Pterodactyl / Pelican', value: 'pterodactyl' },
          { name: 'Other (HTTP API)', value: 'http' },
        ],
      },
    ]),
    sub('disconnect', 'Disconnect a panel and forget its key (administrators)', [panel]),
    sub('panels', 'List the connected panels (administrators)'),
    {
      type: S.SubcommandGroup,
      name: 'permissions',
      description: 'Which roles may do what (administrators)',
      options: [
        sub('grant', 'Let a role do something', [role, capability(true)]),
        sub('revoke', 'Take a capability (or all) from a role', [role, capability(false)]),
        sub('list', 'Show the roles and their capabilities'),
      ],
    },
    sub('settings', 'Server control settings (administrators)', [
      { type: S.Boolean, name: 'allow_kill', description: 'Allow /server kill (default off)' },
      { type: S.Boolean, name: 'prefix_hints', description: 'Answer old !commands with the slash command to use (default off)' },
    ]),
  ],
};

export const SERVERS_COMMANDS = [serverCommand];
