import { type APIMessage, type GatewayMessageCreateDispatchData, Routes } from 'discord-api-types/v10';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import { HINT_COOLDOWN_MS, legacyCommand } from './rules/prefix.ts';

export const HINT_JOB = 'servers-prefix-hint';

/**
 * Answers a legacy prefix command (`!start`) once with the slash command that
 * replaces it, as a reply to the message; at most once per member and word an
 * hour, so a habit is corrected without the bot answering every message.
 */
export class PrefixHints {
  private readonly host: GuildHost;
  private readonly lastHint = new Map<string, number>();

  constructor(host: GuildHost) {
    this.host = host;
  }

  onMessage(m: GatewayMessageCreateDispatchData, enabled: () => boolean): void {
    if (m.author?.bot || m.webhook_id || !m.content) return;
    const legacy = legacyCommand(m.content);
    if (!legacy || !enabled()) return;
    const key = `${m.author.id}:${legacy.word}`;
    const last = this.lastHint.get(key);
    if (last !== undefined && now() - last < HINT_COOLDOWN_MS) return;
    this.lastHint.set(key, now());
    this.host.enqueue(
      HINT_JOB,
      { channelId: m.channel_id, messageId: m.id, word: legacy.word, slash: legacy.slash },
      { lane: 'servers-hints', dedupe: `hint:${m.id}` },
    );
    this.host.kick();
  }

  async send(job: Job<string>): Promise<JobResult> {
    const p = job.payload as { channelId: string; messageId: string; word: string; slash: string };
    const locale = guildLocale(this.host.sql);
    const r = await this.host.rest.post<APIMessage>(Routes.channelMessages(p.channelId), {
      body: {
        content: tr(locale, 'srv.hint', { word: p.word, slash: p.slash }),
        message_reference: { message_id: p.messageId, fail_if_not_exists: false },
        allowed_mentions: { parse: [], replied_user: false },
      },
    });
    // A hint that cannot be posted (no access, rate limit) is not worth retrying.
    if (!r.ok) console.error(`guild ${this.host.guildId}: prefix hint not posted (${r.error.kind})`);
    return 'done';
  }
}
