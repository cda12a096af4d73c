// Sizes and time limits of one `npm run bench`, in one place. The totals are
// chosen so the run stays under ~4 minutes on 2 cores (the gateway part has
// its own budget on top).

/** A gateway flood: `ratePerS` paces it; without, the simulator sends as fast as the socket drains. */
export interface GatewayPhaseSpec {
  kind: 'warm-up' | 'steady' | 'throughput' | 'burst';
  name: string;
  guilds: number;
  events: number;
  ratePerS?: number;
}

export const PLAN = {
  warmup: 50,
  c1: { concurrency: 1, rounds: 4, ping: 50, open: 50, list: 25 },
  c50: { concurrency: 50, rounds: 3, ping: 500, open: 500, list: 200 },
  /** Diagnostic, not a target: one request at a time with a pause after each, so no background work overlaps it. */
  paced: { rounds: 3, perBlock: 10, gapMs: 200 },
  guilds: 40,
  blockDeadlineMs: 60_000,
  /** Longest wait for the previous block's background Discord calls to settle before the next block. */
  settleMaxMs: 3_000,
  signature: { batches: 7, webcryptoN: 2000, tweetnaclN: 200 },
  /** Staff sockets in one inbox room, and ticket changes broadcast to them per size (1 socket is the reference). */
  fanout: { sizes: [50, 500], changes: 20 },
  /**
   * Gateway dispatch through one ShardActor (bench/gateway.ts). Guilds are the
   * first N of `guilds` created once. The 1,000-guild phase is paced a little
   * over the 1,000 events/s its target names, so the simulator's achieved send
   * rate clears it even with timer jitter.
   */
  gateway: {
    guilds: 1000,
    warmup: [{ kind: 'warm-up', name: 'warm-up', guilds: 1000, events: 2000, ratePerS: 1000 }] as GatewayPhaseSpec[],
    phases: [
      { kind: 'steady', name: 'steady, 1 guild', guilds: 1, events: 3000, ratePerS: 1000 },
      { kind: 'steady', name: 'steady, 100 guilds', guilds: 100, events: 15_000, ratePerS: 5000 },
      { kind: 'steady', name: 'steady, 1,000 guilds', guilds: 1000, events: 8800, ratePerS: 1100 },
      { kind: 'throughput', name: 'unpaced, 100 guilds', guilds: 100, events: 20_000 },
      { kind: 'burst', name: 'burst, 1 guild', guilds: 1, events: 10_000 },
      { kind: 'burst', name: 'burst, 100 guilds', guilds: 100, events: 10_000 },
      { kind: 'burst', name: 'burst, 1,000 guilds', guilds: 1000, events: 10_000 },
    ] as GatewayPhaseSpec[],
    /** The same unpaced stream as 'unpaced, 100 guilds', received by discord.js's client. */
    discordjs: { guilds: 100, events: 20_000, runs: 3 },
    /** Sequential calls (empty and with a write), then write calls spread over 100 and 1,000 actors at once (the fan-out's ceiling). */
    rpc: { batches: 5, emptyN: 1000, writeN: 500, fanout: { targets: [100, 1000], calls: 3000, batches: 3 } },
    pollMs: 25,
    settleMaxMs: 30_000,
    /** Per phase, beyond its paced duration. */
    phaseDeadlineMs: 60_000,
    budgetMs: 4 * 60_000,
  },
  /** Raids through the gateway (bench/raid.ts): each a fresh guild and a burst of joins, threshold at the product default. */
  raid: { raids: 3, joins: 1000 },
  /**
   * Game-server control (bench/servers.ts, issue 10): a panel answering every call in `panelLatencyMs`.
   * Interleaved PING / `/server status` / autocomplete blocks at concurrency 1, `roundGapMs` apart, so the
   * rounds span more than the 15 s resources cache (the answers that waited for the panel are counted);
   * then `displays` status displays watched for `windowIntervals` display intervals.
   */
  servers: {
    panelLatencyMs: 800,
    warmup: 10,
    rounds: 8,
    perBlock: 25,
    roundGapMs: 4000,
    /** Servers asked about once each after their cache expired: the panel's full latency, for reference. */
    cold: 3,
    displays: 20,
    displayChannels: 2,
    windowIntervals: 2.5,
    postDeadlineMs: 60_000,
    blockDeadlineMs: 30_000,
    budgetMs: 5 * 60_000,
  },
  /**
   * Engagement features (bench/engagement.ts, issue 11): a hot guild with levels and 50 automod rules flooded at
   * `hot.ratePerS` for `hot.seconds` from `hot.members` members; the FAQ matcher inside workerd; and reminders of
   * `reminders.events` events × `goingPerEvent` members going, all due at one instant `gapS` after a lone one.
   */
  engagement: {
    hot: {
      members: 500,
      ratePerS: 2000,
      seconds: 30,
      /** The sender hands the simulator one batch per this many ms (each batch stamped when it is built). */
      batchMs: 20,
      warmup: 2000,
      warmupRatePerS: 1000,
      /** Share of messages written to break a rule (a denied link, a blocked word, a foreign invite). */
      badShare: 0.0025,
      /** After the paced flood, how long the shard may take to apply what is left. */
      drainDeadlineMs: 60_000,
    },
    faq: {
      entries: 500,
      questions: 300,
      builds: 5,
      passes: 3,
      /** Repetitions of one question between two clock brackets (workerd's clock moves in whole ms across I/O). */
      matchReps: 150,
      parseReps: 20_000,
      batchN: 3000,
    },
    reminders: {
      events: 20,
      goingPerEvent: 50,
      /** The guild's reminder offset (`/event config reminders:1m`), the smallest it takes. */
      offsetMin: 1,
      /** From creating the guild to the lone reminder's due time: room for the events, posts and RSVPs. */
      setupBudgetMs: 60_000,
      /** The 1,000 are due this long after the lone one. */
      gapS: 15,
      rsvpConcurrency: 6,
      deliverDeadlineMs: 150_000,
    },
    rpc: { batches: 3, emptyN: 500, writeN: 300 },
    pollMs: 50,
  },
  /**
   * Ticket SLA timers (bench/tickets.ts, issue 12): one guild with `background` open low-severity tickets (default
   * targets, nothing comes due), their threads archived as Discord's auto-archive would, then `critical` critical
   * tickets under a `criticalTargetMin` first-response target opened at `openConcurrency`, due within one minute;
   * nobody answers, so each is escalated. A lone critical ticket `loneGapS` earlier is the reference.
   */
  tickets: {
    background: 9000,
    critical: 1000,
    /**
     * `/tickets sla set severity:critical first_response:<this>m`. 3, not 1: provisioning 1,000 threads takes
     * 3,000 requests (86 s at the bot's 35/s), so at 1m the warnings (80%, 48 s) would fire into that backlog.
     */
    criticalTargetMin: 3,
    /** Text channels tickets are opened from (Discord creates at most 10 threads per 10 s per channel). */
    originChannels: 40,
    openConcurrency: 50,
    /** Background opens per batch; the next batch waits until no more than `lookahead` opened tickets lack their control message. */
    batch: 500,
    lookahead: 250,
    /** …and until at most this many of the guild's threads are still active (Discord allows 1,000). */
    maxActive: 400,
    /** Our archive requests per second while the bot provisions (with its 35/s under Discord's 50/s), and after. */
    /** 11: with the bot's ~34/s that stays under 50/s (at 14/s a development run saw 49 archives and some of the bot's requests answered 429). */
    archivePerSBusy: 11,
    archivePerSIdle: 40,
    /** Round trip: c=1 blocks of PING and `/ticket open` (a fresh member each), after the background is archived and before the critical tickets. */
    rt: { warmup: 10, rounds: 4, perBlock: 25, settleMaxMs: 3000, paced: { perBlock: 20, gapMs: 300 } },
    /** The lone reference is opened this long before the 1,000. */
    loneGapS: 50,
    /** Longest wait for provisioning to catch up (per batch, and at the end of the background). */
    provisionDeadlineMs: 180_000,
    /** After the last due time, how long the breach messages may take to arrive. */
    deliverDeadlineMs: 240_000,
    blockDeadlineMs: 120_000,
    budgetMs: 40 * 60_000,
  },
  /** The whole run gives up (and cleans up) after this. */
  totalBudgetMs: 5 * 60_000,
};

export type Plan = typeof PLAN;
