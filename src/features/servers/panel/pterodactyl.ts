import { err, ok } from '../../../lib/result.ts';
import { now } from '../../../runtime/clock.ts';
import type { ServerState, Signal } from '../rules/safety.ts';
import { commonFailure, type PanelResponse, panelFetch, retryAfterSeconds } from './http.ts';
import type { Backup, Orchestrator, PanelFailure, PanelResult, PanelSchedule, ServerStatus, ServerSummary } from './types.ts';

/** Pterodactyl's error body: `{"errors":[{"code","status","detail"}]}`. */
interface PteroErrors {
  errors?: { code?: string; status?: string; detail?: string }[];
}

interface ServerAttributes {
  identifier: string;
  name: string;
  status?: string | null;
  is_suspended?: boolean;
  is_installing?: boolean;
  is_transferring?: boolean;
  limits?: { memory?: number; disk?: number; cpu?: number };
}

const MIB = 1024 * 1024;
/** Pages read at most when listing (100 servers each): a guild's picker needs no more. */
const MAX_PAGES = 10;

function firstError(body: unknown): { code: string; detail: string } {
  const e = (body as PteroErrors | null)?.errors?.[0];
  return { code: e?.code ?? '', detail: (e?.detail ?? '').slice(0, 200) };
}

/** The list's idea of a server's state: only install/suspension/restore; running state comes from resources. */
function listState(a: ServerAttributes): ServerState {
  if (a.is_suspended || a.status === 'suspended') return 'suspended';
  if (a.is_installing || a.status === 'installing' || a.status === 'install_failed') return 'installing';
  if (a.status === 'restoring_backup') return 'restoring';
  return 'unknown';
}

function limitsOf(a: ServerAttributes): ServerSummary['limits'] {
  const l = a.limits ?? {};
  // Pterodactyl gives MiB, 0 meaning unlimited.
  return {
    ...(l.memory ? { memoryBytes: l.memory * MIB } : {}),
    ...(l.disk ? { diskBytes: l.disk * MIB } : {}),
    ...(l.cpu ? { cpuPct: l.cpu } : {}),
  };
}

const STATES: Record<string, ServerState> = { running: 'running', starting: 'starting', stopping: 'stopping', offline: 'offline' };

/**
 * The Pterodactyl (and Pelican) client API, with a client key (`ptlc_…`):
 * Bearer auth, its versioned Accept header, pagination, and its conflict,
 * throttle and daemon answers turned into failures a member can be told about.
 */
export class PterodactylPanel implements Orchestrator {
  private readonly base: string;
  private readonly key: string;
  private readonly timeoutMs: number | undefined;
  /** No call before this time: the panel said 429, or its X-RateLimit-Remaining reached 0. */
  private heldUntil = 0;

  constructor(baseUrl: string, key: string, timeoutMs?: number) {
    this.base = `${baseUrl}/api/client`;
    this.key = key;
    this.timeoutMs = timeoutMs;
  }

  private async call(method: string, path: string, body?: unknown): Promise<PanelResult<PanelResponse>> {
    const wait = this.heldUntil - now();
    if (wait > 0) return err({ kind: 'rate-limited', retryAfterS: Math.ceil(wait / 1000), detail: "held back by the panel's rate limit" });
    const r = await panelFetch(
      this.base + path,
      { method, headers: { Authorization: `Bearer ${this.key}`, Accept: 'Application/vnd.pterodactyl.v1+json' }, ...(body !== undefined ? { body } : {}) },
      this.timeoutMs,
    );
    if (!r.ok) return r;
    const res = r.value;
    this.honourLimits(res);
    if (res.status >= 200 && res.status < 300) return r;
    return err(this.failure(res));
  }

  /** Pterodactyl sends X-RateLimit-Limit/Remaining on every answer and Retry-After with 429. */
  private honourLimits(res: PanelResponse): void {
    if (res.status === 429) this.heldUntil = now() + retryAfterSeconds(res.headers) * 1000;
    else if (res.headers.get('x-ratelimit-remaining') === '0') this.heldUntil = now() + retryAfterSeconds(res.headers) * 1000;
  }

  private failure(res: PanelResponse): PanelFailure {
    const e = firstError(res.body);
    if (res.status === 409) return { kind: 'conflict', detail: e.detail || e.code || 'conflicting server state' };
    if (res.status === 400 && /TooManyBackups/i.test(e.code)) return { kind: 'limit-reached', detail: e.detail || e.code };
    if (res.status === 400 || res.status === 422) return { kind: 'bad-request', detail: e.detail || e.code || `HTTP ${res.status}` };
    // Wings answers 502 when a command is sent to a server that is not running.
    if (res.status === 502 && /must be online|not running|offline/i.test(e.detail)) return { kind: 'offline', detail: e.detail };
    const common = commonFailure(res);
    if (common) return e.detail ? ({ ...common, detail: `${common.detail}: ${e.detail}` } as PanelFailure) : common;
    return { kind: 'panel-error', status: res.status, detail: e.detail || `HTTP ${res.status}` };
  }

