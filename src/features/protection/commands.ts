import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { sub, TEXT_CHANNELS } from '../../discord/command-options.ts';
import { permissionBits } from '../../discord/permissions.ts';
import { GATE_CHALLENGES } from './rules/config.ts';
import { MAX_SLOWMODE_SECONDS } from './rules/lockdown.ts';

const S = ApplicationCommandOptionType;

/** /antiraid: the join-spike detector and what a lockdown does (Administrator). */
export const antiraidCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'antiraid',
  type: ApplicationCommandType.ChatInput,
  description: 'Anti-raid: join-spike detection and lockdown (administrators)',
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(PermissionFlagsBits.Administrator),
  options: [
    sub('on', 'Start a lockdown on its own when joins spike'),
    sub('off', 'Never start a lockdown on its own'),
    sub('status', 'Show the anti-raid settings and any lockdown in progress'),
    sub('config', 'Change the threshold and what a lockdown does', [
      { type: S.Integer, name: 'threshold', description: 'Joins within the window that make a raid (default 10)', min_value: 2, max_value: 1000 },
      { type: S.Integer, name: 'window_seconds', description: 'The window, in seconds (default 10)', min_value: 1, max_value: 3600 },
      { type: S.String, name: 'slowmode_channels', description: 'Channels to slow down in a lockdown (mention them; "none" clears)', max_length: 300 },
      { type: S.Integer, name: 'slowmode_seconds', description: 'Slowmode in those channels (default 30)', min_value: 0, max_value: MAX_SLOWMODE_SECONDS },
      {
        type: S.Integer,
        name: 'lockdown_minutes',
        description: 'Shortest lockdown; it also lasts until the raid is quiet (default 15)',
        min_value: 1,
        max_value: 1440,
      },
      { type: S.Channel, name: 'alert_channel', description: 'Where moderators are alerted', channel_types: TEXT_CHANNELS },
      { type: S.Role, name: 'quarantine_role', description: 'Role given to raiders (default: one is created)' },
    ]),
  ],
};

/** /lockdown: moderators start or end a lockdown by hand (Manage Server). */
export const lockdownCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'lockdown',
  type: ApplicationCommandType.ChatInput,
  description: 'Lock the server down during a raid, or end the lockdown',
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(PermissionFlagsBits.ManageGuild),
  options: [
    sub('start', 'Lock down now', [{ type: S.String, name: 'reason', description: 'Why (shown to moderators and in the audit log)', max_length: 200 }]),
    sub('end', 'End the lockdown and restore the settings it changed'),
    sub('status', 'Show the lockdown in progress'),
  ],
};

/** /invites: who brought whom, and named campaign invites. */
export const invitesCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'invites',
  type: ApplicationCommandType.ChatInput,
  description: 'Invite tracking',
  contexts: [InteractionContextType.Guild],
  options: [
    sub('member', 'How many members someone invited, and how they joined', [{ type: S.User, name: 'member', description: 'Whom (default: you)' }]),
    sub('leaderboard', 'Top inviters: total, regular, left and fake'),
    sub('name', 'Name a campaign invite (Manage Server)', [
      { type: S.String, name: 'code', description: 'The invite code', required: true, min_length: 2, max_length: 32 },
      { type: S.String, name: 'name', description: 'The campaign', required: true, min_length: 1, max_length: 50 },
    ]),
    sub('campaigns', 'Joins per named campaign invite'),
  ],
};

/** /verification: the gate new members pass before they get in (Administrator). */
export const verificationCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'verification',
  type: ApplicationCommandType.ChatInput,
  description: 'Verification gate for new members (administrators)',
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(PermissionFlagsBits.Administrator),
  options: [
    sub('on', 'Gate new members'),
    sub('off', 'Stop gating new members'),
    sub('status', 'Show the settings and counts'),
    sub('config', 'Change the gate', [
      { type: S.Role, name: 'unverified_role', description: 'The only role new members get until they verify' },
      { type: S.Channel, name: 'verify_channel', description: 'Where the Verify button is posted', channel_types: TEXT_CHANNELS },
      { type: S.Role, name: 'verified_role', description: 'Given when they pass (optional)' },
      {
        type: S.String,
        name: 'challenge',
        description: 'What they answer',
        choices: GATE_CHALLENGES.map((c) => ({ name: c === 'text' ? 'text code (copy-paste resistant)' : 'question', value: c })),
      },
      { type: S.Integer, name: 'timeout_minutes', description: 'Time to answer a challenge (default 5)', min_value: 1, max_value: 60 },
      {
        type: S.Integer,
        name: 'kick_after_minutes',
        description: 'Remove members who never verify after this long (0: never)',
        min_value: 0,
        max_value: 43_200,
      },
    ]),
  ],
};

export const PROTECTION_COMMANDS = [antiraidCommand, lockdownCommand, invitesCommand, verificationCommand];
