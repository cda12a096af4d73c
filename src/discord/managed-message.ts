import {
  type APIMessage,
  RESTJSONErrorCodes,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from 'discord-api-types/v10';
import { ok, type Result } from '../lib/result.ts';
import { isUnknown } from './errors.ts';
import type { DiscordRest, RestError } from './rest.ts';

/** Where a managed message lives and what it last showed; the caller stores this and hands it back. */
export interface ManagedMessage {
  channelId: string;
  /** null until it is posted. */
  messageId: string | null;
  /** A fingerprint of the body last posted or edited in; null when unknown. */
  shown: string | null;
}

export type ManagedAction = 'posted' | 'edited' | 'unchanged' | 'reposted';

/**
 * A message the bot owns in one place (a ticket's control message, a raid
 * alert): posted once, its id remembered, edited when what it shows changes,
 * and posted again if someone deleted it (Discord answers 10008 Unknown
 * Message to the edit). `edit` is the body of an edit when it differs from a
 * fresh post (e.g. without the mentions a first post makes).
 */
export async function syncManagedMessage(
  rest: DiscordRest,
  m: ManagedMessage,
  post: RESTPostAPIChannelMessageJSONBody,
  edit: RESTPatchAPIChannelMessageJSONBody = post as RESTPatchAPIChannelMessageJSONBody,
): Promise<Result<{ message: ManagedMessage; action: ManagedAction }, RestError>> {
  const shown = fingerprint(edit);
  if (m.messageId && m.shown === shown) return ok({ message: m, action: 'unchanged' });
  if (m.messageId) {
    const r = await rest.patch<APIMessage>(Routes.channelMessage(m.channelId, m.messageId), { body: edit });
    if (r.ok) return ok({ message: { ...m, shown }, action: 'edited' });
    if (!isUnknown(r.error, RESTJSONErrorCodes.UnknownMessage)) return r;
  }
  const r = await rest.post<APIMessage>(Routes.channelMessages(m.channelId), { body: post });
  if (!r.ok) return r;
  return ok({ message: { channelId: m.channelId, messageId: r.value.id, shown }, action: m.messageId ? 'reposted' : 'posted' });
}

/** A short, stable fingerprint of a body (FNV-1a over its JSON): storing it costs a few bytes, not the message. */
function fingerprint(body: unknown): string {
  const s = JSON.stringify(body);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${s.length.toString(36)}-${h.toString(36)}`;
}
