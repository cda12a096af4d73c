import type { RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { setupCommand, ticketCommand } from './features/tickets/commands.ts';

/** Every slash command the bot registers, defined once. */
export const COMMANDS: RESTPutAPIApplicationCommandsJSONBody = [ticketCommand, setupCommand];
