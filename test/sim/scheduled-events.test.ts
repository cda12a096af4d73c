import { GatewayIntentBits as I, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGuild } from '../helpers.ts';
import { newGuild, simApi } from '../helpers.ts';
import type { GatewaySession } from './support.ts';
import { connectGateway, discord, setRolePermissions } from './support.ts';

type Guild = TestGuild & { botRoleId: string };

const HOUR = 3_600_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const external = (name = 'LAN party', extra: Record<string, unknown> = {}) => ({
  name,
  privacy_level: 2,
  entity_type: 3,
  scheduled_start_time: at(HOUR),
  scheduled_end_time: at(3 * HOUR),
  entity_metadata: { location: 'Community hall' },
  ...extra,
});
const events = (g: Guild) => `/guilds/${g.guildId}/scheduled-events`;
const voiceChannel = (g: Guild, type?: 13) =>
  simApi<{ id: string }>(`/_sim/guilds/${g.guildId}/voice-channels`, { body: type ? { name: 'Stage', type } : { name: 'Raid night' } });
const interested = (g: Guild, eventId: string, userId: string, remove = false) =>
  simApi<{ user_count: number; deliveries: { sessionId: string }[] }>(`/_sim/guilds/${g.guildId}/scheduled-events/${eventId}/interested`, {
    body: { user_id: userId, ...(remove ? { remove } : {}) },
  });

