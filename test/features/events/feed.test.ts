import { runDurableObjectAlarm, SELF } from 'cloudflare:test';
import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { foldLine } from '../../../src/features/events/ical.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { now } from '../../../src/runtime/clock.ts';
import { deliver, env, newGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { content, createEvent, event, eventPost, field, submitForm } from './support.ts';

afterEach(() => resetClock());

describe('the calendar feed', () => {
  it('serves a weekly Berlin series across the DST change, with a cancelled date (EXDATE) and an edited one (RECURRENCE-ID), parsed by ical.js', async () => {
    const g = await newGuild();
    advanceClock(Date.parse('2027-03-01T10:00:00Z') - now());
    await deliver(event(g, g.adminId, 'config', { timezone: 'Europe/Berlin' }));
    await createEvent(
      g,
      { location: 'Hall; room 2, upstairs', repeat: 'weekly' },
      { title: 'Weekly raid, \\ part', description: 'Line one\nLine two', start: '2027-03-19 20:00' },
    );
    await eventPost(g, 'Weekly raid, \\ part');
    const cancelled = await deliver(event(g, g.adminId, 'cancel', { event: '1', occurrence: '1' }));
    expect(content(cancelled)).toBe(
      `The date <t:${Date.parse('2027-03-26T19:00:00Z') / 1000}:F> of event #1 **Weekly raid, \\ part** is cancelled; the others stay.`,
    );
    const edited = await submitForm(g, await deliver(event(g, g.adminId, 'edit', { event: '1', occurrence: '2' })), {
      title: 'Special raid',
      start: '2027-04-02 21:00',
    });
    expect(content(edited)).toContain('Only this date of event #1 changed');

    const shown = content(await deliver(event(g, g.memberIds[0]!, 'feed')));
    const url = /(https?:\/\/\S+\.ics)/.exec(shown)![1]!;
    const res = await SELF.fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(text.endsWith('\r\n')).toBe(true);

    const cal = new ICAL.Component(ICAL.parse(text));
    const vevents = cal.getAllSubcomponents('vevent');
    expect(vevents).toHaveLength(2);
    for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const master = new ICAL.Event(vevents.find((v) => !v.hasProperty('recurrence-id'))!);
    const exception = new ICAL.Event(vevents.find((v) => v.hasProperty('recurrence-id'))!);
    expect(master.uid).toMatch(/@guildkeep$/);
    expect(exception.uid).toBe(master.uid);
    expect(master.summary).toBe('Weekly raid, \\ part');
    expect(master.description).toBe('Line one\nLine two');
    expect(master.location).toBe('Hall; room 2, upstairs');
    expect(master.component.getFirstPropertyValue('rrule')!.toString()).toBe('FREQ=WEEKLY');
    expect(master.component.hasProperty('dtstamp')).toBe(true);
    master.relateException(exception);
    const it = master.iterator();
    const starts: string[] = [];
    for (let next = it.next(); next && starts.length < 4; next = it.next()) {
      const d = master.getOccurrenceDetails(next);
      starts.push(`${d.startDate.toJSDate().toISOString()} ${d.item.summary}`);
    }
    expect(starts).toEqual([
      '2027-03-19T19:00:00.000Z Weekly raid, \\ part',
      '2027-04-02T19:00:00.000Z Special raid',
      '2027-04-09T18:00:00.000Z Weekly raid, \\ part',
      '2027-04-16T18:00:00.000Z Weekly raid, \\ part',
    ]);

    // The whole series cancelled: the feed says so under the same UID.
    await deliver(event(g, g.adminId, 'cancel', { event: '1' }));
    const after = new ICAL.Component(ICAL.parse(await (await SELF.fetch(url)).text()));
    expect(after.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('status'))).toEqual(['CANCELLED', 'CANCELLED']);

    // A forged or rotated token is a 404.
    expect((await SELF.fetch(url.replace(/[0-9a-f]{6}\.ics$/, '000000.ics'))).status).toBe(404);
    const rotated = content(await deliver(event(g, g.adminId, 'feed', { rotate: true })));
    expect(rotated).toMatch(/new address/);
    expect((await SELF.fetch(url)).status).toBe(404);
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const folded = foldLine(`SUMMARY:${'é'.repeat(80)}`);
    for (const l of folded.split('\r\n')) expect(new TextEncoder().encode(l).length).toBeLessThanOrEqual(75);
    expect(
      folded
        .split('\r\n')
        .map((l, i) => (i === 0 ? l : l.slice(1)))
        .join(''),
    ).toBe(`SUMMARY:${'é'.repeat(80)}`);
  });

  it('shows the next date of a weekly 20:00 Berlin series at 20:00 local after the clocks change', async () => {
    const g = await newGuild();
    advanceClock(Date.parse('2027-03-20T10:00:00Z') - now());
    await deliver(event(g, g.adminId, 'config', { timezone: 'Europe/Berlin' }));
    await createEvent(g, { repeat: 'weekly' }, { title: 'Across DST', start: '2027-03-26 20:00', duration: '1h' });
    const first = await eventPost(g, 'Across DST');
    expect(field(first, 'When')!.value).toContain(`<t:${Date.parse('2027-03-26T19:00:00Z') / 1000}:F>`);
    // The first date starts: the next one (after the change to summer time) is posted at 18:00 UTC, 20:00 in Berlin.
    advanceClock(Date.parse('2027-03-26T19:00:01Z') - now());
    await runDurableObjectAlarm(guildActor(env, g.guildId) as never);
    await eventPost(g, 'Across DST', (m) => field(m, 'When')!.value.includes(`<t:${Date.parse('2027-04-02T18:00:00Z') / 1000}:F>`), 'next date posted');
  });
});
