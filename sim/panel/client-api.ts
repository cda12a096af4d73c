// Pterodactyl's client API (/api/client), as routes/api-client.php and the
// controllers, requests, middleware and exception handler of
// pterodactyl/panel define it. The pipeline runs in the panel's order:
// authentication (auth:sanctum) → rate limit (throttle:api.client) → JSON
// validity (IsValidJson) → server binding (404) → server access and state
// (AuthenticateServerAccess: 404/409) → permission (FormRequest authorize:
// 403) → validation (422) → controller.

import { randomUUID } from 'node:crypto';
import type { Backup, PanelServer, PanelUser, World } from './world.ts';
import { BACKUP_MS, BACKUP_THROTTLE_LIMIT, BACKUP_THROTTLE_PERIOD_S } from './world.ts';

export interface ApiRequest {
  method: string;
  /** The path after /api/client, '' or starting with '/'. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The world's base URL (the panel's root for this world), for pagination links. */
  base: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Which key made the call (for the request log), if any. */
  keyName: string | null;
}

/** A Laravel/Symfony exception rendered by app/Exceptions/Handler.php. */
class PanelError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly meta: Record<string, unknown> | undefined;
  constructor(status: number, code: string, detail: string, headers: Record<string, string> = {}, meta?: Record<string, unknown>) {
    super(detail);
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.meta = meta;
  }
}

const notFoundModel = () => new PanelError(404, 'NotFoundHttpException', 'The requested resource could not be found on the server.');
const noRoute = (method: string, path: string) =>
  new PanelError(404, 'NotFoundHttpException', `The route api/client${path} could not be found.`, {}, { method });
const forbidden = () => new PanelError(403, 'AccessDeniedHttpException', 'This action is unauthorized.');
const validation = (field: string, rule: string, detail: string) => new PanelError(422, 'ValidationException', detail, {}, { source_field: field, rule });

export const STATE_CONFLICT_MESSAGES = {
  suspended: 'This server is currently suspended and the functionality requested is unavailable.',
  installing: 'This server has not yet completed its installation process, please try again later.',
  restoring: 'This server is currently restoring from a backup, please try again later.',
  transferring: 'This server is currently being transferred to a new machine, please try again later.',
};

function conflict(s: PanelServer): PanelError | null {
  let detail: string | null = null;
  if (s.status === 'suspended') detail = STATE_CONFLICT_MESSAGES.suspended;
  else if (s.status === 'installing' || s.status === 'install_failed') detail = STATE_CONFLICT_MESSAGES.installing;
  else if (s.status === 'restoring_backup') detail = STATE_CONFLICT_MESSAGES.restoring;
  else if (s.transferring) detail = STATE_CONFLICT_MESSAGES.transferring;
  return detail === null ? null : new PanelError(409, 'ServerStateConflictException', detail);
}

export function errorBody(status: number, code: string, detail: string, meta?: Record<string, unknown>): { errors: Record<string, unknown>[] } {
  return { errors: [{ code, status: String(status), detail, ...(meta ? { meta } : {}) }] };
}

/** Laravel's expectsJson(): Accept names a JSON type (application/json, Application/vnd.pterodactyl.v1+json, …). */
export function wantsJson(headers: Record<string, string | string[] | undefined>): boolean {
  const accept = String(headers.accept ?? '').toLowerCase();
  return accept.includes('/json') || accept.includes('+json');
}

function bearer(headers: Record<string, string | string[] | undefined>): string | null {
  const h = headers.authorization;
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(v);
  return m ? m[1]! : null;
}

const can = (user: PanelUser, permission: string) => user.permissions === null || user.permissions.includes(permission);
const atom = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

// ---- transformers (app/Transformers/Api/Client) ------------------------------------------

