/**
 * Headers for the HTML pages Guildkeep serves (staff inbox, appeal form).
 * Both pages handle secrets in the URL fragment, so they must not run
 * injected scripts, be framed by another site (clickjacking a staff action),
 * or have a response reinterpreted as another content type.
 */
export interface PagePolicy {
  /** Where the page's scripts come from: its own origin's files, or inline ones carrying this nonce. */
  scripts: { self: true } | { nonce: string };
  /** Whether the page has its own stylesheet files (`'self'`) or one inline `<style>` with the script nonce. */
  styles: 'self' | 'nonce';
  /** Extra origins the page may connect to (its WebSocket origin). */
  connect?: string[];
}

export function contentSecurityPolicy(p: PagePolicy): string {
  const nonce = 'nonce' in p.scripts ? `'nonce-${p.scripts.nonce}'` : null;
  const directives: [string, string][] = [
    ['default-src', "'none'"],
    ['script-src', nonce ?? "'self'"],
    // Inline style attributes cannot run code; the inbox's markup may carry some.
    ['style-src', p.styles === 'nonce' && nonce ? nonce : "'self' 'unsafe-inline'"],
    ['img-src', "'self' data:"],
    ['connect-src', ["'self'", ...(p.connect ?? [])].join(' ')],
    ['form-action', "'self'"],
    ['base-uri', "'none'"],
    ['object-src', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map(([k, v]) => `${k} ${v}`).join('; ');
}

/** Sets the page headers on `headers` (CSP, no framing, no sniffing, no Referer, no caching). */
export function setPageHeaders(headers: Headers, p: PagePolicy): Headers {
  headers.set('Content-Security-Policy', contentSecurityPolicy(p));
  // For browsers that predate frame-ancestors.
  headers.set('X-Frame-Options', 'DENY');
  headers.set('X-Content-Type-Options', 'nosniff');
  // The token travels in the URL fragment; never let it leak through a Referer.
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('Cache-Control', 'no-store');
  return headers;
}

/** A fresh random nonce for one response's inline script. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
