import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import type { APIMessage } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { now } from '../../../src/runtime/clock.ts';
import { buttonId, deliver, env, eventually, guildSnapshot, newGuild, openTicket, press, replyText, simApi, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { bool, command, type Opt, role, str } from '../levels/support.ts';

afterEach(() => resetClock());

const MIN = 60_000;
const H = 60 * MIN;

type Opened = Awaited<ReturnType<typeof openTicket>>;

/** The ticket actor's upkeep timers by step, from its own timers table. */
const timers = (o: Opened): Promise<Record<string, number>> =>
  runInDurableObject(o.stub as never, (_: unknown, state: DurableObjectState) =>
    Object.fromEntries(
      state.storage.sql
        .exec<{ key: string; at: number }>(`SELECT key, at FROM timers WHERE key LIKE 'upkeep:%'`)
        .toArray()
        .map((r) => [r.key.slice('upkeep:'.length), r.at]),
    ),
  );

/** Moves the clock to `at` and runs the ticket actor's alarm. */
async function until(o: Opened, at: number): Promise<void> {
  advanceClock(Math.max(0, at - now()));
  await runDurableObjectAlarm(o.stub as never);
}

const admin = (g: TestGuild, path: string, opts: Opt[] = []) => deliver(command(g, g.adminId, path, opts, g.supportChannelId));
const inTicket = (g: TestGuild, o: Opened, userId: string, path: string, opts: Opt[] = []) => deliver(command(g, userId, path, opts, o.ticket.channelId!));
const posts = async (g: TestGuild, o: Opened): Promise<APIMessage[]> => (await guildSnapshot(g.guildId)).messages[o.ticket.channelId!] ?? [];
const postsWith = async (g: TestGuild, o: Opened, text: string) => (await posts(g, o)).filter((m) => m.content.includes(text));
const say = (o: Opened, userId: string, content: string) =>
  o.stub.recordMessage({
    id: String(BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000))),
    authorId: userId,
    authorName: 'x',
    content,
    at: now(),
  });

