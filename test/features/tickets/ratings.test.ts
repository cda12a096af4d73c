import { type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIMessage, ComponentType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/features/tickets/rules.ts';
import { guildActor, ticketActor } from '../../../src/runtime/actors.ts';
import {
  deliver,
  env,
  eventually,
  guildSnapshot,
  type InteractionSpec,
  newGuild,
  openTicket,
  press,
  replyText,
  simApi,
  type TestGuild,
} from '../../helpers.ts';
import { bool, channel, command, role, str } from '../levels/support.ts';

const staffActor = (g: TestGuild): Actor => ({ userId: g.staffId, isStaff: true, name: 'Sam' });
const dmsOf = (userId: string) => simApi<{ channel: { id: string } | null; messages: APIMessage[] }>(`/_sim/users/${userId}/dms`);
const rateButtons = (m: APIMessage) =>
  ((m.components?.[0] as APIActionRowComponent<APIButtonComponentWithCustomId> | undefined)?.components ?? []).map((b) => b.custom_id);
const idle = (id: string) => eventually(async () => (await ticketActor(env, id).snapshot()).pendingJobs === 0, 8000, 'jobs done');

/** Interactions in a DM with the bot: no guild_id, a `user` instead of a `member`. */
const dmPress = (userId: string, m: APIMessage, customId: string): InteractionSpec => ({
  type: 3,
  user_id: userId,
  channel_id: m.channel_id,
  message_id: m.id,
  data: { custom_id: customId, component_type: ComponentType.Button },
});
const dmSurvey = (userId: string, channelId: string, customId: string, answers: string[]): InteractionSpec => ({
  type: 5,
  user_id: userId,
  channel_id: channelId,
  data: {
    custom_id: customId,
    components: answers.map((value, n) => ({ type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: `q${n}`, value }] })),
  },
});
const admin = (g: TestGuild, path: string, opts: Parameters<typeof command>[3] = []) => deliver(command(g, g.adminId, path, opts, g.supportChannelId));

