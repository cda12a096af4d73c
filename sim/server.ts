// The HTTP front: /api/v10 (Discord's REST API, rate-limited, logged and
// spec-checked) and /_sim (the control API for tests, dev and benchmarks).

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { MultipartBody, UploadedFile } from './attachments.ts';
import { parseMultipart } from './attachments.ts';
import { isCdnPath, serveCdn } from './cdn.ts';
import type { Core, Ctx, Handler, HandlerResult } from './context.ts';
import { ok } from './context.ts';
import { handleControl } from './control.ts';
import { apiError, DiscordError, httpError, rateLimitBody } from './errors.ts';
import type { Fault } from './faults.ts';
import { FaultQueue } from './faults.ts';
import { Gateway } from './gateway.ts';
import { InteractionStore } from './interactions.ts';
import type { LogEntry } from './log.ts';
import { CallLog } from './log.ts';
import { isMemberViewPath, serveMemberView } from './member-view.ts';
import type { Bearer } from './oauth2.ts';
import { isOAuthPath, OAuth2 } from './oauth2.ts';
import { OpenApiChecker } from './openapi.ts';
import { basePermissions } from './permissions.ts';
import { RateLimiter } from './ratelimit.ts';
import { reactionHandlers } from './reactions.ts';
import { readBodyBytes } from './read-body.ts';
import { banHandlers } from './rest-bans.ts';
import { channelHandlers } from './rest-channels.ts';
import { commandHandlers } from './rest-commands.ts';
import { dmHandlers } from './rest-dms.ts';
import { guildAdminHandlers } from './rest-guild-admin.ts';
import { guildHandlers, intParam } from './rest-guilds.ts';
import { interactionHandlers } from './rest-interactions.ts';
import { inviteHandlers } from './rest-invites.ts';
import { memberHandlers } from './rest-members.ts';
import type { RouteDef } from './routes.ts';
import { bucketHash, matchRoute, ROUTES, routeKey } from './routes.ts';
import { scheduledEventHandlers } from './scheduled-events.ts';
import { snowflake } from './snowflake.ts';
import type { DemoGuild } from './state.ts';
import { SimState } from './state.ts';
import { FakeTelegram } from './telegram.ts';

export type { DemoGuild } from './state.ts';

export interface SimulatorOptions {
  port?: number;
  applicationId?: string;
  botToken?: string;
  /** The application's OAuth2 client secret (the dashboard's login). */
  clientSecret?: string;
  interactionsUrl?: string;
  seedDemo?: boolean;
  openapiPath?: string | null;
  // Serve the member's view (a web page to act as a guild member) at GET /.
  memberView?: boolean;
}

export interface Simulator {
  url: string;
  apiBase: string;
  port: number;
  applicationId: string;
  publicKeyHex: string;
  botToken: string;
  clientSecret: string;
  demo: DemoGuild | null;
  close(): Promise<void>;
}

const API_PREFIX = '/api/v10';

const HANDLERS: Record<string, Handler> = {
  ...guildHandlers,
  ...channelHandlers,
  ...interactionHandlers,
  ...commandHandlers,
  ...memberHandlers,
  ...banHandlers,
  ...guildAdminHandlers,
  ...inviteHandlers,
  ...dmHandlers,
  // The bot's guilds, or with a user's Bearer token (scope guilds) theirs, with their permissions.
  'GET /users/@me/guilds': (ctx) => {
    const { state, oauth2 } = ctx.core;
    const list = ctx.bearer
      ? oauth2.userGuilds(state, ctx.bearer.userId)
      : [...state.guilds.values()]
          .filter((g) => state.members.get(g.id)?.has(state.applicationId))
          .map((g) => ({ id: g.id, name: g.name, owner: false, permissions: String(basePermissions(state, g.id, state.applicationId)) }));
    const limit = intParam(ctx.query, 'limit', 200, 1, 200);
    const after = ctx.query.get('after');
    const before = ctx.query.get('before');
    const sorted = list
      .map((g) => ({ id: g.id, name: g.name, icon: null, banner: null, owner: g.owner, permissions: g.permissions, features: [] }))
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
      .filter((g) => (!after || BigInt(g.id) > BigInt(after)) && (!before || BigInt(g.id) < BigInt(before)));
    return ok(before && !after ? sorted.slice(-limit) : sorted.slice(0, limit));
  },
  ...reactionHandlers,
  ...scheduledEventHandlers,
  // Shard count and session start limit come from the gateway's config.
  'GET /gateway/bot': (ctx) => ok(ctx.core.gateway.gatewayBot(ctx.now)),
};
for (const def of ROUTES) {
  if (!HANDLERS[routeKey(def)]) throw new Error(`simulator: no handler for ${routeKey(def)}`);
}

