import type { GatewayVoiceState } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { env, newGuild, simApi, type TestGuild } from '../../helpers.ts';
import { passTime, resetClock } from '../../support/clock.ts';
import { batch, int, runOk, stored, str } from './support.ts';

afterEach(() => resetClock());

/** A member's voice change in the simulator, handed to the guild actor as the VOICE_STATE_UPDATE the gateway carries. */
async function voice(g: TestGuild, userId: string, channelId: string | null, flags: { self_deaf?: boolean } = {}) {
  const { state } = await simApi<{ state: GatewayVoiceState }>(`/_sim/guilds/${g.guildId}/voice`, {
    body: { user_id: userId, channel_id: channelId, ...flags },
  });
  await batch(g, [{ t: 'VOICE_STATE_UPDATE', d: state }]);
  return state;
}

const minutes = async (g: TestGuild, userId: string) => {
  const m = await stored(g, userId);
  return { xp: m?.xp ?? 0, minutes: m?.voiceMinutes ?? 0 };
};

describe('voice XP', () => {
  it('pays per minute in voice, not to members alone, self-deafened or with only deafened company', async () => {
    const g = await newGuild(6);
    const [a, b, c, d, e] = g.memberIds as [string, string, string, string, string];
    const stub = guildActor(env, g.guildId);
    await runOk(g, 'levels config', [int('voice_xp', 10), str('announce', 'off')]);
    const lounge = (await simApi<{ id: string }>(`/_sim/guilds/${g.guildId}/voice-channels`, { body: { name: 'Lounge' } })).id;
    const quiet = (await simApi<{ id: string }>(`/_sim/guilds/${g.guildId}/voice-channels`, { body: { name: 'Quiet' } })).id;
    await voice(g, a, lounge);
    await voice(g, b, lounge);
    await voice(g, c, lounge, { self_deaf: true });
    await voice(g, d, quiet);
    await voice(g, e, quiet, { self_deaf: true });
    expect((await stub.timers()).some((t) => t.kind === 'levels-voice')).toBe(true);

    await passTime(stub, 60_000);
    expect(await Promise.all([a, b, c, d, e].map((u) => minutes(g, u)))).toEqual([
      { xp: 10, minutes: 1 },
      { xp: 10, minutes: 1 },
      { xp: 0, minutes: 0 },
      { xp: 0, minutes: 0 },
      { xp: 0, minutes: 0 },
    ]);

    // b leaves: a is alone now; c undeafens and keeps a company.
    await voice(g, b, null);
    await passTime(stub, 60_000);
    expect(await minutes(g, a)).toEqual({ xp: 10, minutes: 1 });
    await voice(g, c, lounge, { self_deaf: false });
    await passTime(stub, 60_000);
    expect(await minutes(g, a)).toEqual({ xp: 20, minutes: 2 });
    expect(await minutes(g, c)).toEqual({ xp: 10, minutes: 1 });

    // Everyone out: the per-minute timer stops.
    for (const u of [a, c, d, e]) await voice(g, u, null);
    await passTime(stub, 60_000);
    expect((await stub.timers()).some((t) => t.kind === 'levels-voice')).toBe(false);
  });

  it('pays nothing in the guild’s AFK channel, as GUILD_CREATE and GUILD_UPDATE name it', async () => {
    const g = await newGuild(4);
    const [a, b] = g.memberIds as [string, string];
    const stub = guildActor(env, g.guildId);
    await runOk(g, 'levels config', [int('voice_xp', 10), str('announce', 'off')]);
    const idle = (await simApi<{ id: string }>(`/_sim/guilds/${g.guildId}/voice-channels`, { body: { name: 'AFK' } })).id;
    await batch(g, [{ t: 'GUILD_UPDATE', d: { id: g.guildId, afk_channel_id: idle } }]);
    await voice(g, a, idle);
    await voice(g, b, idle);
    await passTime(stub, 60_000);
    expect(await minutes(g, a)).toEqual({ xp: 0, minutes: 0 });
    // The guild clears its AFK channel: the same room now counts.
    await batch(g, [{ t: 'GUILD_UPDATE', d: { id: g.guildId, afk_channel_id: null } }]);
    await passTime(stub, 60_000);
    expect(await minutes(g, a)).toEqual({ xp: 10, minutes: 1 });
  });

  it('is off by default', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    const stub = guildActor(env, g.guildId);
    const room = (await simApi<{ id: string }>(`/_sim/guilds/${g.guildId}/voice-channels`, { body: {} })).id;
    await voice(g, a, room);
    await voice(g, b, room);
    expect((await stub.timers()).some((t) => t.kind === 'levels-voice')).toBe(false);
    await passTime(stub, 60_000);
    expect(await minutes(g, a)).toEqual({ xp: 0, minutes: 0 });
  });

  it('the simulator lists voice states and refuses a text channel as a voice channel', async () => {
    const g = await newGuild();
    const room = (await simApi<{ id: string }>(`/_sim/guilds/${g.guildId}/voice-channels`, { body: {} })).id;
    const s = await voice(g, g.memberIds[0]!, room, { self_deaf: true });
    expect(s).toMatchObject({ guild_id: g.guildId, channel_id: room, user_id: g.memberIds[0], self_deaf: true, deaf: false, suppress: false });
    expect(s.member?.user?.id).toBe(g.memberIds[0]);
    const listed = await simApi<{ voice_states: GatewayVoiceState[] }>(`/_sim/guilds/${g.guildId}/voice`);
    expect(listed.voice_states.map((v) => v.user_id)).toEqual([g.memberIds[0]]);
    await expect(simApi(`/_sim/guilds/${g.guildId}/voice`, { body: { user_id: g.memberIds[1], channel_id: g.generalChannelId } })).rejects.toThrow(
      /voice channel/,
    );
  });
});
