import { err, ok, type Result } from '../lib/result.ts';
import { DEFAULT_API_BASE } from './api-base.ts';

/** Why an attachment was not downloaded: always a value, never a throw. */
export type AttachmentError =
  | { kind: 'too-large'; size: number; maxBytes: number }
  | { kind: 'bad-host'; host: string }
  | { kind: 'network'; message: string }
  | { kind: 'http'; status: number };

/** Discord's CDN hosts: attachment `url` is on the first, `proxy_url` on the second. */
const CDN_HOSTS = new Set(['cdn.discordapp.com', 'media.discordapp.net']);
const TIMEOUT_MS = 5000;

/**
 * Downloads a message attachment's bytes, for imports (CSV, JSON, Markdown)
 * that members upload. Only Discord's CDN (https) or the origin of the
 * configured API base (the simulator, when DISCORD_API_BASE points at it) is
 * fetched, so a crafted attachment cannot make the bot reach other hosts; the
 * size is checked before fetching and again while reading, so a large file is
 * never held in memory; redirects are not followed; the whole download has
 * 5 seconds.
 */
export async function fetchAttachment(att: { url: string; size: number }, apiBase: string, maxBytes: number): Promise<Result<Uint8Array, AttachmentError>> {
  if (!(att.size <= maxBytes)) return err({ kind: 'too-large', size: att.size, maxBytes });
  let url: URL;
  try {
    url = new URL(att.url);
  } catch {
    return err({ kind: 'bad-host', host: '' });
  }
  const apiOrigin = new URL(apiBase || DEFAULT_API_BASE).origin;
  const allowed = (url.protocol === 'https:' && CDN_HOSTS.has(url.hostname)) || url.origin === apiOrigin;
  if (!allowed || url.username || url.password) return err({ kind: 'bad-host', host: url.host });

  let res: Response;
  try {
    res = await fetch(url.toString(), { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    return err({ kind: 'network', message: e instanceof Error ? e.message : String(e) });
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    return err({ kind: 'http', status: res.status });
  }
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    return err({ kind: 'too-large', size: declared, maxBytes });
  }
  if (!res.body) return ok(new Uint8Array(0));
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return err({ kind: 'too-large', size: total, maxBytes });
      }
      chunks.push(value);
    }
  } catch (e) {
    return err({ kind: 'network', message: e instanceof Error ? e.message : String(e) });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return ok(out);
}
