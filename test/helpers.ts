import { SELF, env as testEnv } from 'cloudflare:test';
import type {
  APIActionRowComponent,
  APIAttachment,
  APIButtonComponentWithCustomId,
  APIInteraction,
  APIInteractionResponse,
  APIMessage,
} from 'discord-api-types/v10';
import { inject } from 'vitest';
import type { Env } from '../src/env.ts';
import { ticketActor } from '../src/runtime/actors.ts';

/** The Worker's bindings as the tests see them. */
export const env = testEnv as unknown as Env;

/** Test-side helpers: the simulator's control API and delivering signed interactions to the Worker. */
export const sim = inject('sim');

export async function simApi<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(sim.url + path, {
    method: init?.method ?? (init?.body === undefined ? 'GET' : 'POST'),
    headers: init?.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`simulator ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export interface TestGuild {
  guildId: string;
  ownerId: string;
  adminId: string;
  staffId: string;
  memberIds: string[];
  botUserId: string;
  supportChannelId: string;
  generalChannelId: string;
  ticketsCategoryId: string;
  staffRoleId: string;
  adminRoleId: string;
}

export const newGuild = (members = 5, staff = 2) => simApi<TestGuild>('/_sim/guilds', { body: { members, staff } });

export interface InteractionSpec {
  type: 1 | 2 | 3 | 4 | 5;
  guild_id?: string;
  channel_id?: string;
  user_id?: string;
  data?: unknown;
  message_id?: string;
  timestamp?: number;
  id?: string;
  token?: string;
  /** The member's client language (default en-US) and the guild's locale (default its preferred_locale). */
  locale?: string;
  guild_locale?: string;
}

export interface Delivered {
  interaction: APIInteraction;
  status: number;
  response: APIInteractionResponse | null;
  text: string;
  /** Whether Discord (the simulator) accepted the bot's answer as the initial response. */
  accepted: boolean;
}

/** Builds and signs an interaction in the simulator, posts it to the Worker, and reports the answer back. */
export async function deliver(spec: InteractionSpec): Promise<Delivered> {
  const signed = await simApi<{ interaction: APIInteraction; body: string; headers: Record<string, string> }>('/_sim/interactions', { body: spec });
  return deliverSigned(signed);
}

export async function deliverSigned(signed: { interaction: APIInteraction; body: string; headers: Record<string, string> }): Promise<Delivered> {
  const res = await SELF.fetch('http://guildkeep.test/interactions', { method: 'POST', headers: signed.headers, body: signed.body });
  const text = await res.text();
  let response: APIInteractionResponse | null = null;
  let accepted = false;
  if (res.status === 200) {
    response = JSON.parse(text) as APIInteractionResponse;
    const r = await fetch(`${sim.url}/_sim/interactions/${signed.interaction.id}/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    accepted = r.ok;
    await r.body?.cancel();
  }
  return { interaction: signed.interaction, status: res.status, response, text, accepted };
}

/** A command option holding a file the member uploaded (type 11 ATTACHMENT); pass it in `slash(...)` options. */
export interface AttachmentOption {
  attachment: APIAttachment;
}

/**
 * A member uploads a file as Discord's client would before sending it: the simulator hosts the bytes
 * and answers the attachment (url on its own origin). Pass `{ attachment }` as a `slash(...)` option,
 * or its id in `attachments` of POST /_sim/channels/{id}/messages.
 */
export function uploadAttachment(filename: string, contentType: string, content: string | Uint8Array): Promise<APIAttachment> {
  const body =
    typeof content === 'string'
      ? { filename, content_type: contentType, content_text: content }
      : { filename, content_type: contentType, content_base64: btoa(Array.from(content, (b) => String.fromCharCode(b)).join('')) };
  return simApi<APIAttachment>('/_sim/attachments', { body });
}

export function slash(
  g: TestGuild,
  userId: string,
  path: string,
  options: Record<string, string | number | AttachmentOption> = {},
  channelId = g.supportChannelId,
): InteractionSpec {
  const [name, sub] = path.split(' ');
  const leaf = Object.entries(options).map(([k, v]) =>
    typeof v === 'object'
      ? { name: k, value: v.attachment.id, type: 11 }
      : {
          name: k,
          value: v,
          type:
            typeof v === 'number'
              ? 4
              : /^\d{15,20}$/.test(v) && k === 'member'
                ? 6
                : /^\d{15,20}$/.test(v) && k === 'staff_role'
                  ? 8
                  : /^\d{15,20}$/.test(v)
                    ? 7
                    : 3,
        },
  );
  return {
    type: 2,
    guild_id: g.guildId,
    channel_id: channelId,
    user_id: userId,
    data: { name, type: 1, options: sub ? [{ name: sub, type: 1, options: leaf }] : leaf },
  };
}

