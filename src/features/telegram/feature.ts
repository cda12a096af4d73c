import type { APIChatInputApplicationCommandInteraction, APIGuild, APIGuildMember, APIRole } from 'discord-api-types/v10';
import { Routes } from 'discord-api-types/v10';
import type { Handled } from '../../discord/handled.ts';
import type { SubcommandCall } from '../../discord/interaction.ts';
import { describeRestError } from '../../discord/rest.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import type { DiagnosticSection, FeatureModule, GuildFeature, GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobOutcome } from '../../runtime/outbox.ts';
import { type ApprovalMirror, isApprovalDesk } from '../moderation/approval-peers.ts';
import type { StoredApproval } from '../moderation/store.ts';
import { describeTelegramError, isPermanent, TelegramClient } from './client.ts';
import { handleTelegramCommand, telegramCommand } from './commands.ts';
import { guildPermissions, parseCallbackData, parseLinkCommand } from './rules.ts';
import { TELEGRAM_SCHEMA, TelegramStore } from './store.ts';
import { answerText, approvalKeyboard, approvalText } from './views.ts';

/** Outbox jobs: post an approval to the chat, and show its current state there. One lane, so a render follows its post. */
export const TELEGRAM_JOBS = { post: 'tg-post', render: 'tg-render' } as const;
const LANE = 'telegram';

/** The parts of a Telegram update we act on (https://core.telegram.org/bots/api#update). */
export interface TgUpdate {
  update_id: number;
  message?: { message_id: number; chat: { id: number }; from?: TgUser; text?: string };
  callback_query?: { id: string; from: TgUser; data?: string; message?: { message_id: number; chat: { id: number } } };
}
interface TgUser {
  id: number;
  language_code?: string;
}

/** What the webhook learns from the guild: nothing it would show Telegram beyond the answers already sent. */
export type UpdateOutcome = 'decided' | 'refused' | 'linked' | 'ignored' | 'off';

/**
 * The optional Telegram copy of the mod queue: each new approval is also
 * sent to the guild's Telegram chat with Approve / Reject buttons, and a
 * linked moderator's press decides it through moderation's own rule (once,
 * whichever side is first). Off without TELEGRAM_BOT_TOKEN or a chat.
 */
export class GuildTelegram implements GuildFeature, ApprovalMirror {
  private readonly host: GuildHost;
  readonly store: TelegramStore;
  private readonly client: TelegramClient | null;

  constructor(host: GuildHost) {
    this.host = host;
    this.store = new TelegramStore(host.sql);
    this.client = host.config.telegram ? new TelegramClient(host.config.telegram) : null;
  }

