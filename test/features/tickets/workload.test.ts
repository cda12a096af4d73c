import type { APIMessage } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { TRIAGE_DEFAULTS } from '../../../src/features/tickets/model.ts';
import {
  backlogTrend,
  csvField,
  DAY_MS,
  exportRecord,
  median,
  parseExportFilter,
  parseQuestions,
  type StatsRow,
  toCsv,
  workload,
} from '../../../src/features/tickets/ratings/rules.ts';
import type { Actor } from '../../../src/features/tickets/rules.ts';
import { now } from '../../../src/runtime/clock.ts';
import { deliver, eventually, lastSeq, newGuild, openTicket, replyText, simApi, simLog, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { command, int, type Opt, str, user } from '../levels/support.ts';

afterEach(() => resetClock());

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 10, 12);

const row = (o: Partial<StatsRow>): StatsRow => ({
  id: 'g-1',
  number: 1,
  status: 'open',
  severity: 'low',
  issueType: 'bug',
  subject: 's',
  openerId: 'm',
  assigneeId: null,
  channelId: null,
  createdAt: T0,
  updatedAt: T0,
  version: 1,
  openerName: 'm',
  ...TRIAGE_DEFAULTS,
  tags: [],
  categoryName: null,
  ...o,
});

describe('workload rules', () => {
  it('median of odd and even counts, none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('per staff member: open, claimed, resolved in the window, medians and one-touch share', () => {
    const rows = [
      row({
        number: 1,
        assigneeId: 'a',
        status: 'closed',
        firstResponseAt: T0 + 10 * MIN,
        resolvedAt: T0 + 60 * MIN,
        closedAt: T0 + 70 * MIN,
        staffMessages: 1,
      }),
      row({ number: 2, assigneeId: 'a', status: 'resolved', firstResponseAt: T0 + 30 * MIN, resolvedAt: T0 + 180 * MIN, staffMessages: 3 }),
      row({ number: 3, assigneeId: 'a', status: 'claimed', firstResponseAt: T0 + 20 * MIN }),
      row({ number: 4, assigneeId: 'b', status: 'waiting' }),
      row({ number: 5, status: 'open' }),
    ];
    const w = workload(rows, T0 + DAY_MS, 7, 2);
    expect(w.staff).toEqual([
      {
        staffId: 'a',
        name: null,
        open: 0,
        claimed: 1,
        resolved: 2,
        medianFirstResponseMs: 20 * MIN,
        medianResolutionMs: 120 * MIN,
        oneTouchPct: 50,
      },
      { staffId: 'b', name: null, open: 1, claimed: 0, resolved: 0, medianFirstResponseMs: null, medianResolutionMs: null, oneTouchPct: null },
    ]);
    // End of 10 March: #1 closed and #2 resolved that day; #3, #4, #5 still open. Today (now): the same three.
    expect(w.backlog).toEqual([
      { day: '2026-03-10', open: 3 },
      { day: '2026-03-11', open: 3 },
    ]);
    expect(backlogTrend([row({ createdAt: T0 + DAY_MS })], T0 + DAY_MS + 1, 2)).toEqual([
      { day: '2026-03-10', open: 0 },
      { day: '2026-03-11', open: 1 },
    ]);
  });

  it('export filters: bad dates and since after until refused; until is inclusive', () => {
    const f = (o: Partial<Parameters<typeof parseExportFilter>[0]>) =>
      parseExportFilter({ status: null, severity: null, assignee: null, since: null, until: null, ...o });
    expect(f({ since: '2026-02-30' })).toEqual({ ok: false, error: { kind: 'bad-date', value: '2026-02-30' } });
    expect(f({ until: 'yesterday' })).toEqual({ ok: false, error: { kind: 'bad-date', value: 'yesterday' } });
    expect(f({ since: '2026-03-02', until: '2026-03-01' })).toEqual({ ok: false, error: { kind: 'since-after-until' } });
    expect(f({ status: 'nope' }).ok).toBe(false);
    const ok = f({ since: '2026-03-01', until: '2026-03-01', severity: 'low' });
    expect(ok).toEqual({
      ok: true,
      value: { status: null, severity: 'low', assigneeId: null, since: Date.UTC(2026, 2, 1), before: Date.UTC(2026, 2, 2) },
    });
  });

  it('CSV per RFC 4180: quotes, commas and line breaks quoted, quotes doubled, CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    const csv = toCsv([exportRecord(row({ subject: 'Crash, "again"' }))]);
    expect(csv.split('\r\n')[1]).toContain(',"Crash, ""again""",');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('survey questions: split on |, at most five, each within 45 characters; off clears', () => {
    expect(parseQuestions(' What went well? | |What could be better? ')).toEqual({ ok: true, value: ['What went well?', 'What could be better?'] });
    expect(parseQuestions('off')).toEqual({ ok: true, value: [] });
    expect(parseQuestions('a|b|c|d|e|f')).toEqual({ ok: false, error: { reason: 'too-many' } });
    expect(parseQuestions('x'.repeat(46)).ok).toBe(false);
  });
});

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let rowNow: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      rowNow.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rowNow.push(field);
      rows.push(rowNow);
      rowNow = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

