import type { Migration } from '../../runtime/migrations.ts';
import { occurrenceStart, type Repeat, type Series } from './rules/recurrence.ts';
import type { Rsvp, RsvpStatus } from './rules/rsvp.ts';

export const EVENTS_MIGRATIONS: readonly Migration[] = [
  {
    name: 'events-schema',
    sql: `CREATE TABLE event_series (id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
      description TEXT NOT NULL, first_start INTEGER NOT NULL, duration_min INTEGER NOT NULL, zone TEXT NOT NULL, repeat TEXT NOT NULL,
      capacity INTEGER, location_channel TEXT, location_text TEXT, channel_id TEXT NOT NULL, creator_id TEXT NOT NULL,
      created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, sequence INTEGER NOT NULL DEFAULT 0, cancelled INTEGER NOT NULL DEFAULT 0,
      current_n INTEGER NOT NULL DEFAULT 0, scheduled_event_id TEXT, scheduled_n INTEGER);
    CREATE TABLE event_occurrences (series_id INTEGER NOT NULL, n INTEGER NOT NULL, start_at INTEGER, title TEXT, description TEXT,
      duration_min INTEGER, cancelled INTEGER NOT NULL DEFAULT 0, message_id TEXT, started INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (series_id, n));
    CREATE TABLE event_rsvps (series_id INTEGER NOT NULL, n INTEGER NOT NULL, user_id TEXT NOT NULL, status TEXT NOT NULL,
      seq INTEGER NOT NULL, PRIMARY KEY (series_id, n, user_id));
    CREATE TABLE event_attended (series_id INTEGER NOT NULL, n INTEGER NOT NULL, user_id TEXT NOT NULL, at INTEGER NOT NULL,
      PRIMARY KEY (series_id, n, user_id));
    CREATE TABLE event_reminders_sent (series_id INTEGER NOT NULL, n INTEGER NOT NULL, offset_min INTEGER NOT NULL, at INTEGER NOT NULL,
      PRIMARY KEY (series_id, n, offset_min));
    CREATE TABLE event_member_zones (user_id TEXT PRIMARY KEY, zone TEXT NOT NULL);
    CREATE TABLE event_settings (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    CREATE TABLE event_drafts (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, data TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE TABLE event_seq (k TEXT PRIMARY KEY, v INTEGER NOT NULL);`,
  },
  {
    // Discord's own event for the series: how many members marked it "interested" there.
    name: 'events-discord-interest',
    sql: `ALTER TABLE event_series ADD COLUMN scheduled_interested INTEGER;
    CREATE INDEX event_series_scheduled ON event_series(scheduled_event_id);`,
  },
];

export interface EventSeries extends Series {
  id: number;
  uid: string;
  title: string;
  description: string;
  durationMin: number;
  capacity: number | null;
  locationChannel: string | null;
  locationText: string | null;
  channelId: string;
  creatorId: string;
  createdAt: number;
  updatedAt: number;
  sequence: number;
  cancelled: boolean;
  /** The occurrence the post, reminders and Discord's scheduled event are about now. */
  currentN: number;
  /** Discord's Guild Scheduled Event mirroring occurrence `scheduledN` (null id with a number: staff deleted it there, so it is not made again). */
  scheduledEventId: string | null;
  scheduledN: number | null;
  /** Members interested in it on Discord, as last counted. */
  scheduledInterested: number | null;
}

/** An occurrence's own state: changes made to it alone, its cancellation and its post. */
export interface OccurrenceRow {
  seriesId: number;
  n: number;
  startAt: number | null;
  title: string | null;
  description: string | null;
  durationMin: number | null;
  cancelled: boolean;
  messageId: string | null;
  started: boolean;
}

/** One occurrence as members see it: the series with the occurrence's own changes applied. */
export interface Occurrence {
  series: EventSeries;
  n: number;
  /** When the series' rule puts it (its RECURRENCE-ID), and when it really starts (after an edit of it alone). */
  slot: number;
  start: number;
  end: number;
  title: string;
  description: string;
  cancelled: boolean;
  edited: boolean;
  messageId: string | null;
}

/** What `/event create` asked before the form, kept until the form comes back. */
export interface Draft {
  capacity: number | null;
  locationChannel: string | null;
  locationText: string | null;
  repeat: Repeat;
  channelId: string;
  /** Set for an edit: the series, and the occurrence when only that one changes. */
  editOf?: { id: number; n: number | null };
}

export interface EventSettings {
  zone: string;
  offsets: number[];
  reminderMode: 'dm' | 'channel';
  feedToken: string | null;
  /** Why the last sync with Discord's events list failed, until one succeeds. */
  syncProblem: SyncProblem | null;
}

/** Discord refused to show an event in its events list: the bot lacks Manage Events, or Discord found the event invalid. */
export type SyncProblem = 'no-permission' | 'refused';

