import type { apiEn } from './en.ts';

/** French texts of the REST API; same keys and placeholders as apiEn. */
export const apiFr: Record<keyof typeof apiEn, string> = {
  'api.diag.keys': '{count, plural, =0 {Aucune clé d’API} one {# clé d’API} other {# clés d’API}} peut utiliser l’API REST de ce serveur.',
  'api.keys.title': 'Clés d’API',
  'api.keys.intro':
    'Une clé permet à un autre programme d’utiliser l’API REST de ce serveur, envoyée comme « Authorization: Bearer <clé> ». Elle n’est affichée qu’une fois, à sa création.',
  'api.keys.none': 'Aucune clé pour l’instant.',
  'api.keys.name': 'Nom',
  'api.keys.prefix': 'La clé commence par',
  'api.keys.scope': 'Accès',
  'api.keys.created': 'Créée',
  'api.keys.last-used': 'Dernière utilisation',
  'api.keys.never': 'jamais',
  'api.keys.scope.read': 'lecture seule',
  'api.keys.scope.read-write': 'lecture et modification',
  'api.keys.create': 'Créer une clé',
  'api.keys.revoke': 'Révoquer',
  'api.keys.new': 'Votre nouvelle clé. Copiez-la maintenant : elle ne sera plus affichée.',
  'api.keys.bad-input': 'La clé n’a pas été créée : {error}.',
  'api.keys.docs': 'Référence de l’API (OpenAPI)',
};
