import { runDurableObjectAlarm } from 'cloudflare:test';
import { type APIGuildScheduledEvent, GuildScheduledEventEntityType, GuildScheduledEventStatus as Status } from 'discord-api-types/v10';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { now } from '../../../src/runtime/clock.ts';
import { buttonId, deliver, env, eventually, guildSnapshot, newGuild, press, replyText, simApi, type TestGuild } from '../../helpers.ts';
import { discord } from '../../sim/support.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { startGateway, stopGateway } from '../../support/gateway.ts';
import { command } from '../levels/support.ts';
import { modGuild } from '../moderation/helpers.ts';
import { content, createEvent, event, eventPost, field, messagesIn, submitForm } from './support.ts';

afterEach(() => resetClock());

type Listed = APIGuildScheduledEvent & { user_count: number; user_ids: string[] };
const listed = async (g: TestGuild) => (await simApi<{ events: Listed[] }>(`/_sim/guilds/${g.guildId}/scheduled-events`)).events;
const only = async (g: TestGuild, check: (e: Listed) => boolean, what: string) =>
  eventually(
    async () => {
      const all = await listed(g);
      return all.length === 1 && check(all[0]!) ? all[0]! : undefined;
    },
    8000,
    what,
  );

async function pass(g: TestGuild, ms: number): Promise<void> {
  advanceClock(ms);
  await runDurableObjectAlarm(guildActor(env, g.guildId) as never);
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A start `days` ahead at 20:00 UTC, as typed into the form (the guild's zone is UTC): ahead of the simulator's own clock too. */
function ahead(days: number): { text: string; at: number } {
  const d = new Date(now() + days * 86_400_000);
  const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 20, 0);
  return { text: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} 20:00`, at };
}

describe("Discord's events list", () => {
  it('shows the series there: made with the event, edited with it, active while it runs, completed after, the next date made, cancelled with it', async () => {
    const g = await newGuild();
    const start = ahead(3);
    await createEvent(
      g,
      { location: 'Main hall', repeat: 'weekly' },
      { title: 'Raid night', description: 'Bring potions.', start: start.text, duration: '2h' },
    );
    const first = await only(g, (e) => e.status === Status.Scheduled, 'the scheduled event');
    expect(first).toMatchObject({
      name: 'Raid night',
      description: 'Bring potions.',
      entity_type: GuildScheduledEventEntityType.External,
      entity_metadata: { location: 'Main hall' },
      channel_id: null,
      privacy_level: 2,
    });
    expect(Date.parse(first.scheduled_start_time)).toBe(start.at);
    expect(Date.parse(first.scheduled_end_time!)).toBe(start.at + 2 * 3_600_000);

    const opened = await deliver(event(g, g.adminId, 'edit', { event: '1' }));
    await submitForm(g, opened, { title: 'Raid night (heroic)', description: 'Bring potions.', start: start.text, duration: '3h' });
    const edited = await only(g, (e) => e.name === 'Raid night (heroic)', 'the edit on Discord');
    expect(edited.id).toBe(first.id);
    expect(Date.parse(edited.scheduled_end_time!)).toBe(start.at + 3 * 3_600_000);

    await pass(g, start.at - now());
    await only(g, (e) => e.status === Status.Active, 'active while it runs');
    await pass(g, 3 * 3_600_000);
    const both = await eventually(
      async () => {
        const all = await listed(g);
        return all.length === 2 && all.some((e) => e.status === Status.Completed) ? all : undefined;
      },
      8000,
      'completed, and the next date made',
    );
    const next = both.find((e) => e.status === Status.Scheduled)!;
    expect(Date.parse(next.scheduled_start_time)).toBe(start.at + 7 * 86_400_000);
    expect(both.find((e) => e.status === Status.Completed)!.id).toBe(first.id);

    expect(content(await deliver(event(g, g.adminId, 'cancel', { event: '1' })))).toMatch(/cancelled/);
    await eventually(async () => (await listed(g)).find((e) => e.id === next.id)?.status === Status.Canceled, 8000, 'cancelled on Discord');
  });

  it('starts a thread on each post, and reminds by mention there when reminders go to the channel', async () => {
    const g = await newGuild(4);
    const [a, b] = g.memberIds as [string, string];
    await deliver(event(g, g.adminId, 'config', { reminder_mode: 'channel', reminders: '30m' }));
    const start = ahead(2);
    await createEvent(g, {}, { title: 'Scrim', start: start.text });
    const post = await eventPost(g, 'Scrim');
    const thread = await eventually(async () => (await guildSnapshot(g.guildId)).channels.find((c) => c.id === post.id), 8000, 'the post’s thread');
    expect(thread).toMatchObject({ name: 'Scrim', type: 11, parent_id: g.generalChannelId });
    for (const u of [a, b]) await deliver(press(g, u, buttonId(post, 'Going'), g.generalChannelId, post.id));
    await pass(g, start.at - 30 * 60_000 - now());
    const reminder = await eventually(async () => (await messagesIn(g, post.id)).find((m) => m.content.includes('⏰')), 8000, 'reminder in the thread');
    expect(reminder.content).toBe(`<@${a}> <@${b}> ⏰ **Scrim** starts <t:${start.at / 1000}:R> (<t:${start.at / 1000}:F>).`);
    expect(reminder.mentions.map((m) => m.id).sort()).toEqual([a, b].sort());
    expect((await messagesIn(g, g.generalChannelId)).filter((m) => m.content.includes('⏰'))).toEqual([]);
  });

  it('hosts an event in a voice channel there, as a voice event', async () => {
    const g = await newGuild();
    const room = (await simApi<{ id: string }>(`/_sim/guilds/${g.guildId}/voice-channels`, { body: { name: 'Raid voice' } })).id;
    await createEvent(g, { channel: room }, { title: 'Voice raid', start: ahead(2).text });
    const e = await only(g, (x) => x.name === 'Voice raid', 'the voice event');
    expect(e).toMatchObject({ entity_type: GuildScheduledEventEntityType.Voice, channel_id: room });
  });

  it('without Manage Events, the event is still posted and /diagnostics says what is missing', async () => {
    const g = await modGuild();
    // View, send, embed, read history, add reactions: what posts need, not Manage Events.
    const perms = (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n) | (1n << 6n);
    await simApi(`/_sim/guilds/${g.guildId}/roles/${g.botRoleId}`, { body: { permissions: String(perms) } });
    await createEvent(g, {}, { title: 'Unlisted', start: ahead(2).text });
    await eventPost(g, 'Unlisted');
    const diag = await eventually(
      async () => {
        const text = replyText(await deliver(command(g, g.adminId, 'diagnostics')));
        return text.includes('Manage Events permission') ? text : undefined;
      },
      8000,
      'diagnostics',
    );
    expect(diag).toContain('Events are not shown in Discord’s events list: the bot needs the Manage Events permission.');
    expect(await listed(g)).toEqual([]);
  });
});

describe('over the real gateway', () => {
  afterAll(stopGateway);

  it('offers ✅ ❔ ❌ under the post, counts members’ reactions as answers, and shows who is interested on Discord', async () => {
    const g = await newGuild(4);
    const [a, b] = g.memberIds as [string, string];
    await startGateway();
    await createEvent(g, { capacity: 1 }, { title: 'Reacted', start: ahead(2).text });
    const post = await eventPost(g, 'Reacted');
    const path = `/_sim/channels/${g.generalChannelId}/messages/${post.id}/reactions`;
    type Reactions = { reactions: { emoji: { name: string }; count: number; user_ids: string[] }[] };
    const offered = await eventually(
      async () => {
        const r = await simApi<Reactions>(path);
        return r.reactions.length === 3 ? r.reactions : undefined;
      },
      8000,
      'the bot’s reactions',
    );
    expect(offered.map((r) => r.emoji.name)).toEqual(['✅', '❔', '❌']);

    await simApi(path, { body: { user_id: a, emoji: '✅' } });
    await simApi(path, { body: { user_id: b, emoji: '✅' } });
    await eventPost(g, 'Reacted', (m) => field(m, 'Going')?.value === `<@${a}>` && field(m, 'Waitlist')?.value === `<@${b}>`, 'reactions counted');
    await simApi(path, { body: { user_id: a, emoji: '✅', remove: true } });
    await eventPost(g, 'Reacted', (m) => field(m, 'Going')?.value === `<@${b}>` && field(m, 'Waitlist') === undefined, 'an unreaction frees the place');

    const listedEvent = await only(g, (e) => e.name === 'Reacted', 'the scheduled event');
    await eventPost(g, 'Reacted', (m) => field(m, 'Interested on Discord')?.name === 'Interested on Discord (0)', 'interest shown');
    for (const u of [a, b]) await simApi(`/_sim/guilds/${g.guildId}/scheduled-events/${listedEvent.id}/interested`, { body: { user_id: u } });
    await eventPost(g, 'Reacted', (m) => field(m, 'Interested on Discord')?.name === 'Interested on Discord (2)', 'two interested');
    await simApi(`/_sim/guilds/${g.guildId}/scheduled-events/${listedEvent.id}/interested`, { body: { user_id: a, remove: true } });
    await eventPost(g, 'Reacted', (m) => field(m, 'Interested on Discord')?.name === 'Interested on Discord (1)', 'one left');

    // Staff delete it on Discord: the post stops counting, and the bot does not make it again.
    expect((await discord('DELETE', `/guilds/${g.guildId}/scheduled-events/${listedEvent.id}`)).status).toBe(204);
    await eventPost(g, 'Reacted', (m) => field(m, 'Interested on Discord') === undefined, 'count gone with the event');
    const opened = await deliver(event(g, g.adminId, 'edit', { event: '1' }));
    await submitForm(g, opened, { title: 'Reacted again', start: ahead(2).text });
    await eventPost(g, 'Reacted again');
    expect(await listed(g)).toEqual([]);
  });
});
