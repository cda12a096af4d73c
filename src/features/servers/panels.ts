import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import { GenericPanel } from './panel/generic.ts';
import { PterodactylPanel } from './panel/pterodactyl.ts';
import type { Orchestrator, PanelFailure, PanelKind, PanelResult, ServerStatus } from './panel/types.ts';
import { parseMapping } from './rules/generic-config.ts';
import { open } from './rules/secret-box.ts';
import type { CachedServer, PanelRow, ServersStore } from './store.ts';

/** Resources are read at most this often per server; the list this often per panel. */
export const STATUS_CACHE_MS = 15_000;
/** How many unknown states one list refresh reads, and how long a refresh nobody waits on gives them. */
const LIST_STATES = 25;
const LIST_STATE_BUDGET_MS = 1500;
/** A command that lists servers answers by then, whatever the panel does: Discord waits 3 s. */
export const ANSWER_WITHIN_MS = 2000;
export const LIST_CACHE_MS = 60_000;

export interface Target {
  panel: PanelRow;
  server: CachedServer;
}

export const targetLabel = (t: Target): string => `${t.panel.name}/${t.server.name} (${t.server.id})`;

export function adapterFor(kind: PanelKind, url: string, key: string, mapping: string | null): Orchestrator {
  if (kind === 'http' && mapping) {
    const m = parseMapping(mapping);
    if (m.ok) return new GenericPanel(url, key, m.value);
  }
  return new PterodactylPanel(url, key);
}

/**
 * The guild's panels as the servers feature uses them: one adapter per panel
 * (its key opened once per actor life), the server list kept in storage, and
 * resources cached per server, so commands, autocomplete, displays and
 * schedules together make at most one resources call per server per 15 s.
 * Every fresh resources read is also a history sample.
 */
export class PanelAccess {
  private readonly host: GuildHost;
  private readonly store: ServersStore;
  private readonly adapters = new Map<string, Orchestrator>();
  private readonly statuses = new Map<string, { at: number; status: ServerStatus }>();
  private readonly inflight = new Map<string, Promise<PanelResult<ServerStatus>>>();
  /** Calls made to panels by this actor, per minute, for the bench and diagnostics. */
  readonly calls = { total: 0 };
  /** The last answer of each panel: latency or failure, for /diagnostics. */
  readonly health = new Map<string, { at: number; ms: number; failure: PanelFailure | null }>();

  constructor(host: GuildHost, store: ServersStore) {
    this.host = host;
    this.store = store;
  }

  remember(panelId: string, adapter: Orchestrator): void {
    this.adapters.set(panelId, adapter);
  }

  forget(panelId: string): void {
    this.adapters.delete(panelId);
    for (const k of this.statuses.keys()) if (k.startsWith(`${panelId}/`)) this.statuses.delete(k);
  }

  private async adapter(p: PanelRow): Promise<PanelResult<Orchestrator>> {
    const cached = this.adapters.get(p.id);
    if (cached) return { ok: true, value: cached };
    const key = await open(this.host.config.configKey, this.host.guildId, p.id, p.sealedKey);
    if (!key.ok)
      return { ok: false, error: { kind: 'refused-key', status: 401, detail: `the stored key cannot be opened (${key.error}): was CONFIG_KEY changed?` } };
    const a = adapterFor(p.kind, p.url, key.value, p.mapping);
    this.adapters.set(p.id, a);
    return { ok: true, value: a };
  }

  /** One operation on a panel, timed and counted. */
  async with<T>(p: PanelRow, f: (o: Orchestrator) => Promise<PanelResult<T>>): Promise<PanelResult<T>> {
    const a = await this.adapter(p);
    if (!a.ok) return a;
    const started = performance.now();
    this.calls.total++;
    const r = await f(a.value);
    this.health.set(p.id, { at: now(), ms: performance.now() - started, failure: r.ok ? null : r.error });
    return r;
  }

  /**
   * Lists a panel's servers, then reads the resources of those whose state the list cannot tell (at most
   * LIST_STATES of them, in parallel), waiting for them no later than `until` (a `Date.now()` time) so a
   * command still answers in time; reads that finish later still land in the cache and the stored list.
   */
  async refreshList(p: PanelRow, until = Date.now() + LIST_STATE_BUDGET_MS): Promise<PanelFailure | null> {
    const r = await this.with(p, (o) => o.list());
    if (!r.ok) return r.error;
    // The panel may have been disconnected while we waited.
    if (!this.store.panel(p.id)) return null;
    this.store.replaceServers(p.id, r.value, now());
    await this.fillStates(p.id, until);
    return null;
  }

  /** Reads the resources of a panel's servers whose state is unknown, waiting for them no later than `until`. */
  async fillStates(panelId: string, until = Date.now() + LIST_STATE_BUDGET_MS): Promise<void> {
    const unknown = this.store
      .servers(panelId)
      .filter((s) => s.state === 'unknown')
      .slice(0, LIST_STATES);
    if (unknown.length === 0) return;
    const reads = Promise.all(unknown.map((s) => this.find(panelId, s.id)).map((t) => (t ? this.status(t) : null)));
    const budgetMs = until - Date.now();
    if (budgetMs <= 0) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    await Promise.race([reads, new Promise((done) => (timer = setTimeout(done, budgetMs)))]);
    if (timer !== null) clearTimeout(timer);
  }

  /** `panel/server` from autocomplete, or a server typed by name or id when it is unambiguous. */
  resolve(value: string): Target | null {
    const [panelId, serverId] = value.split('/');
    if (panelId && serverId) return this.find(panelId, serverId);
    const q = value.trim().toLowerCase();
    const hits = this.store.servers().filter((s) => s.id.toLowerCase() === q || s.name.toLowerCase() === q);
    return hits.length === 1 ? this.find(hits[0]!.panelId, hits[0]!.id) : null;
  }

  find(panelId: string, serverId: string): Target | null {
    const panel = this.store.panel(panelId);
    const server = panel ? this.store.servers(panelId).find((s) => s.id === serverId) : undefined;
    return panel && server ? { panel, server } : null;
  }

  /** Resources, at most one read per server in STATUS_CACHE_MS whoever asks; concurrent askers share one call. */
  status(t: Target, maxAgeMs = STATUS_CACHE_MS): Promise<PanelResult<ServerStatus>> {
    const key = `${t.panel.id}/${t.server.id}`;
    const hit = this.statuses.get(key);
    if (hit && now() - hit.at < maxAgeMs) return Promise.resolve({ ok: true, value: hit.status });
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = this.with(t.panel, (o) => o.status(t.server.id)).then((r) => {
      this.inflight.delete(key);
      if (!r.ok) return r;
      const status = { ...r.value, limits: r.value.limits ?? t.server.limits };
      const at = now();
      this.statuses.set(key, { at, status });
      if (status.state !== t.server.state && this.store.panel(t.panel.id)) this.store.setServerState(t.panel.id, t.server.id, status.state);
      this.store.addSample(t.panel.id, t.server.id, at, {
        up: status.state === 'running',
        cpu: status.cpuPct ?? 0,
        memory: status.memoryBytes ?? 0,
        players: status.players ?? 0,
      });
      return { ok: true as const, value: status };
    });
    this.inflight.set(key, p);
    return p;
  }

  /** After a power action the cached state is stale. */
  invalidate(t: Target): void {
    this.statuses.delete(`${t.panel.id}/${t.server.id}`);
  }
}
