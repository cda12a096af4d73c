// npm run bench: the local stack (simulator + wrangler dev), interleaved
// PING / ticket-open / ticket-list phases at concurrency 1 and 50, then the
// in-workerd signature micro-benchmark, the inbox fan-out, the gateway
// dispatch, moderation, game-server control and the engagement features (levels
// and automod under a hot guild's flood, FAQ matching, reminders); prints the table, checks the
// targets, writes bench/results/latest.json and BENCHMARKS.md.
// `--only gateway|moderation|servers|engagement|tickets|dashboard` runs that part alone
// (bench/results/<part>.json; BENCHMARKS.md untouched).
// Every process started here is stopped in a finally, and every loop is
// bounded by count and time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, type LocalStack, startLocalStack } from '../scripts/local-stack.ts';
import { runAutomodBench } from './automod.ts';
import { cpuDelta, sampleCpu } from './cpu.ts';
import { DASHBOARD_PLAN, runDashboardBench } from './dashboard.ts';
import { type EngagementResult, runEngagementBench } from './engagement.ts';
import { engagementMd, engagementTargets, printEngagement } from './engagement-report.ts';
import { runFanoutBench } from './fanout.ts';
import { runGatewayBench } from './gateway.ts';
import { gatewayTargets, printGateway } from './gateway-report.ts';
import { makeGuilds, OpenSlots, SimClient, sampleSignedBody, signLists, signOpens, signPings } from './interactions.ts';
import { type Check, combine, type PhaseResult, type PreparedRequest, runClosedLoop } from './load.ts';
import { type ModerationResult, moderationTargets, printModeration } from './moderation-report.ts';
import { PLAN } from './plan.ts';
import { runRaidBench } from './raid.ts';
import { type BenchResults, evaluate, type Machine, printTable, writeBenchmarksMd, writeJson } from './report.ts';
import { runServersBench, type ServersResult } from './servers.ts';
import { printServers, serversTargets } from './servers-report.ts';
import { runSignatureBench, type SignatureResult } from './signature.ts';
import { runTicketsBench } from './tickets.ts';
import { printTickets, ticketsTargets } from './tickets-report.ts';

type Kind = 'ping' | 'open' | 'list';

const parse = (body: string): { type?: number; data?: { content?: string } } | null => {
  try {
    return JSON.parse(body) as { type?: number; data?: { content?: string } };
  } catch {
    return null;
  }
};
const describe = (status: number, body: string) => `HTTP ${status}: ${(parse(body)?.data?.content ?? body).slice(0, 70)}`;

const CHECKS: Record<Kind, Check> = {
  ping: (status, body) => (status === 200 && parse(body)?.type === 1 ? null : describe(status, body)),
  // A refusal ("You already have an open …") is an answer, not a ticket: it does not count.
  open: (status, body) => (status === 200 && parse(body)?.data?.content?.startsWith('🎫 Ticket #') ? null : describe(status, body)),
  list: (status, body) => (status === 200 && parse(body)?.data?.content?.startsWith('Only support staff') ? null : describe(status, body)),
};

