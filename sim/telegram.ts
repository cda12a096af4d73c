// A fake Telegram Bot API, from Telegram's documentation (core.telegram.org/bots/api):
// POST /telegram/bot<token>/<method> with a JSON body, answers {ok:true,result}
// or {ok:false,error_code,description[,parameters:{retry_after}]}. Test controls
// live under /_sim/telegram/*.

/** The bot token the fake accepts (tests and `npm run dev` set TELEGRAM_BOT_TOKEN to it). */
export const SIM_TELEGRAM_TOKEN = '7000000001:SIMtelegram-bot-token_for-local-runs';
export const SIM_TELEGRAM_BOT = { id: 7000000001, is_bot: true, first_name: 'Guildkeep', username: 'guildkeep_sim_bot' };

/** Telegram's limits: message text after entity parsing, callback_data bytes, callback answer text. */
const TEXT_MAX = 4096;
const CALLBACK_DATA_MAX = 64;
const ANSWER_TEXT_MAX = 200;
const SECRET_RE = /^[A-Za-z0-9_-]{1,256}$/;

interface Chat {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
}
interface InlineButton {
  text: string;
  callback_data?: string;
}
interface Markup {
  inline_keyboard: InlineButton[][];
}
interface Message {
  message_id: number;
  date: number;
  chat: Chat;
  from: typeof SIM_TELEGRAM_BOT;
  text: string;
  reply_markup?: Markup;
  edit_date?: number;
}
interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}
interface Reply {
  status: number;
  body: unknown;
}

class TgError extends Error {
  readonly code: number;
  readonly description: string;
  readonly retryAfter?: number;
  constructor(code: number, description: string, retryAfter?: number) {
    super(description);
    this.code = code;
    this.description = description;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }
}

const bad = (what: string) => new TgError(400, `Bad Request: ${what}`);
const okReply = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });
const errReply = (e: TgError): Reply => ({
  status: e.code,
  body: { ok: false, error_code: e.code, description: e.description, ...(e.retryAfter !== undefined ? { parameters: { retry_after: e.retryAfter } } : {}) },
});

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Everything the fake keeps: chats, the bot's messages, open callback queries, the webhook, faults and a call log. */
export class FakeTelegram {
  private readonly chats = new Map<number, Chat>();
  private readonly messages = new Map<number, Message[]>();
  private readonly queries = new Map<string, { answered: boolean; from: number; answer?: { text?: string; show_alert?: boolean } }>();
  private webhook: { url: string; secret: string | null } | null = null;
  private faults: { status: number; retryAfter?: number; left: number } | null = null;
  private readonly calls: { seq: number; method: string; status: number; request: unknown }[] = [];
  private nextMessageId = 1;
  private nextUpdateId = 1;
  private nextQuery = 1;
  private nextChat = 1;

  /** Whether a path is the fake's (the Bot API or its controls). */
  static owns(pathname: string): boolean {
    return pathname.startsWith('/telegram/') || pathname === '/_sim/telegram' || pathname.startsWith('/_sim/telegram/');
  }

