import { ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { deliver, env, eventually, type InteractionSpec, replyText } from '../../helpers.ts';
import { findPost, messagesIn, modGuild, run, setUpModeration, str, user } from './helpers.ts';

const dmAppeal = (userId: string, caseRef: string, reason: string): InteractionSpec => ({
  type: 2,
  user_id: userId,
  data: {
    name: 'appeal',
    type: 1,
    options: [
      { name: 'case', type: T.String, value: caseRef },
      { name: 'reason', type: T.String, value: reason },
    ],
  },
});

describe('personal data in moderation cases and appeals', () => {
  it('masks a moderator reason before it is stored and posted, and an appeal before staff see it', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    const m = g.memberIds[0]!;
    await run(g, g.staffId, 'warn', [user('member', m), str('reason', 'posted jane@example.com and card 4111.1111.1111.1111')]);
    const logged = await findPost(g, g.supportChannelId, 'Case #1');
    expect(JSON.stringify(logged)).not.toContain('jane@example.com');
    expect(JSON.stringify(logged)).not.toContain('4111');
    expect(logged.embeds[0]!.fields).toEqual(expect.arrayContaining([{ name: 'Reason', value: 'posted [email] and card [card]' }]));

    const sent = await deliver(dmAppeal(m, `${g.guildId}-1`, 'That was my own card, 4111.1111.1111.1111; pw: correct horse battery'));
    expect(replyText(sent)).toMatch(/^Your appeal of case #1 was sent/);
    const post = await eventually(async () => (await messagesIn(g, g.supportChannelId)).find((x) => x.embeds[0]?.title === 'Appeal #1'), 8000, 'appeal post');
    expect(post.embeds[0]!.description).toBe('That was my own card, [card]; pw: [redacted]');
    const audit = await guildActor(env, g.guildId).auditLog(50);
    expect(audit.map((e) => e.detail).join('\n')).not.toMatch(/4111|horse|jane@/);
  });
});
