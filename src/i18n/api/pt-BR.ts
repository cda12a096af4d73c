import type { apiEn } from './en.ts';

/** Brazilian Portuguese texts of the REST API; same keys and placeholders as apiEn. */
export const apiPtBR: Record<keyof typeof apiEn, string> = {
  'api.diag.keys': '{count, plural, =0 {Nenhuma chave de API} one {# chave de API} other {# chaves de API}} pode usar a API REST deste servidor.',
  'api.keys.title': 'Chaves de API',
  'api.keys.intro':
    'Uma chave permite que outro programa use a API REST deste servidor, enviada como “Authorization: Bearer <chave>”. Ela é mostrada uma única vez, ao ser criada.',
  'api.keys.none': 'Nenhuma chave ainda.',
  'api.keys.name': 'Nome',
  'api.keys.prefix': 'A chave começa com',
  'api.keys.scope': 'Acesso',
  'api.keys.created': 'Criada',
  'api.keys.last-used': 'Último uso',
  'api.keys.never': 'nunca',
  'api.keys.scope.read': 'somente leitura',
  'api.keys.scope.read-write': 'leitura e alteração',
  'api.keys.create': 'Criar chave',
  'api.keys.revoke': 'Revogar',
  'api.keys.new': 'Sua nova chave. Copie agora: ela não será mostrada de novo.',
  'api.keys.bad-input': 'A chave não foi criada: {error}.',
  'api.keys.docs': 'Referência da API (OpenAPI)',
};
