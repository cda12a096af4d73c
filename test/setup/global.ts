import type { TestProject } from 'vitest/node';
import { startSimulator } from '../../sim/server.ts';
import { startWebhookSink } from './sink.ts';

export const LOG_WEBHOOK_SECRET = 'test-log-webhook-secret';

/** Starts the local Discord simulator and a log-webhook sink for the whole run (127.0.0.1 only). */
export default async function setup(project: TestProject) {
  const sim = await startSimulator({ port: 0 });
  const sink = await startWebhookSink();
  project.provide('sim', {
    url: sim.url, apiBase: sim.apiBase, applicationId: sim.applicationId, publicKeyHex: sim.publicKeyHex, botToken: sim.botToken,
  });
  project.provide('sinkUrl', sink.url);
  return async () => {
    await sim.close();
    await sink.close();
  };
}
