import type { TestProject } from 'vitest/node';
import { spawnPanel } from '../../sim/panel/spawn.ts';
import { spawnSimulator } from '../../sim/spawn.ts';
import { FAKE_AI_KEYS, startFakeAi } from './fake-ai.ts';
import { startWebhookSink } from './sink.ts';

/**
 * Starts the local Discord simulator, the game-panel simulator (Pterodactyl + PEON orchestrator, sim/panel),
 * a log-webhook sink and a fake AI provider for the whole run, on 127.0.0.1 only.
 */
export default async function setup(project: TestProject) {
  const sim = await spawnSimulator();
  const sink = await startWebhookSink();
  const fakeAi = await startFakeAi();
  const panel = await spawnPanel();
  const { url, apiBase, applicationId, publicKeyHex, botToken, clientSecret } = sim.info;
  project.provide('sim', { url, apiBase, applicationId, publicKeyHex, botToken, clientSecret });
  project.provide('sinkUrl', sink.url);
  const demo = panel.info.demo!;
  project.provide('panel', {
    url: panel.info.url,
    orchestratorUrl: panel.info.orchestratorUrl,
    demo: { url: demo.url, orchestratorUrl: demo.orchestratorUrl, adminKey: demo.adminKey, orchestratorKey: demo.orchestratorKey },
  });
  project.provide('fakeAi', { url: fakeAi.url, anthropicKey: FAKE_AI_KEYS.anthropic, openaiKey: FAKE_AI_KEYS.openai });
  return async () => {
    await sim.stop();
    await sink.close();
    await fakeAi.close();
    await panel.stop();
  };
}
