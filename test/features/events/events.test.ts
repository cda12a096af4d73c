import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { now } from '../../../src/runtime/clock.ts';
import { buttonId, buttons, deliver, env, eventually, lastSeq, newGuild, press, simLog, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { dmsOf } from '../moderation/helpers.ts';
import { content, createEvent, event, eventPost, field, submitForm } from './support.ts';

afterEach(() => resetClock());

const customId = buttonId;

async function pass(g: TestGuild, ms: number): Promise<void> {
  advanceClock(ms);
  await runDurableObjectAlarm(guildActor(env, g.guildId) as never);
}

describe('creating an event', () => {
  it('opens the form from /event create and posts the event with its buttons, times as Discord timestamps', async () => {
    const g = await newGuild();
    const start = Date.parse('2026-12-20T19:00:00Z');
    await deliver(event(g, g.adminId, 'config', { timezone: 'Europe/Berlin' }));
    const opened = await deliver(event(g, g.adminId, 'create', { capacity: 10, location: 'Main hall', repeat: 'weekly' }));
    const form = (opened.response as { data: { title: string; components: { components: { label: string; placeholder?: string }[] }[] } }).data;
    expect(form.components.map((r) => r.components[0]!.label)).toEqual(['Title', 'Description', 'Start', 'Duration']);
    expect(form.components[2]!.components[0]!.placeholder).toMatch(/^Europe\/Berlin:/);
    advanceClock(Date.parse('2026-12-05T10:00:00Z') - now());
    const created = await submitForm(g, opened, { title: 'Raid night', start: '2026-12-20 20:00', duration: '2h' });
    expect(content(created)).toBe(`Event #1 **Raid night** is posted in <#${g.generalChannelId}>: it starts <t:${start / 1000}:F> (read as Europe/Berlin).`);
    const post = await eventPost(g, 'Raid night');
    expect(field(post, 'When')!.value).toBe(`<t:${start / 1000}:F> – <t:${start / 1000 + 7200}:t> (<t:${start / 1000}:R>)`);
    expect(field(post, 'Where')!.value).toBe('Main hall');
    expect(field(post, 'Repeats')!.value).toBe('Every week');
    expect(field(post, 'Going')!.name).toBe('Going (0/10)');
    expect(buttons(post).map((b) => b.label)).toEqual(['Going', 'Maybe', 'Not going']);
    const list = await deliver(event(g, g.memberIds[0]!, 'list'));
    expect(content(list)).toContain(`#1 **Raid night** <t:${start / 1000}:F>`);
  });

  it('refuses bad input and changes nothing: capacity 0 or huge, impossible or skipped times, a past start, an unknown zone', async () => {
    const g = await newGuild();
    advanceClock(Date.parse('2027-03-01T10:00:00Z') - now());
    expect(content(await deliver(event(g, g.adminId, 'create', { capacity: 0 })))).toBe('The capacity must be a whole number from 1 to 1000.');
    expect(content(await deliver(event(g, g.adminId, 'create', { capacity: 100000 })))).toBe('The capacity must be a whole number from 1 to 1000.');
    expect(content(await createEvent(g, {}, { start: '2027-02-30 20:00' }))).toBe('That date does not exist. Check the day and month.');
    expect(content(await createEvent(g, {}, { start: '2027-04-01 25:00' }))).toBe('That time does not exist. Use 00:00 to 23:59, or 1am to 12pm.');
    await deliver(event(g, g.adminId, 'config', { timezone: 'Europe/Berlin' }));
    expect(content(await createEvent(g, {}, { start: '2027-03-28 02:30' }))).toMatch(/does not happen in Europe\/Berlin that day/);
    expect(content(await createEvent(g, {}, { start: '2027-02-01 20:00' }))).toMatch(/has already passed/);
    expect(content(await createEvent(g, {}, { start: 'tomorrow 8pm', duration: 'forever' }))).toMatch(/Give a duration/);
    expect(content(await deliver(event(g, g.adminId, 'config', { timezone: 'Mars/Olympus', reminders: '5m' })))).toMatch(/not a time zone name/);
    expect(content(await deliver(event(g, g.memberIds[0]!, 'timezone', { zone: 'Nowhere/City' })))).toMatch(/not a time zone name/);
    expect(content(await deliver(event(g, g.memberIds[0]!, 'create', {})))).toMatch(/Manage Events/);
    // The config refused as a whole kept the 15-minute default.
    expect(content(await deliver(event(g, g.adminId, 'config')))).toBe('Time zone: **Europe/Berlin**. Reminders: 15m before the start, by direct message.');
    expect(content(await deliver(event(g, g.adminId, 'list')))).toBe('No events are coming up. Create one with `/event create`.');
  });

  it('reads the start in the member’s own zone when they set one', async () => {
    const g = await newGuild();
    advanceClock(Date.parse('2026-12-05T10:00:00Z') - now());
    await deliver(event(g, g.adminId, 'timezone', { zone: 'America/New_York' }));
    const created = await createEvent(g, {}, { title: 'Late game', start: 'tomorrow 8pm' });
    expect(content(created)).toContain(`<t:${Date.parse('2026-12-07T01:00:00Z') / 1000}:F> (read as America/New_York)`);
  });
});

describe('answers', () => {
  it('fills the places, waitlists the rest in order, promotes in order when a Going leaves, and edits the post in place', async () => {
    const g = await newGuild(6);
    advanceClock(Date.parse('2026-12-05T10:00:00Z') - now());
    await createEvent(g, { capacity: 2 }, { title: 'Small table', start: '2026-12-10 18:00' });
    const post = await eventPost(g, 'Small table');
    const [a, b, c, d] = g.memberIds as [string, string, string, string];
    const answer = (u: string, label: string) => deliver(press(g, u, customId(post, label), g.generalChannelId, post.id));
    expect(content(await answer(a, 'Going'))).toBe('You’re going to **Small table**.');
    await answer(b, 'Going');
    expect(content(await answer(c, 'Going'))).toMatch(/number 1 on the waitlist/);
    expect(content(await answer(d, 'Going'))).toMatch(/number 2 on the waitlist/);
    await eventPost(g, 'Small table', (m) => m.id === post.id && field(m, 'Waitlist')?.value === `<@${c}>, <@${d}>`, 'waitlist shown');
    expect(content(await answer(a, 'Not going'))).toBe('You’re not going to **Small table**.');
    const edited = await eventPost(g, 'Small table', (m) => field(m, 'Going')?.value === `<@${b}>, <@${c}>`, 'c promoted');
    expect(edited.id).toBe(post.id);
    expect(field(edited, 'Going')!.name).toBe('Going (2/2)');
    expect(field(edited, 'Waitlist')!.value).toBe(`<@${d}>`);
    expect(field(edited, 'Not going')!.name).toBe('Not going (1)');
    await eventually(async () => (await dmsOf(c)).messages.find((m) => m.content.startsWith('🎉 A place freed up')), 8000, 'promotion DM');
    expect(content(await answer(b, 'Maybe'))).toBe('You might go to **Small table**.');
    await eventPost(g, 'Small table', (m) => field(m, 'Going')?.value === `<@${c}>, <@${d}>` && field(m, 'Waitlist') === undefined, 'd promoted');
  });

  it('folds a burst of answers into a few edits of the post, which ends up showing every answer', async () => {
    const g = await newGuild(30);
    advanceClock(Date.parse('2026-12-05T10:00:00Z') - now());
    await createEvent(g, {}, { title: 'Crowded', start: '2026-12-10 18:00' });
    const post = await eventPost(g, 'Crowded');
    await eventually(async () => (await simLog(0)).some((c) => c.method === 'PUT' && c.path.includes(post.id)), 8000, 'post settled');
    const from = await lastSeq();
    const members = g.memberIds.slice(0, 25);
    await Promise.all(members.map((u) => deliver(press(g, u, customId(post, 'Going'), g.generalChannelId, post.id))));
    await eventPost(g, 'Crowded', (m) => field(m, 'Going')?.name === 'Going (25)', 'all 25 shown');
    const queuedEdits = () =>
      runInDurableObject(
        guildActor(env, g.guildId) as never,
        async (_o: unknown, state: DurableObjectState) =>
          state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'events-post'`).one().n,
      );
    await eventually(async () => (await queuedEdits()) === 0, 8000, 'no edit left to make');
    const edits = (await simLog(from)).filter((c) => c.method === 'PATCH' && c.path.endsWith(`/messages/${post.id}`));
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.length).toBeLessThan(members.length / 2);
  });

  it('counts ✅ ❔ ❌ reactions on the post as answers (gateway MESSAGE_REACTION_ADD / REMOVE)', async () => {
    const g = await newGuild(4);
    advanceClock(Date.parse('2026-12-05T10:00:00Z') - now());
    await createEvent(g, { capacity: 1 }, { title: 'Reacted', start: '2026-12-10 18:00' });
    const post = await eventPost(g, 'Reacted');
    const [a, b] = g.memberIds as [string, string];
    let s = 0;
    const react = (t: 'MESSAGE_REACTION_ADD' | 'MESSAGE_REACTION_REMOVE', userId: string, emoji: string) =>
      guildActor(env, g.guildId).applyEvents(0, `reactions-${g.guildId}`, [
        {
          s: ++s,
          t,
          d: { user_id: userId, channel_id: g.generalChannelId, message_id: post.id, guild_id: g.guildId, emoji: { id: null, name: emoji }, type: 0 },
        },
      ]);
    await react('MESSAGE_REACTION_ADD', a, '✅');
    await react('MESSAGE_REACTION_ADD', b, '✅');
    await eventPost(g, 'Reacted', (m) => field(m, 'Going')?.value === `<@${a}>` && field(m, 'Waitlist')?.value === `<@${b}>`, 'reactions counted');
    await react('MESSAGE_REACTION_REMOVE', a, '✅');
    await eventPost(g, 'Reacted', (m) => field(m, 'Going')?.value === `<@${b}>` && field(m, 'Waitlist') === undefined, 'removed reaction frees the place');
    await react('MESSAGE_REACTION_ADD', a, '❔');
    await eventPost(g, 'Reacted', (m) => field(m, 'Maybe')?.value === `<@${a}>`, 'maybe by reaction');
  });
});

describe('reminders', () => {
  it('reminds those going once, on time, 15 minutes before by default, even after the actor is evicted', async () => {
    const g = await newGuild(3);
    advanceClock(Date.parse('2026-12-05T10:00:00Z') - now());
    await createEvent(g, {}, { title: 'Soon', start: '2026-12-05 12:00' });
    const post = await eventPost(g, 'Soon');
    const [a, b] = g.memberIds as [string, string];
    await deliver(press(g, a, customId(post, 'Going'), g.generalChannelId, post.id));
    await deliver(press(g, b, customId(post, 'Maybe'), g.generalChannelId, post.id));
    const start = Date.parse('2026-12-05T12:00:00Z');
    const due = (await guildActor(env, g.guildId).timers()).find((x) => x.kind === 'events-reminder')!;
    expect(due.at).toBe(start - 15 * 60_000);
    await evictDurableObject(guildActor(env, g.guildId));
    // A minute early: nothing yet.
    await pass(g, due.at - 60_000 - now());
    expect((await dmsOf(a)).messages).toEqual([]);
    await pass(g, 61_000);
    const dm = await eventually(async () => (await dmsOf(a)).messages.find((m) => m.content.startsWith('⏰')), 8000, 'reminder DM');
    expect(dm.content).toBe(`⏰ **Soon** starts <t:${start / 1000}:R> (<t:${start / 1000}:F>).`);
    // Claimed (and its DM queued) by the alarm within a few seconds of the due time.
    const claimed = await runInDurableObject(guildActor(env, g.guildId) as never, async (_o: unknown, state: DurableObjectState) =>
      state.storage.sql.exec<{ at: number }>(`SELECT at FROM event_reminders_sent`).toArray(),
    );
    expect(claimed).toHaveLength(1);
    expect(claimed[0]!.at - due.at).toBeGreaterThanOrEqual(0);
    expect(claimed[0]!.at - due.at).toBeLessThan(5000);
    expect((await dmsOf(b)).messages).toEqual([]);
    await evictDurableObject(guildActor(env, g.guildId));
    await pass(g, 60_000);
    await pass(g, 20 * 60_000);
    expect((await dmsOf(a)).messages.filter((m) => m.content.startsWith('⏰'))).toHaveLength(1);
  });
});