function machine(): Machine {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  const wranglerPkg = JSON.parse(readFileSync(new URL('../node_modules/wrangler/package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    nproc: sh('nproc', []),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    wrangler: wranglerPkg.version,
    loadavgAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    date: new Date().toISOString(),
    // What was measured: the commit, and any uncommitted changes to the bot or simulator at the time.
    commit: sh('git', ['rev-parse', '--short', 'HEAD']),
    uncommitted: sh('git', ['status', '--porcelain', '--', 'src', 'sim', 'wrangler.jsonc'])
      .split('\n')
      .filter((l) => l.trim() && l !== 'unknown')
      .map((l) => l.trim()),
  };
}

/** Waits (bounded) until the simulator's REST call count stops moving, so one block's background work does not land in the next. */
async function settle(sim: SimClient, maxMs: number): Promise<{ waitedMs: number; quiet: boolean }> {
  const t0 = performance.now();
  let last = (await sim.stats()).calls;
  let stableSince = performance.now();
  while (performance.now() - t0 < maxMs) {
    await new Promise((r) => setTimeout(r, 250));
    const now = (await sim.stats()).calls;
    if (now !== last) {
      last = now;
      stableSince = performance.now();
      continue;
    }
    if (performance.now() - stableSince >= 750) return { waitedMs: performance.now() - t0, quiet: true };
  }
  return { waitedMs: performance.now() - t0, quiet: false };
}

/** How far the bots' background work got by the end of the load: ticket threads that exist, and those with the control message posted. */
async function provisioned(sim: SimClient, guildIds: string[]): Promise<{ threads: number; threadsWithControlMessage: number }> {
  let threads = 0;
  let withControl = 0;
  for (const id of guildIds) {
    const snap = await sim.call<{ channels: { id: string; type: number }[]; messages: Record<string, { components?: unknown[] }[]> }>(`/_sim/guilds/${id}`);
    for (const c of snap.channels) {
      if (c.type !== 12) continue;
      threads++;
      if (snap.messages[c.id]?.some((msg) => msg.components?.length)) withControl++;
    }
  }
  return { threads, threadsWithControlMessage: withControl };
}

async function main(): Promise<void> {
  const started = performance.now();
  const m = machine();
  console.log(`Guildkeep bench — ${m.date} — nproc ${m.nproc}, ${m.cpuModel}, Node ${m.node}, wrangler ${m.wrangler}, load ${m.loadavgAtStart.join(' ')}`);
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-'));
  const sigPersist = mkdtempSync(join(tmpdir(), 'guildkeep-bench-sig-'));
  let stack: LocalStack | null = null;
  const blocks: Record<string, (PhaseResult & { samples: number[] })[]> = {};
  const settles: { before: string; waitedMs: number; quiet: boolean }[] = [];
  let simStats: BenchResults['background'] = null;
  let sample: Awaited<ReturnType<typeof sampleSignedBody>>;
  let signature: SignatureResult;
  try {
    const [workerPort, simPort] = [await freePort(), await freePort()];
    console.log('starting the simulator and wrangler dev …');
    stack = await startLocalStack({ workerPort, simPort, persistTo, quiet: true });
    const url = `${stack.workerUrl}/interactions`;
    const sim = new SimClient(stack.sim.url);

    const opens = PLAN.warmup + PLAN.c1.rounds * PLAN.c1.open + PLAN.paced.rounds * PLAN.paced.perBlock + PLAN.c50.rounds * PLAN.c50.open;
    const guilds = await makeGuilds(sim, opens, PLAN.guilds);
    const slots = new OpenSlots(guilds);
    console.log(`${guilds.length} guilds, ${guilds.reduce((s, g) => s + g.memberIds.length, 0)} members, room for ${slots.capacity} opens (${opens} planned)`);

    const sign = (kind: Kind, n: number): Promise<PreparedRequest[]> =>
      kind === 'ping' ? signPings(sim, n) : kind === 'open' ? signOpens(sim, slots, n) : signLists(sim, guilds, n);
    const runBlock = async (kind: Kind, n: number, concurrency: number, record: string | null, gapMs = 0) => {
      if (performance.now() - started > PLAN.totalBudgetMs) throw new Error('bench time budget exceeded');
      // Signed just before use: the Worker refuses timestamps older than 5 minutes.
      const requests = await sign(kind, n);
      if (!gapMs) {
        const s = await settle(sim, PLAN.settleMaxMs);
        settles.push({ before: `${kind} c=${concurrency}`, ...s });
      }
      const cpu0 = sampleCpu();
      const r = await runClosedLoop({ label: kind, url, requests, concurrency, check: CHECKS[kind], deadlineMs: PLAN.blockDeadlineMs, gapMs });
      r.cpuS = cpuDelta(cpu0, sampleCpu());
      if (record) (blocks[record] ??= []).push(r);
      const f = r.failed ? `, ${r.failed} failed (${r.failures.join('; ')})` : '';
      const rate = gapMs ? `paced, ${gapMs} ms apart` : `${r.rps.toFixed(0)} req/s`;
      console.log(
        `  ${kind.padEnd(4)} c=${String(concurrency).padEnd(2)} ${String(r.ok).padStart(4)} ok  p50 ${r.latencyMs.p50.toFixed(1)} ms  p99 ${r.latencyMs.p99.toFixed(1)} ms  ${rate}${f}${record ? '' : '  (warm-up)'}`,
      );
      return r;
    };

    console.log('warm-up (not counted) …');
    // One list per guild creates each GuildActor (its tables) before anything is timed.
    await runBlock('list', guilds.length, 4, null);
    await runBlock('ping', PLAN.warmup, 1, null);
    await runBlock('open', PLAN.warmup, 1, null);

    const interleaved = async (level: typeof PLAN.c1) => {
      console.log(`concurrency ${level.concurrency}: ${level.rounds} rounds, order alternating each round …`);
      for (let r = 0; r < level.rounds; r++) {
        const order: Kind[] = r % 2 === 0 ? ['ping', 'open', 'list'] : ['list', 'open', 'ping'];
        for (const kind of order) await runBlock(kind, level[kind], level.concurrency, `${kind}@${level.concurrency}`);
      }
    };
    await interleaved(PLAN.c1);
    // Before c=50, whose background backlog would not let a paced request run alone.
    console.log(`paced diagnostic: one at a time, ${PLAN.paced.gapMs} ms apart, so no background work overlaps a request …`);
    settles.push({ before: 'paced', ...(await settle(sim, PLAN.settleMaxMs)) });
    for (let r = 0; r < PLAN.paced.rounds; r++) {
      const order: Kind[] = r % 2 === 0 ? ['ping', 'open', 'list'] : ['list', 'open', 'ping'];
      for (const kind of order) await runBlock(kind, PLAN.paced.perBlock, 1, `${kind}@paced`, PLAN.paced.gapMs);
    }
    await interleaved(PLAN.c50);
    simStats = {
      ...(await sim.stats()),
      ...(await provisioned(
        sim,
        guilds.map((g) => g.guildId),
      )),
    };
    sample = await sampleSignedBody(sim, guilds[0]!);
  } finally {
    // The bot's background work stops with wrangler; the signature Worker then runs on a quiet machine.
    await stack?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }

  try {
    console.log('signature verification inside workerd …');
    signature = await runSignatureBench({ port: await freePort(), persistTo: sigPersist, sample, ...PLAN.signature });
  } finally {
    rmSync(sigPersist, { recursive: true, force: true });
  }

  console.log('fan-out from a ticket change to staff sockets …');
  const fanout = await runFanoutBench({ workerPort: await freePort(), simPort: await freePort(), sizes: PLAN.fanout.sizes, changes: PLAN.fanout.changes });

  console.log('gateway dispatch through a ShardActor into guild actors …');
  const gateway = await runGatewayBench({ workerPort: await freePort(), simPort: await freePort(), rpcPort: await freePort(), plan: PLAN.gateway });

  const moderation = await runModerationBench();

  const servers = await runServersPart();

  const engagement = await runEngagementPart();

  const phases = Object.fromEntries(Object.entries(blocks).map(([k, b]) => [k, combine(k, b)]));
  const perBlock = Object.fromEntries(Object.entries(blocks).map(([k, b]) => [k, b.map(({ samples: _s, ...rest }) => rest)]));
  const results: BenchResults = {
    machine: m,
    plan: PLAN,
    phases,
    blocks: perBlock,
    signature,
    settles,
    fanout,
    gateway,
    moderation,
    servers,
    engagement,
    background: simStats,
    targets: [...evaluate(phases, fanout, gateway), ...moderationTargets(moderation), ...serversTargets(servers), ...engagementTargets(engagement)],
    durationS: (performance.now() - started) / 1000,
  };
  printTable(results);
  writeJson(results);
  writeBenchmarksMd(results);
  console.log(`\nwrote bench/results/latest.json and BENCHMARKS.md in ${results.durationS.toFixed(0)} s`);
}

/** Automod decision cost inside workerd, then raids through the gateway. */
async function runModerationBench(): Promise<ModerationResult> {
  console.log('automod decision cost inside workerd …');
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-automod-'));
  // biome-ignore lint/suspicious/noImplicitAnyLet: assigned from the child's report inside the try
  let automod;
  try {
    automod = await runAutomodBench({ port: await freePort(), persistTo });
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
  console.log(`raids through the gateway: ${PLAN.raid.raids} × ${PLAN.raid.joins} joins …`);
  const raid = await runRaidBench({ workerPort: await freePort(), simPort: await freePort(), raids: PLAN.raid.raids, joins: PLAN.raid.joins });
  return { automod, raid };
}

/** The moderation part alone: automod cost and raid → lockdown latency; prints them and writes bench/results/moderation.json. */
async function moderationOnly(): Promise<void> {
  const m = machine();
  console.log(
    `Guildkeep bench, moderation only — ${m.date} — nproc ${m.nproc}, ${m.cpuModel}, Node ${m.node}, wrangler ${m.wrangler}, load ${m.loadavgAtStart.join(' ')}`,
  );
  const r = await runModerationBench();
  printModeration(r);
  console.log('\nTargets');
  for (const t of moderationTargets(r)) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured}`);
  writeFileSync(new URL('./results/moderation.json', import.meta.url), JSON.stringify({ machine: m, ...r }, null, 2) + '\n');
  console.log('\nwrote bench/results/moderation.json (BENCHMARKS.md is written by the full run only)');
}

/** Game-server control: `/server status` and autocomplete against PING with a slow panel, then panel calls of 20 status displays. */
async function runServersPart(): Promise<ServersResult> {
  console.log(`game-server control: a panel answering in ${PLAN.servers.panelLatencyMs} ms, then ${PLAN.servers.displays} status displays …`);
  return runServersBench({ workerPort: await freePort(), simPort: await freePort(), plan: PLAN.servers });
}

/** The game-server part alone: its table and targets, and bench/results/servers.json. */
async function serversOnly(): Promise<void> {
  const m = machine();
  console.log(
    `Guildkeep bench, servers only — ${m.date} — nproc ${m.nproc}, ${m.cpuModel}, Node ${m.node}, wrangler ${m.wrangler}, load ${m.loadavgAtStart.join(' ')}`,
  );
  const servers = await runServersPart();
  const targets = serversTargets(servers);
  printServers(servers);
  console.log('\nTargets');
  for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured}`);
  const loadavgAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  console.log(`load average at the end: ${loadavgAtEnd.join(' ')}`);
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('servers.json', dir), JSON.stringify({ machine: m, loadavgAtEnd, plan: PLAN.servers, servers, targets }, null, 2) + '\n');
  console.log(`\nwrote bench/results/servers.json in ${servers.durationS.toFixed(0)} s (BENCHMARKS.md is written by the full run only)`);
}