describe('SLA targets', () => {
  it('warns at 80 %, escalates at 100 % with the escalation role, once each, on time, across a restart', async () => {
    const g = await newGuild();
    const escalation = (await simApi<{ role_id: string }>('/_sim/roles', { body: { guild_id: g.guildId, name: 'Leads' } })).role_id;
    expect(replyText(await admin(g, 'tickets sla options', [role('escalation_role', escalation)]))).toContain(`<@&${escalation}>`);
    const o = await openTicket(g, g.memberIds[0]!, { severity: 'critical' });
    const opened = o.ticket.createdAt;
    expect(await timers(o)).toMatchObject({ 'first-warn': opened + 12 * MIN, 'first-breach': opened + 15 * MIN, 'resolve-breach': opened + 240 * MIN });
    expect(o.ticket.firstDueAt).toBe(opened + 15 * MIN);
    // The guild's index (what the inbox lists) has the countdown too.
    await eventually(async () => (await guildActor(env, g.guildId).findTicket(o.id))?.firstDueAt === opened + 15 * MIN, 8000, 'due time in the index');

    await until(o, opened + 12 * MIN - 1000);
    expect(await postsWith(g, o, '⏳')).toEqual([]);
    await evictDurableObject(o.stub);
    await until(o, opened + 12 * MIN);
    const warn = await eventually(async () => (await postsWith(g, o, '⏳'))[0], 8000, 'the 80 % warning');
    expect(warn.content).toContain(`The first answer for ticket #${o.number} is due <t:${Math.floor((opened + 15 * MIN) / 1000)}:R>`);
    await until(o, opened + 15 * MIN);
    const breach = await eventually(async () => (await postsWith(g, o, '🚨'))[0], 8000, 'the breach');
    expect(breach.content).toBe(`🚨 Ticket #${o.number} missed its first-answer target (15m) and is escalated. <@&${escalation}>`);
    expect(breach.mention_roles).toEqual([escalation]);
    expect((await o.stub.snapshot()).ticket).toMatchObject({ status: 'escalated', escalations: 1 });
    // Again and again: nothing more.
    await until(o, opened + 16 * MIN);
    await until(o, opened + 17 * MIN);
    expect(await postsWith(g, o, '⏳ The first')).toHaveLength(1);
    expect(await postsWith(g, o, '🚨')).toHaveLength(1);
    const audit = await eventually(async () => (await guildActor(env, g.guildId).auditLog()).find((e) => e.action === 'sla first-breach'), 8000, 'audit entry');
    expect(audit.detail).toContain(`ticket #${o.number}`);
    // Staff answer late: the target is recorded as missed and counted so.
    await say(o, g.staffId, 'Looking now');
    expect((await o.stub.snapshot()).ticket).toMatchObject({ firstMet: false, firstDueAt: null });
    const stats = await eventually(
      async () => {
        const text = replyText(await admin(g, 'tickets sla stats'));
        return text.includes('first answer 0% (0/1)') ? text : undefined;
      },
      8000,
      'stats',
    );
    expect(stats).toContain('critical: first answer 0% (0/1), resolution —');
    // Members see neither the targets nor the numbers, and only administrators change them.
    const asMember = (path: string, opts: Opt[] = []) => deliver(command(g, g.memberIds[1]!, path, opts, g.supportChannelId)).then(replyText);
    expect(await asMember('tickets sla stats')).toBe('Only support staff can do that.');
    expect(await asMember('tickets sla set', [str('severity', 'low'), str('first_response', '1m')])).toBe('Only administrators can change the ticket setup.');
    expect(replyText(await deliver(command(g, g.staffId, 'tickets sla set', [str('severity', 'low'), str('first_response', '1m')], g.supportChannelId)))).toBe(
      'Only administrators can change the ticket setup.',
    );
    expect(replyText(await admin(g, 'tickets sla set', [str('severity', 'low'), str('first_response', '3d'), str('resolution', '1d')]))).toBe(
      'The resolution target cannot be shorter than the first-answer target. Nothing changed.',
    );
    expect(replyText(await admin(g, 'tickets sla show'))).toContain('• low: first answer 1d, resolution 7d');
  });

  it('an answer in time meets the target and cancels its steps; waiting for the member stops the clock', async () => {
    const g = await newGuild();
    const o = await openTicket(g, g.memberIds[0]!, { severity: 'high' });
    const opened = o.ticket.createdAt;
    advanceClock(10 * MIN);
    await say(o, g.staffId, 'On it');
    expect((await o.stub.snapshot()).ticket).toMatchObject({ firstMet: true, firstDueAt: null });
    expect(Object.keys(await timers(o)).sort()).toEqual(['resolve-breach', 'resolve-warn']);
    // Waiting for the member for two hours moves the resolution target by two hours.
    await inTicket(g, o, g.staffId, 'ticket claim');
    await inTicket(g, o, g.staffId, 'ticket status', [str('set', 'waiting')]);
    expect(await timers(o)).toEqual({});
    advanceClock(2 * H);
    await inTicket(g, o, g.staffId, 'ticket status', [str('set', 'escalated')]);
    // (The two status changes are a few real milliseconds more than the two hours apart.)
    const moved = (await timers(o))['resolve-breach']! - (opened + 24 * H);
    expect(moved).toBeGreaterThanOrEqual(2 * H);
    expect(moved).toBeLessThan(2 * H + 1000);
  });
});

describe('SLA clock in support hours', () => {
  it('counts only open time, across a weekend and the change to summer time, and breaches on the exact instant', async () => {
    const g = await newGuild();
    await admin(g, 'tickets hours set', [
      str('timezone', 'Europe/Berlin'),
      str('days', 'mon-fri'),
      str('from', '09:00'),
      str('to', '17:00'),
      str('outside', 'warn'),
    ]);
    // Friday 26 March 2027, 16:55 in Berlin (CET, UTC+1): five minutes of support left that week.
    advanceClock(Date.parse('2027-03-26T15:55:00Z') - now());
    const o = await openTicket(g, g.memberIds[0]!, { severity: 'critical' });
    // Clocks went forward on Sunday the 28th: Monday 09:00 is CEST (UTC+2). 5 min on Friday + 10 min on Monday = 15 min.
    // (The ticket opens a few real milliseconds after the clock was set: they count too.)
    const late = o.ticket.createdAt - Date.parse('2027-03-26T15:55:00Z');
    expect(late).toBeLessThan(1000);
    const due = Date.parse('2027-03-29T07:10:00Z') + late;
    expect(o.ticket.firstDueAt).toBe(due);
    expect(await timers(o)).toMatchObject({ 'first-warn': Date.parse('2027-03-29T07:07:00Z') + late, 'first-breach': due });
    await until(o, Date.parse('2027-03-26T16:10:00Z'));
    await until(o, due - 1000);
    expect((await o.stub.snapshot()).ticket?.status).toBe('open');
    await until(o, due);
    expect((await o.stub.snapshot()).ticket?.status).toBe('escalated');
    expect(await postsWith(g, o, '⏳')).toHaveLength(1);
    // Without the option, the same ticket would have been due on Friday at 17:10.
    await admin(g, 'tickets sla options', [bool('pause_outside_hours', false)]);
    const p = await openTicket(g, g.memberIds[1]!, { severity: 'critical' });
    expect(p.ticket.firstDueAt! - p.ticket.createdAt).toBe(15 * MIN);
  });
});

