import { t as tr } from '../../i18n/index.ts';
import type { StoredApproval } from '../moderation/store.ts';
import { approvalMessage } from '../moderation/views.ts';
import type { InlineKeyboard } from './client.ts';
import { callbackData, TEXT_MAX } from './rules.ts';

/**
 * Discord markup as plain Telegram text: mentions as ids, timestamps as UTC
 * times, bold markers dropped (messages are sent without a parse_mode, so
 * nothing a member wrote is read as markup).
 */
export function plain(s: string): string {
  return s
    .replace(/<@!?(\d+)>/g, '@$1')
    .replace(/<#(\d+)>/g, '#$1')
    .replace(/<@&(\d+)>/g, '@&$1')
    .replace(/<t:(\d+)(?::[tTdDfFR])?>/g, (_, sec: string) => `${new Date(Number(sec) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`)
    .replace(/\*\*(.*?)\*\*/g, '$1');
}

/** The approval as one Telegram message: the same title, description and fields as the Discord queue message. */
export function approvalText(guildId: string, a: StoredApproval, locale: string | undefined): string {
  const e = approvalMessage(guildId, a, locale).embeds[0]!;
  const parts = [e.title ?? '', (e.description ?? '').trim(), ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`)].filter(Boolean);
  const text = plain(parts.join('\n\n'));
  return text.length > TEXT_MAX ? `${text.slice(0, TEXT_MAX - 1)}…` : text;
}

/** Approve and Reject, while the request is pending; none once it is decided. */
export function approvalKeyboard(guildId: string, a: StoredApproval, locale: string | undefined): InlineKeyboard | undefined {
  if (a.status !== 'pending') return undefined;
  return {
    inline_keyboard: [
      [
        { text: tr(locale, 'telegram.button.approve'), callback_data: callbackData({ guildId, approvalId: a.id, choice: 'approve' }) },
        { text: tr(locale, 'telegram.button.reject'), callback_data: callbackData({ guildId, approvalId: a.id, choice: 'reject' }) },
      ],
    ],
  };
}

/** A short answer for answerCallbackQuery (at most 200 characters, plain). */
export const answerText = (s: string): string => {
  const p = plain(s);
  return p.length > 200 ? `${p.slice(0, 199)}…` : p;
};