type SeriesSql = {
  id: number;
  uid: string;
  title: string;
  description: string;
  first_start: number;
  duration_min: number;
  zone: string;
  repeat: string;
  capacity: number | null;
  location_channel: string | null;
  location_text: string | null;
  channel_id: string;
  creator_id: string;
  created_at: number;
  updated_at: number;
  sequence: number;
  cancelled: number;
  current_n: number;
  scheduled_event_id: string | null;
  scheduled_n: number | null;
  scheduled_interested: number | null;
};

const toSeries = (r: SeriesSql): EventSeries => ({
  id: r.id,
  uid: r.uid,
  title: r.title,
  description: r.description,
  firstStart: r.first_start,
  durationMin: r.duration_min,
  zone: r.zone,
  repeat: r.repeat as Repeat,
  capacity: r.capacity,
  locationChannel: r.location_channel,
  locationText: r.location_text,
  channelId: r.channel_id,
  creatorId: r.creator_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  sequence: r.sequence,
  cancelled: r.cancelled === 1,
  currentN: r.current_n,
  scheduledEventId: r.scheduled_event_id,
  scheduledN: r.scheduled_n,
  scheduledInterested: r.scheduled_interested,
});

/** The events feature's tables in the guild actor's SQLite. */
export class EventsStore {
  private readonly sql: SqlStorage;
  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  // ---- series ----

  createSeries(
    s: Omit<EventSeries, 'id' | 'sequence' | 'cancelled' | 'currentN' | 'scheduledEventId' | 'scheduledN' | 'scheduledInterested' | 'updatedAt'>,
  ): EventSeries {
    const row = this.sql
      .exec<{ id: number }>(
        `INSERT INTO event_series (uid, title, description, first_start, duration_min, zone, repeat, capacity, location_channel, location_text,
          channel_id, creator_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        s.uid,
        s.title,
        s.description,
        s.firstStart,
        s.durationMin,
        s.zone,
        s.repeat,
        s.capacity,
        s.locationChannel,
        s.locationText,
        s.channelId,
        s.creatorId,
        s.createdAt,
        s.createdAt,
      )
      .one();
    return this.series(row.id)!;
  }

  series(id: number): EventSeries | null {
    const r = this.sql.exec<SeriesSql>(`SELECT * FROM event_series WHERE id = ?`, id).toArray()[0];
    return r ? toSeries(r) : null;
  }

  /** Every series, the newest first; `live` only those not cancelled. */
  allSeries(live = false): EventSeries[] {
    return this.sql
      .exec<SeriesSql>(`SELECT * FROM event_series ${live ? 'WHERE cancelled = 0' : ''} ORDER BY id DESC`)
      .toArray()
      .map(toSeries);
  }

  updateSeries(id: number, at: number, patch: Partial<Pick<EventSeries, 'title' | 'description' | 'firstStart' | 'durationMin'>>): void {
    const s = this.series(id);
    if (!s) return;
    this.sql.exec(
      `UPDATE event_series SET title = ?, description = ?, first_start = ?, duration_min = ?, updated_at = ?, sequence = sequence + 1 WHERE id = ?`,
      patch.title ?? s.title,
      patch.description ?? s.description,
      patch.firstStart ?? s.firstStart,
      patch.durationMin ?? s.durationMin,
      at,
      id,
    );
  }

  cancelSeries(id: number, at: number): void {
    this.sql.exec(`UPDATE event_series SET cancelled = 1, updated_at = ?, sequence = sequence + 1 WHERE id = ?`, at, id);
  }

  setCurrent(id: number, n: number): void {
    this.sql.exec(`UPDATE event_series SET current_n = ? WHERE id = ?`, n, id);
  }

  setScheduledEvent(id: number, eventId: string | null, n: number | null): void {
    this.sql.exec(`UPDATE event_series SET scheduled_event_id = ?, scheduled_n = ?, scheduled_interested = NULL WHERE id = ?`, eventId, n, id);
  }

  /** The series mirrored by Discord's event `eventId`. */
  byScheduledEvent(eventId: string): EventSeries | null {
    const r = this.sql.exec<SeriesSql>(`SELECT * FROM event_series WHERE scheduled_event_id = ?`, eventId).toArray()[0];
    return r ? toSeries(r) : null;
  }

  /** Sets the interested count (Discord's own count), or moves it by one as members (un)mark it between counts. */
  setInterested(id: number, count: number | { delta: 1 | -1 }): void {
    if (typeof count === 'number') this.sql.exec(`UPDATE event_series SET scheduled_interested = ? WHERE id = ?`, count, id);
    else this.sql.exec(`UPDATE event_series SET scheduled_interested = MAX(0, COALESCE(scheduled_interested, 0) + ?) WHERE id = ?`, count.delta, id);
  }

  // ---- occurrences ----

  occurrenceRow(id: number, n: number): OccurrenceRow | null {
    const r = this.sql
      .exec<{
        series_id: number;
        n: number;
        start_at: number | null;
        title: string | null;
        description: string | null;
        duration_min: number | null;
        cancelled: number;
        message_id: string | null;
        started: number;
      }>(`SELECT * FROM event_occurrences WHERE series_id = ? AND n = ?`, id, n)
      .toArray()[0];
    return r
      ? {
          seriesId: r.series_id,
          n: r.n,
          startAt: r.start_at,
          title: r.title,
          description: r.description,
          durationMin: r.duration_min,
          cancelled: r.cancelled === 1,
          messageId: r.message_id,
          started: r.started === 1,
        }
      : null;
  }

  /** Occurrences with state of their own (edited, cancelled, posted), in order. */
  occurrenceRows(id: number): OccurrenceRow[] {
    return this.sql
      .exec<{ n: number }>(`SELECT n FROM event_occurrences WHERE series_id = ? ORDER BY n`, id)
      .toArray()
      .map((r) => this.occurrenceRow(id, r.n)!);
  }

  private ensureOccurrence(id: number, n: number): void {
    this.sql.exec(`INSERT INTO event_occurrences (series_id, n) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, n);
  }

