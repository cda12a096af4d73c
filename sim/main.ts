// CLI: node sim/main.ts [--port N] [--interactions-url URL] [--app-id ID] [--bot-token T] [--client-secret S] [--no-demo] [--exit-with-stdin] [--member-view]
// Prints one JSON line with the connection details, then serves until
// SIGINT/SIGTERM (or stdin closing, with --exit-with-stdin).
import { parseArgs } from 'node:util';
import { serveAsChild } from './child.ts';
import type { SimulatorOptions } from './server.ts';
import { startSimulator } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'interactions-url': { type: 'string' },
    'app-id': { type: 'string' },
    'bot-token': { type: 'string' },
    'client-secret': { type: 'string' },
    'no-demo': { type: 'boolean' },
    'exit-with-stdin': { type: 'boolean' },
    'member-view': { type: 'boolean' },
  },
});

const opts: SimulatorOptions = {
  port: values.port !== undefined ? Number(values.port) : 0,
  ...(values['interactions-url'] ? { interactionsUrl: values['interactions-url'] } : {}),
  ...(values['app-id'] ? { applicationId: values['app-id'] } : {}),
  ...(values['bot-token'] ? { botToken: values['bot-token'] } : {}),
  ...(values['client-secret'] ? { clientSecret: values['client-secret'] } : {}),
  seedDemo: values['no-demo'] !== true,
  ...(values['member-view'] ? { memberView: true } : {}),
};

const sim = await startSimulator(opts);
const info = await (await fetch(`${sim.url}/_sim/info`)).json();
serveAsChild(info, () => sim.close(), values['exit-with-stdin'] === true);
