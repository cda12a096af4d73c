import type { RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { FEATURES } from './features/index.ts';

/** Every slash command the bot registers: the features' definitions, in feature order. */
export const COMMANDS: RESTPutAPIApplicationCommandsJSONBody = FEATURES.flatMap((f) => f.commands);
