import type { APIMessage } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { deliver, env, eventually, openTicket, provisioned, slash } from '../../helpers.ts';
import { type ModGuild, messagesIn, moderationView, modGuild, role, run } from '../moderation/helpers.ts';
import { adminSession, allowCallback, api, createKey, pendingApprovals } from './support.ts';

type Versioned<C> = { version: number; changedBy: string | null; changedAt: number | null; config: C };
type Configs = {
  tickets: Versioned<{ maxOpenPerType: number; staffRoleId: string | null }>;
  moderation: Versioned<{ approvalTtlMs: number; ladder: unknown[]; ai: boolean }>;
};
type TicketRow = { number: number; status: string; version: number; tags: string[]; assigneeId: string | null };

let g: ModGuild;
let session: string;
let key: string;
let keyId: string;

beforeAll(async () => {
  await allowCallback();
  g = await modGuild();
  session = await adminSession(g);
  const k = await createKey(g, session, 'read-write', 'ops');
  key = k.key;
  keyId = k.id;
});

/** The Status field of a mod-queue message, and its buttons. */
const statusOf = (m: APIMessage) => m.embeds[0]?.fields?.find((f) => f.name === 'Status')?.value ?? '';
const buttonsOf = (m: APIMessage) => {
  const buttons = (m.components?.[0] as { components: { disabled?: boolean }[] } | undefined)?.components ?? [];
  expect(buttons.length).toBeGreaterThan(0);
  return buttons;
};

const v1 = (rest: string) => `/api/v1/guilds/${g.guildId}${rest}`;

describe('configuration', () => {
  it('is read with versions, changed against the version read, and a stale version gets 409 naming who changed it', async () => {
    const first = await api<Configs>('GET', v1('/config'), { auth: key });
    expect(first.status).toBe(200);
    const v = first.body.tickets.version;
    const mine = await api<Versioned<{ maxOpenPerType: number }>>('PATCH', v1('/config/tickets'), { auth: session, body: { version: v, maxOpenPerType: 3 } });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ version: v + 1, changedBy: `user ${g.adminId}`, config: { maxOpenPerType: 3 } });
    // The same version again: someone changed it in between.
    const stale = await api<{ error: string; current: Versioned<{ maxOpenPerType: number }> }>('PATCH', v1('/config/tickets'), {
      auth: key,
      body: { version: v, maxOpenPerType: 5 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ version: v + 1, changedBy: `user ${g.adminId}`, config: { maxOpenPerType: 3 } });
    // If-Match carries the version as well.
    const viaHeader = await api('PATCH', v1('/config/tickets'), { auth: key, body: { maxOpenPerType: 5 }, headers: { 'if-match': `"${v + 1}"` } });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body).toMatchObject({ version: v + 2, changedBy: `key ${keyId} (ops)` });
    // The open limit is what /ticket open now enforces: the same setting the command reads.
    expect((await guildActor(env, g.guildId).getTicketConfig()).maxOpenPerType).toBe(5);
  });

  it('a change made with a slash command makes the version stale too', async () => {
    const before = await api<Configs>('GET', v1('/config'), { auth: key });
    await deliver(slash(g, g.adminId, 'setup tickets', { staff_role: g.staffRoleId, max_open_per_type: 2 }));
    const after = await api<Configs>('GET', v1('/config'), { auth: key });
    expect(after.body.tickets).toMatchObject({
      version: before.body.tickets.version + 1,
      changedBy: 'a command in Discord',
      config: { maxOpenPerType: 2, staffRoleId: g.staffRoleId },
    });
    const stale = await api('PATCH', v1('/config/tickets'), { auth: key, body: { version: before.body.tickets.version, maxOpenPerType: 4 } });
    expect(stale.status).toBe(409);
  });

  it('bad input is a 400 naming the field, by the same rules as the commands, and changes nothing', async () => {
    const before = await api<Configs>('GET', v1('/config'), { auth: key });
    const tv = before.body.tickets.version;
    const mv = before.body.moderation.version;
    const cases: [string, Record<string, unknown>, string][] = [
      ['/config/tickets', { version: tv, maxOpenPerType: 11 }, 'maxOpenPerType'],
      ['/config/tickets', { version: tv, maxOpenPerType: 0 }, 'maxOpenPerType'],
      ['/config/tickets', { version: tv, staffRoleId: 'everyone' }, 'staffRoleId'],
      ['/config/tickets', { version: tv, transcriptDm: 'yes' }, 'transcriptDm'],
      ['/config/tickets', { version: tv, colour: 'red' }, 'colour'],
      ['/config/tickets', { maxOpenPerType: 2 }, 'version'],
      ['/config/moderation', { version: mv, approvalTtlMs: 1000 }, 'approvalTtlMs'],
      ['/config/moderation', { version: mv, ladder: '3/24h:explode' }, 'ladder'],
      ['/config/moderation', { version: mv, ladder: [{ infractions: 0, withinMs: 1, action: { kind: 'kick' } }] }, 'ladder'],
      ['/config/moderation', { version: mv, ai: 1 }, 'ai'],
    ];
    for (const [path, body, field] of cases) {
      const r = await api('PATCH', v1(path), { auth: key, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field, JSON.stringify(body)).toBe(field);
    }
    expect((await api('PATCH', v1('/config/tickets'), { auth: key, rawBody: '{"version":' })).status).toBe(400);
    const after = await api<Configs>('GET', v1('/config'), { auth: key });
    expect(after.body).toEqual(before.body);
    // Good values pass the same rules: the ladder as /modconfig takes it.
    const ok = await api<Versioned<{ ladder: unknown[]; approvalTtlMs: number }>>('PATCH', v1('/config/moderation'), {
      auth: key,
      body: { version: mv, ladder: '3/24h:timeout 10m, 6/24h:kick', approvalTtlMs: 3_600_000 },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.config.approvalTtlMs).toBe(3_600_000);
    expect(ok.body.config.ladder).toEqual([
      { infractions: 3, withinMs: 86_400_000, action: { kind: 'timeout', durationMs: 600_000 } },
      { infractions: 6, withinMs: 86_400_000, action: { kind: 'kick' } },
    ]);
  });
});

