// One isolated world of the panel simulator: its clock, its Pterodactyl users,
// keys, servers (with a Wings-like power state machine), backups, schedules,
// rate limiter, faults and request log, plus its PEON orchestrator's servers.
// Tests run in parallel files against one process, so nothing is shared
// between worlds. Every time-dependent thing reads `world.now()`: with a
// manual clock, time moves only when a test advances it.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { OrchestratorServer, OrchestratorServerSeed } from '../orchestrator/state.ts';
import { seedOrchestratorServers } from '../orchestrator/state.ts';

// ---- timings (ms), from the brief; Wings itself has no fixed durations -------------
export const STARTING_MS = 3_000;
export const STOPPING_MS = 2_000;
export const BACKUP_MS = 5_000;
export const SCHEDULE_RUN_MS = 1_000;
// Pterodactyl's defaults: config/http.php (720 a minute per user) and config/backups.php (2 per 600 s).
export const DEFAULT_RATE_LIMIT = 720;
export const RATE_WINDOW_MS = 60_000;
export const BACKUP_THROTTLE_LIMIT = 2;
export const BACKUP_THROTTLE_PERIOD_S = 600;
// ResourceUtilizationController caches a server's stats for 20 s.
export const RESOURCE_CACHE_MS = 20_000;

export type PowerState = 'offline' | 'starting' | 'running' | 'stopping';
export type ServerStatus = null | 'installing' | 'install_failed' | 'reinstall_failed' | 'suspended' | 'restoring_backup';
export type DownMode = 'reset' | '503';

// Subuser permissions (app/Models/Permission.php).
export const ALL_PERMISSIONS = [
  'websocket.connect',
  'control.console',
  'control.start',
  'control.stop',
  'control.restart',
  'user.create',
  'user.read',
  'user.update',
  'user.delete',
  'file.create',
  'file.read',
  'file.read-content',
  'file.update',
  'file.delete',
  'file.archive',
  'file.sftp',
  'backup.create',
  'backup.read',
  'backup.delete',
  'backup.download',
  'backup.restore',
  'allocation.read',
  'allocation.create',
  'allocation.update',
  'allocation.delete',
  'startup.read',
  'startup.update',
  'startup.docker-image',
  'database.create',
  'database.read',
  'database.update',
  'database.delete',
  'database.view_password',
  'schedule.create',
  'schedule.read',
  'schedule.update',
  'schedule.delete',
  'settings.rename',
  'settings.reinstall',
  'activity.read',
];
/** The read-only subuser: can see servers, stats, schedules; no control, console or backup permission. */
export const READ_ONLY_PERMISSIONS = ['websocket.connect', 'schedule.read', 'allocation.read', 'startup.read', 'activity.read'];

export interface PanelUser {
  id: number;
  uuid: string;
  username: string;
  /** null: owner of every server in the world (root of its servers); otherwise a subuser with these permissions. */
  permissions: string[] | null;
}

export interface Backup {
  uuid: string;
  name: string;
  isLocked: boolean;
  ignoredFiles: string[];
  createdAt: number;
  completesAt: number;
  bytes: number;
}

export interface Task {
  id: number;
  sequenceId: number;
  action: 'command' | 'power' | 'backup';
  payload: string;
  timeOffset: number;
  continueOnFailure: boolean;
}

export interface Schedule {
  id: number;
  name: string;
  cron: { day_of_week: string; day_of_month: string; month: string; hour: string; minute: string };
  isActive: boolean;
  onlyWhenOnline: boolean;
  lastRunAt: number | null;
  processingUntil: number;
  createdAt: number;
  tasks: Task[];
}

