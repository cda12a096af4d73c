// The dashboard's analytics under a large guild (issue 13, item 12), against
// the local stack (wrangler dev + the simulator) with the bot's gateway
// running:
//  1. the analytics endpoint (GET /api/dashboard/guilds/:id/analytics, with a
//     dashboard session) at c=1, interleaved with PING, in an empty guild;
//  2. 1,000,000 joins through the gateway (GUILD_MEMBER_ADD, joined_at spread
//     over the last 29 days), until the guild's 30-day total counts them all;
//  3. the same endpoint again, interleaved with PING: what a million recorded
//     joins cost a request (the counts are pre-aggregated per minute, hour and
//     day, so the answer should not grow with them);
//  4. the live chart's delay: the dashboard socket open while 1,000 joins come
//     as fast as the simulator sends them; per join, from the simulator's
//     dispatch to the first socket message whose running join count covers it
//     (target p99 < 1 s).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { type LocalStack, startLocalStack } from '../scripts/local-stack.ts';
import { SimClient, signPings } from './interactions.ts';
import { combine, type PhaseResult, type PreparedRequest, runClosedLoop } from './load.ts';
import { Client, type JoinReply, pct, type SimGuild, sleep, until } from './raid.ts';

export interface DashboardPlan {
  /** Joins recorded before the endpoint is measured again (default 1,000,000). */
  joins: number;
  /** Per simulator call (its maximum is 100,000). */
  joinsPerCall: number;
  /**
   * How far back the recorded joins' joined_at reach: inside the 30-day chart's
   * window (its first bucket starts at a UTC midnight 29 days before today's),
   * so that its total can count every one of them.
   */
  backdateDays: number;
  rounds: number;
  perBlock: number;
  /** Live bursts and their size. */
  bursts: number;
  burstJoins: number;
}

export const DASHBOARD_PLAN: DashboardPlan = {
  joins: 1_000_000,
  joinsPerCall: 100_000,
  backdateDays: 29,
  rounds: 6,
  perBlock: 50,
  bursts: 3,
  burstJoins: 1000,
};

