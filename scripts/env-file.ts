import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Reads KEY=value lines of .dev.vars (wrangler's local secrets file) without overriding the environment. */
export function loadDevVars(path = '.dev.vars'): void {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line);
    if (m && process.env[m[1]!] === undefined) process.env[m[1]!] = m[2]!;
  }
}

/** dotenv line: single quotes keep the value literal; a value with a quote or a line break has no safe form. */
function envLine(key: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`not a variable name: ${key}`);
  if (/[\r\n']/.test(value)) throw new Error(`the value of ${key} cannot be passed to wrangler (it holds a quote or a line break)`);
  return `${key}='${value}'`;
}

/** KEY='value' lines in a new temp dir only this user can read; the caller removes `dir`. */
export function writePrivateEnvFile(vars: Record<string, string>): { dir: string; file: string } {
  const lines = Object.entries(vars).map(([k, v]) => envLine(k, v));
  const dir = mkdtempSync(join(tmpdir(), 'guildkeep-vars-'));
  const file = join(dir, 'vars.env');
  writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
  return { dir, file };
}
