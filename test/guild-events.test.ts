import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { guildActor, ticketActor } from '../src/objects/rest.ts';
import { env, newGuild, openTicket, simApi } from './helpers.ts';

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
    expect(await guild.applyEvents(0, 'sess-a', events.slice(0, 4))).toEqual({ applied: 4, skipped: 0 });
    // A resume replays 3..6: only 5 and 6 are new.
    expect(await guild.applyEvents(0, 'sess-a', events.slice(2))).toEqual({ applied: 2, skipped: 2 });
    expect(await guild.applyEvents(0, 'sess-a', events)).toEqual({ applied: 0, skipped: 6 });
    // A new session starts its sequence again.
    expect(await guild.applyEvents(0, 'sess-b', [{ s: 1, t: 'GUILD_MEMBER_REMOVE', d: { guild_id: g.guildId, user: { id: '1' } } }])).toEqual({ applied: 1, skipped: 0 });

    const transcript = (await ticketActor(env, id).view())!.transcript;
    expect(transcript.filter((e) => e.content === 'from the gateway')).toHaveLength(1);
    const summary = await guild.gatewaySummary();
    expect(summary.guild).toMatchObject({ id: g.guildId, name: 'Test Guild', memberCount: 9, channels: 2, roles: 1 });
    const counts = Object.fromEntries(summary.counts.map((c) => [c.kind, c.n]));
    expect(counts).toEqual({ member_join: 2, member_leave: 1, message: 1, invite_create: 1, reaction_add: 1 });
  });
});
