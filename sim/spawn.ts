// Starts the simulator as its own Node process (tests, `npm run dev`, bench):
// its work never competes with the caller's event loop, and it exits when the
// caller's end of its stdin closes, so it cannot outlive its parent.
import { fileURLToPath } from 'node:url';
import { type ChildProcess, spawnChild } from './child.ts';

export interface SimProcessInfo {
  url: string;
  apiBase: string;
  applicationId: string;
  publicKeyHex: string;
  botToken: string;
  clientSecret: string;
  demo: Record<string, unknown> | null;
}

export type SimProcess = ChildProcess<SimProcessInfo>;

export async function spawnSimulator(opts: { port?: number; interactionsUrl?: string; memberView?: boolean } = {}): Promise<SimProcess> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const args = [
    '--port',
    String(opts.port ?? 0),
    ...(opts.interactionsUrl ? ['--interactions-url', opts.interactionsUrl] : []),
    ...(opts.memberView ? ['--member-view'] : []),
  ];
  return spawnChild<SimProcessInfo>(main, args, 'simulator');
}
