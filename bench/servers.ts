// The game-server part of the bench (issue 10): its own simulator, `wrangler
// dev` and game-panel simulator, with the panel answering every call after
// `panelLatencyMs` (800 ms). Two questions:
//   1. Does the resources cache hide the slow panel? `/server status` and the
//      `server` option's autocomplete, interleaved with PING at concurrency 1
//      in the same run, over a span longer than the 15 s cache, so the status
//      answers that had to wait for the panel are in the numbers (and counted).
//   2. Do status displays cost what their interval says? 20 displays on 20
//      servers of one panel, a steady window of 2.5 display intervals, every
//      panel call counted from the panel's own request log, and every display
//      message's edits counted from Discord's (the simulator's) call log, so a
//      display that stopped cannot pass as "few calls".
// Every process started here is stopped in a finally; every wait is bounded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type LocalStack, startLocalStack } from '../scripts/local-stack.ts';
import { DISPLAY_INTERVAL_MS } from '../src/features/servers/displays.ts';
import { LIST_CACHE_MS, STATUS_CACHE_MS } from '../src/features/servers/panels.ts';
import { SimClient, signPings } from './interactions.ts';
import { type Check, combine, type PhaseResult, type PreparedRequest, percentile, runClosedLoop } from './load.ts';
import type { Plan } from './plan.ts';

export type ServersPlan = Plan['servers'];

/** The three kinds measured against each other. */
export type ServersKind = 'ping' | 'status' | 'autocomplete';

export interface DisplayResult {
  displays: number;
  channels: number;
  intervalMs: number;
  /** From the first `/server display set` until every display's first message was in its channel. */
  postedAfterMs: number;
  posted: number;
  windowMs: number;
  /** Every call the panel logged in the window, by what it was. */
  panelCalls: { total: number; resources: number; list: number; other: number; failed: number };
  callsPerMin: number;
  /** What the display interval allows: one resources read per display per interval, plus one list refresh per LIST_CACHE_MS. */
  boundPerMin: number;
  /** Resources reads of one server in the window: fewest and most over the displayed servers. */
  readsPerServer: { min: number; max: number };
  /** Gaps between consecutive resources reads of the same server (from each server's last read before the window). */
  gapMs: { min: number; median: number; max: number; count: number };
  /** Σ over servers of 60 s ÷ that server's median gap: the steady rate, free of where the window's edges fall. */
  steadyCallsPerMin: number;
  /** Message edits (PATCH) the bot made in the window, from the simulator's call log. */
  edits: { ok: number; rateLimited: number; otherFailed: number; perDisplayMin: number; perDisplayMax: number };
  /** Displays edited at least floor(window ÷ interval) times in the window. */
  editedEnough: number;
  /** At the end: display messages still there, showing their server running, last edited inside the window. */
  freshAtEnd: number;
}

export interface ServersResult {
  panelLatencyMs: number;
  statusCacheMs: number;
  rounds: { n: number; perBlock: number; gapMs: number };
  phases: Record<ServersKind, PhaseResult>;
  /** p50 of each block, in run order, per kind. */
  blockP50s: Record<ServersKind, number[]>;
  /** How the measured span compares with the cache: status answers that waited for the panel (≥ ¾ of its latency). */
  statusWaited: { count: number; of: number; thresholdMs: number; waitedMs: number[] };
  /** Resources and list calls the panel logged while the interleaved rounds ran. */
  roundsPanelCalls: { resources: number; list: number; other: number };
  spanMs: number;
  /** `/server status` of servers whose cache had expired: every one waits for the panel. */
  cold: { n: number; latencyMs: { p50: number; max: number }; panelReads: number };
  display: DisplayResult;
  durationS: number;
}

interface Signed {
  interaction: { id: string };
  body: string;
  headers: Record<string, string>;
}

interface SimGuild {
  guildId: string;
  adminId: string;
  generalChannelId: string;
  supportChannelId: string;
}

interface WorldInfo {
  id: string;
  url: string;
  keys: { admin: string };
  servers: { identifier: string; name: string; state: string; status: string | null }[];
}

interface PanelLogEntry {
  seq: number;
  api: string;
  method: string;
  path: string;
  status: number;
  at: number;
}

interface Delivered {
  status: number;
  response: { type?: number; data?: { custom_id?: string; content?: string; choices?: { name: string; value: string }[] } } | null;
}