  async list(): Promise<PanelResult<ServerSummary[]>> {
    const out: ServerSummary[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const r = await this.call('GET', `?page=${page}&per_page=100`);
      if (!r.ok) return r;
      const body = r.value.body as { object?: string; data?: { attributes?: ServerAttributes }[]; meta?: { pagination?: { total_pages?: number } } } | null;
      if (!body || body.object !== 'list' || !Array.isArray(body.data))
        return err({ kind: 'not-a-panel', detail: 'the answer is not a Pterodactyl server list' });
      for (const d of body.data) {
        const a = d.attributes;
        if (!a?.identifier) continue;
        out.push({ id: a.identifier, name: a.name || a.identifier, state: listState(a), limits: limitsOf(a) });
      }
      if ((body.meta?.pagination?.total_pages ?? 1) <= page) break;
    }
    return ok(out);
  }

  /** One resources call; only a server the panel refuses with 409 (installing, suspended, restoring) costs a second call for the reason. */
  async status(id: string): Promise<PanelResult<ServerStatus>> {
    const res = await this.call('GET', `/servers/${encodeURIComponent(id)}/resources`);
    if (!res.ok) {
      if (res.error.kind !== 'conflict') return res;
      const info = await this.call('GET', `/servers/${encodeURIComponent(id)}`);
      const a = info.ok ? (info.value.body as { attributes?: ServerAttributes } | null)?.attributes : undefined;
      const state = a ? listState(a) : 'unknown';
      return state !== 'unknown' && a ? ok({ state, limits: limitsOf(a) }) : res;
    }
    const attrs = (res.value.body as { attributes?: { current_state?: string; is_suspended?: boolean; resources?: Record<string, number> } } | null)
      ?.attributes;
    if (!attrs?.resources) return err({ kind: 'not-a-panel', detail: 'the answer is not a Pterodactyl resources object' });
    const r = attrs.resources;
    return ok({
      state: attrs.is_suspended ? 'suspended' : (STATES[attrs.current_state ?? ''] ?? 'unknown'),
      cpuPct: r.cpu_absolute,
      memoryBytes: r.memory_bytes,
      diskBytes: r.disk_bytes,
      networkRxBytes: r.network_rx_bytes,
      networkTxBytes: r.network_tx_bytes,
      uptimeMs: r.uptime,
    });
  }

  async power(id: string, signal: Signal): Promise<PanelResult<void>> {
    const r = await this.call('POST', `/servers/${encodeURIComponent(id)}/power`, { signal });
    return r.ok ? ok(undefined) : r;
  }

  async command(id: string, command: string): Promise<PanelResult<void>> {
    const r = await this.call('POST', `/servers/${encodeURIComponent(id)}/command`, { command });
    return r.ok ? ok(undefined) : r;
  }

  async backups(id: string): Promise<PanelResult<Backup[]>> {
    const r = await this.call('GET', `/servers/${encodeURIComponent(id)}/backups`);
    if (!r.ok) return r;
    const data = (r.value.body as { data?: { attributes?: Record<string, unknown> }[] } | null)?.data ?? [];
    return ok(data.map((d) => backupOf(d.attributes ?? {})));
  }

  async createBackup(id: string, name: string): Promise<PanelResult<Backup>> {
    const r = await this.call('POST', `/servers/${encodeURIComponent(id)}/backups`, { name });
    if (!r.ok) return r;
    return ok(backupOf((r.value.body as { attributes?: Record<string, unknown> } | null)?.attributes ?? {}));
  }

  async schedules(id: string): Promise<PanelResult<PanelSchedule[]>> {
    const r = await this.call('GET', `/servers/${encodeURIComponent(id)}/schedules`);
    if (!r.ok) return r;
    const data = (r.value.body as { data?: { attributes?: Record<string, unknown> }[] } | null)?.data ?? [];
    return ok(
      data.map(({ attributes: a = {} }) => {
        const c = (a.cron ?? {}) as Record<string, string>;
        return {
          id: String(a.id ?? ''),
          name: String(a.name ?? ''),
          cron: [c.minute, c.hour, c.day_of_month, c.month, c.day_of_week].map((x) => x ?? '*').join(' '),
          active: a.is_active !== false,
          nextRunAt: typeof a.next_run_at === 'string' ? a.next_run_at : null,
        };
      }),
    );
  }

  async runSchedule(id: string, scheduleId: string): Promise<PanelResult<void>> {
    const r = await this.call('POST', `/servers/${encodeURIComponent(id)}/schedules/${encodeURIComponent(scheduleId)}/execute`);
    return r.ok ? ok(undefined) : r;
  }
}

function backupOf(a: Record<string, unknown>): Backup {
  return {
    id: String(a.uuid ?? ''),
    name: String(a.name ?? ''),
    bytes: typeof a.bytes === 'number' ? a.bytes : 0,
    createdAt: String(a.created_at ?? ''),
    completed: a.completed_at !== null && a.completed_at !== undefined,
  };
}
