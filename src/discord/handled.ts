import { type APIInteractionResponse, type APIInteractionResponseCallbackData, MessageFlags } from 'discord-api-types/v10';
import { reply } from './interaction.ts';

export { reply };

/** What a feature made of an interaction: the answer, and how the audit log records it. */
export interface Handled {
  response: APIInteractionResponse;
  /** `ok`, `refused:<code>` (the member was told why) or `error` (not remembered: a redelivery gets a fresh try). */
  outcome: string;
  detail: string;
}

/** A reply only the invoker sees, mentioning nobody. */
export const ephemeral = (content: string): APIInteractionResponseCallbackData => ({ content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } });

/** A refusal the member is told about in an ephemeral reply. */
export const refused = (code: string, message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: `refused:${code}`, detail });
