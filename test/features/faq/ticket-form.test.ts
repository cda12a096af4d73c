import { afterEach, describe, expect, it } from 'vitest';
import { ticketActor } from '../../../src/runtime/actors.ts';
import { deliver, env, newGuild, originalMessageId, press, provisioned, replyText, slash, type TestGuild } from '../../helpers.ts';
import { resetClock } from '../../support/clock.ts';
import { addEntry, buttonsOf, embedsOf, flagsOf, KNOWLEDGE } from './support.ts';

afterEach(() => resetClock());

/** /ticket open without a subject, then its form. */
async function submitTicketForm(g: TestGuild, userId: string, subject: string, description: string) {
  const open = await deliver(slash(g, userId, 'ticket open', { issue_type: 'login', severity: 'high' }));
  const customId = (open.response as { data: { custom_id: string } }).data.custom_id;
  return deliver({
    type: 5,
    guild_id: g.guildId,
    channel_id: g.supportChannelId,
    user_id: userId,
    data: {
      custom_id: customId,
      components: [
        { type: 1, components: [{ type: 4, custom_id: 'subject', value: subject }] },
        { type: 1, components: [{ type: 4, custom_id: 'description', value: description }] },
      ],
    },
  });
}

async function guildWithFaq(): Promise<TestGuild> {
  const g = await newGuild();
  for (const e of KNOWLEDGE) await addEntry(g, e);
  return g;
}

const noTicket = async (g: TestGuild) => (await ticketActor(env, `${g.guildId}-1`).snapshot()).ticket;

describe('FAQ suggestions on the /ticket open form', () => {
  it('shows the matching entry before any ticket exists; "This solved it" opens none', async () => {
    const g = await guildWithFaq();
    const member = g.memberIds[1]!;
    const d = await submitTicketForm(g, member, 'Forgot my password', 'I cannot log in since yesterday');
    expect(d.accepted).toBe(true);
    expect(flagsOf(d) & 64).toBe(64);
    expect(replyText(d)).toMatch(/^Before the ticket is opened/);
    expect(embedsOf(d)[0]).toMatchObject({ title: 'How do I reset my password?' });
    expect(buttonsOf(d).map((b) => b.label)).toEqual(['This solved it', 'Open the ticket anyway']);
    expect(await noTicket(g)).toBeNull();

    const msg = await originalMessageId(d.interaction.id);
    const solved = await deliver(press(g, member, buttonsOf(d)[0]!.custom_id, g.supportChannelId, msg));
    expect(solved.response).toMatchObject({ type: 7, data: { content: 'Glad that solved it! No ticket was opened.', components: [] } });
    expect(await noTicket(g)).toBeNull();
    // The kept form is gone once used.
    expect(replyText(await deliver(press(g, member, buttonsOf(d)[1]!.custom_id, g.supportChannelId, msg)))).toBe(
      'This form is no longer kept. Please run /ticket open again.',
    );
  });

  it('"Open the ticket anyway" opens it with exactly what the member typed; nobody else can press it', async () => {
    const g = await guildWithFaq();
    const member = g.memberIds[1]!;
    const d = await submitTicketForm(g, member, 'Forgot my password', 'Tried the reset link twice, no e-mail arrives.');
    const msg = await originalMessageId(d.interaction.id);
    const anyway = buttonsOf(d)[1]!.custom_id;
    expect(replyText(await deliver(press(g, g.memberIds[2]!, anyway, g.supportChannelId, msg)))).toBe(
      'Only the member who filled in this form can use these buttons.',
    );
    const opened = await deliver(press(g, member, anyway, g.supportChannelId, msg));
    expect(replyText(opened)).toMatch(/Ticket #1 opened \(login, high\): “Forgot my password”/);
    expect(await provisioned(`${g.guildId}-1`)).toMatchObject({
      openerId: member,
      issueType: 'login',
      severity: 'high',
      subject: 'Forgot my password',
      description: 'Tried the reset link twice, no e-mail arrives.',
    });
  });

  it('opens the ticket at once when nothing in the FAQ matches', async () => {
    const g = await guildWithFaq();
    const d = await submitTicketForm(g, g.memberIds[1]!, 'Shop charged me twice', 'Two charges for one purchase');
    expect(replyText(d)).toMatch(/Ticket #1 opened \(login, high\): “Shop charged me twice”/);
  });
});
