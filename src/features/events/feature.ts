import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandOptionChoice,
  type APIChatInputApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  GatewayDispatchEvents,
  type GatewayGuildScheduledEventUserAddDispatchData,
  GatewayIntentBits,
  type GatewayMessageReactionAddDispatchData,
  InteractionResponseType,
  PermissionFlagsBits as P,
} from 'discord-api-types/v10';
import { focusedOf, matching } from '../../discord/autocomplete.ts';
import type { CustomId } from '../../discord/custom-id.ts';
import { ephemeral, type Handled, refused, reply } from '../../discord/handled.ts';
import { type Invoker, invokerOf, modalValues, numberOption, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { localeOf, type MessageKey, t as tr } from '../../i18n/index.ts';
import { COMMON_ZONES, isZone, localToUtc, zonedParts } from '../../lib/zoned-time.ts';
import type { DiagnosticSection, FeatureModule, GuildFeature, GuildHost, InteractionContext } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import { EVENTS_COMMANDS } from './commands.ts';
import { feedCalendar } from './ical.ts';
import { MAX_CAPACITY, MAX_SERIES } from './rules/limits.ts';
import { isRepeat, occurrencesFrom } from './rules/recurrence.ts';
import { answer, type RsvpChoice, type RsvpStatus } from './rules/rsvp.ts';
import { checkEventSettings, type EventSettingsChange } from './rules/settings.ts';
import { MAX_AHEAD_MS, parseDuration, parseStart } from './rules/when.ts';
import { EVENTS_JOBS, EVENTS_TIMERS, EventRunner } from './runner.ts';
import { type Draft, EVENTS_MIGRATIONS, type EventSeries, EventsStore } from './store.ts';
import { type Choice, EVENTS_FEATURE, EventActions, eventForm, FORM_FIELDS, REACTIONS } from './views.ts';

type Reply = (key: MessageKey, values?: Record<string, string | number>) => string;

const done = (content: string, detail = ''): Handled => ({ response: reply(ephemeral(content)), outcome: 'ok', detail });
const canManage = (inv: Invoker) => inv.permissions !== undefined && (BigInt(inv.permissions) & (P.Administrator | P.ManageEvents)) !== 0n;
const sec = (ms: number) => Math.floor(ms / 1000);
const pad = (n: number) => String(n).padStart(2, '0');
const CHOICES: readonly Choice[] = ['going', 'maybe', 'no'];

/** `2026-12-20 20:00` in the zone: how a start is shown in the form, and typed back. */
export function localText(at: number, zone: string): string {
  const p = zonedParts(at, zone);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}`;
}
const durationText = (min: number) => (min % 60 === 0 ? `${min / 60}h` : min > 60 ? `${Math.floor(min / 60)}h${min % 60}m` : `${min}m`);

/**
 * Community events in the guild actor: a series per event (one date, or
 * repeating), answers per occurrence with a waitlist, the post kept up to
 * date in place, reminders and starts on the actor's alarm (EventRunner),
 * and the guild's calendar feed.
 */
export class GuildEvents implements GuildFeature {
  private readonly host: GuildHost;
  readonly store: EventsStore;
  private readonly runner: EventRunner;

  constructor(host: GuildHost) {
    this.host = host;
    this.store = new EventsStore(host.sql);
    this.runner = new EventRunner(host, this.store);
  }

  command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall, ctx: InteractionContext): Handled {
    const inv = invokerOf(i);
    const locale = localeOf(i);
    const t: Reply = (k, v) => tr(locale, k, v);
    const sub = call.path.replace(/^event /, '');
    if (['create', 'edit', 'cancel', 'config'].includes(sub) && !canManage(inv)) return refused('not-manager', t('ev.refused.manage'));
    switch (sub) {
      case 'create':
        return this.openCreate(i, call, inv, t);
      case 'edit':
        return this.openEdit(i, call, inv, t);
      case 'cancel':
        return this.cancel(call, t);
      case 'list':
        return this.list(t);
      case 'feed':
        return this.feed(call, inv, ctx, t);
      case 'config':
        return this.config(call, t);
      case 'timezone': {
        const zone = (stringOption(call, 'zone') ?? '').trim();
        if (!isZone(zone)) return refused('bad-zone', t('ev.refused.zone'));
        this.store.setMemberZone(inv.userId, zone);
        return done(t('ev.timezone.set', { zone }), zone);
      }
    }
    return refused('unknown-command', t('ev.refused.unknown'));
  }

  modal(i: APIModalSubmitInteraction, cid: CustomId): Handled {
    const inv = invokerOf(i);
    const t: Reply = (k, v) => tr(localeOf(i), k, v);
    if (cid.action !== EventActions.form || !cid.extra) return refused('unknown-modal', t('ev.refused.unknown'));
    if (!canManage(inv)) return refused('not-manager', t('ev.refused.manage'));
    const draft = this.store.draft(cid.extra, inv.userId);
    if (!draft) return refused('form-expired', t('ev.refused.form-expired'));
    const v = modalValues(i);
    const title = (v.get(FORM_FIELDS.title) ?? '').trim();
    const description = (v.get(FORM_FIELDS.description) ?? '').trim();
    if (!title) return refused('no-title', t('ev.refused.title'));
    const zone = this.zoneOf(inv.userId);
    const start = parseStart(v.get(FORM_FIELDS.start) ?? '', zone, now());
    if (!start.ok) return refused(`start-${start.error}`, t(`ev.refused.start-${start.error}`, { zone }));
    if (start.value <= now()) return refused('start-past', t('ev.refused.start-past', { start: sec(start.value) }));
    if (start.value > now() + MAX_AHEAD_MS) return refused('start-far', t('ev.refused.start-far'));
    const duration = parseDuration(v.get(FORM_FIELDS.duration) ?? '');
    if (!duration.ok) return refused('bad-duration', t('ev.refused.duration'));
    this.store.dropDraft(cid.extra);
    if (draft.editOf) return this.applyEdit(draft.editOf, { title, description, start: start.value, durationMin: duration.value }, t);
    const s = this.store.createSeries({
      uid: `${crypto.randomUUID()}@guildkeep`,
      title,
      description,
      firstStart: start.value,
      durationMin: duration.value,
      zone,
      repeat: draft.repeat,
      capacity: draft.capacity,
      locationChannel: draft.locationChannel,
      locationText: draft.locationText,
      channelId: draft.channelId,
      creatorId: inv.userId,
      createdAt: now(),
    });
    this.runner.arm(s.id);
    this.runner.repost(s.id, 0);
    this.runner.sync(s.id);
    return done(t('ev.created', { id: s.id, title, channel: s.channelId, start: sec(start.value), zone }), `event #${s.id} created`);
  }

  component(i: APIMessageComponentInteraction, cid: CustomId): Handled {
    const inv = invokerOf(i);
    const t: Reply = (k, v) => tr(localeOf(i), k, v);
    const m = /^(\d+)\.(\d+)\.(going|maybe|no)$/.exec(cid.extra ?? '');
    if (cid.action !== EventActions.rsvp || !m) return refused('unknown-button', t('ev.refused.unknown'));
    const r = this.rsvp(Number(m[1]), Number(m[2]), inv.userId, m[3] as Choice);
    if (!r.ok) return refused(r.code, t(`ev.refused.${r.code}`));
    return done(t(`ev.rsvp.${r.now}`, { title: r.title, position: r.position }), `event #${m[1]}.${m[2]}: ${r.now}`);
  }

  autocomplete(i: APIApplicationCommandAutocompleteInteraction): APIApplicationCommandOptionChoice[] {
    const f = focusedOf(i);
    if (!f) return [];
    if (f.name === 'zone' || f.name === 'timezone')
      return matching(
        f.typed,
        COMMON_ZONES.map((z) => ({ name: z, value: z })),
      );
    if (f.name === 'event')
      return matching(
        f.typed,
        this.store.allSeries(true).map((s) => ({ name: `#${s.id} ${s.title}`, value: String(s.id) })),
      );
    if (f.name === 'occurrence') {
      const s = this.store.series(Number(f.options.get('event')));
      if (!s || s.cancelled || s.repeat === 'none') return [];
      const from = this.runner.current(s)?.slot ?? now();
      return matching(
        f.typed,
        occurrencesFrom(s, from, 25, this.store.cancelledNs(s.id)).map((o) => ({ name: `${localText(o.start, s.zone)} (${s.zone})`, value: String(o.n) })),
      );
    }
    return [];
  }

  onEvent(e: GatewayEvent): void {
    if (e.t === GatewayDispatchEvents.GuildScheduledEventUserAdd || e.t === GatewayDispatchEvents.GuildScheduledEventUserRemove) {
      const d = e.d as GatewayGuildScheduledEventUserAddDispatchData;
      const s = this.store.byScheduledEvent(d.guild_scheduled_event_id);
      if (!s || s.scheduledN === null) return;
      this.store.setInterested(s.id, { delta: e.t === GatewayDispatchEvents.GuildScheduledEventUserAdd ? 1 : -1 });
      this.runner.repost(s.id, s.scheduledN);
      return;
    }
    if (e.t === GatewayDispatchEvents.GuildScheduledEventDelete) {
      // Deleted by staff in Discord: not made again for this occurrence (the post loses its "interested" count).
      const s = this.store.byScheduledEvent((e.d as { id: string }).id);
      if (!s || s.scheduledN === null) return;
      this.store.setScheduledEvent(s.id, null, s.scheduledN);
      this.runner.repost(s.id, s.scheduledN);
      return;
    }
    if (e.t !== GatewayDispatchEvents.MessageReactionAdd && e.t !== GatewayDispatchEvents.MessageReactionRemove) return;
    const d = e.d as GatewayMessageReactionAddDispatchData;
    // The bot's own reactions (the answer choices it offers) are no answers.
    if (d.user_id === this.host.config.applicationId || d.member?.user?.bot) return;
    const choice = CHOICES.find((c) => REACTIONS[c] === d.emoji?.name);
    const at = choice ? this.store.byMessage(d.message_id) : null;
    if (!choice || !at) return;
    if (e.t === GatewayDispatchEvents.MessageReactionAdd) this.rsvp(at.id, at.n, d.user_id, choice);
    else if (this.store.rsvps(at.id, at.n).find((r) => r.userId === d.user_id)?.status === (choice === 'going' ? 'going' : choice))
      this.rsvp(at.id, at.n, d.user_id, 'none');
    else if (choice === 'going' && this.store.rsvps(at.id, at.n).find((r) => r.userId === d.user_id)?.status === 'waitlist')
      this.rsvp(at.id, at.n, d.user_id, 'none');
  }

  runJob(job: Job<string>): Promise<JobResult> {
    return this.runner.runJob(job);
  }

  runTimer(t: Timer<string>): TimerResult {
    return this.runner.onTimer(t);
  }

  housekeeping(at: number): void {
    this.store.sweep(at);
  }

  diagnose(locale: string | undefined): DiagnosticSection {
    const problem = this.store.settings().syncProblem;
    const live = this.store.allSeries(true).length;
    return {
      feature: 'events',
      ok: problem === null,
      lines: [tr(locale, 'ev.diag.series', { n: live }), tr(locale, problem === null ? 'ev.diag.sync-ok' : `ev.diag.sync-${problem}`)],
    };
  }

  /** The guild's calendar (RFC 5545), or null when the token is not the guild's current one. */
  calendar(token: string): string | null {
    const current = this.store.settings().feedToken;
    if (!current || !timingSafeEqual(current, token)) return null;
    return feedCalendar(this.host.guildId, this.store, now());
  }

  // ---- answers ----

  private rsvp(
    id: number,
    n: number,
    userId: string,
    choice: RsvpChoice,
  ): { ok: true; now: RsvpStatus | 'none'; title: string; position: number } | { ok: false; code: 'gone' | 'over' | 'cancelled' } {
    const s = this.store.series(id);
    if (!s) return { ok: false, code: 'gone' };
    const o = this.store.occurrence(s, n);
    if (o.cancelled) return { ok: false, code: 'cancelled' };
    if (o.start <= now() || this.store.occurrenceRow(id, n)?.started) return { ok: false, code: 'over' };
    const before = this.store.rsvps(id, n);
    const r = answer(before, s.capacity, userId, choice, this.store.nextSeq());
    if (r.changed) {
      this.store.saveRsvps(id, n, r.rsvps);
      for (const u of r.promoted) this.runner.notify({ kind: 'promoted', id, n, userId: u });
      this.runner.repost(id, n);
    }
    const waiting = r.rsvps.filter((x) => x.status === 'waitlist').sort((a, b) => a.seq - b.seq);
    return { ok: true, now: r.now, title: o.title, position: waiting.findIndex((x) => x.userId === userId) + 1 };
  }

  // ---- creating and editing ----

  private zoneOf(userId: string): string {
    return this.store.memberZone(userId) ?? this.store.settings().zone;
  }

  private openCreate(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall, inv: Invoker, t: Reply): Handled {
    const capacity = numberOption(call, 'capacity');
    if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY))
      return refused('bad-capacity', t('ev.refused.capacity', { max: MAX_CAPACITY }));
    const channel = stringOption(call, 'channel');
    const location = stringOption(call, 'location')?.trim() || null;
    if (channel && location) return refused('two-locations', t('ev.refused.two-locations'));
    const repeat = stringOption(call, 'repeat') ?? 'none';
    if (!isRepeat(repeat)) return refused('bad-repeat', t('ev.refused.unknown'));
    if (this.store.allSeries(true).length >= MAX_SERIES) return refused('too-many', t('ev.refused.too-many', { max: MAX_SERIES }));
    const draft: Draft = { capacity, locationChannel: channel, locationText: location, repeat, channelId: i.channel?.id ?? i.channel_id ?? '' };
    return this.openForm(inv, draft, undefined, localeOf(i));
  }

  private openForm(inv: Invoker, draft: Draft, prefill: Parameters<typeof eventForm>[4], locale: string | undefined): Handled {
    const id = randomHex(9);
    this.store.saveDraft(id, inv.userId, draft, now());
    return {
      response: { type: InteractionResponseType.Modal, data: eventForm(this.host.guildId, id, this.zoneOf(inv.userId), locale, prefill) },
      outcome: 'ok',
      detail: draft.editOf ? `edit form #${draft.editOf.id}` : 'create form',
    };
  }

  private target(call: SubcommandCall, t: Reply): { s: EventSeries; n: number | null } | Handled {
    const s = this.store.series(Number(stringOption(call, 'event')));
    if (!s || s.cancelled) return refused('unknown-event', t('ev.refused.unknown-event'));
    const occ = stringOption(call, 'occurrence');
    if (occ === null || occ === '') return { s, n: null };
    const n = Number(occ);
    if (s.repeat === 'none' && n === 0) return { s, n: null };
    if (!Number.isInteger(n) || n < 0 || s.repeat === 'none' || this.store.occurrence(s, n).end < now())
      return refused('unknown-occurrence', t('ev.refused.unknown-occurrence'));
    return { s, n };
  }

  private openEdit(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall, inv: Invoker, t: Reply): Handled {
    const at = this.target(call, t);
    if ('response' in at) return at;
    const { s, n } = at;
    const o = this.store.occurrence(s, n ?? this.runner.current(s)?.n ?? s.currentN);
    const zone = this.zoneOf(inv.userId);
    const draft: Draft = {
      capacity: s.capacity,
      locationChannel: s.locationChannel,
      locationText: s.locationText,
      repeat: s.repeat,
      channelId: s.channelId,
      editOf: { id: s.id, n },
    };
    const prefill = { title: o.title, description: o.description, start: localText(o.start, zone), duration: durationText((o.end - o.start) / 60_000) };
    return this.openForm(inv, draft, prefill, localeOf(i));
  }

  private applyEdit(at: { id: number; n: number | null }, v: { title: string; description: string; start: number; durationMin: number }, t: Reply): Handled {
    const s = this.store.series(at.id);
    if (!s || s.cancelled) return refused('unknown-event', t('ev.refused.unknown-event'));
    if (at.n !== null) {
      this.store.editOccurrence(s.id, at.n, { title: v.title, description: v.description, startAt: v.start, durationMin: v.durationMin });
    } else {
      // The whole series moves by the change made to its current date, kept at the same wall-clock time in its zone.
      const cur = this.runner.current(s) ?? this.store.occurrence(s, s.currentN);
      const from = zonedParts(cur.slot, s.zone);
      const to = zonedParts(v.start, s.zone);
      const days = Math.round((Date.UTC(to.y, to.mo - 1, to.d) - Date.UTC(from.y, from.mo - 1, from.d)) / 86_400_000);
      const first = zonedParts(s.firstStart, s.zone);
      const firstStart = s.repeat === 'none' ? v.start : localToUtc(first.y, first.mo, first.d + days, to.h, to.mi, s.zone);
      this.store.updateSeries(s.id, now(), { title: v.title, description: v.description, firstStart, durationMin: v.durationMin });
    }
    this.runner.arm(s.id);
    this.runner.sync(s.id);
    const after = this.store.series(s.id)!;
    const cur = this.runner.current(after);
    this.runner.repost(s.id, at.n ?? cur?.n ?? after.currentN);
    const o = this.store.occurrence(after, at.n ?? cur?.n ?? after.currentN);
    return done(t(at.n === null ? 'ev.edited-series' : 'ev.edited-occurrence', { id: s.id, title: o.title, start: sec(o.start) }), `event #${s.id} edited`);
  }

  private cancel(call: SubcommandCall, t: Reply): Handled {
    const at = this.target(call, t);
    if ('response' in at) return at;
    const { s, n } = at;
    const affected = n === null ? this.runner.current(s) : this.store.occurrence(s, n);
    if (n === null) this.store.cancelSeries(s.id, now());
    else this.store.cancelOccurrence(s.id, n, now());
    if (affected) {
      for (const r of this.store.rsvps(s.id, affected.n))
        if (r.status === 'going' || r.status === 'waitlist' || r.status === 'maybe')
          this.runner.notify({ kind: 'cancelled', id: s.id, n: affected.n, userId: r.userId });
      if (affected.messageId) this.runner.repost(s.id, affected.n);
    }
    const wasCurrent = affected !== null && affected.n === this.runner.current(this.store.series(s.id)!)?.n;
    this.runner.arm(s.id);
    this.runner.sync(s.id);
    const next = this.runner.current(this.store.series(s.id)!);
    if (n !== null && next && !wasCurrent && next.messageId === null) this.runner.repost(s.id, next.n);
    return done(
      n === null
        ? t('ev.cancelled-series', { id: s.id, title: s.title })
        : t('ev.cancelled-occurrence', { id: s.id, title: s.title, start: sec(affected!.start) }),
      `event #${s.id}${n === null ? '' : `.${n}`} cancelled`,
    );
  }

  // ---- listing, feed, settings ----

  private list(t: Reply): Handled {
    const rows = this.store
      .allSeries(true)
      .map((s) => ({ s, o: this.runner.current(s) }))
      .filter((x): x is { s: EventSeries; o: NonNullable<typeof x.o> } => x.o !== null)
      .sort((a, b) => a.o.start - b.o.start)
      .slice(0, 20);
    if (rows.length === 0) return done(t('ev.list.none'));
    const lines = rows.map(({ s, o }) =>
      t('ev.list.line', {
        id: s.id,
        title: o.title,
        start: sec(o.start),
        going: this.store.rsvps(s.id, o.n).filter((r) => r.status === 'going').length,
        capacity: s.capacity ?? 0,
        repeat: s.repeat,
      }),
    );
    return done([t('ev.list.title'), ...lines].join('\n'));
  }

  private feed(call: SubcommandCall, inv: Invoker, ctx: InteractionContext, t: Reply): Handled {
    const rotate = call.options.get('rotate') === true;
    if (rotate && !canManage(inv)) return refused('not-manager', t('ev.refused.manage'));
    let token = this.store.settings().feedToken;
    if (!token || rotate) {
      token = randomHex(24);
      this.store.setSetting('feed_token', token);
    }
    const base = (this.host.config.publicUrl || ctx.origin || '').replace(/\/$/, '');
    const url = `${base}/events/feed/${this.host.guildId}/${token}.ics`;
    return done(t(rotate ? 'ev.feed.rotated' : 'ev.feed.address', { url }), rotate ? 'feed rotated' : 'feed shown');
  }

  private config(call: SubcommandCall, t: Reply): Handled {
    const checked = checkEventSettings({
      timezone: stringOption(call, 'timezone'),
      reminders: stringOption(call, 'reminders'),
      reminderMode: stringOption(call, 'reminder_mode'),
    });
    if (!checked.ok) {
      const p = checked.error.problem;
      return refused(p, t(p === 'bad-zone' ? 'ev.refused.zone' : p === 'bad-offsets' ? 'ev.refused.offsets' : 'ev.refused.unknown'));
    }
    this.applySettings(checked.value);
    const st = this.store.settings();
    return done(t('ev.config.summary', { zone: st.zone, reminders: st.offsets.map(durationText).join(', '), mode: st.reminderMode }));
  }

  /** A checked change to the event settings (/event config, the dashboard, the REST API); new reminder offsets re-arm every series. */
  applySettings(c: EventSettingsChange): void {
    if (c.zone !== undefined) this.store.setSetting('zone', c.zone);
    if (c.offsets !== undefined) this.store.setSetting('offsets', JSON.stringify(c.offsets));
    if (c.reminderMode !== undefined) this.store.setSetting('reminder_mode', c.reminderMode);
    if (c.offsets !== undefined) for (const s of this.store.allSeries(true)) this.runner.arm(s.id);
  }
}