function serverObject(world: World, s: PanelServer, user: PanelUser): Record<string, unknown> {
  world.tick(s);
  return {
    object: 'server',
    attributes: {
      server_owner: user.permissions === null,
      identifier: s.identifier,
      internal_id: s.internalId,
      uuid: s.uuid,
      name: s.name,
      node: s.node,
      is_node_under_maintenance: false,
      sftp_details: { ip: 'node1.panel.example.test', port: 2022 },
      description: s.description,
      limits: s.limits,
      invocation: s.invocation,
      docker_image: s.dockerImage,
      egg_features: s.game === 'minecraft' ? ['eula', 'java_version', 'pid_limit'] : [],
      feature_limits: s.featureLimits,
      status: s.status,
      is_suspended: s.status === 'suspended',
      is_installing: s.status === 'installing' || s.status === 'install_failed',
      is_transferring: s.transferring,
      relationships: {
        allocations: {
          object: 'list',
          data: [
            {
              object: 'allocation',
              attributes: { id: s.allocation.id, ip: s.allocation.ip, ip_alias: s.allocation.ip_alias, port: s.allocation.port, notes: null, is_default: true },
            },
          ],
        },
        variables: can(user, 'startup.read')
          ? {
              object: 'list',
              data: [
                {
                  object: 'egg_variable',
                  attributes: {
                    name: 'Server Port',
                    description: 'The port the game listens on.',
                    env_variable: 'SERVER_PORT',
                    default_value: String(s.allocation.port),
                    server_value: String(s.allocation.port),
                    is_editable: false,
                    rules: 'required|integer',
                  },
                },
              ],
            }
          : null,
      },
    },
  };
}

function statsObject(world: World, s: PanelServer): Record<string, unknown> {
  const d = world.stats(s) as { state: string; is_suspended: boolean; utilization: any };
  const u = d.utilization;
  return {
    object: 'stats',
    attributes: {
      current_state: d.state,
      is_suspended: d.is_suspended,
      resources: {
        memory_bytes: u.memory_bytes,
        cpu_absolute: u.cpu_absolute,
        disk_bytes: u.disk_bytes,
        network_rx_bytes: u.network.rx_bytes,
        network_tx_bytes: u.network.tx_bytes,
        uptime: u.uptime,
      },
    },
  };
}

function backupObject(world: World, b: Backup): Record<string, unknown> {
  const done = world.backupDone(b);
  return {
    object: 'backup',
    attributes: {
      uuid: b.uuid,
      is_successful: done,
      is_locked: b.isLocked,
      name: b.name,
      ignored_files: b.ignoredFiles,
      checksum: done ? world.backupChecksum(b) : null,
      bytes: done ? b.bytes : 0,
      created_at: atom(b.createdAt),
      completed_at: done ? atom(b.completesAt) : null,
    },
  };
}

function scheduleObject(world: World, sch: PanelServer['schedules'][number]): Record<string, unknown> {
  const now = world.now();
  const updated = Math.max(sch.createdAt, sch.lastRunAt ?? 0);
  return {
    object: 'server_schedule',
    attributes: {
      id: sch.id,
      name: sch.name,
      cron: sch.cron,
      is_active: sch.isActive,
      is_processing: sch.processingUntil > now,
      only_when_online: sch.onlyWhenOnline,
      last_run_at: sch.lastRunAt === null ? null : atom(sch.lastRunAt),
      next_run_at: sch.isActive ? atom(nextDaily(now, Number(sch.cron.hour), Number(sch.cron.minute))) : null,
      created_at: atom(sch.createdAt),
      updated_at: atom(updated),
      relationships: {
        tasks: {
          object: 'list',
          data: sch.tasks.map((t) => ({
            object: 'schedule_task',
            attributes: {
              id: t.id,
              sequence_id: t.sequenceId,
              action: t.action,
              payload: t.payload,
              time_offset: t.timeOffset,
              is_queued: sch.processingUntil > now,
              continue_on_failure: t.continueOnFailure,
              created_at: atom(sch.createdAt),
              updated_at: atom(sch.createdAt),
            },
          })),
        },
      },
    },
  };
}

function nextDaily(now: number, hour: number, minute: number): number {
  const d = new Date(now);
  d.setUTCHours(Number.isFinite(hour) ? hour : 0, Number.isFinite(minute) ? minute : 0, 0, 0);
  if (d.getTime() <= now) d.setUTCDate(d.getUTCDate() + 1);
  return d.getTime();
}

