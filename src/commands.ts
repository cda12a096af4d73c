import type { RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { MODERATION_COMMANDS } from './features/moderation/commands.ts';
import { PROTECTION_COMMANDS } from './features/protection/commands.ts';
import { setupCommand, ticketCommand } from './features/tickets/commands.ts';

/** Every slash command the bot registers, defined once. */
export const COMMANDS: RESTPutAPIApplicationCommandsJSONBody = [ticketCommand, setupCommand, ...MODERATION_COMMANDS, ...PROTECTION_COMMANDS];
