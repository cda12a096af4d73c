// `npm run dev` when its ports are taken (plain Node, no browser): a server
// already on 8787 is never talked to, the run moves to a free port and says
// so, or stops with one line naming the variable the user set. And the
// secrets it hands wrangler appear on no process's command line.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePort, freePort, startLocalStack } from '../../scripts/local-stack.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEFAULT_PORT = 8787;

let dummy: Server;
const seen: string[] = [];

beforeAll(async () => {
  // Someone else's server on the default port; it notes every request it gets.
  dummy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve, reject) => {
    dummy.once('error', (e) => reject(new Error(`the test needs port ${DEFAULT_PORT} for its dummy server: ${e.message}`)));
    dummy.listen(DEFAULT_PORT, '127.0.0.1', resolve);
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => dummy.close(() => resolve()));
});

interface Run {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function dev(env: Record<string, string | undefined>): Run {
  let out = '';
  const child = spawn(process.execPath, ['scripts/dev.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISCORD_TOKEN: '', PORT: undefined, SIM_PORT: undefined, ...env },
  });
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

async function until(what: string, ok: () => boolean, run: Run, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (run.child.exitCode !== null) throw new Error(`npm run dev exited before ${what}:\n${run.out()}`);
    if (Date.now() > end) throw new Error(`npm run dev: no ${what} within ${timeoutMs / 1000} s:\n${run.out()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every process's command line on this machine (Linux /proc). */
function commandLines(): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      /* gone */
    }
  }
  return lines;
}

/** The private env files startWrangler writes (one temp dir each). */
const varDirs = () => new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('guildkeep-vars-')));

describe('npm run dev and busy ports', () => {
  it('moves to a free port when the default is taken, says so, never talks to the server there, and keeps secrets off command lines', async () => {
    const before = varDirs();
    const run = dev({ SIM_PORT: String(await freePort()) });
    try {
      await until('"Ctrl-C stops everything"', () => run.out().includes('Ctrl-C stops everything'), run, 150_000);
      const out = run.out();
      expect(out).toContain(`Port ${DEFAULT_PORT} is already in use on 127.0.0.1: the Worker uses`);
      const workerUrl = /Worker {5}(http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      expect(workerUrl, out).not.toBeNull();
      expect(Number(workerUrl![2])).not.toBe(DEFAULT_PORT);
      // It is the Worker the printed links point at, and it works.
      expect((await fetch(`${workerUrl![1]}/health`)).status).toBe(200);
      expect(out).toContain(`${workerUrl![1]}/inbox/`);
      // The admin token is one of the secrets handed to wrangler: printed for the user, on no command line.
      const adminToken = /Authorization: Bearer ([0-9a-f]{32})/.exec(out)![1]!;
      const staffToken = /Staff inbox {4}\S+#(\S+)/.exec(out)![1]!;
      expect(commandLines().filter((l) => l.includes('wrangler')).length).toBeGreaterThan(0);
      expect(commandLines().filter((l) => l.includes(adminToken))).toEqual([]);
      expect(staffToken.length).toBeGreaterThan(20);
      // The secrets are in a file only this user can read, while wrangler runs.
      const ours = [...varDirs()].filter((n) => !before.has(n));
      expect(ours).toHaveLength(1);
      const file = join(tmpdir(), ours[0]!, 'vars.env');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toContain(`ADMIN_TOKEN='${adminToken}'`);
    } finally {
      process.kill(-run.child.pid!, 'SIGTERM');
      await Promise.race([run.exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (run.child.exitCode === null) process.kill(-run.child.pid!, 'SIGKILL');
    }
    expect(seen).toEqual([]);
    // …and the file is gone once the run has stopped.
    expect([...varDirs()].filter((n) => !before.has(n))).toEqual([]);
  }, 180_000);

  it('stops with one line naming PORT when the port the user set is taken, and sends it nothing', async () => {
    const run = dev({ PORT: String(DEFAULT_PORT) });
    const code = await Promise.race([run.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
    if (code === 'timeout') process.kill(-run.child.pid!, 'SIGKILL');
    expect(code).toBe(1);
    expect(run.out().trim()).toBe(`Port ${DEFAULT_PORT} (PORT) is already in use on 127.0.0.1: stop what is using it, or set PORT to a free port.`);
    expect(seen).toEqual([]);
  });

  it('removes the env file by the time stop() resolves (a test runner may end the process right after)', async () => {
    const before = varDirs();
    const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-dev-test-'));
    try {
      const stack = await startLocalStack({
        workerPort: await freePort(),
        simPort: await freePort(),
        persistTo,
        quiet: true,
        vars: { STAFF_LINK_SECRET: 'dev-test-secret' },
      });
      expect([...varDirs()].filter((n) => !before.has(n))).toHaveLength(1);
      await stack.stop();
      expect([...varDirs()].filter((n) => !before.has(n))).toEqual([]);
    } finally {
      rmSync(persistTo, { recursive: true, force: true });
    }
  }, 120_000);

  it('names SIM_PORT the same way, and refuses a value that is not a port', async () => {
    const busy = await choosePort('SIM_PORT', String(DEFAULT_PORT), 8990, 'simulator');
    expect(busy).toEqual({
      ok: false,
      error: `Port ${DEFAULT_PORT} (SIM_PORT) is already in use on 127.0.0.1: stop what is using it, or set SIM_PORT to a free port.`,
    });
    expect(await choosePort('SIM_PORT', 'eighty', 8990, 'simulator')).toEqual({ ok: false, error: 'SIM_PORT=eighty is not a port number (1-65535).' });
    const moved = await choosePort('SIM_PORT', undefined, DEFAULT_PORT, 'simulator');
    expect(moved.ok && moved.value.port !== DEFAULT_PORT && moved.value.note).toContain('set SIM_PORT to choose');
    expect(seen).toEqual([]);
  });
});
