// npm run dev — the bot on this machine. Without a DISCORD_TOKEN (environment
// or .dev.vars) it runs against the local Discord simulator with a demo guild;
// with one, it runs `wrangler dev` for your real application.
import { randomBytes } from 'node:crypto';
import { STAFF_LINK_TTL_S, signStaffToken } from '../src/features/inbox/token.ts';
import { connectDemoPanel } from './demo-panel.ts';
import { loadDevVars } from './env-file.ts';
import { choosePort, type PortChoice, startLocalStack, startWrangler } from './local-stack.ts';

loadDevVars();

/** A port for one of our servers, or the end of the run with one line saying which variable to set. */
async function port(variable: string, fallback: number, what: string, avoid: number[] = []): Promise<number> {
  const r = await choosePort(variable, process.env[variable], fallback, what, avoid);
  if (!r.ok) {
    console.error(r.error);
    process.exit(1);
  }
  const choice: PortChoice = r.value;
  if (choice.note) console.log(choice.note);
  return choice.port;
}

const WORKER_PORT = await port('PORT', 8787, 'Worker');

if (process.env.DISCORD_TOKEN) {
  console.log(`DISCORD_TOKEN is set: running the Worker for your Discord application on http://127.0.0.1:${WORKER_PORT}.
Discord must reach POST /interactions over HTTPS: expose the port (for example with cloudflared tunnel --url http://127.0.0.1:${WORKER_PORT})
and set that URL + /interactions as the Interactions Endpoint URL in the Developer Portal. Register commands with
  npm run register -- --guild <your test server id>`);
  const child = startWrangler(WORKER_PORT, {});
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const SIM_PORT = await port('SIM_PORT', 8990, 'simulator', [WORKER_PORT]);
  const PANEL_PORT = await port('PANEL_PORT', 8991, 'game-panel simulator', [WORKER_PORT, SIM_PORT]);
  console.log('No DISCORD_TOKEN configured: starting the local Discord simulator and the Worker against it…');
  // A fresh secret per run: staff links from an earlier run stop working, as they should.
  const staffSecret = randomBytes(32).toString('hex');
  const adminToken = randomBytes(16).toString('hex');
  const stack = await startLocalStack({
    workerPort: WORKER_PORT,
    simPort: SIM_PORT,
    memberView: true,
    panelPort: PANEL_PORT,
    vars: {
      STAFF_LINK_SECRET: staffSecret,
      ADMIN_TOKEN: adminToken, // A fixed local key unless .dev.vars sets one: panel keys sealed in .wrangler's local state must open again on the next run.
      CONFIG_KEY: process.env.CONFIG_KEY ?? 'guildkeep-local-development-only',
      ALLOW_HTTP_PANELS: 'true',
    },
  }).catch((e: unknown) => {
    console.error(`npm run dev could not start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
  // The gateway too, against the simulator's: member messages in ticket threads reach the transcripts.
  const started = await fetch(`${stack.workerUrl}/admin/gateway/start`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } });
  const gateway = started.ok ? `started (${((await started.json()) as { shardCount: number }).shardCount} shard)` : `not started: ${await started.text()}`;
  const demo = stack.sim.demo as { guildId: string; staffId: string; adminId: string; generalChannelId: string } | null;
  const staffLink = demo
    ? `${stack.workerUrl}/inbox/${demo.guildId}#${await signStaffToken(staffSecret, { guildId: demo.guildId, userId: demo.staffId, exp: Math.floor(Date.now() / 1000) + STAFF_LINK_TTL_S })}`
    : '-';
  // npm run demo finds the simulator on 8990 unless told otherwise.
  const panelDemo = stack.panel?.demo;
  const connected = panelDemo && demo ? await connectDemoPanel(stack.sim.url, demo, panelDemo).catch((e: unknown) => String(e)) : null;
  const panelLines = panelDemo
    ? `  Game panel ${panelDemo.url}   (a local Pterodactyl panel with four servers; try /server list in the member's view)
             connected to the demo guild: ${connected ?? 'no demo guild'}`
    : '  Game panel not started';
  const demoCmd = SIM_PORT === 8990 ? 'npm run demo --' : `SIM_PORT=${SIM_PORT} npm run demo --`;
  console.log(`
Guildkeep is running locally, with its Durable Objects on local storage (.wrangler/state).
  Worker     ${stack.workerUrl}   (GET /health shows its dependencies)
  Simulator  ${stack.sim.url}   (a local Discord: demo guild ${demo?.guildId ?? '-'}, commands registered)
  Gateway    ${gateway}; status: curl -H 'Authorization: Bearer ${adminToken}' ${stack.workerUrl}/admin/gateway
${panelLines}

Open in a browser:
  Member's view  ${stack.sim.url}/   act as a member or staff of the demo guild: run /ticket open, fill forms, press buttons
  Staff inbox    ${staffLink}
                 (what /ticket inbox gives a staff member; valid 12 hours)
  Dashboard      ${stack.workerUrl}/dashboard   Login with Discord (the simulator's consent page: sign in as the demo guild's admin)

Or from another terminal — each line is a real signed interaction sent by the simulator to the Worker:
  ${demoCmd} open crash high "Game crashes at launch"   a member opens a ticket (private thread + control message)
  ${demoCmd} claim                                       a staff member presses Claim on the newest ticket
  ${demoCmd} say "Still crashing"                         the member writes in the thread (the gateway brings it to the transcript)
  ${demoCmd} list                                        staff run /ticket list
  ${demoCmd} close                                       the member closes it (Close, then Confirm)
  ${demoCmd} show                                        the newest ticket's thread, as the simulator holds it
Moderation and protection:
  ${demoCmd} automod-add no-spoilers words list=spoiler effect=delete   an admin adds a blocked-word rule
  ${demoCmd} say-in general "big spoiler ahead"         a member writes in #general; automod deletes it
  ${demoCmd} warn 2 "Please keep it civil"              staff warn the second demo member (/warn)
  ${demoCmd} infractions 2                              staff list that member's infractions
  ${demoCmd} antiraid on                                 an admin turns anti-raid on
  ${demoCmd} raid 30                                    30 new accounts join at once; anti-raid locks the server down
  ${demoCmd} lockdown-end                                an admin ends the lockdown, restoring what it changed
Game servers:
  ${demoCmd} servers                                     the admin runs /server list on the demo panel
  ${demoCmd} server start Valheim Dedicated              the admin starts a server (stop and restart ask to confirm)
Ctrl-C stops everything.`);
  const stop = () => {
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