interface Latency {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export interface DashboardResult {
  plan: DashboardPlan;
  empty: { ping: Latency; analytics30d: Latency; analytics24h: Latency };
  full: { ping: Latency; analytics30d: Latency; analytics24h: Latency };
  recorded: { joins: number; seedS: number; joinsPerS: number };
  live: { delayMs: Latency; messages: number; joins: number; targetMs: number };
  durationS: number;
}

const lat = (p: PhaseResult): Latency => ({ p50: p.latencyMs.p50, p99: p.latencyMs.p99, max: p.latencyMs.max, n: p.ok });

const GUILD_CHECK = (status: number, body: string) => (status === 200 && body.startsWith('{"range"') ? null : `HTTP ${status}: ${body.slice(0, 80)}`);
const PING_CHECK = (status: number, body: string) => (status === 200 && body === '{"type":1}' ? null : `HTTP ${status}: ${body.slice(0, 80)}`);

/** Logs the guild's admin in through the simulator's OAuth2 consent, as a browser would; the session cookie. */
async function login(stack: LocalStack, userId: string, guildId: string): Promise<string> {
  const sim = (path: string, body: unknown, method = 'POST') =>
    fetch(stack.sim.url + path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await sim('/_sim/oauth2/redirect-uris', { uri: `${stack.workerUrl}/dashboard/callback` });
  await sim(`/_sim/oauth2/users/${userId}/guilds`, { guilds: [{ id: guildId, name: 'Dashboard bench', permissions: String(1n << 5n) }] }, 'PUT');
  const start = await fetch(`${stack.workerUrl}/dashboard`, { redirect: 'manual' });
  await start.text();
  const loginCookie = start.headers
    .getSetCookie()
    .find((c) => c.startsWith('gk_login='))
    ?.split(';')[0];
  const location = start.headers.get('location');
  if (start.status !== 302 || !loginCookie || !location) throw new Error(`dashboard bench: /dashboard answered ${start.status}`);
  const consent = (await (await sim('/_sim/oauth2/authorize', { url: location, user_id: userId, approve: true })).json()) as { location: string };
  const back = await fetch(consent.location, { redirect: 'manual', headers: { cookie: loginCookie } });
  await back.text();
  const session = back.headers
    .getSetCookie()
    .find((c) => c.startsWith('gk_session='))
    ?.split(';')[0];
  if (!session) throw new Error(`dashboard bench: the login callback answered ${back.status} without a session`);
  return session;
}

export async function runDashboardBench(o: { workerPort: number; simPort: number; plan?: DashboardPlan }): Promise<DashboardResult> {
  const plan = o.plan ?? DASHBOARD_PLAN;
  const started = performance.now();
  const persistTo = mkdtempSync(join(tmpdir(), 'gk-dash-bench-'));
  const adminToken = randomBytes(24).toString('hex');
  let stack: LocalStack | null = null;
  try {
    stack = await startLocalStack({
      workerPort: o.workerPort,
      simPort: o.simPort,
      persistTo,
      quiet: !process.env.BENCH_VERBOSE,
      vars: { ADMIN_TOKEN: adminToken },
    });
    const c = new Client(stack, adminToken);
    const simc = new SimClient(stack.sim.url);
    const start = await c.admin<unknown>('/admin/gateway/start', 'POST');
    if (start.status !== 202) throw new Error(`POST /admin/gateway/start: ${start.status} ${JSON.stringify(start.body)}`);
    const g = await c.sim<SimGuild>('/_sim/guilds', { name: 'Dashboard bench', members: 3, staff: 0 });
    await until('GUILD_CREATE applied', 30_000, async () => ((await c.protection(g.guildId)).invites.snapshotAt !== null ? true : null));
    // A million joins in minutes is a raid by any measure: the bench guild measures counting, not lockdowns.
    const off = await c.command(g, 'antiraid', 'off', []);
    console.log(`  /antiraid off: ${off.split('\n')[0]}`);
    const cookie = await login(stack, g.adminId, g.guildId);
    const url = (range: string) => `${stack!.workerUrl}/api/dashboard/guilds/${g.guildId}/analytics?range=${range}`;
    /** The 30-day join total, or what the endpoint answered instead (during the flood it may be an error). */
    const answer = async (): Promise<{ joins: number } | { error: string }> => {
      const r = await fetch(url('30d'), { headers: { cookie } });
      const body = (await r.json().catch(() => null)) as { totals?: { join?: number }; error?: string } | null;
      const joins = body?.totals?.join;
      return r.ok && typeof joins === 'number' ? { joins } : { error: `HTTP ${r.status} ${body?.error ?? ''}`.trim() };
    };
    const totals = async (): Promise<number> => {
      const a = await answer();
      return 'joins' in a ? a.joins : 0;
    };

    /** Interleaved blocks of PING and the endpoint at c=1 (the endpoint's requests are plain GETs with the session). */
    const measure = async (label: string) => {
      const blocks: Record<'ping' | '30d' | '24h', (PhaseResult & { samples: number[] })[]> = { ping: [], '30d': [], '24h': [] };
      const get = (range: string, n: number): PreparedRequest[] =>
        Array.from({ length: n }, (_, i) => ({ id: `${range}-${i}`, body: '', headers: { cookie } }));
      const run = async (kind: 'ping' | '30d' | '24h', n: number) =>
        kind === 'ping'
          ? runClosedLoop({
              label: 'ping',
              url: `${stack!.workerUrl}/interactions`,
              requests: await signPings(simc, n),
              concurrency: 1,
              check: PING_CHECK,
              deadlineMs: 60_000,
            })
          : runClosedLoop({ label: kind, url: url(kind), method: 'GET', requests: get(kind, n), concurrency: 1, check: GUILD_CHECK, deadlineMs: 60_000 });
      await run('ping', 20);
      await run('30d', 20);
      await run('24h', 20);
      for (let r = 0; r < plan.rounds; r++) {
        const order = r % 2 === 0 ? (['ping', '30d', '24h'] as const) : (['24h', '30d', 'ping'] as const);
        for (const k of order) blocks[k].push(await run(k, plan.perBlock));
      }
      const out = {
        ping: lat(combine('ping', blocks.ping)),
        analytics30d: lat(combine('30d', blocks['30d'])),
        analytics24h: lat(combine('24h', blocks['24h'])),
      };
      console.log(
        `  ${label}: PING p50 ${out.ping.p50.toFixed(1)} ms; analytics 30d p50 ${out.analytics30d.p50.toFixed(1)} / p99 ${out.analytics30d.p99.toFixed(1)} ms; 24h p50 ${out.analytics24h.p50.toFixed(1)} / p99 ${out.analytics24h.p99.toFixed(1)} ms`,
      );
      return out;
    };

    console.log('  analytics endpoint in an empty guild …');
    const empty = await measure('empty guild');

    console.log(`  recording ${plan.joins.toLocaleString('en')} joins through the gateway (joined_at over ${plan.backdateDays} days) …`);
    const before = await totals();
    const seedStart = performance.now();
    for (let sent = 0; sent < plan.joins; sent += plan.joinsPerCall) {
      const n = Math.min(plan.joinsPerCall, plan.joins - sent);
      await c.sim<JoinReply>(`/_sim/guilds/${g.guildId}/joins`, { count: n, namePattern: `m${sent}_{n}`, backdateMs: plan.backdateDays * 86_400_000 }, 600_000);
      const a = await answer();
      const counted = 'joins' in a ? `${a.joins - before} counted` : `the endpoint answered ${a.error}`;
      console.log(`    ${(sent + n).toLocaleString('en')} sent, ${counted}, ${((performance.now() - seedStart) / 1000).toFixed(0)} s`);
    }
    const counted = await until(
      'every join counted',
      1_800_000,
      async () => ((await totals()) - before >= plan.joins ? (await totals()) - before : null),
      2000,
    );
    const seedS = (performance.now() - seedStart) / 1000;
    console.log(`    ${counted.toLocaleString('en')} counted in ${seedS.toFixed(0)} s (${Math.round(counted / seedS)} joins/s)`);

    console.log('  analytics endpoint with them recorded …');
    const full = await measure(`${counted.toLocaleString('en')} joins`);

    console.log(`  live: the dashboard socket during ${plan.bursts} bursts of ${plan.burstJoins} joins …`);
    const ws = new WebSocket(`${stack.workerUrl.replace(/^http/, 'ws')}/dashboard/guilds/${g.guildId}/live`, { headers: { cookie, origin: stack.workerUrl } });
    const received: { at: number; joins: number }[] = [];
    ws.on('message', (data) => {
      const at = Date.now();
      const m = JSON.parse(String(data)) as { type: string; delta?: { join?: number } };
      if (m.type === 'delta' && m.delta?.join) received.push({ at, joins: m.delta.join });
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const delays: number[] = [];
    for (let b = 0; b < plan.bursts; b++) {
      await sleep(2000);
      const from = received.length;
      const burst = await c.sim<JoinReply>(`/_sim/guilds/${g.guildId}/joins`, { count: plan.burstJoins, namePattern: `live${b}_{n}` }, 120_000);
      await until('the burst on the socket', 30_000, async () => (received.slice(from).reduce((n, m) => n + m.joins, 0) >= burst.joins.length ? true : null));
      // Join k (in dispatch order) is on the chart once the running count of this burst's deltas reaches k + 1.
      const sent = burst.joins.map((j) => j.at).sort((x, y) => x - y);
      let cum = 0;
      let k = 0;
      for (const m of received.slice(from)) {
        cum += m.joins;
        while (k < sent.length && k < cum) delays.push(m.at - sent[k++]!);
      }
    }
    ws.close();
    const sorted = [...delays].sort((x, y) => x - y);
    const live = {
      delayMs: { p50: pct(sorted, 50), p99: pct(sorted, 99), max: sorted.at(-1) ?? NaN, n: sorted.length },
      messages: received.length,
      joins: plan.bursts * plan.burstJoins,
      targetMs: 1000,
    };
    console.log(
      `    delay p50 ${live.delayMs.p50} ms, p99 ${live.delayMs.p99} ms, max ${live.delayMs.max} ms over ${live.delayMs.n} joins, ${live.messages} socket messages`,
    );
    return {
      plan,
      empty,
      full,
      recorded: { joins: counted, seedS, joinsPerS: counted / seedS },
      live,
      durationS: (performance.now() - started) / 1000,
    };
  } finally {
    await stack?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
