import { type Text, text } from '../../../i18n/text.ts';
import { err, ok, type Result } from '../../../lib/result.ts';
import { stripInvisible } from './normalize.ts';

/**
 * Links in message text: Discord invite codes (with the common obfuscations:
 * spaces around the dot or slash, "(.)", "[.]", "dot", zero-width characters,
 * fullwidth letters) and the host names of http(s) links.
 */

const DOT = String.raw`\s{0,3}(?:\.|\(\.\)|\[\.\]|\(dot\)|\[dot\]|\bdot\b)\s{0,3}`;
const SLASH = String.raw`\s{0,3}/\s{0,3}`;
const CODE = String.raw`([a-z0-9-]{2,32})`;
// Fixed, bounded repetitions only: this pattern is ours and linear on V8.
const INVITE = new RegExp(String.raw`discord(?:app)?${DOT}com${SLASH}invite${SLASH}${CODE}|discord${DOT}gg${SLASH}(?:invite${SLASH})?${CODE}`, 'gi');

/** Invite codes mentioned in `text`, as written (codes are case-sensitive), without duplicates. */
export function findInviteCodes(text: string): string[] {
  const t = stripInvisible(text).normalize('NFKC');
  const out = new Set<string>();
  for (const m of t.matchAll(INVITE)) {
    const code = m[1] ?? m[2];
    if (code) out.add(code);
  }
  return [...out];
}

const URL_HOST = /\bhttps?:\/\/(?:[^\s/?#@<>"'()[\]]{1,256}@)?([^\s/?#:<>"'()[\]|*`~]{1,253})/gi;

/** Lower-case ASCII (punycode) form of a host name, or null when it is not one. */
export function normalizeHost(host: string): string | null {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (!h || h.length > 253) return null;
  if (!URL.canParse(`http://${h}/`)) return null;
  const name = new URL(`http://${h}/`).hostname;
  return name.includes('.') || name === 'localhost' ? name : null;
}

/** Host names of the http(s) links in `text`, normalized and without duplicates. */
export function findLinkHosts(text: string): string[] {
  const t = stripInvisible(text).normalize('NFKC');
  const out = new Set<string>();
  for (const m of t.matchAll(URL_HOST)) {
    const host = normalizeHost(m[1]!);
    if (host) out.add(host);
  }
  return [...out];
}

/** A set of domains where each also covers its subdomains. */
export interface DomainList {
  readonly domains: ReadonlySet<string>;
}

/** Parses admin input such as "example.com", "*.example.com" or "https://example.com/x" into a domain. */
export function parseDomain(input: string): Result<string, Text> {
  let s = input.trim().toLowerCase();
  s = s
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/^\*\./, '');
  const host = normalizeHost(s);
  if (!host || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) return err(text('rule.not-domain', { value: input }));
  return ok(host);
}

export const domainList = (domains: Iterable<string>): DomainList => ({ domains: new Set(domains) });

/** Whether `host` is one of the domains or a subdomain of one (a.b.example.com is under example.com). */
export function hostInList(host: string, list: DomainList): boolean {
  if (list.domains.size === 0) return false;
  let h = host;
  for (;;) {
    if (list.domains.has(h)) return true;
    const dot = h.indexOf('.');
    if (dot < 0) return false;
    h = h.slice(dot + 1);
  }
}
