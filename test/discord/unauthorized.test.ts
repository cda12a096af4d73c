import { SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { deliver, eventually, lastSeq, newGuild, replyText, simApi, simLog, slash } from '../helpers.ts';

// Its own file: a refused token stays refused for the rest of the isolate, by design.
describe('a revoked bot token', () => {
  it('is reported on /health and to the log webhook, and not retried in a loop', async () => {
    const g = await newGuild();
    const healthy = (await (await SELF.fetch('http://guildkeep.test/health')).json()) as { ok: boolean; discord: { auth: { state: string } } };
    expect(healthy.discord.auth.state).toBe('ok');
    await simApi('/_sim/faults', { body: { path: '.*', status: 401, times: 1000 } });
    const before = await lastSeq();
    const d = await deliver(slash(g, g.memberIds[0]!, 'ticket open', { issue_type: 'crash', severity: 'high', subject: 'x' }));
    expect(replyText(d)).toMatch(/Ticket #1 opened/);
    const health = await eventually(
      async () => {
        const h = (await (await SELF.fetch('http://guildkeep.test/health')).json()) as { ok: boolean; discord: { auth: { state: string; route?: string } } };
        return h.discord.auth.state === 'unauthorized' ? h : null;
      },
      8000,
      '/health to report the 401',
    );
    expect(health.ok).toBe(false);
    expect(health.discord.auth.route).toBe('POST /channels/:id/threads');
    const sink = inject('sinkUrl');
    await eventually(
      async () => {
        const all = (await (await fetch(`${sink}/received`)).json()) as { body: string }[];
        return all.some((r) => r.body.includes('"state":"unauthorized"'));
      },
      8000,
      'webhook report',
    );
    // Another ticket: the client refuses locally instead of calling Discord again.
    await deliver(slash(g, g.memberIds[1]!, 'ticket open', { issue_type: 'crash', severity: 'high', subject: 'y' }));
    await new Promise((r) => setTimeout(r, 300));
    const botCalls = (await simLog(before)).filter((c) => !c.path.startsWith('/webhooks/') && !c.path.startsWith('/interactions/'));
    expect(botCalls).toHaveLength(1);
    expect(botCalls[0]!.status).toBe(401);
    await simApi('/_sim/faults', { method: 'DELETE' });
  });
});
