import type { TestProject } from 'vitest/node';
import { spawnSimulator } from '../../sim/spawn.ts';
import { startWebhookSink } from './sink.ts';

/** Starts the local Discord simulator and a log-webhook sink for the whole run, on 127.0.0.1 only. */
export default async function setup(project: TestProject) {
  const sim = await spawnSimulator();
  const sink = await startWebhookSink();
  const { url, apiBase, applicationId, publicKeyHex, botToken } = sim.info;
  project.provide('sim', { url, apiBase, applicationId, publicKeyHex, botToken });
  project.provide('sinkUrl', sink.url);
  return async () => {
    await sim.stop();
    await sink.close();
  };
}
