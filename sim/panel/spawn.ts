// Starts the panel simulator (Pterodactyl client API + PEON orchestrator) as
// its own Node process, like sim/spawn.ts does for the Discord simulator: it
// exits when the caller's end of its stdin closes, so it cannot outlive its parent.
import { fileURLToPath } from 'node:url';
import { type ChildProcess, spawnChild } from '../child.ts';
import type { DemoWorld } from './server.ts';

export interface PanelProcessInfo {
  /** The panel listener: control API at /_panel, worlds' Pterodactyl APIs at /w/{id}/api/client. */
  url: string;
  /** The orchestrator listener: worlds' PEON APIs at /w/{id}/api/v1. */
  orchestratorUrl: string;
  demo: DemoWorld | null;
}

export type PanelProcess = ChildProcess<PanelProcessInfo>;

/** Port 0 (the default) lets the OS pick a free port; both listeners bind 127.0.0.1 only. */
export async function spawnPanel(opts: { port?: number; orchestratorPort?: number; demo?: boolean } = {}): Promise<PanelProcess> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const args = ['--port', String(opts.port ?? 0), '--orchestrator-port', String(opts.orchestratorPort ?? 0), ...(opts.demo === false ? ['--no-demo'] : [])];
  return spawnChild<PanelProcessInfo>(main, args, 'panel simulator');
}