export interface PanelServer {
  internalId: number;
  uuid: string;
  identifier: string;
  name: string;
  description: string;
  game: string;
  node: string;
  status: ServerStatus;
  transferring: boolean;
  limits: { memory: number; swap: number; disk: number; io: number; cpu: number; threads: string | null; oom_disabled: boolean };
  featureLimits: { databases: number; allocations: number; backups: number };
  allocation: { id: number; ip: string; ip_alias: string | null; port: number };
  dockerImage: string;
  invocation: string;
  // Power state machine (Wings). `next` is when the current transitional state ends.
  power: PowerState;
  next: number | null;
  /** A start or restart asked for while stopping: start once stopped. */
  startAfterStop: boolean;
  startedAt: number | null;
  diskBytes: number;
  commands: { at: number; command: string }[];
  backups: Backup[];
  schedules: Schedule[];
  /** Cached stats, as the panel's 20 s cache holds them. */
  statsCache: { until: number; stats: Record<string, unknown> } | null;
}

export interface ServerSeed {
  name: string;
  game?: string;
  description?: string;
  /** Power state at creation: 'running' or 'offline' (default). */
  state?: 'running' | 'offline';
  status?: ServerStatus;
  transferring?: boolean;
  backupLimit?: number;
  memory?: number;
  disk?: number;
  cpu?: number;
  port?: number;
}

export interface WorldOptions {
  clock?: 'manual' | 'real';
  rateLimitPerMinute?: number;
  latencyMs?: number;
  resourceCacheMs?: number;
  servers?: ServerSeed[];
  orchestratorServers?: OrchestratorServerSeed[];
}

export interface LogEntry {
  seq: number;
  api: 'panel' | 'orchestrator';
  method: string;
  path: string;
  status: number;
  /** World clock (ms since the epoch) when the request arrived. */
  at: number;
  /** Which of the world's keys made the call ('admin', 'readonly', 'orchestrator', a custom key's name), or null. */
  key: string | null;
}

interface RateWindow {
  start: number;
  count: number;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function randomAlnum(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[bytes[i]! % ALNUM.length];
  return s;
}
/** A client API key as Pterodactyl makes one: `ptlc_` + 11 characters of identifier, then a 32-character secret (48 in all). */
export function clientApiKey(): string {
  return `ptlc_${randomAlnum(11)}${randomAlnum(32)}`;
}

export const DEFAULT_SERVERS: ServerSeed[] = [
  {
    name: 'Survival SMP',
    game: 'minecraft',
    description: 'Paper 1.21 survival world for the community',
    state: 'running',
    backupLimit: 3,
    memory: 6144,
    disk: 20480,
    cpu: 300,
    port: 25565,
  },
  { name: 'Valheim Dedicated', game: 'valheim', description: 'Midgard, password in #server-info', state: 'offline', backupLimit: 2, memory: 4096, port: 2456 },
  { name: 'Rust Weekly Wipe', game: 'rust', description: 'Procedural map, wipes Thursdays', status: 'installing', backupLimit: 1, memory: 8192, port: 28015 },
  { name: 'Terraria Journey', game: 'terraria', description: 'Journey mode, large world', status: 'suspended', backupLimit: 1, memory: 1024, port: 7777 },
];

const IMAGES: Record<string, { image: string; invocation: string }> = {
  minecraft: { image: 'ghcr.io/pterodactyl/yolks:java_21', invocation: 'java -Xms128M -XX:MaxRAMPercentage=95.0 -jar server.jar' },
  valheim: { image: 'ghcr.io/parkervcp/games:valheim', invocation: './valheim_server.x86_64 -nographics -batchmode -port 2456' },
  rust: { image: 'ghcr.io/pterodactyl/games:rust', invocation: './RustDedicated -batchmode +server.port 28015' },
  terraria: { image: 'ghcr.io/parkervcp/yolks:debian', invocation: './TerrariaServer.bin.x86_64 -config serverconfig.txt' },
};

export class World {
  readonly id: string;
  readonly clock: 'manual' | 'real';
  private manualNow: number;
  rateLimitPerMinute: number;
  latencyMs: number;
  resourceCacheMs: number;
  down: { panel: DownMode | null; orchestrator: DownMode | null } = { panel: null, orchestrator: null };
  readonly users: PanelUser[] = [];
  /** Full key → its user and name. */
  readonly keys = new Map<string, { user: PanelUser; name: string }>();
  readonly adminKey: string;
  readonly readOnlyKey: string;
  readonly orchestratorKey: string;
  readonly servers: PanelServer[] = [];
  readonly orchestratorServers: OrchestratorServer[];
  readonly log: LogEntry[] = [];
  private seq = 0;
  private readonly rate = new Map<number, RateWindow>();
  private nextInternalId = 1;
  private nextScheduleId = 1;
  private nextTaskId = 1;

