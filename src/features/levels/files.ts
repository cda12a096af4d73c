import { type APIAttachment, RESTJSONErrorCodes, Routes } from 'discord-api-types/v10';
import { avatarUrl } from '../../discord/api-base.ts';
import { fetchAttachment } from '../../discord/attachments.ts';
import { isPermanent, isUnknown } from '../../discord/errors.ts';
import { describeRestError, type UploadFile } from '../../discord/rest.ts';
import { t as tr } from '../../i18n/index.ts';
import type { GuildHost } from '../../platform/feature.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import { decodePng } from './avatar.ts';
import { renderCard } from './card.ts';
import { parseImport, toCsv } from './rules/csv.ts';
import { levelOf, progressOf } from './rules/curve.ts';
import type { LevelsStore } from './store.ts';

export const FILE_JOB = 'levels-file';

/** Avatars are asked for at 128 px; a PNG that size is tens of KB. */
const MAX_AVATAR_BYTES = 512 * 1024;
/** An import of 50,000 rows of "id,xp" is about 1.5 MB. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** Work on a deferred reply, finished by editing @original (Discord keeps the token valid for 15 minutes). */
export type FilePayload = { token: string; locale: string | undefined } & (
  | { kind: 'rank'; userId: string; name: string; avatar: string | null }
  | { kind: 'export'; format: 'csv' | 'json' }
  | { kind: 'import'; attachment: Pick<APIAttachment, 'url' | 'size' | 'filename'> }
);

/**
 * The replies that carry or read a file: the rank card (drawn here, with the
 * member's avatar from the CDN), the XP export, and a CSV import. Each is a
 * durable job behind a deferred answer, so drawing or downloading never
 * races Discord's 3-second window.
 */
export class LevelFiles {
  private readonly host: GuildHost;
  private readonly store: LevelsStore;
  /** What follows an import (reward roles); how many members it concerns. */
  private readonly imported: (rows: readonly { userId: string; xp: number }[]) => number;

  constructor(host: GuildHost, store: LevelsStore, imported: (rows: readonly { userId: string; xp: number }[]) => number) {
    this.host = host;
    this.store = store;
    this.imported = imported;
  }

  async run(job: Job<string>): Promise<JobResult> {
    const p = job.payload as FilePayload;
    switch (p.kind) {
      case 'rank':
        return this.rank(p);
      case 'export':
        return this.export(p);
      case 'import':
        return this.import(p);
    }
  }

  private async rank(p: FilePayload & { kind: 'rank' }): Promise<JobResult> {
    const curve = this.store.config().curve;
    const m = this.store.member(p.userId);
    const xp = m?.xp ?? 0;
    const progress = progressOf(curve, xp);
    const rank = this.store.rankOf(p.userId);
    const apiBase = this.host.rest.apiBase;
    const bytes = await fetchAttachment({ url: avatarUrl(apiBase, p.userId, p.avatar ?? m?.avatar ?? null, 128), size: 0 }, apiBase, MAX_AVATAR_BYTES);
    // Without its avatar the card still renders (the name's initial on a disc).
    const avatar = bytes.ok ? await decodePng(bytes.value) : null;
    const png = renderCard({ name: p.name, level: progress.level, rank, into: progress.into, needed: progress.needed, xp, avatar });
    const content = tr(p.locale, 'levels.rank.text', {
      user: p.userId,
      level: progress.level,
      xp,
      into: progress.into,
      needed: progress.needed,
      rank: rank ?? 0,
    });
    return this.edit(p.token, content, [{ name: 'rank.png', contentType: 'image/png', data: png }]);
  }

  private async export(p: FilePayload & { kind: 'export' }): Promise<JobResult> {
    const curve = this.store.config().curve;
    const rows = this.store.all().map((m) => ({ userId: m.userId, xp: m.xp, level: levelOf(curve, m.xp), messages: m.messages }));
    const text = p.format === 'csv' ? toCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`;
    const file: UploadFile = {
      name: `levels-${this.host.guildId}.${p.format}`,
      contentType: p.format === 'csv' ? 'text/csv' : 'application/json',
      data: new TextEncoder().encode(text),
    };
    return this.edit(p.token, tr(p.locale, 'levels.export.done', { n: rows.length }), [file]);
  }

  /** All or nothing: the whole file is read and checked before one synchronous write of every row. */
  private async import(p: FilePayload & { kind: 'import' }): Promise<JobResult> {
    const got = await fetchAttachment(p.attachment, this.host.rest.apiBase, MAX_IMPORT_BYTES);
    if (!got.ok) {
      if (got.error.kind === 'network') return 'retry';
      const reason =
        got.error.kind === 'too-large' ? `> ${MAX_IMPORT_BYTES / 1024 / 1024} MB` : got.error.kind === 'http' ? `HTTP ${got.error.status}` : got.error.kind;
      return this.edit(p.token, tr(p.locale, 'levels.import.fetch', { reason }));
    }
    const parsed = parseImport(new TextDecoder().decode(got.value));
    if (!parsed.ok) {
      const reason = tr(p.locale, `levels.import.reason.${parsed.error.reason}`);
      return this.edit(p.token, tr(p.locale, 'levels.import.bad', { line: parsed.error.line, reason }));
    }
    this.store.importXp(parsed.value);
    const roles = this.imported(parsed.value);
    const done = tr(p.locale, 'levels.import.done', { n: parsed.value.length });
    return this.edit(p.token, roles > 0 ? `${done}\n${tr(p.locale, 'levels.import.roles', { n: roles })}` : done);
  }

  private async edit(token: string, content: string, files?: UploadFile[]): Promise<JobResult> {
    const r = await this.host.rest.patch(Routes.webhookMessage(this.host.config.applicationId, token, '@original'), {
      body: { content, allowed_mentions: { parse: [] } },
      ...(files ? { files } : {}),
    });
    if (r.ok) return 'done';
    // The job starts as soon as the deferral is answered, which Discord may not have taken in yet: the message comes.
    if (isUnknown(r.error, RESTJSONErrorCodes.UnknownMessage)) return 'retry';
    console.error(`guild ${this.host.guildId}: levels: editing the deferred reply failed: ${describeRestError(r.error)}`);
    // An expired token (15 minutes) or a deleted message will not come back.
    return isPermanent(r.error) ? 'done' : 'retry';
  }
}