/** Fractal's paginated list (IlluminatePaginatorAdapter + ArraySerializer): links is `[]` when there is neither a next nor a previous page. */
function paginated<T>(items: T[], req: ApiRequest, path: string, perPageDefault: number, perPageMax: number, map: (x: T) => unknown, extraMeta = {}) {
  const rawPer = Number.parseInt(req.query.get('per_page') ?? '', 10);
  const perPage = Math.max(1, Math.min(Number.isFinite(rawPer) ? rawPer : perPageDefault, perPageMax));
  const rawPage = Number.parseInt(req.query.get('page') ?? '', 10);
  const page = Number.isFinite(rawPage) && rawPage > 0 ? rawPage : 1;
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number) => {
    const q = new URLSearchParams(req.query);
    q.set('page', String(p));
    return `${req.base}/api/client${path}?${q.toString()}`;
  };
  const links: Record<string, string> = {};
  if (page > 1) links.previous = link(page - 1);
  if (page < totalPages) links.next = link(page + 1);
  return {
    object: 'list',
    data: slice.map(map),
    meta: {
      ...extraMeta,
      pagination: {
        total: items.length,
        count: slice.length,
        per_page: perPage,
        current_page: page,
        total_pages: totalPages,
        links: Object.keys(links).length ? links : [],
      },
    },
  };
}

