import { describe, expect, it } from 'vitest';
import { clock } from '../../src/runtime/clock.ts';
import { guildActor } from '../../src/runtime/stubs.ts';
import { env, newGuild } from '../helpers.ts';
import { advanceClock, resetClock } from '../support/clock.ts';

describe('the injectable clock', () => {
  it('moves for the actors too: tests and actors share one isolate and one clock module', async () => {
    const g = await newGuild();
    const guild = guildActor(env, g.guildId);
    advanceClock(10 * 86_400_000);
    expect(clock.now() - Date.now()).toBeGreaterThanOrEqual(10 * 86_400_000 - 5);
    // The actor sets its housekeeping timer a day from *its* now: eleven days from the real one.
    await guild.applyEvents(0, 'clock-check', [{ s: 1, t: 'MESSAGE_REACTION_ADD', d: { guild_id: g.guildId, user_id: '1' } }]);
    const housekeeping = (await guild.timers()).find((t) => t.kind === 'housekeeping');
    expect(housekeeping!.at - Date.now()).toBeGreaterThan(10.9 * 86_400_000);
    resetClock();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(5);
  });
});
