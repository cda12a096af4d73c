// CPU time per process role (workerd, wrangler's proxy, the simulator, this
// load generator) around each block, read from /proc: on a 2-core machine the
// question "where does the time go" is mostly "which process burns the CPU".
// Linux only; elsewhere it reports nothing rather than failing the bench.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export type Role = 'workerd' | 'wrangler' | 'simulator' | 'client' | 'other';
export type CpuSeconds = Partial<Record<Role, number>>;

let ticksPerS = 100;
try {
  ticksPerS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* keep 100 */
}

interface Proc {
  pid: number;
  ppid: number;
  ticks: number;
  role: Role;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces; the fields after it are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const ticks = Number(rest[11]) + Number(rest[12]);
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    const role: Role =
      pid === process.pid ? 'client' : /workerd/.test(cmd) ? 'workerd' : /wrangler/.test(cmd) ? 'wrangler' : /sim\/main\.ts/.test(cmd) ? 'simulator' : 'other';
    return { pid, ppid, ticks, role };
  } catch {
    return null;
  }
}

/** This process and everything below it, by role (only processes we started). */
export function sampleCpu(): CpuSeconds {
  let all: Proc[];
  try {
    all = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map((d) => readProc(Number(d)))
      .filter((p): p is Proc => p !== null);
  } catch {
    return {};
  }
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: CpuSeconds = {};
  const self = all.find((p) => p.pid === process.pid);
  const stack = self ? [self] : [];
  while (stack.length) {
    const p = stack.pop()!;
    out[p.role] = (out[p.role] ?? 0) + p.ticks / ticksPerS;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

export function cpuDelta(before: CpuSeconds, after: CpuSeconds): CpuSeconds {
  const out: CpuSeconds = {};
  for (const k of Object.keys(after) as Role[]) out[k] = Math.max(0, (after[k] ?? 0) - (before[k] ?? 0));
  return out;
}
