import { describe, expect, it } from 'vitest';
import { newWorld, type World, worldControl } from '../features/servers/support.ts';

// The panel simulator answers as Pterodactyl's client API and PEON's orchestrator
// API do; the game-server feature is only as well tested as this is faithful.

const JSON_ACCEPT = 'Application/vnd.pterodactyl.v1+json';
const api = (w: World, path: string, init: { key?: string | null; method?: string; body?: unknown; accept?: string } = {}) =>
  fetch(`${w.url}/api/client${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    redirect: 'manual',
    headers: {
      accept: init.accept ?? JSON_ACCEPT,
      ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? w.keys.admin}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
const id = (w: World, name: string) => w.servers.find((s) => s.name === name)!.identifier;
const resources = async (w: World, sid: string) =>
  ((await (await api(w, `/servers/${sid}/resources`)).json()) as { attributes: { current_state: string } }).attributes.current_state;

describe('panel simulator: Pterodactyl client API', () => {
  it('authenticates like the panel: JSON 401 without a key, a login redirect for a browser, 403 for a key without the permission', async () => {
    const w = await newWorld();
    const none = await api(w, '', { key: null });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('AuthenticationException');
    expect((await api(w, '', { key: 'ptlc_wrong' })).status).toBe(401);
    expect((await api(w, '', { key: null, accept: 'text/html' })).status).toBe(302);
    const backups = await api(w, `/servers/${id(w, 'Survival SMP')}/backups`, { key: w.keys.readOnly });
    expect(backups.status).toBe(403);
  });

  it('lists servers in pages with Fractal meta and rate-limit headers', async () => {
    const w = await newWorld();
    const res = await api(w, '?per_page=2');
    expect(res.headers.get('x-ratelimit-limit')).toBe('720');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(720);
    const page = (await res.json()) as { object: string; data: unknown[]; meta: { pagination: { total: number; per_page: number; total_pages: number } } };
    expect(page.object).toBe('list');
    expect(page.data).toHaveLength(2);
    expect(page.meta.pagination).toMatchObject({ total: 4, per_page: 2, total_pages: 2 });
  });

  it('moves power through starting and stopping on its own clock, and refuses what the panel refuses', async () => {
    const w = await newWorld();
    const valheim = id(w, 'Valheim Dedicated');
    expect((await api(w, `/servers/${valheim}/power`, { body: { signal: 'start' } })).status).toBe(204);
    expect(await resources(w, valheim)).toBe('starting');
    await worldControl(w, '/advance', { ms: 3_000 });
    expect(await resources(w, valheim)).toBe('running');
    const bad = await api(w, `/servers/${valheim}/power`, { body: { signal: 'explode' } });
    expect(bad.status).toBe(422);
    const installing = await api(w, `/servers/${id(w, 'Rust Weekly Wipe')}/power`, { body: { signal: 'start' } });
    expect(installing.status).toBe(409);
    expect(((await installing.json()) as { errors: { detail: string }[] }).errors[0]!.detail).toMatch(/not yet completed its installation/);
    const offline = await api(w, `/servers/${id(w, 'Terraria Journey')}/command`, { body: { command: 'say hi' } });
    expect(offline.status).toBe(409);
    const malformed = await api(w, `/servers/${valheim}/command`, { body: '{not json' });
    expect(malformed.status).toBe(400);
  });

  it('answers 429 ThrottleRequestsException with Retry-After once the client API limit is spent', async () => {
    const w = await newWorld({ rateLimitPerMinute: 3 });
    const smp = id(w, 'Survival SMP');
    for (let i = 0; i < 3; i++) expect((await api(w, `/servers/${smp}/resources`)).status).toBe(200);
    const limited = await api(w, `/servers/${smp}/resources`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('ThrottleRequestsException');
  });
});

describe('panel simulator: PEON orchestrator', () => {
  it('wants X-Api-Key, lists servers as a bare array and starts one', async () => {
    const w = await newWorld();
    const orc = (path: string, key: string | null, method = 'GET') =>
      fetch(`${w.orchestratorUrl}/api/v1${path}`, { method, headers: key ? { 'x-api-key': key } : {} });
    expect((await orc('/servers', null)).status).toBe(401);
    const list = (await (await orc('/servers', w.keys.orchestrator)).json()) as { server_state: string }[];
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((s) => s.server_state).sort()).toEqual(['running', 'stopped', 'stopped']);
    const uid = w.orchestratorServers.find((s) => s.state === 'stopped')!.uid;
    expect((await orc(`/server/start/${uid}`, w.keys.orchestrator, 'PUT')).status).toBe(200);
    const after = (await (await orc(`/server/get/${uid}`, w.keys.orchestrator)).json()) as { server: { server_state: string } };
    expect(after.server.server_state).toBe('starting');
    expect((await orc('/server/get/nope.nothing', w.keys.orchestrator)).status).toBe(404);
    expect((await orc(`/server/start/${uid}`, w.keys.orchestrator, 'POST')).status).toBe(405);
  });
});
