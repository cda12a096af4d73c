import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import { hmacSha256Hex } from '../audit/webhook.ts';
import { open } from './rules/secret-box.ts';
import type { ServersStore } from './store.ts';

/** Header scheme of server-event webhooks (README "Server event webhooks"). */
export const WEBHOOK_HEADERS = {
  timestamp: 'X-Guildkeep-Timestamp',
  signature: 'X-Guildkeep-Signature',
  event: 'X-Guildkeep-Event',
  delivery: 'X-Guildkeep-Delivery',
} as const;

/** The panel id under which the webhook secret is sealed (never a real panel id, which starts with `p`). */
export const WEBHOOK_SEAL_ID = 'webhook';
const DELIVERY_TIMEOUT_MS = 10_000;

export type ServerEvent =
  | { type: 'server.state'; panel: string; server: string; serverName: string; from: string | null; to: string }
  | { type: 'server.action'; panel: string; server: string; serverName: string; action: string; by: string; outcome: string }
  | { type: 'server.schedule'; panel: string; server: string; serverName: string; schedule: number; action: string; outcome: string };

export const EVENT_JOB = 'servers-webhook';

/**
 * Server events to the guild's webhook: queued as outbox jobs on their own
 * lane (a receiver that is down delays only other deliveries, never a
 * command), signed with HMAC-SHA256 over `${timestamp}.${body}`, retried with
 * the outbox's back-off until it answers 2xx (or a 4xx other than 429, which
 * retrying would not fix).
 */
export class ServerEvents {
  private readonly host: GuildHost;
  private readonly store: ServersStore;

  constructor(host: GuildHost, store: ServersStore) {
    this.host = host;
    this.store = store;
  }

  emit(e: ServerEvent): void {
    if (!this.store.settings().webhookUrl) return;
    const delivery = crypto.randomUUID();
    this.host.enqueue(EVENT_JOB, { delivery, at: now(), guild: this.host.guildId, ...e }, { lane: 'servers-webhook' });
    this.host.kick();
  }

  async deliver(job: Job<string>): Promise<JobResult> {
    const s = this.store.settings();
    if (!s.webhookUrl || !s.webhookSecret) return 'done';
    const secret = await open(this.host.config.configKey, this.host.guildId, WEBHOOK_SEAL_ID, s.webhookSecret);
    if (!secret.ok) {
      console.error(`guild ${this.host.guildId}: server webhook secret cannot be opened (${secret.error}); event dropped`);
      return 'done';
    }
    const p = job.payload as { delivery: string; type: string };
    const body = JSON.stringify(job.payload);
    const timestamp = String(Math.floor(now() / 1000));
    try {
      const res = await fetch(s.webhookUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [WEBHOOK_HEADERS.timestamp]: timestamp,
          [WEBHOOK_HEADERS.signature]: `sha256=${await hmacSha256Hex(secret.value, `${timestamp}.${body}`)}`,
          [WEBHOOK_HEADERS.event]: p.type,
          [WEBHOOK_HEADERS.delivery]: p.delivery,
        },
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        redirect: 'manual',
      });
      await res.body?.cancel();
      return res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429) ? 'done' : 'retry';
    } catch {
      return 'retry';
    }
  }
}

/** A webhook address: https, or http where the deployment allows plain-HTTP panels (local runs). */
export function parseWebhookUrl(input: string, allowHttp: boolean): string | null {
  try {
    const u = new URL(input.trim());
    if (u.protocol === 'https:' || (allowHttp && u.protocol === 'http:')) return u.username || u.password ? null : u.toString();
  } catch {
    // not a URL
  }
  return null;
}
