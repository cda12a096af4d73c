// The bot running locally against the simulator: the simulator process, then
// `wrangler dev` with the simulator's key, token and API base as vars, then
// the commands registered in the simulator through the bot's own REST client.
// Used by `npm run dev` and `npm run bench`.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PanelProcess, type PanelProcessInfo, spawnPanel } from '../sim/panel/spawn.ts';
import { type SimProcess, spawnSimulator } from '../sim/spawn.ts';
import { SIM_TELEGRAM_TOKEN } from '../sim/telegram.ts';
import { COMMANDS } from '../src/commands.ts';
import { registerCommands } from '../src/discord/commands-sync.ts';
import { DiscordRest, describeRestError } from '../src/discord/rest.ts';
import { err, ok, type Result } from '../src/lib/result.ts';
import { writePrivateEnvFile } from './env-file.ts';

export interface LocalStack {
  sim: SimProcess['info'];
  /** The game-panel simulator, when asked for (npm run dev): a demo world to connect with /server connect. */
  panel: PanelProcessInfo | null;
  workerUrl: string;
  stop(): Promise<void>;
}

const wranglerBin = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url));
const projectDir = fileURLToPath(new URL('..', import.meta.url));

// ---- ports -------------------------------------------------------------------

/** Whether a listening socket can be bound on 127.0.0.1:port right now (the probe is closed again at once). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** A port the OS says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface PortChoice {
  port: number /** Said to the user when the default was taken and another port chosen. */;
  note: string | null;
}

/**
 * The port for one server of the local run. A port the user named (`variable`
 * set) must be free, or the run stops with a one-line reason; the default may
 * be swapped for a free one, which is said. `avoid` holds ports already
 * chosen for the other server.
 */
export async function choosePort(
  variable: string,
  value: string | undefined,
  fallback: number,
  what: string,
  avoid: number[] = [],
): Promise<Result<PortChoice, string>> {
  if (value !== undefined && value !== '') {
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return err(`${variable}=${value} is not a port number (1-65535).`);
    if (avoid.includes(port) || !(await portIsFree(port)))
      return err(`Port ${port} (${variable}) is already in use on 127.0.0.1: stop what is using it, or set ${variable} to a free port.`);
    return ok({ port, note: null });
  }
  if (!avoid.includes(fallback) && (await portIsFree(fallback))) return ok({ port: fallback, note: null });
  let port = await freePort();
  while (avoid.includes(port)) port = await freePort();
  return ok({ port, note: `Port ${fallback} is already in use on 127.0.0.1: the ${what} uses ${port} instead (set ${variable} to choose).` });
}

// ---- wrangler ------------------------------------------------------------------

/**
 * `wrangler dev` on 127.0.0.1:port. Vars go in a private temporary env file
 * (mode 600, removed when wrangler exits), never on the command line, where
 * `ps` would show the secrets among them to every user of the machine.
 */
