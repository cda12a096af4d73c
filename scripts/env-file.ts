import { existsSync, readFileSync } from 'node:fs';

/** Reads KEY=value lines of .dev.vars (wrangler's local secrets file) without overriding the environment. */
export function loadDevVars(path = '.dev.vars'): void {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line);
    if (m && process.env[m[1]!] === undefined) process.env[m[1]!] = m[2]!;
  }
}
