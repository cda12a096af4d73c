import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';
import { startWebhookSink } from './sink.ts';

interface SimInfo { url: string; apiBase: string; applicationId: string; publicKeyHex: string; botToken: string }

/**
 * Starts the local Discord simulator as its own Node process (as `npm run dev`
 * does) and a log-webhook sink, for the whole run, on 127.0.0.1 only. The
 * simulator exits when its stdin closes, so it never outlives the test run.
 */
async function startSimProcess(): Promise<{ info: SimInfo; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['sim/main.ts', '--port', '0', '--exit-with-stdin'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<SimInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    lines.once('line', (l) => resolve(JSON.parse(l) as SimInfo));
  });
  return {
    info,
    stop: () => new Promise<void>((r) => { child.once('exit', () => r()); child.stdin!.end(); setTimeout(() => child.kill(), 2000).unref(); }),
  };
}

export default async function setup(project: TestProject) {
  const sim = await startSimProcess();
  const sink = await startWebhookSink();
  const { url, apiBase, applicationId, publicKeyHex, botToken } = sim.info;
  project.provide('sim', { url, apiBase, applicationId, publicKeyHex, botToken });
  project.provide('sinkUrl', sink.url);
  return async () => {
    await sim.stop();
    await sink.close();
  };
}
