import { SELF } from 'cloudflare:test';
import type { APIMessage } from 'discord-api-types/v10';
import { eventually, replyText, simApi } from '../../helpers.ts';
import { addRule, type ModGuild, messagesIn, modGuild, run, setUpModeration, str } from '../moderation/helpers.ts';

/** The simulator's fake Telegram Bot API (sim/telegram.ts), as the tests drive it. */

export interface TgChat {
  id: number;
  type: string;
}
export interface TgMessage {
  message_id: number;
  text: string;
  chat: TgChat;
  reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
  edit_date?: number;
}
export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  update: { update_id: number; callback_query?: { id: string } };
}

let nextUser = 9_100_000 + Math.floor(Math.random() * 100_000) * 10;
/** A Telegram user id no other test uses. */
export const tgUser = () => ++nextUser;

export const newChat = (type: 'group' | 'private' = 'group', id?: number) => simApi<TgChat>('/_sim/telegram/chats', { body: { type, ...(id ? { id } : {}) } });
export const tgMessages = async (chatId: number) => (await simApi<{ messages: TgMessage[] }>(`/_sim/telegram/chats/${chatId}/messages`)).messages;
export const tgCalls = async () => (await simApi<{ calls: { seq: number; method: string; status: number; request: unknown }[] }>('/_sim/telegram/calls')).calls;
export const queryAnswer = (id: string) => simApi<{ answered: boolean; answer?: { text?: string; show_alert?: boolean } }>(`/_sim/telegram/queries/${id}`);

/** Registers the Worker's webhook with the fake (through the admin route, as a deployer would). */
export async function registerWebhook(): Promise<Response> {
  return SELF.fetch('http://guildkeep.test/admin/telegram/webhook', { method: 'POST', headers: { authorization: 'Bearer test-admin-token' } });
}

/** A press on an inline button of message `messageId`, as Telegram would deliver it (not yet delivered). */
export const pressUpdate = (chatId: number, messageId: number, from: number, data: string) =>
  simApi<Delivery>('/_sim/telegram/callback', { body: { chat_id: chatId, message_id: messageId, from: { id: from, first_name: 'Mod' }, data } });

export const messageUpdate = (chatId: number, from: number, text: string) =>
  simApi<Delivery>('/_sim/telegram/message', { body: { chat_id: chatId, from: { id: from, first_name: 'Mod' }, text } });

/** Posts an update to the Worker's webhook, with the headers Telegram would send (or others). */
export function toWebhook(d: Delivery, headers: Record<string, string> = d.headers): Promise<Response> {
  return SELF.fetch(d.url, { method: 'POST', headers, body: d.body });
}

/** A guild whose `kickword` rule asks for a kick, with its mod queue on Discord and a Telegram group set by an admin. */
export async function telegramGuild(): Promise<{ g: ModGuild; chat: TgChat }> {
  const g = await modGuild();
  await setUpModeration(g);
  await addRule(g, [str('id', 'kickword'), str('kind', 'words'), str('list', 'kickword'), str('effect', 'kick')]);
  const chat = await newChat('group');
  const d = await run(g, g.adminId, 'telegram chat', [str('id', String(chat.id))]);
  if (!replyText(d).startsWith('New approvals')) throw new Error(`telegram chat: ${replyText(d)}`);
  const r = await registerWebhook();
  if (r.status !== 200) throw new Error(`webhook: ${r.status} ${await r.text()}`);
  return { g, chat };
}

/** Links a fresh Telegram account to Discord member `userId` with /telegram link and `/link CODE` in a private chat. */
export async function linkAccount(g: ModGuild, userId: string): Promise<number> {
  const tg = tgUser();
  const code = /\/link (\S+)/.exec(replyText(await run(g, userId, 'telegram link')))?.[1];
  if (!code) throw new Error('no link code');
  await newChat('private', tg);
  const r = await toWebhook(await messageUpdate(tg, tg, `/link ${code}`));
  if (((await r.json()) as { outcome: string }).outcome !== 'linked') throw new Error('not linked');
  return tg;
}

/** The Telegram copy of approval `n`, once it exists (and, given `pred`, once it matches). */
export const tgApproval = (chatId: number, n: number, pred: (m: TgMessage) => boolean = () => true) =>
  eventually(async () => (await tgMessages(chatId)).find((m) => m.text.startsWith(`Approval #${n} `) && pred(m)), 8000, `telegram approval #${n}`);

/** The Discord queue message of approval `n` showing `status`. */
export const discordApproval = (g: ModGuild, n: number, status = 'Waiting') =>
  eventually(
    async () => {
      const m = (await messagesIn(g, g.supportChannelId)).find((x: APIMessage) => x.embeds[0]?.title?.startsWith(`Approval #${n} `));
      return m && m.embeds[0]!.fields!.find((f) => f.name === 'Status')!.value.includes(status) ? m : null;
    },
    8000,
    `approval #${n} ${status}`,
  );
