// Lockdown latency during a join burst (issue 5, item 10). Against the local
// stack (wrangler dev + the simulator), with the bot's gateway running: per
// raid a fresh guild (anti-raid on, one slowmode channel configured), then a
// burst of joins through the simulator, each a GUILD_MEMBER_ADD over the
// gateway. Measured per raid: from the simulator's send time of the join
// that crossed the threshold (the lockdown record names it) to the
// simulator's receive time of the lockdown's REST calls (PATCH guild, PUT
// incident-actions, PATCH channel). Also checked: every admitted join was
// counted by the guild actor (its per-minute join counts), and how long the
// quarantine of the raiders took. Raids run one after another, each once
// the previous one's quarantine is done, so one raid's role calls never
// share Discord's global limit with the next raid's lockdown.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type LocalStack, startLocalStack } from '../scripts/local-stack.ts';
import type { ProtectionStatus } from '../src/features/protection/feature.ts';

export interface RaidBenchOptions {
  workerPort: number;
  simPort: number;
  /** Measured raids, each in its own guild (default 5). */
  raids?: number;
  /** Joins per raid (default 1,000). */
  joins?: number;
  /** Pace of the burst; default: as fast as the simulator sends. */
  ratePerS?: number;
  /** The detector's threshold for the bench guilds (default 10 joins in 10 s, the product default). */
  threshold?: number;
  windowSeconds?: number;
}

export interface RaidSample {
  guildId: string;
  /** Joins the simulator admitted (the rest were refused once invites were paused) and refused. */
  admitted: number;
  refused: number;
  /** Joins the guild actor counted: must equal `admitted`. */
  processed: number;
  /** Which join crossed (1-based, in send order) and why. */
  crossingJoin: number;
  reason: string;
  /** Crossing join sent → first and last lockdown call received. */
  firstCallMs: number;
  lockdownMs: number;
  calls: number;
  /** Members quarantined and the time from the crossing join until the last role was given. */
  quarantined: number;
  quarantineMs: number | null;
  /** How long the simulator took to send the burst. */
  burstMs: number;
}

export interface RaidBenchResult {
  raids: number;
  joinsPerRaid: number;
  ratePerS: number | null;
  threshold: { joins: number; seconds: number };
  /** Crossing join sent → every lockdown call received, over the raids. */
  lockdownMs: { p50: number; p99: number; max: number };
  firstCallMs: { p50: number; p99: number };
  /** Every admitted join of every raid was processed by the guild actor. */
  allProcessed: boolean;
  targetMs: number;
  /** p99 under target and no join left unprocessed. */
  pass: boolean;
  samples: RaidSample[];
  /** A smaller raid run first and not counted: the simulator compiles its request validators on first use. */
  warmup: RaidSample | null;
  durationS: number;
}

