import type { RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { MODERATION_COMMANDS } from './features/moderation/commands.ts';
import { PROTECTION_COMMANDS } from './features/protection/commands.ts';
import { setupCommand, ticketCommand } from './features/tickets/commands.ts';
import { localizeCommand } from './i18n/commands.ts';

/** Every slash command the bot registers, defined once; names, descriptions and choices localized from the catalog. */
export const COMMANDS: RESTPutAPIApplicationCommandsJSONBody = [ticketCommand, setupCommand, ...MODERATION_COMMANDS, ...PROTECTION_COMMANDS].map(localizeCommand);