/** The gateway part alone, to iterate on it: its table and targets, and bench/results/gateway.json. */
async function gatewayOnly(): Promise<void> {
  const m = machine();
  console.log(
    `Guildkeep bench, gateway only — ${m.date} — nproc ${m.nproc}, ${m.cpuModel}, Node ${m.node}, wrangler ${m.wrangler}, load ${m.loadavgAtStart.join(' ')}`,
  );
  const gateway = await runGatewayBench({ workerPort: await freePort(), simPort: await freePort(), rpcPort: await freePort(), plan: PLAN.gateway });
  const targets = gatewayTargets(gateway);
  printGateway(gateway);
  console.log('\nTargets');
  for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured}`);
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('gateway.json', dir), JSON.stringify({ machine: m, plan: PLAN.gateway, gateway, targets }, null, 2) + '\n');
  console.log(`\nwrote bench/results/gateway.json in ${gateway.durationS.toFixed(0)} s (BENCHMARKS.md is written by the full run only)`);
}

/** Engagement features (issue 11): the hot guild (levels + 50 automod rules at 2,000 messages/s), FAQ match cost, reminder punctuality. */
async function runEngagementPart(): Promise<EngagementResult> {
  console.log('engagement: a hot guild with levels and automod, FAQ matching inside workerd, 1,000 reminders due at once …');
  return runEngagementBench({
    workerPort: await freePort(),
    simPort: await freePort(),
    rpcPort: await freePort(),
    faqPort: await freePort(),
    plan: PLAN.engagement,
  });
}

/** The engagement part alone: its tables and verdicts, and bench/results/engagement.json (with the BENCHMARKS.md section it would write). */
async function engagementOnly(): Promise<void> {
  const m = machine();
  console.log(
    `Guildkeep bench, engagement only — ${m.date} — nproc ${m.nproc}, ${m.cpuModel}, Node ${m.node}, wrangler ${m.wrangler}, load ${m.loadavgAtStart.join(' ')}`,
  );
  const engagement = await runEngagementPart();
  const targets = engagementTargets(engagement);
  printEngagement(engagement);
  console.log('\nTargets');
  for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured}`);
  const loadavgAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  console.log(`load average at the end: ${loadavgAtEnd.join(' ')}`);
  const markdown = engagementMd(engagement, {
    date: m.date,
    command: 'npm run bench -- --only engagement',
    loadavgAtStart: m.loadavgAtStart,
    loadavgAtEnd,
    bot: `commit \`${m.commit}\`${m.uncommitted.length ? ` plus uncommitted changes to ${m.uncommitted.join(', ')}` : ' (clean tree)'}`,
  });
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    new URL('engagement.json', dir),
    JSON.stringify({ machine: m, loadavgAtEnd, plan: PLAN.engagement, engagement, targets, markdown }, null, 2) + '\n',
  );
  console.log(`\nwrote bench/results/engagement.json in ${engagement.durationS.toFixed(0)} s (BENCHMARKS.md is written by the full run only)`);
}

