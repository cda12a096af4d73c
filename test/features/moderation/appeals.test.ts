import { SELF } from 'cloudflare:test';
import { type APIMessage, ComponentType, InteractionResponseType, ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { deliver, eventually, type InteractionSpec, press, replyText } from '../../helpers.ts';
import { dmsOf, findPost, type ModGuild, messagesIn, moderationView, modGuild, run, setUpModeration, str, timedOut, user } from './helpers.ts';

/** Interactions in the member's DM with the bot: no guild_id, a `user` instead of a `member`. */
const dmPress = (userId: string, dm: APIMessage, customId: string): InteractionSpec => ({
  type: 3,
  user_id: userId,
  channel_id: dm.channel_id,
  message_id: dm.id,
  data: { custom_id: customId, component_type: ComponentType.Button },
});
const dmModal = (userId: string, channelId: string, customId: string, text: string): InteractionSpec => ({
  type: 5,
  user_id: userId,
  channel_id: channelId,
  data: {
    custom_id: customId,
    components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: 'appeal_text', value: text }] }],
  },
});
const dmAppeal = (userId: string, caseRef: string, reason?: string): InteractionSpec => ({
  type: 2,
  user_id: userId,
  data: {
    name: 'appeal',
    type: 1,
    options: [{ name: 'case', type: T.String, value: caseRef }, ...(reason ? [{ name: 'reason', type: T.String, value: reason }] : [])],
  },
});

/** Waits for the staff post of appeal `n` with `status` in its first embed. */
const appealPost = (g: ModGuild, n: number, status = 'Open') =>
  eventually(
    async () => {
      const m = (await messagesIn(g, g.supportChannelId)).find((x) => x.embeds[0]?.title === `Appeal #${n}`);
      return m && m.embeds[0]!.fields!.find((f) => f.name === 'Status')!.value.includes(status) ? m : null;
    },
    8000,
    `appeal #${n} ${status}`,
  );

const lastDm = async (userId: string) => (await dmsOf(userId)).messages.at(-1)!;

