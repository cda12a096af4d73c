// The panel simulator's HTTP front: two listeners in one process.
//   panel listener         /_panel/...                 control API (worlds, clocks, faults, log)
//                          /w/{world}/api/client/...   Pterodactyl's client API for that world
//   orchestrator listener  /w/{world}/api/v1/...       the PEON orchestrator API for that world
// Both bind 127.0.0.1 only.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { handleOrchestratorApi } from '../orchestrator/api.ts';
import { readBody } from '../read-body.ts';
import { errorBody, handleClientApi, wantsJson } from './client-api.ts';
import type { DownMode, ServerStatus, WorldOptions } from './world.ts';
import { ALL_PERMISSIONS, World } from './world.ts';

export interface PanelOptions {
  port?: number;
  orchestratorPort?: number;
  seedDemo?: boolean;
}

export interface PanelSim {
  url: string;
  orchestratorUrl: string;
  demo: DemoWorld | null;
  worlds: Map<string, World>;
  close(): Promise<void>;
}

export interface DemoWorld {
  id: string;
  url: string;
  orchestratorUrl: string;
  adminKey: string;
  readOnlyKey: string;
  orchestratorKey: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === null || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  if (typeof body === 'string') {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=UTF-8', ...headers });
    res.end(body);
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}

export async function startPanel(opts: PanelOptions = {}): Promise<PanelSim> {
  const worlds = new Map<string, World>();
  let panelUrl = '';
  let orchestratorUrl = '';
  const urls = (w: World) => ({ url: `${panelUrl}/w/${w.id}`, orchestratorUrl: `${orchestratorUrl}/w/${w.id}` });
  const describe = (w: World) => w.describe(urls(w));

  const newWorld = (opts: WorldOptions, id = `w${randomBytes(6).toString('hex')}`): World => {
    const w = new World(id, opts);
    worlds.set(id, w);
    return w;
  };

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const text = await readBody(req);
    let body: any = {};
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      return send(res, 400, { error: 'body is not JSON' });
    }
    const m = req.method ?? 'GET';
    if (path === '/_panel/info' && m === 'GET') return send(res, 200, { url: panelUrl, orchestratorUrl, demo: demoInfo(), worlds: worlds.size });
    if (path === '/_panel/worlds' && m === 'POST') {
      const w = newWorld(validateOptions(body));
      return send(res, 201, describe(w));
    }
    const wm = /^\/_panel\/worlds\/([^/]+)(\/.*)?$/.exec(path);
    if (!wm) return send(res, 404, { error: `no control route ${m} ${path}` });
    const w = worlds.get(wm[1]!);
    if (!w) return send(res, 404, { error: `no world ${wm[1]}` });
    const rest = wm[2] ?? '';
    if (rest === '' && m === 'GET') return send(res, 200, describe(w));
    if (rest === '' && m === 'DELETE') {
      worlds.delete(w.id);
      return send(res, 204, null);
    }
    if (rest === '/advance' && m === 'POST') {
      if (w.clock !== 'manual') return send(res, 409, { error: 'this world runs on the real clock; create it with clock: "manual" to advance it' });
      const ms = Number(body.ms);
      if (!Number.isFinite(ms) || ms < 0) return send(res, 400, { error: 'ms must be a number ≥ 0' });
      w.advance(ms);
      return send(res, 200, describe(w));
    }
    if (rest === '/latency' && m === 'POST') {
      const ms = Number(body.ms);
      if (!Number.isFinite(ms) || ms < 0) return send(res, 400, { error: 'ms must be a number ≥ 0' });
      w.latencyMs = ms;
      return send(res, 200, describe(w));
    }
    if (rest === '/rate-limit' && m === 'POST') {
      const n = Number(body.perMinute);
      if (!Number.isInteger(n) || n < 1) return send(res, 400, { error: 'perMinute must be an integer ≥ 1' });
      w.rateLimitPerMinute = n;
      w.resetRateLimits();
      return send(res, 200, describe(w));
    }
    if ((rest === '/down' || rest === '/up') && m === 'POST') {
      const target = body.target ?? 'both';
      if (!['panel', 'orchestrator', 'both'].includes(target)) return send(res, 400, { error: 'target: panel | orchestrator | both' });
      let mode: DownMode | null = null;
      if (rest === '/down') {
        mode = body.mode ?? '503';
        if (mode !== 'reset' && mode !== '503') return send(res, 400, { error: 'mode: reset | 503' });
      }
      if (target !== 'orchestrator') w.down.panel = mode;
      if (target !== 'panel') w.down.orchestrator = mode;
      return send(res, 200, describe(w));
    }
    if (rest === '/keys' && m === 'POST') {
      const perms = body.permissions;
      if (!Array.isArray(perms) || perms.some((p: unknown) => typeof p !== 'string' || !ALL_PERMISSIONS.includes(p)))
        return send(res, 400, { error: `permissions: an array of ${ALL_PERMISSIONS.join(', ')}` });
      const name = typeof body.name === 'string' && body.name ? body.name : `subuser${w.users.length + 1}`;
      const user = w.addUser(name, perms);
      return send(res, 201, { name, key: w.addKey(user, name), permissions: perms });
    }
    if (rest === '/log' && m === 'GET') {
      const url = new URL(req.url ?? '/', 'http://x');
      const since = Number(url.searchParams.get('since') ?? 0);
      return send(res, 200, { entries: w.log.filter((e) => e.seq > since) });
    }
    if (rest === '/log' && m === 'DELETE') {
      w.log.length = 0;
      return send(res, 204, null);
    }
    const sm = /^\/servers\/([^/]+)$/.exec(rest);
    if (sm && m === 'DELETE') {
      // An administrator deleted the server on the panel: its API answers 404 for it from now on.
      const s = w.findServer(decodeURIComponent(sm[1]!));
      if (!s) return send(res, 404, { error: `no server ${sm[1]} in world ${w.id}` });
      w.servers.splice(w.servers.indexOf(s), 1);
      return send(res, 200, describe(w));
    }
    if (sm && m === 'POST') {
      const s = w.findServer(decodeURIComponent(sm[1]!));
      if (!s) return send(res, 404, { error: `no server ${sm[1]} in world ${w.id}` });
      const statuses: ServerStatus[] = [null, 'installing', 'install_failed', 'reinstall_failed', 'suspended', 'restoring_backup'];
      if ('status' in body) {
        if (!statuses.includes(body.status)) return send(res, 400, { error: `status: ${statuses.map(String).join(' | ')}` });
        s.status = body.status;
      }
      if ('transferring' in body) s.transferring = body.transferring === true;
      if ('backupLimit' in body) s.featureLimits.backups = Number(body.backupLimit);
      if ('power' in body) {
        if (body.power !== 'offline' && body.power !== 'running') return send(res, 400, { error: 'power: offline | running' });
        s.power = body.power;
        s.next = null;
        s.startAfterStop = false;
        s.startedAt = body.power === 'running' ? w.now() : null;
      }
      s.statsCache = null;
      return send(res, 200, describe(w));
    }
    const om = /^\/orchestrator\/([^/]+)$/.exec(rest);
    if (om && m === 'POST') {
      const o = w.orchestratorServers.find((x) => `${x.game_uid}.${x.servername}` === decodeURIComponent(om[1]!));
      if (!o) return send(res, 404, { error: `no orchestrator server ${om[1]}` });
      if (body.state !== 'running' && body.state !== 'stopped') return send(res, 400, { error: 'state: running | stopped' });
      o.state = body.state;
      o.next = null;
      o.startAfterStop = false;
      o.startedAt = body.state === 'running' ? w.now() : null;
      return send(res, 200, describe(w));
    }
    return send(res, 404, { error: `no control route ${m} ${path}` });
  }

  async function worldApi(req: IncomingMessage, res: ServerResponse, api: 'panel' | 'orchestrator'): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const wm = /^\/w\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const w = wm ? worlds.get(wm[1]!) : undefined;
    if (!wm || !w) return send(res, 404, { error: `no world at ${url.pathname}` });
    const rest = wm[2] ?? '';
    const logPath = rest + url.search.replace(/([?&])(api_?key|token)=[^&]*/gi, '$1$2=[redacted]');
    const at = w.now();
    const method = req.method ?? 'GET';
    const down = w.down[api];
    if (down === 'reset') {
      w.record({ api, method, path: logPath, status: 0, at, key: null });
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    if (w.latencyMs > 0) await sleep(w.latencyMs);
    if (down === '503') {
      w.record({ api, method, path: logPath, status: 503, at, key: null });
      if (api === 'panel' && wantsJson(req.headers)) return send(res, 503, errorBody(503, 'HttpException', 'Service Unavailable'), { 'Retry-After': '60' });
      return send(res, 503, '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>503 | Service Unavailable</body></html>', {
        'Retry-After': '60',
      });
    }
    if (api === 'orchestrator') {
      const r = handleOrchestratorApi(w, { method, path: rest, headers: req.headers });
      w.record({ api, method, path: logPath, status: r.status, at, key: r.authed ? 'orchestrator' : null });
      return send(res, r.status, r.body);
    }
    if (rest === '/auth/login' && method === 'GET') {
      // Where Laravel sends a browser that is not signed in (a 401 without a JSON Accept header).
      w.record({ api, method, path: logPath, status: 200, at, key: null });
      return send(res, 200, '<!DOCTYPE html><html><head><title>Pterodactyl</title></head><body>Login</body></html>');
    }
    if (rest !== '/api/client' && !rest.startsWith('/api/client/')) {
      w.record({ api, method, path: logPath, status: 404, at, key: null });
      return send(res, 404, '<!DOCTYPE html><html><body>404 | Not Found</body></html>');
    }
    const r = handleClientApi(w, {
      method,
      path: rest.slice('/api/client'.length),
      query: url.searchParams,
      headers: req.headers,
      body,
      base: `${panelUrl}/w/${w.id}`,
    });
    w.record({ api, method, path: logPath, status: r.status, at, key: r.keyName });
    // Without a JSON Accept header Laravel renders errors for a browser: a redirect to the login page, or an HTML error page.
    if (r.status >= 400 && !wantsJson(req.headers)) {
      if (r.status === 401) return send(res, 302, null, { ...r.headers, Location: `${panelUrl}/w/${w.id}/auth/login` });
      const detail = (r.body as { errors?: { detail?: string }[] }).errors?.[0]?.detail ?? '';
      return send(res, r.status, `<!DOCTYPE html><html><body>${r.status} | ${detail.replace(/[<&]/g, '')}</body></html>`, r.headers);
    }
    return send(res, r.status, r.body, r.headers);
  }

  const fail = (res: ServerResponse, e: unknown) => {
    if (!res.headersSent) send(res, 500, { error: e instanceof Error ? e.message : String(e) });
    else res.destroy();
  };
  const panelServer = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const p = path.startsWith('/_panel') ? control(req, res, path) : worldApi(req, res, 'panel');
    p.catch((e) => fail(res, e));
  });
  const orchestratorServer = createServer((req, res) => {
    worldApi(req, res, 'orchestrator').catch((e) => fail(res, e));
  });
  const panelPort = await listen(panelServer, opts.port ?? 0);
  const orchestratorPort = await listen(orchestratorServer, opts.orchestratorPort ?? 0);
  panelUrl = `http://127.0.0.1:${panelPort}`;
  orchestratorUrl = `http://127.0.0.1:${orchestratorPort}`;

  const demo = opts.seedDemo === false ? null : newWorld({ clock: 'real' }, 'demo');
  function demoInfo(): DemoWorld | null {
    if (!demo) return null;
    return {
      id: demo.id,
      ...urls(demo),
      adminKey: demo.adminKey,
      readOnlyKey: demo.readOnlyKey,
      orchestratorKey: demo.orchestratorKey,
    };
  }

  const closeServer = (s: Server) =>
    new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  return {
    url: panelUrl,
    orchestratorUrl,
    demo: demoInfo(),
    worlds,
    close: async () => {
      await Promise.all([closeServer(panelServer), closeServer(orchestratorServer)]);
    },
  };
}

function validateOptions(b: any): WorldOptions {
  const o: WorldOptions = {};
  if (b.clock === 'manual' || b.clock === 'real') o.clock = b.clock;
  if (Number.isInteger(b.rateLimitPerMinute) && b.rateLimitPerMinute > 0) o.rateLimitPerMinute = b.rateLimitPerMinute;
  if (Number.isFinite(b.latencyMs) && b.latencyMs >= 0) o.latencyMs = b.latencyMs;
  if (Number.isFinite(b.resourceCacheMs) && b.resourceCacheMs >= 0) o.resourceCacheMs = b.resourceCacheMs;
  if (Array.isArray(b.servers)) o.servers = b.servers;
  if (Array.isArray(b.orchestratorServers)) o.orchestratorServers = b.orchestratorServers;
  return o;
}
