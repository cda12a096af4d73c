// Sizes and time limits of one `npm run bench`, in one place. The totals are
// chosen so the run stays under ~4 minutes on 2 cores.
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
  /** The whole run gives up (and cleans up) after this. */
  totalBudgetMs: 5 * 60_000,
};

export type Plan = typeof PLAN;
