import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { guildActor, ticketActor } from '../../src/runtime/actors.ts';
import { env, eventually, newGuild, openTicket, simApi } from '../helpers.ts';
import { advanceClock } from '../support/clock.ts';

describe('gateway events in the guild actor', () => {
  it('applies each dispatch once per shard session, even when a resume replays a batch', async () => {
    const g = await newGuild();
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    const msg = await simApi<APIMessage>(`/_sim/channels/${ticket.channelId}/messages`, { body: { user_id: g.memberIds[0], content: 'from the gateway' } });
    const guild = guildActor(env, g.guildId);
    const events = [
      { s: 1, t: 'GUILD_CREATE', d: { id: g.guildId, name: 'Test Guild', owner_id: g.ownerId, member_count: 9, channels: [{}, {}], threads: [], roles: [{}] } },
      { s: 2, t: 'GUILD_MEMBER_ADD', d: { guild_id: g.guildId, user: { id: '1' } } },
      { s: 3, t: 'MESSAGE_CREATE', d: { ...msg, guild_id: g.guildId } },
      { s: 4, t: 'GUILD_MEMBER_ADD', d: { guild_id: g.guildId, user: { id: '2' } } },
      { s: 5, t: 'INVITE_CREATE', d: { guild_id: g.guildId, code: 'abc' } },
      { s: 6, t: 'MESSAGE_REACTION_ADD', d: { guild_id: g.guildId } },
    ];
    expect(await guild.applyEvents(0, 'sess-a', events.slice(0, 4))).toMatchObject({ applied: 4, skipped: 0 });
    // A resume replays 3..6: only 5 and 6 are new.
    expect(await guild.applyEvents(0, 'sess-a', events.slice(2))).toMatchObject({ applied: 2, skipped: 2 });
    expect(await guild.applyEvents(0, 'sess-a', events)).toMatchObject({ applied: 0, skipped: 6 });
    // A new session starts its sequence again.
    expect(await guild.applyEvents(0, 'sess-b', [{ s: 1, t: 'GUILD_MEMBER_REMOVE', d: { guild_id: g.guildId, user: { id: '1' } } }])).toMatchObject({
      applied: 1,
      skipped: 0,
    });

    const transcript = (await ticketActor(env, id).view())!.transcript;
    expect(transcript.filter((e) => e.content === 'from the gateway')).toHaveLength(1);
    const summary = await guild.gatewaySummary();
    expect(summary.guild).toMatchObject({ id: g.guildId, name: 'Test Guild', memberCount: 9, channels: 2, roles: 1 });
    const counts = Object.fromEntries(summary.counts.map((c) => [c.kind, c.n]));
    expect(counts).toEqual({ member_join: 2, member_leave: 1, message: 1, invite_create: 1, reaction_add: 1 });
  });

  it('hands over between shard sets: held events the old set applied are skipped, the rest applied once, in order', async () => {
    const g = await newGuild();
    const guild = guildActor(env, g.guildId);
    const react = (user: string, n: number) => ({
      t: 'MESSAGE_REACTION_ADD',
      d: { guild_id: g.guildId, user_id: user, message_id: '42', emoji: { id: null, name: `e${n}` } },
    });
    const join = (user: string) => ({ t: 'GUILD_MEMBER_ADD', d: { guild_id: g.guildId, user: { id: user }, joined_at: `2026-11-23T00:00:0${user}.000Z` } });
    const seq = (list: { t: string; d: unknown }[], from: number) => list.map((e, i) => ({ ...e, s: from + i }));
    const old = { generation: 7, shadow: false, recording: false };
    // Before the handover: the old set (generation 7) is in charge.
    expect(await guild.applyEvents(0, 'old', seq([join('1')], 1), old)).toMatchObject({ applied: 1, route: 'cutover' });
    // The handover begins: the old set records, the new one (8, shadow) connects and sees the same events from then on.
    const rec = { ...old, recording: true };
    const shadow = { generation: 8, shadow: true, recording: false };
    // The same reaction twice (added, removed, added again) must stay twice.
    const overlap = [react('5', 1), react('5', 1), join('2')];
    expect(await guild.applyEvents(0, 'old', seq(overlap, 2), rec)).toMatchObject({ applied: 3, route: 'apply' });
    // The new set holds the overlap plus what came after the old set closed.
    const after = [join('3'), react('6', 2)];
    expect(await guild.applyEvents(1, 'new', seq([...overlap, ...after], 1), shadow)).toMatchObject({ held: 5, applied: 0, route: 'hold' });
    // A resume replay of the shadow set is held once.
    expect(await guild.applyEvents(1, 'new', seq([...overlap, ...after], 1), shadow)).toMatchObject({ held: 0, skipped: 5 });
    // Promotion: an empty live batch cuts over; only the two events the old set never had are applied.
    expect(await guild.applyEvents(1, 'new', [], { generation: 8, shadow: false, recording: false })).toMatchObject({ route: 'cutover' });
    // Late batches from the superseded set change nothing.
    expect(await guild.applyEvents(0, 'old', seq([join('9')], 5), rec)).toMatchObject({ applied: 0, route: 'stale' });
    // And the new set, live, applies directly.
    expect(await guild.applyEvents(1, 'new', seq([react('7', 3)], 6), { generation: 8, shadow: false, recording: false })).toMatchObject({
      applied: 1,
      route: 'apply',
    });
    const counts = Object.fromEntries((await guild.gatewaySummary()).counts.map((c) => [c.kind, c.n]));
    expect(counts).toEqual({ member_join: 3, reaction_add: 4 });
  });

  it('keeps the last applied sequence of the newest sessions only, after the daily housekeeping', async () => {
    const g = await newGuild();
    const guild = guildActor(env, g.guildId);
    for (let i = 0; i < 40; i++) await guild.applyEvents(0, `sess-${i}`, [{ s: 1, t: 'MESSAGE_REACTION_ADD', d: { guild_id: g.guildId, user_id: String(i) } }]);
    const sessions = () =>
      runInDurableObject(guild as never, (_i: unknown, state: DurableObjectState) =>
        state.storage.sql
          .exec<{ session: string }>(`SELECT session FROM gateway_applied`)
          .toArray()
          .map((r) => r.session),
      );
    expect(await sessions()).toHaveLength(40);
    // A day passes (the clock moves; nothing is edited in the actor's tables).
    expect((await guild.timers()).map((t) => t.kind)).toContain('housekeeping');
    advanceClock(86_400_000 + 1000);
    await eventually(
      async () => {
        await runDurableObjectAlarm(guild as never);
        return (await sessions()).length === 32;
      },
      8000,
      'housekeeping',
    );
    expect(await sessions()).toEqual(expect.arrayContaining(['sess-39', 'sess-8']));
    expect(await sessions()).not.toContain('sess-7');
    // A replay of a kept session is still recognised.
    expect(await guild.applyEvents(0, 'sess-39', [{ s: 1, t: 'MESSAGE_REACTION_ADD', d: { guild_id: g.guildId, user_id: '39' } }])).toMatchObject({
      applied: 0,
      skipped: 1,
    });
  });
});
