import { runInDurableObject } from 'cloudflare:test';
import type { APIMessage } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import type { TicketsGuildSide } from '../../../src/features/tickets/guild-side.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { now } from '../../../src/runtime/clock.ts';
import {
  controlMessage,
  type Delivered,
  deliver,
  env,
  eventually,
  type InteractionSpec,
  newGuild,
  originalMessageId,
  press,
  provisioned,
  replyText,
  simApi,
  slash,
  type TestGuild,
} from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { addEntry, buttonsOf, KNOWLEDGE } from '../faq/support.ts';

afterEach(() => resetClock());

const unix = (iso: string) => Date.parse(iso) / 1000;
const MIN = 60_000;

/** Moves the clock every actor reads to an instant. */
const setClock = (iso: string, plusMs = 0) => advanceClock(Date.parse(iso) + plusMs - now());

/** /tickets hours <sub> with its options: a subcommand inside the `hours` group. */
function hours(g: TestGuild, userId: string, sub: string, options: Record<string, string> = {}): InteractionSpec {
  return {
    type: 2,
    guild_id: g.guildId,
    channel_id: g.supportChannelId,
    user_id: userId,
    data: {
      name: 'tickets',
      type: 1,
      options: [
        { name: 'hours', type: 2, options: [{ name: sub, type: 1, options: Object.entries(options).map(([name, value]) => ({ name, value, type: 3 })) }] },
      ],
    },
  };
}

const set = (g: TestGuild, options: Record<string, string>, userId = g.adminId) => deliver(hours(g, userId, 'set', options));
const show = async (g: TestGuild) => replyText(await deliver(hours(g, g.memberIds[0]!, 'show')));
const open = (g: TestGuild, userId: string, type = 'crash', subject: string | null = 'Game crashes on launch') =>
  deliver(slash(g, userId, 'ticket open', { issue_type: type, severity: 'high', ...(subject ? { subject } : {}) }));