  async handle(method: string, url: URL, raw: string, contentType: string): Promise<Reply> {
    let body: Obj = {};
    if (raw.length > 0) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (isObj(parsed)) body = parsed;
      } catch {
        return url.pathname.startsWith('/_sim/') ? { status: 400, body: { error: 'invalid JSON' } } : errReply(bad("can't parse JSON object"));
      }
    }
    if (url.pathname.startsWith('/_sim/')) {
      try {
        return await this.control(method.toUpperCase(), url, body);
      } catch (e) {
        return { status: 400, body: { error: e instanceof Error ? e.message : String(e) } };
      }
    }
    const m = /^\/telegram\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return errReply(new TgError(404, 'Not Found'));
    const [, token, name] = m as unknown as [string, string, string];
    let reply: Reply;
    if (token !== SIM_TELEGRAM_TOKEN) reply = errReply(new TgError(401, 'Unauthorized'));
    else if (method.toUpperCase() !== 'POST' && method.toUpperCase() !== 'GET') reply = errReply(new TgError(405, 'Method Not Allowed'));
    else if (raw.length > 0 && !contentType.includes('application/json')) reply = errReply(bad('unsupported content type'));
    else reply = this.fault() ?? this.call(name, body);
    this.calls.push({ seq: this.calls.length + 1, method: name, status: reply.status, request: body });
    return reply;
  }

  private fault(): Reply | null {
    const f = this.faults;
    if (!f || f.left <= 0) return null;
    f.left--;
    if (f.status === 429) return errReply(new TgError(429, `Too Many Requests: retry after ${f.retryAfter ?? 1}`, f.retryAfter ?? 1));
    return errReply(new TgError(f.status, f.status === 502 ? 'Bad Gateway' : 'Internal Server Error'));
  }

  private call(name: string, b: Obj): Reply {
    try {
      switch (name) {
        case 'getMe':
          return okReply(SIM_TELEGRAM_BOT);
        case 'sendMessage':
          return okReply(this.sendMessage(b));
        case 'editMessageText':
          return okReply(this.editMessageText(b));
        case 'answerCallbackQuery':
          return okReply(this.answerCallbackQuery(b));
        case 'setWebhook':
          return okReply(this.setWebhook(b));
        case 'deleteWebhook':
          this.webhook = null;
          return okReply(true);
        case 'getWebhookInfo':
          return okReply({ url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 });
        default:
          return errReply(new TgError(404, 'Not Found'));
      }
    } catch (e) {
      if (e instanceof TgError) return errReply(e);
      throw e;
    }
  }

  private chat(b: Obj): Chat {
    const raw = b.chat_id;
    if (raw === undefined || raw === '') throw bad('chat_id is empty');
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    const chat = this.chats.get(id);
    if (!chat) throw bad('chat not found');
    return chat;
  }

  private text(b: Obj): string {
    const text = typeof b.text === 'string' ? b.text : '';
    if (text.trim().length === 0) throw bad('message text is empty');
    if ([...text].length > TEXT_MAX) throw bad('message is too long');
    return text;
  }

  private markup(b: Obj): Markup | undefined {
    const raw = b.reply_markup === undefined ? undefined : typeof b.reply_markup === 'string' ? JSON.parse(b.reply_markup) : b.reply_markup;
    if (raw === undefined) return undefined;
    if (!isObj(raw) || !Array.isArray(raw.inline_keyboard)) throw bad("can't parse reply keyboard markup JSON object");
    const rows = raw.inline_keyboard as unknown[];
    for (const row of rows) {
      if (!Array.isArray(row)) throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      for (const btn of row) {
        if (!isObj(btn) || typeof btn.text !== 'string' || btn.text.length === 0) throw bad('BUTTON_TEXT_INVALID');
        if (btn.callback_data !== undefined) {
          const bytes = typeof btn.callback_data === 'string' ? new TextEncoder().encode(btn.callback_data).length : 0;
          if (bytes < 1 || bytes > CALLBACK_DATA_MAX) throw bad('BUTTON_DATA_INVALID');
        }
      }
    }
    return rows.length ? { inline_keyboard: rows as InlineButton[][] } : undefined;
  }

  private sendMessage(b: Obj): Message {
    const chat = this.chat(b);
    const text = this.text(b);
    const markup = this.markup(b);
    const msg: Message = {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: SIM_TELEGRAM_BOT,
      text,
      ...(markup ? { reply_markup: markup } : {}),
    };
    const list = this.messages.get(chat.id) ?? [];
    list.push(msg);
    this.messages.set(chat.id, list);
    return msg;
  }

  private editMessageText(b: Obj): Message {
    const chat = this.chat(b);
    const msg = this.messages.get(chat.id)?.find((m) => m.message_id === Number(b.message_id));
    if (!msg) throw bad('message to edit not found');
    const text = this.text(b);
    // Omitting reply_markup removes the message's inline keyboard.
    const markup = this.markup(b);
    if (msg.text === text && JSON.stringify(msg.reply_markup ?? null) === JSON.stringify(markup ?? null)) {
      throw bad(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    msg.text = text;
    if (markup) msg.reply_markup = markup;
    else delete msg.reply_markup;
    msg.edit_date = Math.floor(Date.now() / 1000);
    return msg;
  }

  private answerCallbackQuery(b: Obj): true {
    const q = typeof b.callback_query_id === 'string' ? this.queries.get(b.callback_query_id) : undefined;
    if (!q || q.answered) throw bad('query is too old and response timeout expired or query ID is invalid');
    const text = typeof b.text === 'string' ? b.text : undefined;
    if (text !== undefined && [...text].length > ANSWER_TEXT_MAX) throw bad('MESSAGE_TOO_LONG');
    q.answered = true;
    q.answer = { text, show_alert: b.show_alert === true };
    return true;
  }

  private setWebhook(b: Obj): true {
    const url = typeof b.url === 'string' ? b.url : '';
    if (url === '') {
      this.webhook = null;
      return true;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw bad('bad webhook: Failed to resolve host: Name or service not known');
    }
    // Telegram requires HTTPS; the fake also takes plain http to this machine, for local runs.
    const local = ['localhost', '127.0.0.1', 'guildkeep.test'].includes(parsed.hostname);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local)) throw bad('bad webhook: An HTTPS URL must be provided for webhook');
    const secret = b.secret_token;
    if (secret !== undefined && (typeof secret !== 'string' || !SECRET_RE.test(secret))) throw bad('secret token contains unallowed characters');
    this.webhook = { url, secret: typeof secret === 'string' ? secret : null };
    return true;
  }

  // ---- /_sim/telegram controls ----

  private user(raw: unknown): User {
    if (!isObj(raw) || typeof raw.id !== 'number') throw new Error('from: {id (number), first_name?, username?} is required');
    return {
      id: raw.id,
      is_bot: false,
      first_name: typeof raw.first_name === 'string' ? raw.first_name : `User ${raw.id}`,
      ...(typeof raw.username === 'string' ? { username: raw.username } : {}),
    };
  }

  /** The update as Telegram would POST it to the webhook: url, headers (with the secret), body; sent too when `send` is true. */
  private async delivery(update: Obj, send: boolean): Promise<Reply> {
    if (!this.webhook) throw new Error('no webhook is set (setWebhook first)');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.webhook.secret) headers['x-telegram-bot-api-secret-token'] = this.webhook.secret;
    const body = JSON.stringify(update);
    let status: number | null = null;
    if (send) {
      const r = await fetch(this.webhook.url, { method: 'POST', headers, body });
      status = r.status;
      await r.body?.cancel();
    }
    return { status: 200, body: { url: this.webhook.url, headers, body, update, status } };
  }

  private async control(method: string, url: URL, b: Obj): Promise<Reply> {
    const p = url.pathname.replace(/\/+$/, '');
    if (method === 'POST' && p === '/_sim/telegram/chats') {
      const type = b.type === 'private' ? 'private' : b.type === 'supergroup' ? 'supergroup' : 'group';
      const id = type === 'private' ? (typeof b.id === 'number' ? b.id : 100_000 + this.nextChat++) : -(1_000_000_000_000 + this.nextChat++);
      const chat: Chat = { id, type, ...(type !== 'private' ? { title: typeof b.title === 'string' ? b.title : `Group ${-id}` } : {}) };
      this.chats.set(id, chat);
      return { status: 200, body: chat };
    }
    let m = /^\/_sim\/telegram\/chats\/(-?\d+)\/messages$/.exec(p);
    if (method === 'GET' && m) return { status: 200, body: { messages: this.messages.get(Number(m[1])) ?? [] } };
    if (method === 'GET' && p === '/_sim/telegram/webhook') return { status: 200, body: { url: this.webhook?.url ?? '', has_secret: !!this.webhook?.secret } };
    if (method === 'GET' && p === '/_sim/telegram/calls') return { status: 200, body: { calls: this.calls.slice(Number(url.searchParams.get('since') ?? 0)) } };
    m = /^\/_sim\/telegram\/queries\/([^/]+)$/.exec(p);
    if (method === 'GET' && m) {
      const q = this.queries.get(decodeURIComponent(m[1]!));
      if (!q) throw new Error('no such callback query');
      return { status: 200, body: q };
    }
    if (method === 'POST' && p === '/_sim/telegram/faults') {
      const status = typeof b.status === 'number' ? b.status : 502;
      this.faults = { status, left: typeof b.count === 'number' ? b.count : 1, ...(typeof b.retry_after === 'number' ? { retryAfter: b.retry_after } : {}) };
      return { status: 200, body: { ok: true } };
    }
    if (method === 'POST' && p === '/_sim/telegram/callback') {
      // A press on an inline button of one of the bot's messages.
      const chat = this.chat(b);
      const msg = this.messages.get(chat.id)?.find((x) => x.message_id === Number(b.message_id));
      if (!msg) throw new Error('no such message in that chat');
      const data = typeof b.data === 'string' ? b.data : '';
      if (!msg.reply_markup?.inline_keyboard.some((row) => row.some((x) => x.callback_data === data)))
        throw new Error('the message has no button with that callback_data');
      const from = this.user(b.from);
      const id = `${Date.now()}${this.nextQuery++}`;
      this.queries.set(id, { answered: false, from: from.id });
      const update = { update_id: this.nextUpdateId++, callback_query: { id, from, message: structuredClone(msg), chat_instance: String(chat.id), data } };
      return this.delivery(update, b.send === true);
    }
    if (method === 'POST' && p === '/_sim/telegram/message') {
      // A person writes to the bot (e.g. `/link CODE` in a private chat).
      const chat = this.chat(b);
      const from = this.user(b.from);
      const text = typeof b.text === 'string' ? b.text : '';
      const update = {
        update_id: this.nextUpdateId++,
        message: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat, from, text },
      };
      return this.delivery(update, b.send === true);
    }
    return { status: 404, body: { error: `no control ${method} ${p}` } };
  }
}