/** Random bytes as hex: form ids and the feed's secret token. */
const randomHex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Compares tokens in time independent of where they differ. */
function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export const events: FeatureModule = {
  name: 'events',
  commands: EVENTS_COMMANDS,
  customIds: [EVENTS_FEATURE],
  autocomplete: ['event'],
  jobs: Object.values(EVENTS_JOBS),
  timers: Object.values(EVENTS_TIMERS),
  // Reactions on an event's post count as answers; members interested in its copy in Discord's events list are counted.
  events: [
    GatewayDispatchEvents.MessageReactionAdd,
    GatewayDispatchEvents.MessageReactionRemove,
    GatewayDispatchEvents.GuildScheduledEventUserAdd,
    GatewayDispatchEvents.GuildScheduledEventUserRemove,
    GatewayDispatchEvents.GuildScheduledEventDelete,
  ],
  intents: GatewayIntentBits.GuildMessageReactions | GatewayIntentBits.GuildScheduledEvents,
  // Posts kept up to date in channels, their answer reactions and threads (reminders by mention); the copy in Discord's events list.
  permissions:
    P.ViewChannel | P.SendMessages | P.EmbedLinks | P.ReadMessageHistory | P.AddReactions | P.CreatePublicThreads | P.SendMessagesInThreads | P.ManageEvents,
  migrations: { guild: EVENTS_MIGRATIONS },
  routes: [
    {
      method: 'GET',
      path: '/events/feed/:guild/:file',
      handle: async (req, env) => (await import('./feed-route.ts')).handleFeed(env, req.params.guild!, req.params.file!),
    },
  ],
  guild: (host) => new GuildEvents(host),
};
