import { DurableObject } from 'cloudflare:workers';
import { type Grant, type GrantState, grant } from '../discord/global-permits.ts';
import type { Env } from '../env.ts';

/**
 * One per deployment: hands out permits for Discord's global 50 requests/s.
 * State is in memory on purpose: after an eviction (no recent traffic) a fresh
 * window is the truth.
 */
export class RestGovernor extends DurableObject<Env> {
  private readonly state: GrantState = { grants: [], pausedUntil: 0 };

  async take(wanted: number): Promise<Grant> {
    return grant(this.state, wanted, Date.now());
  }

  /** A client saw a global 429: everyone waits `ms`. */
  async pause(ms: number): Promise<void> {
    this.state.pausedUntil = Math.max(this.state.pausedUntil, Date.now() + ms);
  }
}
