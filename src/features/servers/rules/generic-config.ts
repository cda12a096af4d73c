import { err, ok, type Result } from '../../../lib/result.ts';
import { isValidPath } from './json-path.ts';
import type { ServerState } from './safety.ts';

/** One HTTP operation of a generic orchestrator: method and a path template (`{id}`, `{command}`) under the panel URL. */
export interface OpTemplate {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  /** A JSON body template; string values may hold placeholders. */
  body?: Record<string, string>;
}

/**
 * How to speak to an orchestrator Guildkeep has no adapter for (a custom one,
 * AMP, Crafty), typed by the admin as JSON when connecting. Fields are JSON
 * paths into each answer; `id` may be a template over a list item
 * (`{game_uid}.{servername}`).
 */
export interface GenericMapping {
  auth: { header: string; prefix?: string };
  list: { method?: OpTemplate['method']; path: string; items: string; id: string; name: string; state?: string };
  status?: {
    method?: OpTemplate['method'];
    path: string;
    state: string;
    cpuPct?: string;
    memoryBytes?: string;
    diskBytes?: string;
    uptimeMs?: string;
    players?: string;
  };
  power?: Partial<Record<'start' | 'stop' | 'restart' | 'kill', OpTemplate>>;
  command?: OpTemplate;
  backupsList?: { method?: OpTemplate['method']; path: string; items: string; id: string; name: string };
  backupCreate?: OpTemplate;
  /** The orchestrator's state words mapped to ours; unmapped words are read as the same word or `unknown`. */
  states?: Record<string, ServerState>;
}

export type MappingError =
  | { code: 'not-json' }
  | { code: 'missing'; field: string }
  | { code: 'bad-path'; field: string }
  | { code: 'bad-method'; field: string };

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
const STATE_WORDS = new Set<ServerState>(['running', 'starting', 'stopping', 'offline', 'installing', 'suspended', 'restoring', 'unknown']);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks an admin's mapping; every problem names the field, nothing is saved on error. */
export function parseMapping(text: string): Result<GenericMapping, MappingError> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return err({ code: 'not-json' });
  }
  if (!isObj(v)) return err({ code: 'not-json' });
  const need = (o: unknown, field: string, ...keys: string[]): MappingError | null => {
    if (!isObj(o)) return { code: 'missing', field };
    for (const k of keys) if (typeof o[k] !== 'string' || !o[k]) return { code: 'missing', field: `${field}.${k}` };
    return null;
  };
  const path = (o: Record<string, unknown>, field: string, ...keys: string[]): MappingError | null => {
    for (const k of keys) if (typeof o[k] === 'string' && !isValidPath(o[k] as string)) return { code: 'bad-path', field: `${field}.${k}` };
    return null;
  };
  const op = (o: unknown, field: string): MappingError | null => {
    const miss = need(o, field, 'method', 'path');
    if (miss) return miss;
    const m = o as Record<string, unknown>;
    if (!METHODS.has(String(m.method))) return { code: 'bad-method', field: `${field}.method` };
    if (!String(m.path).startsWith('/')) return { code: 'bad-path', field: `${field}.path` };
    return null;
  };
  const problem =
    need(v.auth, 'auth', 'header') ??
    need(v.list, 'list', 'path', 'items', 'name', 'id') ??
    path(v.list as Record<string, unknown>, 'list', 'items', 'name', 'state') ??
    (v.status !== undefined
      ? (need(v.status, 'status', 'path', 'state') ??
        path(v.status as Record<string, unknown>, 'status', 'state', 'cpuPct', 'memoryBytes', 'diskBytes', 'uptimeMs', 'players'))
      : null) ??
    (isObj(v.power)
      ? ((['start', 'stop', 'restart', 'kill'] as const)
          .map((s) => ((v.power as Record<string, unknown>)[s] !== undefined ? op((v.power as Record<string, unknown>)[s], `power.${s}`) : null))
          .find((x) => x) ?? null)
      : null) ??
    (v.command !== undefined ? op(v.command, 'command') : null) ??
    (v.backupCreate !== undefined ? op(v.backupCreate, 'backupCreate') : null);
  if (problem) return err(problem);
  if (isObj(v.states))
    for (const [k, s] of Object.entries(v.states)) if (!STATE_WORDS.has(s as ServerState)) return err({ code: 'bad-path', field: `states.${k}` });
  return ok(v as unknown as GenericMapping);
}

/** A raw state word to ours. */
export function mapState(raw: unknown, states: GenericMapping['states']): ServerState {
  const w = String(raw ?? '').toLowerCase();
  const mapped = states?.[w] ?? states?.[String(raw ?? '')];
  if (mapped) return mapped;
  if (STATE_WORDS.has(w as ServerState)) return w as ServerState;
  if (w === 'stopped' || w === 'exited' || w === 'dead') return 'offline';
  return 'unknown';
}
