import {
  type APIApplicationCommandSubcommandGroupOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { permissionBits } from '../../discord/permissions.ts';
import { OUTSIDE_MODES } from './hours/rules.ts';
import { ISSUE_TYPES, SEVERITIES, STATUSES } from './model.ts';

const choices = (values: readonly string[]) => values.map((v) => ({ name: v, value: v }));

export const TICKET_COMMAND = 'ticket';
export const SETUP_COMMAND = 'setup';

/** /ticket hours …: a subcommand group beside /ticket's subcommands (Discord allows mixing them). */
const hoursGroup: APIApplicationCommandSubcommandGroupOption = {
  type: ApplicationCommandOptionType.SubcommandGroup,
  name: 'hours',
  description: 'Support hours: when staff answer tickets (administrators)',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'set',
      description: 'Add support hours for some days (a second call adds more)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'timezone',
          description: 'Time zone the hours are read in, like Europe/Berlin',
          required: true,
          autocomplete: true,
          max_length: 64,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'days',
          description: 'Days: mon-fri, mon,wed,fri, sat-sun, mon-fri,sun or daily',
          required: true,
          max_length: 60,
        },
        { type: ApplicationCommandOptionType.String, name: 'from', description: 'Opening time, 24-hour HH:MM', required: true, max_length: 5 },
        {
          type: ApplicationCommandOptionType.String,
          name: 'to',
          description: 'Closing time, 24-hour HH:MM (before the opening time: past midnight)',
          required: true,
          max_length: 5,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'outside',
          description: 'Outside the hours /ticket open warns or refuses (default: as before, else warn)',
          choices: choices(OUTSIDE_MODES),
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'holiday',
      description: 'Close support all day on a date, or open that date again',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'action',
          description: 'Add or remove the holiday',
          required: true,
          choices: choices(['add', 'remove']),
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'date',
          description: 'The date, YYYY-MM-DD, in the hours’ time zone',
          required: true,
          max_length: 10,
        },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show the support hours and whether support is open now' },
    { type: ApplicationCommandOptionType.Subcommand, name: 'off', description: 'Remove the support hours: tickets open at any time' },
  ],
};

/** /ticket: everything a member or staff does with support tickets. */
export const ticketCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: TICKET_COMMAND,
  type: ApplicationCommandType.ChatInput,
  description: 'Support tickets',
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'open',
      description: 'Open a support ticket',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'issue_type', description: 'What kind of problem', required: true, choices: choices(ISSUE_TYPES) },
        { type: ApplicationCommandOptionType.String, name: 'severity', description: 'How bad is it', required: true, choices: choices(SEVERITIES) },
        {
          type: ApplicationCommandOptionType.String,
          name: 'subject',
          description: 'One line about the problem (a form asks if you leave it out)',
          max_length: 100,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'close',
      description: 'Close this ticket (asks for confirmation)',
      options: [{ type: ApplicationCommandOptionType.String, name: 'reason', description: 'Why it is closed', max_length: 500 }],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'claim', description: 'Take this ticket (staff)' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'assign',
      description: 'Give this ticket to a staff member (staff)',
      options: [{ type: ApplicationCommandOptionType.User, name: 'member', description: 'Who takes it', required: true }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'list',
      description: 'List tickets (staff)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'status',
          description: 'Only tickets in this status (default: all active)',
          choices: choices(['active', ...STATUSES]),
        },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'inbox', description: 'Open the live staff inbox (staff)' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'status',
      description: 'Show this ticket, or your tickets; staff can set waiting/escalated/resolved',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'set', description: 'New status (staff)', choices: choices(['waiting', 'escalated', 'resolved']) },
      ],
    },
    hoursGroup,
  ],
};

/** /setup tickets: per-guild configuration, Administrator only (checked again at run time). */
export const setupCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: SETUP_COMMAND,
  type: ApplicationCommandType.ChatInput,
  description: 'Configure Guildkeep (administrators)',
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(PermissionFlagsBits.Administrator),
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'tickets',
      description: 'Who handles tickets and where they go',
      options: [
        { type: ApplicationCommandOptionType.Role, name: 'staff_role', description: 'Role that handles tickets', required: true },
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'category',
          description: 'Open tickets as private channels in this category (default: private threads)',
          channel_types: [ChannelType.GuildCategory],
        },
        { type: ApplicationCommandOptionType.Channel, name: 'log_channel', description: 'Post ticket events here', channel_types: [ChannelType.GuildText] },
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'max_open_per_type',
          description: 'Open tickets a member may have per issue type (default 1)',
          min_value: 1,
          max_value: 10,
        },
      ],
    },
  ],
};
