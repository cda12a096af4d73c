import type { apiEn } from './en.ts';

/** German texts of the REST API; same keys and placeholders as apiEn. */
export const apiDe: Record<keyof typeof apiEn, string> = {
  'api.diag.keys': '{count, plural, =0 {Kein API-Schlüssel} one {# API-Schlüssel} other {# API-Schlüssel}} kann die REST-API dieses Servers nutzen.',
  'api.keys.title': 'API-Schlüssel',
  'api.keys.intro':
    'Mit einem Schlüssel kann ein anderes Programm die REST-API dieses Servers nutzen, gesendet als „Authorization: Bearer <Schlüssel>“. Er wird nur einmal angezeigt, beim Erstellen.',
  'api.keys.none': 'Noch keine Schlüssel.',
  'api.keys.name': 'Name',
  'api.keys.prefix': 'Schlüssel beginnt mit',
  'api.keys.scope': 'Zugriff',
  'api.keys.created': 'Erstellt',
  'api.keys.last-used': 'Zuletzt benutzt',
  'api.keys.never': 'nie',
  'api.keys.scope.read': 'nur lesen',
  'api.keys.scope.read-write': 'lesen und ändern',
  'api.keys.create': 'Schlüssel erstellen',
  'api.keys.revoke': 'Widerrufen',
  'api.keys.new': 'Dein neuer Schlüssel. Kopiere ihn jetzt: Er wird nicht noch einmal angezeigt.',
  'api.keys.bad-input': 'Der Schlüssel wurde nicht erstellt: {error}.',
  'api.keys.docs': 'API-Referenz (OpenAPI)',
};
