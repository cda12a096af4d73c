// The bot running locally against the simulator: the simulator process, then
// `wrangler dev` with the simulator's key, token and API base as vars, then
// the commands registered in the simulator through the bot's own REST client.
// Used by `npm run dev` and `npm run bench`.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../src/commands.ts';
import { registerCommands } from '../src/discord/commands-sync.ts';
import { describeRestError, DiscordRest } from '../src/discord/rest.ts';
import { spawnSimulator, type SimProcess } from '../sim/spawn.ts';

export interface LocalStack {
  sim: SimProcess['info'];
  workerUrl: string;
  stop(): Promise<void>;
}

const wranglerBin = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url));

export function startWrangler(port: number, vars: Record<string, string>, opts: { persistTo?: string; quiet?: boolean } = {}): ChildProcess {
  const args = [wranglerBin, 'dev', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false', '--log-level', opts.quiet ? 'error' : 'info'];
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  if (opts.persistTo) args.push('--persist-to', opts.persistTo);
  return spawn(process.execPath, args, { stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', 'inherit'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.status < 500) return;
    } catch { /* not up yet */ }
    if (Date.now() > until) throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface LocalStackOptions {
  workerPort: number;
  simPort: number;
  persistTo?: string;
  quiet?: boolean;
  /** More vars for the Worker (e.g. STAFF_LINK_SECRET). */
  vars?: Record<string, string>;
  /** Serve the simulator's member page (npm run dev, browser tests). */
  memberView?: boolean;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const workerUrl = `http://127.0.0.1:${opts.workerPort}`;
  const sim = await spawnSimulator({ port: opts.simPort, interactionsUrl: `${workerUrl}/interactions`, ...(opts.memberView ? { memberView: true } : {}) });
  const wrangler = startWrangler(opts.workerPort, {
    DISCORD_API_BASE: sim.info.apiBase,
    DISCORD_APPLICATION_ID: sim.info.applicationId,
    DISCORD_PUBLIC_KEY: sim.info.publicKeyHex,
    DISCORD_TOKEN: sim.info.botToken,
    ...opts.vars,
  }, { ...(opts.persistTo ? { persistTo: opts.persistTo } : {}), ...(opts.quiet ? { quiet: true } : {}) });
  const stop = async () => {
    wrangler.kill('SIGTERM');
    await sim.stop();
  };
  try {
    await waitForHttp(`${workerUrl}/health`);
    const demoGuild = (sim.info.demo as { guildId?: string } | null)?.guildId ?? null;
    const rest = new DiscordRest({ token: sim.info.botToken, apiBase: sim.info.apiBase });
    const r = await registerCommands(rest, sim.info.applicationId, demoGuild, COMMANDS);
    if (!r.ok) throw new Error(`registering commands in the simulator failed: ${describeRestError(r.error)}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { sim: sim.info, workerUrl, stop };
}
