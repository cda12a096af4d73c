// Test data for the load phases, made through the simulator's control API:
// guilds and members to open tickets as, and batches of interactions signed
// by the simulator exactly as Discord would sign them.
import type { PreparedRequest } from './load.ts';

const ISSUE_TYPES = ['login', 'crash', 'billing', 'bug', 'other'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export interface BenchGuild {
  guildId: string;
  supportChannelId: string;
  memberIds: string[];
  staffId: string;
}

interface Signed {
  interaction: { id: string };
  body: string;
  headers: Record<string, string>;
}

export class SimClient {
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }

  async call<T>(path: string, body?: unknown): Promise<T> {
    const r = await fetch(
      this.url + path,
      body === undefined
        ? { signal: AbortSignal.timeout(15_000) }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) },
    );
    const text = await r.text();
    if (!r.ok) throw new Error(`simulator ${path}: ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  stats(): Promise<{ invalidRequests: number; calls: number; byRoute: Record<string, number> }> {
    return this.call('/_sim/stats');
  }
}

/** Runs `fn` over `items` with at most `width` in flight (sim control calls are cheap but not free). */
async function mapLimited<T, R>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
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

/**
 * Enough guilds and members for `opens` real ticket opens: a member may hold
 * one open ticket per issue type, so each member is good for five. Many
 * guilds rather than one keeps each support channel's thread bucket (10 per
 * 10 s, Discord's default) from being the only thing the background work
 * waits on, as it would be for a bot installed in many servers.
 */
export async function makeGuilds(sim: SimClient, opens: number, guildCount: number): Promise<BenchGuild[]> {
  const membersNeeded = Math.ceil(opens / ISSUE_TYPES.length);
  const perGuild = Math.ceil(membersNeeded / guildCount);
  return mapLimited(
    Array.from({ length: guildCount }, (_, i) => i),
    4,
    async (i) => {
      const g = await sim.call<BenchGuild>('/_sim/guilds', { name: `Bench ${i + 1}`, members: perGuild, staff: 1 });
      return { guildId: g.guildId, supportChannelId: g.supportChannelId, memberIds: g.memberIds, staffId: g.staffId };
    },
  );
}

/**
 * Hands out (guild, member, issue type) slots, each used once, so no open is
 * refused by the one-open-ticket-per-type rule. Consecutive opens go to
 * different guilds, as they would for a bot in many servers.
 */
export class OpenSlots {
  private readonly guilds: BenchGuild[];
  private n = 0;
  readonly capacity: number;
  constructor(guilds: BenchGuild[]) {
    this.guilds = guilds;
    this.capacity = guilds.reduce((s, g) => s + g.memberIds.length, 0) * ISSUE_TYPES.length;
  }
  take(): { guild: BenchGuild; userId: string; issueType: string; severity: string } {
    const k = this.n++;
    const G = this.guilds.length;
    const guild = this.guilds[k % G]!;
    const round = Math.floor(k / G); // the k-th open in this guild
    const M = guild.memberIds.length;
    const userId = guild.memberIds[round % M];
    const type = ISSUE_TYPES[Math.floor(round / M)];
    if (!userId || !type) throw new Error(`out of ticket slots after ${k} opens (capacity ${this.capacity})`);
    return { guild, userId, issueType: type, severity: SEVERITIES[k % SEVERITIES.length]! };
  }
}

const toRequest = (s: Signed): PreparedRequest => ({ id: s.interaction.id, body: s.body, headers: s.headers });

/** Signed PINGs; each is a fresh interaction (own id, own signature), like Discord's. */
export function signPings(sim: SimClient, count: number): Promise<PreparedRequest[]> {
  return mapLimited(Array.from({ length: count }), 8, async () => toRequest(await sim.call<Signed>('/_sim/interactions', { type: 1 })));
}

const slash = (g: BenchGuild, userId: string, sub: string, options: { name: string; type: number; value: string }[]) => ({
  type: 2,
  guild_id: g.guildId,
  channel_id: g.supportChannelId,
  user_id: userId,
  data: { name: 'ticket', type: 1, options: [{ name: sub, type: 1, options }] },
});

/** Signed `/ticket open` with a subject (so the bot opens at once instead of asking with a form). */
export function signOpens(sim: SimClient, slots: OpenSlots, count: number): Promise<PreparedRequest[]> {
  const picks = Array.from({ length: count }, () => slots.take());
  return mapLimited(picks, 8, async (p, i) =>
    toRequest(
      await sim.call<Signed>(
        '/_sim/interactions',
        slash(p.guild, p.userId, 'open', [
          { name: 'issue_type', type: 3, value: p.issueType },
          { name: 'severity', type: 3, value: p.severity },
          { name: 'subject', type: 3, value: `Game ${p.issueType === 'crash' ? 'crashes' : 'fails'} after the latest patch (bench ${i})` },
        ]),
      ),
    ),
  );
}

/**
 * Signed `/ticket list` by a member who is not staff: the GuildActor refuses
 * it after recording the answer and one audit row — the guild hop and its
 * writes without the second actor, to split the ticket-open cost.
 */
export function signLists(sim: SimClient, guilds: BenchGuild[], count: number): Promise<PreparedRequest[]> {
  return mapLimited(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const g = guilds[i % guilds.length]!;
      return toRequest(await sim.call<Signed>('/_sim/interactions', slash(g, g.memberIds[Math.floor(i / guilds.length) % g.memberIds.length]!, 'list', [])));
    },
  );
}

/** One real signed ticket-open body and the key it was signed with, for the signature micro-benchmark. */
export async function sampleSignedBody(
  sim: SimClient,
  g: BenchGuild,
): Promise<{ body: string; signatureHex: string; timestamp: string; publicKeyHex: string }> {
  const s = await sim.call<Signed>(
    '/_sim/interactions',
    slash(g, g.staffId, 'open', [
      { name: 'issue_type', type: 3, value: 'billing' },
      { name: 'severity', type: 3, value: 'medium' },
      { name: 'subject', type: 3, value: 'Charged twice for the season pass, order 4471-2290' },
    ]),
  );
  const info = await sim.call<{ publicKeyHex: string }>('/_sim/info');
  return { body: s.body, signatureHex: s.headers['X-Signature-Ed25519']!, timestamp: s.headers['X-Signature-Timestamp']!, publicKeyHex: info.publicKeyHex };
}
