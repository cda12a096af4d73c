import type { RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { FEATURES } from './features/index.ts';
import { localizeCommand } from './i18n/commands.ts';

/** Every slash command the bot registers: the features' definitions, in feature order; names, descriptions and choices localized from the catalog. */
export const COMMANDS: RESTPutAPIApplicationCommandsJSONBody = FEATURES.flatMap((f) => f.commands).map(localizeCommand);
