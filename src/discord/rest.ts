import type { RESTError, RESTRateLimit } from 'discord-api-types/v10';
import { err, ok, type Result } from '../lib/result.ts';
import { sleep } from '../lib/sleep.ts';
import { DEFAULT_API_BASE } from './api-base.ts';
import {
  backoffMs,
  delayBeforeSend,
  isGlobalExempt,
  type LimiterState,
  newLimiterState,
  note429,
  noteResponse,
  noteSent,
  readRateLimitHeaders,
  routeKey,
} from './ratelimit.ts';

/** What a failed Discord call looks like to callers: always a value, never a throw. */
export type RestError =
  | { kind: 'discord'; status: number; code: number; message: string; route: string; errors?: unknown }
  | { kind: 'unauthorized'; route: string; message: string }
  | { kind: 'rate-limited'; route: string; retryAfterS: number; message: string }
  | { kind: 'network'; route: string; message: string };

export interface RestOptions {
  token?: string | undefined;
  apiBase?: string | undefined;
  /** Retries for 429, 5xx and network errors together, per request. */
  maxRetries?: number;
  /** Called once per client when Discord answers 401 (token revoked or wrong). */
  onUnauthorized?: (route: string) => void;
  /** Longest single wait (rate-limit or backoff) a request accepts before giving up, ms. */
  maxWaitMs?: number;
  backoffBaseMs?: number;
  /** Deployment-wide permits for the global limit (see global-permits.ts); without it, only this client's own count applies. */
  globalPermits?: { acquire(background?: boolean): Promise<void>; pause(ms: number): Promise<void> };
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Recorded in the guild's audit log on Discord (X-Audit-Log-Reason). */
  reason?: string;
  /** Work nobody is waiting for: under the global limit it yields to other requests (see global-permits.ts). */
  background?: boolean;
  /**
   * Files to upload with the message: the request becomes multipart/form-data as Discord documents it
   * ("Uploading Files"): `payload_json` carries the body, whose `attachments` gets `{ id: "n", filename }`
   * for each file (merged with entries the body already has; under `data` for an interaction callback),
   * and each file is the part `files[n]`.
   */
  files?: readonly UploadFile[];
}

/** One file for a multipart upload; its index in `files` is its placeholder id in `attachments`. */
export interface UploadFile {
  name: string;
  contentType: string;
  data: Uint8Array;
}

/**
 * Tokens Discord has refused, remembered per isolate so that no actor keeps
 * hammering Discord with a revoked token (Discord bans IPs that send 10,000
 * invalid requests in 10 minutes).
 */
const refusedTokens = new Set<string>();

/** The one way the bot calls Discord's HTTP API. */
export class DiscordRest {
  readonly apiBase: string;
  private readonly token: string | undefined;
  private readonly limits: LimiterState = newLimiterState();
  private readonly maxRetries: number;
  private readonly maxWaitMs: number;
  private readonly backoffBaseMs: number;
  private readonly onUnauthorized: ((route: string) => void) | undefined;
  private readonly globalPermits: RestOptions['globalPermits'];
  /** The tail of each route+resource queue: one request at a time per bucket, as its headers are only known after each response. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Answers since this client was made (an actor's life), for /diagnostics: counts and the last failure, never a body or token. */
  readonly health = { ok: 0, failed: 0, lastFailure: null as { at: number; route: string; kind: string; status?: number } | null };

  constructor(opts: RestOptions) {
    this.apiBase = (opts.apiBase || DEFAULT_API_BASE).replace(/\/$/, '');
    this.token = opts.token;
    this.maxRetries = opts.maxRetries ?? 4;
    this.maxWaitMs = opts.maxWaitMs ?? 60_000;
    this.backoffBaseMs = opts.backoffBaseMs ?? 250;
    this.onUnauthorized = opts.onUnauthorized;
    this.globalPermits = opts.globalPermits;
  }

  get<T>(path: string, o?: RequestOptions) {
    return this.request<T>('GET', path, o);
  }
  post<T>(path: string, o?: RequestOptions) {
    return this.request<T>('POST', path, o);
  }
  patch<T>(path: string, o?: RequestOptions) {
    return this.request<T>('PATCH', path, o);
  }
  put<T>(path: string, o?: RequestOptions) {
    return this.request<T>('PUT', path, o);
  }
  delete<T>(path: string, o?: RequestOptions) {
    return this.request<T>('DELETE', path, o);
  }

