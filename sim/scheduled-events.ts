// Guild Scheduled Events (resources/guild-scheduled-event): list, create, get,
// modify, delete, the users interested and their count, with Discord's
// validation (field requirements by entity type, status transitions), its
// permission requirements (Guild Scheduled Event Permissions Requirements),
// the cap of 100 SCHEDULED/ACTIVE events per guild (30038), and the gateway
// events (GUILD_SCHEDULED_EVENT_CREATE / _UPDATE / _DELETE / _USER_ADD /
// _USER_REMOVE, intent GUILD_SCHEDULED_EVENTS). GUILD_CREATE carries the
// guild's events in `guild_scheduled_events`.
//
// Simulator's choices where the docs are silent:
// - Discord drops COMPLETED and CANCELED events from the list some time after
//   they end; the simulator keeps them, with their status, until deleted.
// - Nothing starts, ends or cancels an event by itself (Discord's "status
//   update automation"): only PATCH changes the status.
// - Modifying a COMPLETED or CANCELED event answers 180000 "Cannot update a
//   finished event"; any other invalid transition is 50035 on `status`.
// - The 50035 leaf codes for a start in the past (GUILD_SCHEDULED_EVENT_SCHEDULE_PAST)
//   and an end before the start (GUILD_SCHEDULED_EVENT_END_BEFORE_START) and a
//   channel of the wrong type (GUILD_SCHEDULED_EVENT_INVALID_CHANNEL) are the
//   simulator's names.
// - Gateway events carry the event without `user_count`; recurrence rules are
//   stored as sent (not validated); exceptions are not simulated.
//
// Control API (tests):
//   POST /_sim/guilds/{guild_id}/scheduled-events/{event_id}/interested {user_id, remove?: boolean}
//        → {user_count, deliveries}   (GUILD_SCHEDULED_EVENT_USER_ADD / _REMOVE; 400 for a CANCELED or COMPLETED event)
//   POST /_sim/guilds/{guild_id}/scheduled-events {user_id, ...Create Guild Scheduled Event params}
//        → {event, deliveries}   (a member creates an event: same validation and cap, GUILD_SCHEDULED_EVENT_CREATE)
//   GET  /_sim/guilds/{guild_id}/scheduled-events
//        → {events: [event with user_count and user_ids (interested, ascending)]}

import { createHash } from 'node:crypto';
import type { APIGuildScheduledEvent, APIGuildScheduledEventUser } from 'discord-api-types/v10';
import {
  ChannelType,
  GatewayDispatchEvents,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  GuildScheduledEventStatus,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import type { Ctx, Handler } from './context.ts';
import { noContent, ok } from './context.ts';
import { apiError, FormErrors } from './errors.ts';
import type { Gateway } from './gateway.ts';
import { basePermissions, channelPermissions, has } from './permissions.ts';
import { intParam } from './rest-guilds.ts';
import type { Sim } from './server.ts';
import { snowflake } from './snowflake.ts';
import type { SimState } from './state.ts';
import { isObj } from './validate.ts';

const P = PermissionFlagsBits;
const E = GatewayDispatchEvents;
const T = GuildScheduledEventEntityType;
const S = GuildScheduledEventStatus;
/** "A guild can have a maximum of 100 events with SCHEDULED or ACTIVE status at any time." */
export const MAX_UNCOMPLETED_EVENTS = 100;

type Obj = Record<string, unknown>;

interface Rec {
  event: APIGuildScheduledEvent;
  // Users interested (subscribed).
  interested: Set<string>;
}

/** Per simulator state (a reseed starts empty): guild → event id → record. */
const EVENTS = new WeakMap<SimState, Map<string, Map<string, Rec>>>();

function eventsOf(state: SimState, guildId: string): Map<string, Rec> {
  let guilds = EVENTS.get(state);
  if (!guilds) EVENTS.set(state, (guilds = new Map()));
  let m = guilds.get(guildId);
  if (!m) guilds.set(guildId, (m = new Map()));
  return m;
}

function render(state: SimState, rec: Rec, withUserCount: boolean): APIGuildScheduledEvent {
  const creator = rec.event.creator_id ? state.users.get(rec.event.creator_id) : undefined;
  return { ...rec.event, ...(creator ? { creator } : {}), ...(withUserCount ? { user_count: rec.interested.size } : {}) };
}

/** GUILD_CREATE's guild_scheduled_events. */
export function scheduledEventsOf(state: SimState, guildId: string): APIGuildScheduledEvent[] {
  return [...eventsOf(state, guildId).values()].map((r) => render(state, r, false));
}

const byId = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

// ---- validation ----------------------------------------------------------------------

interface Fields {
  name: string;
  description: string | null;
  channel_id: string | null;
  entity_type: GuildScheduledEventEntityType;
  entity_metadata: { location?: string } | null;
  scheduled_start_time: string;
  scheduled_end_time: string | null;
  status: GuildScheduledEventStatus;
}

function parseTime(f: FormErrors, key: string, v: unknown): string | null {
  const at = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(at)) {
    f.add([key], 'DATE_TIME_TYPE_PARSE', `Could not parse ${JSON.stringify(v)}. Should be ISO8601.`);
    return null;
  }
  return new Date(at).toISOString();
}