  constructor(id: string, opts: WorldOptions = {}) {
    this.id = id;
    this.clock = opts.clock ?? 'real';
    this.manualNow = Date.now();
    this.rateLimitPerMinute = opts.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT;
    this.latencyMs = opts.latencyMs ?? 0;
    this.resourceCacheMs = opts.resourceCacheMs ?? RESOURCE_CACHE_MS;
    const admin = this.addUser('admin', null);
    const reader = this.addUser('readonly', READ_ONLY_PERMISSIONS);
    this.adminKey = this.addKey(admin, 'admin');
    this.readOnlyKey = this.addKey(reader, 'readonly');
    this.orchestratorKey = randomBytes(24).toString('hex');
    for (const seed of opts.servers ?? DEFAULT_SERVERS) this.addServer(seed);
    this.orchestratorServers = seedOrchestratorServers(this.now(), opts.orchestratorServers);
  }

  now(): number {
    return this.clock === 'manual' ? this.manualNow : Date.now();
  }

  advance(ms: number): number {
    if (this.clock === 'manual') this.manualNow += ms;
    return this.now();
  }

  addUser(username: string, permissions: string[] | null): PanelUser {
    const user: PanelUser = { id: this.users.length + 1, uuid: randomUUID(), username, permissions };
    this.users.push(user);
    return user;
  }

  addKey(user: PanelUser, name: string): string {
    const key = clientApiKey();
    this.keys.set(key, { user, name });
    return key;
  }

  addServer(seed: ServerSeed): PanelServer {
    const uuid = randomUUID();
    const game = seed.game ?? 'minecraft';
    const img = IMAGES[game] ?? IMAGES.minecraft!;
    const now = this.now();
    const internalId = this.nextInternalId++;
    const server: PanelServer = {
      internalId,
      uuid,
      identifier: uuid.slice(0, 8),
      name: seed.name,
      description: seed.description ?? '',
      game,
      node: 'Node 1',
      status: seed.status ?? null,
      transferring: seed.transferring ?? false,
      limits: { memory: seed.memory ?? 2048, swap: 0, disk: seed.disk ?? 10240, io: 500, cpu: seed.cpu ?? 200, threads: null, oom_disabled: true },
      featureLimits: { databases: 1, allocations: 1, backups: seed.backupLimit ?? 2 },
      allocation: { id: internalId, ip: '172.18.0.1', ip_alias: `${game}.play.example.test`, port: seed.port ?? 25565 },
      dockerImage: img.image,
      invocation: img.invocation,
      power: seed.state === 'running' ? 'running' : 'offline',
      next: null,
      startAfterStop: false,
      // A server seeded as running has been up for a while.
      startedAt: seed.state === 'running' ? now - 3 * 3600_000 : null,
      diskBytes: 1_500_000_000 + internalId * 123_456_789,
      commands: [],
      backups: [],
      schedules: [],
      statsCache: null,
    };
    server.schedules.push({
      id: this.nextScheduleId++,
      name: 'Nightly restart',
      cron: { day_of_week: '*', day_of_month: '*', month: '*', hour: '4', minute: '0' },
      isActive: true,
      onlyWhenOnline: true,
      lastRunAt: null,
      processingUntil: 0,
      createdAt: now - 7 * 86_400_000,
      tasks: [
        { id: this.nextTaskId++, sequenceId: 1, action: 'command', payload: 'say Restarting in 60 seconds', timeOffset: 0, continueOnFailure: false },
        { id: this.nextTaskId++, sequenceId: 2, action: 'power', payload: 'restart', timeOffset: 60, continueOnFailure: false },
      ],
    });
    server.schedules.push({
      id: this.nextScheduleId++,
      name: 'Empty schedule',
      cron: { day_of_week: '0', day_of_month: '*', month: '*', hour: '12', minute: '30' },
      isActive: false,
      onlyWhenOnline: false,
      lastRunAt: null,
      processingUntil: 0,
      createdAt: now - 86_400_000,
      tasks: [],
    });
    this.servers.push(server);
    return server;
  }

