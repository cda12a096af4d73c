import type { APIApplicationCommandAutocompleteInteraction, APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { leafOptions } from './interaction.ts';

/** What the member is typing into, and the other options filled so far. */
export interface Focused {
  /** `automod remove`, `pardon` */
  path: string;
  name: string;
  /** What was typed so far (Discord sends it as a string, or as the number typed). */
  typed: string;
  options: Map<string, string | number | boolean>;
}

/** The focused option of an autocomplete interaction, with its subcommand path; null when none is focused. */
export function focusedOf(i: APIApplicationCommandAutocompleteInteraction): Focused | null {
  const { path, options } = leafOptions(i.data.name, i.data.options);
  const values = new Map<string, string | number | boolean>();
  let focused: { name: string; typed: string } | null = null;
  for (const o of options) {
    if (!('value' in o)) continue;
    if ('focused' in o && o.focused) focused = { name: o.name, typed: String(o.value ?? '') };
    else values.set(o.name, o.value);
  }
  return focused ? { path, ...focused, options: values } : null;
}

/**
 * Choices matching what was typed (case-insensitive, anywhere in the name or
 * the value), at most Discord's 25, names cut to its 100 characters.
 */
export function matching<T extends string | number>(typed: string, all: readonly { name: string; value: T }[]): APIApplicationCommandOptionChoice<T>[] {
  const q = typed.trim().toLowerCase();
  return all
    .filter((c) => !q || c.name.toLowerCase().includes(q) || String(c.value).toLowerCase().includes(q))
    .slice(0, 25)
    .map((c) => ({ name: c.name.length > 100 ? `${c.name.slice(0, 99)}…` : c.name || String(c.value), value: c.value }));
}
