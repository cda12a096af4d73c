import { type APIMessage, type RESTPostAPIChannelMessagesThreadsJSONBody, Routes, ThreadAutoArchiveDuration } from 'discord-api-types/v10';
import type { RestError } from '../../discord/rest.ts';
import { sendDm } from '../../features/moderation/actions.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import { isAttendanceRewarder } from './attendance.ts';
import { ScheduledEventSync } from './discord-sync.ts';
import { reminderSchedule } from './rules/reminders.ts';
import type { EventSeries, EventsStore, Occurrence } from './store.ts';
import { eventPost, REACTIONS } from './views.ts';

export const EVENTS_TIMERS = { reminder: 'events-reminder', start: 'events-start', end: 'events-end' } as const;
export const EVENTS_JOBS = { post: 'events-post', notify: 'events-notify', sync: 'events-sync', extras: 'events-post-extras' } as const;

const reminderKey = (id: number) => `ev-rem:${id}`;
const startKey = (id: number) => `ev-start:${id}`;
const endKey = (id: number) => `ev-end:${id}`;
/** How far ahead a series is searched for its next occurrence not cancelled (a daily series with a year of cancellations). */
const SEARCH = 400;
/** Discord: the member takes no DMs from the bot (or shares no server with it). */
const CANNOT_DM = 50007;

/** A new post's reactions and thread. */
type Extras = { channelId: string; messageId: string; title: string };

type Notify =
  | { kind: 'reminder'; id: number; n: number; offset: number; userId: string | null }
  | { kind: 'promoted'; id: number; n: number; userId: string }
  | { kind: 'cancelled'; id: number; n: number; userId: string };

/**
 * The events' life on the guild actor's alarm. Each series has at most two
 * keyed timers: its next reminder and the start of its current occurrence.
 * A timer claims what it does in storage before queueing the sending (a
 * durable job per member, retried on failure), so a timer run twice, or
 * again after an eviction, sends nothing twice.
 */
export class EventRunner {
  private readonly host: GuildHost;
  private readonly store: EventsStore;

  private readonly discord: ScheduledEventSync;
  /** Changes asked of each post (`id.n`) since this actor started: how a running edit learns it is already stale. */
  private readonly changes = new Map<string, number>();

  constructor(host: GuildHost, store: EventsStore) {
    this.host = host;
    this.store = store;
    this.discord = new ScheduledEventSync(host, store, (s) => this.current(s));
  }

  /** Brings the series' event in Discord's own events list up to date (after a create, edit, cancel, start or end). */
  sync(id: number): void {
    this.host.enqueue(EVENTS_JOBS.sync, { id }, { lane: `ev-sync-${id}` });
    this.host.kick();
  }

  /** The occurrence the series is about now: the first one not cancelled and not yet started, from its current one on. */
  current(s: EventSeries): Occurrence | null {
    if (s.cancelled) return null;
    for (let n = s.currentN; n < s.currentN + SEARCH; n++) {
      const o = this.store.occurrence(s, n);
      const row = this.store.occurrenceRow(s.id, n);
      if (!o.cancelled && !row?.started) return o;
      if (s.repeat === 'none') return null;
    }
    return null;
  }

  /** Sets the series' timers for its current occurrence (after a create, an edit, a cancel, a start). */
  arm(id: number): void {
    const s = this.store.series(id);
    const o = s ? this.current(s) : null;
    if (!s || !o) {
      this.host.timers.cancel(reminderKey(id));
      this.host.timers.cancel(startKey(id));
      return;
    }
    if (o.n !== s.currentN) this.store.setCurrent(s.id, o.n);
    this.host.timers.set(startKey(id), EVENTS_TIMERS.start, o.start, { id, n: o.n });
    const next = reminderSchedule(o.start, this.store.settings().offsets, now() - 1).find(
      (r) => !this.store.reminderSent(id, o.n, r.offset) && r.at >= now() - 60_000,
    );
    if (next) this.host.timers.set(reminderKey(id), EVENTS_TIMERS.reminder, next.at, { id, n: o.n, offset: next.offset });
    else this.host.timers.cancel(reminderKey(id));
  }

