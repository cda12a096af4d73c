// npm run dev — the bot on this machine. Without a DISCORD_TOKEN (environment
// or .dev.vars) it runs against the local Discord simulator with a demo guild;
// with one, it runs `wrangler dev` for your real application.
import { loadDevVars } from './env-file.ts';
import { startLocalStack, startWrangler } from './local-stack.ts';

loadDevVars();
const WORKER_PORT = Number(process.env.PORT ?? 8787);
const SIM_PORT = Number(process.env.SIM_PORT ?? 8990);

if (process.env.DISCORD_TOKEN) {
  console.log(`DISCORD_TOKEN is set: running the Worker for your Discord application on http://127.0.0.1:${WORKER_PORT}.
Discord must reach POST /interactions over HTTPS: expose the port (for example with cloudflared tunnel --url http://127.0.0.1:${WORKER_PORT})
and set that URL + /interactions as the Interactions Endpoint URL in the Developer Portal. Register commands with
  npm run register -- --guild <your test server id>`);
  const child = startWrangler(WORKER_PORT, {});
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('No DISCORD_TOKEN configured: starting the local Discord simulator and the Worker against it…');
  const stack = await startLocalStack({ workerPort: WORKER_PORT, simPort: SIM_PORT });
  const demo = stack.sim.demo as { guildId: string } | null;
  console.log(`
Guildkeep is running locally, with its Durable Objects on local storage (.wrangler/state).
  Worker     ${stack.workerUrl}   (GET /health shows its dependencies)
  Simulator  ${stack.sim.url}   (a local Discord: demo guild ${demo?.guildId ?? '-'}, commands registered)

Try it from another terminal — each line is a real signed interaction sent by the simulator to the Worker:
  npm run demo -- open crash high "Game crashes at launch"   a member opens a ticket (private thread + control message)
  npm run demo -- claim                                       a staff member presses Claim on the newest ticket
  npm run demo -- list                                        staff run /ticket list
  npm run demo -- close                                       the member closes it (Close, then Confirm)
  npm run demo -- show                                        the newest ticket's thread, as the simulator holds it
Ctrl-C stops everything.`);
  const stop = () => { void stack.stop().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