/**
 * Ticket SLA timers (issue 12) alone: 10,000 open tickets in one guild, 1,000 critical due within a minute, and the
 * round trip of /ticket open against PING; bench/results/tickets.json. BENCH_TICKETS_BACKGROUND,
 * BENCH_TICKETS_CRITICAL and BENCH_TICKETS_TARGET_MIN shrink it for development (what was used is in the JSON).
 */
async function ticketsOnly(): Promise<void> {
  const m = machine();
  console.log(
    `Guildkeep bench, tickets only — ${m.date} — nproc ${m.nproc}, ${m.cpuModel}, Node ${m.node}, wrangler ${m.wrangler}, load ${m.loadavgAtStart.join(' ')}`,
  );
  const count = (name: string, fallback: number) => {
    const v = process.env[name];
    if (v === undefined || v === '') return fallback;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`${name}=${v} is not a positive whole number`);
    return Number(v);
  };
  const plan = {
    ...PLAN.tickets,
    background: count('BENCH_TICKETS_BACKGROUND', PLAN.tickets.background),
    critical: count('BENCH_TICKETS_CRITICAL', PLAN.tickets.critical),
    criticalTargetMin: count('BENCH_TICKETS_TARGET_MIN', PLAN.tickets.criticalTargetMin),
  };
  const tickets = await runTicketsBench({ workerPort: await freePort(), simPort: await freePort(), plan });
  const targets = ticketsTargets(tickets);
  printTickets(tickets);
  console.log('\nTargets');
  for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured}`);
  const loadavgAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  console.log(`load average at the end: ${loadavgAtEnd.join(' ')}`);
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('tickets.json', dir), JSON.stringify({ machine: m, loadavgAtEnd, plan, tickets, targets }, null, 2) + '\n');
  console.log(`\nwrote bench/results/tickets.json in ${tickets.durationS.toFixed(0)} s (BENCHMARKS.md is written by hand from it)`);
}

/**
 * The dashboard's analytics (issue 13) alone: the endpoint against PING before and after 1,000,000 joins, and the live
 * chart's delay in 1,000-join bursts; bench/results/dashboard.json. BENCH_DASHBOARD_JOINS shrinks it for development.
 */
async function dashboardOnly(): Promise<void> {
  const m = machine();
  console.log(
    `Guildkeep bench, dashboard only — ${m.date} — nproc ${m.nproc}, ${m.cpuModel}, Node ${m.node}, wrangler ${m.wrangler}, load ${m.loadavgAtStart.join(' ')}`,
  );
  const joins = process.env.BENCH_DASHBOARD_JOINS;
  if (joins !== undefined && (!/^\d+$/.test(joins) || Number(joins) < 1)) throw new Error(`BENCH_DASHBOARD_JOINS=${joins} is not a positive whole number`);
  const plan = { ...DASHBOARD_PLAN, ...(joins ? { joins: Number(joins) } : {}) };
  const d = await runDashboardBench({ workerPort: await freePort(), simPort: await freePort(), plan });
  const targets = [
    { name: 'live chart delay p99 < 1 s in 1,000-join bursts', pass: d.live.delayMs.p99 < d.live.targetMs, measured: `${d.live.delayMs.p99} ms` },
    {
      name: `analytics endpoint p50 with ${d.recorded.joins.toLocaleString('en')} joins ÷ PING p50 (same run), vs the empty guild's`,
      pass: true,
      measured: `30d ${(d.full.analytics30d.p50 / d.full.ping.p50).toFixed(2)}× (empty ${(d.empty.analytics30d.p50 / d.empty.ping.p50).toFixed(2)}×), 24h ${(d.full.analytics24h.p50 / d.full.ping.p50).toFixed(2)}× (empty ${(d.empty.analytics24h.p50 / d.empty.ping.p50).toFixed(2)}×)`,
    },
  ];
  console.log('\nTargets');
  for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured}`);
  const loadavgAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('dashboard.json', dir), JSON.stringify({ machine: m, loadavgAtEnd, dashboard: d, targets }, null, 2) + '\n');
  console.log(`\nwrote bench/results/dashboard.json in ${d.durationS.toFixed(0)} s (BENCHMARKS.md is written by hand from it)`);
}

const PARTS = {
  gateway: gatewayOnly,
  moderation: moderationOnly,
  servers: serversOnly,
  engagement: engagementOnly,
  tickets: ticketsOnly,
  dashboard: dashboardOnly,
} as const;
const isPart = (v: string | undefined): v is keyof typeof PARTS => v !== undefined && Object.hasOwn(PARTS, v);

/** `--only gateway|moderation|servers|engagement|tickets|dashboard` (or `--only=…`); nothing else is accepted, so a typo does not silently run the whole bench. */
function only(argv: string[]): keyof typeof PARTS | null {
  const i = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (i < 0) {
    if (argv.length)
      throw new Error(`unknown argument(s): ${argv.join(' ')} (usage: node bench/run.ts [--only gateway|moderation|servers|engagement|tickets|dashboard])`);
    return null;
  }
  const v = argv[i]!.includes('=') ? argv[i]!.slice('--only='.length) : argv[i + 1];
  if (!isPart(v))
    throw new Error(
      `--only takes ${Object.keys(PARTS)
        .map((k) => `"${k}"`)
        .join(', ')} (got ${v ?? 'nothing'})`,
    );
  return v;
}

Promise.resolve()
  .then(() => {
    const part = only(process.argv.slice(2));
    return part ? PARTS[part]() : main();
  })
  .catch((e: unknown) => {
    console.error('bench failed:', e instanceof Error ? e.stack : e);
    process.exitCode = 1;
  });
