import { type APIInteraction, ApplicationCommandType, InteractionType } from 'discord-api-types/v10';
import { err, ok, type Result } from '../lib/result.ts';

/**
 * Checks that a verified interaction body has the shape the handlers read
 * (ids, the invoker, the data of its type) before anything routes it. A
 * signed body can still be malformed (a bug on Discord's side, a replayed
 * fixture, a forged key in a test deployment); it gets a 400 with the field
 * at fault instead of a TypeError deep inside an actor. Pure.
 */
export function checkInteractionShape(body: unknown): Result<APIInteraction, string> {
  if (!isObj(body)) return err('the body is not a JSON object');
  const type = body.type;
  if (!isInt(type) || !KNOWN_TYPES.has(type)) return err(`unknown interaction type ${JSON.stringify(type)}`);
  // PING carries nothing the bot reads.
  if (type === InteractionType.Ping) return ok(body as unknown as APIInteraction);
  const problem = firstProblem([
    () => field(body, 'id', isSnowflake, 'a snowflake'),
    () => field(body, 'application_id', isSnowflake, 'a snowflake'),
    () => field(body, 'token', isNonEmptyString, 'a non-empty string'),
    () => optional(body, 'guild_id', isSnowflake, 'a snowflake'),
    () => optional(body, 'channel_id', isSnowflake, 'a snowflake'),
    () => (body.guild_id !== undefined ? checkMember(body.member) : checkUser(body.user, 'user')),
    () => optional(body, 'message', (m) => isObj(m) && isSnowflake(m.id), 'a message with an id'),
    () => (isObj(body.data) ? checkData(type, body.data) : `data must be an object for interaction type ${type}`),
  ]);
  return problem ? err(problem) : ok(body as unknown as APIInteraction);
}

const KNOWN_TYPES = new Set<number>([
  InteractionType.Ping,
  InteractionType.ApplicationCommand,
  InteractionType.MessageComponent,
  InteractionType.ApplicationCommandAutocomplete,
  InteractionType.ModalSubmit,
]);
/** Nesting of subcommand group → subcommand → option; anything deeper is not a Discord payload. */
const MAX_OPTION_DEPTH = 3;
const MAX_CUSTOM_ID = 100;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isSnowflake = (v: unknown): v is string => typeof v === 'string' && /^\d{1,20}$/.test(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isCustomId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_CUSTOM_ID;

function firstProblem(checks: (() => string | null)[]): string | null {
  for (const c of checks) {
    const p = c();
    if (p) return p;
  }
  return null;
}

function field(o: Obj, key: string, test: (v: unknown) => boolean, what: string, path = key): string | null {
  return test(o[key]) ? null : `${path} must be ${what}`;
}

function optional(o: Obj, key: string, test: (v: unknown) => boolean, what: string, path = key): string | null {
  return o[key] === undefined || test(o[key]) ? null : `${path} must be ${what}`;
}

function checkUser(u: unknown, path: string): string | null {
  if (!isObj(u)) return `${path} must be an object (an interaction outside a server names its user)`;
  return field(u, 'id', isSnowflake, 'a snowflake', `${path}.id`) ?? field(u, 'username', (v) => typeof v === 'string', 'a string', `${path}.username`);
}

function checkMember(m: unknown): string | null {
  if (!isObj(m)) return 'member must be an object in a server interaction';
  return (
    checkUser(m.user, 'member.user') ??
    field(m, 'permissions', (v) => typeof v === 'string' && /^\d+$/.test(v), 'a permission bit string', 'member.permissions') ??
    field(m, 'roles', (v) => Array.isArray(v) && v.every(isSnowflake), 'an array of role ids', 'member.roles') ??
    optional(m, 'nick', (v) => v === null || typeof v === 'string', 'a string or null', 'member.nick')
  );
}

function checkData(type: number, d: Obj): string | null {
  switch (type) {
    case InteractionType.ApplicationCommand:
    case InteractionType.ApplicationCommandAutocomplete:
      return (
        field(d, 'name', isNonEmptyString, 'a non-empty string', 'data.name') ??
        optional(d, 'type', isInt, 'an integer', 'data.type') ??
        // A user or message command (context menu) names what it was used on.
        (d.type === ApplicationCommandType.User || d.type === ApplicationCommandType.Message
          ? field(d, 'target_id', isSnowflake, 'a snowflake', 'data.target_id')
          : null) ??
        checkOptions(d.options, 'data.options', 1)
      );
    case InteractionType.MessageComponent:
      return (
        field(d, 'custom_id', isCustomId, `a string of 1–${MAX_CUSTOM_ID} characters`, 'data.custom_id') ??
        field(d, 'component_type', isInt, 'an integer', 'data.component_type') ??
        optional(d, 'values', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'), 'an array of strings', 'data.values')
      );
    case InteractionType.ModalSubmit:
      return field(d, 'custom_id', isCustomId, `a string of 1–${MAX_CUSTOM_ID} characters`, 'data.custom_id') ?? checkModalRows(d.components);
    default:
      return null;
  }
}

function checkOptions(options: unknown, path: string, depth: number): string | null {
  if (options === undefined) return null;
  if (!Array.isArray(options)) return `${path} must be an array`;
  if (depth > MAX_OPTION_DEPTH) return `${path} is nested too deeply`;
  for (const [i, o] of options.entries()) {
    const at = `${path}[${i}]`;
    if (!isObj(o)) return `${at} must be an object`;
    const p =
      field(o, 'name', isNonEmptyString, 'a non-empty string', `${at}.name`) ??
      field(o, 'type', isInt, 'an integer', `${at}.type`) ??
      optional(o, 'value', (v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean', 'a string, number or boolean', `${at}.value`) ??
      checkOptions(o.options, `${at}.options`, depth + 1);
    if (p) return p;
  }
  return null;
}

/** Modal rows: action rows of text inputs, or (newer modals) labels wrapping one component. */
function checkModalRows(rows: unknown): string | null {
  if (!Array.isArray(rows)) return 'data.components must be an array';
  for (const [i, row] of rows.entries()) {
    const at = `data.components[${i}]`;
    if (!isObj(row)) return `${at} must be an object`;
    const inner = Array.isArray(row.components) ? row.components : row.component !== undefined ? [row.component] : null;
    if (!inner) return `${at} must hold components`;
    for (const [j, c] of inner.entries()) {
      const cat = `${at}.components[${j}]`;
      if (!isObj(c)) return `${cat} must be an object`;
      const p =
        optional(c, 'custom_id', isCustomId, `a string of 1–${MAX_CUSTOM_ID} characters`, `${cat}.custom_id`) ??
        optional(c, 'value', (v) => typeof v === 'string', 'a string', `${cat}.value`);
      if (p) return p;
    }
  }
  return null;
}
