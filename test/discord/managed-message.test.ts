import { Routes } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { type ManagedMessage, syncManagedMessage } from '../../src/discord/managed-message.ts';
import { DiscordRest } from '../../src/discord/rest.ts';
import { ticketActor } from '../../src/runtime/stubs.ts';
import { controlMessage, deliver, env, eventually, guildSnapshot, lastSeq, newGuild, openTicket, simLog, slash } from '../helpers.ts';

const restOf = () => new DiscordRest({ token: env.DISCORD_TOKEN, apiBase: env.DISCORD_API_BASE });

describe('a managed message', () => {
  it('is posted once, edited only when it changes, and posted again when someone deleted it', async () => {
    const g = await newGuild();
    const rest = restOf();
    let m: ManagedMessage = { channelId: g.generalChannelId, messageId: null, shown: null };
    const step = async (content: string) => {
      const r = await syncManagedMessage(rest, m, { content, allowed_mentions: { parse: [] } });
      if (!r.ok) throw new Error(r.error.message);
      m = r.value.message;
      return r.value.action;
    };
    expect(await step('Lockdown: 3 raiders')).toBe('posted');
    const first = m.messageId!;
    const before = await lastSeq();
    expect(await step('Lockdown: 3 raiders')).toBe('unchanged');
    expect(await simLog(before)).toEqual([]);
    expect(await step('Lockdown: 5 raiders')).toBe('edited');
    expect(m.messageId).toBe(first);
    const inChannel = async () => (await guildSnapshot(g.guildId)).messages[g.generalChannelId] ?? [];
    expect((await inChannel()).find((x) => x.id === first)?.content).toBe('Lockdown: 5 raiders');

    const del = await rest.delete(Routes.channelMessage(g.generalChannelId, first));
    expect(del.ok).toBe(true);
    expect(await step('Lockdown: 6 raiders')).toBe('reposted');
    expect(m.messageId).not.toBe(first);
    expect((await inChannel()).filter((x) => x.content.startsWith('Lockdown'))).toMatchObject([{ id: m.messageId, content: 'Lockdown: 6 raiders' }]);

    // Any other refusal comes back as a value, and nothing is posted in its place.
    const gone = await syncManagedMessage(rest, { channelId: '1', messageId: null, shown: null }, { content: 'x' });
    expect(gone.ok).toBe(false);
  });

  it("a ticket's control message deleted by someone is posted again at the next change", async () => {
    const g = await newGuild();
    const { id, ticket } = await openTicket(g, g.memberIds[0]!);
    const rest = restOf();
    expect((await rest.delete(Routes.channelMessage(ticket.channelId!, ticket.controlMessageId!))).ok).toBe(true);
    // Its buttons went with it; staff claim with the command in the thread.
    await deliver(slash(g, g.staffId, 'ticket claim', {}, ticket.channelId!));
    const after = await eventually(
      async () => {
        const s = await ticketActor(env, id).snapshot();
        return s.pendingJobs === 0 && s.ticket?.controlMessageId !== ticket.controlMessageId ? s.ticket : null;
      },
      8000,
      'control message reposted',
    );
    const reposted = await controlMessage(g, ticket.channelId!, after!.controlMessageId!);
    expect(reposted.embeds[0]?.fields?.some((f) => f.value.includes(g.staffId))).toBe(true);
  });
});
