// A PEON orchestrator's game servers (the-peon-project/peon-orc, as the PEON
// Discord bot talks to it): each is `{game_uid}.{servername}`, a Docker
// container (container_state) running a game server (server_state). Start and
// stop take time; stats move while the server runs.

export const ORC_STARTING_MS = 5_000;
export const ORC_STOPPING_MS = 3_000;

export type OrcState = 'stopped' | 'starting' | 'running' | 'stopping';

export interface OrchestratorServer {
  game_uid: string;
  servername: string;
  description: string;
  maxPlayers: number;
  memoryLimit: number;
  state: OrcState;
  next: number | null;
  /** A start asked for while stopping (restart): start once stopped. */
  startAfterStop: boolean;
  startedAt: number | null;
  createdAt: number;
}

export interface OrchestratorServerSeed {
  game_uid: string;
  servername: string;
  description?: string;
  state?: 'running' | 'stopped';
  maxPlayers?: number;
}

export const DEFAULT_ORCHESTRATOR_SERVERS: OrchestratorServerSeed[] = [
  { game_uid: 'valheim', servername: 'midgard', description: 'Valheim - Midgard (friends)', state: 'running', maxPlayers: 10 },
  { game_uid: 'satisfactory', servername: 'factory', description: 'Satisfactory - co-op factory', state: 'stopped', maxPlayers: 4 },
  { game_uid: 'csgo', servername: 'retakes', description: 'CS:GO retakes', state: 'stopped', maxPlayers: 10 },
];

export function seedOrchestratorServers(now: number, seeds: OrchestratorServerSeed[] = DEFAULT_ORCHESTRATOR_SERVERS): OrchestratorServer[] {
  return seeds.map((s) => ({
    game_uid: s.game_uid,
    servername: s.servername,
    description: s.description ?? `${s.game_uid} server ${s.servername}`,
    maxPlayers: s.maxPlayers ?? 10,
    memoryLimit: 8 * 1024 ** 3,
    state: s.state === 'running' ? 'running' : 'stopped',
    next: null,
    startAfterStop: false,
    startedAt: s.state === 'running' ? now - 5 * 3600_000 : null,
    createdAt: now - 30 * 86_400_000,
  }));
}

export function orcTick(o: OrchestratorServer, now: number): void {
  while (o.next !== null && o.next <= now) {
    const at = o.next;
    if (o.state === 'starting') {
      o.state = 'running';
      o.next = null;
    } else if (o.state === 'stopping') {
      o.state = 'stopped';
      o.startedAt = null;
      o.next = null;
      if (o.startAfterStop) {
        o.startAfterStop = false;
        o.state = 'starting';
        o.startedAt = at;
        o.next = at + ORC_STARTING_MS;
      }
    } else o.next = null;
  }
}

export function orcAction(o: OrchestratorServer, action: 'start' | 'stop' | 'restart', now: number): void {
  orcTick(o, now);
  if (action === 'start') {
    if (o.state === 'stopped') {
      o.state = 'starting';
      o.startedAt = now;
      o.next = now + ORC_STARTING_MS;
    } else if (o.state === 'stopping') o.startAfterStop = true;
    return;
  }
  if (action === 'stop') {
    o.startAfterStop = false;
    if (o.state === 'running' || o.state === 'starting') {
      o.state = 'stopping';
      o.next = now + ORC_STOPPING_MS;
    }
    return;
  }
  // restart
  if (o.state === 'stopped') return orcAction(o, 'start', now);
  o.startAfterStop = true;
  if (o.state !== 'stopping') {
    o.state = 'stopping';
    o.next = now + ORC_STOPPING_MS;
  }
}

/** The server as GET /api/v1/servers lists it. */
export function orcView(o: OrchestratorServer, now: number): Record<string, unknown> {
  orcTick(o, now);
  return {
    game_uid: o.game_uid,
    servername: o.servername,
    server_uid: `${o.game_uid}.${o.servername}`,
    container_name: `peon.warcamp.${o.game_uid}.${o.servername}`,
    container_state: o.state === 'stopped' ? 'exited' : 'running',
    server_state: o.state,
    description: o.description,
    created: new Date(o.createdAt).toISOString(),
  };
}

/** GET /api/v1/server/stats/{uid}. */
export function orcStats(o: OrchestratorServer, now: number): Record<string, unknown> {
  orcTick(o, now);
  const up = o.startedAt !== null && o.state !== 'stopped' ? Math.max(0, now - o.startedAt) : 0;
  const t = up / 1000;
  const running = o.state === 'running';
  const on = o.state !== 'stopped';
  // Players drift through the day; none while the server is not running.
  const online = running ? Math.max(0, Math.min(o.maxPlayers, Math.round(o.maxPlayers * (0.45 + 0.35 * Math.sin(t / 90))))) : 0;
  return {
    game_uid: o.game_uid,
    servername: o.servername,
    server_uid: `${o.game_uid}.${o.servername}`,
    container_state: on ? 'running' : 'exited',
    server_state: o.state,
    players: { online, max: o.maxPlayers },
    stats: {
      cpu_percent: on ? Math.round((o.state === 'starting' ? 95 : 22 + 14 * Math.sin(t / 6) + 5 * Math.sin(t / 1.1)) * 100) / 100 : 0,
      memory_stats: { usage: on ? Math.round(o.memoryLimit * (0.4 + 0.1 * Math.sin(t / 11))) : 0, limit: o.memoryLimit },
      uptime_ms: up,
    },
  };
}
