import { err, ok, type Result } from '../../lib/result.ts';

/** Why a Bot API call failed: Telegram's own answer, or no answer at all. Never carries the token (it is in the URL). */
export type TelegramError = { kind: 'telegram'; status: number; description: string; retryAfter?: number } | { kind: 'network'; message: string };

/** How long one call may take before it counts as a network failure. */
const TIMEOUT_MS = 10_000;

/** Permanent: retrying the same request cannot succeed (bad request, unauthorized, forbidden, not found). */
export const isPermanent = (e: TelegramError): boolean => e.kind === 'telegram' && e.status >= 400 && e.status < 500 && e.status !== 429;

export const describeTelegramError = (e: TelegramError): string =>
  e.kind === 'network'
    ? `Telegram unreachable: ${e.message}`
    : `Telegram ${e.status}: ${e.description}${e.retryAfter ? ` (retry after ${e.retryAfter}s)` : ''}`;

/** A Telegram message as far as we read it. */
export interface TgMessage {
  message_id: number;
  chat: { id: number; type: string };
  text?: string;
}

export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/**
 * The Telegram Bot API: POST {base}/bot{token}/{method} with a JSON body,
 * answered by {ok:true,result} or {ok:false,error_code,description,parameters}.
 */
export class TelegramClient {
  private readonly base: string;
  private readonly token: string;

  constructor(cfg: { botToken: string; apiBase: string }) {
    this.base = cfg.apiBase.replace(/\/+$/, '');
    this.token = cfg.botToken;
  }

  async call<T>(method: string, body: Record<string, unknown>): Promise<Result<T, TelegramError>> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/bot${this.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      // The message of a failed fetch may name the URL, which holds the token: only the error's kind.
      return err({ kind: 'network', message: e instanceof Error ? e.name : 'fetch failed' });
    }
    type Answer = { ok?: boolean; result?: T; error_code?: number; description?: string; parameters?: { retry_after?: number } };
    let parsed: Answer | null;
    try {
      parsed = (await res.json()) as Answer;
    } catch {
      parsed = null;
    }
    if (parsed?.ok === true && res.ok) return ok(parsed.result as T);
    return err({
      kind: 'telegram',
      status: parsed?.error_code ?? res.status,
      description: (parsed?.description ?? res.statusText).replaceAll(this.token, '<token>'),
      ...(parsed?.parameters?.retry_after !== undefined ? { retryAfter: parsed.parameters.retry_after } : {}),
    });
  }

  sendMessage(chatId: string, text: string, keyboard?: InlineKeyboard): Promise<Result<TgMessage, TelegramError>> {
    return this.call('sendMessage', { chat_id: chatId, text, link_preview_options: { is_disabled: true }, ...(keyboard ? { reply_markup: keyboard } : {}) });
  }

  /** Replaces the text; without `keyboard` the message's buttons are removed. */
  editMessageText(chatId: string, messageId: number, text: string, keyboard?: InlineKeyboard): Promise<Result<TgMessage | true, TelegramError>> {
    return this.call('editMessageText', { chat_id: chatId, message_id: messageId, text, ...(keyboard ? { reply_markup: keyboard } : {}) });
  }

  answerCallbackQuery(id: string, text: string, alert: boolean): Promise<Result<true, TelegramError>> {
    return this.call('answerCallbackQuery', { callback_query_id: id, text, show_alert: alert });
  }

  setWebhook(url: string, secretToken: string): Promise<Result<true, TelegramError>> {
    return this.call('setWebhook', { url, secret_token: secretToken, allowed_updates: ['message', 'callback_query'] });
  }
}
