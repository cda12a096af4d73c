import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../src/features/api/feature.ts';
import { OPENAPI } from '../../../src/features/api/openapi.ts';
import { FEATURES } from '../../../src/features/index.ts';
import { openTicket, simApi } from '../../helpers.ts';
import { type ModGuild, modGuild, role, run } from '../moderation/helpers.ts';
import { adminSession, allowCallback, api, createKey, type Exchange, exchanges, pendingApprovals } from './support.ts';

interface Report {
  checked: number;
  operations: (string | null)[];
  violations: { index: number; method: string; path: string; status: number; errors: string[] }[];
}

/** `/x/:id` as OpenAPI writes it: `/x/{id}`. */
const openapiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

let g: ModGuild;
let other: ModGuild;
let report: Report;

/**
 * A representative call per route, with its errors (400, 401, 403, 404, 409,
 * 422, 429), each recorded with its answer; then the simulator checks every
 * exchange against the document the Worker serves (openapi-backend with ajv, in
 * Node: workerd does not allow ajv's compiled validators).
 */
beforeAll(async () => {
  await allowCallback();
  [g, other] = await Promise.all([modGuild(), modGuild()]);
  const session = await adminSession(g);
  const doc = await api('GET', '/api/openapi.json');
  const rw = await createKey(g, session, 'read-write', 'contract');
  const ro = await createKey(g, session, 'read', 'contract read');
  const v1 = (rest: string) => `/api/v1/guilds/${g.guildId}${rest}`;

  await api('GET', `/api/dashboard/guilds/${g.guildId}/keys`, { auth: session });
  await api('POST', `/api/dashboard/guilds/${g.guildId}/keys`, { auth: session, body: { name: '', scope: 'read' } });
  const doomed = await createKey(g, session, 'read', 'doomed');
  await api('DELETE', `/api/dashboard/guilds/${g.guildId}/keys/${doomed.id}`, { auth: session });
  await api('DELETE', `/api/dashboard/guilds/${g.guildId}/keys/${doomed.id}`, { auth: session });
  await api('GET', v1('/stats'), { auth: doomed.key });

  const cfg = await api<{ tickets: { version: number }; moderation: { version: number } }>('GET', v1('/config'), { auth: rw.key });
  await api('PATCH', v1('/config/tickets'), { auth: rw.key, body: { version: cfg.body.tickets.version, maxOpenPerType: 2, transcriptDm: true } });
  await api('PATCH', v1('/config/tickets'), { auth: rw.key, body: { version: cfg.body.tickets.version, maxOpenPerType: 3 } });
  await api('PATCH', v1('/config/tickets'), { auth: rw.key, body: { version: cfg.body.tickets.version + 1, maxOpenPerType: 30 } });
  await api('PATCH', v1('/config/tickets'), { auth: ro.key, body: { version: cfg.body.tickets.version + 1, maxOpenPerType: 3 } });
  await api('PATCH', v1('/config/moderation'), { auth: session, body: { version: cfg.body.moderation.version, ladder: 'default', ai: false } });
  await api('PATCH', v1('/config/moderation'), { auth: rw.key, body: { version: cfg.body.moderation.version, ai: true } });

  // Every other settings section: a valid change, a refused field and a stale version.
  const all = await api<Record<string, { version: number }>>('GET', v1('/config'), { auth: rw.key });
  const sections: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['antiraid', { threshold: 12, slowmodeChannelIds: [g.generalChannelId] }, { slowmodeSeconds: 999_999 }],
    ['verification', { challenge: 'text', timeoutMinutes: 7 }, { enabled: true }],
    ['invites', { campaigns: { summer: 'Summer stream' } }, { campaigns: { x: 'Too short a code' } }],
    ['levels', { xpMin: 5, curve: '5,50,100', announceChannel: null }, { xpMin: 30 }],
    ['events', { timezone: 'Europe/Berlin', reminders: '1h, 15m', reminderMode: 'channel' }, { timezone: 'Mars/Olympus_Mons' }],
    ['faq', { ai: true, channels: [g.supportChannelId] }, { channels: ['general'] }],
    ['servers', { allowKill: true, prefixHints: false }, { allowKill: 'yes' }],
    ['logging', { modLogChannelId: g.supportChannelId, levelsAlertChannelId: null }, { ticketLogChannelId: 'log' }],
  ];
  for (const [section, good, refused] of sections) {
    const version = all.body[section]!.version;
    await api('PATCH', v1(`/config/${section}`), { auth: rw.key, body: { version, ...good } });
    await api('PATCH', v1(`/config/${section}`), { auth: rw.key, body: { version: version + 1, ...refused } });
    await api('PATCH', v1(`/config/${section}`), { auth: session, body: { version, ...good } });
  }
  const mod = await api<{ moderation: { version: number; config: { automod: unknown } } }>('GET', v1('/config'), { auth: rw.key });
  await api('PATCH', v1('/config/moderation'), {
    auth: rw.key,
    body: {
      version: mod.body.moderation.version,
      automod: { rules: [{ id: 'caps', kind: 'caps', minLetters: 10, maxPercent: 70, effect: { kind: 'delete' } }] },
    },
  });
  await api('PATCH', v1('/config/moderation'), { auth: rw.key, body: { version: mod.body.moderation.version + 1, automod: { rules: [{ id: 'Bad Id' }] } } });

  await run(g, g.adminId, 'setup tickets', [role('staff_role', g.staffRoleId)]);
  const t = await openTicket(g, g.memberIds[3]!);
  await api('GET', v1('/tickets?status=all&tag=refund&page=0&size=10'), { auth: ro.key });
  const ok = await api<{ ticket: { version: number } }>('PATCH', v1(`/tickets/${t.number}`), {
    auth: rw.key,
    body: { version: t.ticket.version, action: { kind: 'tag', tag: 'refund', on: true } },
  });
  await api('PATCH', v1(`/tickets/${t.number}`), { auth: rw.key, body: { version: t.ticket.version, action: { kind: 'claim' } } });
  await api('PATCH', v1(`/tickets/${t.number}`), {
    auth: rw.key,
    body: { version: ok.body.ticket.version, action: { kind: 'assign', assigneeId: g.memberIds[0] } },
  });
  await api('PATCH', v1('/tickets/404'), { auth: rw.key, body: { version: 1, action: { kind: 'claim' } } });
  await api('GET', v1('/tickets'), { auth: rw.key });
  const opened = { openerId: g.memberIds[4]!, channelId: g.supportChannelId, issueType: 'login', severity: 'medium', subject: 'Cannot log in' };
  await api('POST', v1('/tickets'), { auth: rw.key, body: opened });
  await api('POST', v1('/tickets'), { auth: rw.key, body: { ...opened, severity: 'dire' } });
  await api('POST', v1('/tickets'), { auth: rw.key, body: { ...opened, openerId: '123456789012345678' } });
  await api('GET', v1('/tickets?status=nope'), { auth: rw.key });

  const ids = await pendingApprovals(g, 2, session);
  await api('POST', v1(`/moderation/approvals/${ids[0]}`), { auth: rw.key, body: { decision: 'approve' } });
  await api('POST', v1(`/moderation/approvals/${ids[0]}`), { auth: rw.key, body: { decision: 'reject' } });
  await api('POST', v1('/moderation/approvals/77'), { auth: rw.key, body: { decision: 'reject' } });
  await api('GET', v1('/moderation/approvals'), { auth: rw.key });
  await api('GET', v1('/moderation/cases?limit=1'), { auth: rw.key });

  await run(g, g.adminId, 'xp set', [
    { name: 'member', type: 6, value: g.memberIds[1]! },
    { name: 'amount', type: 4, value: 120 },
  ]);
  await api('GET', v1('/leaderboard?page=0&size=5'), { auth: rw.key });
  await api('GET', v1(`/members/${g.memberIds[1]}`), { auth: rw.key });
  await api('GET', v1(`/members/${g.memberIds[2]}`), { auth: rw.key });
  await api('GET', v1('/stats'), { auth: session });
  await api('GET', v1('/analytics?range=1h'), { auth: ro.key });
  await api('GET', v1('/analytics?range=1y'), { auth: ro.key });

  await api('GET', `/api/v1/guilds/${other.guildId}/stats`, { auth: rw.key });
  await api('GET', v1('/stats'));
  for (let i = 0; i < 61; i++) {
    const r = await api('GET', v1('/moderation/approvals'), { auth: ro.key });
    if (r.status === 429) break;
  }

  report = await simApi<Report>('/_sim/api-contract', { body: { document: doc.body, exchanges } });
});