  editOccurrence(id: number, n: number, patch: { startAt?: number; title?: string; description?: string; durationMin?: number }): void {
    this.ensureOccurrence(id, n);
    const o = this.occurrenceRow(id, n)!;
    this.sql.exec(
      `UPDATE event_occurrences SET start_at = ?, title = ?, description = ?, duration_min = ? WHERE series_id = ? AND n = ?`,
      patch.startAt ?? o.startAt,
      patch.title ?? o.title,
      patch.description ?? o.description,
      patch.durationMin ?? o.durationMin,
      id,
      n,
    );
    this.sql.exec(`UPDATE event_series SET sequence = sequence + 1 WHERE id = ?`, id);
  }

  cancelOccurrence(id: number, n: number, at: number): void {
    this.ensureOccurrence(id, n);
    this.sql.exec(`UPDATE event_occurrences SET cancelled = 1 WHERE series_id = ? AND n = ?`, id, n);
    this.sql.exec(`UPDATE event_series SET sequence = sequence + 1, updated_at = ? WHERE id = ?`, at, id);
  }

  setMessage(id: number, n: number, messageId: string): void {
    this.ensureOccurrence(id, n);
    this.sql.exec(`UPDATE event_occurrences SET message_id = ? WHERE series_id = ? AND n = ?`, messageId, id, n);
  }

  /** Marks the occurrence started; false when it already was (a timer run twice). */
  claimStart(id: number, n: number): boolean {
    this.ensureOccurrence(id, n);
    return this.sql.exec(`UPDATE event_occurrences SET started = 1 WHERE series_id = ? AND n = ? AND started = 0`, id, n).rowsWritten > 0;
  }

  cancelledNs(id: number): Set<number> {
    return new Set(
      this.sql
        .exec<{ n: number }>(`SELECT n FROM event_occurrences WHERE series_id = ? AND cancelled = 1`, id)
        .toArray()
        .map((r) => r.n),
    );
  }

  /** Occurrence `n` of a series as members see it. */
  occurrence(s: EventSeries, n: number): Occurrence {
    const o = this.occurrenceRow(s.id, n);
    const slot = occurrenceStart(s, n);
    const start = o?.startAt ?? slot;
    return {
      series: s,
      n,
      slot,
      start,
      end: start + (o?.durationMin ?? s.durationMin) * 60_000,
      title: o?.title ?? s.title,
      description: o?.description ?? s.description,
      cancelled: s.cancelled || (o?.cancelled ?? false),
      edited: o !== null && (o.startAt !== null || o.title !== null || o.description !== null || o.durationMin !== null),
      messageId: o?.messageId ?? null,
    };
  }

  // ---- RSVPs ----

  rsvps(id: number, n: number): Rsvp[] {
    return this.sql
      .exec<{ user_id: string; status: string; seq: number }>(`SELECT user_id, status, seq FROM event_rsvps WHERE series_id = ? AND n = ? ORDER BY seq`, id, n)
      .toArray()
      .map((r) => ({ userId: r.user_id, status: r.status as RsvpStatus, seq: r.seq }));
  }

  /** Replaces an occurrence's answers with the state machine's result. */
  saveRsvps(id: number, n: number, rsvps: readonly Rsvp[]): void {
    this.sql.exec(`DELETE FROM event_rsvps WHERE series_id = ? AND n = ?`, id, n);
    for (const r of rsvps)
      this.sql.exec(`INSERT INTO event_rsvps (series_id, n, user_id, status, seq) VALUES (?, ?, ?, ?, ?)`, id, n, r.userId, r.status, r.seq);
  }

