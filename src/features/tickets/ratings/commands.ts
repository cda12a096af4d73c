import { type APIChatInputApplicationCommandInteraction, InteractionResponseType, MessageFlags, RESTJSONErrorCodes, Routes } from 'discord-api-types/v10';
import { isPermanent, isUnknown } from '../../../discord/errors.ts';
import { ephemeral, type Handled, refused, reply } from '../../../discord/handled.ts';
import { invokerOf, numberOption, type SubcommandCall, stringOption } from '../../../discord/interaction.ts';
import { type DiscordRest, describeRestError } from '../../../discord/rest.ts';
import { isAdministrator, isTicketStaff } from '../../../discord/staff-permissions.ts';
import { t as tr } from '../../../i18n/index.ts';
import { now } from '../../../runtime/clock.ts';
import type { JobResult } from '../../../runtime/outbox.ts';
import type { GuildTicketIndex } from '../guild-index.ts';
import {
  DAY_MS,
  type ExportFilter,
  type ExportFormat,
  exportRecord,
  type FilterError,
  MAX_QUESTION_LENGTH,
  MAX_SURVEY_QUESTIONS,
  matchesFilter,
  parseExportFilter,
  parseQuestions,
  ratingResults,
  type StatsRow,
  toCsv,
  workload,
} from './rules.ts';
import { ratingsText, workloadText } from './views.ts';

/** The guild job that attaches an export to its deferred reply. */
export const EXPORT_JOB = 'ticket-export';
/** At most this many tickets in one export file (a few MB). */
export const MAX_EXPORT_ROWS = 20_000;

/** What an export job carries: the deferred reply to edit and what to put in the file. */
export interface ExportJob {
  token: string;
  locale: string | undefined;
  format: ExportFormat;
  filter: ExportFilter;
}

/** What these commands need of the guild: the index, and a way to queue an export. */
export interface RatingsCommandHost {
  index: GuildTicketIndex;
  queueExport(job: ExportJob): void;
}

const PATHS = new Set(['tickets survey', 'tickets ratings', 'tickets workload', 'tickets export']);
const ok = (content: string, detail = ''): Handled => ({ response: reply(ephemeral(content)), outcome: 'ok', detail });

/** `/tickets survey`, `/tickets ratings`, `/tickets workload`, `/tickets export`; null for other paths. */
export function handleRatingsCommand(h: RatingsCommandHost, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled | null {
  if (!PATHS.has(call.path)) return null;
  const l = i.locale;
  const inv = invokerOf(i);
  const cfg = h.index.config();
  if (call.path === 'tickets survey') {
    if (!isAdministrator(inv.permissions)) return refused('not-admin', tr(l, 'ticket.setup.not-admin'));
    const enabled = call.options.get('enabled');
    const raw = stringOption(call, 'questions');
    let questions = cfg.surveyQuestions;
    if (raw !== null) {
      const parsed = parseQuestions(raw);
      if (!parsed.ok)
        return parsed.error.reason === 'too-many'
          ? refused('too-many-questions', tr(l, 'ticket.survey.too-many', { max: MAX_SURVEY_QUESTIONS }))
          : refused('question-too-long', tr(l, 'ticket.survey.too-long', { max: MAX_QUESTION_LENGTH, question: (parsed.error.question ?? '').slice(0, 60) }));
      questions = parsed.value;
    }
    const next = { ...cfg, ratingsEnabled: typeof enabled === 'boolean' ? enabled : cfg.ratingsEnabled, surveyQuestions: questions };
    if (typeof enabled === 'boolean' || raw !== null) h.index.setConfig(next);
    return ok(surveyText(next.ratingsEnabled, next.surveyQuestions, l), JSON.stringify({ enabled: next.ratingsEnabled, questions: next.surveyQuestions }));
  }
  if (!isTicketStaff(inv.permissions, inv.roles, cfg.staffRoleId)) return refused('not-staff', tr(l, 'ticket.upkeep.staff-only'));
  const at = now();
  switch (call.path) {
    case 'tickets ratings': {
      const days = numberOption(call, 'days') ?? 30;
      const since = at - days * DAY_MS;
      return ok(ratingsText(ratingResults(h.index.ratedSince(since) as StatsRow[], since), days, l));
    }
    case 'tickets workload': {
      const days = numberOption(call, 'days') ?? 7;
      return ok(workloadText(workload(h.index.activeOrSince(at - days * DAY_MS) as StatsRow[], at, days), days, l));
    }
    default: {
      const format = stringOption(call, 'format');
      if (format !== 'csv' && format !== 'json') return refused('bad-format', tr(l, 'ticket.export.bad-format'));
      const filter = parseExportFilter({
        status: stringOption(call, 'status'),
        severity: stringOption(call, 'severity'),
        assignee: stringOption(call, 'assignee'),
        since: stringOption(call, 'since'),
        until: stringOption(call, 'until'),
      });
      if (!filter.ok) return refused(filter.error.kind, filterRefusal(filter.error, l));
      h.queueExport({ token: i.token, locale: l, format, filter: filter.value });
      return {
        response: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } },
        outcome: 'ok',
        detail: `export ${format} ${JSON.stringify(filter.value)}`,
      };
    }
  }
}