  findServer(idOrUuid: string): PanelServer | undefined {
    // SubstituteClientBindings: 8 characters → uuidShort, otherwise the full uuid.
    return this.servers.find((s) => (idOrUuid.length === 8 ? s.identifier === idOrUuid : s.uuid === idOrUuid));
  }

  // ---- power state machine -----------------------------------------------------------

  /** Applies every transition due by now. */
  tick(s: PanelServer): void {
    const now = this.now();
    while (s.next !== null && s.next <= now) {
      const at = s.next;
      if (s.power === 'starting') {
        s.power = 'running';
        s.next = null;
      } else if (s.power === 'stopping') {
        s.power = 'offline';
        s.startedAt = null;
        s.next = null;
        if (s.startAfterStop) {
          s.startAfterStop = false;
          s.power = 'starting';
          s.startedAt = at;
          s.next = at + STARTING_MS;
        }
      } else s.next = null;
    }
  }

  /** A power signal as Wings handles it. */
  power(s: PanelServer, signal: 'start' | 'stop' | 'restart' | 'kill'): void {
    this.tick(s);
    const now = this.now();
    switch (signal) {
      case 'start':
        if (s.power === 'offline') {
          s.power = 'starting';
          s.startedAt = now;
          s.next = now + STARTING_MS;
        } else if (s.power === 'stopping') s.startAfterStop = true;
        // starting or running: nothing to do.
        return;
      case 'stop':
        s.startAfterStop = false;
        if (s.power === 'starting' || s.power === 'running') {
          s.power = 'stopping';
          s.next = now + STOPPING_MS;
        }
        return;
      case 'restart':
        if (s.power === 'offline') return this.power(s, 'start');
        if (s.power === 'stopping') {
          s.startAfterStop = true;
          return;
        }
        s.power = 'stopping';
        s.next = now + STOPPING_MS;
        s.startAfterStop = true;
        return;
      case 'kill':
        s.power = 'offline';
        s.next = null;
        s.startedAt = null;
        s.startAfterStop = false;
        return;
    }
  }

  /** Wings's stats for a server, computed from the clock (varying, but reproducible for a given time). */
  liveStats(s: PanelServer): Record<string, unknown> {
    this.tick(s);
    const now = this.now();
    const up = s.startedAt !== null && s.power !== 'offline' ? Math.max(0, now - s.startedAt) : 0;
    const t = up / 1000;
    const limitBytes = s.limits.memory * 1024 * 1024;
    const on = s.power !== 'offline';
    const warm = s.power === 'starting' ? Math.min(1, t / (STARTING_MS / 1000)) : 1;
    const memory = on ? Math.round(limitBytes * (0.35 + 0.25 * warm + 0.08 * Math.sin(t / 7) + 0.02 * Math.sin(t / 1.3))) : 0;
    const cpu = on ? Math.round((s.power === 'starting' ? 140 : 25 + 18 * Math.sin(t / 5) + 6 * Math.sin(t / 0.9) + 20) * 1000) / 1000 : 0;
    return {
      state: s.power,
      is_suspended: s.status === 'suspended',
      utilization: {
        memory_bytes: memory,
        cpu_absolute: Math.max(0, cpu),
        disk_bytes: s.diskBytes,
        network: { rx_bytes: on ? Math.round(t * 42_000) : 0, tx_bytes: on ? Math.round(t * 96_000) : 0 },
        uptime: up,
      },
    };
  }

