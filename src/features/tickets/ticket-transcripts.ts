import { type APIChannel, type APIGuild, type APIMessage, RESTJSONErrorCodes, Routes } from 'discord-api-types/v10';
import { isPermanent, isUnknown } from '../../discord/errors.ts';
import { type DiscordRest, describeRestError, type RestError, type UploadFile } from '../../discord/rest.ts';
import { t as tr } from '../../i18n/index.ts';
import { now } from '../../runtime/clock.ts';
import type { JobResult } from '../../runtime/outbox.ts';
import type { TicketConfig } from './guild-index.ts';
import type { Ticket } from './model.ts';
import type { ProvisionPlan, TicketStore } from './store.ts';
import type { TranscriptRequest } from './ticket-port.ts';
import type { Transcript } from './transcript.ts';
import { type RenderedTranscript, renderTranscriptHtml, transcriptFileName } from './transcript-html.ts';

/** The transcript of a close: to the transcript channel and, when enabled, the opener's DMs. */
export const TRANSCRIPT_JOB = 'ticket-transcript';
/** The transcript of /ticket transcript, attached to its deferred reply. */
export const TRANSCRIPT_REPLY_JOB = 'ticket-transcript-reply';

/** How many conversation lines a transcript file reads at most (the renderer then keeps it under Discord's file limit). */
const TRANSCRIPT_FILE_LINES = 5000;

/** What the transcript job of a close has done, kept in storage so a retry never posts twice. */
interface TranscriptClaim {
  closedAt: number;
  posted: boolean;
  dmed: boolean;
}

/** What the ticket lends its transcripts: Discord, its guild's configuration and language, the outbox, and the audit of skipped steps. */
export interface TranscriptHost {
  rest: DiscordRest;
  config(guildId: string): Promise<TicketConfig>;
  guildLocale(): string | undefined;
  enqueue(kind: string, payload: unknown, opts?: { lane?: string; dedupe?: string }): void;
  kick(): void;
  skipped(t: Ticket, step: string, error: RestError): void;
}

/**
 * A ticket's transcript files: rendered from the conversation on demand,
 * posted to the transcript channel and the opener's DMs after a close, and
 * attached to /ticket transcript's deferred reply.
 */
export class TicketTranscripts {
  private readonly host: TranscriptHost;
  private readonly store: TicketStore;
  private readonly transcript: Transcript;

  constructor(host: TranscriptHost, store: TicketStore, transcript: Transcript) {
    this.host = host;
    this.store = store;
    this.transcript = transcript;
  }

  /** The ticket's transcript as one HTML document, for staff (the inbox, the transcript channel) or the opener's copy. */
  transcriptHtml(audience: 'staff' | 'member', anonymousStaff: boolean, locale: string | undefined): RenderedTranscript | null {
    const t = this.store.load();
    if (!t) return null;
    const entries = this.transcript.all(TRANSCRIPT_FILE_LINES);
    return renderTranscriptHtml({
      ticket: t,
      entries,
      history: this.store.history(),
      locale,
      generatedAt: now(),
      audience,
      anonymousStaff,
      omitted: this.transcript.count() - entries.length,
    });
  }

  /** Queues the transcript for a deferred /ticket transcript reply. */
  sendTranscript(req: TranscriptRequest): void {
    this.host.enqueue(TRANSCRIPT_REPLY_JOB, req, { lane: 'transcript-reply' });
    this.host.kick();
  }

  /** The staff transcript, in the guild's language, as the inbox serves it. */
  staffTranscript(): RenderedTranscript | null {
    return this.transcriptHtml('staff', false, this.host.guildLocale());
  }

