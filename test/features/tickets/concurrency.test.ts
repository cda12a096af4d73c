import type { APIInteraction } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { guildActor, ticketActor } from '../../../src/runtime/actors.ts';
import {
  buttonId,
  controlMessage,
  deliver,
  deliverSigned,
  env,
  guildSnapshot,
  lastSeq,
  newGuild,
  openTicket,
  press,
  provisioned,
  replyText,
  simApi,
  simLog,
  slash,
} from '../../helpers.ts';

describe('correctness under concurrency and retries', () => {
  it('50 simultaneous Claim presses give exactly one assignee; everyone else is told who has it', async () => {
    const g = await newGuild(2, 1);
    const staff: string[] = [];
    for (let i = 0; i < 50; i++) {
      const { user_id } = await simApi<{ user_id: string }>('/_sim/members', {
        body: { guild_id: g.guildId, username: `mod${i}`, permissions: String(1n << 34n) },
      });
      staff.push(user_id);
    }
    const { ticket, stub } = await openTicket(g, g.memberIds[0]!);
    const control = await controlMessage(g, ticket.channelId!, ticket.controlMessageId!);
    const claimId = buttonId(control, 'Claim');
    // Sign all first so the presses reach the Worker together.
    const signed = await Promise.all(
      staff.map((u) =>
        simApi<{ interaction: APIInteraction; body: string; headers: Record<string, string> }>('/_sim/interactions', {
          body: press(g, u, claimId, ticket.channelId!, control.id),
        }),
      ),
    );
    const results = await Promise.all(signed.map((s) => deliverSigned(s)));
    const winners = results.filter((r) => replyText(r) === `You claimed ticket #${ticket.number}.`);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.interaction.member!.user.id;
    for (const r of results) {
      if (r === winners[0]) continue;
      expect(replyText(r)).toBe(`Ticket #${ticket.number} is already claimed by <@${winner}>.`);
    }
    const s = await stub.snapshot();
    expect(s.ticket).toMatchObject({ status: 'claimed', assigneeId: winner, version: 2 });
    expect(s.history.filter((h) => h.status === 'claimed')).toHaveLength(1);
  });

  it('the same interaction delivered twice makes one ticket, one thread and one reply', async () => {
    const g = await newGuild();
    const before = await lastSeq();
    const spec = slash(g, g.memberIds[0]!, 'ticket open', { issue_type: 'crash', severity: 'critical', subject: 'Servers down' });
    const first = await simApi<{ interaction: APIInteraction; body: string; headers: Record<string, string> }>('/_sim/interactions', { body: spec });
    // Discord redelivers the same id and token; deliver both at once and once more afterwards.
    const again = await simApi<{ interaction: APIInteraction; body: string; headers: Record<string, string> }>('/_sim/interactions', {
      body: { ...spec, id: first.interaction.id, token: first.interaction.token },
    });
    const [a, b] = await Promise.all([deliverSigned(first), deliverSigned(again)]);
    const c = await deliverSigned(again);
    expect(replyText(a)).toBe(replyText(b));
    expect(replyText(c)).toBe(replyText(a));
    expect([a, b, c].filter((d) => d.accepted)).toHaveLength(1);
    await provisioned(`${g.guildId}-1`);
    expect((await ticketActor(env, `${g.guildId}-2`).snapshot()).ticket).toBeNull();
    const threads = (await guildSnapshot(g.guildId)).channels.filter((ch) => ch.type === 12);
    expect(threads).toHaveLength(1);
    const calls = await simLog(before);
    expect(calls.filter((x) => x.route === 'POST /channels/{channel_id}/threads')).toHaveLength(1);
    expect(calls.filter((x) => x.route === 'POST /channels/{channel_id}/messages')).toHaveLength(1);
    const audit = await guildActor(env, g.guildId).auditLog();
    expect(audit.filter((e) => e.action === '/ticket open')).toHaveLength(1);
  });

  it('a second open of the same type racing the first is refused, not duplicated', async () => {
    const g = await newGuild();
    const m = g.memberIds[0]!;
    const [x, y] = await Promise.all([
      deliver(slash(g, m, 'ticket open', { issue_type: 'login', severity: 'low', subject: 'one' })),
      deliver(slash(g, m, 'ticket open', { issue_type: 'login', severity: 'low', subject: 'two' })),
    ]);
    const texts = [replyText(x), replyText(y)].sort();
    expect(texts[0]).toMatch(/^You already have an open login ticket/);
    expect(texts[1]).toMatch(/^🎫 Ticket #1 opened/);
  });
});
