import { runDurableObjectAlarm } from 'cloudflare:test';
import { type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIMessage, InteractionResponseType } from 'discord-api-types/v10';
import { describe, expect, inject, it } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { deliver, env, eventually, press, replyText } from '../../helpers.ts';
import { advanceClock } from '../../support/clock.ts';
import {
  addRule,
  bool,
  exists,
  findPost,
  type ModGuild,
  messagesIn,
  modCalls,
  moderationView,
  modGuild,
  run,
  say,
  setUpModeration,
  str,
  user,
} from './helpers.ts';

const KICK = 'DELETE /guilds/{guild_id}/members/{user_id}';
const buttonsOf = (m: APIMessage) => (m.components?.[0] as APIActionRowComponent<APIButtonComponentWithCustomId> | undefined)?.components ?? [];

/** A guild whose `kickword` rule asks for a kick: each use puts a request in the mod queue. */
async function kickGuild(): Promise<ModGuild> {
  const g = await modGuild();
  await setUpModeration(g);
  await addRule(g, [str('id', 'kickword'), str('kind', 'words'), str('list', 'kickword'), str('effect', 'kick')]);
  return g;
}

/** Waits for the queue message of approval `n` to show `status`. */
const approvalPost = (g: ModGuild, n: number, status = 'Waiting') =>
  eventually(
    async () => {
      const m = (await messagesIn(g, g.supportChannelId)).find((x) => x.embeds[0]?.title?.startsWith(`Approval #${n} `));
      return m && m.embeds[0]!.fields!.find((f) => f.name === 'Status')!.value.includes(status) ? m : null;
    },
    8000,
    `approval #${n} ${status}`,
  );

describe('the approval queue', () => {
  it('automation asks for a kick with the evidence; staff without Kick Members cannot approve', async () => {
    const g = await kickGuild();
    const m = g.memberIds[0]!;
    const msg = await say(g, m, 'say the kickword now');
    await eventually(async () => !(await exists(g, g.generalChannelId, msg.id)), 8000, 'offending message deleted');
    const queued = await approvalPost(g, 1);
    expect(queued.embeds[0]).toMatchObject({ title: 'Approval #1 · Kick' });
    expect(queued.embeds[0]!.description).toMatch(new RegExp(`^\\*\\*kick <@${m}>\\*\\*\\nAsked by automod rule \`kickword\`\\.\\nExpires <t:\\d+:R>\\.$`));
    expect(queued.embeds[0]!.fields).toContainEqual({
      name: 'Evidence',
      value: `kickword: blocked word "kickword"\nMessage in <#${g.generalChannelId}>: "say the kickword now"`,
    });
    expect(buttonsOf(queued).map((b) => [b.label, b.custom_id])).toEqual([
      ['Approve', `mod:approve:${g.guildId}:1`],
      ['Reject', `mod:reject:${g.guildId}:1`],
    ]);
    const staff = await deliver(press(g, g.staffId, `mod:approve:${g.guildId}:1`, g.supportChannelId, queued.id));
    expect(replyText(staff)).toBe('You need the Kick Members permission to approve this.');
    expect((await modCalls(g)).filter((c) => c.route === KICK)).toEqual([]);
    // The same member offending again while the request waits does not queue a second one.
    await say(g, m, 'kickword again');
    await eventually(async () => (await messagesIn(g, g.generalChannelId)).length === 0, 8000, 'second message deleted');
    expect((await messagesIn(g, g.supportChannelId)).filter((x) => x.embeds[0]?.title?.startsWith('Approval #'))).toHaveLength(1);
  });

  it('two moderators pressing Approve at once: one approval, one kick, the other is told who was first', async () => {
    const g = await kickGuild();
    const m = g.memberIds[0]!;
    await say(g, m, 'kickword');
    const queued = await approvalPost(g, 1);
    const id = `mod:approve:${g.guildId}:1`;
    const [a, b] = await Promise.all([
      deliver(press(g, g.adminId, id, g.supportChannelId, queued.id)),
      deliver(press(g, g.ownerId, id, g.supportChannelId, queued.id)),
    ]);
    const winner = [a, b].find((d) => d.response?.type === InteractionResponseType.UpdateMessage)!;
    const loser = [a, b].find((d) => d !== winner)!;
    expect(winner).toBeDefined();
    const who = winner === a ? g.adminId : g.ownerId;
    expect(replyText(loser)).toMatch(new RegExp(`^This request was already approved by <@${who}> <t:\\d+:R>\\.$`));
    const done = await approvalPost(g, 1, 'Done: case #');
    expect(buttonsOf(done).every((x) => x.disabled)).toBe(true);
    expect((await modCalls(g)).filter((c) => c.route === KICK).map((c) => c.status)).toEqual([204]);
    expect((await moderationView(g)).members.some((x) => x.user_id === m)).toBe(false);
    const log = await findPost(g, g.supportChannelId, 'Case #2 · Kick');
    expect(log.embeds[0]!.fields).toContainEqual({ name: 'By', value: `<@${who}> (automod)`, inline: true });
    // Pressing again later changes nothing either.
    expect(replyText(await deliver(press(g, g.adminId, id, g.supportChannelId, queued.id)))).toMatch(/^This request was already approved by/);
  });

  it('Reject leaves the member alone', async () => {
    const g = await kickGuild();
    await say(g, g.memberIds[0]!, 'kickword');
    const queued = await approvalPost(g, 1);
    const r = await deliver(press(g, g.adminId, `mod:reject:${g.guildId}:1`, g.supportChannelId, queued.id));
    expect(r.response?.type).toBe(InteractionResponseType.UpdateMessage);
    expect(
      (r.response as { data: { embeds: { fields: { name: string; value: string }[] }[] } }).data.embeds[0]!.fields.find((f) => f.name === 'Status')!.value,
    ).toMatch(new RegExp(`^❌ Rejected by <@${g.adminId}> <t:\\d+:R>$`));
    expect((await moderationView(g)).members.some((x) => x.user_id === g.memberIds[0])).toBe(true);
    expect((await modCalls(g)).filter((c) => c.route === KICK)).toEqual([]);
  });

  it('pending requests expire: the alarm marks them expired and a late press is refused', async () => {
    const g = await kickGuild();
    await say(g, g.memberIds[0]!, 'kickword');
    await say(g, g.memberIds[1]!, 'kickword');
    const first = await approvalPost(g, 1);
    const second = await approvalPost(g, 2);
    const stub = guildActor(env, g.guildId);
    // Both requests' time runs out (the clock moves past their expiry, nothing is edited).
    const expiries = (await stub.timers()).filter((t) => t.kind === 'mod-expire');
    expect(expiries).toHaveLength(2);
    advanceClock(Math.max(...expiries.map((t) => t.at)) - Date.now() + 1000);
    // Pressed before the expiry timer has run: refused by its time alone, and marked expired.
    expect(replyText(await deliver(press(g, g.adminId, `mod:approve:${g.guildId}:2`, g.supportChannelId, second.id)))).toMatch(
      /^This request expired <t:\d+:R> and can no longer be approved\.$/,
    );
    await approvalPost(g, 2, 'Expired');
    await runDurableObjectAlarm(stub);
    const expired = await approvalPost(g, 1, 'Expired');
    expect(buttonsOf(expired).every((x) => x.disabled)).toBe(true);
    expect(replyText(await deliver(press(g, g.adminId, `mod:approve:${g.guildId}:1`, g.supportChannelId, first.id)))).toMatch(
      /^This request was already expired <t:\d+:R>\.$/,
    );
    expect((await modCalls(g)).filter((c) => c.route === KICK)).toEqual([]);
  });
});