describe('ticket ratings and exit survey', () => {
  it('close → DM with 1–5 → press → survey form → stored; only the opener; final once the survey is in; results per staff and type', async () => {
    const g = await newGuild();
    expect(replyText(await admin(g, 'tickets survey', [str('questions', 'What went well? | What could be better?')]))).toBe(
      'After a close the member is asked for a 1–5 rating, then 2 questions:\n1. What went well?\n2. What could be better?',
    );
    const opener = g.memberIds[0]!;
    const o = await openTicket(g, opener, { type: 'login' });
    await o.stub.request({ kind: 'act', action: { kind: 'claim' } }, staffActor(g));
    await o.stub.request({ kind: 'act', action: { kind: 'close', reason: null } }, staffActor(g));
    const ask = await eventually(async () => (await dmsOf(opener)).messages.find((m) => m.content.includes('How did we do?')), 8000, 'rating DM');
    expect(ask.content).toContain(`Your ticket #${o.number}`);
    const ids = rateButtons(ask);
    expect(ids).toHaveLength(5);
    expect(ids[3]).toMatch(new RegExp(`^ticket:rate:${o.id}:\\d+\\.4$`));

    // Someone else pressing (a forwarded message) changes nothing.
    expect(replyText(await deliver(dmPress(g.memberIds[1]!, ask, ids[0]!)))).toBe(`Only the member who opened ticket #${o.number} can rate it.`);
    // The opener's press opens the survey; a second press changes the rating.
    const first = await deliver(dmPress(opener, ask, ids[2]!));
    expect(first.response?.type).toBe(9);
    const modal = (first.response as { data: { custom_id: string; components: { components: { label: string }[] }[] } }).data;
    expect(modal.components.map((r) => r.components[0]!.label)).toEqual(['What went well?', 'What could be better?']);
    expect((await o.stub.snapshot()).ticket).toMatchObject({ rating: 3 });
    expect((await deliver(dmPress(opener, ask, ids[3]!))).response?.type).toBe(9);
    expect((await o.stub.snapshot()).ticket).toMatchObject({ rating: 4 });

    // The survey: answers masked and stored; the rating is final.
    expect(replyText(await deliver(dmSurvey(opener, ask.channel_id, modal.custom_id, ['Quick answer', 'Mail me at mia@example.com'])))).toBe(
      `Thank you for your answers! Your rating of 4/5 for ticket #${o.number} is saved.`,
    );
    const stored = (await o.stub.snapshot()).ticket!;
    expect(stored.rating).toBe(4);
    expect(stored.survey?.[0]).toBe('Quick answer');
    expect(stored.survey?.[1]).not.toContain('mia@example.com');
    expect(replyText(await deliver(dmPress(opener, ask, ids[4]!)))).toBe(`Your rating of ticket #${o.number} is already final. Thank you!`);
    expect(replyText(await deliver(dmSurvey(opener, ask.channel_id, modal.custom_id, ['again', ''])))).toBe(
      `Your rating of ticket #${o.number} is already final. Thank you!`,
    );
    expect((await o.stub.snapshot()).ticket?.rating).toBe(4);

    // Results per staff member (assignee at close) and per issue type, in /ticket ratings and the inbox's metrics.
    const text = await eventually(
      async () => {
        const t = replyText(await deliver(command(g, g.staffId, 'tickets ratings', [], g.supportChannelId)));
        return t.includes('average 4.0') ? t : null;
      },
      8000,
      'ratings',
    );
    expect(text).toBe(
      [
        '**Ratings, last 30 days:** average 4.0 from 1 (surveys answered: 1)',
        '**Per staff member** (assignee at close):',
        `• <@${g.staffId}>: 4.0 (1)`,
        '**Per issue type:**',
        '• login: 4.0 (1)',
      ].join('\n'),
    );
    const metrics = await guildActor(env, g.guildId).metrics();
    expect(metrics.ratings.byStaff).toMatchObject([{ key: g.staffId, count: 1, average: 4 }]);
    expect(replyText(await deliver(command(g, opener, 'tickets ratings', [], g.supportChannelId)))).toBe('Only support staff can do that.');

    // A reopen and a new close ask again; the old buttons belong to the old close.
    await o.stub.request({ kind: 'act', action: { kind: 'reopen' } }, staffActor(g));
    await o.stub.request({ kind: 'act', action: { kind: 'close', reason: null } }, staffActor(g));
    await eventually(async () => (await dmsOf(opener)).messages.filter((m) => m.content.includes('How did we do?')).length === 2 || null, 8000, 'second ask');
    expect(replyText(await deliver(dmPress(opener, ask, ids[0]!)))).toBe(`This rating is for an earlier close of ticket #${o.number}; nothing was changed.`);
  });

  it('DMs closed: the ask goes to the ticket channel while it is readable; no questions → no form; off → nobody is asked; bad questions refused', async () => {
    const g = await newGuild();
    await admin(g, 'setup tickets', [role('staff_role', g.staffRoleId), channel('category', g.ticketsCategoryId)]);
    const opener = g.memberIds[0]!;
    await simApi(`/_sim/users/${opener}/dms`, { body: { open: false } });
    const o = await openTicket(g, opener);
    await o.stub.request({ kind: 'act', action: { kind: 'close', reason: null } }, staffActor(g));
    const ask = await eventually(
      async () => (await guildSnapshot(g.guildId)).messages[o.ticket.channelId!]?.find((m) => m.content.includes('How did we do?')),
      8000,
      'ask in the channel',
    );
    expect(ask.content.startsWith(`<@${opener}> `)).toBe(true);
    const ids = rateButtons(ask);
    const r = await deliver(press(g, opener, ids[4]!, o.ticket.channelId!, ask.id));
    expect(replyText(r)).toBe(`Thank you! You rated ticket #${o.number} 5/5. You can still change it with the buttons.`);
    expect(replyText(await deliver(press(g, opener, ids[1]!, o.ticket.channelId!, ask.id)))).toContain('2/5');
    expect((await o.stub.snapshot()).ticket?.rating).toBe(2);

    // Bad questions change nothing; ratings off: nobody is asked.
    expect(replyText(await admin(g, 'tickets survey', [str('questions', 'a|b|c|d|e|f')]))).toBe(
      'A survey has at most 5 questions (separate them with |). Nothing changed.',
    );
    expect(replyText(await deliver(command(g, g.staffId, 'tickets survey', [bool('enabled', false)], g.supportChannelId)))).toBe(
      'Only administrators can change the ticket setup.',
    );
    expect(replyText(await admin(g, 'tickets survey', [bool('enabled', false)]))).toBe('Members are not asked to rate closed tickets.');
    const other = await openTicket(g, g.memberIds[1]!);
    await other.stub.request({ kind: 'act', action: { kind: 'close', reason: null } }, staffActor(g));
    await idle(other.id);
    expect((await dmsOf(g.memberIds[1]!)).messages.filter((m) => m.content.includes('How did we do?'))).toEqual([]);
  });
});