interface SimLogCall {
  seq: number;
  time: number;
  method: string;
  path: string;
  route: string | null;
  status: number;
}

interface Snapshot {
  messages: Record<string, { id: string; edited_timestamp: string | null; embeds?: { title?: string; timestamp?: string }[]; author?: { bot?: boolean } }[]>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class PanelControl {
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }
  async call<T>(path: string, body?: unknown): Promise<T> {
    const r = await fetch(this.url + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`panel simulator ${path}: ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
  log(w: WorldInfo, since = 0): Promise<PanelLogEntry[]> {
    return this.call<{ entries: PanelLogEntry[] }>(`/_panel/worlds/${w.id}/log?since=${since}`).then((r) => r.entries);
  }
}

/** `/server <sub>` or `/server <group> <sub>` with string options (and `channel` as a channel option). */
function serverCommand(g: SimGuild, path: string, options: Record<string, string>): Record<string, unknown> {
  const words = path.split(' ');
  const leaf = Object.entries(options).map(([name, value]) => ({ name, value, type: name === 'channel' ? 7 : 3 }));
  const sub =
    words.length === 2 ? [{ name: words[0], type: 2, options: [{ name: words[1], type: 1, options: leaf }] }] : [{ name: words[0], type: 1, options: leaf }];
  return { type: 2, guild_id: g.guildId, channel_id: g.generalChannelId, user_id: g.adminId, data: { name: 'server', type: 1, options: sub } };
}

function serverAutocomplete(g: SimGuild, typed: string): Record<string, unknown> {
  return {
    type: 4,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: g.adminId,
    data: { name: 'server', type: 1, options: [{ name: 'status', type: 1, options: [{ name: 'server', type: 3, value: typed, focused: true }] }] },
  };
}

/** Signed by the simulator, delivered by it to the Worker, the answer recorded as Discord would. */
const deliver = (sim: SimClient, spec: Record<string, unknown>) => sim.call<Delivered>('/_sim/interactions', { ...spec, deliver: true });

/** Signed only (for the timed blocks, which post them to the Worker themselves); signed just before use. */
async function signMany(sim: SimClient, spec: Record<string, unknown>, n: number): Promise<PreparedRequest[]> {
  const out: PreparedRequest[] = [];
  for (let i = 0; i < n; i += 8) {
    const batch = await Promise.all(Array.from({ length: Math.min(8, n - i) }, () => sim.call<Signed>('/_sim/interactions', spec)));
    for (const s of batch) out.push({ id: s.interaction.id, body: s.body, headers: s.headers });
  }
  return out;
}

/** Connects a world's Pterodactyl panel to the guild through the real form, as the guild's administrator. */
async function connectPanel(sim: SimClient, g: SimGuild, name: string, w: WorldInfo): Promise<string> {
  const opened = await deliver(sim, serverCommand(g, 'connect', { kind: 'pterodactyl' }));
  const customId = opened.response?.data?.custom_id;
  if (!customId) throw new Error(`/server connect opened no form: ${opened.response?.data?.content ?? `HTTP ${opened.status}`}`);
  const field = (custom_id: string, value: string) => ({ type: 1, components: [{ type: 4, custom_id, value }] });
  const done = await deliver(sim, {
    type: 5,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: g.adminId,
    data: { custom_id: customId, components: [field('name', name), field('url', w.url), field('key', w.keys.admin)] },
  });
  const content = done.response?.data?.content ?? '';
  if (!/^Connected \*\*/.test(content)) throw new Error(`connecting the panel failed: ${content || `HTTP ${done.status}`}`);
  return content;
}

/** `panelId/serverId` of each of the world's servers, from the bot's own autocomplete answer. */
async function refsOf(sim: SimClient, g: SimGuild, w: WorldInfo): Promise<Map<string, string>> {
  const d = await deliver(sim, serverAutocomplete(g, ''));
  const byId = new Map<string, string>();
  for (const c of d.response?.data?.choices ?? []) byId.set(c.value.split('/')[1] ?? '', c.value);
  const refs = new Map<string, string>();
  for (const s of w.servers) {
    const ref = byId.get(s.identifier);
    if (ref) refs.set(s.identifier, ref);
  }
  return refs;
}

const parse = (body: string): { type?: number; data?: { content?: string; embeds?: { title?: string }[]; choices?: { value: string }[] } } | null => {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
};
const describe = (status: number, body: string) => `HTTP ${status}: ${(parse(body)?.data?.content ?? body).slice(0, 70)}`;

const resourcesOf = (path: string) => /\/api\/client\/servers\/([^/?]+)\/resources/.exec(path)?.[1] ?? null;
const isList = (path: string) => /^\/api\/client\/?(\?|$)/.test(path);

export async function runServersBench(o: { workerPort: number; simPort: number; plan: ServersPlan }): Promise<ServersResult> {
  const plan = o.plan;
  const started = performance.now();
  const budget = (what: string) => {
    if (performance.now() - started > plan.budgetMs) throw new Error(`servers bench: time budget of ${plan.budgetMs / 1000} s exceeded (${what})`);
  };
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-servers-'));
  let stack: LocalStack | null = null;
  try {
    console.log('starting the simulator, the game-panel simulator and wrangler dev …');
    stack = await startLocalStack({
      workerPort: o.workerPort,
      simPort: o.simPort,
      panelPort: 0,
      persistTo,
      quiet: true,
      vars: { CONFIG_KEY: 'bench-config-key', ALLOW_HTTP_PANELS: 'true' },
    });
    if (!stack.panel) throw new Error('the game-panel simulator did not start');
    const url = `${stack.workerUrl}/interactions`;
    const sim = new SimClient(stack.sim.url);
    const panel = new PanelControl(stack.panel.url);
    const world = (servers: { name: string; state: 'running' }[]) =>
      panel.call<WorldInfo>('/_panel/worlds', { clock: 'real', latencyMs: plan.panelLatencyMs, resourceCacheMs: 0, rateLimitPerMinute: 100_000, servers });

    // ---- 1. status and autocomplete against PING ----
    const names = ['Survival SMP', ...Array.from({ length: plan.cold }, (_, i) => `Cold ${i + 1}`)];
    const wA = await world(names.map((name) => ({ name, state: 'running' as const })));
    const gA = await sim.call<SimGuild>('/_sim/guilds', { name: 'Bench servers', members: 2, staff: 1 });
    const tConnect = performance.now();
    console.log(`panel world ${wA.id} (${wA.servers.length} servers, ${plan.panelLatencyMs} ms per call) → ${await connectPanel(sim, gA, 'Bench panel', wA)}`);
    const refsA = await refsOf(sim, gA, wA);
    const hot = wA.servers.find((s) => s.name === 'Survival SMP')!;
    const hotRef = refsA.get(hot.identifier);
    if (!hotRef) throw new Error(`the bot's autocomplete did not offer ${hot.name}`);

    const checks: Record<ServersKind, Check> = {
      ping: (status, body) => (status === 200 && parse(body)?.type === 1 ? null : describe(status, body)),
      status: (status, body) => (status === 200 && parse(body)?.data?.embeds?.[0]?.title === `🟢 ${hot.name}` ? null : describe(status, body)),
      autocomplete: (status, body) => {
        const p = parse(body);
        return status === 200 && p?.type === 8 && p.data?.choices?.some((c) => c.value === hotRef) ? null : describe(status, body);
      },
    };
    const specs: Record<Exclude<ServersKind, 'ping'>, Record<string, unknown>> = {
      status: serverCommand(gA, 'status', { server: hotRef }),
      autocomplete: serverAutocomplete(gA, 'surv'),
    };
    const sign = (kind: ServersKind, n: number) => (kind === 'ping' ? signPings(sim, n) : signMany(sim, specs[kind], n));
    const blocks: Record<ServersKind, (PhaseResult & { samples: number[] })[]> = { ping: [], status: [], autocomplete: [] };
    const run = async (kind: ServersKind, n: number, record: boolean) => {
      budget(kind);
      const requests = await sign(kind, n);
      const r = await runClosedLoop({ label: kind, url, requests, concurrency: 1, check: checks[kind], deadlineMs: plan.blockDeadlineMs });
      if (record) blocks[kind].push(r);
      const f = r.failed ? `, ${r.failed} failed (${r.failures.join('; ')})` : '';
      console.log(
        `  ${kind.padEnd(12)} ${String(r.ok).padStart(3)} ok  p50 ${r.latencyMs.p50.toFixed(1)} ms  p99 ${r.latencyMs.p99.toFixed(1)} ms  max ${r.latencyMs.max.toFixed(0)} ms${f}${record ? '' : '  (warm-up)'}`,
      );
      return r;
    };

    console.log('warm-up (not counted) …');
    for (const kind of ['ping', 'status', 'autocomplete'] as const) await run(kind, plan.warmup, false);
    const logStart = (await panel.log(wA)).at(-1)?.seq ?? 0;
    const spanStart = performance.now();
    console.log(
      `${plan.rounds} rounds of ${plan.perBlock} PING + ${plan.perBlock} /server status + ${plan.perBlock} autocomplete at concurrency 1, ${plan.roundGapMs / 1000} s apart (the cache holds ${STATUS_CACHE_MS / 1000} s) …`,
    );
    for (let r = 0; r < plan.rounds; r++) {
      const order: ServersKind[] = r % 2 === 0 ? ['ping', 'status', 'autocomplete'] : ['autocomplete', 'status', 'ping'];
      for (const kind of order) await run(kind, plan.perBlock, true);
      if (r < plan.rounds - 1) await sleep(plan.roundGapMs);
    }
    const spanMs = performance.now() - spanStart;
    const roundsLog = await panel.log(wA, logStart);
    const roundsPanelCalls = {
      resources: roundsLog.filter((e) => resourcesOf(e.path)).length,
      list: roundsLog.filter((e) => isList(e.path)).length,
      other: roundsLog.filter((e) => !resourcesOf(e.path) && !isList(e.path)).length,
    };

    // Servers not asked about since the connection read them: their cache has expired, so each answer waits for the panel.
    const waitCold = STATUS_CACHE_MS + 1000 - (performance.now() - tConnect);
    if (waitCold > 0) await sleep(waitCold);
    const coldLogStart = (await panel.log(wA)).at(-1)?.seq ?? 0;
    const coldSamples: number[] = [];
    for (const s of wA.servers.filter((x) => x.identifier !== hot.identifier)) {
      const ref = refsA.get(s.identifier);
      if (!ref) throw new Error(`the bot's autocomplete did not offer ${s.name}`);
      const [req] = await signMany(sim, serverCommand(gA, 'status', { server: ref }), 1);
      const check: Check = (status, body) => (status === 200 && parse(body)?.data?.embeds?.[0]?.title === `🟢 ${s.name}` ? null : describe(status, body));
      const r = await runClosedLoop({ label: 'cold', url, requests: [req!], concurrency: 1, check, deadlineMs: plan.blockDeadlineMs });
      if (r.failed) throw new Error(`cold /server status of ${s.name} failed: ${r.failures.join('; ')}`);
      coldSamples.push(...r.samples);
    }
    const coldReads = (await panel.log(wA, coldLogStart)).filter((e) => resourcesOf(e.path)).length;
    const coldSorted = [...coldSamples].sort((a, b) => a - b);
    console.log(
      `  cold status  ${coldSamples.length} asks of servers whose cache had expired: p50 ${percentile(coldSorted, 50).toFixed(0)} ms, max ${coldSorted.at(-1)?.toFixed(0)} ms, ${coldReads} panel reads`,
    );

    const phases = {
      ping: combine('ping', blocks.ping),
      status: combine('status', blocks.status),
      autocomplete: combine('autocomplete', blocks.autocomplete),
    };
    const thresholdMs = 0.75 * plan.panelLatencyMs;
    const statusSamples = blocks.status.flatMap((b) => b.samples);
    const waited = statusSamples.filter((x) => x >= thresholdMs);

    // ---- 2. displays ----
    budget('displays');
    const display = await runDisplays(sim, panel, plan, world, budget);

    return {
      panelLatencyMs: plan.panelLatencyMs,
      statusCacheMs: STATUS_CACHE_MS,
      rounds: { n: plan.rounds, perBlock: plan.perBlock, gapMs: plan.roundGapMs },
      phases,
      blockP50s: {
        ping: blocks.ping.map((b) => b.latencyMs.p50),
        status: blocks.status.map((b) => b.latencyMs.p50),
        autocomplete: blocks.autocomplete.map((b) => b.latencyMs.p50),
      },
      statusWaited: { count: waited.length, of: statusSamples.length, thresholdMs, waitedMs: waited.map((x) => Math.round(x)) },
      roundsPanelCalls,
      spanMs,
      cold: { n: coldSamples.length, latencyMs: { p50: percentile(coldSorted, 50), max: coldSorted.at(-1) ?? NaN }, panelReads: coldReads },
      display,
      durationS: (performance.now() - started) / 1000,
    };
  } finally {
    await stack?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

async function runDisplays(
  sim: SimClient,
  panel: PanelControl,
  plan: ServersPlan,
  world: (servers: { name: string; state: 'running' }[]) => Promise<WorldInfo>,
  budget: (what: string) => void,
): Promise<DisplayResult> {
  const n = plan.displays;
  const w = await world(Array.from({ length: n }, (_, i) => ({ name: `Bench server ${String(i + 1).padStart(2, '0')}`, state: 'running' as const })));
  const g = await sim.call<SimGuild>('/_sim/guilds', { name: 'Bench displays', members: 2, staff: 1 });
  console.log(`${n} status displays: panel world ${w.id} → ${await connectPanel(sim, g, 'Display panel', w)}`);
  const refs = await refsOf(sim, g, w);
  if (refs.size !== n) throw new Error(`the bot's autocomplete offered ${refs.size} of the ${n} servers`);
  // Two channels, as a guild with a status channel per game group would have; each takes Discord's 5 posts per 5 s.
  const channels = [g.generalChannelId, g.supportChannelId].slice(0, plan.displayChannels);
  const titleOf = new Map(w.servers.map((s) => [s.identifier, `🟢 ${s.name}`]));
  const setAt = performance.now();
  for (const [i, s] of w.servers.entries()) {
    const d = await deliver(sim, serverCommand(g, 'display set', { server: refs.get(s.identifier)!, channel: channels[i % channels.length]! }));
    const content = d.response?.data?.content ?? '';
    if (!/is being posted/.test(content)) throw new Error(`/server display set for ${s.name}: ${content || `HTTP ${d.status}`}`);
  }

  // Every display's first message, found in its channel (bounded).
  const messageOf = new Map<string, { channelId: string; id: string }>();
  const postDeadline = performance.now() + plan.postDeadlineMs;
  while (messageOf.size < n) {
    if (performance.now() > postDeadline) throw new Error(`only ${messageOf.size} of ${n} displays were posted within ${plan.postDeadlineMs / 1000} s`);
    await sleep(500);
    const snap = await sim.call<Snapshot>(`/_sim/guilds/${g.guildId}`);
    for (const c of channels)
      for (const m of snap.messages[c] ?? []) {
        const s = w.servers.find((x) => titleOf.get(x.identifier) === m.embeds?.[0]?.title);
        if (s && m.author?.bot !== false && !messageOf.has(s.identifier)) messageOf.set(s.identifier, { channelId: c, id: m.id });
      }
  }
  const postedAfterMs = performance.now() - setAt;
  console.log(`  all ${n} displays posted ${(postedAfterMs / 1000).toFixed(1)} s after the first was set`);

  const panelSeq0 = (await panel.log(w)).at(-1)?.seq ?? 0;
  const simSeq0 = (await sim.call<{ nextSeq: number }>(`/_sim/log?since=${Number.MAX_SAFE_INTEGER}`)).nextSeq;
  const t0 = Date.now();
  const windowMs = Math.round(plan.windowIntervals * DISPLAY_INTERVAL_MS);
  console.log(`  steady window: ${(windowMs / 1000).toFixed(0)} s (${plan.windowIntervals} display intervals of ${DISPLAY_INTERVAL_MS / 1000} s) …`);
  const windowEnd = performance.now() + windowMs;
  // Bounded by time: wakes every 30 s to say how far it is.
  for (let i = 0; i < 100 && performance.now() < windowEnd; i++) {
    await sleep(Math.min(30_000, windowEnd - performance.now()));
    const calls = (await panel.log(w, panelSeq0)).length;
    console.log(`    ${((windowMs - Math.max(0, windowEnd - performance.now())) / 1000).toFixed(0)} s: ${calls} panel calls so far`);
  }
  const t1 = Date.now();
  budget('displays window');

  const all = await panel.log(w);
  const inWindow = all.filter((e) => e.seq > panelSeq0 && e.at >= t0 && e.at <= t1);
  const resources = inWindow.filter((e) => resourcesOf(e.path));
  const list = inWindow.filter((e) => isList(e.path));
  const windowMin = (t1 - t0) / 60_000;
  const readsIn = w.servers.map((s) => resources.filter((e) => resourcesOf(e.path) === s.identifier).length);

  // Gaps between consecutive reads of one server, from its last read before the window to its last read in it.
  const gaps: number[] = [];
  const medians: number[] = [];
  for (const s of w.servers) {
    const at = all
      .filter((e) => resourcesOf(e.path) === s.identifier && e.at <= t1)
      .map((e) => e.at)
      .sort((a, b) => a - b);
    const before = at.filter((x) => x < t0).at(-1);
    const seq = [...(before === undefined ? [] : [before]), ...at.filter((x) => x >= t0)];
    const own = seq.slice(1).map((x, i) => x - seq[i]!);
    gaps.push(...own);
    if (own.length)
      medians.push(
        percentile(
          [...own].sort((a, b) => a - b),
          50,
        ),
      );
  }
  const sortedGaps = [...gaps].sort((a, b) => a - b);

  // Discord's side: the bot's message edits in the window, and the messages as they are now.
  const simCalls = (await sim.call<{ calls: SimLogCall[] }>(`/_sim/log?since=${simSeq0}&guild_id=${g.guildId}`)).calls.filter((c) => c.time <= t1);
  const edits = simCalls.filter((c) => c.method === 'PATCH' && /\/channels\/\d+\/messages\/\d+$/.test(c.path));
  const editsOf = [...messageOf.values()].map((m) => edits.filter((c) => c.status === 200 && c.path.endsWith(`/messages/${m.id}`)).length);
  const minEdits = Math.floor(windowMs / DISPLAY_INTERVAL_MS);
  const snap = await sim.call<Snapshot>(`/_sim/guilds/${g.guildId}`);
  let freshAtEnd = 0;
  for (const [identifier, m] of messageOf) {
    const msg = (snap.messages[m.channelId] ?? []).find((x) => x.id === m.id);
    if (msg && msg.embeds?.[0]?.title === titleOf.get(identifier) && msg.edited_timestamp && Date.parse(msg.edited_timestamp) >= t0) freshAtEnd++;
  }

  const result: DisplayResult = {
    displays: n,
    channels: channels.length,
    intervalMs: DISPLAY_INTERVAL_MS,
    postedAfterMs,
    posted: messageOf.size,
    windowMs: t1 - t0,
    panelCalls: {
      total: inWindow.length,
      resources: resources.length,
      list: list.length,
      other: inWindow.length - resources.length - list.length,
      failed: inWindow.filter((e) => e.status < 200 || e.status >= 300).length,
    },
    callsPerMin: inWindow.length / windowMin,
    boundPerMin: n * (60_000 / DISPLAY_INTERVAL_MS) + 60_000 / LIST_CACHE_MS,
    readsPerServer: { min: Math.min(...readsIn), max: Math.max(...readsIn) },
    gapMs: { min: sortedGaps[0] ?? NaN, median: percentile(sortedGaps, 50), max: sortedGaps.at(-1) ?? NaN, count: sortedGaps.length },
    steadyCallsPerMin: medians.length ? medians.reduce((s, m) => s + 60_000 / m, 0) : NaN,
    edits: {
      ok: edits.filter((c) => c.status === 200).length,
      rateLimited: edits.filter((c) => c.status === 429).length,
      otherFailed: edits.filter((c) => c.status !== 200 && c.status !== 429).length,
      perDisplayMin: Math.min(...editsOf),
      perDisplayMax: Math.max(...editsOf),
    },
    editedEnough: editsOf.filter((x) => x >= minEdits).length,
    freshAtEnd,
  };
  console.log(
    `  window ${(result.windowMs / 1000).toFixed(0)} s: ${result.panelCalls.total} panel calls (${result.panelCalls.resources} resources, ${result.panelCalls.list} list) = ${result.callsPerMin.toFixed(1)}/min (bound ${result.boundPerMin.toFixed(0)}/min); ${result.edits.ok} message edits, each display ${result.edits.perDisplayMin}–${result.edits.perDisplayMax}`,
  );
  return result;
}
