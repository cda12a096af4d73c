import { runInDurableObject } from 'cloudflare:test';
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerificationEntry } from '../../../src/features/protection/rules/verification.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { deliver, env, eventually, guildSnapshot, newGuild, originalMessageId, press, replyText, type TestGuild } from '../../helpers.ts';
import { buttonIn, channel, command, discord, joins, moderation, protection, role, run, runDueNow, startGateway, stopGateway, tracked } from './support.ts';

beforeAll(startGateway, 30_000);
afterAll(stopGateway);

interface Gate {
  g: TestGuild;
  unverified: string;
  panel: APIMessage;
}

/** A guild with the gate on: an Unverified role, the Verify button in #support, members removed after a minute. */
async function gated(challenge: 'question' | 'text'): Promise<Gate> {
  const g = await newGuild(3, 1);
  await tracked(g.guildId);
  const unverified = (await discord<{ id: string }>('POST', `/guilds/${g.guildId}/roles`, { name: 'Unverified' })).id;
  expect(replyText(await run(command(g, g.adminId, 'verification on')))).toBe(
    'Nothing was changed: set an unverified role first (/verification config unverified_role); set a verify channel first (/verification config verify_channel).',
  );
  const cfg = await run(
    command(g, g.adminId, 'verification config', {
      unverified_role: role(unverified),
      verify_channel: channel(g.supportChannelId),
      challenge,
      timeout_minutes: 1,
      kick_after_minutes: 2,
      // Removal (2 min after joining) comes after the challenge expires (1 min after it was given): the moved clock passes them in that order.
    }),
  );
  expect(replyText(cfg)).toContain('Verification settings saved.');
  expect(replyText(await run(command(g, g.staffId, 'verification on')))).toBe('Only administrators can change verification.');
  expect(replyText(await run(command(g, g.adminId, 'verification on')))).toBe(
    `Verification is on: new members get only <@&${unverified}> until they pass a challenge in <#${g.supportChannelId}>.`,
  );
  const panel = await eventually(
    async () => (await guildSnapshot(g.guildId)).messages[g.supportChannelId]?.find((m) => m.content.includes('Press **Verify**')) ?? null,
    8000,
    'verify panel',
  );
  return { g, unverified, panel };
}

/** A member joins through the gateway and is given only the unverified role. */
async function newcomer({ g, unverified }: Gate): Promise<string> {
  const id = (await joins(g.guildId, { count: 1 })).member_ids[0]!;
  await eventually(
    async () => {
      const m = (await moderation(g.guildId)).members.find((x) => x.user_id === id);
      return m && m.roles.length === 1 && m.roles[0] === unverified;
    },
    8000,
    'unverified role given',
  );
  return id;
}

const entry = (guildId: string, userId: string) =>
  runInDurableObject(guildActor(env, guildId), (_i, state) => {
    const row = state.storage.sql.exec<{ entry: string }>(`SELECT entry FROM protection_verification WHERE user_id = ?`, userId).toArray()[0];
    return row ? (JSON.parse(row.entry) as VerificationEntry) : null;
  });

/** Presses Verify and Answer; returns the challenge text and the form's custom_id. */
async function challenge({ g, panel }: Gate, userId: string): Promise<{ text: string; form: string }> {
  const v = await deliver(press(g, userId, buttonIn(panel, 'Verify'), g.supportChannelId, panel.id));
  const text = replyText(v);
  const shown = await originalMessageId(v.interaction.id);
  const ephemeralMsg = (v.response as unknown as { data: APIMessage }).data;
  // The answer is typed in the form: the challenge's only button is Answer.
  expect(ephemeralMsg.components?.flatMap((r) => (r as { components: { label?: string }[] }).components.map((b) => b.label))).toEqual(['Answer']);
  const a = await deliver(press(g, userId, buttonIn({ ...ephemeralMsg, id: shown } as APIMessage, 'Answer'), g.supportChannelId, shown));
  expect(a.response).toMatchObject({ type: 9, data: { title: 'Verification' } });
  return { text, form: (a.response as { data: { custom_id: string } }).data.custom_id };
}

const answer = (g: TestGuild, userId: string, form: string, value: string) =>
  deliver({
    type: 5,
    guild_id: g.guildId,
    channel_id: g.supportChannelId,
    user_id: userId,
    data: { custom_id: form, components: [{ type: 1, components: [{ type: 4, custom_id: 'answer', value }] }] },
  });

describe('verification gate through the gateway', () => {
  it('lets a member in who answers the question, and counts a wrong answer', async () => {
    const gate = await gated('question');
    const { g, unverified } = gate;
    const member = await newcomer(gate);
    const { text, form } = await challenge(gate, member);
    expect(text).toMatch(/Press \*\*Answer\*\* to reply/);
    const stored = (await entry(g.guildId, member))!;
    expect(stored.challenge!.answers.length).toBeGreaterThan(0);

    expect(replyText(await answer(g, member, form, 'definitely not it'))).toBe('Wrong answer. 2 attempts left.');
    expect((await protection(g.guildId)).verification.stats).toMatchObject({ failed: 1, passed: 0 });
    expect(replyText(await answer(g, member, form, stored.challenge!.answers[0]!))).toBe('Verified. Welcome!');
    await eventually(
      async () => (await moderation(g.guildId)).members.find((x) => x.user_id === member)?.roles.length === 0,
      8000,
      'unverified role taken away',
    );
    expect((await protection(g.guildId)).verification).toMatchObject({ enabled: true, pending: 0, stats: { passed: 1, failed: 1, timedOut: 0, removed: 0 } });
    expect(replyText(await deliver(press(g, member, buttonIn(gate.panel, 'Verify'), g.supportChannelId, gate.panel.id)))).toBe('You are already verified.');
    expect((await moderation(g.guildId)).members.find((x) => x.user_id === member)?.roles).not.toContain(unverified);
  });

  it('catches a pasted look-alike code and accepts the typed one', async () => {
    const gate = await gated('text');
    const { g } = gate;
    const member = await newcomer(gate);
    const { text, form } = await challenge(gate, member);
    const display = /\n\n# (.+)\n\n/.exec(text)![1]!;
    const typed = (await entry(g.guildId, member))!.challenge!.answers[0]!;
    expect(display).not.toContain(typed.toUpperCase());
    expect(replyText(await answer(g, member, form, display))).toBe('That looks copied; type the code yourself. 2 attempts left.');
    expect(replyText(await answer(g, member, form, typed))).toBe('Verified. Welcome!');
    expect((await protection(g.guildId)).verification.stats).toMatchObject({ passed: 1, failed: 1 });
  });

  it('counts a challenge left unanswered as a timeout, and removes members who never verify after the set time', async () => {
    const gate = await gated('question');
    const { g } = gate;
    const member = await newcomer(gate);
    await challenge(gate, member);
    expect(await runDueNow(g.guildId, ['verify-expire'])).toBe(1);
    await eventually(async () => (await protection(g.guildId)).verification.stats.timedOut === 1, 5000, 'timeout counted');
    expect(await entry(g.guildId, member)).toMatchObject({ status: 'pending', challenge: null, timeouts: 1 });

    expect(await runDueNow(g.guildId, ['verify-deadline'])).toBe(1);
    await eventually(async () => !(await moderation(g.guildId)).members.some((x) => x.user_id === member), 8000, 'member removed');
    await eventually(async () => (await protection(g.guildId)).verification.stats.removed === 1, 5000, 'removal counted');
    expect((await protection(g.guildId)).verification).toMatchObject({ pending: 0, stats: { passed: 0, timedOut: 1, removed: 1 } });
  });
});