function defaultSpecPath(): string {
  if (process.env.DISCORD_OPENAPI_PATH) return process.env.DISCORD_OPENAPI_PATH;
  // sim/ sits in the repository root; the shared folder is its sibling.
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return resolve(repoRoot, '..', 'shared', 'discord-openapi.json');
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  after?: HandlerResult['after'];
}

// Everything one running simulator owns; control.ts reaches in through this.
export class Sim implements Core {
  readonly applicationId: string;
  readonly botToken: string;
  readonly oauth2: OAuth2;
  interactionsUrl: string | undefined;
  readonly seedDemo: boolean;
  readonly memberView: boolean;
  state: SimState;
  interactions: InteractionStore;
  readonly publicKeyHex: string;
  readonly limiter = new RateLimiter();
  readonly log = new CallLog();
  readonly faults = new FaultQueue();
  readonly openapi: OpenApiChecker;
  demo: DemoGuild | null = null;
  port = 0;
  readonly gateway: Gateway;
  /** The fake Telegram Bot API (sim/telegram.ts). */
  readonly telegram = new FakeTelegram();

  constructor(opts: SimulatorOptions) {
    this.applicationId = opts.applicationId ?? snowflake();
    this.botToken = opts.botToken ?? 'sim-bot-token';
    this.oauth2 = new OAuth2(this.applicationId, opts.clientSecret ?? 'sim-client-secret');
    this.interactionsUrl = opts.interactionsUrl;
    this.seedDemo = opts.seedDemo ?? true;
    this.memberView = opts.memberView === true;
    this.state = new SimState(this.applicationId);
    this.interactions = new InteractionStore(this.state);
    this.publicKeyHex = this.interactions.publicKeyHex;
    const spec = opts.openapiPath === undefined ? defaultSpecPath() : opts.openapiPath;
    this.openapi = new OpenApiChecker(spec);
    if (this.seedDemo) this.demo = this.state.createGuild({ name: 'Guildkeep Demo' });
    this.gateway = new Gateway(this);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  info() {
    return {
      url: this.url,
      apiBase: this.url + API_PREFIX,
      applicationId: this.applicationId,
      publicKeyHex: this.publicKeyHex,
      botToken: this.botToken,
      clientSecret: this.oauth2.clientSecret,
      demo: this.demo,
      ...(this.memberView ? { memberViewUrl: this.url + '/' } : {}),
    };
  }

  // Rebuilds all Discord state with a fresh demo guild (new ids); the key
  // pair stays so a running bot keeps verifying signatures.
  reseed(): void {
    const keyPair = this.interactions.keyPair;
    const config = this.state.config;
    this.state = new SimState(this.applicationId);
    this.state.config = config;
    this.interactions = new InteractionStore(this.state, keyPair);
    this.demo = this.seedDemo ? this.state.createGuild({ name: 'Guildkeep Demo' }) : null;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const bytes = await readBodyBytes(req);
    const raw = bytes.toString('utf8');
    if (FakeTelegram.owns(url.pathname)) {
      const r = await this.telegram.handle(req.method ?? 'GET', url, raw, String(req.headers['content-type'] ?? ''));
      send(res, { status: r.status, headers: {}, body: r.body });
      return;
    }
    if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
      const r = await handleControl(this, req.method ?? 'GET', url, raw);
      send(res, { status: r.status, headers: {}, body: r.body });
      return;
    }
    const oauth = isOAuthPath(url.pathname);
    if (oauth) {
      this.handleOAuth(oauth, req, res, url, raw);
      return;
    }
    if (url.pathname === API_PREFIX || url.pathname.startsWith(API_PREFIX + '/')) {
      await this.handleRest(req, res, url, raw, bytes);
      return;
    }
    if (isCdnPath(url.pathname)) {
      serveCdn(this, req.method ?? 'GET', url, res);
      return;
    }
    if (this.memberView && isMemberViewPath(url.pathname)) {
      await serveMemberView(this, req.method ?? 'GET', url, raw, res);
      return;
    }
    send(res, { status: 404, headers: {}, body: httpError(404).body });
  }

  // Discord's OAuth2 endpoints: form-encoded, RFC 6749 error bodies, outside the bot's REST pipeline.
  private handleOAuth(kind: 'authorize' | 'token' | 'revoke', req: IncomingMessage, res: ServerResponse, url: URL, raw: string): void {
    const method = (req.method ?? 'GET').toUpperCase();
    if (kind === 'authorize') {
      if (method !== 'GET' && method !== 'POST') return send(res, { status: 405, headers: {}, body: httpError(405).body });
      return this.oauth2.serveAuthorize(this.state, method, url, raw, res);
    }
    if (method !== 'POST') return send(res, { status: 405, headers: {}, body: httpError(405).body });
    const contentType = String(req.headers['content-type'] ?? '');
    const a =
      kind === 'token'
        ? this.oauth2.tokenEndpoint(contentType, req.headers.authorization, raw, Date.now())
        : this.oauth2.revokeEndpoint(contentType, req.headers.authorization, raw);
    send(res, { status: a.status, headers: a.headers ?? {}, body: a.body });
  }