export function startWrangler(port: number, vars: Record<string, string>, opts: { persistTo?: string; quiet?: boolean } = {}): ChildProcess {
  const args = [
    wranglerBin,
    'dev',
    '--port',
    String(port),
    '--ip',
    '127.0.0.1',
    '--show-interactive-dev-session=false',
    '--log-level',
    opts.quiet ? 'error' : 'info',
  ];
  let tmp: string | null = null;
  if (Object.keys(vars).length) {
    const written = writePrivateEnvFile(vars);
    tmp = written.dir;
    const file = written.file;
    // --env-file replaces wrangler's own reading of .dev.vars: name it first so the developer's settings still apply, ours override.
    const devVars = join(projectDir, '.dev.vars');
    if (existsSync(devVars)) args.push('--env-file', devVars);
    args.push('--env-file', file);
  }
  if (opts.persistTo) args.push('--persist-to', opts.persistTo);
  // Extra `wrangler dev` flags for diagnosis (bench/profile-open.ts opens the inspector on a port of its own).
  if (process.env.GK_WRANGLER_ARGS) args.push(...process.env.GK_WRANGLER_ARGS.split(' '));
  const child = spawn(process.execPath, args, {
    cwd: projectDir,
    stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  if (tmp) {
    const dir = tmp;
    const remove = () => rmSync(dir, { recursive: true, force: true });
    child.once('exit', remove);
    child.once('error', remove);
    // Also when this process ends first (an exception, process.exit in a signal handler).
    process.once('exit', remove);
  }
  return child;
}

/**
 * Waits until the server at `url` answers below 500 and `accept` approves
 * its answer. Gives up at once when `child` (the server we started) exits:
 * whatever answers then is not ours.
 */
export async function waitForHttp(
  url: string,
  timeoutMs = 60_000,
  check: { child?: ChildProcess; accept?: (r: Response) => Promise<string | null> } = {},
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (check.child && (check.child.exitCode !== null || check.child.signalCode !== null)) {
      throw new Error(`the server for ${url} exited (${check.child.exitCode ?? check.child.signalCode}) before it answered`);
    }
    let answer: { refusal: string | null } | null = null;
    try {
      const r = await fetch(url);
      if (r.status < 500) answer = { refusal: check.accept ? await check.accept(r) : null };
      await r.body?.cancel().catch(() => {});
    } catch {
      /* not up yet */
    }
    if (answer?.refusal) throw new Error(answer.refusal);
    if (answer) return;
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
  /** Also start the game-panel simulator on this port (0: any free port). */
  panelPort?: number;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const workerUrl = `http://127.0.0.1:${opts.workerPort}`;
  const sim = await spawnSimulator({ port: opts.simPort, interactionsUrl: `${workerUrl}/interactions`, ...(opts.memberView ? { memberView: true } : {}) });
  let panel: PanelProcess | null = null;
  if (opts.panelPort !== undefined) {
    panel = await spawnPanel({ port: opts.panelPort }).catch(async (e: unknown) => {
      await sim.stop();
      throw e;
    });
  }
  // The dashboard's OAuth2 callback, as the simulator's registered redirect URIs (both local names of the Worker).
  for (const host of ['127.0.0.1', 'localhost']) {
    await fetch(`${sim.info.url}/_sim/oauth2/redirect-uris`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ uri: `http://${host}:${opts.workerPort}/dashboard/callback` }),
    });
  }
  const wrangler = startWrangler(
    opts.workerPort,
    {
      DISCORD_API_BASE: sim.info.apiBase,
      DISCORD_APPLICATION_ID: sim.info.applicationId,
      DISCORD_PUBLIC_KEY: sim.info.publicKeyHex,
      DISCORD_TOKEN: sim.info.botToken,
      // The dashboard's login (Login with Discord) against the simulator's OAuth2; sessions are signed with a key of this run.
      DISCORD_CLIENT_SECRET: sim.info.clientSecret,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      // Approvals on Telegram, against the simulator's fake Bot API (sim/telegram.ts).
      TELEGRAM_BOT_TOKEN: SIM_TELEGRAM_TOKEN,
      TELEGRAM_API_BASE: `${sim.info.url}/telegram`,
      ...opts.vars,
    },
    { ...(opts.persistTo ? { persistTo: opts.persistTo } : {}), ...(opts.quiet ? { quiet: true } : {}) },
  );
  const stop = async () => {
    // Wait for wrangler to be gone: its exit removes the env file holding the secrets,
    // and a test runner may end this process right after stop() resolves.
    const gone = new Promise<void>((resolve) => {
      if (wrangler.exitCode !== null || wrangler.signalCode !== null) return resolve();
      wrangler.once('exit', () => resolve());
      setTimeout(resolve, 5000).unref();
    });
    wrangler.kill('SIGTERM');
    await Promise.all([gone, sim.stop(), panel?.stop()]);
  };
  try {
    // Ours is the Worker that talks to this run's simulator: /health names its API base.
    await waitForHttp(`${workerUrl}/health`, 60_000, {
      child: wrangler,
      accept: async (r) => {
        const body = (await r.json().catch(() => null)) as { discord?: { apiBase?: string } } | null;
        return body?.discord?.apiBase === sim.info.apiBase
          ? null
          : `not our Worker at ${workerUrl}: it does not use this run's simulator (${sim.info.apiBase}); another program is on port ${opts.workerPort}`;
      },
    });
    const demoGuild = (sim.info.demo as { guildId?: string } | null)?.guildId ?? null;
    const rest = new DiscordRest({ token: sim.info.botToken, apiBase: sim.info.apiBase });
    const r = await registerCommands(rest, sim.info.applicationId, demoGuild, COMMANDS);
    if (!r.ok) throw new Error(`registering commands in the simulator failed: ${describeRestError(r.error)}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { sim: sim.info, panel: panel?.info ?? null, workerUrl, stop };
}
