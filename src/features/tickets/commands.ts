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
import { intakeGroup } from './intake/commands.ts';
import { ISSUE_TYPES, SEVERITIES, STATUSES } from './model.ts';
import { snippetGroup, ticketOrganizeOptions } from './organize/commands.ts';
import { MAX_OPEN_PER_TYPE } from './rules.ts';

const choices = (values: readonly string[]) => values.map((v) => ({ name: v, value: v }));

export const TICKET_COMMAND = 'ticket';
export const SETUP_COMMAND = 'setup';
export const TICKETS_COMMAND = 'tickets';

/** /tickets hours …: a subcommand group beside /ticket's subcommands (Discord allows mixing them). */
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
        { type: ApplicationCommandOptionType.String, name: 'tag', description: 'Only tickets with this tag', max_length: 24, autocomplete: true },
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
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'closerequest',
      description: 'Ask the member to close this ticket; no answer closes it (staff)',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'reason', description: 'Why it can be closed', max_length: 500 },
        {
          type: ApplicationCommandOptionType.String,
          name: 'delay',
          description: 'Closes after this without an answer, e.g. 24h (default 24h)',
          max_length: 20,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'autoclose',
      description: 'Keep this ticket out of auto-close, or put it back (staff)',
      options: [{ type: ApplicationCommandOptionType.Boolean, name: 'enabled', description: 'Auto-close for this ticket', required: true }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'transcript',
      description: 'Get this ticket’s transcript as an HTML file (staff)',
      options: [
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'number',
          description: 'The ticket’s number (default: the ticket of this thread or channel)',
          min_value: 1,
        },
      ],
    },
    ...ticketOrganizeOptions,
  ],
};

/** /tickets: the guild's ticket settings beside /setup tickets (targets, hours, reminders, auto-close, survey), ratings, workload and export — split from /ticket, as Discord caps a command at 4,000 characters in its longest locale. */
export const ticketsCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: TICKETS_COMMAND,
  type: ApplicationCommandType.ChatInput,
  description: 'Ticket settings, ratings, staff workload and export',
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: 'sla',
      description: 'Response and resolution targets (administrators)',
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'set',
          description: 'Targets for one severity',
          options: [
            { type: ApplicationCommandOptionType.String, name: 'severity', description: 'Which severity', required: true, choices: choices(SEVERITIES) },
            { type: ApplicationCommandOptionType.String, name: 'first_response', description: 'Time to the first answer, e.g. 15m, 4h', max_length: 20 },
            { type: ApplicationCommandOptionType.String, name: 'resolution', description: 'Time to resolution, e.g. 2d', max_length: 20 },
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'options',
          description: 'On or off, pausing, who is called on a miss',
          options: [
            { type: ApplicationCommandOptionType.Boolean, name: 'enabled', description: 'Targets on or off' },
            { type: ApplicationCommandOptionType.Boolean, name: 'pause_while_waiting', description: 'Stop the clock while waiting for the member' },
            { type: ApplicationCommandOptionType.Boolean, name: 'pause_outside_hours', description: 'Count only support hours (/tickets hours)' },
            { type: ApplicationCommandOptionType.Role, name: 'escalation_role', description: 'Mentioned when a target is missed (default: staff role)' },
          ],
        },
        { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show the targets and reminders' },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'stats',
          description: 'Targets met, per severity and per week',
          options: [{ type: ApplicationCommandOptionType.Integer, name: 'weeks', description: 'How many weeks back (default 8)', min_value: 1, max_value: 52 }],
        },
      ],
    },
    hoursGroup,
    snippetGroup,
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: 'autoclose',
      description: 'Close quiet tickets, warning first',
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'set',
          description: 'Warn and close after this long without activity (administrators)',
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'warn_after',
              description: 'Quiet time before the warning, e.g. 24h',
              required: true,
              max_length: 20,
            },
            {
              type: ApplicationCommandOptionType.String,
              name: 'close_after',
              description: 'Quiet time before closing, e.g. 48h',
              required: true,
              max_length: 20,
            },
          ],
        },
        { type: ApplicationCommandOptionType.Subcommand, name: 'off', description: 'Never close quiet tickets (administrators)' },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'leaving',
          description: 'Close a ticket when its opener leaves the server (administrators)',
          options: [{ type: ApplicationCommandOptionType.Boolean, name: 'enabled', description: 'Close on leaving', required: true }],
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'reminders',
      description: 'Remind staff and members who keep the other waiting (administrators)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'staff_after',
          description: 'Ping staff after the member waited this long, e.g. 4h, or off',
          max_length: 20,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'member_after',
          description: 'Ping the member after staff waited this long, e.g. 24h, or off',
          max_length: 20,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'survey',
      description: 'Rating and exit survey after a close (administrators)',
      options: [
        { type: ApplicationCommandOptionType.Boolean, name: 'enabled', description: 'Ask the member for a 1-5 rating after a close (default on)' },
        {
          type: ApplicationCommandOptionType.String,
          name: 'questions',
          description: 'Up to 5 survey questions separated by |, or off for no form',
          max_length: 250,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'ratings',
      description: 'Ratings per staff member and per issue type (staff)',
      options: [{ type: ApplicationCommandOptionType.Integer, name: 'days', description: 'How many days back (default 30)', min_value: 1, max_value: 365 }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'workload',
      description: 'Tickets per staff member, response times and the backlog (staff)',
      options: [{ type: ApplicationCommandOptionType.Integer, name: 'days', description: 'How many days back (default 7)', min_value: 1, max_value: 90 }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'export',
      description: 'Export tickets as a CSV or JSON file (staff)',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'format', description: 'File format', required: true, choices: choices(['csv', 'json']) },
        { type: ApplicationCommandOptionType.String, name: 'status', description: 'Only tickets in this status', choices: choices(['active', ...STATUSES]) },
        { type: ApplicationCommandOptionType.String, name: 'since', description: 'Opened on or after this day, YYYY-MM-DD (UTC)', max_length: 10 },
        { type: ApplicationCommandOptionType.String, name: 'until', description: 'Opened on or before this day, YYYY-MM-DD (UTC)', max_length: 10 },
        { type: ApplicationCommandOptionType.String, name: 'severity', description: 'Only tickets of this severity', choices: choices(SEVERITIES) },
        { type: ApplicationCommandOptionType.User, name: 'assignee', description: 'Only tickets assigned to this staff member' },
      ],
    },
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
          min_value: MAX_OPEN_PER_TYPE.min,
          max_value: MAX_OPEN_PER_TYPE.max,
        },
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'transcript_channel',
          description: 'Post the transcript of every closed ticket here',
          channel_types: [ChannelType.GuildText],
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'transcript_dm',
          description: 'Send the member a copy of the transcript by DM on close (default off)',
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'anonymous_staff',
          description: 'Post staff replies from the inbox as “Support team” (default off)',
        },
      ],
    },
    // /ticket is near Discord's 4000-character size limit for one command: further configuration groups go here.
    intakeGroup,
  ],
};