const TARGET_MS = 1000;
const LOCKDOWN_ROUTES = ['PATCH /guilds/{guild_id}', 'PUT /guilds/{guild_id}/incident-actions', 'PATCH /channels/{channel_id}'];

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const pct = (sorted: readonly number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;

export interface SimGuild {
  guildId: string;
  adminId: string;
  generalChannelId: string;
}
export interface JoinReply {
  member_ids: string[];
  joins: { i: number; user_id: string; at: number }[];
  refused: unknown[];
  durationMs: number;
}

export class Client {
  private readonly stack: LocalStack;
  private readonly adminToken: string;

  constructor(stack: LocalStack, adminToken: string) {
    this.stack = stack;
    this.adminToken = adminToken;
  }

  async sim<T>(path: string, body?: unknown, timeoutMs = 60_000): Promise<T> {
    const r = await fetch(this.stack.sim.url + path, {
      method: body === undefined ? 'GET' : 'POST',
      signal: AbortSignal.timeout(timeoutMs),
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`simulator ${path}: ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  async admin<T>(path: string, method = 'GET'): Promise<{ status: number; body: T }> {
    const r = await fetch(this.stack.workerUrl + path, {
      method,
      headers: { Authorization: `Bearer ${this.adminToken}` },
      signal: AbortSignal.timeout(15_000),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async protection(guildId: string): Promise<ProtectionStatus> {
    const r = await this.admin<ProtectionStatus>(`/admin/guilds/${guildId}/protection`);
    if (r.status !== 200 || !r.body) throw new Error(`GET /admin/guilds/${guildId}/protection: ${r.status}`);
    return r.body;
  }

  /** A slash command, signed by the simulator and delivered to the Worker. */
  async command(g: SimGuild, name: string, sub: string, options: { name: string; type: number; value: string | number }[]): Promise<string> {
    const r = await this.sim<{ response: { data?: { content?: string } } }>('/_sim/interactions', {
      type: 2,
      guild_id: g.guildId,
      channel_id: g.generalChannelId,
      user_id: g.adminId,
      deliver: true,
      data: { name, type: 1, options: [{ name: sub, type: 1, options }] },
    });
    return r.response?.data?.content ?? '';
  }
}

export async function until<T>(what: string, ms: number, check: () => Promise<T | null>, pollMs = 50): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== null) return v;
    if (performance.now() > end) throw new Error(`bench: ${what} not reached within ${ms / 1000} s`);
    await sleep(pollMs);
  }
}

async function raid(c: Client, n: number, joins: number, o: RaidBenchOptions): Promise<RaidSample> {
  const g = await c.sim<SimGuild>('/_sim/guilds', { name: `Raid bench ${n}`, members: 3, staff: 0 });
  // GUILD_CREATE applied: the guild actor knows the guild's settings and has its invite snapshot.
  await until('GUILD_CREATE applied', 30_000, async () => ((await c.protection(g.guildId)).invites.snapshotAt !== null ? true : null));
  const saved = await c.command(g, 'antiraid', 'config', [
    { name: 'threshold', type: 4, value: o.threshold ?? 10 },
    { name: 'window_seconds', type: 4, value: o.windowSeconds ?? 10 },
    { name: 'slowmode_channels', type: 3, value: `<#${g.generalChannelId}>` },
  ]);
  if (!saved.includes('Anti-raid settings saved')) throw new Error(`raid bench: /antiraid config answered "${saved}"`);

  const burst = await c.sim<JoinReply>(
    `/_sim/guilds/${g.guildId}/joins`,
    {
      count: joins,
      namePattern: `raid${n}_{n}`,
      accountAgeDays: 2,
      ...(o.ratePerS ? { ratePerS: o.ratePerS } : {}),
    },
    120_000,
  );
  const admitted = burst.member_ids.length;
  // Every admitted join counted, the lockdown applied, and the quarantine finished (bounded).
  const settled = await until(
    'joins processed and quarantine done',
    120_000,
    async () => {
      const s = await c.protection(g.guildId);
      const processed = s.activity.reduce((sum, b) => sum + b.joins, 0);
      return processed >= admitted && s.raid.lockdown?.phase === 'active' && s.rolesPending === 0 ? s : null;
    },
    100,
  );
  const lock = settled.raid.lockdown!;
  const crossing = burst.joins.find((j) => j.user_id === lock.crossedBy);
  if (!crossing) throw new Error(`raid bench: the crossing join ${lock.crossedBy} is not among the burst's joins`);
  const log = await c.sim<{ calls: { time: number; route: string; status: number }[] }>(`/_sim/guilds/${g.guildId}/modlog`);
  const calls = log.calls.filter((x) => LOCKDOWN_ROUTES.includes(x.route) && x.time >= crossing.at && x.status < 300);
  if (calls.length < 3) throw new Error(`raid bench: ${calls.length} lockdown calls seen, 3 expected`);
  const roleCalls = log.calls.filter((x) => x.route === 'PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}');
  return {
    guildId: g.guildId,
    admitted,
    refused: burst.refused.length,
    processed: settled.activity.reduce((sum, b) => sum + b.joins, 0),
    crossingJoin: crossing.i + 1,
    reason: lock.summary,
    firstCallMs: Math.min(...calls.map((x) => x.time)) - crossing.at,
    lockdownMs: Math.max(...calls.slice(0, 3).map((x) => x.time)) - crossing.at,
    calls: calls.length,
    quarantined: lock.quarantined,
    quarantineMs: roleCalls.length ? Math.max(...roleCalls.map((x) => x.time)) - crossing.at : null,
    burstMs: burst.durationMs,
  };
}

/** Starts its own stack and gateway, runs the raids, and stops everything. */
export async function runRaidBench(o: RaidBenchOptions): Promise<RaidBenchResult> {
  const t0 = performance.now();
  const raids = o.raids ?? 5;
  const joins = o.joins ?? 1000;
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-raid-'));
  const adminToken = randomBytes(16).toString('hex');
  let stack: LocalStack | null = null;
  try {
    stack = await startLocalStack({ workerPort: o.workerPort, simPort: o.simPort, persistTo, quiet: true, vars: { ADMIN_TOKEN: adminToken } });
    const c = new Client(stack, adminToken);
    const start = await c.admin<unknown>('/admin/gateway/start', 'POST');
    if (start.status !== 202) throw new Error(`POST /admin/gateway/start: ${start.status} ${JSON.stringify(start.body)}`);
    await until(
      'shard ready',
      30_000,
      async () => {
        const s = await c.admin<{ shards?: { phase: string }[] }>('/admin/gateway');
        return s.body?.shards?.[0]?.phase === 'ready' ? true : null;
      },
      100,
    );

    console.log('  warm-up raid (50 joins, not counted) …');
    const warmup = await raid(c, 0, 50, o);
    const samples: RaidSample[] = [];
    for (let n = 1; n <= raids; n++) {
      const s = await raid(c, n, joins, o);
      samples.push(s);
      console.log(
        `  raid ${n}/${raids}: join #${s.crossingJoin} crossed (${s.reason}); lockdown calls received ${s.firstCallMs}–${s.lockdownMs} ms after it was sent; ` +
          `${s.processed}/${s.admitted} admitted joins processed (${s.refused} refused once invites were paused); ${s.quarantined} quarantined in ${s.quarantineMs ?? '—'} ms`,
      );
    }
    const lock = samples.map((s) => s.lockdownMs).sort((a, b) => a - b);
    const first = samples.map((s) => s.firstCallMs).sort((a, b) => a - b);
    const allProcessed = samples.every((s) => s.processed === s.admitted);
    const p99 = pct(lock, 99);
    return {
      raids,
      joinsPerRaid: joins,
      ratePerS: o.ratePerS ?? null,
      threshold: { joins: o.threshold ?? 10, seconds: o.windowSeconds ?? 10 },
      lockdownMs: { p50: pct(lock, 50), p99, max: lock.at(-1) ?? NaN },
      firstCallMs: { p50: pct(first, 50), p99: pct(first, 99) },
      allProcessed,
      targetMs: TARGET_MS,
      pass: allProcessed && p99 < TARGET_MS,
      samples,
      warmup,
      durationS: (performance.now() - t0) / 1000,
    };
  } finally {
    await stack?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

// `node bench/raid.ts [raids]` runs it alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { createServer } = await import('node:net');
  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
  const r = await runRaidBench({ workerPort: await freePort(), simPort: await freePort(), ...(process.argv[2] ? { raids: Number(process.argv[2]) } : {}) });
  const { samples: _s, ...summary } = r;
  console.log(JSON.stringify(summary, null, 2));
}
