import {
  type APIChannel,
  type APIGuild,
  type APIInteractionResponse,
  type APIMessage,
  type APIModalSubmitInteraction,
  InteractionResponseType,
  RESTJSONErrorCodes,
  Routes,
} from 'discord-api-types/v10';
import { isPermanent, isUnknown } from '../../../discord/errors.ts';
import { ephemeral, reply } from '../../../discord/handled.ts';
import { modalValues } from '../../../discord/interaction.ts';
import type { DiscordRest, RestError } from '../../../discord/rest.ts';
import { t as tr } from '../../../i18n/index.ts';
import { now } from '../../../runtime/clock.ts';
import type { JobResult } from '../../../runtime/outbox.ts';
import { maskPersonalData } from '../../audit/mask.ts';
import type { TicketConfig } from '../guild-index.ts';
import type { Ticket } from '../model.ts';
import type { ProvisionPlan, TicketStore } from '../store.ts';
import { canRate, canSubmitSurvey, MAX_ANSWER_LENGTH, type RatingRefusal, type RatingState } from './rules.ts';
import { answerId, ratingMessage, surveyModal } from './views.ts';

/** The job that asks the opener for a rating after a close. */
export const RATING_JOB = 'ticket-rating';

/** What the ticket lends its ratings: storage, Discord, its guild's configuration, and a quiet save that tells the guild. */
export interface RatingHost {
  rest: DiscordRest;
  config(guildId: string): Promise<TicketConfig>;
  /** Saves the ticket without a history line or version bump, and queues the guild's copy. */
  saveQuietly(t: Ticket): void;
  /** A step Discord refused for good, for the audit log. */
  skipped(t: Ticket, step: string, error: RestError): void;
}

type Answer = { response: APIInteractionResponse; outcome: string };

const refusalKey = {
  'not-opener': 'ticket.rating.not-opener',
  'old-close': 'ticket.rating.old-close',
  submitted: 'ticket.rating.final',
  'bad-score': 'ticket.rating.bad-score',
  'not-rated': 'ticket.rating.not-rated',
  'no-ask': 'ticket.rating.old-close',
} as const satisfies Record<RatingRefusal, string>;

/**
 * A ticket's rating and exit survey: after each close a durable job asks the
 * opener (DM, or the ticket's conversation when DMs are closed), the opener's
 * press records a 1–5 score (changeable until the survey is sent), and the
 * survey form, when the guild has questions, makes it final. Each change is
 * decided and saved with no await in between.
 */
export class TicketRatings {
  private readonly host: RatingHost;
  private readonly store: TicketStore;

  constructor(host: RatingHost, store: TicketStore) {
    this.host = host;
    this.store = store;
  }

  state(): RatingState | null {
    return this.store.getMeta<RatingState>('rating');
  }