const staffActor = (g: TestGuild): Actor => ({ userId: g.staffId, isStaff: true, name: 'Sam' });
const say = (o: Awaited<ReturnType<typeof openTicket>>, userId: string) =>
  o.stub.recordMessage({
    id: String(BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000))),
    authorId: userId,
    authorName: 'x',
    content: 'hi',
    at: now(),
  });
const asStaff = (g: TestGuild, path: string, opts: Opt[] = []) => deliver(command(g, g.staffId, path, opts, g.supportChannelId));

/** The file attached to the deferred reply of an interaction. */
async function fileOf(interactionId: string): Promise<{ name: string; text: string; content: string }> {
  const m = await eventually(
    async () => {
      const o = (await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${interactionId}`)).original;
      return o?.attachments?.[0] ? o : null;
    },
    8000,
    'file on @original',
  );
  const a = m.attachments[0]!;
  return { name: a.filename, text: await (await fetch(a.url)).text(), content: m.content };
}

describe('/tickets workload and /tickets export', () => {
  it('workload per staff member with moved clocks; members refused', async () => {
    const g = await newGuild();
    const a = await openTicket(g, g.memberIds[0]!, { severity: 'low' });
    await a.stub.request({ kind: 'act', action: { kind: 'claim' } }, staffActor(g));
    advanceClock(10 * MIN);
    await say(a, g.staffId);
    advanceClock(50 * MIN);
    expect((await a.stub.request({ kind: 'act', action: { kind: 'set-status', status: 'resolved' } }, staffActor(g))).outcome.ok).toBe(true);
    const b = await openTicket(g, g.memberIds[1]!, { severity: 'high' });
    await b.stub.request({ kind: 'act', action: { kind: 'claim' } }, staffActor(g));
    advanceClock(30 * MIN);
    await say(b, g.staffId);
    await say(b, g.staffId);
    expect((await b.stub.snapshot()).ticket?.staffMessages).toBe(2);
    const text = await eventually(
      async () => {
        const t = replyText(await asStaff(g, 'tickets workload', [int('days', 3)]));
        return t.includes(' · 100%') ? t : null;
      },
      8000,
      'workload',
    );
    // #a: answered after 10 min, resolved after an hour with one staff message; #b: answered after 30 min, still claimed.
    expect(text).toContain(`• <@${g.staffId}>: 0 · 1 · 1 · 20m · 1h · 100%`);
    expect(text).toMatch(/\*\*Backlog\*\* \(open at the end of each day, UTC\): \d\d-\d\d: \d+ · \d\d-\d\d: \d+ · \d\d-\d\d: 1$/);
    expect(replyText(await deliver(command(g, g.memberIds[2]!, 'tickets workload', [], g.supportChannelId)))).toBe('Only support staff can do that.');
  });

  it('export as CSV and JSON with filters, the file fetched back and parsed; bad filters refused with nothing sent', async () => {
    const g = await newGuild();
    const a = await openTicket(g, g.memberIds[0]!, { severity: 'low', subject: 'Crash, "again"' });
    const b = await openTicket(g, g.memberIds[1]!, { severity: 'high', subject: 'Login fails' });
    await b.stub.request({ kind: 'act', action: { kind: 'claim' } }, staffActor(g));

    const csv = await asStaff(g, 'tickets export', [str('format', 'csv')]);
    expect(csv.response).toEqual({ type: 5, data: { flags: 64 } });
    const file = await fileOf(csv.interaction.id);
    expect(file.name).toBe(`tickets-${g.guildId}.csv`);
    const rows = parseCsv(file.text);
    expect(rows[0]!.slice(0, 5)).toEqual(['number', 'status', 'severity', 'issue_type', 'subject']);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[4]])).toEqual([
      [String(a.number), 'low', 'Crash, "again"'],
      [String(b.number), 'high', 'Login fails'],
    ]);

    const json = await asStaff(g, 'tickets export', [str('format', 'json'), str('severity', 'high'), user('assignee', g.staffId)]);
    const records = JSON.parse((await fileOf(json.interaction.id)).text) as { number: number; assignee_id: string; created_at: string }[];
    expect(records.map((r) => [r.number, r.assignee_id])).toEqual([[b.number, g.staffId]]);
    const today = new Date(now()).toISOString().slice(0, 10);
    const dated = await asStaff(g, 'tickets export', [str('format', 'json'), str('since', today), str('until', today), str('status', 'claimed')]);
    expect((JSON.parse((await fileOf(dated.interaction.id)).text) as unknown[]).length).toBe(1);

    const before = await lastSeq();
    expect(replyText(await asStaff(g, 'tickets export', [str('format', 'csv'), str('since', '2026-13-01')]))).toBe(
      '“2026-13-01” is not a date. Use YYYY-MM-DD, like 2026-03-01. Nothing was sent.',
    );
    expect(replyText(await asStaff(g, 'tickets export', [str('format', 'csv'), str('since', '2026-03-02'), str('until', '2026-03-01')]))).toBe(
      '“since” is after “until”. Nothing was sent.',
    );
    expect(replyText(await deliver(command(g, g.memberIds[2]!, 'tickets export', [str('format', 'csv')], g.supportChannelId)))).toBe(
      'Only support staff can do that.',
    );
    expect((await simLog(before)).filter((c) => c.method === 'PATCH')).toEqual([]);
  });
});
