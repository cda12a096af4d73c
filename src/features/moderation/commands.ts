import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits as P,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import { TEXT_CHANNELS } from '../../discord/command-options.ts';
import { permissionBits } from '../../discord/permissions.ts';
import { EFFECT_KINDS, RULE_KINDS } from './rules/automod-config.ts';
import { PURGE_MAX } from './rules/purge.ts';

/** Slash commands of the moderation desk; each is checked again at run time (Discord's default permissions can be changed by admins). */

const choices = (values: readonly string[]) => values.map((v) => ({ name: v, value: v }));

function command(
  name: string,
  description: string,
  perm: bigint | null,
  options: APIApplicationCommandBasicOption[] = [],
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name,
    description,
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild],
    ...(perm !== null ? { default_member_permissions: permissionBits(perm) } : {}),
    options,
  };
}

const member = (description = 'The member'): APIApplicationCommandBasicOption => ({ type: T.User, name: 'member', description, required: true });
const reason = (required = false): APIApplicationCommandBasicOption => ({
  type: T.String,
  name: 'reason',
  description: 'Why (shown to the member and in the mod log)',
  required,
  max_length: 400,
});

export const modconfigCommand = command('modconfig', 'Moderation settings (administrators); no options shows them', P.Administrator, [
  { type: T.Channel, name: 'mod_log', description: 'Post every moderation action here', channel_types: TEXT_CHANNELS },
  { type: T.Channel, name: 'mod_queue', description: 'Kicks, bans and AI reviews wait here for approval', channel_types: TEXT_CHANNELS },
  { type: T.Channel, name: 'appeals', description: 'Members’ appeals go to this staff channel', channel_types: TEXT_CHANNELS },
  { type: T.String, name: 'approval_expiry', description: 'Pending approvals expire after (5m to 7d, e.g. 24h)', max_length: 20 },
  { type: T.String, name: 'ladder', description: 'Escalation: default, off, or steps like 3/24h:timeout 10m, 7/24h:kick', max_length: 400 },
  { type: T.Boolean, name: 'ai', description: 'Also send messages to the AI classifier (reviews go to the mod queue)' },
]);

export const automodCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'automod',
  description: 'Automatic moderation rules (administrators)',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(P.Administrator),
  options: [
    {
      type: T.Subcommand,
      name: 'add',
      description: 'Add a rule, or replace the rule with the same id',
      options: [
        { type: T.String, name: 'id', description: 'Short name: a-z, 0-9 and -', required: true, max_length: 32 },
        { type: T.String, name: 'kind', description: 'What the rule looks for', required: true, choices: choices(RULE_KINDS) },
        { type: T.String, name: 'effect', description: 'What happens (default: delete the message)', choices: choices(EFFECT_KINDS) },
        {
          type: T.Integer,
          name: 'limit',
          description: 'rate: messages; duplicate: copies; mentions: max; caps: max %; new-account: days',
          min_value: 1,
          max_value: 365,
        },
        { type: T.Integer, name: 'seconds', description: 'rate and duplicate: the window in seconds', min_value: 1, max_value: 3600 },
        { type: T.String, name: 'list', description: 'words: blocked words; links: domains; invites: allowed codes (comma-separated)', max_length: 2000 },
        { type: T.String, name: 'pattern', description: 'words: a regular expression (case-insensitive)', max_length: 300 },
        { type: T.String, name: 'mode', description: 'links: deny the listed domains, or allow only them', choices: choices(['deny', 'allow']) },
        { type: T.Integer, name: 'min_letters', description: 'caps: only messages with at least this many letters', min_value: 1, max_value: 2000 },
        { type: T.String, name: 'duration', description: 'timeout effect: how long (e.g. 10m, 1h, 2d; at most 28d)', max_length: 20 },
        { type: T.Role, name: 'quarantine_role', description: 'quarantine effect: the role to add' },
        { type: T.Boolean, name: 'delete_message', description: 'Also delete the message (default: yes)' },
        { type: T.String, name: 'exempt_roles', description: 'Roles the rule ignores (mentions or ids)', max_length: 1000 },
        { type: T.String, name: 'exempt_channels', description: 'Channels or categories the rule ignores (mentions or ids)', max_length: 1000 },
        { type: T.String, name: 'settings', description: 'Advanced: the rule as JSON (merged over the options above)', max_length: 4000 },
      ],
    },
    {
      type: T.Subcommand,
      name: 'remove',
      description: 'Remove a rule',
      options: [{ type: T.String, name: 'id', description: 'The rule id', required: true, max_length: 32, autocomplete: true }],
    },
    { type: T.Subcommand, name: 'list', description: 'Show the rules' },
  ],
};

export const warnCommand = command('warn', 'Warn a member (adds an infraction)', P.ModerateMembers, [member(), reason(true)]);
export const timeoutCommand = command('timeout', 'Time a member out, or lift a timeout', P.ModerateMembers, [
  member(),
  { type: T.String, name: 'duration', description: 'e.g. 10m, 1h, 2d (at most 28d), or off', required: true, max_length: 20 },
  reason(),
]);
export const kickCommand = command('kick', 'Kick a member', P.KickMembers, [member(), reason()]);
export const banCommand = command('ban', 'Ban a user', P.BanMembers, [
  { type: T.User, name: 'member', description: 'Who to ban (also someone who already left)', required: true },
  reason(),
  { type: T.String, name: 'delete_messages', description: 'Delete their recent messages', choices: choices(['none', '1h', '1d', '7d']) },
]);
export const unbanCommand = command('unban', 'Lift a ban', P.BanMembers, [
  { type: T.User, name: 'member', description: 'Who to unban (their id works)', required: true },
  reason(),
]);
export const purgeCommand = command('purge', 'Delete the newest messages in this channel', P.ManageMessages, [
  { type: T.Integer, name: 'count', description: `How many (1–${PURGE_MAX}; above 20 asks to confirm)`, required: true, min_value: 1, max_value: PURGE_MAX },
]);
export const infractionsCommand = command('infractions', "Show a member's infractions", P.ModerateMembers, [member()]);
export const pardonCommand = command('pardon', 'Forgive one infraction (it stays listed but no longer counts)', P.ModerateMembers, [
  member(),
  { type: T.Integer, name: 'infraction', description: 'The infraction number (see /infractions)', required: true, min_value: 1, autocomplete: true },
  reason(),
]);

/** Usable in a DM with the bot: the case id in the member's notice names the server. */
export const appealCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'appeal',
  description: 'Appeal a moderation action taken against you',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.BotDM, InteractionContextType.Guild],
  options: [
    { type: T.String, name: 'case', description: 'The case from the message you received, e.g. 123456789012345678-4', required: true, max_length: 45 },
    { type: T.String, name: 'reason', description: 'Why it should be undone (a form asks if you leave it out)', max_length: 1500 },
  ],
};

export const MODERATION_COMMANDS = [
  modconfigCommand,
  automodCommand,
  warnCommand,
  timeoutCommand,
  kickCommand,
  banCommand,
  unbanCommand,
  purgeCommand,
  infractionsCommand,
  pardonCommand,
  appealCommand,
];
