// Engagement features under load (issue 11, item 15), each against a
// reference measured in the same run:
//
// 1. Hot guild: one guild with levels (the default rule, 15–25 XP, 60 s
//    cooldown, set through /levels config) and 50 automod rules (/automod
//    add), then MESSAGE_CREATE at 2,000/s for 30 s from 500 members through
//    the simulator's gateway and the bot's one ShardActor. Every message
//    must be counted in the levels export (the sum of `messages` over
//    members, before and after); apply lag p50/p99 from the shard's
//    histogram (as bench/gateway.ts), p99 against one actor RPC with a write
//    (bench/rpc.ts, run after the stack is stopped).
// 2. FAQ match cost inside workerd (bench/worker-faq.ts): 500 entries, a few
//    hundred questions, against JSON.parse of the question's payload.
// 3. Reminder punctuality: 1,000 members going to 20 events (pressing Going
//    on the posts), reminders by DM due at the same instant; due → the
//    simulator receiving each DM, against one lone reminder measured the
//    same way; with the bound Discord's global limit puts on it.
//
// The flood is sent through POST /_sim/gateway/dispatch in paced batches:
// the simulator's own flood has one author per guild and fixed content,
// which neither levels (a 60 s cooldown per member) nor automod would see
// as chat. Authors are synthetic ids of year-old accounts, because every
// simulator user is created now and the 5 new-account rules would flag
// every message of a real simulator member.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type LocalStack, startLocalStack, waitForHttp } from '../scripts/local-stack.ts';
import { GRANTS_PER_WINDOW } from '../src/discord/global-permits.ts';
import { snowflakeAt } from '../src/discord/snowflake.ts';
import { lagBetween, lagPercentile } from '../src/gateway/lag-histogram.ts';
import type { ShardStatus } from '../src/objects/shard.ts';
import { fiftyRules } from './automod-rules.ts';
import { type CpuSeconds, cpuDelta, sampleCpu } from './cpu.ts';
import { type Admin, adminClient, phaseMax, quiet, restarted, simSeq, waitFor } from './gateway.ts';
import { memberMessage } from './message-fixture.ts';
import type { Plan } from './plan.ts';
import { type RpcResult, runRpcBench } from './rpc.ts';
import { startBenchWorker, stopChild } from './wrangler-child.ts';

export type EngagementPlan = Plan['engagement'];

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface HotGuildResult {
  members: number;
  rules: number;
  /** What the 4 rate rules allow, e.g. "40–70 messages in 5 s". */
  rateRules: string;
  levelsConfig: string;
  targetRatePerS: number;
  seconds: number;
  /** Messages sent in the measured flood, and the simulator's deliveries of them to the bot's session. */
  sent: number;
  delivered: number;
  /** Sent ÷ time from the first to the last batch handed to the simulator. */
  sentPerS: number;
  sendMs: number;
  /** The shard's appliedEvents over the flood (all MESSAGE_CREATEs of the guild, the bot's own included). */
  applied: number;
  /** The sum of `messages` in the levels export, after minus before: must equal `sent`. */
  counted: number;
  /** Members in the export after the flood. */
  exportedMembers: number;
  /** Flood start → the applied count reached the sent count; and last batch sent → that. */
  wallMs: number;
  drainMs: number;
  lagMs: { p50: number | null; p99: number | null; max: number | null };
  lagged: number;
  maxQueued: number;
  maxUnread: number;
  caughtUp: boolean;
  keptUp: boolean;
  /** Messages written to trip a rule, and the REST calls the bot made during and after the flood, by route. */
  violating: number;
  restCalls: Record<string, number>;
  cpuS: CpuSeconds;
}

export interface FaqResult {
  entries: number;
  questions: number;
  onTopic: number;
  /** Building the index of all entries (what the first question after a change pays), ms. */
  buildMs: number;
  /** The first pass over every question on a fresh index (each entry's self-match score computed once), µs per question. */
  firstPassUsPerQuestion: number;
  /** Per question: µs, from `reps` repetitions between two clock brackets, minus an empty bracket. */
  matchUs: Percentiles & { mean: number };
  parseUs: Percentiles & { mean: number };
  reps: { match: number; parse: number };
  /** Whole batches over all questions, for the mean (µs per question). */
  batchMatchUs: number;
  batchParseUs: number;
  ratioP50: number;
  ratioP99: number;
  emptyBracketMs: number;
  answered: number;
  right: number;
  wrong: number;
  quietOnTopic: number;
  answeredOffTopic: number;
  quietReasons: Record<string, number>;
}

