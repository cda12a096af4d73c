import { Locale, type LocalizationMap, type RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { en, type MessageKey } from './en.ts';
import { type AppLocale, t } from './index.ts';

/** Discord locales that get command localizations, and the catalog each reads. */
export const COMMAND_LOCALES: ReadonlyArray<readonly [Locale, AppLocale]> = [
  [Locale.German, 'de'],
  [Locale.SpanishES, 'es-ES'],
  [Locale.SpanishLATAM, 'es-ES'],
  [Locale.PortugueseBR, 'pt-BR'],
  [Locale.French, 'fr'],
];

const isKey = (k: string): k is MessageKey => Object.hasOwn(en, k);

function localizations(key: string): LocalizationMap | undefined {
  if (!isKey(key)) return undefined;
  return Object.fromEntries(COMMAND_LOCALES.map(([discord, app]) => [discord, t(app, key)]));
}

interface Localizable {
  name: string;
  description?: string;
  options?: readonly Localizable[];
  choices?: readonly { name: string; value: string | number }[];
}

/**
 * The catalog key of a command part: `cmd.<command>[.<subcommand>][.<option>]`
 * then `.name`, `.description` or `.choice.<value>`.
 */
export const commandKey = (path: readonly string[], leaf: string): string => ['cmd', ...path, leaf].join('.');

function localizeNode<T extends Localizable>(node: T, path: readonly string[]): T {
  const here = [...path, node.name];
  const name = localizations(commandKey(here, 'name'));
  const description = node.description !== undefined ? localizations(commandKey(here, 'description')) : undefined;
  return {
    ...node,
    ...(name ? { name_localizations: name } : {}),
    ...(description ? { description_localizations: description } : {}),
    ...(node.options ? { options: node.options.map((o) => localizeNode(o, here)) } : {}),
    ...(node.choices
      ? {
          choices: node.choices.map((c) => {
            const l = localizations(commandKey(here, `choice.${c.value}`));
            return l ? { ...c, name_localizations: l } : c;
          }),
        }
      : {}),
  };
}

/**
 * A command definition with `name_localizations`, `description_localizations`
 * and choice `name_localizations` filled from the catalog, so definitions keep
 * their English text and translators work in one place.
 */
export function localizeCommand<T extends RESTPostAPIApplicationCommandsJSONBody>(command: T): T {
  return localizeNode(command as unknown as Localizable, []) as unknown as T;
}