const openedNumber = (d: Delivered) => Number(/Ticket #(\d+) opened/.exec(replyText(d))?.[1] ?? Number.NaN);

describe('/tickets hours through real interactions', () => {
  it('sets, adds, shows, takes holidays and turns off; members see the hours, only administrators change them', async () => {
    const g = await newGuild();
    setClock('2026-12-07T15:00:00Z'); // Monday 10:00 in New York
    expect(await show(g)).toBe('No support hours are set: tickets can be opened at any time.');

    const saved = await set(g, { timezone: 'America/New_York', days: 'Mon-Fri', from: '09:00', to: '17:00', outside: 'refuse' });
    expect(saved.accepted).toBe(true);
    expect(replyText(saved)).toBe(
      [
        'Support hours saved.',
        '**Support hours** (America/New_York). Outside them, /ticket open is refused and tells the next opening time.',
        '• `mon-fri` 09:00–17:00',
        'Support is open right now.',
      ].join('\n'),
    );
    // A second window for other days; an overnight one on Friday night.
    await set(g, { timezone: 'America/New_York', days: 'sat', from: '10:00', to: '14:00' });
    await set(g, { timezone: 'America/New_York', days: 'fri', from: '22:00', to: '02:00' });
    expect(replyText(await deliver(hours(g, g.adminId, 'holiday', { action: 'add', date: '2026-12-25' })))).toBe(
      'Support is closed all day on 2026-12-25 (America/New_York).',
    );
    await deliver(hours(g, g.adminId, 'holiday', { action: 'add', date: '2026-12-24' }));
    setClock('2026-12-07T23:00:00Z'); // Monday 18:00
    expect(await show(g)).toBe(
      [
        '**Support hours** (America/New_York). Outside them, /ticket open is refused and tells the next opening time.',
        '• `mon-fri` 09:00–17:00',
        '• `fri` 22:00–02:00 (into the next day)',
        '• `sat` 10:00–14:00',
        'Closed all day on: 2026-12-24, 2026-12-25',
        `Support is closed right now; it opens <t:${unix('2026-12-08T14:00:00Z')}:F> (<t:${unix('2026-12-08T14:00:00Z')}:R>).`,
      ].join('\n'),
    );
    expect(replyText(await deliver(hours(g, g.adminId, 'holiday', { action: 'remove', date: '2026-12-24' })))).toBe('2026-12-24 is a normal day again.');
    expect(await show(g)).toContain('Closed all day on: 2026-12-25\n');
    // Stored in the guild actor, whose ticket desk hands them out (for SLA clocks).
    const stored = await runInDurableObject(guildActor(env, g.guildId) as never, (actor: unknown) =>
      (actor as { tickets: TicketsGuildSide }).tickets.supportHours(),
    );
    expect(stored).toEqual({
      zone: 'America/New_York',
      windows: [
        { days: [0, 1, 2, 3, 4], from: 540, to: 1020 },
        { days: [4], from: 1320, to: 120 },
        { days: [5], from: 600, to: 840 },
      ],
      holidays: ['2026-12-25'],
      outside: 'refuse',
    });

    // Not an administrator: refused, nothing changed.
    const before = await show(g);
    for (const d of [
      await set(g, { timezone: 'America/New_York', days: 'sun', from: '10:00', to: '12:00' }, g.staffId),
      await deliver(hours(g, g.memberIds[1]!, 'off')),
      await deliver(hours(g, g.memberIds[1]!, 'holiday', { action: 'add', date: '2026-12-31' })),
    ]) {
      expect(replyText(d)).toBe('Only administrators can change the support hours.');
    }
    expect(await show(g)).toBe(before);

    expect(replyText(await deliver(hours(g, g.adminId, 'off')))).toBe('The support hours are removed: tickets can be opened at any time.');
    expect(await show(g)).toBe('No support hours are set: tickets can be opened at any time.');
    expect(openedNumber(await open(g, g.memberIds[0]!))).toBe(1);
  });

  it('refuses bad input with a clear answer and changes nothing', async () => {
    const g = await newGuild();
    setClock('2026-12-07T15:00:00Z');
    expect(replyText(await deliver(hours(g, g.adminId, 'holiday', { action: 'add', date: '2026-12-25' })))).toBe(
      'Set the support hours first with `/tickets hours set`: a holiday is a day in their time zone.',
    );
    await set(g, { timezone: 'Europe/Berlin', days: 'mon-fri', from: '09:00', to: '17:00' });
    const before = await show(g);
    const cases: [Record<string, string>, string][] = [
      [
        { timezone: 'Mars/Olympus', days: 'sat', from: '09:00', to: '17:00' },
        '“Mars/Olympus” is not a time zone. Use an IANA name such as Europe/Berlin or America/New_York (the list suggests some). Nothing was changed.',
      ],
      [
        { timezone: 'Europe/Berlin', days: 'weekends', from: '09:00', to: '17:00' },
        '“weekends” are not days. Write them like mon-fri, mon,wed,fri, sat-sun, mon-fri,sun or daily. Nothing was changed.',
      ],
      [
        { timezone: 'Europe/Berlin', days: 'sat', from: '25:00', to: '17:00' },
        '“25:00” is not a time. Use 24-hour HH:MM, like 09:00 or 17:30 (24:00 ends a day). Nothing was changed.',
      ],
      [
        { timezone: 'Europe/Berlin', days: 'sat', from: '10:00', to: '10:00' },
        'Those hours open and close at the same time. Give a closing time after the opening time, or before it for hours that run past midnight. Nothing was changed.',
      ],
      [
        { timezone: 'Europe/Berlin', days: 'wed', from: '16:00', to: '18:00' },
        'Overlapping hours: these overlap `mon-fri` 09:00–17:00, already set. Nothing was changed; `/tickets hours off` starts over.',
      ],
      [
        { timezone: 'Europe/Berlin', days: 'sun', from: '20:00', to: '09:30' },
        'Overlapping hours: these overlap `mon-fri` 09:00–17:00, already set. Nothing was changed; `/tickets hours off` starts over.',
      ],
      [
        { timezone: 'Asia/Tokyo', days: 'sat', from: '09:00', to: '17:00' },
        'The support hours are read in Europe/Berlin. Give that time zone, or start over with `/tickets hours off`. Nothing was changed.',
      ],
    ];
    for (const [options, answer] of cases) {
      const d = await set(g, options);
      expect(d.accepted).toBe(true);
      expect(replyText(d), JSON.stringify(options)).toBe(answer);
    }
    expect(replyText(await deliver(hours(g, g.adminId, 'holiday', { action: 'add', date: '2026-02-30' })))).toBe(
      '“2026-02-30” is not a date. Use YYYY-MM-DD, like 2026-12-25. Nothing was changed.',
    );
    expect(replyText(await deliver(hours(g, g.adminId, 'holiday', { action: 'remove', date: '2026-12-25' })))).toBe(
      '2026-12-25 is not a holiday. Nothing was changed.',
    );
    expect(await show(g)).toBe(before);
    // The same window again is no change; touching windows do not overlap.
    expect(replyText(await set(g, { timezone: 'Europe/Berlin', days: 'mon-fri', from: '09:00', to: '17:00' }))).toMatch(
      /^Those hours were already set; nothing changed\./,
    );
    expect(replyText(await set(g, { timezone: 'Europe/Berlin', days: 'mon', from: '17:00', to: '19:00' }))).toMatch(/^Support hours saved\./);
  });

  it('offers time zones while the administrator types', async () => {
    const g = await newGuild();
    const d = await deliver({
      type: 4,
      guild_id: g.guildId,
      channel_id: g.supportChannelId,
      user_id: g.adminId,
      data: {
        name: 'tickets',
        type: 1,
        options: [{ name: 'hours', type: 2, options: [{ name: 'set', type: 1, options: [{ name: 'timezone', type: 3, value: 'york', focused: true }] }] }],
      },
    });
    expect(d.response).toEqual({ type: 8, data: { choices: [{ name: 'America/New_York', value: 'America/New_York' }] } });
  });
});

describe('support hours at boundaries in two time zones', () => {
  it('refuses outside the hours in America/New_York, with the next opening as a Discord timestamp; open at exactly from, closed at exactly to', async () => {
    const g = await newGuild(8);
    setClock('2026-12-07T12:00:00Z');
    await set(g, { timezone: 'America/New_York', days: 'mon-fri', from: '09:00', to: '17:00', outside: 'refuse' });
    const m = g.memberIds;
    const opensMonday = unix('2026-12-07T14:00:00Z');
    const opensTuesday = unix('2026-12-08T14:00:00Z');
    const refusal = (at: number) => `Support is closed right now, so no ticket can be opened. It opens <t:${at}:F> (<t:${at}:R>); please come back then.`;

    setClock('2026-12-07T14:00:00Z', -MIN); // 08:59
    const early = await open(g, m[0]!);
    expect(early.accepted).toBe(true);
    expect(replyText(early)).toBe(refusal(opensMonday));
    // No form is offered either: nobody types out a problem that cannot be sent.
    expect(replyText(await open(g, m[0]!, 'bug', null))).toBe(refusal(opensMonday));
    setClock('2026-12-07T14:00:00Z'); // 09:00
    expect(openedNumber(await open(g, m[0]!))).toBe(1);
    setClock('2026-12-07T14:00:00Z', MIN); // 09:01
    expect(openedNumber(await open(g, m[1]!))).toBe(2);
    setClock('2026-12-07T22:00:00Z', -MIN); // 16:59
    const late = await open(g, m[2]!);
    expect(openedNumber(late)).toBe(3);
    expect(replyText(late)).not.toContain('Support is closed');
    setClock('2026-12-07T22:00:00Z'); // 17:00
    expect(replyText(await open(g, m[3]!))).toBe(refusal(opensTuesday));
    setClock('2026-12-07T22:00:00Z', MIN); // 17:01
    expect(replyText(await open(g, m[3]!))).toBe(refusal(opensTuesday));
    // Refused tickets left no trace.
    expect(await guildActor(env, g.guildId).findTicket(`${g.guildId}-4`)).toBeNull();
    const audit = await guildActor(env, g.guildId).auditLog(50);
    expect(audit.filter((e) => e.outcome === 'refused:outside-hours')).toHaveLength(4);
  });

  it('warns and opens outside the hours in Asia/Tokyo: the answer, its later edit and the ticket’s thread say when staff answer', async () => {
    const g = await newGuild(8);
    setClock('2026-12-06T12:00:00Z');
    await set(g, { timezone: 'Asia/Tokyo', days: 'mon-fri', from: '09:00', to: '17:00', outside: 'warn' });
    const m = g.memberIds;
    const opensMonday = unix('2026-12-07T00:00:00Z'); // Monday 09:00 JST
    const note = (at: number) => `Support is closed right now: staff answer from <t:${at}:F> (<t:${at}:R>).`;

    setClock('2026-12-07T00:00:00Z', -MIN); // Monday 08:59 JST
    const early = await open(g, m[0]!);
    expect(replyText(early)).toBe(`🎫 Ticket #1 opened (crash, high): “Game crashes on launch”. Setting up a private thread for you…\n${note(opensMonday)}`);
    const ticket = await provisioned(`${g.guildId}-1`);
    const control = await controlMessage(g, ticket.channelId!, ticket.controlMessageId!);
    expect(control.content).toBe(`<@${m[0]}> — ticket #1 opened. Describe the problem here; staff will answer in this thread.\n${note(opensMonday)}`);
    const edited = await eventually(async () => {
      const r = await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${early.interaction.id}`);
      return r.original?.content?.startsWith('Ticket #1 is ready') ? r.original.content : null;
    });
    expect(edited).toBe(`Ticket #1 is ready: <#${ticket.channelId}>. Staff will answer you there.\n${note(opensMonday)}`);

    setClock('2026-12-07T00:00:00Z'); // 09:00
    const onTime = await open(g, m[1]!);
    expect(replyText(onTime)).toBe('🎫 Ticket #2 opened (crash, high): “Game crashes on launch”. Setting up a private thread for you…');
    const second = await provisioned(`${g.guildId}-2`);
    expect((await controlMessage(g, second.channelId!, second.controlMessageId!)).content).not.toContain('Support is closed');
    setClock('2026-12-07T00:00:00Z', MIN); // 09:01
    expect(replyText(await open(g, m[2]!))).not.toContain('Support is closed');
    setClock('2026-12-07T08:00:00Z', -MIN); // 16:59
    expect(replyText(await open(g, m[3]!))).not.toContain('Support is closed');
    setClock('2026-12-07T08:00:00Z'); // 17:00: Tuesday 09:00 next
    expect(replyText(await open(g, m[4]!))).toContain(note(unix('2026-12-08T00:00:00Z')));
    setClock('2026-12-07T08:00:00Z', MIN); // 17:01
    expect(replyText(await open(g, m[5]!))).toContain(note(unix('2026-12-08T00:00:00Z')));
    expect(await guildActor(env, g.guildId).findTicket(`${g.guildId}-6`)).toMatchObject({ number: 6, status: 'open' });
  });

  it('keeps 09:00–17:00 local in Europe/Berlin across the change to summer time', async () => {
    const g = await newGuild(8);
    setClock('2027-03-26T12:00:00Z');
    await set(g, { timezone: 'Europe/Berlin', days: 'daily', from: '09:00', to: '17:00', outside: 'refuse' });
    const m = g.memberIds;
    // Saturday 2027-03-27 is on CET (UTC+1): 16:59 open, 17:00 closed.
    setClock('2027-03-27T16:00:00Z', -MIN);
    expect(openedNumber(await open(g, m[0]!))).toBe(1);
    setClock('2027-03-27T16:00:00Z');
    // The clocks go forward overnight: Sunday's 09:00 is 07:00 UTC, not 08:00.
    const sunday = unix('2027-03-28T07:00:00Z');
    expect(replyText(await open(g, m[1]!))).toContain(`It opens <t:${sunday}:F> (<t:${sunday}:R>)`);
    setClock('2027-03-28T07:00:00Z', -MIN);
    expect(replyText(await open(g, m[1]!))).toContain(`It opens <t:${sunday}:F>`);
    setClock('2027-03-28T07:00:00Z');
    expect(openedNumber(await open(g, m[1]!))).toBe(2);
    setClock('2027-03-28T15:00:00Z', -MIN);
    expect(openedNumber(await open(g, m[2]!))).toBe(3);
    setClock('2027-03-28T15:00:00Z');
    expect(replyText(await open(g, m[3]!))).toContain(`It opens <t:${unix('2027-03-29T07:00:00Z')}:F>`);
  });
});

describe('every way a ticket opens respects the hours', () => {
  it('the form sent after closing time and the FAQ’s "Open the ticket anyway" are refused; the kept form survives for later', async () => {
    const g = await newGuild();
    for (const e of KNOWLEDGE) await addEntry(g, e);
    setClock('2026-12-07T12:00:00Z');
    await set(g, { timezone: 'UTC', days: 'mon-fri', from: '09:00', to: '17:00', outside: 'refuse' });
    const member = g.memberIds[1]!;
    const tuesday = unix('2026-12-08T09:00:00Z');

    // The form is offered at 16:59 and sent at 17:00.
    setClock('2026-12-07T17:00:00Z', -MIN);
    const form = await open(g, member, 'login', null);
    const customId = (form.response as { data: { custom_id: string } }).data.custom_id;
    const submit = (subject: string) =>
      deliver({
        type: 5,
        guild_id: g.guildId,
        channel_id: g.supportChannelId,
        user_id: member,
        data: {
          custom_id: customId,
          components: [
            { type: 1, components: [{ type: 4, custom_id: 'subject', value: subject }] },
            { type: 1, components: [{ type: 4, custom_id: 'description', value: 'No mail arrives.' }] },
          ],
        },
      });
    setClock('2026-12-07T17:00:00Z');
    expect(replyText(await submit('Shop charged me twice'))).toContain(`It opens <t:${tuesday}:F>`);

    // The FAQ answers the form first; "Open the ticket anyway" is where the ticket would open.
    const suggested = await submit('Forgot my password');
    expect(replyText(suggested)).toMatch(/^Before the ticket is opened/);
    const msg = await originalMessageId(suggested.interaction.id);
    const anyway = buttonsOf(suggested)[1]!.custom_id;
    expect(replyText(await deliver(press(g, member, anyway, g.supportChannelId, msg)))).toContain(`It opens <t:${tuesday}:F>`);
    expect(await guildActor(env, g.guildId).findTicket(`${g.guildId}-1`)).toBeNull();
    // Once support opens, the same button opens the ticket.
    setClock('2026-12-08T09:00:00Z');
    expect(openedNumber(await deliver(press(g, member, anyway, g.supportChannelId, msg)))).toBe(1);
  });
});
