/** Power signals the panels know. */
export const SIGNALS = ['start', 'stop', 'restart', 'kill'] as const;
export type Signal = (typeof SIGNALS)[number];

/** Confirmation buttons stop working after this long. */
export const CONFIRM_TTL_MS = 60_000;
/** One power action per server in this interval, whoever asks. */
export const POWER_INTERVAL_MS = 10_000;

/** Stop, restart and kill interrupt players: they are confirmed first. Start is not. */
export const needsConfirmation = (s: Signal): boolean => s !== 'start';

/** The state a server is in, as every adapter reports it. */
export type ServerState = 'running' | 'starting' | 'stopping' | 'offline' | 'installing' | 'suspended' | 'restoring' | 'unknown';

export type PowerRefusal = 'already-running' | 'already-offline' | 'busy-installing' | 'busy-suspended' | 'busy-restoring' | 'kill-disabled' | 'too-soon';

/**
 * Whether a power action should reach the panel at all, from the cached
 * state (known at most a few seconds ago). A conflicting state is answered
 * here, without a call: a member pressing "start" ten times on a running
 * server makes no calls at all.
 */
export function checkPower(signal: Signal, state: ServerState, opts: { killEnabled: boolean; lastPowerAt: number | null; now: number }): PowerRefusal | null {
  if (signal === 'kill' && !opts.killEnabled) return 'kill-disabled';
  if (state === 'installing') return 'busy-installing';
  if (state === 'suspended') return 'busy-suspended';
  if (state === 'restoring') return 'busy-restoring';
  if (signal === 'start' && (state === 'running' || state === 'starting')) return 'already-running';
  if ((signal === 'stop' || signal === 'kill') && state === 'offline') return 'already-offline';
  if (opts.lastPowerAt !== null && opts.now - opts.lastPowerAt < POWER_INTERVAL_MS) return 'too-soon';
  return null;
}

/** Seconds until the next power action is allowed. */
export const secondsUntilPower = (lastPowerAt: number, now: number): number => Math.max(1, Math.ceil((lastPowerAt + POWER_INTERVAL_MS - now) / 1000));
