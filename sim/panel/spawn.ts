// Starts the panel simulator (Pterodactyl client API + PEON orchestrator) as
// its own Node process, like sim/spawn.ts does for the Discord simulator: it
// exits when the caller's end of its stdin closes, so it cannot outlive its parent.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { DemoWorld } from './server.ts';

export interface PanelProcessInfo {
  /** The panel listener: control API at /_panel, worlds' Pterodactyl APIs at /w/{id}/api/client. */
  url: string;
  /** The orchestrator listener: worlds' PEON APIs at /w/{id}/api/v1. */
  orchestratorUrl: string;
  demo: DemoWorld | null;
}

export interface PanelProcess {
  info: PanelProcessInfo;
  stop(): Promise<void>;
}

/** Port 0 (the default) lets the OS pick a free port; both listeners bind 127.0.0.1 only. */
export async function spawnPanel(opts: { port?: number; orchestratorPort?: number; demo?: boolean } = {}): Promise<PanelProcess> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const args = [
    main,
    '--port',
    String(opts.port ?? 0),
    '--orchestrator-port',
    String(opts.orchestratorPort ?? 0),
    '--exit-with-stdin',
    ...(opts.demo === false ? ['--no-demo'] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<PanelProcessInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`panel simulator exited with ${code}`)));
    lines.once('line', (l) => resolve(JSON.parse(l) as PanelProcessInfo));
  });
  return {
    info,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill(), 2000).unref();
      }),
  };
}
