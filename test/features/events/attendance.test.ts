import { runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { now } from '../../../src/runtime/clock.ts';
import { buttonId, deliver, env, newGuild, press, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { int, runOk, stored, str } from '../levels/support.ts';
import { content, createEvent, eventPost } from './support.ts';

afterEach(() => resetClock());

async function pass(g: TestGuild, ms: number): Promise<void> {
  advanceClock(ms);
  await runDurableObjectAlarm(guildActor(env, g.guildId) as never);
}

describe('attending events earns levels', () => {
  it('gives the guild’s event XP to each member Going when the event starts, once, and counts the event towards “events attended”', async () => {
    const g = await newGuild(4);
    const [a, b, c] = g.memberIds as [string, string, string];
    advanceClock(Date.parse('2026-12-05T10:00:00Z') - now());
    expect(await runOk(g, 'levels config', [int('event_xp', 50000)])).toBe('Event XP must be 0 to 10,000 per event. Nothing changed.');
    expect(await runOk(g, 'levels config', [int('event_xp', 40), str('announce', 'off')])).toMatch(/events 40 XP each/);
    await createEvent(g, {}, { title: 'Raid', start: '2026-12-05 12:00' });
    const post = await eventPost(g, 'Raid');
    const answer = (u: string, label: string) => deliver(press(g, u, buttonId(post, label), g.generalChannelId, post.id));
    expect(content(await answer(a, 'Going'))).toMatch(/going/);
    await answer(b, 'Going');
    await answer(c, 'Maybe');
    await answer(b, 'Not going');
    await pass(g, Date.parse('2026-12-05T12:00:00Z') - now());
    expect(await stored(g, a)).toMatchObject({ xp: 40, events: 1 });
    expect(await stored(g, b)).toBeNull();
    expect(await stored(g, c)).toBeNull();
    // The start claimed once: another alarm run gives nothing more.
    await pass(g, 60_000);
    expect(await stored(g, a)).toMatchObject({ xp: 40, events: 1 });
  });
});
