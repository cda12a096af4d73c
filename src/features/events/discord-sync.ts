import {
  type APIChannel,
  type APIGuildScheduledEvent,
  ChannelType,
  GuildScheduledEventEntityType as Entity,
  GuildScheduledEventPrivacyLevel,
  type RESTPatchAPIGuildScheduledEventJSONBody,
  type RESTPostAPIGuildScheduledEventJSONBody,
  Routes,
  GuildScheduledEventStatus as Status,
} from 'discord-api-types/v10';
import type { DiscordRest, RestError } from '../../discord/rest.ts';
import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { JobResult } from '../../runtime/outbox.ts';
import type { EventSeries, EventsStore, Occurrence, SyncProblem } from './store.ts';

/** Discord's limits on a scheduled event's text (resources/guild-scheduled-event). */
const NAME_MAX = 100;
const DESCRIPTION_MAX = 1000;
const LOCATION_MAX = 100;

/** Where an occurrence happens, as Discord's events list can show it. */
type Place = { entity_type: Entity.Voice | Entity.StageInstance; channel_id: string } | { entity_type: Entity.External; location: string };

/** The fields of Discord's event for one occurrence (the same for creating and for bringing it up to date). */
export function scheduledEventBody(o: Occurrence, place: Place): RESTPostAPIGuildScheduledEventJSONBody {
  const common = {
    name: o.title.slice(0, NAME_MAX),
    description: o.description.slice(0, DESCRIPTION_MAX) || undefined,
    scheduled_start_time: new Date(o.start).toISOString(),
    scheduled_end_time: new Date(o.end).toISOString(),
    privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
  };
  return place.entity_type === Entity.External
    ? { ...common, entity_type: Entity.External, channel_id: undefined, entity_metadata: { location: place.location.slice(0, LOCATION_MAX) } }
    : { ...common, entity_type: place.entity_type, channel_id: place.channel_id };
}

/** Whether Discord's copy differs from what the occurrence says (so an unchanged event is not patched again). */
function differs(e: APIGuildScheduledEvent, want: RESTPostAPIGuildScheduledEventJSONBody): boolean {
  const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? '') === (b ?? '');
  const time = (a: string | null | undefined, b: string | null | undefined) => (a ? Date.parse(a) : 0) === (b ? Date.parse(b) : 0);
  return (
    !same(e.name, want.name) ||
    !same(e.description, want.description) ||
    !time(e.scheduled_start_time, want.scheduled_start_time) ||
    !time(e.scheduled_end_time, want.scheduled_end_time) ||
    e.entity_type !== want.entity_type ||
    !same(e.channel_id, want.channel_id) ||
    !same(e.entity_metadata?.location, want.entity_metadata?.location)
  );
}

const discordError = (e: RestError) => (e.kind === 'discord' ? e : null);
/** A refusal to retry later (rate limits, Discord's own trouble, the network), not one that will fail the same way again. */
const transient = (e: RestError) => e.kind === 'network' || e.kind === 'rate-limited' || (e.kind === 'discord' && (e.status === 429 || e.status >= 500));

/**
 * Keeps a series shown in Discord's own events list (Guild Scheduled Events):
 * one Discord event at a time, for the occurrence members can still answer,
 * made active while it runs and completed after; cancelled on Discord when
 * the occurrence or series is. It reads Discord's copy before changing it, so
 * a sync run twice or after a restart changes nothing twice. An event staff
 * deleted on Discord is not made again for that occurrence.
 */
export class ScheduledEventSync {
  private readonly host: GuildHost;
  private readonly store: EventsStore;
  /** The occurrence members can still answer (EventRunner.current). */
  private readonly current: (s: EventSeries) => Occurrence | null;

  constructor(host: GuildHost, store: EventsStore, current: (s: EventSeries) => Occurrence | null) {
    this.host = host;
    this.store = store;
    this.current = current;
  }

  private get rest(): DiscordRest {
    return this.host.rest;
  }

  async run(id: number): Promise<JobResult> {
    const s = this.store.series(id);
    if (!s) return 'done';
    if (s.scheduledEventId !== null) {
      const held = await this.settleHeld(s, s.scheduledEventId);
      if (held !== 'released') return held;
    }
    const after = this.store.series(id)!;
    const target = this.current(after);
    if (!target || target.start <= now()) return 'done';
    // Staff deleted Discord's event for this occurrence: their choice stands.
    if (after.scheduledEventId === null && after.scheduledN === target.n) return 'done';
    const place = await this.placeOf(after);
    if (place === 'retry') return 'retry';
    const r = await this.rest.post<APIGuildScheduledEvent>(Routes.guildScheduledEvents(this.host.guildId), {
      body: scheduledEventBody(target, place),
      reason: `Guildkeep event #${s.id}`,
    });
    if (!r.ok) return this.refused(r.error, s.id);
    this.store.setScheduledEvent(s.id, r.value.id, target.n);
    this.store.setInterested(s.id, 0);
    this.fine();
    return 'done';
  }