describe('the AI classifier (fake provider), off the hot path', () => {
  const fake = inject('fakeAi');

  it('a flagged message goes to the mod queue, never straight to an action; approving deletes it and records an infraction', async () => {
    const g = await modGuild();
    await setUpModeration(g, [bool('ai', true)]);
    const m = g.memberIds[0]!;
    const marker = `m${Date.now()}`;
    const clean = await say(g, m, `gg everyone ${marker}`);
    const flagged = await say(g, m, `claim your prize [[flag]] ${marker}`);
    const queued = await approvalPost(g, 1);
    expect(queued.embeds[0]!.title).toBe('Approval #1 · Message deleted');
    expect(queued.embeds[0]!.description).toContain('Asked by AI classifier (anthropic, score 0.93, scam).');
    expect(queued.embeds[0]!.fields).toContainEqual({ name: 'Reason', value: 'AI classifier: scam (fake provider: flagged marker)' });
    const seen = (await (await fetch(`${fake.url}/_requests`)).json()) as { path: string; body: unknown }[];
    expect(seen.filter((r) => JSON.stringify(r.body).includes(marker)).map((r) => r.path)).toEqual(['/v1/messages', '/v1/messages']);
    expect(await exists(g, g.generalChannelId, flagged.id)).toBe(true);
    expect((await messagesIn(g, g.supportChannelId)).filter((x) => x.embeds[0]?.title?.startsWith('Approval #'))).toHaveLength(1);

    await deliver(press(g, g.adminId, `mod:approve:${g.guildId}:1`, g.supportChannelId, queued.id));
    await eventually(async () => !(await exists(g, g.generalChannelId, flagged.id)), 8000, 'flagged message deleted');
    expect(await exists(g, g.generalChannelId, clean.id)).toBe(true);
    expect(replyText(await run(g, g.staffId, 'infractions', [user('member', m)]))).toMatch(
      /1 infraction, 1 counting.*\n#1 <t:\d+:R> by <@\d+>: AI classifier, approved by/,
    );
  });
});
