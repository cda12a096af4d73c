// Starts the simulator as its own Node process (tests, `npm run dev`, bench):
// its work never competes with the caller's event loop, and it exits when the
// caller's end of its stdin closes, so it cannot outlive its parent.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SimProcessInfo {
  url: string;
  apiBase: string;
  applicationId: string;
  publicKeyHex: string;
  botToken: string;
  demo: Record<string, unknown> | null;
}

export interface SimProcess {
  info: SimProcessInfo;
  stop(): Promise<void>;
}

export async function spawnSimulator(opts: { port?: number; interactionsUrl?: string; memberView?: boolean } = {}): Promise<SimProcess> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const args = [
    main,
    '--port',
    String(opts.port ?? 0),
    '--exit-with-stdin',
    ...(opts.interactionsUrl ? ['--interactions-url', opts.interactionsUrl] : []),
    ...(opts.memberView ? ['--member-view'] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<SimProcessInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    lines.once('line', (l) => resolve(JSON.parse(l) as SimProcessInfo));
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
