import { err, ok } from '../../../lib/result.ts';
import { type GenericMapping, mapState, type OpTemplate } from '../rules/generic-config.ts';
import { fillTemplate, readPath } from '../rules/json-path.ts';
import type { Signal } from '../rules/safety.ts';
import { commonFailure, type PanelResponse, panelFetch } from './http.ts';
import type { Backup, Orchestrator, PanelResult, PanelSchedule, ServerStatus, ServerSummary } from './types.ts';

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;

/**
 * Any orchestrator with an HTTP API, driven by the admin's mapping (see
 * rules/generic-config.ts): method and path templates per operation, JSON
 * paths per field, and the key sent in the header the mapping names.
 */
export class GenericPanel implements Orchestrator {
  private readonly base: string;
  private readonly key: string;
  private readonly map: GenericMapping;
  private readonly timeoutMs: number | undefined;

  constructor(baseUrl: string, key: string, mapping: GenericMapping, timeoutMs?: number) {
    this.base = baseUrl;
    this.key = key;
    this.map = mapping;
    this.timeoutMs = timeoutMs;
  }

  private async call(op: { method?: string; path: string; body?: Record<string, string> }, vars: Record<string, string>): Promise<PanelResult<PanelResponse>> {
    const body = op.body ? Object.fromEntries(Object.entries(op.body).map(([k, v]) => [k, fillTemplate(v, vars)])) : undefined;
    const r = await panelFetch(
      this.base + fillTemplate(op.path, vars, true),
      {
        method: op.method ?? 'GET',
        headers: { [this.map.auth.header]: `${this.map.auth.prefix ?? ''}${this.key}`, Accept: 'application/json' },
        ...(body ? { body } : {}),
      },
      this.timeoutMs,
    );
    if (!r.ok) return r;
    const res = r.value;
    if (res.status >= 200 && res.status < 300) return r;
    if (res.status === 409) return err({ kind: 'conflict', detail: res.text.slice(0, 200) || 'HTTP 409' });
    if (res.status === 400) return err({ kind: 'bad-request', detail: res.text.slice(0, 200) || 'HTTP 400' });
    return err(commonFailure(res) ?? { kind: 'panel-error', status: res.status, detail: `HTTP ${res.status}` });
  }

  private itemId(item: unknown, idSpec: string): string {
    return idSpec.includes('{') ? fillTemplate(idSpec, item) : String(readPath(item, idSpec) ?? '');
  }

  async list(): Promise<PanelResult<ServerSummary[]>> {
    const l = this.map.list;
    const r = await this.call(l, {});
    if (!r.ok) return r;
    const items = readPath(r.value.body, l.items);
    if (!Array.isArray(items)) return err({ kind: 'not-a-panel', detail: `no list at "${l.items}" in the answer` });
    return ok(
      items
        .map((it) => ({
          id: this.itemId(it, l.id),
          name: String(readPath(it, l.name) ?? ''),
          state: l.state ? mapState(readPath(it, l.state), this.map.states) : ('unknown' as const),
        }))
        .filter((s) => s.id !== '')
        .map((s) => ({ ...s, name: s.name || s.id })),
    );
  }

  async status(id: string): Promise<PanelResult<ServerStatus>> {
    const s = this.map.status;
    if (!s) {
      // Without a status operation, the list's state is all there is.
      const l = await this.list();
      if (!l.ok) return l;
      const found = l.value.find((x) => x.id === id);
      return found ? ok({ state: found.state }) : err({ kind: 'not-found', detail: 'not in the list' });
    }
    const r = await this.call(s, { id });
    if (!r.ok) return r;
    const b = r.value.body;
    if (b === null || typeof b !== 'object') return err({ kind: 'not-a-panel', detail: 'the status answer is not JSON' });
    const field = (p: string | undefined) => (p ? num(readPath(b, p)) : undefined);
    const out: ServerStatus = { state: mapState(readPath(b, s.state), this.map.states) };
    const set = <K extends keyof ServerStatus>(k: K, v: ServerStatus[K] | undefined) => {
      if (v !== undefined) out[k] = v;
    };
    set('cpuPct', field(s.cpuPct));
    set('memoryBytes', field(s.memoryBytes));
    set('diskBytes', field(s.diskBytes));
    set('uptimeMs', field(s.uptimeMs));
    set('players', field(s.players));
    return ok(out);
  }

  private async op(t: OpTemplate | undefined, vars: Record<string, string>, what: string): Promise<PanelResult<PanelResponse>> {
    if (!t) return err({ kind: 'unsupported', detail: `${what} is not configured for this panel` });
    return this.call(t, vars);
  }

  async power(id: string, signal: Signal): Promise<PanelResult<void>> {
    const r = await this.op(this.map.power?.[signal], { id }, signal);
    return r.ok ? ok(undefined) : r;
  }

  async command(id: string, command: string): Promise<PanelResult<void>> {
    const r = await this.op(this.map.command, { id, command }, 'command');
    return r.ok ? ok(undefined) : r;
  }

  async backups(id: string): Promise<PanelResult<Backup[]>> {
    const b = this.map.backupsList;
    if (!b) return err({ kind: 'unsupported', detail: 'backups are not configured for this panel' });
    const r = await this.call(b, { id });
    if (!r.ok) return r;
    const items = readPath(r.value.body, b.items);
    if (!Array.isArray(items)) return err({ kind: 'not-a-panel', detail: `no list at "${b.items}"` });
    return ok(items.map((it) => ({ id: this.itemId(it, b.id), name: String(readPath(it, b.name) ?? ''), bytes: 0, createdAt: '', completed: true })));
  }

  async createBackup(id: string, name: string): Promise<PanelResult<Backup>> {
    const r = await this.op(this.map.backupCreate, { id, name }, 'backup');
    return r.ok ? ok({ id: '', name, bytes: 0, createdAt: '', completed: false }) : r;
  }

  async schedules(): Promise<PanelResult<PanelSchedule[]>> {
    return err({ kind: 'unsupported', detail: 'panel schedules need a Pterodactyl panel' });
  }

  async runSchedule(): Promise<PanelResult<void>> {
    return err({ kind: 'unsupported', detail: 'panel schedules need a Pterodactyl panel' });
  }
}
