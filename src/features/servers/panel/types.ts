import type { Result } from '../../../lib/result.ts';
import type { ServerState, Signal } from '../rules/safety.ts';

/** A game server as the guild sees it, from any panel. */
export interface ServerSummary {
  id: string;
  name: string;
  /** What the panel's list said (installing or suspended servers show it here; running state needs `status`). */
  state: ServerState;
  limits?: { memoryBytes?: number; diskBytes?: number; cpuPct?: number };
}

export interface ServerStatus {
  state: ServerState;
  cpuPct?: number;
  memoryBytes?: number;
  diskBytes?: number;
  networkRxBytes?: number;
  networkTxBytes?: number;
  uptimeMs?: number;
  players?: number;
  limits?: { memoryBytes?: number; diskBytes?: number; cpuPct?: number };
}

export interface Backup {
  id: string;
  name: string;
  bytes: number;
  createdAt: string;
  completed: boolean;
}

export interface PanelSchedule {
  id: string;
  name: string;
  cron: string;
  active: boolean;
  nextRunAt: string | null;
}

/**
 * Why a panel call did not succeed, in terms a member can be told about.
 * `detail` is the panel's own words (for the audit log), never the key.
 */
export type PanelFailure =
  | { kind: 'refused-key'; status: 401 | 403; detail: string }
  | { kind: 'unreachable'; detail: string }
  | { kind: 'timeout'; detail: string }
  | { kind: 'not-a-panel'; detail: string }
  | { kind: 'not-found'; detail: string }
  | { kind: 'conflict'; detail: string }
  | { kind: 'offline'; detail: string }
  | { kind: 'rate-limited'; retryAfterS: number; detail: string }
  | { kind: 'limit-reached'; detail: string }
  | { kind: 'unsupported'; detail: string }
  | { kind: 'bad-request'; detail: string }
  | { kind: 'panel-error'; status: number; detail: string };

export type PanelResult<T> = Result<T, PanelFailure>;

/** One panel, whatever speaks for it: the operations Guildkeep uses. */
export interface Orchestrator {
  list(): Promise<PanelResult<ServerSummary[]>>;
  status(serverId: string): Promise<PanelResult<ServerStatus>>;
  power(serverId: string, signal: Signal): Promise<PanelResult<void>>;
  command(serverId: string, command: string): Promise<PanelResult<void>>;
  backups(serverId: string): Promise<PanelResult<Backup[]>>;
  createBackup(serverId: string, name: string): Promise<PanelResult<Backup>>;
  schedules(serverId: string): Promise<PanelResult<PanelSchedule[]>>;
  runSchedule(serverId: string, scheduleId: string): Promise<PanelResult<void>>;
}

export type PanelKind = 'pterodactyl' | 'http';
