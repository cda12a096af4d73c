import { runInDurableObject } from 'cloudflare:test';
import type { APIInteractionResponse } from 'discord-api-types/v10';
import { inject } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { type Delivered, deliver, env, type InteractionSpec, type TestGuild } from '../../helpers.ts';

/** The panel simulator (sim/panel): one process for the run, a world per test. */
export const panel = inject('panel');

export interface World {
  id: string;
  url: string;
  orchestratorUrl: string;
  keys: { admin: string; readOnly: string; orchestrator: string };
  servers: { identifier: string; name: string; state: string; status: string | null }[];
  orchestratorServers: { uid: string; state: string }[];
}

async function call<T>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> {
  const res = await fetch(panel.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`panel ${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** A fresh world on a manual clock; resources are not cached by the simulator unless a test asks, so state changes show at once. */
export const newWorld = (opts: { clock?: 'manual' | 'real'; latencyMs?: number; rateLimitPerMinute?: number; resourceCacheMs?: number } = {}) =>
  call<World>('/_panel/worlds', { clock: 'manual', resourceCacheMs: 0, ...opts });
export const worldControl = <T = unknown>(w: World, path: string, body?: unknown) => call<T>(`/_panel/worlds/${w.id}${path}`, body ?? {});
export const describeWorld = (w: World) => call<World>(`/_panel/worlds/${w.id}`);

export interface PanelCall {
  seq: number;
  api: string;
  method: string;
  path: string;
  status: number;
}
export const panelLog = async (w: World, since = 0) => (await call<{ entries: PanelCall[] }>(`/_panel/worlds/${w.id}/log?since=${since}`)).entries;

/** Options of a /server call, nested through its subcommand group when the path has three words. */
export function server(g: TestGuild, userId: string, path: string, options: Record<string, string | number | boolean> = {}): InteractionSpec {
  const words = path.split(' ');
  const leaf = Object.entries(options).map(([name, value]) => ({
    name,
    value,
    type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? 4 : ['channel', 'announce'].includes(name) ? 7 : name === 'role' ? 8 : 3,
  }));
  const sub =
    words.length === 3 ? [{ name: words[1], type: 2, options: [{ name: words[2], type: 1, options: leaf }] }] : [{ name: words[1], type: 1, options: leaf }];
  return { type: 2, guild_id: g.guildId, channel_id: g.generalChannelId, user_id: userId, data: { name: 'server', type: 1, options: sub } };
}

/** An autocomplete interaction for the `server` option of a /server subcommand. */
export function autocomplete(g: TestGuild, userId: string, sub: string, typed: string, option = 'server'): InteractionSpec {
  return {
    type: 4,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: userId,
    data: { name: 'server', type: 1, options: [{ name: sub, type: 1, options: [{ name: option, type: 3, value: typed, focused: true }] }] },
  };
}

export const choices = (d: Delivered) =>
  ((d.response as { data?: { choices?: { name: string; value: string }[] } }).data?.choices ?? []) as { name: string; value: string }[];
export const content = (d: Delivered) => (d.response as { data?: { content?: string } } | null)?.data?.content ?? '';
export const embed = (d: Delivered) =>
  (d.response as { data?: { embeds?: { title?: string; fields?: { name: string; value: string }[] }[] } } | null)?.data?.embeds?.[0];
export const components = (d: Delivered) =>
  ((d.response as APIInteractionResponse & { data?: { components?: { components: { custom_id: string; label: string }[] }[] } }).data?.components?.[0]
    ?.components ?? []) as {
    custom_id: string;
    label: string;
  }[];

/** Connects a panel through the real form: the slash command opens the modal, the modal submission connects. */
export async function connect(
  g: TestGuild,
  fields: { name: string; url: string; key: string; mapping?: string },
  kind: 'pterodactyl' | 'http' = 'pterodactyl',
  userId = g.adminId,
): Promise<Delivered> {
  const opened = await deliver(server(g, userId, 'server connect', { kind }));
  const customId = (opened.response as { data?: { custom_id?: string } }).data?.custom_id;
  if (!customId) return opened;
  const row = (custom_id: string, value: string) => ({ type: 1, components: [{ type: 4, custom_id, value }] });
  return deliver({
    type: 5,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: userId,
    data: {
      custom_id: customId,
      components: [row('name', fields.name), row('url', fields.url), row('key', fields.key), ...(fields.mapping ? [row('mapping', fields.mapping)] : [])],
    },
  });
}

/** Every text value in the guild actor's database (to prove a secret is nowhere in it). */
export async function storedText(guildId: string): Promise<string> {
  return runInDurableObject(guildActor(env, guildId) as never, async (_o: unknown, state: DurableObjectState) => {
    const tables = state.storage.sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf%'`).toArray();
    let all = '';
    for (const { name } of tables) for (const row of state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()) all += `${JSON.stringify(row)}\n`;
    return all;
  });
}

/** The Pterodactyl world's server by its seeded state. */
export const serverIn = (w: World, state: string, status: string | null = null) => w.servers.find((s) => s.state === state && s.status === status)!;