  /** The stats the panel answers with: cached per server for resourceCacheMs, as ResourceUtilizationController does. */
  stats(s: PanelServer): Record<string, unknown> {
    const now = this.now();
    if (this.resourceCacheMs > 0 && s.statsCache && s.statsCache.until > now) return s.statsCache.stats;
    const stats = this.liveStats(s);
    s.statsCache = this.resourceCacheMs > 0 ? { until: now + this.resourceCacheMs, stats } : null;
    return stats;
  }

  // ---- backups ------------------------------------------------------------------

  backupDone(b: Backup): boolean {
    return b.completesAt <= this.now();
  }

  backupChecksum(b: Backup): string {
    return `sha1:${createHash('sha1').update(b.uuid).digest('hex')}`;
  }

  // ---- schedules ----------------------------------------------------------------

  runSchedule(s: PanelServer, sch: Schedule): void {
    const now = this.now();
    sch.lastRunAt = now;
    sch.processingUntil = now + SCHEDULE_RUN_MS;
    for (const task of sch.tasks) {
      if (task.action === 'power') this.power(s, task.payload as 'start' | 'stop' | 'restart' | 'kill');
      else if (task.action === 'command') {
        this.tick(s);
        if (s.power === 'running') s.commands.push({ at: now, command: task.payload });
      }
    }
  }

  // ---- rate limit (Laravel's ThrottleRequests: a fixed window per user, opened by its first request) ----

  hit(user: PanelUser): { ok: boolean; limit: number; remaining: number; retryAfterS: number; resetAt: number } {
    const now = this.now();
    const limit = this.rateLimitPerMinute;
    let w = this.rate.get(user.id);
    if (!w || now >= w.start + RATE_WINDOW_MS) {
      w = { start: now, count: 0 };
      this.rate.set(user.id, w);
    }
    const resetAt = w.start + RATE_WINDOW_MS;
    const retryAfterS = Math.max(0, Math.ceil((resetAt - now) / 1000));
    if (w.count >= limit) return { ok: false, limit, remaining: 0, retryAfterS, resetAt };
    w.count++;
    return { ok: true, limit, remaining: Math.max(0, limit - w.count), retryAfterS, resetAt };
  }

  resetRateLimits(): void {
    this.rate.clear();
  }

  // ---- request log ----------------------------------------------------------------

  record(entry: Omit<LogEntry, 'seq'>): void {
    this.log.push({ seq: ++this.seq, ...entry });
    if (this.log.length > 5000) this.log.splice(0, this.log.length - 5000);
  }

  /** What the control API answers about a world (keys included: the tests need them). */
  describe(urls: { url: string; orchestratorUrl: string }): Record<string, unknown> {
    return {
      id: this.id,
      url: urls.url,
      orchestratorUrl: urls.orchestratorUrl,
      clock: this.clock,
      now: this.now(),
      rateLimitPerMinute: this.rateLimitPerMinute,
      latencyMs: this.latencyMs,
      resourceCacheMs: this.resourceCacheMs,
      down: this.down,
      keys: { admin: this.adminKey, readOnly: this.readOnlyKey, orchestrator: this.orchestratorKey },
      servers: this.servers.map((s) => {
        this.tick(s);
        return {
          identifier: s.identifier,
          uuid: s.uuid,
          internalId: s.internalId,
          name: s.name,
          game: s.game,
          state: s.power,
          status: s.status,
          transferring: s.transferring,
          backupLimit: s.featureLimits.backups,
          schedules: s.schedules.map((x) => ({ id: x.id, name: x.name, tasks: x.tasks.length })),
          commands: s.commands,
        };
      }),
      orchestratorServers: this.orchestratorServers.map((o) => ({ uid: `${o.game_uid}.${o.servername}`, state: o.state })),
    };
  }
}
