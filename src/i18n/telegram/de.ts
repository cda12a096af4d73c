import type { telegramEn } from './en.ts';

/** German texts of Telegram approvals; same keys and placeholders as telegramEn. */
export const telegramDe: Record<keyof typeof telegramEn, string> = {
  'telegram.off':
    'Freigaben über Telegram sind aus: Diese Installation hat keinen Telegram-Bot. Wer Guildkeep betreibt, setzt dafür das Secret TELEGRAM_BOT_TOKEN.',
  'telegram.not-admin': 'Nur Administratoren können ändern, wohin Freigaben auf Telegram gehen.',
  'telegram.not-staff': 'Nur Moderatoren (Mitglieder kicken, Mitglieder bannen oder Nachrichten verwalten) können ein Telegram-Konto verknüpfen.',
  'telegram.bad-chat-id': '„{value}“ ist keine Telegram-Chat-ID: Nimm die Nummer des Chats (bei Gruppen negativ, z. B. -1001234567890). Nichts wurde geändert.',
  'telegram.chat-set':
    'Neue Freigaben der Mod-Warteschlange gehen jetzt auch an den Telegram-Chat {chat}, mit Buttons zum Freigeben und Ablehnen. Füge den Bot dem Chat hinzu; Moderatoren verknüpfen ihr Telegram-Konto mit /telegram link.',
  'telegram.chat-cleared': 'Freigaben werden nicht mehr an Telegram gesendet.',
  'telegram.chat-none': 'Es war kein Telegram-Chat gesetzt; nichts wurde geändert.',
  'telegram.link-code':
    'Schick das innerhalb von {minutes} Minuten an den Guildkeep-Bot auf Telegram (in einem privaten Chat mit dem Bot): /link {code}\nDer Code gilt einmal.',
  'telegram.unlinked': 'Dein Telegram-Konto ist nicht mehr verknüpft.',
  'telegram.not-linked': 'Mit dir ist kein Telegram-Konto verknüpft.',
  'telegram.status':
    'Freigaben über Telegram: {chat, select, none {kein Chat gesetzt (ein Administrator setzt ihn mit /telegram chat)} other {gehen an Chat {chat}}}. Verknüpfte Moderatoren: {count, number}.{linked, select, yes { Dein Telegram-Konto ist verknüpft.} no { Dein Telegram-Konto ist nicht verknüpft.} other {}}',
  'telegram.button.approve': 'Freigeben',
  'telegram.button.reject': 'Ablehnen',
  'telegram.cb.unknown': 'Mit diesem Button kann Guildkeep nichts anfangen.',
  'telegram.cb.off': 'Freigaben sind für diesen Server gerade nicht verfügbar.',
  'telegram.cb.not-linked': 'Dein Telegram-Konto ist mit keinem Moderator dieses Servers verknüpft. Nutze zuerst /telegram link in Discord.',
  'telegram.cb.not-member': 'Das mit dir verknüpfte Discord-Konto ist kein Mitglied dieses Servers mehr.',
  'telegram.cb.discord-down': 'Discord war nicht erreichbar, um deine Berechtigungen zu prüfen. Nichts wurde geändert; versuch es gleich noch einmal.',
  'telegram.cb.done': '{status, select, approved {Freigegeben.} rejected {Abgelehnt.} other {Erledigt.}}',
  'telegram.link.done': 'Verknüpft: Auf Telegram entscheidest du Freigaben jetzt als Discord-Mitglied {user} dieses Servers.',
  'telegram.link.bad-code': 'Dieser Code ist unbekannt, schon benutzt oder abgelaufen. Hol dir mit /telegram link in Discord einen neuen.',
  'telegram.link.help': 'Um dein Konto zu verknüpfen, schick /link und dahinter den Code, den dir /telegram link in Discord zeigt.',
  'cmd.telegram.description': 'Freigaben der Mod-Warteschlange auf Telegram (optional)',
  'cmd.telegram.chat.description': 'Administratoren: neue Freigaben auch an diesen Telegram-Chat senden',
  'cmd.telegram.chat.id.description': 'Die Telegram-Chat-ID (bei Gruppen negativ, z. B. -1001234567890)',
  'cmd.telegram.off.description': 'Administratoren: keine Freigaben mehr an Telegram senden',
  'cmd.telegram.link.description': 'Einmal-Code holen, um dein Telegram-Konto zu verknüpfen (Freigaben auf Telegram)',
  'cmd.telegram.unlink.description': 'Verknüpfung deines Telegram-Kontos aufheben',
  'cmd.telegram.status.description': 'Ob Freigaben über Telegram an sind und wohin sie gehen',
  'cmd.telegram.name': 'telegram',
  'cmd.telegram.chat.name': 'chat',
  'cmd.telegram.chat.id.name': 'id',
  'cmd.telegram.off.name': 'aus',
  'cmd.telegram.link.name': 'verknüpfen',
  'cmd.telegram.unlink.name': 'trennen',
  'cmd.telegram.status.name': 'status',
};
