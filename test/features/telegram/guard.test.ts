import { runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { handleTelegramWebhook } from '../../../src/features/telegram/webhook.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { env, replyText, simApi } from '../../helpers.ts';
import { advanceClock } from '../../support/clock.ts';
import { modCalls, run, say, str } from '../moderation/helpers.ts';
import {
  discordApproval,
  linkAccount,
  messageUpdate,
  newChat,
  pressUpdate,
  queryAnswer,
  registerWebhook,
  telegramGuild,
  tgApproval,
  tgMessages,
  tgUser,
  toWebhook,
} from './helpers.ts';

const KICK = 'DELETE /guilds/{guild_id}/members/{user_id}';
const outcome = async (r: Response) => ((await r.json()) as { outcome: string }).outcome;

describe('the Telegram webhook and who may decide', () => {
  it('a wrong or missing secret header is 401 and changes nothing', async () => {
    const { g, chat } = await telegramGuild();
    const tgAdmin = await linkAccount(g, g.adminId);
    await say(g, g.memberIds[0]!, 'kickword');
    const tg = await tgApproval(chat.id, 1);
    const d = await pressUpdate(chat.id, tg.message_id, tgAdmin, `gk:${g.guildId}:1:a`);
    const { 'x-telegram-bot-api-secret-token': secret, ...without } = d.headers;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const headers of [without, { ...without, 'x-telegram-bot-api-secret-token': `${secret!.slice(0, -1)}x` }]) {
      const r = await toWebhook(d, headers);
      expect(r.status).toBe(401);
      expect(await r.text()).not.toContain(secret!);
    }
    expect(await queryAnswer(d.update.callback_query!.id)).toMatchObject({ answered: false });
    await discordApproval(g, 1, 'Waiting');
    expect((await tgMessages(chat.id))[0]!.reply_markup).toBeDefined();
    // The real delivery still works afterwards.
    expect(await outcome(await toWebhook(d))).toBe('decided');
  });

  it('an unlinked Telegram user, or a linked member without Kick Members, is refused with an alert and nothing changes', async () => {
    const { g, chat } = await telegramGuild();
    const staff = await linkAccount(g, g.staffId);
    await say(g, g.memberIds[0]!, 'kickword');
    const tg = await tgApproval(chat.id, 1);
    const stranger = tgUser();
    const a = await pressUpdate(chat.id, tg.message_id, stranger, `gk:${g.guildId}:1:a`);
    expect(await outcome(await toWebhook(a))).toBe('refused');
    expect((await queryAnswer(a.update.callback_query!.id)).answer).toEqual({
      text: 'Your Telegram account is not linked to a moderator of this server. Use /telegram link in Discord first.',
      show_alert: true,
    });
    const b = await pressUpdate(chat.id, tg.message_id, staff, `gk:${g.guildId}:1:a`);
    expect(await outcome(await toWebhook(b))).toBe('refused');
    expect((await queryAnswer(b.update.callback_query!.id)).answer).toEqual({
      text: 'You need the Kick Members permission to approve this.',
      show_alert: true,
    });
    await discordApproval(g, 1, 'Waiting');
    expect((await tgMessages(chat.id))[0]!.reply_markup).toBeDefined();
    expect((await modCalls(g)).filter((c) => c.route === KICK)).toEqual([]);
  });

  it('a link code works once, for its guild, and not after 10 minutes', async () => {
    const { g } = await telegramGuild();
    const code = /\/link (\S+)/.exec(replyText(await run(g, g.adminId, 'telegram link')))![1]!;
    expect(code).toMatch(new RegExp(`^${g.guildId}-[A-Z2-9]{10}$`));
    const [one, two] = [tgUser(), tgUser()];
    await newChat('private', one);
    await newChat('private', two);
    expect(await outcome(await toWebhook(await messageUpdate(one, one, `/link ${code}`)))).toBe('linked');
    expect(await outcome(await toWebhook(await messageUpdate(two, two, `/link ${code}`)))).toBe('refused');
    expect((await tgMessages(two)).at(-1)!.text).toBe('That code is unknown, already used or expired. Get a new one with /telegram link in Discord.');
    expect((await tgMessages(one)).at(-1)!.text).toBe(`Linked: on Telegram you now decide approvals as Discord member ${g.adminId} of that server.`);
    // No code at all: told how, without reaching any guild.
    expect(await outcome(await toWebhook(await messageUpdate(two, two, '/link')))).toBe('refused');
    expect((await tgMessages(two)).at(-1)!.text).toMatch(/^To link your account, send \/link/);
    // A code unused for 10 minutes no longer links.
    const late = /\/link (\S+)/.exec(replyText(await run(g, g.adminId, 'telegram link')))![1]!;
    advanceClock(10 * 60_000 + 1000);
    expect(await outcome(await toWebhook(await messageUpdate(two, two, `/link ${late}`)))).toBe('refused');
    expect(replyText(await run(g, g.memberIds[0]!, 'telegram link'))).toBe(
      'Only moderators (Kick Members, Ban Members or Manage Messages) can link a Telegram account.',
    );
    expect(replyText(await run(g, g.adminId, 'telegram status'))).toBe(
      `Telegram approvals: sent to chat ${await chatOf(g)}. Linked moderators: 1. Your Telegram account is linked.`,
    );
  });

  it('admins set and clear the chat; a bad chat id or a non-admin changes nothing', async () => {
    const { g, chat } = await telegramGuild();
    expect(replyText(await run(g, g.adminId, 'telegram chat', [str('id', '@mods')]))).toBe(
      '“@mods” is not a Telegram chat id: use the chat’s number (a group’s is negative, e.g. -1001234567890). Nothing was changed.',
    );
    expect(replyText(await run(g, g.staffId, 'telegram chat', [str('id', '-100123')]))).toBe('Only administrators can change where approvals go on Telegram.');
    expect(replyText(await run(g, g.staffId, 'telegram off'))).toBe('Only administrators can change where approvals go on Telegram.');
    expect(await chatOf(g)).toBe(String(chat.id));
    expect(replyText(await run(g, g.adminId, 'telegram off'))).toBe('Approvals are no longer sent to Telegram.');
    await say(g, g.memberIds[0]!, 'kickword');
    await discordApproval(g, 1);
    expect(await tgMessages(chat.id)).toEqual([]);
    expect(replyText(await run(g, g.adminId, 'telegram status'))).toMatch(/^Telegram approvals: no chat set/);
  });

  it('registering the webhook stores the url and a secret, and never answers with the secret', async () => {
    const r = await registerWebhook();
    const body = await r.text();
    expect(JSON.parse(body)).toEqual({ ok: true, url: 'http://guildkeep.test/telegram/webhook' });
    expect(await simApi('/_sim/telegram/webhook')).toEqual({ url: 'http://guildkeep.test/telegram/webhook', has_secret: true });
    const d = await messageUpdate((await newChat('private', tgUser())).id, tgUser(), 'hello');
    expect(body).not.toContain(d.headers['x-telegram-bot-api-secret-token']!);
    expect(await outcome(await toWebhook(d))).toBe('ignored');
    const wrong = await SELF.fetch('http://guildkeep.test/admin/telegram/webhook', { method: 'POST', headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });
});

describe('without TELEGRAM_BOT_TOKEN', () => {
  it('the webhook is off (404) and says so', async () => {
    const off = { ...env, TELEGRAM_BOT_TOKEN: undefined };
    const r = await handleTelegramWebhook(new Request('http://guildkeep.test/telegram/webhook', { method: 'POST', body: '{}' }), off);
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: 'telegram is off: TELEGRAM_BOT_TOKEN is not set' });
  });
});

/** The chat id the guild has stored (null when cleared). */
const chatOf = (g: { guildId: string }) =>
  runInDurableObject(
    guildActor(env, g.guildId),
    (_i, state) => state.storage.sql.exec<{ chat_id: string | null }>('SELECT chat_id FROM telegram_settings').toArray()[0]?.chat_id ?? null,
  );
