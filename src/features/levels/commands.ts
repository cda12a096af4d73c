import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  ApplicationCommandType,
  InteractionContextType,
  ApplicationCommandOptionType as O,
  PermissionFlagsBits as P,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { sub, TEXT_CHANNELS } from '../../discord/command-options.ts';
import { permissionBits } from '../../discord/permissions.ts';
import { ACHIEVEMENT_KINDS } from './rules/achievements.ts';
import { MAX_LEVEL } from './rules/curve.ts';

const MAX_AMOUNT = 1_000_000_000;
const member = (required: boolean): APIApplicationCommandBasicOption => ({ type: O.User, name: 'member', description: 'The member', required });
const amount: APIApplicationCommandBasicOption = { type: O.Integer, name: 'amount', description: 'XP', required: true, min_value: 0, max_value: MAX_AMOUNT };
const level: APIApplicationCommandBasicOption = {
  type: O.Integer,
  name: 'level',
  description: 'The level',
  required: true,
  min_value: 1,
  max_value: MAX_LEVEL,
};
const factor: APIApplicationCommandBasicOption = {
  type: O.Number,
  name: 'factor',
  description: 'XP multiplier: 0 means no XP, 1 removes the multiplier',
  required: true,
  min_value: 0,
  max_value: 10,
};
const group = (
  name: string,
  description: string,
  options: APIApplicationCommandSubcommandGroupOption['options'],
): APIApplicationCommandSubcommandGroupOption => ({
  type: O.SubcommandGroup,
  name,
  description,
  options,
});
const KIND_NAMES = { messages: 'Messages sent', level: 'Level reached', events: 'Events attended', voice: 'Minutes in voice' } as const;
const guildOnly = { type: ApplicationCommandType.ChatInput as const, contexts: [InteractionContextType.Guild] };
const admins = permissionBits(P.ManageGuild);

/** /rank: a member's card (image); /leaderboard: the board, in pages. */
export const rankCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  ...guildOnly,
  name: 'rank',
  description: 'Show a member’s level card',
  options: [member(false)],
};

export const leaderboardCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  ...guildOnly,
  name: 'leaderboard',
  description: 'Show the server’s XP leaderboard',
};

/** /xp: staff corrections of one member's XP. */
export const xpCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  ...guildOnly,
  name: 'xp',
  description: 'Change a member’s XP',
  default_member_permissions: admins,
  options: [
    sub('set', 'Set a member’s XP', [member(true), amount]),
    sub('add', 'Give a member XP', [member(true), amount]),
    sub('remove', 'Take XP from a member', [member(true), amount]),
    sub('reset', 'Reset a member’s XP and counters', [member(true)]),
  ],
};

/** /levels: the guild's settings, rewards, multipliers, achievements, import and export. */
export const levelsCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  ...guildOnly,
  name: 'levels',
  description: 'Set up levels and XP',
  default_member_permissions: admins,
  options: [
    sub('config', 'Show or change the levels settings', [
      { type: O.Integer, name: 'xp_min', description: 'Least XP per message', min_value: 0, max_value: 10_000 },
      { type: O.Integer, name: 'xp_max', description: 'Most XP per message', min_value: 0, max_value: 10_000 },
      { type: O.Integer, name: 'cooldown', description: 'Seconds between XP awards per member', min_value: 0, max_value: 86_400 },
      { type: O.String, name: 'curve', description: 'Level cost a,b,c (aL²+bL+c), e.g. 5,50,100', max_length: 40 },
      { type: O.Integer, name: 'voice_xp', description: 'XP per minute in voice (0: off)', min_value: 0, max_value: 1_000 },
      { type: O.Integer, name: 'event_xp', description: 'XP for each event attended (Going when it started; 0: off)', min_value: 0, max_value: 10_000 },
      {
        type: O.String,
        name: 'announce',
        description: 'Where level-ups are announced',
        choices: [
          { name: 'In a channel', value: 'channel' },
          { name: 'By direct message', value: 'dm' },
          { name: 'Off', value: 'off' },
        ],
      },
      { type: O.Channel, name: 'announce_channel', description: 'Channel for level-ups (default: where the member wrote)', channel_types: TEXT_CHANNELS },
      { type: O.String, name: 'message', description: 'Level-up text; placeholders in braces: user, name, level, xp, server', max_length: 500 },
      { type: O.Boolean, name: 'stack', description: 'Keep lower reward roles (false: replace them)' },
      { type: O.Channel, name: 'alert_channel', description: 'Where admins hear of roles the bot cannot give', channel_types: TEXT_CHANNELS },
      { type: O.Boolean, name: 'public_page', description: 'Publish the leaderboard on a web page' },
    ]),
    group('reward', 'Roles given at levels', [
      sub('add', 'Give a role at a level', [level, { type: O.Role, name: 'role', description: 'The role', required: true }]),
      sub('remove', 'Stop giving the role at a level', [level]),
      sub('list', 'List the reward roles'),
    ]),
    group('multiplier', 'XP multipliers and no-XP channels and roles', [
      sub('channel', 'Set a channel’s multiplier', [{ type: O.Channel, name: 'channel', description: 'The channel', required: true }, factor]),
      sub('role', 'Set a role’s multiplier', [{ type: O.Role, name: 'role', description: 'The role', required: true }, factor]),
      sub('list', 'List the multipliers'),
    ]),
    group('achievement', 'Achievements members can earn', [
      sub('add', 'Add an achievement', [
        {
          type: O.String,
          name: 'kind',
          description: 'What it counts',
          required: true,
          choices: ACHIEVEMENT_KINDS.map((k) => ({ name: KIND_NAMES[k], value: k })),
        },
        { type: O.Integer, name: 'threshold', description: 'How many', required: true, min_value: 1, max_value: MAX_AMOUNT },
        { type: O.String, name: 'name', description: 'Its name', required: true, max_length: 80 },
      ]),
      sub('remove', 'Remove an achievement', [{ type: O.Integer, name: 'id', description: 'Its number', required: true, min_value: 1 }]),
      sub('list', 'List the achievements'),
    ]),
    sub('import', 'Import XP from a CSV file (user id, XP per line)', [{ type: O.Attachment, name: 'file', description: 'The CSV file', required: true }]),
    sub('export', 'Export everyone’s XP', [
      {
        type: O.String,
        name: 'format',
        description: 'File format',
        required: true,
        choices: [
          { name: 'CSV', value: 'csv' },
          { name: 'JSON', value: 'json' },
        ],
      },
    ]),
  ],
};

export const LEVELS_COMMANDS = [rankCommand, leaderboardCommand, xpCommand, levelsCommand];
