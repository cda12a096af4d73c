import { type APIApplicationCommand, ApplicationCommandType, type RESTPutAPIApplicationCommandsJSONBody, Routes } from 'discord-api-types/v10';
import { err, ok, type Result } from '../lib/result.ts';
import type { DiscordRest, RestError } from './rest.ts';

export interface RegisterReport {
  scope: string;
  registered: number;
  /** Human-readable differences between what we sent and what Discord has; empty when in sync. */
  differences: string[];
}

/**
 * Bulk-overwrites the application's commands (globally or in one guild),
 * reads them back and compares field by field with the definitions.
 */
export async function registerCommands(
  rest: DiscordRest,
  applicationId: string,
  guildId: string | null,
  commands: RESTPutAPIApplicationCommandsJSONBody,
): Promise<Result<RegisterReport, RestError>> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const put = await rest.put<APIApplicationCommand[]>(route, { body: commands });
  if (!put.ok) return err(put.error);
  const back = await rest.get<APIApplicationCommand[]>(route);
  if (!back.ok) return err(back.error);
  return ok({ scope: guildId ? `guild ${guildId}` : 'global', registered: back.value.length, differences: diffCommands(commands, back.value) });
}

/**
 * Differences between definitions and what Discord returned. Only fields we
 * define are compared (Discord adds ids, versions and defaults); a field we
 * leave out must come back empty, false or absent.
 */
export function diffCommands(wanted: readonly object[], actual: readonly object[]): string[] {
  const out: string[] = [];
  const byKey = new Map(actual.map((c) => [keyOf(c), c]));
  for (const w of wanted) {
    const key = keyOf(w);
    const a = byKey.get(key);
    if (!a) {
      out.push(`${labelOf(w)}: missing on Discord`);
      continue;
    }
    byKey.delete(key);
    compare(w, a, labelOf(w), out);
  }
  for (const a of byKey.values()) out.push(`${labelOf(a)}: registered on Discord but not defined here`);
  return out;
}

// Discord keeps slash, user and message command names apart: a command is its type and name.
const typeOf = (c: object) => (c as { type?: number }).type ?? ApplicationCommandType.ChatInput;
const keyOf = (c: object) => `${typeOf(c)}:${(c as { name: string }).name}`;
/** `/ticket` for a slash command, `menu "Open ticket"` for a context-menu command. */
const labelOf = (c: object) => (typeOf(c) === ApplicationCommandType.ChatInput ? `/${(c as { name: string }).name}` : `menu "${(c as { name: string }).name}"`);

const isEmpty = (v: unknown) => v === undefined || v === null || v === false || (Array.isArray(v) && v.length === 0);

function compare(w: unknown, a: unknown, path: string, out: string[]): void {
  if (Array.isArray(w)) {
    const arr = Array.isArray(a) ? a : [];
    if (arr.length !== w.length) {
      out.push(`${path}: ${w.length} entries defined, ${arr.length} on Discord`);
      return;
    }
    w.forEach((x, i) => {
      compare(x, arr[i], `${path}[${i}]`, out);
    });
    return;
  }
  if (w && typeof w === 'object') {
    const ao = (a && typeof a === 'object' ? a : {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(w)) {
      if (isEmpty(v)) {
        if (!isEmpty(ao[k])) out.push(`${path}.${k}: not defined here, ${JSON.stringify(ao[k])} on Discord`);
        continue;
      }
      compare(v, ao[k], `${path}.${k}`, out);
    }
    return;
  }
  // Discord returns permission bitfields and some numbers as strings.
  if (String(w) !== String(a)) out.push(`${path}: ${JSON.stringify(w)} defined, ${JSON.stringify(a)} on Discord`);
}
