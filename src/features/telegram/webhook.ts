import type { Env } from '../../env.ts';
import { t as tr } from '../../i18n/index.ts';
import { sameSecret } from '../../lib/hex.ts';
import { adminRefusal } from '../../routes/admin.ts';
import { guildActor } from '../../runtime/stubs.ts';
import { describeTelegramError, TelegramClient } from './client.ts';
import type { TgUpdate } from './feature.ts';
import { parseCallbackData, parseLinkCommand, webhookSecret } from './rules.ts';

const problem = (status: number, error: string) => Response.json({ error }, { status });
const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';
const DEFAULT_API_BASE = 'https://api.telegram.org';

const clientOf = (env: Env) => new TelegramClient({ botToken: env.TELEGRAM_BOT_TOKEN!, apiBase: env.TELEGRAM_API_BASE || DEFAULT_API_BASE });

/**
 * POST /telegram/webhook: Telegram's updates. The secret header must be the
 * one registered with setWebhook (derived from the bot token, see rules.ts);
 * else 401 and nothing happens. A button press or `/link CODE` goes to the
 * guild actor the callback data or the code names; anything else is
 * acknowledged and ignored (a non-2xx answer makes Telegram send it again).
 */
export async function handleTelegramWebhook(req: Request, env: Env): Promise<Response> {
  if (!env.TELEGRAM_BOT_TOKEN) return problem(404, 'telegram is off: TELEGRAM_BOT_TOKEN is not set');
  if (!(await sameSecret(req.headers.get(SECRET_HEADER) ?? '', await webhookSecret(env.TELEGRAM_BOT_TOKEN)))) return problem(401, 'bad secret token');
  let u: TgUpdate;
  try {
    u = (await req.json()) as TgUpdate;
  } catch {
    return problem(400, 'body is not JSON');
  }
  if (typeof u !== 'object' || u === null || typeof u.update_id !== 'number') return problem(400, 'not a Telegram update');
  const q = u.callback_query;
  if (q && typeof q.id === 'string' && typeof q.from?.id === 'number') {
    const data = parseCallbackData(q.data);
    if (!data) {
      const r = await clientOf(env).answerCallbackQuery(q.id, tr(q.from.language_code, 'telegram.cb.unknown'), true);
      if (!r.ok) console.warn(`telegram webhook: answerCallbackQuery: ${describeTelegramError(r.error)}`);
      return Response.json({ outcome: 'refused' });
    }
    return Response.json({ outcome: await guildActor(env, data.guildId).telegramUpdate(u) });
  }
  const m = u.message;
  if (m && typeof m.from?.id === 'number' && typeof m.text === 'string' && /^\/(link|start)\b/i.test(m.text.trim())) {
    const link = parseLinkCommand(m.text);
    if (link) return Response.json({ outcome: await guildActor(env, link.guildId).telegramUpdate(u) });
    const r = await clientOf(env).sendMessage(String(m.chat.id), tr(m.from.language_code, 'telegram.link.help'));
    if (!r.ok) console.warn(`telegram webhook: help reply: ${describeTelegramError(r.error)}`);
    return Response.json({ outcome: 'refused' });
  }
  return Response.json({ outcome: 'ignored' });
}

/**
 * POST /admin/telegram/webhook (Bearer ADMIN_TOKEN): registers
 * `<PUBLIC_URL or this origin>/telegram/webhook` with Telegram's setWebhook,
 * with the derived secret_token. Run once per deployment and after rotating
 * the bot token. The secret is never in the answer.
 */
export async function handleRegisterWebhook(req: Request, env: Env): Promise<Response> {
  const refused = await adminRefusal(req, env);
  if (refused) return refused;
  if (!env.TELEGRAM_BOT_TOKEN) return problem(503, 'telegram is off: set the TELEGRAM_BOT_TOKEN secret');
  const base = (env.PUBLIC_URL || new URL(req.url).origin).replace(/\/+$/, '');
  const url = `${base}/telegram/webhook`;
  const r = await clientOf(env).setWebhook(url, await webhookSecret(env.TELEGRAM_BOT_TOKEN));
  return r.ok ? Response.json({ ok: true, url }) : problem(502, describeTelegramError(r.error));
}
