import type { telegramEn } from './en.ts';

/** Spanish (Spain) texts of Telegram approvals; same keys and placeholders as telegramEn. */
export const telegramEsES: Record<keyof typeof telegramEn, string> = {
  'telegram.off':
    'Las aprobaciones por Telegram están desactivadas: este despliegue no tiene bot de Telegram. Quien gestiona Guildkeep define el secreto TELEGRAM_BOT_TOKEN para activarlas.',
  'telegram.not-admin': 'Solo los administradores pueden cambiar adónde van las aprobaciones en Telegram.',
  'telegram.not-staff': 'Solo los moderadores (Expulsar, Banear o Gestionar mensajes) pueden vincular una cuenta de Telegram.',
  'telegram.bad-chat-id':
    '«{value}» no es un id de chat de Telegram: usa el número del chat (el de un grupo es negativo, p. ej. -1001234567890). No se ha cambiado nada.',
  'telegram.chat-set':
    'Las nuevas solicitudes de la cola de moderación ahora también se envían al chat de Telegram {chat}, con botones Aprobar y Rechazar. Añade el bot a ese chat; los moderadores vinculan su cuenta de Telegram con /telegram link.',
  'telegram.chat-cleared': 'Las aprobaciones ya no se envían a Telegram.',
  'telegram.chat-none': 'No había ningún chat de Telegram; no ha cambiado nada.',
  'telegram.link-code':
    'Envía esto al bot de Guildkeep en Telegram en los próximos {minutes} minutos (en un chat privado con el bot): /link {code}\nEl código solo sirve una vez.',
  'telegram.unlinked': 'Tu cuenta de Telegram ya no está vinculada.',
  'telegram.not-linked': 'No tienes ninguna cuenta de Telegram vinculada.',
  'telegram.status':
    'Aprobaciones por Telegram: {chat, select, none {ningún chat definido (un administrador lo define con /telegram chat)} other {se envían al chat {chat}}}. Moderadores vinculados: {count, number}.{linked, select, yes { Tu cuenta de Telegram está vinculada.} no { Tu cuenta de Telegram no está vinculada.} other {}}',
  'telegram.button.approve': 'Aprobar',
  'telegram.button.reject': 'Rechazar',
  'telegram.cb.unknown': 'Guildkeep no puede hacer nada con este botón.',
  'telegram.cb.off': 'Las aprobaciones no están disponibles para este servidor ahora mismo.',
  'telegram.cb.not-linked': 'Tu cuenta de Telegram no está vinculada a ningún moderador de este servidor. Usa primero /telegram link en Discord.',
  'telegram.cb.not-member': 'La cuenta de Discord vinculada a ti ya no es miembro de este servidor.',
  'telegram.cb.discord-down': 'No se pudo contactar con Discord para comprobar tus permisos. No se ha cambiado nada; inténtalo de nuevo en un momento.',
  'telegram.cb.done': '{status, select, approved {Aprobado.} rejected {Rechazado.} other {Hecho.}}',
  'telegram.link.done': 'Vinculado: en Telegram ahora decides aprobaciones como el miembro de Discord {user} de ese servidor.',
  'telegram.link.bad-code': 'Ese código es desconocido, ya se usó o ha caducado. Consigue uno nuevo con /telegram link en Discord.',
  'telegram.link.help': 'Para vincular tu cuenta, envía /link seguido del código que te muestra /telegram link en Discord.',
  'cmd.telegram.description': 'Aprobaciones de la cola de moderación en Telegram (opcional)',
  'cmd.telegram.chat.description': 'Administradores: enviar también las nuevas solicitudes a este chat de Telegram',
  'cmd.telegram.chat.id.description': 'El id del chat de Telegram (el de un grupo es negativo, p. ej. -1001234567890)',
  'cmd.telegram.off.description': 'Administradores: dejar de enviar aprobaciones a Telegram',
  'cmd.telegram.link.description': 'Obtener un código de un solo uso para vincular tu cuenta de Telegram',
  'cmd.telegram.unlink.description': 'Desvincular tu cuenta de Telegram',
  'cmd.telegram.status.description': 'Si las aprobaciones por Telegram están activas y adónde van',
  'cmd.telegram.name': 'telegram',
  'cmd.telegram.chat.name': 'chat',
  'cmd.telegram.chat.id.name': 'id',
  'cmd.telegram.off.name': 'desactivar',
  'cmd.telegram.link.name': 'vincular',
  'cmd.telegram.unlink.name': 'desvincular',
  'cmd.telegram.status.name': 'estado',
};
