// Ticket SLA timers under a full guild (issue 12, item 12), against
// references measured in the same run:
//
// 1. Background: one guild with `background` open low-severity tickets
//    (default targets: nothing comes due during the run), opened as signed
//    `/ticket open` interactions in batches over `originChannels` text
//    channels. Discord keeps at most 1,000 active threads per guild, so each
//    ticket thread is archived once the bot has posted its control message,
//    with the bot's token through Discord's ordinary PATCH /channels/{id}
//    {archived:true}: what Discord's auto-archive does to an idle thread (its
//    ticket stays open). Our archive requests share Discord's 50/s global
//    limit with the bot's, so they are paced.
// 2. Round trip: c=1 interleaved blocks of PING and `/ticket open` (a fresh
//    member each, so the one-per-type limit never refuses), with the
//    background present and quiet, before any critical ticket is opened.
//    The opens come from two support channels, as in the empty guild they
//    are compared with. After those rounds, a diagnostic opens from all 40,
//    where no channel's thread limit spaces out the provisioning that runs
//    beside the next open in the same guild actor (after, because that
//    provisioning outlasts the wait before the next block).
// 3. Punctuality: `/tickets sla set severity:critical first_response:<n>m`,
//    one lone critical ticket, then `critical` critical tickets opened at
//    c=50 so their first-response due times fall within one minute. Nobody
//    answers them: at 80 % each posts a warning, at 100 % a breach message
//    mentioning the escalation role, and the ticket is escalated (status,
//    audit entry). Due times are the tickets' own firstDueAt (staff inbox
//    API). Measured: (a) due → the ticket actor took the step (the inbox
//    row's updatedAt of the escalation), (b) due → the breach message reached
//    the simulator (its REST log), with the bound the bot's 35/s governor and
//    Discord's 50/s put on (b).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type LocalStack, startLocalStack } from '../scripts/local-stack.ts';
import { GRANTS_PER_WINDOW } from '../src/discord/global-permits.ts';
import { signStaffToken } from '../src/features/inbox/token.ts';
import { type CpuSeconds, cpuDelta, sampleCpu } from './cpu.ts';
import { SimClient, signPings } from './interactions.ts';
import { type Check, combine, type PhaseResult, type PreparedRequest, runClosedLoop } from './load.ts';
import type { Plan } from './plan.ts';

export type TicketsPlan = Plan['tickets'];

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface OpenPhase {
  tickets: number;
  ok: number;
  failed: number;
  failures: string[];
  /** Wall time of the interactions (answers), and from the first open to the last control message posted. */
  answerWallMs: number;
  provisionedMs: number;
  latencyMs: PhaseResult['latencyMs'];
}

export interface TicketsResult {
  plan: TicketsPlan;
  guildMembers: number;
  originChannels: number;
  /** Simulator REST calls the bot made per background ticket, by route (what one open costs). */
  callsPerOpen: Record<string, number>;
  background: OpenPhase & {
    archived: number;
    archiveFailures: string[];
    /** Wall time of the whole background phase (opens, provisioning, archiving). */
    phaseMs: number;
  };
  /** Active threads in the guild before the critical tickets (must leave room for them). */
  activeThreadsBefore: number;
  rt: {
    ping: PhaseResult;
    open: PhaseResult;
    ratio: number;
    target: number;
    pass: boolean;
    /** The same opens in a second guild with no tickets (same run, interleaved): what the full guild changes. */
    empty: PhaseResult;
    emptyRatio: number;
    /**
     * Diagnostic: the full guild's opens spread over all its origin channels, so no channel's thread limit
     * (10 per 10 s) holds their provisioning back and it all runs beside the next open, in the same guild actor.
     * Measured after the interleaved rounds (against their PING).
     */
    spread: PhaseResult;
    spreadRatio: number;
    /** Diagnostic: one at a time, `gapMs` after each (no overlap with an open's provisioning). */
    paced: { ping: PhaseResult; open: PhaseResult; ratio: number; gapMs: number };
    settles: { before: string; waitedMs: number; quiet: boolean }[];
  };
  critical: OpenPhase & {
    targetMin: number;
    /** Spread of the critical tickets' due times (last − first), ms. */
    dueSpreadMs: number;
    /** Provisioning (threads, members, control messages) finished before the first 80 % warning was due, and before the lone ticket's breach. */
    provisionedBeforeWarn: boolean;
    provisionedBeforeLone: boolean;
    /** Tickets the inbox showed escalated, breach and warning messages the simulator received, breach messages mentioning the escalation role. */
    escalated: number;
    breachMessages: number;
    warnMessages: number;
    mentioningRole: number;
    /** (a) due → the ticket actor escalated the ticket (inbox row updatedAt), ms. */
    stepMs: Percentiles;
    /** (b) due → the breach message reached the simulator, ms. */
    messageMs: Percentiles;
    /** Due → the first breach message of the batch reached the simulator. */
    firstMessageMs: number;
    /** What (b) could be at best: breach posts alone at 35/s (the governor) and 50/s (Discord) from their due times; and FIFO with the warnings and control-message edits the bot also sends (35/s). */
    boundMs: { governor: Percentiles; discord: Percentiles; governorFifo: Percentiles };
    /** REST calls the simulator answered from the first warning due to the end, by route, and 429s among them. */
    windowCalls: Record<string, number>;
    rateLimited: number;
    rateLimitedBy: Record<string, number>;
    invalidRequests: number;
  };
  lone: { stepMs: number; messageMs: number; warnMessageMs: number };
  cpuS: CpuSeconds;
  durationS: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (sorted: readonly number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]! : NaN;
const percentiles = (xs: readonly number[]): Percentiles => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: pct(s, 0.5), p99: pct(s, 0.99), max: s.at(-1) ?? NaN };
};

