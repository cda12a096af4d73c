/**
 * English texts of Telegram approvals (src/features/telegram): spread into
 * the English catalog. Same rules as en.ts: ICU MessageFormat, typographic
 * apostrophes (’). Texts sent to Telegram are plain text (no markup).
 */
export const telegramEn = {
  'telegram.off': 'Telegram approvals are off: this deployment has no Telegram bot. Whoever runs Guildkeep sets the TELEGRAM_BOT_TOKEN secret to turn them on.',
  'telegram.not-admin': 'Only administrators can change where approvals go on Telegram.',
  'telegram.not-staff': 'Only moderators (Kick Members, Ban Members or Manage Messages) can link a Telegram account.',
  'telegram.bad-chat-id': '“{value}” is not a Telegram chat id: use the chat’s number (a group’s is negative, e.g. -1001234567890). Nothing was changed.',
  'telegram.chat-set':
    'New approvals of the mod queue now also go to the Telegram chat {chat}, with Approve and Reject buttons. Add the bot to that chat; moderators link their Telegram account with /telegram link.',
  'telegram.chat-cleared': 'Approvals are no longer sent to Telegram.',
  'telegram.chat-none': 'No Telegram chat was set; nothing changed.',
  'telegram.link-code':
    'Send this to the Guildkeep bot on Telegram within {minutes} minutes (in a private chat with the bot): /link {code}\nThe code works once.',
  'telegram.unlinked': 'Your Telegram account is no longer linked.',
  'telegram.not-linked': 'No Telegram account is linked to you.',
  'telegram.status':
    'Telegram approvals: {chat, select, none {no chat set (an administrator sets one with /telegram chat)} other {sent to chat {chat}}}. Linked moderators: {count, number}.{linked, select, yes { Your Telegram account is linked.} no { Your Telegram account is not linked.} other {}}',
  'telegram.button.approve': 'Approve',
  'telegram.button.reject': 'Reject',
  'telegram.cb.unknown': 'This button is not one Guildkeep can act on.',
  'telegram.cb.off': 'Approvals are not available for this server right now.',
  'telegram.cb.not-linked': 'Your Telegram account is not linked to a moderator of this server. Use /telegram link in Discord first.',
  'telegram.cb.not-member': 'The Discord account linked to you is no longer a member of this server.',
  'telegram.cb.discord-down': 'Discord could not be reached to check your permissions. Nothing was changed; try again in a moment.',
  'telegram.cb.done': '{status, select, approved {Approved.} rejected {Rejected.} other {Done.}}',
  'telegram.link.done': 'Linked: on Telegram you now decide approvals as Discord member {user} of that server.',
  'telegram.link.bad-code': 'That code is unknown, already used or expired. Get a new one with /telegram link in Discord.',
  'telegram.link.help': 'To link your account, send /link followed by the code that /telegram link shows you in Discord.',
  'cmd.telegram.description': 'Approvals of the mod queue on Telegram (optional)',
  'cmd.telegram.chat.description': 'Administrators: also send new approvals to this Telegram chat',
  'cmd.telegram.chat.id.description': 'The Telegram chat id (a group is negative, e.g. -1001234567890)',
  'cmd.telegram.off.description': 'Administrators: stop sending approvals to Telegram',
  'cmd.telegram.link.description': 'Get a one-time code to link your Telegram account (to approve from Telegram)',
  'cmd.telegram.unlink.description': 'Unlink your Telegram account',
  'cmd.telegram.status.description': 'Whether Telegram approvals are on, and where they go',
  'cmd.telegram.name': 'telegram',
  'cmd.telegram.chat.name': 'chat',
  'cmd.telegram.chat.id.name': 'id',
  'cmd.telegram.off.name': 'off',
  'cmd.telegram.link.name': 'link',
  'cmd.telegram.unlink.name': 'unlink',
  'cmd.telegram.status.name': 'status',
};
