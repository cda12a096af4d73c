import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  type RESTPostAPIChannelMessageJSONBody,
  TextInputStyle,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../../discord/custom-id.ts';
import { t as tr } from '../../../i18n/index.ts';
import type { Ticket } from '../model.ts';
import { TICKET_FEATURE, TicketButtons } from '../views.ts';
import { MAX_ANSWER_LENGTH, type RatingGroup, type RatingResults, type StaffLoad, type Workload } from './rules.ts';

/** The survey's text inputs are `q0`…`q4`, in question order. */
export const answerId = (n: number): string => `q${n}`;

/** The five rating buttons of one close (custom_id extra `<closedAt>.<score>`). */
export function ratingRow(t: Pick<Ticket, 'id'>, closedAt: number): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [1, 2, 3, 4, 5].map((score) => ({
      type: ComponentType.Button,
      style: score >= 4 ? ButtonStyle.Success : score <= 2 ? ButtonStyle.Danger : ButtonStyle.Secondary,
      label: `${score} ★`,
      custom_id: encodeCustomId({ feature: TICKET_FEATURE, action: TicketButtons.rate, id: t.id, extra: `${closedAt}.${score}` }),
    })),
  };
}

/** The ask after a close: in the opener's DMs, or (`inThread`) in the ticket's conversation mentioning them. */
export function ratingMessage(
  t: Pick<Ticket, 'id' | 'number' | 'openerId'>,
  closedAt: number,
  guildName: string,
  locale: string | undefined,
  inThread: boolean,
): RESTPostAPIChannelMessageJSONBody {
  const text = tr(locale, 'ticket.rating.ask', { number: String(t.number), guild: guildName });
  return {
    content: inThread ? `<@${t.openerId}> ${text}` : text,
    components: [ratingRow(t, closedAt)],
    allowed_mentions: inThread ? { users: [t.openerId] } : { parse: [] },
  };
}

/** The exit survey after a rating: one optional short answer per question. */
export function surveyModal(
  t: Pick<Ticket, 'id' | 'number'>,
  closedAt: number,
  questions: readonly string[],
  locale: string | undefined,
): APIModalInteractionResponseCallbackData {
  return {
    custom_id: encodeCustomId({ feature: TICKET_FEATURE, action: TicketButtons.survey, id: t.id, extra: String(closedAt) }),
    title: tr(locale, 'ticket.survey.title', { number: String(t.number) }).slice(0, 45),
    components: questions.map((q, n) => ({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.TextInput,
          custom_id: answerId(n),
          label: q.slice(0, 45),
          style: TextInputStyle.Paragraph,
          max_length: MAX_ANSWER_LENGTH,
          required: false,
        },
      ],
    })),
  };
}

const avg = (g: RatingGroup) => (g.average === null ? '—' : g.average.toFixed(1));

/** `/tickets ratings`: overall, per staff member and per issue type. */
export function ratingsText(r: RatingResults, days: number, l: string | undefined): string {
  if (r.overall.count === 0) return tr(l, 'ticket.ratings.none', { days });
  const lines = [
    tr(l, 'ticket.ratings.title', { days, average: avg(r.overall), count: r.overall.count, surveys: r.overall.surveys }),
    tr(l, 'ticket.ratings.by-staff'),
    ...r.byStaff.map((g) => tr(l, 'ticket.ratings.line', { who: g.key ? `<@${g.key}>` : tr(l, 'ticket.ratings.unassigned'), average: avg(g), count: g.count })),
    tr(l, 'ticket.ratings.by-type'),
    ...r.byType.map((g) => tr(l, 'ticket.ratings.line', { who: tr(l, 'ticket.type', { type: g.key }), average: avg(g), count: g.count })),
  ];
  return lines.join('\n').slice(0, 2000);
}

/** A duration for staff: `45m`, `3h 20m`, `2d 4h`; `—` for none. */
export function showDuration(ms: number | null): string {
  if (ms === null) return '—';
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min}m`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h}h ${min % 60}m` : `${h}h`;
  return h % 24 ? `${Math.floor(h / 24)}d ${h % 24}h` : `${Math.floor(h / 24)}d`;
}

const staffLine = (s: StaffLoad, l: string | undefined) =>
  tr(l, 'ticket.workload.line', {
    staff: s.staffId,
    open: s.open,
    claimed: s.claimed,
    resolved: s.resolved,
    first: showDuration(s.medianFirstResponseMs),
    resolution: showDuration(s.medianResolutionMs),
    oneTouch: s.oneTouchPct === null ? '—' : `${s.oneTouchPct}%`,
  });

/** `/tickets workload`: one line per staff member, then the backlog per day. */
export function workloadText(w: Workload, days: number, l: string | undefined): string {
  const lines = [
    tr(l, 'ticket.workload.title', { days }),
    ...(w.staff.length ? w.staff.map((s) => staffLine(s, l)) : [tr(l, 'ticket.workload.none')]),
    tr(l, 'ticket.workload.backlog', { trend: w.backlog.map((b) => `${b.day.slice(5)}: ${b.open}`).join(' · ') }),
  ];
  return lines.join('\n').slice(0, 2000);
}