const ISSUE_TYPES = ['login', 'crash', 'billing', 'bug', 'other'] as const;
/** Ticket-open answers that are real opens (a refusal is an answer, not a ticket). */
const parse = (body: string): { type?: number; data?: { content?: string } } | null => {
  try {
    return JSON.parse(body) as { type?: number; data?: { content?: string } };
  } catch {
    return null;
  }
};
const describe = (status: number, body: string) => `HTTP ${status}: ${(parse(body)?.data?.content ?? body).slice(0, 70)}`;
const OPEN_CHECK: Check = (status, body) => (status === 200 && parse(body)?.data?.content?.startsWith('🎫 Ticket #') ? null : describe(status, body));
const PING_CHECK: Check = (status, body) => (status === 200 && parse(body)?.type === 1 ? null : describe(status, body));

export interface SimGuild {
  guildId: string;
  adminId: string;
  staffId: string;
  memberIds: string[];
  generalChannelId: string;
  supportChannelId: string;
  staffRoleId: string;
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
interface InboxRow {
  id: string;
  number: number;
  status: string;
  severity: string;
  channelId: string | null;
  createdAt: number;
  updatedAt: number;
  escalations: number;
  firstDueAt: number | null;
}

type RtKind = 'ping' | 'open' | 'empty' | 'spread';
const MESSAGE_ROUTE = 'POST /channels/{channel_id}/messages';
const THREAD_ROUTE = 'POST /channels/{channel_id}/threads';

export class Sim extends SimClient {
  async get<T>(path: string, timeoutMs = 60_000): Promise<T> {
    const r = await fetch(this.url + path, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await r.text();
    if (!r.ok) throw new Error(`simulator ${path}: ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
  async log(since: number): Promise<{ calls: LogCall[]; nextSeq: number }> {
    return this.get(`/_sim/log?since=${since}`);
  }
  async logSeq(): Promise<number> {
    return (await this.get<{ nextSeq: number }>(`/_sim/log?since=${Number.MAX_SAFE_INTEGER}`)).nextSeq;
  }
  /** An interaction signed by the simulator and delivered to the Worker (setup commands). */
  async command(g: SimGuild, name: string, path: string[], options: { name: string; type: number; value: string }[]): Promise<string> {
    let opts: unknown[] = options;
    // The leaf is a subcommand (1), anything above it a subcommand group (2).
    for (const [i, sub] of [...path].reverse().entries()) opts = [{ name: sub, type: i === 0 ? 1 : 2, options: opts }];
    const d = await this.call<{ response: { data?: { content?: string } } | null }>('/_sim/interactions', {
      type: 2,
      guild_id: g.guildId,
      channel_id: g.generalChannelId,
      user_id: g.adminId,
      data: { name, type: 1, options: opts },
      deliver: true,
    });
    return d.response?.data?.content ?? '';
  }
}

export async function mapLimited<T, R>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/** One signed `/ticket open` with a subject (the bot opens at once, no form). */
export async function signOpen(
  sim: Sim,
  g: SimGuild,
  channelId: string,
  userId: string,
  issueType: string,
  severity: string,
  tag: string,
): Promise<PreparedRequest> {
  const s = await sim.call<{ interaction: { id: string }; body: string; headers: Record<string, string> }>('/_sim/interactions', {
    type: 2,
    guild_id: g.guildId,
    channel_id: channelId,
    user_id: userId,
    data: {
      name: 'ticket',
      type: 1,
      options: [
        {
          name: 'open',
          type: 1,
          options: [
            { name: 'issue_type', type: 3, value: issueType },
            { name: 'severity', type: 3, value: severity },
            { name: 'subject', type: 3, value: `Cannot join the match after the patch (${tag})` },
          ],
        },
      ],
    },
  });
  return { id: s.interaction.id, body: s.body, headers: s.headers };
}

/**
 * Watches the simulator's log for ticket threads and their control messages,
 * and archives each thread (when not held) once its control message is in,
 * paced at `perS` requests per second with the bot's token.
 */
class Archiver {
  private readonly sim: Sim;
  private readonly apiBase: string;
  private readonly token: string;
  readonly threads = new Map<string, { control: boolean; archived: boolean; hold: boolean; phase: string }>();
  private pending: string[] = [];
  private seq: number;
  holdNew = false;
  /** No log reads or archives (while the round trip is measured: the simulator shares the machine). */
  paused = false;
  phase = 'background';
  perS: number;
  archived = 0;
  failures = new Map<string, number>();
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(sim: Sim, apiBase: string, token: string, seq: number, perS: number) {
    this.sim = sim;
    this.apiBase = apiBase;
    this.token = token;
    this.seq = seq;
    this.perS = perS;
  }

  count(phase: string, what: 'created' | 'control' | 'archived'): number {
    let n = 0;
    for (const t of this.threads.values()) if (t.phase === phase && (what === 'created' || t[what])) n++;
    return n;
  }

  active(): number {
    let n = 0;
    for (const t of this.threads.values()) if (!t.archived) n++;
    return n;
  }

  async poll(): Promise<void> {
    const { calls, nextSeq } = await this.sim.log(this.seq);
    this.seq = nextSeq;
    for (const c of calls) {
      if (c.route === THREAD_ROUTE && c.status < 300) {
        const id = (c.response as { id?: string } | null)?.id;
        if (id && !this.threads.has(id)) this.threads.set(id, { control: false, archived: false, hold: this.holdNew, phase: this.phase });
      } else if (c.route === MESSAGE_ROUTE && c.status < 300) {
        const t = this.threads.get(c.path.split('/')[2]!);
        if (t && !t.control) {
          t.control = true;
          if (!t.hold) this.pending.push(c.path.split('/')[2]!);
        }
      }
    }
  }

  /** Threads held so far may be archived now (once their control message is in). */
  release(): void {
    for (const [id, t] of this.threads) {
      if (!t.hold) continue;
      t.hold = false;
      if (t.control && !t.archived) this.pending.push(id);
    }
  }

  start(): void {
    this.loop = (async () => {
      let lastPoll = 0;
      // Archives are paced by elapsed time (credit per ms, at most one second's worth saved), so log reads and slow answers do not lower the rate.
      let credit = 0;
      let last = performance.now();
      while (!this.stopped) {
        if (this.paused) {
          await sleep(100);
          last = performance.now();
          continue;
        }
        if (performance.now() - lastPoll > 500) {
          await this.poll().catch((e: unknown) => this.fail(`log: ${String(e)}`));
          lastPoll = performance.now();
        }
        const t0 = performance.now();
        credit = Math.min(this.perS, credit + ((t0 - last) / 1000) * this.perS);
        last = t0;
        const n = Math.min(this.pending.length, Math.floor(credit));
        credit -= n;
        const batch = this.pending.splice(0, n);
        await Promise.all(batch.map((id) => this.archive(id)));
        await sleep(Math.max(5, 100 - (performance.now() - t0)));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private fail(reason: string): void {
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
  }

  private async archive(id: string): Promise<void> {
    try {
      const r = await fetch(`${this.apiBase}/channels/${id}`, {
        method: 'PATCH',
        headers: { Authorization: `Bot ${this.token}`, 'content-type': 'application/json', 'X-Audit-Log-Reason': 'auto-archive (bench)' },
        body: JSON.stringify({ archived: true }),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await r.text();
      if (r.ok) {
        this.threads.get(id)!.archived = true;
        this.archived++;
      } else if (r.status === 429) {
        // Discord's global limit, shared with the bot: try again later.
        this.pending.push(id);
        this.fail('429 (retried)');
      } else this.fail(`${r.status} ${text.slice(0, 80)}`);
    } catch (e) {
      this.pending.push(id);
      this.fail(`fetch: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  idle(): boolean {
    return this.pending.length === 0;
  }
}

/** Waits (bounded) for `done`, polling every `ms`. */
async function until(what: string, deadlineMs: number, ms: number, done: () => boolean | Promise<boolean>): Promise<boolean> {
  const end = performance.now() + deadlineMs;
  while (performance.now() < end) {
    if (await done()) return true;
    await sleep(ms);
  }
  console.log(`    (gave up waiting for ${what} after ${(deadlineMs / 1000).toFixed(0)} s)`);
  return false;
}

/** Waits (bounded) until the simulator's REST call count stops moving. */
export async function settle(sim: Sim, maxMs: number, quietMs = 750): Promise<{ waitedMs: number; quiet: boolean }> {
  const t0 = performance.now();
  let last = (await sim.stats()).calls;
  let since = performance.now();
  while (performance.now() - t0 < maxMs) {
    await sleep(250);
    const now = (await sim.stats()).calls;
    if (now !== last) {
      last = now;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) return { waitedMs: performance.now() - t0, quiet: true };
  }
  return { waitedMs: performance.now() - t0, quiet: false };
}

/** Single server at `perS` requests per second taking requests in release order: when each `mark`ed request is sent, minus its `due`. */
function fifoBound(requests: { at: number; due: number; mark: boolean }[], perS: number): Percentiles {
  const sorted = [...requests].sort((a, b) => a.at - b.at);
  const gap = 1000 / perS;
  let free = Number.NEGATIVE_INFINITY;
  const late: number[] = [];
  for (const r of sorted) {
    const sent = Math.max(r.at, free);
    free = sent + gap;
    if (r.mark) late.push(sent - r.due);
  }
  return percentiles(late);
}

export async function runTicketsBench(opts: { workerPort: number; simPort: number; plan: TicketsPlan }): Promise<TicketsResult> {
  const p = opts.plan;
  const started = performance.now();
  const overBudget = () => performance.now() - started > p.budgetMs;
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-tickets-'));
  const secret = randomBytes(32).toString('hex');
  let stack: LocalStack | null = null;
  let archiver: Archiver | null = null;
  const cpu0 = sampleCpu();
  try {
    stack = await startLocalStack({ workerPort: opts.workerPort, simPort: opts.simPort, persistTo, quiet: true, vars: { STAFF_LINK_SECRET: secret } });
    const sim = new Sim(stack.sim.url);
    const url = `${stack.workerUrl}/interactions`;
    // Opens from the two support channels, the same from all 40 (the diagnostic), and the paced ones.
    const rtOpens = 2 * (p.rt.warmup + p.rt.rounds * p.rt.perBlock) + p.rt.paced.perBlock;
    const slotMembers = Math.ceil((p.background + p.critical + 1) / ISSUE_TYPES.length);
    const g = await sim.call<SimGuild>('/_sim/guilds', { name: 'Support guild', members: slotMembers + rtOpens, staff: 1 });
    // The round trip's comparison: the same opens in a guild without tickets.
    const empty = await sim.call<SimGuild>('/_sim/guilds', { name: 'Empty guild', members: p.rt.warmup + p.rt.rounds * p.rt.perBlock, staff: 1 });
    const slotIds = g.memberIds.slice(0, slotMembers);
    const freshIds = g.memberIds.slice(slotMembers);
    let slot = 0;
    const takeSlot = () => {
      const k = slot++;
      const userId = slotIds[k % slotMembers];
      const type = ISSUE_TYPES[Math.floor(k / slotMembers)];
      if (!userId || !type) throw new Error(`tickets bench: out of member slots after ${k}`);
      return { userId, type };
    };

    // Setup: the staff role (mentioned on escalation), the critical target, and the channels tickets are opened from.
    const setup = await sim.command(g, 'setup', ['tickets'], [{ name: 'staff_role', type: 8, value: g.staffRoleId }]);
    if (!setup.includes(g.staffRoleId)) throw new Error(`tickets bench: /setup tickets answered "${setup.slice(0, 200)}"`);
    const sla = await sim.command(
      g,
      'tickets',
      ['sla', 'set'],
      [
        { name: 'severity', type: 3, value: 'critical' },
        { name: 'first_response', type: 3, value: `${p.criticalTargetMin}m` },
      ],
    );
    if (!sla.includes(`${p.criticalTargetMin}m`)) throw new Error(`tickets bench: /tickets sla set answered "${sla.slice(0, 200)}"`);
    const apiBase = stack.sim.apiBase;
    const botToken = stack.sim.botToken;
    const channels = await mapLimited(
      Array.from({ length: p.originChannels }, (_, i) => i),
      4,
      async (i) => {
        const r = await fetch(`${apiBase}/guilds/${g.guildId}/channels`, {
          method: 'POST',
          headers: { Authorization: `Bot ${botToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `help-${i + 1}`, type: 0 }),
          signal: AbortSignal.timeout(15_000),
        });
        const j = (await r.json()) as { id?: string };
        if (!r.ok || !j.id) throw new Error(`tickets bench: creating channel help-${i + 1}: ${r.status} ${JSON.stringify(j).slice(0, 200)}`);
        return j.id;
      },
    );
    console.log(`  guild with ${g.memberIds.length} members, ${channels.length} help channels; critical first-response target ${p.criticalTargetMin}m`);
    const token = await signStaffToken(secret, { guildId: g.guildId, userId: g.staffId, exp: Math.floor(Date.now() / 1000) + 3600 });
    const inbox = async (): Promise<InboxRow[]> => {
      const r = await fetch(`${stack!.workerUrl}/api/guilds/${g.guildId}/inbox`, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(60_000),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`tickets bench: inbox ${r.status} ${text.slice(0, 200)}`);
      return (JSON.parse(text) as { tickets: InboxRow[] }).tickets;
    };

    archiver = new Archiver(sim, apiBase, botToken, await sim.logSeq(), p.archivePerSBusy);
    archiver.start();
    const arch = archiver;

    // ---- 1. background ---------------------------------------------------------
    console.log(`  background: ${p.background} low-severity tickets in batches of ${p.batch}, threads archived as Discord's auto-archive would …`);
    const bgT0 = performance.now();
    const bgStats0 = (await sim.stats()).byRoute;
    const bgBlocks: (PhaseResult & { samples: number[] })[] = [];
    let opened = 0;
    let bgAnswerMs = 0;
    while (opened < p.background) {
      if (overBudget()) throw new Error('tickets bench: time budget exceeded in the background phase');
      const n = Math.min(p.batch, p.background - opened);
      const reqs = await mapLimited(
        Array.from({ length: n }, (_, i) => opened + i),
        16,
        (k) => {
          const s = takeSlot();
          return signOpen(sim, g, channels[k % channels.length]!, s.userId, s.type, 'low', `bg ${k}`);
        },
      );
      const r = await runClosedLoop({ label: 'open', url, requests: reqs, concurrency: p.openConcurrency, check: OPEN_CHECK, deadlineMs: p.blockDeadlineMs });
      bgBlocks.push(r);
      bgAnswerMs += r.wallMs;
      opened += n;
      // Provisioning keeps up within `lookahead` tickets, and archiving within `maxActive` threads, before the next batch (bounded).
      await until(
        'background provisioning',
        p.provisionDeadlineMs,
        500,
        () => arch.count('background', 'control') >= opened - p.lookahead && arch.active() <= p.maxActive,
      );
      console.log(
        `    ${opened}/${p.background} opened (${r.ok} ok, p50 ${r.latencyMs.p50.toFixed(0)} ms); ${arch.count('background', 'created')} threads, ${arch.count('background', 'control')} provisioned, ${arch.archived} archived (${arch.active()} active), ${((performance.now() - bgT0) / 1000).toFixed(0)} s`,
      );
    }
    await until('the last background provisioning', p.provisionDeadlineMs, 500, () => arch.count('background', 'control') >= opened);
    const bgProvisionedMs = performance.now() - bgT0;
    arch.perS = p.archivePerSIdle;
    await until(
      'the last archives',
      p.provisionDeadlineMs,
      250,
      () => arch.idle() && arch.count('background', 'archived') >= arch.count('background', 'control'),
    );
    const bgPhaseMs = performance.now() - bgT0;
    // The bot's calls per open (the archives, PATCH /channels/{id}, are ours; the bot patches a thread only when a ticket closes).
    const bgStats1 = (await sim.stats()).byRoute;
    const callsPerOpen: Record<string, number> = {};
    for (const [k, v] of Object.entries(bgStats1)) {
      const n = v - (bgStats0[k] ?? 0);
      if (n > 0 && k !== 'PATCH /channels/{channel_id}') callsPerOpen[k] = Number((n / p.background).toFixed(3));
    }
    const bg = combine('open', bgBlocks);
    console.log(
      `    background done in ${(bgPhaseMs / 1000).toFixed(0)} s: ${bg.ok}/${p.background} opened, ${arch.count('background', 'control')} provisioned, ${arch.count('background', 'archived')} archived; calls per open ${JSON.stringify(callsPerOpen)}`,
    );

    // ---- 2. round trip -----------------------------------------------------------
    console.log(`  round trip with ${bg.ok} tickets present: c=1, ${p.rt.rounds} rounds of PING and /ticket open …`);
    arch.holdNew = true;
    arch.phase = 'rt';
    let fresh = 0;
    // Members open tickets from the guild's support channels: two, like the empty guild's (`spread`: from all 40).
    const signFresh = (n: number, from: readonly string[]) =>
      mapLimited(
        Array.from({ length: n }, () => freshIds[fresh++]!),
        8,
        (userId, i) => signOpen(sim, g, from[i % from.length]!, userId, 'other', 'low', `rt ${fresh}`),
      );
    // The last two: the lone critical ticket opens in the first, which must not queue behind these threads.
    const supportChannels = channels.slice(-2);
    let emptyNext = 0;
    const signEmpty = (n: number) =>
      mapLimited(
        Array.from({ length: n }, () => empty.memberIds[emptyNext++]!),
        8,
        (userId, i) => signOpen(sim, empty, i % 2 ? empty.supportChannelId : empty.generalChannelId, userId, 'other', 'low', `empty ${emptyNext}`),
      );
    const settles: { before: string; waitedMs: number; quiet: boolean }[] = [];
    const block = async (kind: RtKind, n: number, gapMs = 0) => {
      const requests =
        kind === 'ping'
          ? await signPings(sim, n)
          : kind === 'open'
            ? await signFresh(n, supportChannels)
            : kind === 'spread'
              ? await signFresh(n, channels)
              : await signEmpty(n);
      settles.push({ before: kind, ...(await settle(sim, p.rt.settleMaxMs)) });
      return runClosedLoop({
        label: kind,
        url,
        requests,
        concurrency: 1,
        check: kind === 'ping' ? PING_CHECK : OPEN_CHECK,
        deadlineMs: p.blockDeadlineMs,
        gapMs,
      });
    };
    arch.paused = true;
    await block('ping', p.rt.warmup);
    // The warm-up's tickets are provisioned like the rest: counted below, so the round trip's threads are all in before the lone ticket's phase.
    let warmOpened = 0;
    for (const kind of ['open', 'empty'] as const) warmOpened += (await block(kind, p.rt.warmup)).ok;
    const rtBlocks: Record<RtKind, (PhaseResult & { samples: number[] })[]> = { ping: [], open: [], empty: [], spread: [] };
    for (let r = 0; r < p.rt.rounds; r++) {
      const order: RtKind[] = r % 2 === 0 ? ['ping', 'open', 'empty'] : ['empty', 'open', 'ping'];
      for (const kind of order) rtBlocks[kind].push(await block(kind, p.rt.perBlock));
    }
    // The diagnostic after the measured rounds, not among them: its opens' provisioning (no channel's thread limit spacing it
    // out) outlasts the wait before the next block, and ran into the blocks after it (the empty guild's and the full guild's).
    warmOpened += (await block('spread', p.rt.warmup)).ok;
    for (let r = 0; r < p.rt.rounds; r++) rtBlocks.spread.push(await block('spread', p.rt.perBlock));
    // Diagnostic: one at a time with a pause after each, so no open overlaps the previous one's provisioning.
    const pacedPing = await block('ping', p.rt.paced.perBlock, p.rt.paced.gapMs);
    const pacedOpen = await block('open', p.rt.paced.perBlock, p.rt.paced.gapMs);
    arch.paused = false;
    const ping = combine('ping', rtBlocks.ping);
    const open = combine('open', rtBlocks.open);
    const emptyOpen = combine('open in an empty guild', rtBlocks.empty);
    const spread = combine('open from all origin channels', rtBlocks.spread);
    const ratio = open.latencyMs.p50 / ping.latencyMs.p50;
    console.log(
      `    PING p50 ${ping.latencyMs.p50.toFixed(1)} ms, /ticket open p50 ${open.latencyMs.p50.toFixed(1)} ms (${open.ok} real opens${open.failed ? `, ${open.failed} failed: ${open.failures.join('; ')}` : ''}): ${ratio.toFixed(2)}× (target ≤ 1.63×); in an empty guild ${emptyOpen.latencyMs.p50.toFixed(1)} ms = ${(emptyOpen.latencyMs.p50 / ping.latencyMs.p50).toFixed(2)}×; from all ${channels.length} channels ${spread.latencyMs.p50.toFixed(1)} ms = ${(spread.latencyMs.p50 / ping.latencyMs.p50).toFixed(2)}×`,
    );
    // The round trip's tickets are archived too, once provisioned.
    await until(
      'round-trip provisioning',
      p.provisionDeadlineMs,
      500,
      () =>
        arch.count('rt', 'control') >= arch.count('rt', 'created') &&
        arch.count('rt', 'created') >= warmOpened + open.ok + pacedOpen.ok + emptyOpen.ok + spread.ok,
    );
    arch.holdNew = false;
    arch.phase = 'lone';
    arch.release();

    // ---- 3. punctuality ----------------------------------------------------------
    const loneSeq = await sim.logSeq();
    const loneSlot = takeSlot();
    const loneReq = await signOpen(sim, g, channels[0]!, loneSlot.userId, loneSlot.type, 'critical', 'lone');
    const loneAt = performance.now();
    const lone = await runClosedLoop({ label: 'open', url, requests: [loneReq], concurrency: 1, check: OPEN_CHECK, deadlineMs: 15_000 });
    if (lone.ok !== 1) throw new Error(`tickets bench: the lone critical ticket was not opened (${lone.failures.join('; ')})`);
    // The round trip's threads (two channels' worth, queued behind Discord's thread limit) may still be archiving: wait as long as provisioning may take.
    await until('the lone ticket provisioned and archived', p.provisionDeadlineMs, 250, () => arch.count('lone', 'archived') === 1 && arch.idle());
    await until('every earlier thread archived', p.provisionDeadlineMs, 250, () => arch.active() === 0);
    const activeThreadsBefore = arch.active();
    arch.holdNew = true;
    arch.phase = 'critical';
    arch.perS = p.archivePerSBusy;
    const critReqs = await mapLimited(
      Array.from({ length: p.critical }, (_, k) => k),
      16,
      (k) => {
        const s = takeSlot();
        return signOpen(sim, g, channels[k % channels.length]!, s.userId, s.type, 'critical', `critical ${k}`);
      },
    );
    await sleep(Math.max(0, loneAt + p.loneGapS * 1000 - performance.now()));
    console.log(`  ${p.critical} critical tickets at c=${p.openConcurrency}, ${p.loneGapS} s after a lone one; nobody answers …`);
    const critT0 = performance.now();
    const crit = await runClosedLoop({
      label: 'open',
      url,
      requests: critReqs,
      concurrency: p.openConcurrency,
      check: OPEN_CHECK,
      deadlineMs: p.blockDeadlineMs,
    });
    await until('critical provisioning', p.provisionDeadlineMs, 500, () => arch.count('critical', 'control') >= crit.ok);
    const critProvisionedMs = performance.now() - critT0;
    const provisionedAt = Date.now();
    // The tickets' own due times, as the inbox shows them (each ticket tells its guild after it is created).
    let rows: InboxRow[] = [];
    await until('due times in the inbox', 60_000, 1000, async () => {
      rows = (await inbox()).filter((r) => r.severity === 'critical');
      return rows.length >= crit.ok + 1 && rows.every((r) => r.firstDueAt !== null);
    });
    const loneRow = rows.reduce((a, b) => (a.number < b.number ? a : b));
    const batch = rows.filter((r) => r !== loneRow);
    const dues = batch.map((r) => r.firstDueAt!).sort((a, b) => a - b);
    const targetMs = p.criticalTargetMin * 60_000;
    const firstWarn = dues[0]! - 0.2 * targetMs;
    console.log(
      `    ${crit.ok} opened in ${(crit.wallMs / 1000).toFixed(1)} s (p50 ${crit.latencyMs.p50.toFixed(0)} ms), provisioned in ${(critProvisionedMs / 1000).toFixed(0)} s; due within ${((dues.at(-1)! - dues[0]!) / 1000).toFixed(1)} s, the first in ${((dues[0]! - Date.now()) / 1000).toFixed(0)} s`,
    );
    const inv0 = (await sim.stats()).invalidRequests;
    // Breach messages, from the simulator's log once the last is due.
    await sleep(Math.max(0, dues.at(-1)! - Date.now()));
    const isBreach = (c: LogCall) =>
      c.route === MESSAGE_ROUTE && c.status < 300 && ((c.request as { content?: string } | null)?.content ?? '').startsWith('🚨');
    const isWarn = (c: LogCall) => c.route === MESSAGE_ROUTE && c.status < 300 && ((c.request as { content?: string } | null)?.content ?? '').startsWith('⏳');
    let calls: LogCall[] = [];
    // From before the lone ticket: its messages come before the batch's.
    const inBatch = (c: LogCall) => c.path.split('/')[2] !== loneRow.channelId;
    await until('breach messages', p.deliverDeadlineMs, 2000, async () => {
      calls = (await sim.log(loneSeq)).calls;
      return calls.filter((c) => isBreach(c) && inBatch(c)).length >= crit.ok && (await settle(sim, 5000, 1500)).quiet;
    });
    calls = (await sim.log(loneSeq)).calls;
    const after = (await inbox()).filter((r) => r.severity === 'critical');
    const byChannel = new Map(after.map((r) => [r.channelId, r]));
    const loneAfter = after.find((r) => r.id === loneRow.id)!;
    const stepLate = (r: InboxRow) => (r.status === 'escalated' && r.firstDueAt !== null ? r.updatedAt - r.firstDueAt : NaN);
    const batchAfter = after.filter((r) => r.id !== loneRow.id);
    const escalated = batchAfter.filter((r) => r.status === 'escalated' && r.escalations >= 1);
    const breaches = calls.filter(isBreach);
    const batchBreaches = breaches.filter((c) => byChannel.get(c.path.split('/')[2]!)?.id !== loneRow.id);
    const msgLate = batchBreaches.map((c) => {
      const r = byChannel.get(c.path.split('/')[2]!);
      return r?.firstDueAt ? c.time - r.firstDueAt : NaN;
    });
    const loneBreach = breaches.find((c) => byChannel.get(c.path.split('/')[2]!)?.id === loneRow.id);
    const loneWarn = calls.find((c) => isWarn(c) && byChannel.get(c.path.split('/')[2]!)?.id === loneRow.id);
    const mentioning = batchBreaches.filter((c) => {
      const req = c.request as { content?: string; allowed_mentions?: { roles?: string[] } };
      return (req.content ?? '').includes(`<@&${g.staffRoleId}>`) && (req.allowed_mentions?.roles ?? []).includes(g.staffRoleId);
    }).length;
    const windowCalls: Record<string, number> = {};
    for (const c of calls) if (c.time >= firstWarn) windowCalls[c.route ?? `${c.method} ?`] = (windowCalls[c.route ?? `${c.method} ?`] ?? 0) + 1;
    const limited = calls.filter((c) => c.status === 429 && c.time >= firstWarn);
    const rateLimited = limited.length;
    const rateLimitedBy: Record<string, number> = {};
    for (const c of limited) {
      const k = `${c.route} (${(c.response as { global?: boolean } | null)?.global ? 'global' : 'route'})`;
      rateLimitedBy[k] = (rateLimitedBy[k] ?? 0) + 1;
    }
    // The bound: from each ticket's due time, the requests Discord's or the governor's rate lets through.
    const posts = batch.map((r) => ({ at: r.firstDueAt!, due: r.firstDueAt!, mark: true }));
    const fifo = batch.flatMap((r) => [
      { at: r.firstDueAt! - 0.2 * targetMs, due: 0, mark: false },
      { at: r.firstDueAt!, due: r.firstDueAt!, mark: true },
      { at: r.firstDueAt! + 0.001, due: 0, mark: false },
    ]);
    const result: TicketsResult = {
      plan: p,
      guildMembers: g.memberIds.length,
      originChannels: channels.length,
      callsPerOpen,
      background: {
        tickets: p.background,
        ok: bg.ok,
        failed: bg.failed,
        failures: bg.failures,
        answerWallMs: bgAnswerMs,
        provisionedMs: bgProvisionedMs,
        latencyMs: bg.latencyMs,
        archived: arch.count('background', 'archived'),
        archiveFailures: [...arch.failures].map(([k, v]) => `${v}× ${k}`),
        phaseMs: bgPhaseMs,
      },
      activeThreadsBefore,
      rt: {
        ping,
        open,
        ratio,
        target: 1.63,
        pass: ratio <= 1.63,
        empty: emptyOpen,
        emptyRatio: emptyOpen.latencyMs.p50 / ping.latencyMs.p50,
        spread,
        spreadRatio: spread.latencyMs.p50 / ping.latencyMs.p50,
        paced: { ping: pacedPing, open: pacedOpen, ratio: pacedOpen.latencyMs.p50 / pacedPing.latencyMs.p50, gapMs: p.rt.paced.gapMs },
        settles,
      },
      critical: {
        tickets: p.critical,
        ok: crit.ok,
        failed: crit.failed,
        failures: crit.failures,
        answerWallMs: crit.wallMs,
        provisionedMs: critProvisionedMs,
        latencyMs: crit.latencyMs,
        targetMin: p.criticalTargetMin,
        dueSpreadMs: dues.at(-1)! - dues[0]!,
        provisionedBeforeWarn: provisionedAt < firstWarn,
        provisionedBeforeLone: loneRow.firstDueAt !== null && provisionedAt < loneRow.firstDueAt,
        escalated: escalated.length,
        breachMessages: batchBreaches.length,
        warnMessages: calls.filter((c) => isWarn(c) && byChannel.get(c.path.split('/')[2]!)?.id !== loneRow.id).length,
        mentioningRole: mentioning,
        stepMs: percentiles(batchAfter.map(stepLate).filter((x) => Number.isFinite(x))),
        messageMs: percentiles(msgLate.filter((x) => Number.isFinite(x))),
        firstMessageMs: Math.min(...msgLate.filter((x) => Number.isFinite(x))),
        boundMs: { governor: fifoBound(posts, GRANTS_PER_WINDOW), discord: fifoBound(posts, 50), governorFifo: fifoBound(fifo, GRANTS_PER_WINDOW) },
        windowCalls,
        rateLimited,
        rateLimitedBy,
        invalidRequests: (await sim.stats()).invalidRequests - inv0,
      },
      lone: {
        stepMs: stepLate(loneAfter),
        messageMs: loneBreach && loneRow.firstDueAt ? loneBreach.time - loneRow.firstDueAt : NaN,
        warnMessageMs: loneWarn && loneRow.firstDueAt ? loneWarn.time - (loneRow.firstDueAt - 0.2 * targetMs) : NaN,
      },
      cpuS: cpuDelta(cpu0, sampleCpu()),
      durationS: (performance.now() - started) / 1000,
    };
    const c = result.critical;
    console.log(
      `    escalated ${c.escalated}/${c.ok}: due → step p50 ${c.stepMs.p50.toFixed(0)} ms, p99 ${c.stepMs.p99.toFixed(0)} ms, max ${c.stepMs.max.toFixed(0)} ms (lone ${result.lone.stepMs.toFixed(0)} ms); ${c.breachMessages} breach messages: due → simulator p50 ${(c.messageMs.p50 / 1000).toFixed(1)} s, p99 ${(c.messageMs.p99 / 1000).toFixed(1)} s, max ${(c.messageMs.max / 1000).toFixed(1)} s (lone ${result.lone.messageMs.toFixed(0)} ms); the governor's 35/s allows at best p50 ${(c.boundMs.governor.p50 / 1000).toFixed(1)} s, max ${(c.boundMs.governor.max / 1000).toFixed(1)} s`,
    );
    return result;
  } finally {
    await archiver?.stop();
    await stack?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
