import type { GuildFeatureHost } from '../guild-feature.ts';

/**
 * One outbox job for a burst of requests (joins to attribute, roles to
 * give). Requests while no run has started share one queued job (its dedupe
 * key); once a run takes its work, later requests queue the next run, so
 * nothing asked for after a run looked is left waiting for a job that will
 * never come. The generation is in memory only: after an eviction it starts
 * again at 0, which at worst merges into a queued run or adds a spare one.
 */
export class BatchedJob {
  private readonly host: GuildFeatureHost;
  readonly kind: string;
  private generation = 0;
  /** Runs already asked for in this generation: a burst of requests costs one outbox write, not one each. */
  private readonly requested = new Set<string>();

  constructor(host: GuildFeatureHost, kind: string) {
    this.host = host;
    this.kind = kind;
  }

  /**
   * Queues a run (unless one is queued and not started) and starts due jobs
   * at once. `key` keeps separate runs apart (one per lockdown, say); the
   * payload of the run that is kept wins.
   */
  request(opts: { key?: string; payload?: unknown; delayMs?: number } = {}): void {
    const dedupe = `${this.kind}:${opts.key ?? ''}:${this.generation}`;
    if (this.requested.has(dedupe)) return;
    this.requested.add(dedupe);
    this.host.enqueue(this.kind, opts.payload ?? null, { lane: this.kind, dedupe, ...(opts.delayMs ? { delayMs: opts.delayMs } : {}) });
    this.host.kick();
  }

  /** Called by a run before it reads its work: requests from now on need another run. */
  taking(): void {
    this.generation++;
    this.requested.clear();
  }
}
