// A throwaway bench Worker under `wrangler dev` (its own config, port and
// storage), and its clean stop. Shared by the signature and RPC benches.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const wranglerBin = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url));

// In the caller's process group (not detached), so a Ctrl-C reaches it too; on
// SIGTERM wrangler stops the workerd it started.
export function startBenchWorker(config: string, port: number, persistTo: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      wranglerBin,
      'dev',
      '-c',
      config,
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--show-interactive-dev-session=false',
      '--log-level',
      'error',
      '--persist-to',
      persistTo,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    },
  );
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