  /**
   * The transcript of one close: posted to the transcript channel, then (when
   * enabled) sent to the opener by DM. Each step is claimed in storage when
   * done, so a retry after a failure posts neither twice. A ticket reopened
   * meanwhile is not closed by that close any more: nothing is posted.
   */
  async post(t: Ticket, closedAt: number): Promise<JobResult> {
    if (t.status !== 'closed' || t.closedAt !== closedAt) return 'done';
    const saved = this.store.getMeta<TranscriptClaim>('transcript');
    const claim: TranscriptClaim = saved?.closedAt === closedAt ? saved : { closedAt, posted: false, dmed: false };
    const cfg = await this.host.config(t.guildId);
    const file = (r: RenderedTranscript): UploadFile => ({
      name: transcriptFileName(t.number),
      contentType: 'text/html',
      data: new TextEncoder().encode(r.html),
    });
    if (!claim.posted && cfg.transcriptChannelId) {
      const locale = this.host.guildLocale();
      const doc = this.transcriptHtml('staff', false, locale)!;
      const r = await this.host.rest.post<APIMessage>(Routes.channelMessages(cfg.transcriptChannelId), {
        body: {
          content: tr(locale, 'ticket.transcript.posted', {
            number: String(t.number),
            type: tr(locale, 'ticket.type', { type: t.issueType }),
            severity: tr(locale, 'ticket.severity', { severity: t.severity }),
            messages: doc.shown + doc.leftOut,
            user: t.lastChangedBy,
          }),
          allowed_mentions: { parse: [] },
        },
        files: [file(doc)],
      });
      if (!r.ok && !isPermanent(r.error)) return 'retry';
      if (!r.ok) this.host.skipped(t, 'transcript-channel', r.error);
    }
    claim.posted = true;
    this.store.setMeta('transcript', claim);
    if (!claim.dmed && cfg.transcriptDm) {
      const plan = this.store.getMeta<ProvisionPlan>('plan');
      const locale = plan?.locale ?? this.host.guildLocale();
      const guild = await this.host.rest.get<APIGuild>(Routes.guild(t.guildId));
      const doc = this.transcriptHtml('member', cfg.anonymousStaff, locale ?? undefined)!;
      const dm = await this.host.rest.post<APIChannel>(Routes.userChannels(), { body: { recipient_id: t.openerId } });
      const r = !dm.ok
        ? dm
        : await this.host.rest.post<APIMessage>(Routes.channelMessages(dm.value.id), {
            body: {
              content: tr(locale, 'ticket.transcript.dm', { number: String(t.number), guild: guild.ok ? guild.value.name : t.guildId }),
              allowed_mentions: { parse: [] },
            },
            files: [file(doc)],
          });
      if (!r.ok && !isPermanent(r.error)) return 'retry';
      // A member who takes no DMs (50007) is not an error to retry, nor worth an audit line of its own.
      if (!r.ok && !isUnknown(r.error, RESTJSONErrorCodes.CannotSendMessagesToThisUser)) this.host.skipped(t, 'transcript-dm', r.error);
    }
    claim.dmed = true;
    this.store.setMeta('transcript', claim);
    return 'done';
  }

  /** Attaches the staff transcript to the deferred reply of /ticket transcript. */
  async reply(t: Ticket, req: TranscriptRequest): Promise<JobResult> {
    const doc = this.transcriptHtml('staff', false, req.locale ?? undefined)!;
    const r = await this.host.rest.patch(Routes.webhookMessage(req.applicationId, req.interactionToken, '@original'), {
      body: { content: tr(req.locale, 'ticket.transcript.ready', { number: String(t.number) }), allowed_mentions: { parse: [] } },
      files: [{ name: transcriptFileName(t.number), contentType: 'text/html', data: new TextEncoder().encode(doc.html) }],
    });
    if (r.ok) return 'done';
    // The job may start before Discord has taken in the deferral: the message comes.
    if (isUnknown(r.error, RESTJSONErrorCodes.UnknownMessage)) return 'retry';
    console.error(`ticket ${t.id}: attaching the transcript failed: ${describeRestError(r.error)}`);
    // An expired token (15 minutes) will not come back.
    return isPermanent(r.error) ? 'done' : 'retry';
  }
}