export interface ReminderResult {
  events: number;
  offsetMin: number;
  gapS: number;
  members: number;
  /** Reminder DMs that arrived at the simulator for the 20 events, and distinct members they reached. */
  delivered: number;
  distinctMembers: number;
  /** Due → the simulator received the DM message, ms. */
  lateMs: Percentiles;
  /** From due to the first DM channel request (the reminder timer's own lateness). */
  firstCallMs: number;
  /** The lone reminder, measured the same way (same guild, 15 s earlier). */
  loneMs: number;
  /** What Discord's 50 requests/s allows for 1,000 DMs of two requests each, at best: the i-th DM no sooner than 2i/50 s. */
  boundMs: Percentiles;
  /** The same with the bot's own ceiling (GRANTS_PER_WINDOW permits per second). */
  governorBoundMs: Percentiles;
  requestsPerDm: number;
  /** Requests the simulator answered 429 during the delivery, and its invalid-request counter at the end. */
  rateLimited: number;
  invalidRequests: number;
  /** Setup: RSVPs pressed (all answered "going"), and whether the background had gone quiet before the first due time. */
  rsvps: number;
  setupMs: number;
  quietBeforeDue: boolean;
  deliveryMs: number;
}

export interface EngagementResult {
  hot: HotGuildResult;
  rpc: RpcResult;
  /** One sequential RPC with a write (1000 ÷ rpc.write.callsPerS), ms. */
  rpcWriteMs: number;
  lagP99VsRpc: number;
  faq: FaqResult;
  reminders: ReminderResult;
  durationS: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (sorted: readonly number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]! : NaN;
const percentiles = (xs: readonly number[]): Percentiles => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: pct(s, 0.5), p99: pct(s, 0.99), max: s.at(-1) ?? NaN };
};
const median = (xs: readonly number[]) =>
  pct(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

interface SimGuild {
  guildId: string;
  adminId: string;
  memberIds: string[];
  generalChannelId: string;
  supportChannelId: string;
}
interface Interacted {
  status: number;
  response: { type?: number; data?: { content?: string; custom_id?: string } } | null;
  interaction: { id: string };
}
interface LogCall {
  seq: number;
  time: number;
  method: string;
  path: string;
  route: string | null;
  status: number;
  request: unknown;
  response: unknown;
}

class Sim {
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }

  async call<T>(path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
    const r = await fetch(this.url + path, {
      method: body === undefined ? 'GET' : 'POST',
      signal: AbortSignal.timeout(timeoutMs),
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`simulator ${path}: ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** An interaction signed by the simulator and delivered to the Worker, as Discord does. */
  interact(spec: Record<string, unknown>): Promise<Interacted> {
    return this.call<Interacted>('/_sim/interactions', { ...spec, deliver: true });
  }

  /** A slash command `name sub` with options (type 3 strings, 4 integers). */
  async command(g: SimGuild, name: string, sub: string, options: Record<string, string | number>, channelId = g.generalChannelId): Promise<Interacted> {
    const leaf = Object.entries(options).map(([k, value]) => ({ name: k, type: typeof value === 'number' ? 4 : 3, value }));
    return this.interact({
      type: 2,
      guild_id: g.guildId,
      channel_id: channelId,
      user_id: g.adminId,
      data: { name, type: 1, options: [{ name: sub, type: 1, options: leaf }] },
    });
  }

  stats(): Promise<{ invalidRequests: number; calls: number; byRoute: Record<string, number> }> {
    return this.call('/_sim/stats');
  }

  async logSeq(): Promise<number> {
    return (await this.call<{ nextSeq: number }>(`/_sim/log?since=${Number.MAX_SAFE_INTEGER}`)).nextSeq;
  }

  async log(since: number): Promise<LogCall[]> {
    return (await this.call<{ calls: LogCall[] }>(`/_sim/log?since=${since}`, undefined, 60_000)).calls;
  }
}

const content = (d: Interacted) => d.response?.data?.content ?? '';

/** Waits (bounded) until the simulator has seen no REST call for `quietMs`. */
async function settle(sim: Sim, maxMs: number, quietMs = 1000): Promise<boolean> {
  const end = performance.now() + maxMs;
  let last = (await sim.stats()).calls;
  let since = performance.now();
  while (performance.now() < end) {
    await sleep(250);
    const now = (await sim.stats()).calls;
    if (now !== last) {
      last = now;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) return true;
  }
  return false;
}

/** The deferred answer of an interaction once its job has edited it (bounded). */
async function original(sim: Sim, interactionId: string, ms: number): Promise<{ content: string; attachments: { url: string }[] }> {
  const end = performance.now() + ms;
  for (;;) {
    const r = await sim.call<{ original: { content: string; attachments: { url: string }[] } | null }>(`/_sim/interactions/${interactionId}`);
    if (r.original && (r.original.content || r.original.attachments.length)) return r.original;
    if (performance.now() > end) throw new Error(`engagement bench: interaction ${interactionId} not answered within ${ms / 1000} s`);
    await sleep(100);
  }
}

/** `/levels export format:json`, read back from the file the bot attached: messages per member. */
async function levelsExport(sim: Sim, g: SimGuild): Promise<{ userId: string; messages: number }[]> {
  const d = await sim.command(g, 'levels', 'export', { format: 'json' });
  if (d.response?.type !== 5) throw new Error(`engagement bench: /levels export answered ${JSON.stringify(d.response).slice(0, 200)}`);
  const msg = await original(sim, d.interaction.id, 20_000);
  const url = msg.attachments[0]?.url;
  if (!url) throw new Error(`engagement bench: the levels export has no file ("${msg.content}")`);
  const r = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  return (await r.json()) as { userId: string; messages: number }[];
}

// ---- 1. hot guild ------------------------------------------------------------------

const CHAT = [
  'gg everyone, see you at the raid tonight',
  'anyone up for ranked? need one more for the squad',
  'the patch notes say the boss drops the mount now',
  'lol that last round was wild',
  'check the guide here https://github.com/guildkeep/wiki/blob/main/raids.md',
  'stream is live https://twitch.tv/somestreamer come hang out',
  'what build are you running on the new season? i went full crit and it feels great so far',
  'brb, dinner',
  'I think the drop rates were nerfed, I farmed for three hours and got nothing from the dungeon chest',
  'https://youtube.com/watch?v=abc123 this clip is hilarious',
  'who is healing tonight? we need two for the second wing',
  'finally got the achievement after 40 tries',
];
/** Lines that break a rule (a denied link, a blocked word, a foreign invite). */
const BAD = ['free nitro here https://free-nitro.gift/claim', 'selling account-shop boosts, dm me', 'join my server discord.gg/lootparty for giveaways'];
const TAILS = ['lol', 'tbh', 'ngl', 'gg', 'xd', 'imo', 'rn', 'btw'];

/** 50 rules: the automod bench's set, with the rate rules' thresholds above the flood's pace per member (a chat this busy is not spam). */
function hotGuildRules(perMemberPerS: number): Record<string, unknown>[] {
  return fiftyRules().rules.map((r, i) =>
    r.kind === 'rate' ? { ...r, messages: Math.min(100, Math.ceil(perMemberPerS * 5 * 2) + 10 * (i % 4)), seconds: 5 } : r,
  );
}

function author(i: number, t0: number) {
  return { id: snowflakeAt(t0 - (400 + i) * 86_400_000, i), username: `player_${i}`, discriminator: '0', global_name: `Player ${i}`, avatar: null };
}

class MessageMaker {
  private readonly authors: ReturnType<typeof author>[];
  private readonly said: number[];
  private readonly g: SimGuild;
  private n = 0;
  violating = 0;

  constructor(g: SimGuild, members: number) {
    const t0 = Date.now();
    this.g = g;
    this.authors = Array.from({ length: members }, (_, i) => author(i, t0));
    this.said = this.authors.map(() => 0);
  }

  /** The next message: a random member, a chat line made unique per member (so the duplicate rules see chat, not copies). */
  next(stamp: string, badShare: number): { guild_id: string; t: string; d: unknown } {
    const i = this.n++;
    // A multiplicative hash spreads the authors evenly and deterministically.
    const a = (Math.imul(i + 1, 2654435761) >>> 0) % this.authors.length;
    const k = ++this.said[a]!;
    const bad = (Math.imul(i + 7, 40503) >>> 0) % 10_000 < badShare * 10_000;
    if (bad) this.violating++;
    const line = bad ? BAD[i % BAD.length]! : CHAT[(i * 7 + a) % CHAT.length]!;
    const at = Date.parse(stamp);
    return {
      guild_id: this.g.guildId,
      t: 'MESSAGE_CREATE',
      d: memberMessage({
        id: snowflakeAt(at, i),
        channelId: this.g.generalChannelId,
        guildId: this.g.guildId,
        author: this.authors[a]!,
        content: `${line} ${TAILS[k % TAILS.length]}${k}`,
        timestamp: stamp,
      }),
    };
  }
}

/** Sends `total` messages at `ratePerS` in batches through /_sim/gateway/dispatch, each batch stamped as it is handed over. */
async function paced(
  sim: Sim,
  maker: MessageMaker,
  total: number,
  ratePerS: number,
  batchMs: number,
  badShare: number,
): Promise<{ sent: number; delivered: number; sendMs: number; firstAt: number; lastAt: number }> {
  const t0 = performance.now();
  let i = 0;
  let delivered = 0;
  let lastAt = t0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * ratePerS) + 1);
    if (due > i) {
      const stamp = new Date().toISOString();
      const events: unknown[] = [];
      for (; i < due; i++) events.push(maker.next(stamp, badShare));
      const r = await sim.call<{ results: { deliveries: { sent: boolean }[] }[] }>('/_sim/gateway/dispatch', { events });
      for (const x of r.results) if (x.deliveries.some((d) => d.sent)) delivered++;
      lastAt = performance.now();
    }
    if (i < total) await sleep(batchMs);
  }
  return { sent: total, delivered, sendMs: lastAt - t0, firstAt: t0, lastAt };
}

async function hotGuild(sim: Sim, admin: Admin, plan: EngagementPlan): Promise<HotGuildResult> {
  const p = plan.hot;
  const a0 = (await admin.shard()).appliedEvents;
  const g = await sim.call<SimGuild>('/_sim/guilds', { name: 'Hot guild', members: 3, staff: 0 });
  await waitFor(admin, 'the hot guild’s GUILD_CREATE applied', 30_000, 50, (s) => s.appliedEvents > a0 && quiet(s));

  const levels = await sim.command(g, 'levels', 'config', { xp_min: 15, xp_max: 25, cooldown: 60 });
  const levelsConfig = content(levels);
  if (!/15/.test(levelsConfig) || !/60/.test(levelsConfig)) throw new Error(`engagement bench: /levels config answered "${levelsConfig}"`);
  const perMember = p.ratePerS / p.members;
  const rules = hotGuildRules(perMember);
  for (const r of rules) {
    const { id, kind, ...rest } = r;
    const d = await sim.command(g, 'automod', 'add', { id: String(id), kind: String(kind), settings: JSON.stringify(rest) });
    if (!content(d).startsWith('Added')) throw new Error(`engagement bench: /automod add ${String(id)} answered "${content(d).slice(0, 300)}"`);
  }
  const list = content(await sim.command(g, 'automod', 'list', {}));
  if (!list.startsWith(`${rules.length} rules`)) throw new Error(`engagement bench: /automod list answered "${list.slice(0, 120)}"`);
  console.log(`    hot guild: levels ${levelsConfig.split('\n')[0]!.slice(0, 90)}; ${rules.length} automod rules`);

  const maker = new MessageMaker(g, p.members);
  // Warm-up, not counted: every member's levels row, cooldown and automod window exist, the invite list is loaded.
  await paced(sim, maker, p.warmup, p.warmupRatePerS, p.batchMs, 0.01);
  await waitFor(admin, 'quiet shard after the warm-up', 30_000, plan.pollMs, quiet);
  await settle(sim, 10_000);
  const before = await levelsExport(sim, g);
  const stats0 = await sim.stats();
  const s0 = await waitFor(admin, 'quiet shard before the flood', 10_000, plan.pollMs, quiet);
  maker.violating = 0;

  const total = p.ratePerS * p.seconds;
  console.log(`    flood: ${total} MESSAGE_CREATE at ${p.ratePerS}/s from ${p.members} members to one guild …`);
  const cpu0 = sampleCpu();
  const t0 = performance.now();
  let sendResult: Awaited<ReturnType<typeof paced>> | null = null;
  let sendError: unknown = null;
  const sending = paced(sim, maker, total, p.ratePerS, p.batchMs, p.badShare).then(
    (r) => {
      sendResult = r;
    },
    (e: unknown) => {
      sendError = e;
    },
  );
  let doneAt: number | null = null;
  let maxQueued = 0;
  let maxUnread = 0;
  let last = s0;
  const deadline = t0 + p.seconds * 1000 + p.drainDeadlineMs;
  while (performance.now() < deadline && sendError === null) {
    await sleep(plan.pollMs);
    const seq = await simSeq(sim.url);
    last = await admin.shard();
    restarted(s0, last, 'hot guild');
    maxQueued = Math.max(maxQueued, last.queued);
    if (seq !== null && last.seq !== null) maxUnread = Math.max(maxUnread, seq - last.seq);
    if (last.appliedEvents - s0.appliedEvents >= total) {
      doneAt = performance.now();
      break;
    }
  }
  await sending;
  if (sendError) throw sendError;
  const cpuS = cpuDelta(cpu0, sampleCpu());
  let after: ShardStatus;
  try {
    after = await waitFor(admin, 'safeSeq = seq after the flood', 5_000, plan.pollMs, quiet);
  } catch {
    after = await admin.shard();
  }
  restarted(s0, after, 'hot guild');
  const h = lagBetween(s0.applyLag, after.applyLag);
  const sent = sendResult as Awaited<ReturnType<typeof paced>> | null;
  if (!sent) throw new Error('engagement bench: the flood did not finish');
  await settle(sim, 15_000);
  const afterRows = await levelsExport(sim, g);
  const sum = (rows: { messages: number }[]) => rows.reduce((s, r) => s + r.messages, 0);
  const stats1 = await sim.stats();
  const restCalls: Record<string, number> = {};
  for (const [k, v] of Object.entries(stats1.byRoute)) {
    const d = v - (stats0.byRoute[k] ?? 0);
    if (d > 0 && !k.includes('/interactions/') && !k.includes('/webhooks/')) restCalls[k] = d;
  }
  const applied = after.appliedEvents - s0.appliedEvents;
  const counted = sum(afterRows) - sum(before);
  const lagMs = { p50: lagPercentile(h, 0.5), p99: lagPercentile(h, 0.99), max: phaseMax(s0.applyLag, after.applyLag, h) };
  const drainMs = doneAt === null ? NaN : doneAt - sent.lastAt;
  const sentPerS = sent.sent / (Math.max(1, sent.sendMs) / 1000);
  const rates = rules.filter((r) => r.kind === 'rate').map((r) => Number(r.messages));
  return {
    members: p.members,
    rules: rules.length,
    rateRules: `${Math.min(...rates)}–${Math.max(...rates)} messages in 5 s`,
    levelsConfig,
    targetRatePerS: p.ratePerS,
    seconds: p.seconds,
    sent: sent.sent,
    delivered: sent.delivered,
    sentPerS,
    sendMs: sent.sendMs,
    applied,
    counted,
    exportedMembers: afterRows.length,
    wallMs: (doneAt ?? performance.now()) - t0,
    drainMs,
    lagMs,
    lagged: h.counts.reduce((a, b) => a + b, 0),
    maxQueued,
    maxUnread,
    caughtUp: quiet(after),
    // Every message applied and counted, sent at (near) the asked rate, and no backlog left when the sending stopped.
    keptUp: counted === sent.sent && applied >= sent.sent && sentPerS >= 0.95 * p.ratePerS && Number.isFinite(drainMs) && drainMs <= 1000,
    violating: maker.violating,
    restCalls,
    cpuS,
  };
}

// ---- 3. reminders ------------------------------------------------------------------

interface Post {
  id: string;
  channelId: string;
  title: string;
  going: string;
}

async function eventPosts(sim: Sim, g: SimGuild, titles: Set<string>, ms: number): Promise<Map<string, Post>> {
  const end = performance.now() + ms;
  for (;;) {
    const snap = await sim.call<{
      messages: Record<
        string,
        { id: string; channel_id: string; embeds?: { title?: string }[]; components?: { components?: { label?: string; custom_id?: string }[] }[] }[]
      >;
    }>(`/_sim/guilds/${g.guildId}`);
    const found = new Map<string, Post>();
    for (const msgs of Object.values(snap.messages)) {
      for (const m of msgs) {
        const title = m.embeds?.[0]?.title;
        const going = m.components?.[0]?.components?.find((b) => b.label === 'Going')?.custom_id;
        if (title && titles.has(title) && going) found.set(title, { id: m.id, channelId: m.channel_id, title, going });
      }
    }
    if (found.size === titles.size) return found;
    if (performance.now() > end) throw new Error(`engagement bench: ${found.size}/${titles.size} event posts appeared within ${ms / 1000} s`);
    await sleep(500);
  }
}

async function mapLimited<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function reminders(sim: Sim, plan: EngagementPlan): Promise<ReminderResult> {
  const p = plan.reminders;
  const members = p.events * p.goingPerEvent;
  const t0 = performance.now();
  const g = await sim.call<SimGuild>('/_sim/guilds', { name: 'Events guild', members: members + 1, staff: 0 });
  const cfg = content(await sim.command(g, 'event', 'config', { reminders: `${p.offsetMin}m` }));
  if (!cfg.includes(`${p.offsetMin}m`) || !/direct message/.test(cfg)) throw new Error(`engagement bench: /event config answered "${cfg}"`);
  // Starts as Unix seconds (the form takes them): the lone reminder first, the 1,000 `gapS` later, all due at one instant.
  const loneStart = Math.ceil((Date.now() + p.setupBudgetMs + p.offsetMin * 60_000) / 1000);
  const bigStart = loneStart + p.gapS;
  const loneDue = loneStart * 1000 - p.offsetMin * 60_000;
  const bigDue = bigStart * 1000 - p.offsetMin * 60_000;
  const create = async (title: string, start: number, channelId: string) => {
    const opened = await sim.command(g, 'event', 'create', {}, channelId);
    const customId = opened.response?.data?.custom_id;
    if (!customId) throw new Error(`engagement bench: /event create answered "${content(opened)}"`);
    const row = (custom_id: string, value: string) => ({ type: 1, components: [{ type: 4, custom_id, value }] });
    const d = await sim.interact({
      type: 5,
      guild_id: g.guildId,
      channel_id: channelId,
      user_id: g.adminId,
      data: {
        custom_id: customId,
        components: [row('title', title), row('description', 'Bring potions and be on time.'), row('start', String(start)), row('duration', '1h')],
      },
    });
    if (!content(d).startsWith('Event #')) throw new Error(`engagement bench: the event form answered "${content(d)}"`);
  };
  const titles = Array.from({ length: p.events }, (_, i) => `Raid night ${i + 1}`);
  await create('Lone reminder', loneStart, g.generalChannelId);
  // Two channels, so the posts (5 per 5 s per channel) go up twice as fast.
  for (const [i, t] of titles.entries()) await create(t, bigStart, i % 2 ? g.supportChannelId : g.generalChannelId);
  const posts = await eventPosts(sim, g, new Set(['Lone reminder', ...titles]), 60_000);

  const presses: { userId: string; post: Post }[] = [{ userId: g.memberIds[members]!, post: posts.get('Lone reminder')! }];
  for (const [i, t] of titles.entries())
    for (let j = 0; j < p.goingPerEvent; j++) presses.push({ userId: g.memberIds[i * p.goingPerEvent + j]!, post: posts.get(t)! });
  let going = 0;
  const refusals: string[] = [];
  await mapLimited(presses, p.rsvpConcurrency, async ({ userId, post }) => {
    const d = await sim.interact({
      type: 3,
      guild_id: g.guildId,
      channel_id: post.channelId,
      user_id: userId,
      message_id: post.id,
      data: { custom_id: post.going, component_type: 2 },
    });
    if (content(d).startsWith('You’re going')) going++;
    else if (refusals.length < 3) refusals.push(content(d) || `HTTP ${d.status}`);
  });
  if (going !== presses.length) throw new Error(`engagement bench: ${going}/${presses.length} RSVPs answered "going" (${refusals.join('; ')})`);
  // The posts' edits (one per answer) drain before the first reminder is due.
  const quietBeforeDue = await settle(sim, Math.max(0, loneDue - Date.now() - 2000), 1500);
  const setupMs = performance.now() - t0;
  if (Date.now() > loneDue - 500)
    throw new Error(
      `engagement bench: the setup (${(setupMs / 1000).toFixed(0)} s) ran past the first due time; raise PLAN.engagement.reminders.setupBudgetMs`,
    );
  console.log(
    `    ${presses.length} RSVPs in ${(setupMs / 1000).toFixed(0)} s; lone reminder due in ${((loneDue - Date.now()) / 1000).toFixed(0)} s, the ${members} ${p.gapS} s later${quietBeforeDue ? '' : ' (background not quiet yet)'}`,
  );
  const seq0 = await sim.logSeq();
  const inv0 = (await sim.stats()).invalidRequests;
  await sleep(Math.max(0, bigDue - Date.now()));

  // Polls the cheap counter, then reads the log once.
  const dmRoute = 'POST /channels/{channel_id}/messages';
  const s0 = await sim.stats();
  const base = s0.byRoute[dmRoute] ?? 0;
  const end = Date.now() + p.deliverDeadlineMs;
  let calls: LogCall[] = [];
  const isReminder = (c: LogCall, title?: string) => {
    const text = (c.request as { content?: string } | null)?.content ?? '';
    return c.route === dmRoute && c.status < 300 && text.startsWith('⏰') && (title === undefined || text.includes(`**${title}**`));
  };
  for (;;) {
    const s = await sim.stats();
    if ((s.byRoute[dmRoute] ?? 0) - base >= members || Date.now() > end) {
      calls = await sim.log(seq0);
      const got = calls.filter((c) => isReminder(c) && !isReminder(c, 'Lone reminder')).length;
      if (got >= members || Date.now() > end) break;
    }
    await sleep(1000);
  }
  const lone = calls.find((c) => isReminder(c, 'Lone reminder'));
  const big = calls.filter((c) => isReminder(c) && !isReminder(c, 'Lone reminder'));
  const late = big.map((c) => c.time - bigDue);
  const channels = new Set(big.map((c) => c.path.split('/')[2]));
  const firstDm = calls.filter((c) => c.route === 'POST /users/@me/channels' && c.time >= bigDue).map((c) => c.time);
  const rateLimited = calls.filter((c) => c.status === 429 && c.time >= bigDue).length;
  const bound = (perS: number): Percentiles => {
    const xs = Array.from({ length: members }, (_, i) => ((2 * (i + 1)) / perS) * 1000);
    return percentiles(xs);
  };
  return {
    events: p.events,
    offsetMin: p.offsetMin,
    gapS: p.gapS,
    members,
    delivered: big.length,
    distinctMembers: channels.size,
    lateMs: percentiles(late),
    firstCallMs: firstDm.length ? Math.min(...firstDm) - bigDue : NaN,
    loneMs: lone ? lone.time - loneDue : NaN,
    boundMs: bound(50),
    governorBoundMs: bound(GRANTS_PER_WINDOW),
    requestsPerDm: 2,
    rateLimited,
    invalidRequests: (await sim.stats()).invalidRequests - inv0,
    rsvps: presses.length,
    setupMs,
    quietBeforeDue,
    deliveryMs: late.length ? Math.max(...late) : NaN,
  };
}

// ---- 2. FAQ ------------------------------------------------------------------------

const faqConfig = fileURLToPath(new URL('./wrangler.faq.jsonc', import.meta.url));

export async function runFaqBench(port: number, plan: EngagementPlan): Promise<FaqResult> {
  const p = plan.faq;
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-faq-'));
  const child = startBenchWorker(faqConfig, port, persistTo);
  const base = `http://127.0.0.1:${port}`;
  const get = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const r = await fetch(base + path, { ...init, signal: AbortSignal.timeout(120_000) });
    const j = (await r.json()) as T & { error?: string };
    if (!r.ok) throw new Error(`faq worker ${path}: ${j.error}`);
    return j;
  };
  try {
    await waitForHttp(`${base}/`, 60_000);
    const setup = await get<
      Omit<
        FaqResult,
        'matchUs' | 'parseUs' | 'reps' | 'batchMatchUs' | 'batchParseUs' | 'ratioP50' | 'ratioP99' | 'emptyBracketMs' | 'firstPassUsPerQuestion'
      > & { firstPassMs: number }
    >('/setup', { method: 'POST', body: JSON.stringify({ entries: p.entries, questions: p.questions, builds: p.builds }) });
    if (setup.entries !== p.entries) throw new Error(`faq worker indexed ${setup.entries} entries, ${p.entries} asked`);
    const perQ = (impl: string, reps: number) => get<{ ms: number[] }>(`/per-question?impl=${impl}&reps=${reps}`).then((r) => r.ms);
    const batch = (impl: string, n: number) => get<{ innerMs: number }>(`/batch?impl=${impl}&n=${n}`).then((r) => r.innerMs);
    // Warm-up, not counted.
    await perQ('match', 5);
    await perQ('parse', 50);
    await batch('match', p.questions);
    const empty: number[] = [];
    const match: number[][] = [];
    const parse: number[][] = [];
    const bm: number[] = [];
    const bp: number[] = [];
    const be: number[] = [];
    // Interleaved passes, so drift hits both alike.
    for (let r = 0; r < p.passes; r++) {
      empty.push(...(await perQ('none', 1)));
      match.push(await perQ('match', p.matchReps));
      parse.push(await perQ('parse', p.parseReps));
      be.push(await batch('none', 0));
      bm.push(await batch('match', p.batchN));
      bp.push(await batch('parse', p.batchN * 20));
    }
    const emptyMs = median(empty);
    // Per question: the median over the passes of its bracket, minus the empty bracket, per repetition.
    const us = (runs: number[][], reps: number) => runs[0]!.map((_, q) => Math.max(0, ((median(runs.map((x) => x[q]!)) - emptyMs) * 1000) / reps));
    const m = us(match, p.matchReps);
    const j = us(parse, p.parseReps);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const matchUs = { ...percentiles(m), mean: mean(m) };
    const parseUs = { ...percentiles(j), mean: mean(j) };
    const emptyBatch = median(be);
    const { firstPassMs, ...rest } = setup;
    return {
      ...rest,
      firstPassUsPerQuestion: (firstPassMs * 1000) / setup.questions,
      matchUs,
      parseUs,
      reps: { match: p.matchReps, parse: p.parseReps },
      batchMatchUs: ((median(bm) - emptyBatch) * 1000) / p.batchN,
      batchParseUs: ((median(bp) - emptyBatch) * 1000) / (p.batchN * 20),
      ratioP50: matchUs.p50 / parseUs.p50,
      ratioP99: matchUs.p99 / parseUs.p99,
      emptyBracketMs: emptyMs,
    };
  } finally {
    await stopChild(child);
    rmSync(persistTo, { recursive: true, force: true });
  }
}

// ---- the part ----------------------------------------------------------------------

export async function runEngagementBench(opts: {
  workerPort: number;
  simPort: number;
  rpcPort: number;
  faqPort: number;
  plan: EngagementPlan;
}): Promise<EngagementResult> {
  const plan = opts.plan;
  const started = performance.now();
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-engagement-'));
  const adminToken = randomBytes(16).toString('hex');
  let stack: LocalStack | null = null;
  let hot: HotGuildResult;
  let rem: ReminderResult;
  try {
    stack = await startLocalStack({ workerPort: opts.workerPort, simPort: opts.simPort, persistTo, quiet: true, vars: { ADMIN_TOKEN: adminToken } });
    const sim = new Sim(stack.sim.url);
    const admin = adminClient(stack.workerUrl, adminToken);
    await admin.start();
    const ready = await waitFor(admin, 'shard ready', 30_000, 100, (s) => s.phase === 'ready' && s.guilds > 0);
    await waitFor(admin, 'every GUILD_CREATE applied', 60_000, 100, (s) => s.appliedEvents >= ready.guilds && quiet(s));

    console.log('  hot guild: levels and 50 automod rules, 2,000 messages/s for 30 s through one ShardActor …');
    hot = await hotGuild(sim, admin, plan);
    console.log(
      `    ${hot.counted}/${hot.sent} counted in levels (${hot.applied} applied by the shard), sent at ${hot.sentPerS.toFixed(0)}/s, lag p50 ${hot.lagMs.p50} p99 ${hot.lagMs.p99} max ${hot.lagMs.max?.toFixed(0)} ms, drained ${hot.drainMs.toFixed(0)} ms after the last send: ${hot.keptUp ? 'kept up' : 'DID NOT KEEP UP'}`,
    );
    await settle(sim, 20_000);

    console.log(`  reminders: ${plan.reminders.events} events × ${plan.reminders.goingPerEvent} going, DMs due at one instant …`);
    rem = await reminders(sim, plan);
    console.log(
      `    ${rem.delivered}/${rem.members} delivered to ${rem.distinctMembers} members; due → sent p50 ${(rem.lateMs.p50 / 1000).toFixed(1)} s, p99 ${(rem.lateMs.p99 / 1000).toFixed(1)} s, max ${(rem.lateMs.max / 1000).toFixed(1)} s; lone reminder ${rem.loneMs.toFixed(0)} ms; Discord's 50/s allows at best p50 ${(rem.boundMs.p50 / 1000).toFixed(1)} s, max ${(rem.boundMs.max / 1000).toFixed(1)} s`,
    );
  } finally {
    await stack?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }

  console.log('  reference: one actor RPC with a write (bench/rpc.ts, no other Worker running) …');
  const rpc = await runRpcBench({ port: opts.rpcPort, ...plan.rpc, fanout: { targets: [], calls: 0, batches: 0 } });
  const rpcWriteMs = 1000 / rpc.write.callsPerS;

  console.log(`  FAQ match inside workerd: ${plan.faq.entries} entries, ${plan.faq.questions} questions …`);
  const faq = await runFaqBench(opts.faqPort, plan);
  console.log(
    `    ${faq.matchUs.p50.toFixed(0)} µs p50, ${faq.matchUs.p99.toFixed(0)} µs p99 per question (JSON.parse ${faq.parseUs.p50.toFixed(1)} / ${faq.parseUs.p99.toFixed(1)} µs); index of ${faq.entries} built in ${faq.buildMs.toFixed(1)} ms`,
  );
  return {
    hot,
    rpc,
    rpcWriteMs,
    lagP99VsRpc: (hot.lagMs.p99 ?? NaN) / rpcWriteMs,
    faq,
    reminders: rem,
    durationS: (performance.now() - started) / 1000,
  };
}