describe('reminders and auto-close', () => {
  it('reminds staff once per period while the member waits, and the member while staff wait', async () => {
    const g = await newGuild();
    expect(replyText(await admin(g, 'tickets reminders', [str('staff_after', '4h'), str('member_after', '1d')]))).toContain('Remind staff after 4h');
    await admin(g, 'tickets sla options', [bool('enabled', false)]);
    const o = await openTicket(g, g.memberIds[0]!);
    const asked = now();
    await say(o, g.memberIds[0]!, 'Still broken');
    await until(o, asked + 4 * H);
    await eventually(async () => (await postsWith(g, o, 'has been waiting')).length === 1, 8000, 'first staff reminder');
    await until(o, asked + 5 * H);
    expect(await postsWith(g, o, 'has been waiting')).toHaveLength(1);
    await until(o, asked + 8 * H);
    await eventually(async () => (await postsWith(g, o, 'has been waiting')).length === 2, 8000, 'second period');
    // Staff answer and wait for the member: the member is reminded after a day.
    await say(o, g.staffId, 'Can you send a log?');
    await inTicket(g, o, g.staffId, 'ticket claim');
    await inTicket(g, o, g.staffId, 'ticket status', [str('set', 'waiting')]);
    const waitingFrom = now();
    await until(o, waitingFrom + 24 * H);
    const ping = await eventually(async () => (await postsWith(g, o, 'is waiting for your answer'))[0], 8000, 'member reminder');
    expect(ping.mentions.map((m) => m.id)).toEqual([g.memberIds[0]]);
    expect(await postsWith(g, o, 'has been waiting')).toHaveLength(2);
  });

  it('warns a quiet ticket, starts over on a message, closes after the warning, and leaves escalated or excluded tickets alone', async () => {
    const g = await newGuild();
    await admin(g, 'tickets sla options', [bool('enabled', false)]);
    expect(replyText(await admin(g, 'tickets autoclose set', [str('warn_after', '48h'), str('close_after', '24h')]))).toBe(
      'The warning must come before the close. Nothing changed.',
    );
    expect(replyText(await admin(g, 'tickets autoclose set', [str('warn_after', 'later'), str('close_after', '48h')]))).toMatch(/is not a duration/);
    await admin(g, 'tickets autoclose set', [str('warn_after', '24h'), str('close_after', '48h')]);
    const quiet = await openTicket(g, g.memberIds[0]!);
    const busy = await openTicket(g, g.memberIds[1]!);
    const hot = await openTicket(g, g.memberIds[2]!);
    const kept = await openTicket(g, g.memberIds[3]!);
    await inTicket(g, hot, g.staffId, 'ticket status', [str('set', 'escalated')]);
    expect(replyText(await inTicket(g, kept, g.staffId, 'ticket autoclose', [bool('enabled', false)]))).toBe(
      `Ticket #${kept.number} will not close by itself.`,
    );
    const t0 = now();
    for (const o of [quiet, busy, hot, kept]) await until(o, t0 + 24 * H);
    await eventually(async () => (await postsWith(g, quiet, '💤')).length === 1, 8000, 'warning');
    await eventually(async () => (await postsWith(g, busy, '💤')).length === 1, 8000, 'warning');
    await say(busy, g.memberIds[1]!, 'still here');
    for (const o of [quiet, busy, hot, kept]) await until(o, t0 + 48 * H);
    await eventually(async () => (await quiet.stub.snapshot()).ticket?.status === 'closed', 8000, 'quiet ticket closed');
    expect((await quiet.stub.snapshot()).ticket?.closeReason).toBe('closed after 48 h without activity');
    for (const o of [busy, hot, kept]) expect((await o.stub.snapshot()).ticket?.status).not.toBe('closed');
    expect(await postsWith(g, hot, '💤')).toEqual([]);
    expect(await postsWith(g, kept, '💤')).toEqual([]);
  });
});