function filterRefusal(e: FilterError, l: string | undefined): string {
  switch (e.kind) {
    case 'bad-date':
      return tr(l, 'ticket.export.bad-date', { value: e.value.slice(0, 40) });
    case 'since-after-until':
      return tr(l, 'ticket.export.since-after-until');
    default:
      return tr(l, 'ticket.export.bad-filter', { value: e.value.slice(0, 40) });
  }
}

function surveyText(enabled: boolean, questions: readonly string[], l: string | undefined): string {
  if (!enabled) return tr(l, 'ticket.survey.off');
  if (!questions.length) return tr(l, 'ticket.survey.no-questions');
  return [tr(l, 'ticket.survey.questions', { n: questions.length }), ...questions.map((q, n) => `${n + 1}. ${q}`)].join('\n');
}

/** The export file: the index's tickets (masked subjects only) that pass the filter, as CSV (RFC 4180) or JSON. */
export function exportFile(index: GuildTicketIndex, job: ExportJob, guildId: string): { name: string; contentType: string; data: Uint8Array; count: number } {
  const rows = (index.all(100_000) as StatsRow[]).filter((r) => matchesFilter(r, job.filter)).slice(0, MAX_EXPORT_ROWS);
  const records = rows.map(exportRecord);
  const text = job.format === 'csv' ? toCsv(records) : `${JSON.stringify(records, null, 2)}\n`;
  return {
    name: `tickets-${guildId}.${job.format}`,
    contentType: job.format === 'csv' ? 'text/csv' : 'application/json',
    data: new TextEncoder().encode(text),
    count: records.length,
  };
}

/** Attaches the export to the deferred reply (@original); retried until Discord has the deferral, dropped when the token died. */
export async function runExport(rest: DiscordRest, applicationId: string, index: GuildTicketIndex, guildId: string, job: ExportJob): Promise<JobResult> {
  const file = exportFile(index, job, guildId);
  const r = await rest.patch(Routes.webhookMessage(applicationId, job.token, '@original'), {
    body: { content: tr(job.locale, 'ticket.export.done', { n: file.count, max: MAX_EXPORT_ROWS }), allowed_mentions: { parse: [] } },
    files: [{ name: file.name, contentType: file.contentType, data: file.data }],
  });
  if (r.ok) return 'done';
  if (isUnknown(r.error, RESTJSONErrorCodes.UnknownMessage)) return 'retry';
  console.error(`guild ${guildId}: ticket export: editing the deferred reply failed: ${describeRestError(r.error)}`);
  return isPermanent(r.error) ? 'done' : 'retry';
}