  /** An ever-growing number, for the order of answers. */
  nextSeq(): number {
    return this.sql.exec<{ v: number }>(`INSERT INTO event_seq (k, v) VALUES ('rsvp', 1) ON CONFLICT(k) DO UPDATE SET v = v + 1 RETURNING v`).one().v;
  }

  // ---- attendance and reminders ----

  /** Records who attended an occurrence (those Going when it started), for participation rewards. */
  markAttended(id: number, n: number, userIds: readonly string[], at: number): void {
    for (const u of userIds) this.sql.exec(`INSERT INTO event_attended (series_id, n, user_id, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, id, n, u, at);
  }

  /** Who attended: of one occurrence, or every attendance of a member (for levels). */
  attended(filter: { id: number; n: number } | { userId: string }): { seriesId: number; n: number; userId: string; at: number }[] {
    const rows =
      'userId' in filter
        ? this.sql.exec<{ series_id: number; n: number; user_id: string; at: number }>(
            `SELECT * FROM event_attended WHERE user_id = ? ORDER BY at`,
            filter.userId,
          )
        : this.sql.exec<{ series_id: number; n: number; user_id: string; at: number }>(
            `SELECT * FROM event_attended WHERE series_id = ? AND n = ? ORDER BY user_id`,
            filter.id,
            filter.n,
          );
    return rows.toArray().map((r) => ({ seriesId: r.series_id, n: r.n, userId: r.user_id, at: r.at }));
  }

  /** Claims a reminder; false when it was already sent (a timer run twice). */
  claimReminder(id: number, n: number, offset: number, at: number): boolean {
    return (
      this.sql.exec(`INSERT INTO event_reminders_sent (series_id, n, offset_min, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, id, n, offset, at)
        .rowsWritten > 0
    );
  }

  reminderSent(id: number, n: number, offset: number): boolean {
    return this.sql.exec(`SELECT 1 FROM event_reminders_sent WHERE series_id = ? AND n = ? AND offset_min = ?`, id, n, offset).toArray().length > 0;
  }

  /** The series and occurrence a post belongs to (reactions arrive by message id). */
  byMessage(messageId: string): { id: number; n: number } | null {
    const r = this.sql.exec<{ series_id: number; n: number }>(`SELECT series_id, n FROM event_occurrences WHERE message_id = ?`, messageId).toArray()[0];
    return r ? { id: r.series_id, n: r.n } : null;
  }

  // ---- settings, zones, drafts ----

  settings(): EventSettings {
    const kv = new Map(
      this.sql
        .exec<{ k: string; v: string }>(`SELECT k, v FROM event_settings`)
        .toArray()
        .map((r) => [r.k, r.v]),
    );
    return {
      zone: kv.get('zone') ?? 'UTC',
      offsets: kv.has('offsets') ? (JSON.parse(kv.get('offsets')!) as number[]) : [15],
      reminderMode: kv.get('reminder_mode') === 'channel' ? 'channel' : 'dm',
      feedToken: kv.get('feed_token') ?? null,
      syncProblem: (kv.get('sync_problem') as SyncProblem | undefined) ?? null,
    };
  }

  setSetting(k: 'zone' | 'offsets' | 'reminder_mode' | 'feed_token' | 'sync_problem', v: string): void {
    this.sql.exec(`INSERT INTO event_settings (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, k, v);
  }
  clearSetting(k: 'sync_problem'): void {
    this.sql.exec(`DELETE FROM event_settings WHERE k = ?`, k);
  }

  memberZone(userId: string): string | null {
    return this.sql.exec<{ zone: string }>(`SELECT zone FROM event_member_zones WHERE user_id = ?`, userId).toArray()[0]?.zone ?? null;
  }

  setMemberZone(userId: string, zone: string): void {
    this.sql.exec(`INSERT INTO event_member_zones (user_id, zone) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET zone = excluded.zone`, userId, zone);
  }

  saveDraft(id: string, userId: string, d: Draft, at: number): void {
    this.sql.exec(`INSERT INTO event_drafts (id, user_id, data, created_at) VALUES (?, ?, ?, ?)`, id, userId, JSON.stringify(d), at);
  }

  /** The draft of `userId` (another member's form id gets nothing). */
  draft(id: string, userId: string): Draft | null {
    const r = this.sql.exec<{ data: string }>(`SELECT data FROM event_drafts WHERE id = ? AND user_id = ?`, id, userId).toArray()[0];
    return r ? (JSON.parse(r.data) as Draft) : null;
  }

  dropDraft(id: string): void {
    this.sql.exec(`DELETE FROM event_drafts WHERE id = ?`, id);
  }

  /** Forms never sent back are forgotten after a day. */
  sweep(at: number): void {
    this.sql.exec(`DELETE FROM event_drafts WHERE created_at < ?`, at - 86_400_000);
  }
}