/**
 * "`name`" from a message's Apps menu (a message command, type 3), on a message already in the simulator
 * (which resolves it into `data.resolved.messages` as Discord does).
 */
export function messageCommand(g: TestGuild, userId: string, channelId: string, messageId: string, name = 'Open ticket'): InteractionSpec {
  return { type: 2, guild_id: g.guildId, channel_id: channelId, user_id: userId, data: { name, type: 3, target_id: messageId } };
}

export function press(g: TestGuild, userId: string, customId: string, channelId: string, messageId?: string): InteractionSpec {
  return {
    type: 3,
    guild_id: g.guildId,
    channel_id: channelId,
    user_id: userId,
    data: { custom_id: customId, component_type: 2 },
    ...(messageId ? { message_id: messageId } : {}),
  };
}

/** Content of an ephemeral or public reply (type 4, or 7 for updates). */
export function replyText(d: Delivered): string {
  const r = d.response as { data?: { content?: string } } | null;
  return r?.data?.content ?? '';
}

/** Waits (bounded) for a condition on observable state, such as the simulator's records. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 8000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface SimCall {
  seq: number;
  method: string;
  path: string;
  route: string;
  status: number;
  request: unknown;
  /** For multipart requests: the file parts (no bytes). */
  files?: { field: string; filename: string; content_type: string; size: number }[];
  /** For multipart requests: every part's name, in order (`payload_json`, `files[0]`, …). */
  form?: string[];
  response: unknown;
  openapi: { checked: boolean; errors: string[] };
}

export async function simLog(since = 0): Promise<SimCall[]> {
  return (await simApi<{ calls: SimCall[] }>(`/_sim/log?since=${since}`)).calls;
}

export async function lastSeq(): Promise<number> {
  return (await simApi<{ nextSeq: number }>(`/_sim/log?since=${Number.MAX_SAFE_INTEGER}`)).nextSeq;
}

export interface GuildSnapshot {
  channels: {
    id: string;
    type: number;
    name: string;
    parent_id?: string | null;
    thread_member_ids?: string[];
    thread_metadata?: { archived: boolean; locked: boolean };
  }[];
  messages: Record<string, APIMessage[]>;
}

export const guildSnapshot = (guildId: string) => simApi<GuildSnapshot>(`/_sim/guilds/${guildId}`);

/** The id of the message an interaction's response created (ephemeral ones too). */
export async function originalMessageId(interactionId: string): Promise<string> {
  const r = await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${interactionId}`);
  if (!r.original) throw new Error(`interaction ${interactionId} has no original message`);
  return r.original.id;
}

/** Waits until a ticket's thread and control message exist and its background work is done. */
export async function provisioned(id: string, timeoutMs = 8000) {
  const stub = ticketActor(env, id);
  return eventually(
    async () => {
      const s = await stub.snapshot();
      return s.ticket?.controlMessageId && s.pendingJobs === 0 ? s.ticket : null;
    },
    timeoutMs,
    `ticket ${id} provisioned`,
  );
}

/** Opens a ticket as `userId` and waits until it is provisioned. */
export async function openTicket(g: TestGuild, userId: string, opts: { type?: string; severity?: string; subject?: string } = {}) {
  const d = await deliver(
    slash(g, userId, 'ticket open', { issue_type: opts.type ?? 'crash', severity: opts.severity ?? 'high', subject: opts.subject ?? 'Game crashes on launch' }),
  );
  const m = /Ticket #(\d+) opened/.exec(replyText(d));
  if (!m) throw new Error(`ticket not opened: ${replyText(d)}`);
  const id = `${g.guildId}-${m[1]}`;
  return { id, number: Number(m[1]), stub: ticketActor(env, id), ticket: await provisioned(id), delivered: d };
}

export async function controlMessage(g: TestGuild, channelId: string, messageId: string): Promise<APIMessage> {
  const snap = await guildSnapshot(g.guildId);
  const msg = snap.messages[channelId]?.find((x) => x.id === messageId);
  if (!msg) throw new Error('control message missing');
  return msg;
}

export const buttons = (m: APIMessage) => (m.components?.[0] as APIActionRowComponent<APIButtonComponentWithCustomId> | undefined)?.components ?? [];
export const buttonId = (m: APIMessage, label: string) => buttons(m).find((b) => b.label === label)!.custom_id;