describe('appeals', () => {
  it('a banned member appeals with the button in their DM; staff accept; the ban is lifted', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    const m = g.memberIds[0]!;
    await run(g, g.adminId, 'ban', [user('member', m), str('reason', 'raid spam')]);
    expect((await moderationView(g)).bans.map((b) => b.user_id)).toEqual([m]);
    const notice = await lastDm(m);
    expect(notice.content).toContain(`Case: \`${g.guildId}-1\``);

    const form = await deliver(dmPress(m, notice, `mod:appeal:${g.guildId}:1`));
    expect(form.response).toMatchObject({
      type: InteractionResponseType.Modal,
      data: { custom_id: `mod:appeal-form:${g.guildId}:1`, title: 'Appeal case #1' },
    });
    const sent = await deliver(dmModal(m, notice.channel_id, `mod:appeal-form:${g.guildId}:1`, 'My account was stolen; it is back now.'));
    expect(replyText(sent)).toBe("Your appeal of case #1 was sent to the server's staff (appeal #1). I will message you when they decide.");
    expect(replyText(await deliver(dmPress(m, notice, `mod:appeal:${g.guildId}:1`)))).toBe(
      'You already have an open appeal for case #1; staff will answer it.',
    );

    const post = await appealPost(g, 1);
    expect(post.content).toBe(`Appeal #1 from <@${m}> about case #1 (DM)`);
    expect(post.embeds[0]!.description).toBe('My account was stolen; it is back now.');
    expect(post.embeds[1]).toMatchObject({ title: 'Case #1 · Ban' });
    expect(replyText(await deliver(press(g, g.staffId, `mod:appeal-accept:${g.guildId}:1`, g.supportChannelId, post.id)))).toBe(
      'You need the Ban Members permission to accept this appeal.',
    );
    const accepted = await deliver(press(g, g.adminId, `mod:appeal-accept:${g.guildId}:1`, g.supportChannelId, post.id));
    expect(accepted.response?.type).toBe(InteractionResponseType.UpdateMessage);
    await eventually(async () => (await moderationView(g)).bans.length === 0, 8000, 'unbanned');
    const revert = await findPost(g, g.supportChannelId, 'Case #2 · Unban');
    expect(revert.embeds[0]!.fields).toEqual(
      expect.arrayContaining([
        { name: 'By', value: `<@${g.adminId}> (appeal)`, inline: true },
        { name: 'Reason', value: 'appeal #1 of case #1 accepted' },
      ]),
    );
    expect(replyText(await deliver(press(g, g.ownerId, `mod:appeal-reject:${g.guildId}:1`, g.supportChannelId, post.id)))).toMatch(
      new RegExp(`^This appeal was already accepted by <@${g.adminId}> <t:\\d+:R>\\.$`),
    );
    expect(replyText(await deliver(dmPress(m, notice, `mod:appeal:${g.guildId}:1`)))).toBe('Case #1 was already reverted; there is nothing to appeal.');
  });

  it('the signed web form from the ban notice: one appeal per case, forged links refused, rejected appeals change nothing', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    const m = g.memberIds[1]!;
    await run(g, g.adminId, 'ban', [user('member', m), str('reason', 'spam')]);
    const link = /http:\/\/guildkeep\.test(\/appeal\/\d+\/1)#(\S+)$/.exec((await lastDm(m)).content)!;
    const [, path, token] = link;
    const page = await SELF.fetch(`http://guildkeep.test${path}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Appeal a moderation action</h1>');
    const submit = (t: string, text = 'I did not post that.') =>
      SELF.fetch(`http://guildkeep.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: t, text }) });
    const forged = await submit(`${token!.split('.')[0]}.${'0'.repeat(64)}`);
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: 'This link is not valid; open it again from the message you received.' });
    const ok = await submit(token!);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ message: "Your appeal of case #1 was sent to the server's staff (appeal #1)." });
    const again = await submit(token!);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'You already have an open appeal for case #1; staff will answer it.' });
    const other = await SELF.fetch(`http://guildkeep.test/appeal/${g.guildId}/2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, text: 'x' }),
    });
    expect(other.status).toBe(401);

    const post = await appealPost(g, 1);
    expect(post.content).toBe(`Appeal #1 from <@${m}> about case #1 (web form)`);
    const rejected = await deliver(press(g, g.adminId, `mod:appeal-reject:${g.guildId}:1`, g.supportChannelId, post.id));
    expect(rejected.response?.type).toBe(InteractionResponseType.UpdateMessage);
    await appealPost(g, 1, 'Rejected');
    expect((await moderationView(g)).bans.map((b) => b.user_id)).toEqual([m]);
    expect((await submit(token!)).status).toBe(409);
  });

  it('the web form speaks the browser’s language: page, refusals and the answer in German for Accept-Language de', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    const m = g.memberIds[1]!;
    await run(g, g.adminId, 'ban', [user('member', m), str('reason', 'spam')]);
    const [, path, token] = /http:\/\/guildkeep\.test(\/appeal\/\d+\/1)#(\S+)$/.exec((await lastDm(m)).content)!;
    const german = { 'accept-language': 'de-AT,de;q=0.9,en;q=0.5' };
    const page = await SELF.fetch(`http://guildkeep.test${path}`, { headers: german });
    expect(page.headers.get('content-language')).toBe('de');
    expect(page.headers.get('vary')).toMatch(/accept-language/i);
    const html = await page.text();
    expect(html).toContain('<h1>Einspruch gegen eine Moderationsmaßnahme</h1>');
    expect(html).toContain('lang="de"');
    const submit = (t: string) =>
      SELF.fetch(`http://guildkeep.test${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...german },
        body: JSON.stringify({ token: t, text: 'Das war ich nicht.' }),
      });
    const forged = await submit(`${token!.split('.')[0]}.${'0'.repeat(64)}`);
    expect(await forged.json()).toEqual({ error: 'Dieser Link ist ungültig; öffne ihn erneut aus der Nachricht, die du bekommen hast.' });
    const sent = await submit(token!);
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ message: 'Dein Einspruch zu Fall #1 wurde an das Team des Servers geschickt (Einspruch #1).' });
  });

  it('/appeal in a DM for a timeout: accepted → the timeout is lifted; nobody can appeal a case about someone else', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    const [m, other] = g.memberIds;
    await run(g, g.staffId, 'timeout', [user('member', m!), str('duration', '1h'), str('reason', 'heated')]);
    expect(await timedOut(g, m!)).toBe(true);
    expect(replyText(await deliver(dmAppeal(other!, `${g.guildId}-1`, 'let them go')))).toBe('There is no case #1 about you in that server.');
    expect(replyText(await deliver(dmAppeal(m!, 'case one', 'sorry')))).toBe(
      'Give the case exactly as in the message you received, like `123456789012345678-4`.',
    );
    expect(replyText(await deliver(dmAppeal(m!, `${g.guildId}-1`, 'I was quoting someone else.')))).toBe(
      "Your appeal of case #1 was sent to the server's staff (appeal #1). I will message you when they decide.",
    );
    const post = await appealPost(g, 1);
    await deliver(press(g, g.staffId, `mod:appeal-accept:${g.guildId}:1`, g.supportChannelId, post.id));
    await eventually(async () => !(await timedOut(g, m!)), 8000, 'timeout lifted');
    const told = await eventually(async () => (await dmsOf(m!)).messages.find((x) => x.content.includes('was accepted')), 8000, 'decision DM');
    expect(told.content).toBe(`Your appeal of case \`${g.guildId}-1\` in **Guildkeep Demo** was accepted; the action was reverted.`);
  });

  it('an accepted appeal of a warning pardons its infraction', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    const m = g.memberIds[0]!;
    await run(g, g.staffId, 'warn', [user('member', m), str('reason', 'off-topic')]);
    const form = await deliver(dmAppeal(m, `${g.guildId}-1`));
    expect(form.response).toMatchObject({ type: InteractionResponseType.Modal });
    await deliver(dmModal(m, form.interaction.channel!.id, `mod:appeal-form:${g.guildId}:1`, 'It was on topic, see the pinned post.'));
    const post = await appealPost(g, 1);
    await deliver(press(g, g.staffId, `mod:appeal-accept:${g.guildId}:1`, g.supportChannelId, post.id));
    expect(replyText(await run(g, g.staffId, 'infractions', [user('member', m)]))).toContain('1 infraction, 0 counting');
  });

  it('without an appeals channel, appeals are refused before the form opens', async () => {
    const g = await modGuild();
    await run(g, g.staffId, 'warn', [user('member', g.memberIds[0]!), str('reason', 'x')]);
    expect(replyText(await deliver(dmAppeal(g.memberIds[0]!, `${g.guildId}-1`)))).toBe(
      'This server does not take appeals through Guildkeep; please contact its staff another way.',
    );
  });
});
