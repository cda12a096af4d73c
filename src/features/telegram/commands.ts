import {
  type APIChatInputApplicationCommandInteraction,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits as P,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import { ephemeral, type Handled } from '../../discord/handled.ts';
import { invokerOf, reply, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { permissionBits } from '../../discord/permissions.ts';
import { hasAnyPermission } from '../../discord/staff-permissions.ts';
import { t as tr } from '../../i18n/index.ts';
import { now } from '../../runtime/clock.ts';
import { LINK_CODE_TTL_MS, newLinkCode, parseChatId } from './rules.ts';
import type { TelegramStore } from './store.ts';

/** `/telegram`: where the mod queue's copy goes on Telegram (administrators), and moderators' account links. */
export const telegramCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'telegram',
  description: 'Approvals of the mod queue on Telegram (optional)',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(P.ManageMessages),
  options: [
    {
      type: T.Subcommand,
      name: 'chat',
      description: 'Administrators: also send new approvals to this Telegram chat',
      options: [{ type: T.String, name: 'id', description: 'The Telegram chat id (a group is negative, e.g. -1001234567890)', required: true, max_length: 20 }],
    },
    { type: T.Subcommand, name: 'off', description: 'Administrators: stop sending approvals to Telegram' },
    { type: T.Subcommand, name: 'link', description: 'Get a one-time code to link your Telegram account (to approve from Telegram)' },
    { type: T.Subcommand, name: 'unlink', description: 'Unlink your Telegram account' },
    { type: T.Subcommand, name: 'status', description: 'Whether Telegram approvals are on, and where they go' },
  ],
};

const refused = (code: string, message: string): Handled => ({ response: reply(ephemeral(message)), outcome: `refused:${code}`, detail: '' });
const answer = (message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: 'ok', detail });

/** Moderators: who can decide some approval (kick, ban or deleting messages). */
const DECIDERS = P.KickMembers | P.BanMembers | P.ManageMessages | P.Administrator;

/** `/telegram …`; `on`: whether the deployment has a Telegram bot token. Bad input changes nothing. */
export function handleTelegramCommand(store: TelegramStore, on: boolean, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
  const locale = i.locale;
  const inv = invokerOf(i);
  const admin = hasAnyPermission(inv.permissions, P.Administrator);
  if (!on && call.path !== 'telegram status' && call.path !== 'telegram unlink') return refused('off', tr(locale, 'telegram.off'));
  switch (call.path) {
    case 'telegram chat': {
      if (!admin) return refused('not-admin', tr(locale, 'telegram.not-admin'));
      const raw = stringOption(call, 'id') ?? '';
      const id = parseChatId(raw);
      if (!id.ok) return refused('bad-input', tr(locale, 'telegram.bad-chat-id', { value: raw.slice(0, 20) }));
      store.setChatId(id.value);
      return answer(tr(locale, 'telegram.chat-set', { chat: id.value }), `chat ${id.value}`);
    }
    case 'telegram off': {
      if (!admin) return refused('not-admin', tr(locale, 'telegram.not-admin'));
      if (!store.chatId()) return answer(tr(locale, 'telegram.chat-none'));
      store.setChatId(null);
      return answer(tr(locale, 'telegram.chat-cleared'), 'chat cleared');
    }
    case 'telegram link': {
      if (!hasAnyPermission(inv.permissions, DECIDERS)) return refused('not-staff', tr(locale, 'telegram.not-staff'));
      const code = newLinkCode(i.guild_id ?? '');
      store.addCode(code, inv.userId, now() + LINK_CODE_TTL_MS);
      // The code is the member's alone (an ephemeral reply) and is not written to the audit log.
      return answer(tr(locale, 'telegram.link-code', { code, minutes: LINK_CODE_TTL_MS / 60_000 }));
    }
    case 'telegram unlink':
      return store.unlink(inv.userId) ? answer(tr(locale, 'telegram.unlinked'), 'unlinked') : answer(tr(locale, 'telegram.not-linked'));
    case 'telegram status': {
      const chat = store.chatId();
      if (!on) return answer(tr(locale, 'telegram.off'));
      return answer(tr(locale, 'telegram.status', { chat: chat ?? 'none', count: store.linkCount(), linked: store.isLinked(inv.userId) ? 'yes' : 'no' }));
    }
  }
  return refused('unknown-command', tr(locale, 'common.not-a-command', { command: call.path }));
}
