import { runInDurableObject } from 'cloudflare:test';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { env, eventually, newGuild, simApi } from '../../helpers.ts';
import { passTime, resetClock } from '../../support/clock.ts';
import { startGateway, stopGateway } from '../../support/gateway.ts';
import { int, runOk, stored, str } from './support.ts';

afterEach(() => resetClock());

describe('levels over the real gateway', () => {
  afterAll(stopGateway);

  it('messages posted in the simulator earn XP, and voice states arrive with the voice intent and pay per minute', async () => {
    const g = await newGuild();
    const [a, b, c] = g.memberIds as [string, string, string];
    await runOk(g, 'levels config', [int('xp_min', 20), int('xp_max', 20), int('cooldown', 0), int('voice_xp', 5), str('announce', 'off')]);
    await startGateway();
    for (let i = 0; i < 3; i++) await simApi(`/_sim/channels/${g.generalChannelId}/messages`, { body: { user_id: a, content: `message ${i}` } });
    await eventually(async () => (await stored(g, a))?.messages === 3, 15_000, 'three messages counted over the gateway');
    expect((await stored(g, a))!.xp).toBe(60);

    const room = (await simApi<{ id: string }>(`/_sim/guilds/${g.guildId}/voice-channels`, { body: { name: 'Hangout' } })).id;
    for (const u of [b, c]) {
      const r = await simApi<{ deliveries: unknown[] }>(`/_sim/guilds/${g.guildId}/voice`, { body: { user_id: u, channel_id: room } });
      expect(r.deliveries.length).toBeGreaterThan(0);
    }
    const stub = guildActor(env, g.guildId);
    // Both members' states must have arrived before the minute passes: one alone earns nothing.
    const inVoice = () => runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM levels_voice').one().n);
    await eventually(
      async () => (await inVoice()) === 2 && (await stub.timers()).some((t) => t.kind === 'levels-voice'),
      15_000,
      'voice states over the gateway',
    );
    await passTime(stub, 60_000);
    await eventually(async () => (await stored(g, b))?.voiceMinutes === 1 && (await stored(g, c))?.voiceMinutes === 1, 5_000, 'a minute in voice');
    expect((await stored(g, b))!.xp).toBe(5);
  });
});
