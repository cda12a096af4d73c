import { runDurableObjectAlarm } from 'cloudflare:test';
import type { APIMessage } from 'discord-api-types/v10';
import type { ProtectionStatus } from '../../../src/features/protection/feature.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { clock } from '../../../src/runtime/clock.ts';
import { deliver, env, eventually, type InteractionSpec, sim, simApi, type TestGuild } from '../../helpers.ts';
import { advanceClock } from '../../support/clock.ts';

/** Shared by the protection tests: the gateway, typed command options, the guild's protection state, time moved forward. */

import { startGateway as start } from '../../support/gateway.ts';

export { stopGateway } from '../../support/gateway.ts';

/** The gateway for the protection files, on an emptied simulator (they make their guilds after it is up). */
export const startGateway = (): Promise<void> => start({ reseed: true });

type Opt = string | number | { type: number; value: string | number | boolean };
export const channel = (id: string) => ({ type: 7, value: id });
export const role = (id: string) => ({ type: 8, value: id });
export const user = (id: string) => ({ type: 6, value: id });

/** A slash command with explicitly typed options (strings are type 3, numbers 4). */
export function command(g: TestGuild, userId: string, path: string, options: Record<string, Opt> = {}, channelId = g.generalChannelId): InteractionSpec {
  const [name, sub] = path.split(' ');
  const leaf = Object.entries(options).map(([k, v]) =>
    typeof v === 'object' ? { name: k, ...v } : { name: k, value: v, type: typeof v === 'number' ? 4 : 3 },
  );
  return {
    type: 2,
    guild_id: g.guildId,
    channel_id: channelId,
    user_id: userId,
    data: { name, type: 1, options: sub ? [{ name: sub, type: 1, options: leaf }] : leaf },
  };
}

export const run = (spec: InteractionSpec) => deliver(spec);

/** A button's custom_id by its label, in any row of the message. */
export function buttonIn(m: APIMessage, label: string): string {
  for (const r of m.components ?? []) {
    for (const c of (r as { components?: { label?: string; custom_id?: string }[] }).components ?? []) if (c.label === label && c.custom_id) return c.custom_id;
  }
  throw new Error(`no button "${label}" on message ${m.id}`);
}

export const protection = async (guildId: string): Promise<ProtectionStatus> => (await guildActor(env, guildId).protectionStatus())!;

/** Waits until the guild actor has taken its invite snapshot (it has seen GUILD_CREATE). */
export const tracked = (guildId: string) => eventually(async () => (await protection(guildId)).invites.snapshotAt !== null, 15_000, 'invite snapshot');

/** The bot's moderation state in the simulator. */
export interface Moderation {
  verification_level: number;
  incidents_data: { invites_disabled_until: string | null; dms_disabled_until: string | null } | null;
  slowmode: Record<string, number>;
  members: { user_id: string; username: string; roles: string[] }[];
  bans: { user_id: string; reason: string | null }[];
}
export const moderation = (guildId: string) => simApi<Moderation>(`/_sim/guilds/${guildId}/moderation`);

export interface ModCall {
  seq: number;
  time: number;
  method: string;
  path: string;
  route: string;
  status: number;
  auditLogReason?: string;
}
export const modlog = async (guildId: string, all = false) =>
  (await simApi<{ calls: ModCall[] }>(`/_sim/guilds/${guildId}/modlog${all ? '?all=1' : ''}`)).calls;

export interface Joined {
  member_ids: string[];
  joins: { user_id: string; username: string; at: number }[];
  refused: { reason: string }[];
  invite: { uses: number; deleted: boolean } | null;
}
export const joins = (guildId: string, body: Record<string, unknown>) => simApi<Joined>(`/_sim/guilds/${guildId}/joins`, { body });

/** A request straight to the simulated Discord as the bot, left out of the suite's OpenAPI audit of the bot's own traffic. */
export async function discord<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(sim.apiBase + path, {
    method,
    headers: { Authorization: `Bot ${sim.botToken}`, 'X-Sim-Deliberately-Invalid': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/**
 * Lets time pass until the guild's timers of these kinds are due (the clock
 * moves; nothing is edited), and the actor's alarm runs them. Returns how
 * many timers of those kinds there were.
 */
export async function runDueNow(guildId: string, kinds: readonly string[]): Promise<number> {
  const stub = guildActor(env, guildId);
  const due = (await stub.timers()).filter((t) => kinds.includes(t.kind));
  if (due.length > 0) advanceClock(Math.max(0, Math.max(...due.map((t) => t.at)) - clock.now() + 1));
  await runDurableObjectAlarm(stub);
  return due.length;
}
