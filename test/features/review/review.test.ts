import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { deliver, env, newGuild, openTicket, replyText, slash } from '../../helpers.ts';
import { adminSession, allowCallback, api, BASE, pendingApprovals } from '../api/support.ts';
import { type ModGuild, modGuild } from '../moderation/helpers.ts';

interface Item {
  kind: string;
  id: string;
  ownerId: string | null;
  version: number | null;
  actions: string[];
}
interface Queue {
  items: Item[];
  counts: Record<string, number>;
  total: number;
}

let g: ModGuild;
let session: string;
const queue = (q = '') => api<Queue>('GET', `/api/dashboard/guilds/${g.guildId}/review${q}`, { auth: session });

beforeAll(async () => {
  await allowCallback();
  g = await modGuild();
  session = await adminSession(g);
});

describe('the review queue', () => {
  it('lists tickets waiting for staff and pending approvals; acting through the API takes them off, once', async () => {
    const { ticket } = await openTicket(g, g.memberIds[3]!, { subject: 'cannot log in' });
    const ids = await pendingApprovals(g, 2, session);
    const q = await queue();
    expect(q.status).toBe(200);
    expect(q.body.counts).toMatchObject({ ticket: 1, approval: 2 });
    const t = q.body.items.find((i) => i.kind === 'ticket')!;
    expect(t).toMatchObject({ id: String(ticket.number), ownerId: null, actions: ['claim'] });
    expect(q.body.items.filter((i) => i.kind === 'approval').map((i) => i.id)).toEqual(ids);

    // The page's buttons call the REST API with the session: the same operations as Discord's buttons.
    const claim = await api('PATCH', `/api/v1/guilds/${g.guildId}/tickets/${t.id}`, { auth: session, body: { version: t.version, action: { kind: 'claim' } } });
    expect(claim.status).toBe(200);
    const [a, b] = await Promise.all([
      api('POST', `/api/v1/guilds/${g.guildId}/moderation/approvals/${ids[0]}`, { auth: session, body: { decision: 'reject' } }),
      api('POST', `/api/v1/guilds/${g.guildId}/moderation/approvals/${ids[0]}`, { auth: session, body: { decision: 'approve' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);

    const after = await queue();
    // Claimed but not answered yet: still waiting, now with its owner; the decided request is gone.
    expect(after.body.items.find((i) => i.kind === 'ticket')).toMatchObject({ ownerId: g.adminId, actions: [] });
    expect(after.body.items.filter((i) => i.kind === 'approval').map((i) => i.id)).toEqual([ids[1]]);
    expect((await queue('?owner=me')).body.items.map((i) => i.kind)).toEqual(['ticket']);
    expect((await queue('?kind=approval')).body.items.map((i) => i.id)).toEqual([ids[1]]);
  });

  it('refuses a bad filter, and an admin of another server sees nothing of this one', async () => {
    const bad = await queue('?kind=everything');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'kind must be one of ticket, approval, appeal, faq' });
    const other = await newGuild();
    const otherSession = await adminSession(other, other.adminId);
    const denied = await api('GET', `/api/dashboard/guilds/${g.guildId}/review`, { auth: otherSession });
    expect(denied.status).toBe(403);
    expect(JSON.stringify(denied.body)).not.toContain('approval');
    expect((await api('GET', `/api/dashboard/guilds/${g.guildId}/review`)).status).toBe(401);
  });

  it('is a page with no inline script, its own script file, filters and the API’s buttons', async () => {
    const res = await SELF.fetch(`${BASE}/dashboard/guilds/${g.guildId}/review?kind=approval`, { headers: { cookie: session, 'accept-language': 'de' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toContain('<script src="/review.js" defer></script>');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<h1>Wartet auf jemanden</h1>');
    expect(html).toContain(`aria-current="page">Freigabe (1)</a>`);
    expect(html).toContain('<button type="button" data-action="approve">Freigeben</button>');
    expect(html).not.toContain('data-kind="ticket"');
    const bad = await SELF.fetch(`${BASE}/dashboard/guilds/${g.guildId}/review?owner=them`, { headers: { cookie: session } });
    expect(bad.status).toBe(400);
  });

  it('tells /diagnostics how much waits and for how long', async () => {
    const sources = await guildActor(env, g.guildId).reviewSources();
    expect(sources?.approvals).toHaveLength(1);
    const text = replyText(await deliver(slash(g, g.adminId, 'diagnostics')));
    expect(text).toMatch(/2 items waiting on the dashboard’s review queue, the oldest waiting \d+ minutes?\./);
  });
});