/**
 * The event's fields after this create (`before` null) or modify, or a 50035 listing
 * what is wrong. `now` decides "not in the past".
 */
function validate(state: SimState, guildId: string, b: Obj, before: APIGuildScheduledEvent | null, now: number): Fields {
  const f = new FormErrors();
  const creating = before === null;
  const required = (key: string) => f.add([key], 'BASE_TYPE_REQUIRED', 'This field is required');

  let name = before?.name ?? '';
  if (b.name !== undefined || creating) {
    if (b.name === undefined || b.name === null) required('name');
    else if (typeof b.name !== 'string') f.add(['name'], 'BASE_TYPE_STRING', 'Must be a string.');
    else if (b.name.length < 1 || b.name.length > 100) f.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    else name = b.name;
  }
  let description = before?.description ?? null;
  if (b.description !== undefined) {
    if (b.description === null || b.description === '') description = null;
    else if (typeof b.description !== 'string') f.add(['description'], 'BASE_TYPE_STRING', 'Must be a string.');
    else if (b.description.length > 1000) f.add(['description'], 'BASE_TYPE_MAX_LENGTH', 'Must be 1000 or fewer in length.');
    else description = b.description;
  }
  if (b.privacy_level !== undefined || creating) {
    if (b.privacy_level === undefined) required('privacy_level');
    else if (b.privacy_level !== GuildScheduledEventPrivacyLevel.GuildOnly) f.add(['privacy_level'], 'BASE_TYPE_CHOICES', 'Value must be one of {2}.');
  }
  let entityType = (before?.entity_type ?? T.External) as GuildScheduledEventEntityType;
  if ((b.entity_type !== undefined && b.entity_type !== null) || creating) {
    if (b.entity_type === undefined || b.entity_type === null) required('entity_type');
    else if (b.entity_type !== T.StageInstance && b.entity_type !== T.Voice && b.entity_type !== T.External)
      f.add(['entity_type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3}.');
    else entityType = b.entity_type;
  }
  const typeChanged = before !== null && entityType !== before.entity_type;

  let start = before?.scheduled_start_time ?? '';
  if (b.scheduled_start_time !== undefined || creating) {
    if (b.scheduled_start_time === undefined || b.scheduled_start_time === null) required('scheduled_start_time');
    else {
      const t = parseTime(f, 'scheduled_start_time', b.scheduled_start_time);
      if (t !== null && Date.parse(t) < now - 1000 && (before?.status ?? S.Scheduled) === S.Scheduled)
        f.add(['scheduled_start_time'], 'GUILD_SCHEDULED_EVENT_SCHEDULE_PAST', 'Cannot schedule event in the past.');
      if (t !== null) start = t;
    }
  }
  let end = before?.scheduled_end_time ?? null;
  if (b.scheduled_end_time !== undefined) {
    end = b.scheduled_end_time === null ? null : parseTime(f, 'scheduled_end_time', b.scheduled_end_time);
  }

  let channelId = before?.channel_id ?? null;
  let metadata = before?.entity_metadata ?? null;
  if (entityType === T.External) {
    // Becoming EXTERNAL needs channel_id null, a location and an end time, all sent.
    if (b.channel_id !== undefined && b.channel_id !== null)
      f.add(['channel_id'], 'GUILD_SCHEDULED_EVENT_INVALID_CHANNEL', 'Must be null for external events.');
    if (typeChanged && b.channel_id === undefined) required('channel_id');
    channelId = null;
    if (b.entity_metadata !== undefined || creating || typeChanged) {
      const md = b.entity_metadata;
      const loc = isObj(md) ? md.location : undefined;
      if (loc === undefined || loc === null) f.add(['entity_metadata', 'location'], 'BASE_TYPE_REQUIRED', 'This field is required');
      else if (typeof loc !== 'string' || loc.length < 1 || loc.length > 100)
        f.add(['entity_metadata', 'location'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      else metadata = { location: loc };
    }
    if ((creating || typeChanged) && (b.scheduled_end_time === undefined || b.scheduled_end_time === null)) required('scheduled_end_time');
    else if (end === null && b.scheduled_end_time === null) required('scheduled_end_time');
  } else {
    // "This endpoint silently discards entity_metadata for non-EXTERNAL events."
    metadata = null;
    if (b.channel_id !== undefined || creating || typeChanged) {
      const want = entityType === T.StageInstance ? ChannelType.GuildStageVoice : ChannelType.GuildVoice;
      if (b.channel_id === undefined || b.channel_id === null) required('channel_id');
      else {
        const c = state.channels.get(String(b.channel_id)) as { type: ChannelType; guild_id?: string } | undefined;
        if (!c || c.guild_id !== guildId || c.type !== want)
          f.add(
            ['channel_id'],
            'GUILD_SCHEDULED_EVENT_INVALID_CHANNEL',
            entityType === T.StageInstance ? 'Channel must be a stage channel.' : 'Channel must be a voice channel.',
          );
        else channelId = String(b.channel_id);
      }
    }
  }
  if (start && end !== null && Date.parse(end) <= Date.parse(start))
    f.add(['scheduled_end_time'], 'GUILD_SCHEDULED_EVENT_END_BEFORE_START', 'The end time must be after the start time.');

  let status = before?.status ?? S.Scheduled;
  if (!creating && b.status !== undefined && b.status !== null && b.status !== before.status) {
    const allowed: Partial<Record<GuildScheduledEventStatus, GuildScheduledEventStatus[]>> = {
      [S.Scheduled]: [S.Active, S.Canceled],
      [S.Active]: [S.Completed],
    };
    if (!(allowed[before.status] ?? []).includes(b.status as GuildScheduledEventStatus))
      f.add(['status'], 'GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION', 'Invalid status transition.');
    else status = b.status as GuildScheduledEventStatus;
  }
  f.throwIfAny();
  return {
    name,
    description,
    channel_id: channelId,
    entity_type: entityType,
    entity_metadata: metadata,
    scheduled_start_time: start,
    scheduled_end_time: end,
    status,
  };
}

// ---- permissions -----------------------------------------------------------------------

/** What the bot must hold to create, or to modify/delete (`own`: it created the event), an event of this type in this channel. */
function requireManage(state: SimState, guildId: string, entityType: GuildScheduledEventEntityType, channelId: string | null, own: boolean | null): void {
  const bot = state.botUser.id;
  const events = own === false ? P.ManageEvents : P.CreateEvents | P.ManageEvents;
  let perms: bigint;
  let needed = 0n;
  if (entityType === T.External || channelId === null) perms = basePermissions(state, guildId, bot);
  else {
    const c = state.channels.get(channelId);
    perms = c ? channelPermissions(state, c, bot) : 0n;
    needed = entityType === T.StageInstance ? P.ManageChannels | P.MuteMembers | P.MoveMembers : P.ViewChannel | P.Connect;
    if (entityType === T.StageInstance) needed |= P.ViewChannel;
  }
  if ((perms & events) === 0n || !has(perms, needed)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
}

/** Stage and voice events are visible to whoever can view their channel; external ones to every member. */
function visible(state: SimState, e: APIGuildScheduledEvent): boolean {
  if (e.channel_id === null) return true;
  const c = state.channels.get(e.channel_id);
  return c !== undefined && has(channelPermissions(state, c, state.botUser.id), P.ViewChannel);
}

function findEvent(ctx: Ctx): Rec {
  const s = ctx.core.state;
  const guildId = ctx.params.guild_id!;
  s.guild(guildId);
  s.member(guildId, s.botUser.id);
  const rec = eventsOf(s, guildId).get(ctx.params.event_id!);
  if (!rec) throw apiError(RESTJSONErrorCodes.UnknownGuildScheduledEvent);
  if (!visible(s, rec.event)) throw apiError(RESTJSONErrorCodes.MissingAccess);
  return rec;
}

const withUserCount = (ctx: Ctx): boolean => ctx.query.get('with_user_count') === 'true';

function imageHash(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? createHash('md5').update(v).digest('hex') : null;
}

/** Stores a validated new event created by `creatorId` (30038 past 100 SCHEDULED/ACTIVE events). */
function createEvent(state: SimState, guildId: string, v: Fields, b: Obj, creatorId: string): Rec {
  const events = eventsOf(state, guildId);
  const open = [...events.values()].filter((r) => r.event.status === S.Scheduled || r.event.status === S.Active).length;
  if (open >= MAX_UNCOMPLETED_EVENTS) throw apiError(RESTJSONErrorCodes.MaximumNumberOfUncompletedGuildScheduledEventsReached);
  const event = {
    id: snowflake(),
    guild_id: guildId,
    channel_id: v.channel_id,
    creator_id: creatorId,
    name: v.name,
    description: v.description,
    scheduled_start_time: v.scheduled_start_time,
    scheduled_end_time: v.scheduled_end_time,
    privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
    status: S.Scheduled,
    entity_type: v.entity_type,
    entity_id: null,
    entity_metadata: v.entity_metadata,
    image: imageHash(b.image),
    recurrence_rule: isObj(b.recurrence_rule) ? b.recurrence_rule : null,
  } as APIGuildScheduledEvent;
  const rec: Rec = { event, interested: new Set() };
  events.set(event.id, rec);
  return rec;
}

export const scheduledEventHandlers: Record<string, Handler> = {
  'GET /guilds/{guild_id}/scheduled-events': (ctx) => {
    const s = ctx.core.state;
    const guildId = ctx.params.guild_id!;
    s.guild(guildId);
    s.member(guildId, s.botUser.id);
    const list = [...eventsOf(s, guildId).values()].filter((r) => visible(s, r.event)).map((r) => render(s, r, withUserCount(ctx)));
    return ok(list);
  },

  'POST /guilds/{guild_id}/scheduled-events': (ctx) => {
    const s = ctx.core.state;
    const guildId = ctx.params.guild_id!;
    s.guild(guildId);
    s.member(guildId, s.botUser.id);
    const b = isObj(ctx.body) ? ctx.body : {};
    const v = validate(s, guildId, b, null, ctx.now);
    requireManage(s, guildId, v.entity_type, v.channel_id, null);
    const rec = createEvent(s, guildId, v, b, s.botUser.id);
    const body = render(s, rec, false);
    return { status: 200, body, after: (gw) => void gw.dispatch({ t: E.GuildScheduledEventCreate, guildId, d: body }) };
  },

  'GET /guilds/{guild_id}/scheduled-events/{event_id}': (ctx) => ok(render(ctx.core.state, findEvent(ctx), withUserCount(ctx))),

  'PATCH /guilds/{guild_id}/scheduled-events/{event_id}': (ctx) => {
    const s = ctx.core.state;
    const guildId = ctx.params.guild_id!;
    const rec = findEvent(ctx);
    const before = rec.event;
    const own = before.creator_id === s.botUser.id;
    requireManage(s, guildId, before.entity_type, before.channel_id, own);
    if (before.status === S.Completed || before.status === S.Canceled) throw apiError(RESTJSONErrorCodes.CannotUpdateAFinishedEvent);
    const b = isObj(ctx.body) ? ctx.body : {};
    const v = validate(s, guildId, b, before, ctx.now);
    // Moving the event to another channel or type needs the same rights there.
    if (v.entity_type !== before.entity_type || v.channel_id !== before.channel_id) requireManage(s, guildId, v.entity_type, v.channel_id, own);
    const next = {
      ...before,
      name: v.name,
      description: v.description,
      channel_id: v.channel_id,
      entity_type: v.entity_type,
      entity_metadata: v.entity_metadata,
      scheduled_start_time: v.scheduled_start_time,
      scheduled_end_time: v.scheduled_end_time,
      status: v.status,
      ...(b.image !== undefined ? { image: imageHash(b.image) } : {}),
      ...(b.recurrence_rule !== undefined ? { recurrence_rule: isObj(b.recurrence_rule) ? b.recurrence_rule : null } : {}),
    } as APIGuildScheduledEvent;
    rec.event = next;
    const body = render(s, rec, false);
    return { status: 200, body, after: (gw) => void gw.dispatch({ t: E.GuildScheduledEventUpdate, guildId, d: body }) };
  },

  'DELETE /guilds/{guild_id}/scheduled-events/{event_id}': (ctx) => {
    const s = ctx.core.state;
    const guildId = ctx.params.guild_id!;
    const rec = findEvent(ctx);
    requireManage(s, guildId, rec.event.entity_type, rec.event.channel_id, rec.event.creator_id === s.botUser.id);
    eventsOf(s, guildId).delete(rec.event.id);
    const d = render(s, rec, false);
    return { ...noContent(), after: (gw) => void gw.dispatch({ t: E.GuildScheduledEventDelete, guildId, d }) };
  },

  // Ascending by user id; with both `before` and `after`, only `before` counts (docs).
  'GET /guilds/{guild_id}/scheduled-events/{event_id}/users': (ctx) => {
    const s = ctx.core.state;
    const guildId = ctx.params.guild_id!;
    const rec = findEvent(ctx);
    const limit = intParam(ctx.query, 'limit', 100, 1, 100);
    const before = ctx.query.get('before');
    const afterId = ctx.query.get('after');
    const withMember = ctx.query.get('with_member') === 'true';
    let ids = [...rec.interested].sort(byId);
    if (before && /^\d+$/.test(before)) ids = ids.filter((u) => BigInt(u) < BigInt(before)).slice(-limit);
    else if (afterId && /^\d+$/.test(afterId)) ids = ids.filter((u) => BigInt(u) > BigInt(afterId)).slice(0, limit);
    else ids = ids.slice(0, limit);
    const members = s.members.get(guildId);
    const out: APIGuildScheduledEventUser[] = [];
    for (const id of ids) {
      const user = s.users.get(id);
      if (!user) continue;
      const member = withMember ? members?.get(id) : undefined;
      out.push({ guild_scheduled_event_id: rec.event.id, user, ...(member ? { member } : {}) });
    }
    return ok(out);
  },

  // In Discord's OpenAPI description (not in the prose docs); exceptions are not simulated, so none are counted.
  'GET /guilds/{guild_id}/scheduled-events/{event_id}/users/counts': (ctx) => {
    const rec = findEvent(ctx);
    return ok({ guild_scheduled_event_count: rec.interested.size, guild_scheduled_event_exception_counts: {} });
  },
};

// ---- control API ------------------------------------------------------------------------

interface ControlResult {
  status: number;
  body: unknown;
}

function interested(gw: Gateway, state: SimState, guildId: string, eventId: string, b: Obj): ControlResult {
  const rec = eventsOf(state, guildId).get(eventId);
  if (!rec) throw apiError(RESTJSONErrorCodes.UnknownGuildScheduledEvent);
  const userId = typeof b.user_id === 'string' ? b.user_id : '';
  if (!userId) throw new Error('user_id (string) is required');
  state.member(guildId, userId);
  if (rec.event.status === S.Canceled || rec.event.status === S.Completed)
    return { status: 400, body: { error: 'the event is over (CANCELED or COMPLETED): members cannot mark interest' } };
  const remove = b.remove === true;
  const changed = remove ? rec.interested.delete(userId) : !rec.interested.has(userId) && rec.interested.add(userId) !== undefined;
  const deliveries = changed
    ? gw.dispatch({
        t: remove ? E.GuildScheduledEventUserRemove : E.GuildScheduledEventUserAdd,
        guildId,
        d: { guild_scheduled_event_id: eventId, user_id: userId, guild_id: guildId },
      })
    : [];
  return { status: 200, body: { user_count: rec.interested.size, deliveries } };
}

export function handleScheduledEventControl(sim: Sim, method: string, p: string, b: Obj): ControlResult | null {
  const s = sim.state;
  let m: RegExpExecArray | null;
  if (method === 'POST' && (m = /^\/_sim\/guilds\/(\d+)\/scheduled-events\/(\d+)\/interested$/.exec(p))) {
    s.guild(m[1]!);
    return interested(sim.gateway, s, m[1]!, m[2]!, b);
  }
  if (method === 'POST' && (m = /^\/_sim\/guilds\/(\d+)\/scheduled-events$/.exec(p))) {
    const guildId = m[1]!;
    const userId = typeof b.user_id === 'string' ? b.user_id : '';
    if (!userId) throw new Error('user_id (string) is required');
    s.member(guildId, userId);
    const { user_id: _, ...fields } = b;
    const rec = createEvent(s, guildId, validate(s, guildId, fields, null, Date.now()), fields, userId);
    const event = render(s, rec, false);
    const deliveries = sim.gateway.dispatch({ t: E.GuildScheduledEventCreate, guildId, d: event });
    return { status: 200, body: { event, deliveries } };
  }
  if (method === 'GET' && (m = /^\/_sim\/guilds\/(\d+)\/scheduled-events$/.exec(p))) {
    s.guild(m[1]!);
    const events = [...eventsOf(s, m[1]!).values()].map((r) => ({ ...render(s, r, true), user_ids: [...r.interested].sort(byId) }));
    return { status: 200, body: { events } };
  }
  return null;
}
