import {
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIInteractionResponse,
  type APIInteractionResponseCallbackData,
  type APIModalSubmitInteraction,
  type APIUser,
  ApplicationCommandOptionType,
  InteractionResponseType,
} from 'discord-api-types/v10';

/** Who pressed or typed: the facts every permission check needs, fresh from this interaction. */
export interface Invoker {
  userId: string;
  /** What Discord shows for them here: server nickname, else display name, else username. */
  name: string;
  permissions: string | undefined;
  roles: string[];
}

export function displayName(user: APIUser, nick?: string | null): string {
  return nick || user.global_name || user.username;
}

export function invokerOf(i: APIInteraction): Invoker {
  if (i.member) return { userId: i.member.user.id, name: displayName(i.member.user, i.member.nick), permissions: i.member.permissions, roles: i.member.roles };
  return { userId: i.user?.id ?? '0', name: i.user ? displayName(i.user) : 'unknown', permissions: undefined, roles: [] };
}

export interface SubcommandCall {
  /** `ticket open`, `setup tickets` */
  path: string;
  options: Map<string, APIApplicationCommandInteractionDataBasicOption['value']>;
}

/** Walks a command's options down through its subcommand group and subcommand: the path and the leaf options. */
export function leafOptions(
  name: string,
  top: readonly APIApplicationCommandInteractionDataOption[] | undefined,
): { path: string; options: readonly APIApplicationCommandInteractionDataOption[] } {
  const path = [name];
  let options = top ?? [];
  for (;;) {
    const first = options[0];
    if (first && (first.type === ApplicationCommandOptionType.Subcommand || first.type === ApplicationCommandOptionType.SubcommandGroup)) {
      path.push(first.name);
      options = first.options ?? [];
      continue;
    }
    return { path: path.join(' '), options };
  }
}

/** Flattens a chat-input command to its subcommand path and leaf option values. */
export function subcommandOf(i: APIChatInputApplicationCommandInteraction): SubcommandCall {
  const { path, options } = leafOptions(i.data.name, i.data.options);
  const values = new Map<string, APIApplicationCommandInteractionDataBasicOption['value']>();
  for (const o of options as APIApplicationCommandInteractionDataBasicOption[]) values.set(o.name, o.value);
  return { path, options: values };
}

export function stringOption(call: SubcommandCall, name: string): string | null {
  const v = call.options.get(name);
  return typeof v === 'string' ? v : null;
}

export function numberOption(call: SubcommandCall, name: string): number | null {
  const v = call.options.get(name);
  return typeof v === 'number' ? v : null;
}

/** Text-input values of a modal submission by custom_id. */
export function modalValues(i: APIModalSubmitInteraction): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of i.data.components) {
    if ('components' in row) for (const c of row.components) if ('value' in c && typeof c.value === 'string') out.set(c.custom_id, c.value);
    if ('component' in row && row.component && 'value' in row.component && typeof row.component.value === 'string')
      out.set(row.component.custom_id, row.component.value);
  }
  return out;
}

export const reply = (data: APIInteractionResponseCallbackData): APIInteractionResponse => ({ type: InteractionResponseType.ChannelMessageWithSource, data });