  /** Sends the ask for the close at `closedAt`, once, unless the ticket was reopened meanwhile or the guild turned ratings off. */
  async send(t: Ticket, closedAt: number): Promise<JobResult> {
    if (t.status !== 'closed' || t.closedAt !== closedAt) return 'done';
    if (this.store.getMeta<number>('rating-sent') === closedAt) return 'done';
    const cfg = await this.host.config(t.guildId);
    if (!cfg.ratingsEnabled) return 'done';
    // The questions are fixed when asked, so a form opened later matches what the member was asked.
    if (this.state()?.closedAt !== closedAt) {
      this.store.setMeta('rating', { closedAt, questions: cfg.surveyQuestions ?? [], score: null, answers: null, submitted: false } satisfies RatingState);
    }
    const plan = this.store.getMeta<ProvisionPlan>('plan');
    const guild = await this.host.rest.get<APIGuild>(Routes.guild(t.guildId));
    const guildName = guild.ok ? guild.value.name : t.guildId;
    const dm = await this.host.rest.post<APIChannel>(Routes.userChannels(), { body: { recipient_id: t.openerId } });
    const sent = !dm.ok
      ? dm
      : await this.host.rest.post<APIMessage>(Routes.channelMessages(dm.value.id), {
          body: ratingMessage(t, closedAt, guildName, plan?.locale ?? plan?.guildLocale ?? undefined, false),
        });
    if (sent.ok) return this.sent(closedAt);
    if (!isPermanent(sent.error)) return 'retry';
    if (!isUnknown(sent.error, RESTJSONErrorCodes.CannotSendMessagesToThisUser)) {
      this.host.skipped(t, 'rating-dm', sent.error);
      return this.sent(closedAt);
    }
    // DMs closed (50007): the ticket's conversation, if it is still there to read; otherwise nobody is asked.
    if (!t.channelId) return this.sent(closedAt);
    const channel = await this.host.rest.get<APIChannel>(Routes.channel(t.channelId));
    if (!channel.ok) {
      if (!isPermanent(channel.error)) return 'retry';
      this.host.skipped(t, 'rating-thread', channel.error);
      return this.sent(closedAt);
    }
    // The conversation is read by the opener and staff: the guild's language.
    const posted = await this.host.rest.post<APIMessage>(Routes.channelMessages(t.channelId), {
      body: ratingMessage(t, closedAt, guildName, plan?.guildLocale ?? undefined, true),
    });
    if (!posted.ok && !isPermanent(posted.error)) return 'retry';
    // A locked, archived thread takes no message: the ask is skipped and audited.
    if (!posted.ok) this.host.skipped(t, 'rating-thread', posted.error);
    return this.sent(closedAt);
  }

  private sent(closedAt: number): JobResult {
    this.store.setMeta('rating-sent', closedAt);
    return 'done';
  }

  /** A press on one of the five buttons (`extra` = `<closedAt>.<score>`). */
  press(t: Ticket, userId: string, extra: string | undefined, locale: string | undefined): Answer {
    const [closedAt, score] = (extra ?? '').split('.').map(Number);
    const state = this.state();
    const ok = canRate(state, { userId, openerId: t.openerId, closedAt: closedAt ?? Number.NaN, score: score ?? Number.NaN });
    if (!ok.ok) return this.refuse(ok.error, t, locale);
    const s = state!;
    const given = score!;
    this.store.setMeta('rating', { ...s, score: given } satisfies RatingState);
    this.host.saveQuietly({ ...t, rating: given, ratedAt: now(), survey: null });
    if (s.questions.length > 0)
      return { response: { type: InteractionResponseType.Modal, data: surveyModal(t, s.closedAt, s.questions, locale) }, outcome: 'ok' };
    return { response: reply(ephemeral(tr(locale, 'ticket.rating.thanks', { number: String(t.number), score: given }))), outcome: 'ok' };
  }

  /** The survey form: answers masked and stored, and the rating is final. */
  submit(t: Ticket, i: APIModalSubmitInteraction, userId: string, extra: string | undefined, locale: string | undefined): Answer {
    const state = this.state();
    const ok = canSubmitSurvey(state, { userId, openerId: t.openerId, closedAt: Number(extra) });
    if (!ok.ok) return this.refuse(ok.error, t, locale);
    const s = state!;
    const values = modalValues(i);
    const answers = s.questions.map((_, n) => maskPersonalData((values.get(answerId(n)) ?? '').trim().slice(0, MAX_ANSWER_LENGTH)));
    this.store.setMeta('rating', { ...s, answers, submitted: true } satisfies RatingState);
    this.host.saveQuietly({ ...t, rating: s.score, ratedAt: now(), survey: answers });
    return { response: reply(ephemeral(tr(locale, 'ticket.survey.thanks', { number: String(t.number), score: s.score ?? 0 }))), outcome: 'ok' };
  }

  private refuse(code: RatingRefusal, t: Ticket, locale: string | undefined): Answer {
    return { response: reply(ephemeral(tr(locale, refusalKey[code], { number: String(t.number) }))), outcome: `refused:${code}` };
  }
}
