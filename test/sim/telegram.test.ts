import { describe, expect, it } from 'vitest';
import { SIM_TELEGRAM_TOKEN } from '../../sim/telegram.ts';
import { newChat } from '../features/telegram/helpers.ts';
import { sim } from '../helpers.ts';

/** The fake Telegram Bot API answers as Telegram documents: {ok,result} or {ok:false,error_code,description}. */
const call = async (method: string, body: unknown, token = SIM_TELEGRAM_TOKEN) => {
  const r = await fetch(`${sim.url}/telegram/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as { ok: boolean; result?: { message_id: number }; error_code?: number; description?: string } };
};

describe('the fake Telegram Bot API', () => {
  it('refuses a wrong token, an unknown chat, empty or too long text and bad callback data', async () => {
    expect(await call('getMe', {}, '1:wrong')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect((await call('getMe', {})).body).toMatchObject({ ok: true, result: { is_bot: true } });
    expect(await call('sendMessage', { chat_id: -42, text: 'hi' })).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
    });
    const chat = await newChat('group');
    expect((await call('sendMessage', { chat_id: chat.id, text: '' })).body.description).toBe('Bad Request: message text is empty');
    expect((await call('sendMessage', { chat_id: chat.id, text: 'x'.repeat(4097) })).body.description).toBe('Bad Request: message is too long');
    expect((await call('sendMessage', { chat_id: chat.id, text: 'x'.repeat(4096) })).status).toBe(200);
    const button = (data: string) => ({ chat_id: chat.id, text: 'b', reply_markup: { inline_keyboard: [[{ text: 'B', callback_data: data }]] } });
    expect((await call('sendMessage', button('é'.repeat(33)))).body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect((await call('sendMessage', button(''))).body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    const sent = await call('sendMessage', button('x'.repeat(64)));
    expect(sent.status).toBe(200);
    const id = sent.body.result!.message_id;
    // Editing to the same text and keyboard is refused; without reply_markup the keyboard goes.
    expect((await call('editMessageText', { ...button('x'.repeat(64)), message_id: id })).body.description).toMatch(/^Bad Request: message is not modified/);
    expect((await call('editMessageText', { chat_id: chat.id, message_id: id, text: 'b' })).body).toMatchObject({ ok: true, result: { text: 'b' } });
    expect((await call('editMessageText', { chat_id: chat.id, message_id: 999_999, text: 'b' })).body.description).toBe(
      'Bad Request: message to edit not found',
    );
    expect((await call('answerCallbackQuery', { callback_query_id: 'nope' })).body.description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
    expect((await call('setWebhook', { url: 'https://example.com/hook', secret_token: 'bad secret!' })).body.description).toBe(
      'Bad Request: secret token contains unallowed characters',
    );
    expect((await call('setWebhook', { url: 'http://example.com/hook' })).body.description).toBe(
      'Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
    );
  });
});
