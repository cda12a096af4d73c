// CLI: node sim/panel/main.ts [--port N] [--orchestrator-port N] [--no-demo] [--exit-with-stdin]
// Prints one JSON line ({url, orchestratorUrl, demo}), then serves until
// SIGINT/SIGTERM (or stdin closing, with --exit-with-stdin).
import { parseArgs } from 'node:util';
import { serveAsChild } from '../child.ts';
import { startPanel } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'orchestrator-port': { type: 'string' },
    'no-demo': { type: 'boolean' },
    'exit-with-stdin': { type: 'boolean' },
  },
});

const panel = await startPanel({
  port: values.port !== undefined ? Number(values.port) : 0,
  orchestratorPort: values['orchestrator-port'] !== undefined ? Number(values['orchestrator-port']) : 0,
  seedDemo: values['no-demo'] !== true,
});
serveAsChild({ url: panel.url, orchestratorUrl: panel.orchestratorUrl, demo: panel.demo }, () => panel.close(), values['exit-with-stdin'] === true);