  /** Posts, or edits in place, an occurrence's message. */
  repost(id: number, n: number): void {
    const key = `${id}.${n}`;
    this.changes.set(key, (this.changes.get(key) ?? 0) + 1);
    // At most one edit waits per post: a burst of answers becomes one edit of the latest state.
    this.host.enqueue(EVENTS_JOBS.post, { id, n }, { lane: `ev-post-${id}`, dedupe: `ev-post:${key}` });
    this.host.kick();
  }

  notify(payload: Notify): void {
    this.host.enqueue(EVENTS_JOBS.notify, payload, {
      lane: `ev-notify-${payload.id}`,
      dedupe: `ev-notify:${payload.kind}:${payload.id}:${payload.n}:${'offset' in payload ? payload.offset : ''}:${payload.userId ?? '*'}`,
    });
    this.host.kick();
  }

  onTimer(t: Timer<string>): TimerResult {
    const { id, n, offset } = t.payload as { id: number; n: number; offset?: number };
    const s = this.store.series(id);
    if (!s) return 'done';
    const o = this.store.occurrence(s, n);
    if (t.kind === EVENTS_TIMERS.reminder && offset !== undefined) {
      if (!o.cancelled && this.store.claimReminder(id, n, offset, now())) {
        if (this.store.settings().reminderMode === 'channel') this.notify({ kind: 'reminder', id, n, offset, userId: null });
        else for (const r of this.store.rsvps(id, n)) if (r.status === 'going') this.notify({ kind: 'reminder', id, n, offset, userId: r.userId });
      }
      this.arm(id);
      return 'done';
    }
    if (t.kind === EVENTS_TIMERS.start) {
      if (this.store.claimStart(id, n)) {
        const going = this.store.rsvps(id, n).filter((r) => r.status === 'going');
        const attended = going.map((r) => r.userId);
        this.store.markAttended(id, n, attended, now());
        if (attended.length > 0) this.host.peer(isAttendanceRewarder)?.rewardAttendance(attended, `event #${id} (${o.title})`);
        this.arm(id);
        const next = this.store.series(id)!;
        const after = this.current(next);
        if (after && after.n !== n) this.repost(id, after.n);
        this.host.timers.set(endKey(id), EVENTS_TIMERS.end, o.end, { id, n });
        this.sync(id);
      } else this.arm(id);
    }
    if (t.kind === EVENTS_TIMERS.end) this.sync(id);
    return 'done';
  }

  async runJob(job: Job<string>): Promise<JobResult> {
    if (job.kind === EVENTS_JOBS.post) return this.post(job.payload as { id: number; n: number });
    if (job.kind === EVENTS_JOBS.notify) return this.send(job.payload as Notify);
    if (job.kind === EVENTS_JOBS.sync) return this.discord.run((job.payload as { id: number }).id);
    if (job.kind === EVENTS_JOBS.extras) return this.extras(job.payload as Extras);
    return 'done';
  }

  /**
   * Posts or edits until the post shows the latest answers. A change made
   * while an edit is in flight finds that job still queued (so no new one
   * is), and is picked up here by another round; a few rounds at most, then
   * a retry later. (After an eviction the job runs again from the outbox and
   * renders what is stored, so the in-memory count needs no storage.)
   */
  private async post(p: { id: number; n: number }): Promise<JobResult> {
    const key = `${p.id}.${p.n}`;
    for (let round = 0; round < 5; round++) {
      const seen = this.changes.get(key) ?? 0;
      const r = await this.postOnce(p);
      if (r !== 'done' || (this.changes.get(key) ?? 0) === seen) return r;
    }
    return 'retry';
  }