  command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
    return handleTelegramCommand(this.store, this.client !== null, i, call);
  }

  approvalRequested(a: StoredApproval): void {
    const chatId = this.store.chatId();
    if (!this.client || !chatId) return;
    this.store.savePost({ approvalId: a.id, chatId, messageId: null }, now());
    this.host.enqueue(TELEGRAM_JOBS.post, { approvalId: a.id }, { lane: LANE });
    this.host.kick();
  }

  approvalChanged(a: StoredApproval): void {
    if (!this.client || !this.store.post(a.id)) return;
    this.host.enqueue(TELEGRAM_JOBS.render, { approvalId: a.id }, { lane: LANE });
    this.host.kick();
  }

  async runJob(job: Job<string>): Promise<JobOutcome> {
    const id = String((job.payload as { approvalId?: string }).approvalId ?? '');
    switch (job.kind) {
      case TELEGRAM_JOBS.post:
        return this.post(id);
      case TELEGRAM_JOBS.render:
        return this.render(id);
    }
    return 'done';
  }

  private approval(id: string): StoredApproval | null {
    return this.host.peer(isApprovalDesk)?.approval(id) ?? null;
  }

  private async post(id: string): Promise<JobOutcome> {
    const p = this.store.post(id);
    const a = this.approval(id);
    if (!this.client || !p || p.messageId !== null || !a) return 'done';
    const locale = guildLocale(this.host.sql);
    const r = await this.client.sendMessage(p.chatId, approvalText(this.guildId, a, locale), approvalKeyboard(this.guildId, a, locale));
    if (!r.ok) return this.failed(`approval #${id} to chat ${p.chatId}`, r.error);
    this.store.savePost({ ...p, messageId: r.value.message_id }, now());
    // Decided while the message was on its way: show the outcome.
    if (this.approval(id)?.status !== 'pending') this.host.enqueue(TELEGRAM_JOBS.render, { approvalId: id }, { lane: LANE });
    return 'done';
  }

  private async render(id: string): Promise<JobOutcome> {
    const p = this.store.post(id);
    const a = this.approval(id);
    if (!this.client || !p || p.messageId === null || !a) return 'done';
    const locale = guildLocale(this.host.sql);
    const r = await this.client.editMessageText(p.chatId, p.messageId, approvalText(this.guildId, a, locale), approvalKeyboard(this.guildId, a, locale));
    if (!r.ok && r.error.kind === 'telegram' && r.error.description.includes('message is not modified')) return 'done';
    return r.ok ? 'done' : this.failed(`approval #${id} edit in chat ${p.chatId}`, r.error);
  }

  private failed(what: string, e: Parameters<typeof describeTelegramError>[0]): JobOutcome {
    if (isPermanent(e)) {
      console.error(`telegram: guild ${this.guildId}: ${what}: ${describeTelegramError(e)} (given up)`);
      return 'done';
    }
    console.warn(`telegram: guild ${this.guildId}: ${what}: ${describeTelegramError(e)} (will retry)`);
    // Telegram's flood control says how long to wait: asking sooner only earns another 429.
    if (e.kind === 'telegram' && e.status === 429 && e.retryAfter !== undefined) return { retryAfterMs: e.retryAfter * 1000 };
    return 'retry';
  }

  private get guildId(): string {
    return this.host.guildId;
  }

  /** One update from the webhook (its secret checked by the route): a button press, or `/link CODE`. */
  async update(u: TgUpdate): Promise<UpdateOutcome> {
    if (!this.client) return 'off';
    if (u.callback_query) return this.press(u.callback_query);
    if (u.message?.from && parseLinkCommand(u.message.text)) return this.link(u.message as Required<NonNullable<TgUpdate['message']>>);
    return 'ignored';
  }

  private async press(q: NonNullable<TgUpdate['callback_query']>): Promise<UpdateOutcome> {
    const locale = q.from.language_code ?? guildLocale(this.host.sql);
    const refuse = async (code: string, text: string): Promise<UpdateOutcome> => {
      await this.answer(q.id, text, true);
      this.audit(q.from.id, 'refused', code, '');
      return 'refused';
    };
    const data = parseCallbackData(q.data);
    const post = data ? this.store.post(data.approvalId) : null;
    // Only our own buttons, on the message we posted for that request.
    if (!data || data.guildId !== this.guildId || !post || post.messageId !== q.message?.message_id || post.chatId !== String(q.message?.chat.id)) {
      return refuse('unknown-button', tr(locale, 'telegram.cb.unknown'));
    }
    const desk = this.host.peer(isApprovalDesk);
    if (!desk) return refuse('off', tr(locale, 'telegram.cb.off'));
    const discordUser = this.store.discordUserOf(String(q.from.id));
    if (!discordUser) return refuse('not-linked', tr(locale, 'telegram.cb.not-linked'));
    const perms = await this.permissionsOf(discordUser);
    if (!perms.ok) return refuse(perms.error, tr(locale, perms.error === 'not-member' ? 'telegram.cb.not-member' : 'telegram.cb.discord-down'));
    // Moderation's own rule, written synchronously: the first decision wins on either side.
    const r = desk.decideApproval(data.approvalId, data.choice, { id: discordUser, permissions: perms.value }, 'telegram', locale);
    if (!r.ok) {
      await this.answer(q.id, answerText(r.error.text), true);
      this.audit(q.from.id, 'refused', r.error.code, `approval #${data.approvalId} as <@${discordUser}>`);
      return 'refused';
    }
    await this.answer(q.id, tr(locale, 'telegram.cb.done', { status: r.approval.status }), false);
    return 'decided';
  }

  private async answer(id: string, text: string, alert: boolean): Promise<void> {
    const r = await this.client!.answerCallbackQuery(id, answerText(text), alert);
    // The decision stands either way; a lost answer only leaves the person's spinner running.
    if (!r.ok) console.warn(`telegram: guild ${this.guildId}: answerCallbackQuery: ${describeTelegramError(r.error)}`);
  }

  private async link(m: Required<NonNullable<TgUpdate['message']>>): Promise<UpdateOutcome> {
    const parsed = parseLinkCommand(m.text)!;
    const locale = m.from.language_code ?? guildLocale(this.host.sql);
    const discordUser = parsed.guildId === this.guildId ? this.store.takeCode(parsed.code, now()) : null;
    if (discordUser) this.store.link(String(m.from.id), discordUser, now());
    this.audit(m.from.id, discordUser ? 'ok' : 'refused:bad-code', discordUser ? 'link' : 'bad-code', discordUser ? `linked to <@${discordUser}>` : '');
    const text = discordUser ? tr(locale, 'telegram.link.done', { user: discordUser }) : tr(locale, 'telegram.link.bad-code');
    const r = await this.client!.sendMessage(String(m.chat.id), text);
    if (!r.ok) console.warn(`telegram: guild ${this.guildId}: link reply: ${describeTelegramError(r.error)}`);
    return discordUser ? 'linked' : 'refused';
  }

  /** The linked member's guild permissions, from Discord now (not from when they linked). */
  private async permissionsOf(userId: string): Promise<{ ok: true; value: string } | { ok: false; error: 'not-member' | 'discord-down' }> {
    const g = this.guildId;
    const rest = this.host.rest;
    const [member, guild, roles] = await Promise.all([
      rest.get<APIGuildMember>(Routes.guildMember(g, userId)),
      rest.get<APIGuild>(Routes.guild(g)),
      rest.get<APIRole[]>(Routes.guildRoles(g)),
    ]);
    if (!member.ok) {
      if (member.error.kind === 'discord' && member.error.status === 404) return { ok: false, error: 'not-member' };
      console.warn(`telegram: guild ${g}: member ${userId}: ${describeRestError(member.error)}`);
      return { ok: false, error: 'discord-down' };
    }
    if (!guild.ok || !roles.ok) return { ok: false, error: 'discord-down' };
    return { ok: true, value: guildPermissions({ userId, roles: member.value.roles }, roles.value, guild.value.owner_id, g) };
  }

  private audit(telegramUserId: number, outcome: string, action: string, detail: string): void {
    this.host.audit({
      at: now(),
      guildId: this.guildId,
      userId: `telegram:${telegramUserId}`,
      action: `telegram ${action}`,
      outcome: outcome === 'refused' ? `refused:${action}` : outcome,
      latencyMs: 0,
      detail,
    });
  }

  diagnose(locale: string | undefined): DiagnosticSection {
    const chat = this.store.chatId();
    return {
      feature: 'telegram',
      ok: true,
      lines: [
        this.client ? tr(locale, 'telegram.status', { chat: chat ?? 'none', count: this.store.linkCount(), linked: 'none' }) : tr(locale, 'telegram.off'),
      ],
    };
  }

  housekeeping(at: number): void {
    this.store.sweep(at);
  }
}

/** Telegram approvals as a feature: /telegram, the webhook, and the admin route that registers it. */
export const telegram: FeatureModule = {
  name: 'telegram',
  commands: [telegramCommand],
  customIds: [],
  autocomplete: [],
  jobs: Object.values(TELEGRAM_JOBS),
  timers: [],
  events: [],
  intents: 0,
  permissions: 0n,
  migrations: { guild: [{ name: 'telegram-schema', sql: TELEGRAM_SCHEMA }] },
  routes: [
    // Loaded on first use, so Node scripts read these declarations without the Worker runtime.
    { method: 'POST', path: '/telegram/webhook', handle: async (req, env) => (await import('./webhook.ts')).handleTelegramWebhook(req, env) },
    { method: 'POST', path: '/admin/telegram/webhook', handle: async (req, env) => (await import('./webhook.ts')).handleRegisterWebhook(req, env) },
  ],
  guild: (host) => new GuildTelegram(host),
};