describe('guild scheduled events in the simulator', () => {
  let gw: GatewaySession;
  let deaf: GatewaySession;
  beforeAll(async () => {
    gw = await connectGateway(I.Guilds | I.GuildScheduledEvents);
    deaf = await connectGateway(I.Guilds);
  });
  afterAll(() => {
    gw?.close();
    deaf?.close();
  });

  it('creates, lists, gets, modifies and deletes events, dispatching each change', async () => {
    const g = (await newGuild(3, 0)) as Guild;
    const created = await discord('POST', events(g), external('LAN party', { description: 'Bring a keyboard', recurrence_rule: null }));
    expect(created.status).toBe(200);
    const ev = created.body;
    expect(ev).toMatchObject({
      guild_id: g.guildId,
      channel_id: null,
      creator_id: g.botUserId,
      creator: { id: g.botUserId },
      name: 'LAN party',
      description: 'Bring a keyboard',
      privacy_level: 2,
      status: 1,
      entity_type: 3,
      entity_id: null,
      entity_metadata: { location: 'Community hall' },
      image: null,
      recurrence_rule: null,
    });
    expect(ev).not.toHaveProperty('user_count');
    expect((await gw.next('GUILD_SCHEDULED_EVENT_CREATE', (d) => d.id === ev.id)).d).toMatchObject({ name: 'LAN party', guild_id: g.guildId });

    const room = await voiceChannel(g);
    const voice = await discord('POST', events(g), {
      name: 'Raid night',
      privacy_level: 2,
      entity_type: 2,
      channel_id: room.id,
      scheduled_start_time: at(2 * HOUR),
    });
    expect(voice.body).toMatchObject({ entity_type: 2, channel_id: room.id, entity_metadata: null, scheduled_end_time: null });
    const stage = await voiceChannel(g, 13);
    expect(
      (await discord('POST', events(g), { name: 'AMA', privacy_level: 2, entity_type: 1, channel_id: stage.id, scheduled_start_time: at(HOUR) })).body,
    ).toMatchObject({
      entity_type: 1,
      channel_id: stage.id,
    });

    const listed = await discord('GET', `${events(g)}?with_user_count=true`);
    expect(listed.body).toHaveLength(3);
    expect(listed.body.every((e: { user_count: number }) => e.user_count === 0)).toBe(true);
    expect((await discord('GET', events(g))).body[0]).not.toHaveProperty('user_count');
    expect((await discord('GET', `${events(g)}/${ev.id}?with_user_count=true`)).body).toMatchObject({ id: ev.id, user_count: 0 });

    const patched = await discord('PATCH', `${events(g)}/${ev.id}`, { name: 'LAN party 2', description: null });
    expect(patched.body).toMatchObject({ name: 'LAN party 2', description: null, status: 1 });
    expect((await gw.next('GUILD_SCHEDULED_EVENT_UPDATE', (d) => d.id === ev.id)).d.name).toBe('LAN party 2');
    // Turning the voice event into an external one needs channel_id null, a location and an end time.
    const toExternal = await discord('PATCH', `${events(g)}/${voice.body.id}`, { entity_type: 3 }, { invalid: true });
    expect(toExternal.body).toMatchObject({ code: 50035, errors: { channel_id: {}, entity_metadata: { location: {} }, scheduled_end_time: {} } });
    const moved = await discord('PATCH', `${events(g)}/${voice.body.id}`, {
      entity_type: 3,
      channel_id: null,
      entity_metadata: { location: 'Online' },
      scheduled_end_time: at(4 * HOUR),
    });
    expect(moved.body).toMatchObject({ entity_type: 3, channel_id: null, entity_metadata: { location: 'Online' } });

    expect((await discord('DELETE', `${events(g)}/${ev.id}`)).status).toBe(204);
    expect((await gw.next('GUILD_SCHEDULED_EVENT_DELETE', (d) => d.id === ev.id)).d).toMatchObject({ id: ev.id, guild_id: g.guildId });
    expect(await discord('GET', `${events(g)}/${ev.id}`)).toMatchObject({ status: 404, body: { code: 10070 } });
    expect(await discord('PATCH', `${events(g)}/${ev.id}`, { name: 'x' })).toMatchObject({ status: 404, body: { code: 10070 } });
    expect(await discord('DELETE', `${events(g)}/${ev.id}`)).toMatchObject({ status: 404, body: { code: 10070 } });
    expect(deaf.events.some((e) => e.t.startsWith('GUILD_SCHEDULED_EVENT'))).toBe(false);

    // A session identifying now gets the events in GUILD_CREATE.
    const late = await connectGateway(I.Guilds);
    try {
      const gc = await late.next('GUILD_CREATE', (d) => d.id === g.guildId);
      expect(gc.d.guild_scheduled_events.map((e: { id: string }) => e.id).sort()).toEqual(
        listed.body
          .map((e: { id: string }) => e.id)
          .filter((id: string) => id !== ev.id)
          .sort(),
      );
    } finally {
      late.close();
    }
  });

  it('validates as Discord documents (50035 in the nested errors shape)', async () => {
    const g = (await newGuild(1, 0)) as Guild;
    const room = await voiceChannel(g);
    const stage = await voiceChannel(g, 13);
    const bad = (body: unknown) => discord('POST', events(g), body, { invalid: true });
    const r1 = await bad({ ...external(''), description: 'x'.repeat(1001), privacy_level: 1, scheduled_start_time: at(-HOUR) });
    expect(r1).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(Object.keys(r1.body.errors).sort()).toEqual(['description', 'name', 'privacy_level', 'scheduled_start_time']);
    expect(r1.body.errors.name._errors[0]).toMatchObject({ code: 'BASE_TYPE_BAD_LENGTH' });
    expect((await bad(external('x'.repeat(101)))).body.errors.name._errors[0].code).toBe('BASE_TYPE_BAD_LENGTH');
    const r2 = await bad({ name: 'No place', privacy_level: 2, entity_type: 3, scheduled_start_time: at(HOUR) });
    expect(r2.body.errors).toMatchObject({ entity_metadata: { location: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } }, scheduled_end_time: {} });
    expect((await bad(external('Here', { channel_id: room.id }))).body.errors).toHaveProperty('channel_id');
    expect((await bad(external('Backwards', { scheduled_end_time: at(HOUR / 2) }))).body.errors).toHaveProperty('scheduled_end_time');
    expect((await bad(external('Bad time', { scheduled_start_time: 'tomorrow' }))).body.errors.scheduled_start_time._errors[0].code).toBe(
      'DATE_TIME_TYPE_PARSE',
    );
    // A VOICE event needs a voice channel, a STAGE_INSTANCE event a stage channel.
    const voiceIn = (channel_id: string | undefined, entity_type: number) =>
      bad({ name: 'Voice', privacy_level: 2, entity_type, scheduled_start_time: at(HOUR), ...(channel_id ? { channel_id } : {}) });
    expect((await voiceIn(undefined, 2)).body.errors.channel_id._errors[0].code).toBe('BASE_TYPE_REQUIRED');
    expect((await voiceIn(stage.id, 2)).body.errors).toHaveProperty('channel_id');
    expect((await voiceIn(room.id, 1)).body.errors).toHaveProperty('channel_id');
    expect((await voiceIn(g.generalChannelId, 2)).body.errors).toHaveProperty('channel_id');
    expect((await discord('GET', events(g))).body).toEqual([]);
  });

  it('allows only SCHEDULED→ACTIVE→COMPLETED and SCHEDULED→CANCELED, and nothing after the end (180000)', async () => {
    const g = (await newGuild(2, 0)) as Guild;
    const path = (id: string) => `${events(g)}/${id}`;
    const a = (await discord('POST', events(g), external('A'))).body;
    const b = (await discord('POST', events(g), external('B'))).body;
    expect(await discord('PATCH', path(a.id), { status: 3 })).toMatchObject({ status: 400, body: { code: 50035, errors: { status: {} } } });
    expect((await discord('PATCH', path(a.id), { status: 2 })).body.status).toBe(2);
    expect((await gw.next('GUILD_SCHEDULED_EVENT_UPDATE', (d) => d.id === a.id && d.status === 2)).d.status).toBe(2);
    expect(await discord('PATCH', path(a.id), { status: 4 })).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(await discord('PATCH', path(a.id), { status: 1 })).toMatchObject({ status: 400, body: { code: 50035 } });
    expect((await discord('PATCH', path(a.id), { status: 3 })).body.status).toBe(3);
    expect(await discord('PATCH', path(a.id), { name: 'again' })).toMatchObject({ status: 400, body: { code: 180000 } });
    expect((await discord('PATCH', path(b.id), { status: 4 })).body.status).toBe(4);
    expect(await discord('PATCH', path(b.id), { status: 2 })).toMatchObject({ status: 400, body: { code: 180000 } });
    // Finished events stay listed with their status (Discord drops them later; the simulator keeps them).
    expect((await discord('GET', events(g))).body.map((e: { status: number }) => e.status).sort()).toEqual([3, 4]);
    // Members cannot mark interest in a finished event.
    await expect(interested(g, b.id, g.memberIds[0]!)).rejects.toThrow(/400/);
  });

  it('tracks interested members: user add/remove dispatches, the users list and its count', async () => {
    const g = (await newGuild(5, 0)) as Guild;
    const ev = (await discord('POST', events(g), external('Tournament'))).body;
    const users = g.memberIds.slice(0, 4);
    for (const u of users) {
      const r = await interested(g, ev.id, u);
      expect(r.deliveries.map((x) => x.sessionId)).toContain(gw.sessionId);
      expect(r.deliveries.map((x) => x.sessionId)).not.toContain(deaf.sessionId);
    }
    expect((await gw.next('GUILD_SCHEDULED_EVENT_USER_ADD', (d) => d.user_id === users[0])).d).toEqual({
      guild_scheduled_event_id: ev.id,
      user_id: users[0],
      guild_id: g.guildId,
    });
    // Marking twice changes nothing.
    expect((await interested(g, ev.id, users[0]!)).deliveries).toEqual([]);
    const off = await interested(g, ev.id, users[3]!, true);
    expect(off.user_count).toBe(3);
    expect((await gw.next('GUILD_SCHEDULED_EVENT_USER_REMOVE', (d) => d.user_id === users[3])).d).toEqual({
      guild_scheduled_event_id: ev.id,
      user_id: users[3],
      guild_id: g.guildId,
    });
    await expect(interested(g, ev.id, '123456789012345678')).rejects.toThrow(/10007/);

    const sorted = users.slice(0, 3).sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    const list = await discord('GET', `${events(g)}/${ev.id}/users`);
    expect(list.body.map((u: { user: { id: string } }) => u.user.id)).toEqual(sorted);
    expect(list.body[0]).toEqual({ guild_scheduled_event_id: ev.id, user: expect.objectContaining({ id: sorted[0] }) });
    const withMember = await discord('GET', `${events(g)}/${ev.id}/users?with_member=true&limit=1`);
    expect(withMember.body).toEqual([expect.objectContaining({ member: expect.objectContaining({ joined_at: expect.any(String) }) })]);
    expect((await discord('GET', `${events(g)}/${ev.id}/users?after=${sorted[0]}`)).body.map((u: { user: { id: string } }) => u.user.id)).toEqual(
      sorted.slice(1),
    );
    // With both, only `before` counts.
    expect(
      (await discord('GET', `${events(g)}/${ev.id}/users?before=${sorted[2]}&after=${sorted[1]}`)).body.map((u: { user: { id: string } }) => u.user.id),
    ).toEqual(sorted.slice(0, 2));
    expect((await discord('GET', `${events(g)}/${ev.id}/users?limit=101`, undefined, { invalid: true })).body).toMatchObject({ code: 50035 });
    expect((await discord('GET', `${events(g)}/${ev.id}/users/counts`)).body).toEqual({
      guild_scheduled_event_count: 3,
      guild_scheduled_event_exception_counts: {},
    });
    expect((await discord('GET', `${events(g)}/${ev.id}?with_user_count=true`)).body.user_count).toBe(3);

    const view = await simApi<{ events: { id: string; user_count: number; user_ids: string[] }[] }>(`/_sim/guilds/${g.guildId}/scheduled-events`);
    expect(view.events).toEqual([expect.objectContaining({ id: ev.id, user_count: 3, user_ids: sorted })]);
  });

  it('needs CREATE_EVENTS or MANAGE_EVENTS, MANAGE_EVENTS for others’ events, and CONNECT for voice events (50013)', async () => {
    const g = (await newGuild(2, 0)) as Guild;
    const room = await voiceChannel(g);
    const theirs = await simApi<{ event: { id: string; creator_id: string } }>(`/_sim/guilds/${g.guildId}/scheduled-events`, {
      body: { user_id: g.memberIds[0], ...external('Member meetup') },
    });
    expect(theirs.event.creator_id).toBe(g.memberIds[0]);
    await gw.next('GUILD_SCHEDULED_EVENT_CREATE', (d) => d.id === theirs.event.id);

    await setRolePermissions(g.guildId, g.botRoleId, 0n);
    expect(await discord('POST', events(g), external('Nope'))).toMatchObject({ status: 403, body: { code: 50013 } });

    await setRolePermissions(g.guildId, g.botRoleId, P.CreateEvents);
    const mine = await discord('POST', events(g), external('Mine'));
    expect(mine.status).toBe(200);
    expect((await discord('PATCH', `${events(g)}/${mine.body.id}`, { name: 'Still mine' })).status).toBe(200);
    expect(await discord('PATCH', `${events(g)}/${theirs.event.id}`, { name: 'Taken' })).toMatchObject({ status: 403, body: { code: 50013 } });
    expect(await discord('DELETE', `${events(g)}/${theirs.event.id}`)).toMatchObject({ status: 403, body: { code: 50013 } });
    // A voice event needs VIEW_CHANNEL and CONNECT in its channel: take CONNECT from @everyone.
    const voiceBody = { name: 'Voice', privacy_level: 2, entity_type: 2, channel_id: room.id, scheduled_start_time: at(HOUR) };
    expect((await discord('POST', events(g), voiceBody)).status).toBe(200);
    const everyone = (await discord('GET', `/guilds/${g.guildId}/roles`)).body.find((r: { id: string }) => r.id === g.guildId);
    await setRolePermissions(g.guildId, g.guildId, BigInt(everyone.permissions) & ~P.Connect);
    expect(await discord('POST', events(g), voiceBody)).toMatchObject({ status: 403, body: { code: 50013 } });

    await setRolePermissions(g.guildId, g.botRoleId, P.ManageEvents);
    expect((await discord('PATCH', `${events(g)}/${theirs.event.id}`, { name: 'Managed' })).body.name).toBe('Managed');
    expect((await discord('DELETE', `${events(g)}/${theirs.event.id}`)).status).toBe(204);
  });

  it('caps a guild at 100 SCHEDULED or ACTIVE events (30038); a canceled one frees a place', async () => {
    const g = (await newGuild(1, 0)) as Guild;
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await discord('POST', events(g), external(`Event ${i + 1}`));
      expect(r.status).toBe(200);
      ids.push(r.body.id);
    }
    expect(await discord('POST', events(g), external('One too many'))).toMatchObject({ status: 400, body: { code: 30038 } });
    await simApi(`/_sim/guilds/${g.guildId}/scheduled-events`, { body: { user_id: g.memberIds[0], ...external('Member too') } }).then(
      () => expect.unreachable('the cap applies to members too'),
      (err: Error) => expect(err.message).toMatch(/30038/),
    );
    expect((await discord('PATCH', `${events(g)}/${ids[0]}`, { status: 4 })).body.status).toBe(4);
    expect((await discord('POST', events(g), external('Room again'))).status).toBe(200);
  });
});