  request<T>(method: string, path: string, o: RequestOptions = {}): Promise<Result<T, RestError>> {
    const { route, major } = routeKey(method, path);
    const key = `${route} ${major}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      const r = await this.send<T>(method, path, route, major, o);
      if (r.ok) this.health.ok++;
      else {
        this.health.failed++;
        this.health.lastFailure = { at: Date.now(), route, kind: r.error.kind, ...('status' in r.error ? { status: r.error.status } : {}) };
      }
      return r;
    });
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  private async send<T>(method: string, path: string, route: string, major: string, o: RequestOptions): Promise<Result<T, RestError>> {
    const exempt = isGlobalExempt(path);
    // Interaction callbacks and webhooks authenticate by their token in the path.
    const needsBotAuth = !exempt;
    if (needsBotAuth && (!this.token || refusedTokens.has(this.token))) {
      return err({
        kind: 'unauthorized',
        route,
        message: this.token ? 'Discord refused the bot token earlier (401); not retrying.' : 'DISCORD_TOKEN is not configured.',
      });
    }
    let url = this.apiBase + path;
    if (o.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(o.query)) if (v !== undefined) q.set(k, String(v));
      const s = q.toString();
      if (s) url += `?${s}`;
    }
    const headers: Record<string, string> = { 'User-Agent': 'DiscordBot (https://github.com/guildkeep/guildkeep, 0.1.0)' };
    if (needsBotAuth) headers.Authorization = `Bot ${this.token}`;
    const files = o.files && o.files.length > 0 ? o.files : null;
    // With files, fetch sets the multipart Content-Type (and its boundary) itself.
    if (o.body !== undefined && !files) headers['Content-Type'] = 'application/json';
    if (o.reason) headers['X-Audit-Log-Reason'] = encodeURIComponent(o.reason.slice(0, 512));
    const json = files ? JSON.stringify(payloadWithFiles(path, o.body, files)) : o.body === undefined ? undefined : JSON.stringify(o.body);

    for (let attempt = 0; ; attempt++) {
      const wait = delayBeforeSend(this.limits, route, major, exempt, Date.now());
      if (wait > this.maxWaitMs) return err({ kind: 'rate-limited', route, retryAfterS: wait / 1000, message: `rate limited for ${Math.ceil(wait / 1000)} s` });
      if (wait > 0) {
        await sleep(wait);
        attempt--; // waiting for our own bucket is not a retry
        continue;
      }
      if (!exempt && this.globalPermits) await this.globalPermits.acquire(o.background === true);
      noteSent(this.limits, route, major, exempt, Date.now());
      let res: Response;
      try {
        // A fresh form per attempt, so a retry sends the same parts again rather than a consumed body.
        const body = files ? multipartBody(json!, files) : json;
        res = await fetch(url, { method, headers, body });
      } catch (e) {
        if (attempt >= this.maxRetries) return err({ kind: 'network', route, message: e instanceof Error ? e.message : String(e) });
        await sleep(backoffMs(attempt, this.backoffBaseMs, 10_000, Math.random()));
        continue;
      }
      noteResponse(this.limits, route, major, readRateLimitHeaders(res.headers), Date.now());

      if (res.status === 429) {
        const data = (await res.json().catch(() => ({}))) as Partial<RESTRateLimit>;
        const retryAfterS = typeof data.retry_after === 'number' ? data.retry_after : Number(res.headers.get('retry-after') ?? 1);
        const global = data.global === true || res.headers.get('x-ratelimit-global') === 'true';
        note429(this.limits, route, major, retryAfterS, global, Date.now());
        if (global && this.globalPermits) await this.globalPermits.pause(retryAfterS * 1000);
        if (attempt >= this.maxRetries || retryAfterS * 1000 > this.maxWaitMs) {
          return err({ kind: 'rate-limited', route, retryAfterS, message: data.message ?? 'You are being rate limited.' });
        }
        continue;
      }
      if (res.status === 401 && needsBotAuth) {
        await res.body?.cancel();
        if (this.token && !refusedTokens.has(this.token)) {
          refusedTokens.add(this.token);
          this.onUnauthorized?.(route);
        }
        return err({ kind: 'unauthorized', route, message: 'Discord answered 401: the bot token is invalid or was revoked.' });
      }
      if (res.status >= 500) {
        await res.body?.cancel();
        if (attempt >= this.maxRetries) return err({ kind: 'discord', status: res.status, code: 0, message: `Discord answered ${res.status}`, route });
        await sleep(backoffMs(attempt, this.backoffBaseMs, 10_000, Math.random()));
        continue;
      }
      if (res.status === 204) return ok(undefined as T);
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      if (!res.ok) {
        const e = (parsed ?? {}) as Partial<RESTError>;
        return err({ kind: 'discord', status: res.status, code: e.code ?? 0, message: e.message ?? `HTTP ${res.status}`, route, errors: e.errors });
      }
      return ok(parsed as T);
    }
  }
}

/** The body with one `attachments` entry per file: `{ id: "n", filename }`, keeping what the caller already gave (descriptions, files to keep on an edit). */
export function withAttachments(body: unknown, files: readonly UploadFile[]): Record<string, unknown> {
  const base: Record<string, unknown> = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : {};
  const entries = (Array.isArray(base.attachments) ? base.attachments : []).map((a) =>
    typeof a === 'object' && a !== null ? { ...(a as Record<string, unknown>) } : a,
  ) as unknown[];
  files.forEach((f, n) => {
    const at = entries.findIndex((a) => typeof a === 'object' && a !== null && String((a as { id?: unknown }).id) === String(n));
    // The index as a string: Discord accepts "snowflake or number", its OpenAPI schema only the string.
    if (at >= 0) entries[at] = { filename: f.name, ...(entries[at] as Record<string, unknown>), id: String(n) };
    else entries.push({ id: String(n), filename: f.name });
  });
  base.attachments = entries;
  return base;
}

// An interaction callback carries its message under `data`, so that is where the attachments entries go.
function payloadWithFiles(path: string, body: unknown, files: readonly UploadFile[]): Record<string, unknown> {
  if (!/^\/interactions\/[^/]+\/[^/]+\/callback$/.test(path)) return withAttachments(body, files);
  const callback = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return { ...callback, data: withAttachments(callback.data, files) };
}

function multipartBody(payloadJson: string, files: readonly UploadFile[]): FormData {
  const form = new FormData();
  form.append('payload_json', payloadJson);
  files.forEach((f, n) => {
    form.append(`files[${n}]`, new Blob([f.data], { type: f.contentType }), f.name);
  });
  return form;
}

/** A one-line description of a RestError for logs and staff-facing messages. */
export function describeRestError(e: RestError): string {
  switch (e.kind) {
    case 'discord':
      return `${e.route} failed: ${e.status} ${e.code ? `(${e.code}) ` : ''}${e.message}`;
    default:
      return `${e.route} failed: ${e.message}`;
  }
}