describe('the REST API keeps to its OpenAPI document', () => {
  it('serves an OpenAPI 3.1 document', async () => {
    const r = exchanges.find((x) => x.path === '/api/openapi.json')!;
    expect(r.status).toBe(200);
    expect(r.response).toEqual(JSON.parse(JSON.stringify(OPENAPI)));
    expect((r.response as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('every recorded request and answer fits it (parameters, bodies, statuses)', () => {
    expect(report.checked).toBe(exchanges.length);
    expect(report.violations).toEqual([]);
  });

  it('describes every API route of the router, and no route that does not exist', () => {
    const documented = new Set(Object.entries(OPENAPI.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    const routed = FEATURES.flatMap((f) => f.routes)
      .filter((r) => r.path.startsWith('/api/v1/') || r.path === '/api/openapi.json' || r.path.startsWith('/api/dashboard/guilds/:id/keys'))
      .map((r) => `${r.method} ${openapiPath(r.path)}`);
    expect(routed.length).toBe(API_ROUTES.length);
    expect(routed.filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((d) => !routed.includes(d))).toEqual([]);
  });

  it('the calls above exercised every operation, with errors among them', () => {
    const ops = new Set(report.operations);
    const all = Object.values(OPENAPI.paths).flatMap((p) => Object.values(p).map((o) => (o as { operationId: string }).operationId));
    expect(all.filter((o) => !ops.has(o))).toEqual([]);
    const statuses = new Set(exchanges.map((x: Exchange) => x.status));
    for (const s of [200, 201, 204, 400, 401, 403, 404, 409, 422, 429]) expect(statuses, `status ${s}`).toContain(s);
  });
});