describe('an opener who leaves', () => {
  it('has their live tickets closed (GUILD_MEMBER_REMOVE), unless the guild turned it off', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    const first = await openTicket(g, a);
    const other = await openTicket(g, b);
    let seq = 0;
    const leave = async (userId: string) => {
      await simApi(`/_sim/guilds/${g.guildId}/leave`, { body: { user_id: userId } });
      await guildActor(env, g.guildId).applyEvents(0, `leave-${g.guildId}`, [
        {
          s: ++seq,
          t: 'GUILD_MEMBER_REMOVE',
          d: { guild_id: g.guildId, user: { id: userId, username: 'gone', discriminator: '0', global_name: null, avatar: null } },
        },
      ]);
    };
    await leave(a);
    expect((await first.stub.snapshot()).ticket).toMatchObject({ status: 'closed', closeReason: 'the member left the server' });
    expect((await other.stub.snapshot()).ticket?.status).toBe('open');
    expect(replyText(await admin(g, 'tickets autoclose leaving', [bool('enabled', false)]))).toContain(
      'Tickets close when their opener leaves the server: no.',
    );
    const later = await openTicket(g, g.memberIds[2]!);
    await leave(g.memberIds[2]!);
    expect((await later.stub.snapshot()).ticket?.status).toBe('open');
  });
});

describe('close requests', () => {
  it('asks the member with Accept / Deny; Deny keeps it open, no answer closes it at the deadline, Accept closes it', async () => {
    const g = await newGuild();
    await admin(g, 'tickets sla options', [bool('enabled', false)]);
    const o = await openTicket(g, g.memberIds[0]!);
    const member = g.memberIds[0]!;
    expect(replyText(await inTicket(g, o, member, 'ticket closerequest'))).toBe('Only support staff can do that.');
    expect(replyText(await inTicket(g, o, g.staffId, 'ticket closerequest', [str('delay', 'whenever')]))).toMatch(/is not a duration/);
    const sent = replyText(await inTicket(g, o, g.staffId, 'ticket closerequest', [str('reason', 'fixed in 1.2'), str('delay', '2h')]));
    expect(sent).toContain(`Asked the member to close ticket #${o.number}`);
    const ask = await eventually(async () => (await postsWith(g, o, 'can be closed'))[0], 8000, 'the request');
    expect(ask.content).toContain('(fixed in 1.2)');
    expect(ask.mentions.map((m) => m.id)).toEqual([member]);
    const deny = buttonId(ask, 'Keep it open');
    expect(replyText(await deliver(press(g, g.memberIds[1]!, deny, o.ticket.channelId!, ask.id)))).toMatch(/Only the member who opened/);
    const denied = await deliver(press(g, member, deny, o.ticket.channelId!, ask.id));
    expect((denied.response as { type: number }).type).toBe(7);
    expect(Object.keys(await timers(o))).not.toContain('close-request');
    await until(o, now() + 3 * H);
    expect((await o.stub.snapshot()).ticket?.status).toBe('open');

    // Unanswered: closes at the deadline, once, after a restart too.
    const from = now();
    await inTicket(g, o, g.staffId, 'ticket closerequest', [str('delay', '1h')]);
    const deadline = (await timers(o))['close-request']!;
    expect(deadline - (from + H)).toBeGreaterThanOrEqual(0);
    expect(deadline - (from + H)).toBeLessThan(1000);
    await evictDurableObject(o.stub);
    await until(o, deadline - 1000);
    expect((await o.stub.snapshot()).ticket?.status).toBe('open');
    await until(o, deadline);
    const closed = (await o.stub.snapshot()).ticket!;
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'close request not answered' });

    // Accepted: closes at once with the request's reason.
    const p = await openTicket(g, g.memberIds[1]!);
    await inTicket(g, p, g.staffId, 'ticket closerequest', [str('reason', 'duplicate')]);
    const ask2 = await eventually(async () => (await postsWith(g, p, 'can be closed'))[0], 8000, 'second request');
    await deliver(press(g, g.memberIds[1]!, buttonId(ask2, 'Close it'), p.ticket.channelId!, ask2.id));
    expect((await p.stub.snapshot()).ticket).toMatchObject({ status: 'closed', closeReason: 'duplicate' });
  });
});