  /**
   * Brings Discord's event for `s.scheduledN` to where that occurrence is:
   * up to date while it is ahead, active while it runs, completed or
   * cancelled after. 'released' when the series holds no event any more.
   */
  private async settleHeld(s: EventSeries, eventId: string): Promise<JobResult | 'released'> {
    const route = Routes.guildScheduledEvent(this.host.guildId, eventId);
    const got = await this.rest.get<APIGuildScheduledEvent>(route, { query: { with_user_count: true } });
    if (!got.ok) {
      if (discordError(got.error)?.status === 404) {
        this.store.setScheduledEvent(s.id, null, s.scheduledN);
        return 'released';
      }
      return this.refused(got.error, s.id);
    }
    const e = got.value;
    const n = s.scheduledN ?? s.currentN;
    const o = this.store.occurrence(s, n);
    const started = this.store.occurrenceRow(s.id, n)?.started === true;
    const release = () => {
      this.store.setScheduledEvent(s.id, null, n);
      return 'released' as const;
    };
    if (e.status === Status.Completed || e.status === Status.Canceled) return release();
    let status: Status | null = null;
    if (s.cancelled || o.cancelled) status = e.status === Status.Active ? Status.Completed : Status.Canceled;
    else if (started && now() >= o.end) status = e.status === Status.Active ? Status.Completed : Status.Canceled;
    else if (started) status = e.status === Status.Scheduled ? Status.Active : null;
    if (status !== null) {
      const r = await this.rest.patch<APIGuildScheduledEvent>(route, { body: { status } satisfies RESTPatchAPIGuildScheduledEventJSONBody });
      if (!r.ok) return discordError(r.error)?.status === 404 ? release() : this.refused(r.error, s.id);
      this.fine();
      return status === Status.Active ? 'done' : release();
    }
    if (typeof e.user_count === 'number') this.store.setInterested(s.id, e.user_count);
    if (started) return 'done';
    const place = await this.placeOf(s);
    if (place === 'retry') return 'retry';
    const want = scheduledEventBody(o, place);
    if (!differs(e, want)) return 'done';
    const { privacy_level: _, ...changes } = want;
    const r = await this.rest.patch<APIGuildScheduledEvent>(route, {
      body: { ...changes, entity_metadata: want.entity_metadata ?? null } satisfies RESTPatchAPIGuildScheduledEventJSONBody,
    });
    if (!r.ok) return discordError(r.error)?.status === 404 ? release() : this.refused(r.error, s.id);
    this.fine();
    return 'done';
  }

  /**
   * A voice or stage channel hosts the event there; any other place is
   * "external" with its name as the location (Discord requires one), the
   * post's channel when the event has no place of its own.
   */
  private async placeOf(s: EventSeries): Promise<Place | 'retry'> {
    if (s.locationText) return { entity_type: Entity.External, location: s.locationText };
    const channelId = s.locationChannel ?? s.channelId;
    const r = await this.rest.get<APIChannel>(Routes.channel(channelId));
    if (!r.ok) return transient(r.error) ? 'retry' : { entity_type: Entity.External, location: `#${channelId}` };
    if (r.value.type === ChannelType.GuildVoice) return { entity_type: Entity.Voice, channel_id: channelId };
    if (r.value.type === ChannelType.GuildStageVoice) return { entity_type: Entity.StageInstance, channel_id: channelId };
    return { entity_type: Entity.External, location: `#${r.value.name ?? channelId}` };
  }

  /** A refusal: retried when passing, otherwise remembered for /diagnostics and the audit log (the event itself stays as it is). */
  private refused(e: RestError, seriesId: number): JobResult {
    if (transient(e)) return 'retry';
    const d = discordError(e);
    const problem: SyncProblem = d?.status === 403 ? 'no-permission' : 'refused';
    this.store.setSetting('sync_problem', problem);
    this.host.audit({
      at: now(),
      guildId: this.host.guildId,
      userId: '',
      action: 'events discord-sync',
      outcome: `refused:${problem}`,
      latencyMs: 0,
      detail: `event #${seriesId}: ${d ? `${d.status} ${d.code} ${d.message}` : e.kind}`,
    });
    return 'done';
  }

  private fine(): void {
    if (this.store.settings().syncProblem !== null) this.store.clearSetting('sync_problem');
  }
}