function parseBody(req: ApiRequest): Record<string, unknown> {
  if (!req.body.trim()) return {};
  try {
    const v = JSON.parse(req.body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

// ---- the pipeline ----------------------------------------------------------------------

export function handleClientApi(world: World, req: ApiRequest): ApiResponse {
  let keyName: string | null = null;
  let rateHeaders: Record<string, string> = {};
  try {
    // auth:sanctum: a missing, malformed or unknown token is an AuthenticationException.
    const token = bearer(req.headers);
    const entry = token ? world.keys.get(token) : undefined;
    if (!entry) throw new PanelError(401, 'AuthenticationException', 'Unauthenticated.');
    keyName = entry.name;
    const user = entry.user;

    // throttle:api.client — per user, headers on every response that got this far.
    const hit = world.hit(user);
    rateHeaders = { 'X-RateLimit-Limit': String(hit.limit), 'X-RateLimit-Remaining': String(hit.remaining) };
    if (!hit.ok) {
      rateHeaders = {
        ...rateHeaders,
        'Retry-After': String(hit.retryAfterS),
        'X-RateLimit-Reset': String(Math.ceil(hit.resetAt / 1000)),
      };
      throw new PanelError(429, 'ThrottleRequestsException', 'Too Many Attempts.');
    }

    // IsValidJson: a JSON content type with a body that does not parse.
    const ctype = String(req.headers['content-type'] ?? '').toLowerCase();
    if ((ctype.includes('/json') || ctype.includes('+json')) && req.body.trim() !== '') {
      try {
        JSON.parse(req.body);
      } catch {
        throw new PanelError(400, 'BadRequestHttpException', 'The JSON data passed in the request appears to be malformed: Syntax error');
      }
    }

    const result = route(world, user, req);
    return { status: result.status, headers: { ...rateHeaders, ...(result.headers ?? {}) }, body: result.body, keyName };
  } catch (e) {
    if (!(e instanceof PanelError)) throw e;
    return { status: e.status, headers: { ...rateHeaders, ...e.headers }, body: errorBody(e.status, e.code, e.message, e.meta), keyName };
  }
}

interface Routed {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function route(world: World, user: PanelUser, req: ApiRequest): Routed {
  const path = req.path.replace(/\/+$/, '');
  const m = req.method.toUpperCase();

  if (path === '' || path === '/') {
    if (m !== 'GET') throw methodNotAllowed(m, path, 'GET, HEAD');
    // ClientController@index: the servers the user owns or is a subuser of (here: all of the world's servers).
    return { status: 200, body: paginated(world.servers, req, '', 50, 100, (s) => serverObject(world, s, user)) };
  }
  if (path === '/permissions' && m === 'GET') {
    return { status: 200, body: { object: 'system_permissions', attributes: { permissions: {} } } };
  }

  const sm = /^\/servers\/([^/]+)(\/.*)?$/.exec(path);
  if (!sm) throw noRoute(m, path);
  const id = decodeURIComponent(sm[1]!);
  const rest = sm[2] ?? '';
  const known = matchServerRoute(m, rest);
  if (!known) throw noRoute(m, path);

  // SubstituteClientBindings (firstOrFail) and AuthenticateServerAccess.
  const server = world.findServer(id);
  if (!server) throw notFoundModel();
  world.tick(server);
  const state = conflict(server);
  // Only the server's own view answers in a conflicting state; everything else (resources included) is a 409.
  if (state && known !== 'view') throw state;

  const body = () => parseBody(req);
  switch (known) {
    case 'view':
      return { status: 200, body: serverObject(world, server, user) };
    case 'resources':
      return { status: 200, body: statsObject(world, server) };
    case 'power': {
      const b = body();
      const signal = b.signal;
      // SendPowerRequest: the permission depends on the signal; an unknown signal needs '__invalid', which only owners "have".
      const perm =
        signal === 'start' ? 'control.start' : signal === 'stop' || signal === 'kill' ? 'control.stop' : signal === 'restart' ? 'control.restart' : null;
      if (user.permissions !== null && (perm === null || !can(user, perm))) throw forbidden();
      if (signal === undefined || signal === null || signal === '') throw validation('signal', 'required', 'The signal field is required.');
      if (typeof signal !== 'string') throw validation('signal', 'string', 'The signal must be a string.');
      if (perm === null) throw validation('signal', 'in', 'The selected signal is invalid.');
      world.power(server, signal as 'start' | 'stop' | 'restart' | 'kill');
      return { status: 204, body: null };
    }
    case 'command': {
      if (!can(user, 'control.console')) throw forbidden();
      const b = body();
      const command = b.command;
      if (command === undefined || command === null || command === '') throw validation('command', 'required', 'The command field is required.');
      if (typeof command !== 'string') throw validation('command', 'string', 'The command must be a string.');
      // Wings answers 502 when the server is not running; the CommandController turns that into this HttpException.
      if (server.power !== 'running') throw new PanelError(502, 'HttpException', 'Server must be online in order to send commands.');
      server.commands.push({ at: world.now(), command });
      return { status: 204, body: null };
    }
    case 'backups.index': {
      if (!can(user, 'backup.read')) throw forbidden();
      const nonFailed = server.backups.length;
      return { status: 200, body: paginated(server.backups, req, rest, 20, 50, (b) => backupObject(world, b), { backup_count: nonFailed }) };
    }
    case 'backups.store':
      return createBackup(world, server, user, body());
    case 'backups.view': {
      if (!can(user, 'backup.read')) throw forbidden();
      const uuid = rest.split('/')[2]!;
      const b = server.backups.find((x) => x.uuid === uuid);
      if (!b) throw notFoundModel();
      return { status: 200, body: backupObject(world, b) };
    }
    case 'schedules.index':
      if (!can(user, 'schedule.read')) throw forbidden();
      return { status: 200, body: { object: 'list', data: server.schedules.map((x) => scheduleObject(world, x)) } };
    case 'schedules.view':
    case 'schedules.execute': {
      const sid = rest.split('/')[2]!;
      const sch = /^\d+$/.test(sid) ? world.servers.flatMap((s) => s.schedules).find((x) => x.id === Number(sid)) : undefined;
      if (!sch) throw notFoundModel();
      // ResourceBelongsToServer: another server's schedule.
      if (!server.schedules.includes(sch)) throw new PanelError(404, 'NotFoundHttpException', 'The requested resource was not found for this server.');
      if (known === 'schedules.view') {
        if (!can(user, 'schedule.read')) throw forbidden();
        return { status: 200, body: scheduleObject(world, sch) };
      }
      if (!can(user, 'schedule.update')) throw forbidden();
      // ProcessScheduleService: a schedule without tasks cannot run.
      if (sch.tasks.length === 0) throw new PanelError(400, 'DisplayException', 'Cannot process schedule for task execution: no tasks are registered.');
      world.runSchedule(server, sch);
      return { status: 202, body: [] };
    }
  }
}

type KnownRoute =
  | 'view'
  | 'resources'
  | 'power'
  | 'command'
  | 'backups.index'
  | 'backups.store'
  | 'backups.view'
  | 'schedules.index'
  | 'schedules.view'
  | 'schedules.execute';

function matchServerRoute(m: string, rest: string): KnownRoute | null {
  const r = rest.replace(/\/+$/, '');
  if (r === '' && m === 'GET') return 'view';
  if (r === '/resources' && m === 'GET') return 'resources';
  if (r === '/power' && m === 'POST') return 'power';
  if (r === '/command' && m === 'POST') return 'command';
  if (r === '/backups' && m === 'GET') return 'backups.index';
  if (r === '/backups' && m === 'POST') return 'backups.store';
  if (/^\/backups\/[^/]+$/.test(r) && m === 'GET') return 'backups.view';
  if (r === '/schedules' && m === 'GET') return 'schedules.index';
  if (/^\/schedules\/[^/]+$/.test(r) && m === 'GET') return 'schedules.view';
  if (/^\/schedules\/[^/]+\/execute$/.test(r) && m === 'POST') return 'schedules.execute';
  return null;
}

function methodNotAllowed(method: string, path: string, allowed: string): PanelError {
  return new PanelError(
    405,
    'MethodNotAllowedHttpException',
    `The ${method} method is not supported for route api/client${path}. Supported methods: ${allowed}.`,
    { Allow: allowed },
  );
}

/** BackupController@store → InitiateBackupService: the throttle first, then the server's backup limit. */
function createBackup(world: World, server: PanelServer, user: PanelUser, b: Record<string, unknown>): Routed {
  if (!can(user, 'backup.create')) throw forbidden();
  if (b.name !== undefined && b.name !== null && typeof b.name !== 'string') throw validation('name', 'string', 'The name must be a string.');
  if (typeof b.name === 'string' && b.name.length > 191) throw validation('name', 'max', 'The name may not be greater than 191 characters.');
  if (b.is_locked !== undefined && b.is_locked !== null && typeof b.is_locked !== 'boolean' && b.is_locked !== 0 && b.is_locked !== 1)
    throw validation('is_locked', 'boolean', 'The is locked field must be true or false.');
  if (b.ignored !== undefined && b.ignored !== null && typeof b.ignored !== 'string') throw validation('ignored', 'string', 'The ignored must be a string.');

  const now = world.now();
  const periodMs = BACKUP_THROTTLE_PERIOD_S * 1000;
  const recent = server.backups.filter((x) => x.createdAt >= now - periodMs);
  if (recent.length >= BACKUP_THROTTLE_LIMIT) {
    const newest = recent[recent.length - 1]!;
    const retry = Math.max(0, Math.ceil((newest.createdAt + periodMs - now) / 1000));
    throw new PanelError(
      429,
      'TooManyRequestsHttpException',
      `Only ${BACKUP_THROTTLE_LIMIT} backups may be generated within a ${BACKUP_THROTTLE_PERIOD_S} second span of time.`,
      { 'Retry-After': String(retry) },
    );
  }
  const limit = server.featureLimits.backups;
  if (!limit || server.backups.length >= limit) {
    throw new PanelError(400, 'TooManyBackupsException', `Cannot create a new backup, this server has reached its limit of ${limit} backups.`);
  }
  const name = typeof b.name === 'string' && b.name.trim() ? b.name.trim() : `Backup at ${new Date(now).toISOString().slice(0, 19).replace('T', ' ')}`;
  const backup: Backup = {
    uuid: randomUUID(),
    name,
    isLocked: b.is_locked === true || b.is_locked === 1,
    ignoredFiles: typeof b.ignored === 'string' ? b.ignored.split('\n').filter((x) => x.length > 0) : [],
    createdAt: now,
    completesAt: now + BACKUP_MS,
    bytes: Math.round(server.diskBytes * 0.6),
  };
  server.backups.push(backup);
  return { status: 200, body: backupObject(world, backup) };
}