  private async postOnce({ id, n }: { id: number; n: number }): Promise<JobResult> {
    const s = this.store.series(id);
    if (!s) return 'done';
    const o = this.store.occurrence(s, n);
    const interested = s.scheduledEventId !== null && s.scheduledN === n ? (s.scheduledInterested ?? 0) : null;
    const body = eventPost(this.host.guildId, o, this.store.rsvps(id, n), interested, guildLocale(this.host.sql));
    if (o.messageId) {
      const r = await this.host.rest.patch<APIMessage>(Routes.channelMessage(s.channelId, o.messageId), { body });
      // The post was deleted: nothing left to keep up to date.
      if (!r.ok && r.error.kind === 'discord' && r.error.status === 404) return 'done';
      return r.ok ? 'done' : 'retry';
    }
    if (o.cancelled) return 'done';
    const r = await this.host.rest.post<APIMessage>(Routes.channelMessages(s.channelId), { body });
    if (!r.ok) return r.error.kind === 'discord' && r.error.status < 500 && r.error.status !== 429 ? 'done' : 'retry';
    this.store.setMessage(id, n, r.value.id);
    this.host.enqueue(EVENTS_JOBS.extras, { channelId: s.channelId, messageId: r.value.id, title: o.title } satisfies Extras, { lane: `ev-extras-${id}` });
    return 'done';
  }

  /**
   * What a new post gets after it is up: the answer reactions in order
   * (members who prefer reacting find them there), then its thread, where
   * reminders by mention go. Adding either again changes nothing (a thread
   * started from a message has the message's id, and a second one is
   * refused with 160004), so a retry starts over. Without Add Reactions or
   * Create Public Threads the post still works: a refusal ends it quietly.
   */
  private async extras(p: Extras): Promise<JobResult> {
    const refused = (e: RestError) => e.kind === 'discord' && e.status < 500 && e.status !== 429;
    for (const emoji of Object.values(REACTIONS)) {
      const r = await this.host.rest.put(Routes.channelMessageOwnReaction(p.channelId, p.messageId, encodeURIComponent(emoji)));
      if (!r.ok && !refused(r.error)) return 'retry';
      if (!r.ok) break;
    }
    const body: RESTPostAPIChannelMessagesThreadsJSONBody = { name: p.title.slice(0, 100), auto_archive_duration: ThreadAutoArchiveDuration.OneWeek };
    const t = await this.host.rest.post(Routes.threads(p.channelId, p.messageId), { body });
    return !t.ok && !refused(t.error) ? 'retry' : 'done';
  }

  private async send(p: Notify): Promise<JobResult> {
    const s = this.store.series(p.id);
    if (!s) return 'done';
    const o = this.store.occurrence(s, p.n);
    const locale = guildLocale(this.host.sql);
    const values = { title: o.title, start: Math.floor(o.start / 1000), id: s.id };
    if (p.kind === 'reminder' && p.userId === null) {
      const going = this.store.rsvps(p.id, p.n).filter((r) => r.status === 'going');
      if (going.length === 0) return 'done';
      const content = `${going.map((r) => `<@${r.userId}>`).join(' ')} ${tr(locale, 'ev.remind.channel', values)}`;
      const body = { content: content.slice(0, 2000), allowed_mentions: { users: going.map((x) => x.userId).slice(0, 100) } };
      // In the post's thread (its id is the post's); in the channel, as a reply to the post, when there is none or it is locked.
      if (o.messageId) {
        const inThread = await this.host.rest.post<APIMessage>(Routes.channelMessages(o.messageId), { body });
        if (inThread.ok) return 'done';
        if (inThread.error.kind !== 'discord' || inThread.error.status >= 500 || inThread.error.status === 429) return 'retry';
      }
      const r = await this.host.rest.post<APIMessage>(Routes.channelMessages(s.channelId), {
        body: { ...body, ...(o.messageId ? { message_reference: { message_id: o.messageId, fail_if_not_exists: false } } : {}) },
      });
      return r.ok ? 'done' : 'retry';
    }
    // A member who changed their answer since is not reminded.
    if (p.kind === 'reminder' && this.store.rsvps(p.id, p.n).find((r) => r.userId === p.userId)?.status !== 'going') return 'done';
    const key = p.kind === 'reminder' ? 'ev.remind.dm' : p.kind === 'promoted' ? 'ev.promoted.dm' : 'ev.cancelled.dm';
    const r = await sendDm(this.host.rest, p.userId!, { content: tr(locale, key, values), allowed_mentions: { parse: [] } });
    if (!r.ok && r.error.kind === 'discord' && (r.error.code === CANNOT_DM || r.error.status === 403)) return 'done';
    return r.ok ? 'done' : 'retry';
  }
}