  private async handleRest(req: IncomingMessage, res: ServerResponse, url: URL, raw: string, bytes: Buffer): Promise<void> {
    const now = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.slice(API_PREFIX.length) || '/';
    const query = Object.fromEntries(url.searchParams);
    const match = matchRoute(method, path);
    const def = match.kind === 'ok' ? match.def : null;
    const contentType = String(req.headers['content-type'] ?? 'application/json');
    let body: unknown = null;
    let invalidJson = false;
    // Discord's answer to a multipart body it cannot read, given after authentication and rate limits like invalid JSON.
    let bodyError: DiscordError | null = null;
    let multipart: MultipartBody | null = null;
    if (/^multipart\/form-data\b/i.test(contentType)) {
      try {
        multipart = await parseMultipart(bytes, contentType);
        body = multipart.payload;
      } catch (err) {
        if (!(err instanceof DiscordError)) throw err;
        bodyError = err;
      }
    } else if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        invalidJson = true;
      }
    }
    const reasonHeader = req.headers['x-audit-log-reason'];
    let auditLogReason: string | undefined;
    if (typeof reasonHeader === 'string') {
      try {
        auditLogReason = decodeURIComponent(reasonHeader);
      } catch {
        auditLogReason = reasonHeader;
      }
    }
    await this.openapi.init();
    // Tests of the simulator's own validation send invalid payloads on purpose and
    // say so; they are not the bot's requests and stay out of the OpenAPI audit.
    const deliberate = req.headers['x-sim-deliberately-invalid'] !== undefined;
    const openapi =
      invalidJson || deliberate || bodyError
        ? { checked: false, errors: [] }
        : multipart
          ? this.openapi.checkMultipart(
              method,
              path,
              query,
              multipart.payload,
              multipart.files.map((f) => `files[${f.index}]`),
            )
          : this.openapi.check(method, path, query, raw.length ? body : undefined, { 'content-type': contentType });
    const seq = this.log.allocate();
    if (!deliberate) this.openapi.record(seq, method, path, openapi.errors);
    const guildId = match.kind === 'ok' ? this.guildOf(match.params) : null;
    const entry: LogEntry = {
      seq,
      time: now,
      method,
      path,
      query,
      route: def ? routeKey(def) : null,
      guildId,
      bucket: def ? bucketHash(def) : null,
      status: 0,
      request: invalidJson ? raw : body,
      ...(multipart
        ? {
            files: multipart.files.map((f) => ({ field: `files[${f.index}]`, filename: f.filename, content_type: f.contentType, size: f.bytes.length })),
            form: multipart.parts,
          }
        : {}),
      response: null,
      ...(auditLogReason !== undefined ? { auditLogReason } : {}),
      openapi,
    };

    const fault = this.faults.take(method, path);
    if (fault?.status === 'reset') {
      this.log.add(entry);
      req.socket.destroy();
      return;
    }
    const reply = fault
      ? this.faultReply(fault, def, now)
      : this.pipeline(match, def, req, { body, invalidJson, bodyError, files: multipart?.files ?? [], url, now, auditLogReason });
    if ([401, 403].includes(reply.status) || (reply.status === 429 && reply.headers['X-RateLimit-Scope'] !== 'shared')) {
      this.limiter.noteInvalid(now);
    }
    entry.status = reply.status;
    entry.response = reply.body ?? null;
    this.log.add(entry);
    // The gateway events Discord dispatches for what this call did.
    if (!fault && def && match.kind === 'ok') {
      try {
        this.gateway.afterRest(routeKey(def), match.params, reply.status, reply.body);
        reply.after?.(this.gateway);
      } catch (err) {
        console.error('[sim] gateway dispatch failed', err);
      }
    }
    send(res, reply);
  }

  private pipeline(
    match: ReturnType<typeof matchRoute>,
    def: RouteDef | null,
    req: IncomingMessage,
    r: {
      body: unknown;
      invalidJson: boolean;
      bodyError: DiscordError | null;
      files: UploadedFile[];
      url: URL;
      now: number;
      auditLogReason: string | undefined;
    },
  ): Reply {
    if (match.kind === 'not-found' || !def || match.kind !== 'ok') {
      const err = httpError(match.kind === 'method-not-allowed' ? 405 : 404);
      return { status: err.status, headers: {}, body: err.body };
    }
    let bearer: Bearer | undefined;
    const bearerToken = def.auth === 'user' ? /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] : undefined;
    if (bearerToken !== undefined) {
      // A user's token: their own limits, not the bot's global one.
      const who = this.oauth2.authenticate(bearerToken, r.now);
      const scope = def.template === '/users/@me/guilds' ? 'guilds' : 'identify';
      if (!who || !who.scopes.includes(scope)) return { status: 401, headers: {}, body: { message: '401: Unauthorized', code: 0 } };
      bearer = who;
    } else if (def.auth === 'bot' || def.auth === 'user') {
      if (req.headers.authorization !== `Bot ${this.botToken}`) {
        return { status: 401, headers: {}, body: { message: '401: Unauthorized', code: 0 } };
      }
      const g = this.limiter.takeGlobal(r.now);
      if (!g.ok) {
        return {
          status: 429,
          headers: { 'Retry-After': String(Math.ceil(g.retryAfterS)), 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' },
          body: rateLimitBody(g.retryAfterS, true),
        };
      }
    }
    const bucket = this.limiter.take(def, match.params, r.now);
    if (!bucket.ok) {
      return {
        status: 429,
        headers: { ...bucket.headers, 'Retry-After': String(Math.ceil(bucket.retryAfterS)) },
        body: rateLimitBody(bucket.retryAfterS, false),
      };
    }
    let result: HandlerResult;
    try {
      if (r.invalidJson) throw apiError(RESTJSONErrorCodes.RequestBodyContainsInvalidJSON);
      if (r.bodyError) throw r.bodyError;
      const ctx: Ctx = {
        core: this,
        params: match.params,
        query: r.url.searchParams,
        body: r.body,
        files: r.files,
        now: r.now,
        auditLogReason: r.auditLogReason,
        ...(bearer ? { bearer } : {}),
      };
      result = HANDLERS[routeKey(def)]!(ctx);
    } catch (err) {
      if (err instanceof DiscordError) result = { status: err.status, body: err.body };
      else {
        console.error('[sim] handler error', err);
        result = { status: 500, body: httpError(500).body };
      }
    }
    return { status: result.status, headers: bucket.headers, body: result.body, ...(result.after ? { after: result.after } : {}) };
  }

  // The guild a call concerns (for per-guild logs): its guild, its channel's, or its invite's.
  private guildOf(params: Record<string, string>): string | null {
    if (params.guild_id) return params.guild_id;
    if (params.channel_id) return this.state.channels.get(params.channel_id)?.guild_id ?? null;
    if (params.code) return this.state.invites.get(params.code)?.guildId ?? null;
    return null;
  }

  private faultReply(f: Fault, def: RouteDef | null, now: number): Reply {
    if (f.status === 429) {
      const headers: Record<string, string> = { 'Retry-After': String(Math.ceil(f.retryAfter)) };
      if (f.global) {
        headers['X-RateLimit-Global'] = 'true';
        headers['X-RateLimit-Scope'] = 'global';
      } else {
        const cfg = def ? this.limiter.config(def) : { limit: 50 };
        Object.assign(headers, {
          'X-RateLimit-Limit': String(cfg.limit),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': ((now + f.retryAfter * 1000) / 1000).toFixed(3),
          'X-RateLimit-Reset-After': f.retryAfter.toFixed(3),
          ...(def ? { 'X-RateLimit-Bucket': bucketHash(def) } : {}),
          'X-RateLimit-Scope': 'user',
        });
      }
      return { status: 429, headers, body: rateLimitBody(f.retryAfter, f.global) };
    }
    if (f.status === 401) return { status: 401, headers: {}, body: { message: '401: Unauthorized', code: 0 } };
    const err = httpError(f.status as number);
    return { status: err.status, headers: {}, body: err.body };
  }
}

function send(res: ServerResponse, r: Reply): void {
  if (res.destroyed) return;
  if (r.status === 204 || r.body === undefined) {
    res.writeHead(r.status, r.headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(r.body);
  res.writeHead(r.status, { ...r.headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new Sim(opts);
  await sim.openapi.init();
  const server: Server = createServer((req, res) => {
    sim.handle(req, res).catch((err: unknown) => {
      console.error('[sim] request failed', err);
      if (!res.headersSent) send(res, { status: 500, headers: {}, body: httpError(500).body });
    });
  });
  // Long-lived keep-alive sockets from the bot must not hold close() open.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  sim.gateway.attach(server);
  const address = server.address();
  sim.port = typeof address === 'object' && address ? address.port : 0;
  return {
    get url() {
      return sim.url;
    },
    get apiBase() {
      return sim.url + API_PREFIX;
    },
    port: sim.port,
    applicationId: sim.applicationId,
    publicKeyHex: sim.publicKeyHex,
    botToken: sim.botToken,
    clientSecret: sim.oauth2.clientSecret,
    get demo() {
      return sim.demo;
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        sim.gateway.shutdown();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
