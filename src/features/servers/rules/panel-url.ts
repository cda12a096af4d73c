import { err, ok, type Result } from '../../../lib/result.ts';

export type PanelUrlError = 'not-a-url' | 'not-http' | 'plain-http' | 'has-credentials' | 'has-query';

/**
 * The panel's base URL as an admin typed it, normalised (no trailing slash,
 * no `/api/client` suffix copied from the docs). `https://` only, unless the
 * deployment allows plain HTTP (local runs and tests): a client key sent in
 * clear text is a key given away.
 */
export function parsePanelUrl(input: string, allowHttp: boolean): Result<string, PanelUrlError> {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    return err('not-a-url');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return err('not-http');
  if (u.protocol === 'http:' && !allowHttp) return err('plain-http');
  if (u.username || u.password) return err('has-credentials');
  if (u.search || u.hash) return err('has-query');
  const path = u.pathname.replace(/\/+$/, '').replace(/\/api\/client$/, '');
  return ok(`${u.origin}${path}`);
}
