// Reference 1 of the gateway bench: discord.js's own gateway client
// (@discordjs/ws, its default in-process sharding) on the simulator's
// gateway, counting MESSAGE_CREATE dispatches as they arrive. Its receive
// rate on an unpaced flood is the ceiling of the gateway side on this machine:
// the simulator sending and a client parsing, with nothing applied anywhere.
import { performance } from 'node:perf_hooks';
// @discordjs/ws fetches GET /gateway/bot through discord.js's REST client (its own dependency).
import { REST } from '@discordjs/rest';
import { WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import { GatewayDispatchEvents } from 'discord-api-types/v10';

export interface DiscordJsRun {
  events: number;
  received: number;
  ms: number;
  eventsPerS: number;
}

export interface DiscordJsResult {
  guilds: number;
  eventsPerRun: number;
  runs: DiscordJsRun[];
  /** Median of the runs' receive rates. */
  eventsPerS: number;
}

type Flood = (body: { guilds: string[] | number; events: number; ratePerS?: number }) => Promise<{ sent: number; guilds: string[] }>;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
};

/**
 * Connects, creates `createGuilds` guilds through a flood while connected (so
 * they exist for the bot's shard later, and the client is warm), then times
 * `runs` unpaced floods of `events` over the first `guilds` of them. Returns
 * the created guild ids with the result; the client is always destroyed.
 */
export async function runDiscordJsReference(opts: {
  simUrl: string;
  token: string;
  intents: number;
  flood: Flood;
  createGuilds: number;
  guilds: number;
  events: number;
  runs: number;
  deadlineMs: number;
}): Promise<{ result: DiscordJsResult; guildIds: string[] }> {
  const rest = new REST({ api: `${opts.simUrl}/api`, version: '10' }).setToken(opts.token);
  const manager = new WebSocketManager({ token: opts.token, intents: opts.intents, rest, shardCount: 1 });
  let received = 0;
  let want = Infinity;
  let reached: (() => void) | null = null;
  manager.on(WebSocketShardEvents.Dispatch, (p) => {
    if (p.t !== GatewayDispatchEvents.MessageCreate) return;
    received++;
    if (received >= want) reached?.();
  });
  const until = (n: number, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (received >= n) {
        resolve(true);
        return;
      }
      want = n;
      const timer = setTimeout(() => {
        reached = null;
        resolve(false);
      }, ms);
      reached = () => {
        clearTimeout(timer);
        reached = null;
        resolve(true);
      };
    });
  try {
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('discord.js: no READY from the simulator within 30 s')), 30_000);
      manager.once(WebSocketShardEvents.Ready, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await manager.connect();
    await ready;

    const created = await opts.flood({ guilds: opts.createGuilds, events: opts.createGuilds });
    if (!(await until(created.sent, opts.deadlineMs))) throw new Error(`discord.js: ${received}/${created.sent} warm-up events received`);
    const guildIds = created.guilds;

    const runs: DiscordJsRun[] = [];
    for (let r = 0; r < opts.runs; r++) {
      received = 0;
      const t0 = performance.now();
      const sent = opts.flood({ guilds: guildIds.slice(0, opts.guilds), events: opts.events });
      const ok = await until(opts.events, opts.deadlineMs);
      const ms = performance.now() - t0;
      await sent;
      if (!ok) throw new Error(`discord.js: ${received}/${opts.events} events received within ${opts.deadlineMs / 1000} s`);
      runs.push({ events: opts.events, received, ms, eventsPerS: opts.events / (ms / 1000) });
    }
    return { result: { guilds: opts.guilds, eventsPerRun: opts.events, runs, eventsPerS: median(runs.map((x) => x.eventsPerS)) }, guildIds };
  } finally {
    // Close code 1000 ends the session, so the simulator stops sending to it.
    await manager.destroy({ code: 1000, reason: 'bench done' });
  }
}
