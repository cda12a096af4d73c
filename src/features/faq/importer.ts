import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIChatInputApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  MessageFlags,
  Routes,
} from 'discord-api-types/v10';
import { fetchAttachment } from '../../discord/attachments.ts';
import { encodeCustomId } from '../../discord/custom-id.ts';
import { type Handled, refused } from '../../discord/handled.ts';
import { invokerOf, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { localeOf, t as tr } from '../../i18n/index.ts';
import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { JobResult } from '../../runtime/outbox.ts';
import { FAQ_LIMITS } from './rules/entry.ts';
import { formatOf, type ImportFormat, parseImport } from './rules/import.ts';
import type { FaqStore, ImportRow } from './store.ts';
import { FAQ_FEATURE, importProblemText } from './views.ts';

export const IMPORT_JOB = 'faq-import';
export const ImportActions = { replace: 'imp-yes', cancel: 'imp-no' } as const;

/** The largest file read: 500 full entries in Markdown stay well under it, and the parsed entries fit one SQLite row. */
export const MAX_IMPORT_BYTES = 1_000_000;
/** How long a replace waits for confirmation; the interaction token that shows it lives 15 minutes. */
const CONFIRM_TTL_MS = 15 * 60_000;

interface ImportJob {
  id: string;
  token: string;
  url: string;
  size: number;
  filename: string;
  format: ImportFormat;
  mode: 'add' | 'replace';
  userId: string;
  locale: string | undefined;
}

/**
 * /faq import: the file is checked (type, size) on the interaction, then
 * downloaded and parsed in a durable job after a deferred answer (the CDN
 * may take longer than Discord's 3 seconds), and the answer edited in. A
 * file either imports whole or is refused with the entry or line that is
 * wrong; a replace asks for confirmation first. Each import is applied once,
 * whatever retries the job sees.
 */
export class FaqImporter {
  private readonly host: GuildHost;
  private readonly store: FaqStore;
  private readonly changed: () => void;

  constructor(host: GuildHost, store: FaqStore, changed: () => void) {
    this.host = host;
    this.store = store;
    this.changed = changed;
  }

  start(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
    const locale = localeOf(i);
    const att = i.data.resolved?.attachments?.[stringOption(call, 'file') ?? ''];
    if (!att) return refused('no-file', tr(locale, 'faq.import.bad-format'));
    const format = formatOf(att.filename, att.content_type);
    if (!format) return refused('bad-format', tr(locale, 'faq.import.bad-format'));
    if (att.size > MAX_IMPORT_BYTES) return refused('too-big', tr(locale, 'faq.import.too-big', { max: Math.round(MAX_IMPORT_BYTES / 1000) }));
    const job: ImportJob = {
      id: i.id,
      token: i.token,
      url: att.url,
      size: att.size,
      filename: att.filename,
      format,
      mode: stringOption(call, 'mode') === 'replace' ? 'replace' : 'add',
      userId: invokerOf(i).userId,
      locale,
    };
    this.host.enqueue(IMPORT_JOB, job, { lane: 'faq-import', dedupe: `faq-import:${i.id}` });
    this.host.kick();
    return {
      response: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } },
      outcome: 'ok',
      detail: `import ${job.mode} ${att.filename} (${att.size} bytes)`,
    };
  }

  async run(payload: unknown): Promise<JobResult> {
    const job = payload as ImportJob;
    let row = this.store.importRow(job.id);
    if (!row) {
      row = await this.read(job);
      this.store.saveImport(row);
    }
    return this.edit(job.token, row.reply ?? '', row.state === 'confirm' ? [this.confirmRow(job.id, job.locale)] : []);
  }

  /** Downloads, parses and (for add) applies: the row to keep, with what to tell the member. */
  private async read(job: ImportJob): Promise<ImportRow> {
    const t = (k: Parameters<typeof tr>[1], v?: Record<string, string | number>) => tr(job.locale, k, v);
    const row: ImportRow = {
      id: job.id,
      userId: job.userId,
      state: 'done',
      drafts: null,
      count: 0,
      filename: job.filename,
      reply: null,
      expiresAt: now() + CONFIRM_TTL_MS,
    };
    const got = await fetchAttachment({ url: job.url, size: job.size }, this.host.rest.apiBase, MAX_IMPORT_BYTES);
    if (!got.ok) {
      const e = got.error;
      row.reply =
        e.kind === 'too-large'
          ? t('faq.import.too-big', { max: Math.round(MAX_IMPORT_BYTES / 1000) })
          : t('faq.import.download-failed', { reason: e.kind === 'http' ? `HTTP ${e.status}` : e.kind });
      return row;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(got.value);
    } catch {
      row.reply = t('faq.import.not-text');
      return row;
    }
    const parsed = parseImport(job.format, text);
    if (!parsed.ok) {
      row.reply = importProblemText(parsed.error, job.locale);
      return row;
    }
    const drafts = parsed.value;
    const existing = this.store.count();
    if (job.mode === 'replace') {
      return {
        ...row,
        state: 'confirm',
        drafts,
        count: drafts.length,
        reply: t('faq.import.confirm', { old: existing, n: drafts.length, file: job.filename }),
      };
    }
    if (existing + drafts.length > FAQ_LIMITS.entries) {
      row.reply = t('faq.import.over-limit', { n: drafts.length, total: existing + drafts.length, max: FAQ_LIMITS.entries });
      return row;
    }
    this.store.addAll(drafts, job.userId, now());
    this.changed();
    return { ...row, count: drafts.length, reply: t('faq.import.added', { n: drafts.length, total: existing + drafts.length }) };
  }

  /** "Replace" / "Cancel" under a replace waiting for confirmation. */
  confirm(i: APIMessageComponentInteraction, importId: string, yes: boolean): Handled {
    const locale = localeOf(i);
    const row = this.store.importRow(importId);
    if (!row || row.state !== 'confirm' || !row.drafts || row.expiresAt < now()) return refused('gone', tr(locale, 'faq.import.gone'));
    if (row.userId !== invokerOf(i).userId) return refused('not-yours', tr(locale, 'faq.import.not-yours'));
    const update = (content: string, detail: string): Handled => ({
      response: { type: InteractionResponseType.UpdateMessage, data: { content, components: [] } },
      outcome: 'ok',
      detail,
    });
    if (!yes) {
      this.store.saveImport({ ...row, state: 'cancelled', drafts: null });
      return update(tr(locale, 'faq.import.cancelled'), 'import cancelled');
    }
    this.store.replaceAll(row.drafts, row.userId, now());
    this.store.saveImport({ ...row, state: 'done', drafts: null });
    this.changed();
    return update(tr(locale, 'faq.import.replaced', { n: row.count }), `replaced with ${row.count} entries`);
  }

  private confirmRow(importId: string, locale: string | undefined): APIActionRowComponent<APIButtonComponentWithCustomId> {
    const id = this.host.guildId;
    return {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          label: tr(locale, 'faq.button.replace'),
          custom_id: encodeCustomId({ feature: FAQ_FEATURE, action: ImportActions.replace, id, extra: importId }),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: tr(locale, 'faq.button.cancel'),
          custom_id: encodeCustomId({ feature: FAQ_FEATURE, action: ImportActions.cancel, id, extra: importId }),
        },
      ],
    };
  }

  private async edit(token: string, content: string, components: APIActionRowComponent<APIButtonComponentWithCustomId>[]): Promise<JobResult> {
    const r = await this.host.rest.patch(Routes.webhookMessage(this.host.config.applicationId, token, '@original'), {
      body: { content, components, allowed_mentions: { parse: [] } },
    });
    // A dead token (after 15 minutes) or another 4xx will not heal by retrying; the import itself is already kept.
    return r.ok || (r.error.kind === 'discord' && r.error.status < 500 && r.error.status !== 429) ? 'done' : 'retry';
  }
}
