import { describe, expect, inject, it } from 'vitest';
import { hmacSha256Hex, LOG_SIGNATURE_HEADER, LOG_TIMESTAMP_HEADER } from '../../../src/features/audit/webhook.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { buttonId, controlMessage, deliver, env, eventually, newGuild, openTicket, press, slash } from '../../helpers.ts';

const LOG_WEBHOOK_SECRET = 'test-log-webhook-secret';
interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

describe('audit log and privacy', () => {
  it('records every command and button with user, outcome and latency, masked', async () => {
    const g = await newGuild();
    const { ticket } = await openTicket(g, g.memberIds[0]!, { subject: 'refund to card 4242 4242 4242 4242 please' });
    const control = await controlMessage(g, ticket.channelId!, ticket.controlMessageId!);
    await deliver(press(g, g.memberIds[0]!, buttonId(control, 'Claim'), ticket.channelId!, control.id));
    await deliver(press(g, g.staffId, buttonId(control, 'Claim'), ticket.channelId!, control.id));
    await deliver(slash(g, g.memberIds[1]!, 'ticket list'));
    const entries = await eventually(
      async () => {
        const a = await guildActor(env, g.guildId).auditLog();
        return a.length >= 4 ? a : null;
      },
      8000,
      'four audit entries',
    );
    const summary = entries.map((e) => [e.action, e.userId, e.outcome]).reverse();
    expect(summary).toEqual([
      ['/ticket open', g.memberIds[0], 'ok'],
      ['button ticket:claim', g.memberIds[0], 'refused:not-staff'],
      ['button ticket:claim', g.staffId, 'ok'],
      ['/ticket list', g.memberIds[1], 'refused:not-staff'],
    ]);
    for (const e of entries) {
      expect(e.guildId).toBe(g.guildId);
      expect(e.at).toBeGreaterThan(Date.now() - 60_000);
      expect(e.latencyMs).toBeGreaterThanOrEqual(0);
      expect(e.latencyMs).toBeLessThan(5000);
    }
    expect(ticket.subject).toBe('refund to card [card] please');
  });

  it('sends audit events to the log webhook, masked and signed with HMAC-SHA256', async () => {
    const g = await newGuild();
    await deliver(slash(g, g.memberIds[0]!, 'ticket open', { issue_type: 'billing', severity: 'high', subject: 'my email is gamer@example.com' }));
    const sink = inject('sinkUrl');
    const mine = await eventually(
      async () => {
        const all = (await (await fetch(`${sink}/received`)).json()) as Received[];
        return all.find((r) => r.path === '/log' && r.body.includes(g.guildId) && r.body.includes('/ticket open')) ?? null;
        // Delivery is background work, retried with backoff if the sink is slow to answer: allow for a retry or two.
      },
      20_000,
      'webhook delivery',
    );
    const ts = mine.headers[LOG_TIMESTAMP_HEADER.toLowerCase()]!;
    expect(mine.headers[LOG_SIGNATURE_HEADER.toLowerCase()]).toBe(`sha256=${await hmacSha256Hex(LOG_WEBHOOK_SECRET, `${ts}.${mine.body}`)}`);
    expect(mine.body).not.toContain('gamer@example.com');
    expect(mine.body).toContain('my email is [email]');
    const event = JSON.parse(mine.body) as { type: string; entries: { action: string; detail: string }[] };
    expect(event.type).toBe('audit');
    expect(event.entries.some((e) => e.action === '/ticket open')).toBe(true);
  });
});
