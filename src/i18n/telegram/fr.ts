import type { telegramEn } from './en.ts';

/** French texts of Telegram approvals; same keys and placeholders as telegramEn. */
export const telegramFr: Record<keyof typeof telegramEn, string> = {
  'telegram.off':
    'Les validations sur Telegram sont désactivées : ce déploiement n’a pas de bot Telegram. La personne qui exploite Guildkeep définit le secret TELEGRAM_BOT_TOKEN pour les activer.',
  'telegram.not-admin': 'Seuls les administrateurs peuvent changer où vont les validations sur Telegram.',
  'telegram.not-staff': 'Seuls les modérateurs (Expulser, Bannir ou Gérer les messages) peuvent lier un compte Telegram.',
  'telegram.bad-chat-id':
    '« {value} » n’est pas un identifiant de discussion Telegram : utilisez le numéro de la discussion (négatif pour un groupe, p. ex. -1001234567890). Rien n’a été modifié.',
  'telegram.chat-set':
    'Les nouvelles demandes de la file de modération sont désormais aussi envoyées à la discussion Telegram {chat}, avec des boutons Approuver et Refuser. Ajoutez le bot à cette discussion ; les modérateurs lient leur compte Telegram avec /telegram link.',
  'telegram.chat-cleared': 'Les validations ne sont plus envoyées sur Telegram.',
  'telegram.chat-none': 'Aucune discussion Telegram n’était définie ; rien n’a changé.',
  'telegram.link-code':
    'Envoyez ceci au bot Guildkeep sur Telegram dans les {minutes} minutes (dans une discussion privée avec le bot) : /link {code}\nLe code ne sert qu’une fois.',
  'telegram.unlinked': 'Votre compte Telegram n’est plus lié.',
  'telegram.not-linked': 'Aucun compte Telegram n’est lié à vous.',
  'telegram.status':
    'Validations sur Telegram : {chat, select, none {aucune discussion définie (un administrateur la définit avec /telegram chat)} other {envoyées à la discussion {chat}}}. Modérateurs liés : {count, number}.{linked, select, yes { Votre compte Telegram est lié.} no { Votre compte Telegram n’est pas lié.} other {}}',
  'telegram.button.approve': 'Approuver',
  'telegram.button.reject': 'Refuser',
  'telegram.cb.unknown': 'Guildkeep ne peut rien faire de ce bouton.',
  'telegram.cb.off': 'Les validations ne sont pas disponibles pour ce serveur en ce moment.',
  'telegram.cb.not-linked': 'Votre compte Telegram n’est lié à aucun modérateur de ce serveur. Utilisez d’abord /telegram link dans Discord.',
  'telegram.cb.not-member': 'Le compte Discord lié au vôtre n’est plus membre de ce serveur.',
  'telegram.cb.discord-down': 'Discord n’a pas pu être joint pour vérifier vos permissions. Rien n’a été modifié ; réessayez dans un instant.',
  'telegram.cb.done': '{status, select, approved {Approuvé.} rejected {Refusé.} other {Fait.}}',
  'telegram.link.done': 'Lié : sur Telegram, vous décidez désormais des validations en tant que membre Discord {user} de ce serveur.',
  'telegram.link.bad-code': 'Ce code est inconnu, déjà utilisé ou expiré. Obtenez-en un nouveau avec /telegram link dans Discord.',
  'telegram.link.help': 'Pour lier votre compte, envoyez /link suivi du code que /telegram link vous montre dans Discord.',
  'cmd.telegram.description': 'Validations de la file de modération sur Telegram (facultatif)',
  'cmd.telegram.chat.description': 'Administrateurs : envoyer aussi les nouvelles demandes à cette discussion Telegram',
  'cmd.telegram.chat.id.description': 'L’identifiant de la discussion Telegram (négatif pour un groupe, p. ex. -1001234567890)',
  'cmd.telegram.off.description': 'Administrateurs : ne plus envoyer les validations sur Telegram',
  'cmd.telegram.link.description': 'Obtenir un code à usage unique pour lier votre compte Telegram',
  'cmd.telegram.unlink.description': 'Délier votre compte Telegram',
  'cmd.telegram.status.description': 'Si les validations sur Telegram sont actives, et où elles vont',
  'cmd.telegram.name': 'telegram',
  'cmd.telegram.chat.name': 'discussion',
  'cmd.telegram.chat.id.name': 'id',
  'cmd.telegram.off.name': 'désactiver',
  'cmd.telegram.link.name': 'lier',
  'cmd.telegram.unlink.name': 'délier',
  'cmd.telegram.status.name': 'statut',
};
