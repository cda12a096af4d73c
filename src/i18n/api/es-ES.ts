import type { apiEn } from './en.ts';

/** Spanish texts of the REST API; same keys and placeholders as apiEn. */
export const apiEsES: Record<keyof typeof apiEn, string> = {
  'api.diag.keys': '{count, plural, =0 {Ninguna clave de API} one {# clave de API} other {# claves de API}} puede usar la API REST de este servidor.',
  'api.keys.title': 'Claves de API',
  'api.keys.intro':
    'Una clave permite a otro programa usar la API REST de este servidor, enviada como «Authorization: Bearer <clave>». Solo se muestra una vez, al crearla.',
  'api.keys.none': 'Aún no hay claves.',
  'api.keys.name': 'Nombre',
  'api.keys.prefix': 'La clave empieza por',
  'api.keys.scope': 'Acceso',
  'api.keys.created': 'Creada',
  'api.keys.last-used': 'Último uso',
  'api.keys.never': 'nunca',
  'api.keys.scope.read': 'solo lectura',
  'api.keys.scope.read-write': 'lectura y cambios',
  'api.keys.create': 'Crear clave',
  'api.keys.revoke': 'Revocar',
  'api.keys.new': 'Tu nueva clave. Cópiala ahora: no se volverá a mostrar.',
  'api.keys.bad-input': 'La clave no se ha creado: {error}.',
  'api.keys.docs': 'Referencia de la API (OpenAPI)',
};
