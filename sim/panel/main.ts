// CLI: node sim/panel/main.ts [--port N] [--orchestrator-port N] [--no-demo] [--exit-with-stdin]
// Prints one JSON line ({url, orchestratorUrl, demo}), then serves until
// SIGINT/SIGTERM (or stdin closing, with --exit-with-stdin).
import { parseArgs } from 'node:util';
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
process.stdout.write(JSON.stringify({ url: panel.url, orchestratorUrl: panel.orchestratorUrl, demo: panel.demo }) + '\n');

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  panel.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
if (values['exit-with-stdin']) {
  // A parent that dies closes our stdin; don't outlive it.
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.stdin.resume();
}
