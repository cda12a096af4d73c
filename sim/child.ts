// The two halves of running a simulator as its own Node process (the Discord
// simulator, the panel simulator): the parent spawns it and reads the one JSON
// line it prints; the child serves until told to stop, or until the parent's
// end of its stdin closes, so it cannot outlive its parent.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildProcess<T> {
  info: T;
  stop(): Promise<void>;
}

/** Starts `node main args… --exit-with-stdin` and waits for its first line, its info as JSON. */
export async function spawnChild<T>(main: string, args: readonly string[], what: string): Promise<ChildProcess<T>> {
  const child = spawn(process.execPath, [main, ...args, '--exit-with-stdin'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
    lines.once('line', (l) => resolve(JSON.parse(l) as T));
  });
  return {
    info,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill(), 2000).unref();
      }),
  };
}

/** In the child: prints its info line, then closes on SIGINT/SIGTERM or, when asked, when stdin ends. */
export function serveAsChild(info: unknown, close: () => Promise<void>, exitWithStdin: boolean): void {
  process.stdout.write(JSON.stringify(info) + '\n');
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (exitWithStdin) {
    // A parent that dies closes our stdin; don't outlive it.
    process.stdin.on('end', shutdown);
    process.stdin.on('close', shutdown);
    process.stdin.resume();
  }
}
