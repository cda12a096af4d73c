import { InteractionResponseType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { deliver, press, replyText } from '../../helpers.ts';
import { modCalls, moderationView, say } from '../moderation/helpers.ts';
import { discordApproval, linkAccount, pressUpdate, queryAnswer, telegramGuild, tgApproval, toWebhook } from './helpers.ts';

const KICK = 'DELETE /guilds/{guild_id}/members/{user_id}';
const kicks = async (g: Parameters<typeof modCalls>[0]) => (await modCalls(g)).filter((c) => c.route === KICK);
const outcome = async (r: Response) => ((await r.json()) as { outcome: string }).outcome;

describe('approvals on Telegram', () => {
  it('a new approval is also sent to the Telegram chat, with Approve and Reject buttons', async () => {
    const { g, chat } = await telegramGuild();
    const m = g.memberIds[0]!;
    await say(g, m, 'say the kickword now');
    await discordApproval(g, 1);
    const tg = await tgApproval(chat.id, 1);
    expect(tg.text).toMatch(
      new RegExp(`^Approval #1 · Kick\\n\\nkick @${m}\\nAsked by automod rule \`kickword\`\\.\\nExpires \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\.`),
    );
    expect(tg.text).toContain('Status: ⏳ Waiting');
    const buttons = tg.reply_markup!.inline_keyboard.flat();
    expect(buttons.map((b) => [b.text, b.callback_data])).toEqual([
      ['Approve', `gk:${g.guildId}:1:a`],
      ['Reject', `gk:${g.guildId}:1:r`],
    ]);
    for (const b of buttons) expect(new TextEncoder().encode(b.callback_data).length).toBeLessThanOrEqual(64);
  });

  it('a linked moderator approves from Telegram: the kick runs once, both messages show it, a second press on either side changes nothing', async () => {
    const { g, chat } = await telegramGuild();
    const m = g.memberIds[0]!;
    const tgAdmin = await linkAccount(g, g.adminId);
    await say(g, m, 'kickword');
    const discordMsg = await discordApproval(g, 1);
    const tg = await tgApproval(chat.id, 1);
    // Two presses Telegram delivers while the buttons are still shown.
    const first = await pressUpdate(chat.id, tg.message_id, tgAdmin, `gk:${g.guildId}:1:a`);
    const again = await pressUpdate(chat.id, tg.message_id, tgAdmin, `gk:${g.guildId}:1:a`);
    expect(await outcome(await toWebhook(first))).toBe('decided');
    expect(await queryAnswer(first.update.callback_query!.id)).toMatchObject({ answered: true, answer: { text: 'Approved.', show_alert: false } });

    const done = await discordApproval(g, 1, 'Done: case #');
    expect(done.embeds[0]!.fields!.find((f) => f.name === 'Status')!.value).toMatch(new RegExp(`^✅ Approved by <@${g.adminId}> <t:\\d+:R>`));
    expect(done.components!.flatMap((r) => (r as { components: { disabled?: boolean }[] }).components).every((b) => b.disabled)).toBe(true);
    const edited = await tgApproval(chat.id, 1, (x) => x.text.includes('Done: case #'));
    expect(edited.reply_markup).toBeUndefined();
    expect(edited.text).toMatch(new RegExp(`Status: ✅ Approved by @${g.adminId} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC`));
    expect((await kicks(g)).map((c) => c.status)).toEqual([204]);
    expect((await moderationView(g)).members.some((x) => x.user_id === m)).toBe(false);

    // The second Telegram press: told, as an alert; nothing runs again.
    expect(await outcome(await toWebhook(again))).toBe('refused');
    expect((await queryAnswer(again.update.callback_query!.id)).answer).toMatchObject({ show_alert: true });
    expect((await queryAnswer(again.update.callback_query!.id)).answer!.text).toMatch(new RegExp(`^This request was already approved by @${g.adminId} `));
    // And on Discord.
    const late = await deliver(press(g, g.ownerId, `mod:approve:${g.guildId}:1`, g.supportChannelId, discordMsg.id));
    expect(replyText(late)).toMatch(new RegExp(`^This request was already approved by <@${g.adminId}> <t:\\d+:R>\\.$`));
    expect((await kicks(g)).map((c) => c.status)).toEqual([204]);
  });

  it('Reject from Telegram leaves the member alone and shows on both sides', async () => {
    const { g, chat } = await telegramGuild();
    const tgAdmin = await linkAccount(g, g.adminId);
    await say(g, g.memberIds[0]!, 'kickword');
    const tg = await tgApproval(chat.id, 1);
    expect(await outcome(await toWebhook(await pressUpdate(chat.id, tg.message_id, tgAdmin, `gk:${g.guildId}:1:r`)))).toBe('decided');
    await discordApproval(g, 1, 'Rejected');
    const edited = await tgApproval(chat.id, 1, (x) => !x.reply_markup);
    expect(edited.text).toContain('❌ Rejected by @');
    expect(await kicks(g)).toEqual([]);
  });

  it('a Discord press and a Telegram press at once: exactly one decides, one kick', async () => {
    const { g, chat } = await telegramGuild();
    const tgAdmin = await linkAccount(g, g.adminId);
    await say(g, g.memberIds[0]!, 'kickword');
    const discordMsg = await discordApproval(g, 1);
    const tg = await tgApproval(chat.id, 1);
    const update = await pressUpdate(chat.id, tg.message_id, tgAdmin, `gk:${g.guildId}:1:a`);
    const [fromTelegram, fromDiscord] = await Promise.all([
      toWebhook(update).then(outcome),
      deliver(press(g, g.ownerId, `mod:approve:${g.guildId}:1`, g.supportChannelId, discordMsg.id)),
    ]);
    const discordWon = fromDiscord.response?.type === InteractionResponseType.UpdateMessage;
    expect([fromTelegram === 'decided', discordWon].filter(Boolean)).toHaveLength(1);
    if (discordWon) expect((await queryAnswer(update.update.callback_query!.id)).answer!.text).toMatch(/^This request was already approved by @/);
    else expect(replyText(fromDiscord)).toMatch(/^This request was already approved by <@/);
    await discordApproval(g, 1, 'Done: case #');
    await tgApproval(chat.id, 1, (x) => x.text.includes('Done: case #') && !x.reply_markup);
    expect((await kicks(g)).map((c) => c.status)).toEqual([204]);
  });
});