describe('approvals and the moderation log', () => {
  it('lists pending requests and decides each once, through the same operation as the queue buttons', async () => {
    const ids = await pendingApprovals(g, 3, session);
    // Two deciders at once: one wins, the other is told it was already decided.
    const [x, y] = await Promise.all([
      api<{ approval: { status: string; caseId: number | null } }>('POST', v1(`/moderation/approvals/${ids[0]}`), { auth: key, body: { decision: 'approve' } }),
      api<{ approval: { status: string } }>('POST', v1(`/moderation/approvals/${ids[0]}`), { auth: session, body: { decision: 'reject' } }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const winner = x.status === 200 ? x : y;
    const loser = x.status === 200 ? y : x;
    expect((loser.body as unknown as { error: string }).error).toBe(
      `this request was already ${(winner.body as { approval: { status: string } }).approval.status}`,
    );
    const again = await api('POST', v1(`/moderation/approvals/${ids[0]}`), { auth: key, body: { decision: 'approve' } });
    expect(again.status).toBe(409);

    const approved = await api<{ approval: { status: string; caseId: number; decidedBy: string } }>('POST', v1(`/moderation/approvals/${ids[1]}`), {
      auth: key,
      body: { decision: 'approve' },
    });
    expect(approved.status).toBe(200);
    // A key decides as the admin who made it.
    expect(approved.body.approval).toMatchObject({ status: 'approved', decidedBy: g.adminId, caseId: expect.any(Number) });
    // The queue message's buttons are turned off and the kick is carried out, as when the button is pressed.
    const queued = await eventually(
      async () => {
        const m = (await messagesIn(g, g.supportChannelId)).find((x) => x.embeds[0]?.title?.startsWith(`Approval #${ids[1]} `));
        return m && statusOf(m).includes('Done: case #') ? m : null;
      },
      8000,
      'queue message updated',
    );
    expect(buttonsOf(queued).every((b) => b.disabled)).toBe(true);
    await eventually(async () => !(await moderationView(g)).members.some((x) => x.user_id === g.memberIds[1]), 8000, 'member kicked');
    expect((await api('POST', v1(`/moderation/approvals/${ids[2]}`), { auth: key, body: { decision: 'maybe' } })).body.field).toBe('decision');
    expect((await api('POST', v1('/moderation/approvals/999'), { auth: key, body: { decision: 'approve' } })).status).toBe(404);

    const pending = await api<{ approvals: { id: string }[] }>('GET', v1('/moderation/approvals'), { auth: key });
    expect(pending.body.approvals.map((a) => a.id)).toEqual([ids[2]]);
    // A rejection through the API also turns the queue message's buttons off.
    expect((await api('POST', v1(`/moderation/approvals/${ids[2]}`), { auth: session, body: { decision: 'reject' } })).status).toBe(200);
    const rejected = await eventually(
      async () => {
        const m = (await messagesIn(g, g.supportChannelId)).find((x) => x.embeds[0]?.title?.startsWith(`Approval #${ids[2]} `));
        return m && statusOf(m).includes('Rejected') ? m : null;
      },
      8000,
      'queue message shows the rejection',
    );
    expect(buttonsOf(rejected).every((b) => b.disabled)).toBe(true);

    // The approved kick became a case in the log, one page at a time.
    const page1 = await api<{ cases: { id: number; action: string; approvalId: string | null }[]; nextBefore: number | null }>(
      'GET',
      v1('/moderation/cases?limit=1'),
      {
        auth: key,
      },
    );
    expect(page1.status).toBe(200);
    expect(page1.body.cases).toHaveLength(1);
    const all = await api<{ cases: { id: number; action: string; approvalId: string | null }[] }>('GET', v1('/moderation/cases?limit=100'), { auth: key });
    expect(all.body.cases.filter((c) => c.action === 'kick').map((c) => c.approvalId)).toContain(ids[1]);
    if (page1.body.nextBefore !== null) {
      const page2 = await api<{ cases: { id: number }[] }>('GET', v1(`/moderation/cases?limit=1&before=${page1.body.nextBefore}`), { auth: key });
      expect(page2.body.cases[0]!.id).toBeLessThan(page1.body.cases[0]!.id);
    }
    expect((await api('GET', v1('/moderation/cases?limit=500'), { auth: key })).body.field).toBe('limit');
  });
});

describe('tickets', () => {
  it('lists by status and tag, a page at a time, and changes a ticket through the staff inbox’s actions with version checks', async () => {
    await run(g, g.adminId, 'setup tickets', [role('staff_role', g.staffRoleId)]);
    const t1 = await openTicket(g, g.memberIds[3]!, { subject: 'first' });
    const t2 = await openTicket(g, g.memberIds[4]!, { subject: 'second', type: 'billing' });
    const list = await api<{ total: number; tickets: TicketRow[] }>('GET', v1('/tickets'), { auth: key });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    const row = list.body.tickets.find((t) => t.number === t1.number)!;

    const tagged = await api<{ ticket: TicketRow }>('PATCH', v1(`/tickets/${t1.number}`), {
      auth: key,
      body: { version: row.version, action: { kind: 'tag', tag: 'Refund', on: true } },
    });
    expect(tagged.status).toBe(200);
    expect(tagged.body.ticket.tags).toEqual(['refund']);
    // The version read before the tag is stale now.
    const stale = await api<{ error: string; ticket: TicketRow }>('PATCH', v1(`/tickets/${t1.number}`), {
      auth: key,
      body: { version: row.version, action: { kind: 'set-status', status: 'waiting' } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.ticket.version).toBe(tagged.body.ticket.version);
    const assigned = await api<{ ticket: TicketRow }>('PATCH', v1(`/tickets/${t1.number}`), {
      auth: session,
      body: { version: tagged.body.ticket.version, action: { kind: 'assign', assigneeId: g.staffId } },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.ticket).toMatchObject({ assigneeId: g.staffId, status: 'claimed' });
    const waiting = await api<{ ticket: TicketRow }>('PATCH', v1(`/tickets/${t1.number}`), {
      auth: key,
      body: { version: assigned.body.ticket.version, action: { kind: 'set-status', status: 'waiting' } },
    });
    expect(waiting.body.ticket.status).toBe('waiting');
    // Not staff: refused as the inbox refuses it.
    const notStaff = await api('PATCH', v1(`/tickets/${t2.number}`), {
      auth: key,
      body: { version: 1, action: { kind: 'assign', assigneeId: g.memberIds[0] } },
    });
    expect(notStaff.status).toBe(422);

    const byTag = await api<{ total: number; tickets: TicketRow[] }>('GET', v1('/tickets?tag=refund&status=all'), { auth: key });
    expect(byTag.body.tickets.map((t) => t.number)).toEqual([t1.number]);
    const byStatus = await api<{ total: number; tickets: TicketRow[] }>('GET', v1('/tickets?status=open'), { auth: key });
    expect(byStatus.body.tickets.map((t) => t.number)).toEqual([t2.number]);
    const paged = await api<{ total: number; tickets: TicketRow[] }>('GET', v1('/tickets?size=1&page=1'), { auth: key });
    expect(paged.body).toMatchObject({ total: 2, page: 1 });
    expect(paged.body.tickets).toHaveLength(1);

    expect((await api('GET', v1('/tickets?status=lost'), { auth: key })).body.field).toBe('status');
    expect((await api('GET', v1('/tickets?tag=%21%21'), { auth: key })).body.field).toBe('tag');
    expect((await api('PATCH', v1('/tickets/999'), { auth: key, body: { version: 1, action: { kind: 'claim' } } })).status).toBe(404);
    expect((await api('PATCH', v1(`/tickets/${t2.number}`), { auth: key, body: { version: 1, action: { kind: 'explode' } } })).body.field).toBe('action');

    // The member's profile shows their ticket; the stats count the open ones.
    const member = await api<{ userId: string; tickets: TicketRow[]; levels: unknown }>('GET', v1(`/members/${g.memberIds[4]}`), { auth: key });
    expect(member.body.tickets.map((t) => t.number)).toEqual([t2.number]);
    const stats = await api<{ tickets: { open: number }; members: { joinsLastHour: number } }>('GET', v1('/stats'), { auth: key });
    expect(stats.status).toBe(200);
    expect(stats.body.tickets.open).toBe(2);
  });
});

describe('levels', () => {
  it('a member’s level and the leaderboard come from the levels feature', async () => {
    await run(g, g.adminId, 'xp set', [
      { name: 'member', type: 6, value: g.memberIds[1]! },
      { name: 'amount', type: 4, value: 500 },
    ]);
    const board = await api<{ total: number; members: { userId: string; xp: number; level: number; rank: number }[] }>('GET', v1('/leaderboard'), {
      auth: key,
    });
    expect(board.status).toBe(200);
    expect(board.body.members[0]).toMatchObject({ userId: g.memberIds[1], xp: 500, rank: 1 });
    const m = await api<{ levels: { xp: number; level: number; rank: number } }>('GET', v1(`/members/${g.memberIds[1]}`), { auth: key });
    expect(m.body.levels).toMatchObject({ xp: 500, rank: 1, level: board.body.members[0]!.level });
    expect((await api('GET', v1('/members/abc'), { auth: key })).body.field).toBe('userId');
    expect((await api('GET', v1('/leaderboard?size=0'), { auth: key })).body.field).toBe('size');
  });
});

describe('opening a ticket', () => {
  it('opens one for a member through the same path as /ticket open: provisioned, and within their open-ticket limit', async () => {
    const cfg = await api<Configs>('GET', v1('/config'), { auth: key });
    expect((await api('PATCH', v1('/config/tickets'), { auth: key, body: { version: cfg.body.tickets.version, maxOpenPerType: 1 } })).status).toBe(200);
    const opener = g.memberIds[5]!;
    const body = {
      openerId: opener,
      channelId: g.supportChannelId,
      issueType: 'bug',
      severity: 'low',
      subject: 'Opened from the API',
      description: 'Seen on the website',
    };
    const made = await api<{ ticket: TicketRow & { id: string; openerId: string; subject: string } }>('POST', v1('/tickets'), { auth: key, body });
    expect(made.status).toBe(201);
    expect(made.body.ticket).toMatchObject({ status: 'open', openerId: opener, subject: 'Opened from the API', severity: 'low', issueType: 'bug' });
    // The provisioning job makes its thread, as for /ticket open.
    const t = await provisioned(made.body.ticket.id);
    expect(t.channelId).toEqual(expect.any(String));
    expect(t.openerId).toBe(opener);
    // Their limit of one open bug ticket holds: the same refusal /ticket open gives.
    const second = await api<{ error: string }>('POST', v1('/tickets'), { auth: key, body: { ...body, subject: 'Again' } });
    expect(second.status).toBe(422);
    expect(second.body.error).toMatch(/already/i);
    // Bad input names the field and opens nothing; a stranger or a channel elsewhere is 404.
    const before = (await api<{ total: number }>('GET', v1('/tickets?status=all'), { auth: key })).body.total;
    expect((await api('POST', v1('/tickets'), { auth: key, body: { ...body, issueType: 'rant' } })).body.field).toBe('issueType');
    expect((await api('POST', v1('/tickets'), { auth: key, body: { ...body, subject: 'x'.repeat(101) } })).body.field).toBe('subject');
    expect((await api('POST', v1('/tickets'), { auth: key, body: { ...body, openerId: 'me' } })).body.field).toBe('openerId');
    expect((await api('POST', v1('/tickets'), { auth: key, body: { ...body, openerId: '123456789012345678', issueType: 'login' } })).status).toBe(404);
    expect((await api<{ total: number }>('GET', v1('/tickets?status=all'), { auth: key })).body.total).toBe(before);
  });
});
