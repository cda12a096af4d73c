import { GatewayIntentBits as I, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGuild } from '../helpers.ts';
import { newGuild, simApi } from '../helpers.ts';
import type { GatewaySession } from './support.ts';
import { connectGateway, discord, setRolePermissions } from './support.ts';

type Guild = TestGuild & { botRoleId: string };

const enc = encodeURIComponent;
const FIRE = '🔥';
const reactionsPath = (channelId: string, messageId: string) => `/channels/${channelId}/messages/${messageId}/reactions`;

async function memberMessage(g: Guild, content = 'gg everyone'): Promise<string> {
  return (await simApi<{ id: string }>(`/_sim/channels/${g.generalChannelId}/messages`, { body: { user_id: g.memberIds[0], content } })).id;
}

const react = (channelId: string, messageId: string, body: { user_id: string; emoji: string; remove?: boolean }) =>
  simApi<{ reactions: { emoji: { id: string | null; name: string }; count: number; user_ids: string[] }[]; deliveries: { sessionId: string }[] }>(
    `/_sim${reactionsPath(channelId, messageId)}`,
    { body },
  );

describe('reactions in the simulator', () => {
  let withIntent: GatewaySession;
  let without: GatewaySession;
  beforeAll(async () => {
    withIntent = await connectGateway(I.Guilds | I.GuildMessageReactions);
    without = await connectGateway(I.Guilds | I.GuildMessages);
  });
  afterAll(() => {
    withIntent?.close();
    without?.close();
  });

  it('adds, lists, shows and removes reactions as Discord does, with the gateway events to sessions with GUILD_MESSAGE_REACTIONS', async () => {
    const g = (await newGuild(4, 1)) as Guild;
    const ch = g.generalChannelId;
    const msg = await memberMessage(g);
    const base = reactionsPath(ch, msg);

    expect((await discord('PUT', `${base}/${enc(FIRE)}/@me`)).status).toBe(204);
    // Idempotent: the second PUT is 204 and changes nothing (no second event either).
    expect((await discord('PUT', `${base}/${enc(FIRE)}/@me`)).status).toBe(204);
    const added = await withIntent.next('MESSAGE_REACTION_ADD', (d) => d.message_id === msg);
    expect(added.d).toMatchObject({
      user_id: g.botUserId,
      channel_id: ch,
      message_id: msg,
      guild_id: g.guildId,
      emoji: { id: null, name: FIRE },
      message_author_id: g.memberIds[0],
      burst: false,
      type: 0,
      member: { user: { id: g.botUserId } },
    });

    const byMember = await react(ch, msg, { user_id: g.memberIds[1]!, emoji: FIRE });
    expect(byMember.deliveries.map((x) => x.sessionId)).toContain(withIntent.sessionId);
    expect(byMember.deliveries.map((x) => x.sessionId)).not.toContain(without.sessionId);
    await withIntent.next('MESSAGE_REACTION_ADD', (d) => d.message_id === msg && d.user_id === g.memberIds[1]);
    expect(withIntent.events.filter((e) => e.t === 'MESSAGE_REACTION_ADD' && e.d.message_id === msg)).toHaveLength(2);
    expect(without.events.some((e) => e.t.startsWith('MESSAGE_REACTION'))).toBe(false);

    const got = await discord('GET', `/channels/${ch}/messages/${msg}`);
    expect(got.body.reactions).toEqual([
      { count: 2, count_details: { burst: 0, normal: 2 }, me: true, me_burst: false, emoji: { id: null, name: FIRE }, burst_colors: [] },
    ]);
    const listed = await discord('GET', `/channels/${ch}/messages?limit=5`);
    expect(listed.body.find((m: { id: string }) => m.id === msg).reactions[0].count).toBe(2);

    // Users who reacted: ascending by id, `limit` and `after`.
    const ids = [g.botUserId, g.memberIds[1]!].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect((await discord('GET', `${base}/${enc(FIRE)}`)).body.map((u: { id: string }) => u.id)).toEqual(ids);
    expect((await discord('GET', `${base}/${enc(FIRE)}?limit=1`)).body.map((u: { id: string }) => u.id)).toEqual([ids[0]]);
    expect((await discord('GET', `${base}/${enc(FIRE)}?after=${ids[0]}`)).body.map((u: { id: string }) => u.id)).toEqual([ids[1]]);
    expect((await discord('GET', `${base}/${enc(FIRE)}?limit=101`, undefined, { invalid: true })).body).toMatchObject({ code: 50035 });

    // The control view has the user ids.
    const view = await simApi<{ reactions: { count: number; user_ids: string[] }[] }>(`/_sim${base}`);
    expect(view.reactions).toEqual([{ emoji: { id: null, name: FIRE }, count: 2, user_ids: [g.botUserId, g.memberIds[1]] }]);

    expect((await discord('DELETE', `${base}/${enc(FIRE)}/@me`)).status).toBe(204);
    await withIntent.next('MESSAGE_REACTION_REMOVE', (d) => d.message_id === msg && d.user_id === g.botUserId);
    expect((await discord('GET', `/channels/${ch}/messages/${msg}`)).body.reactions).toEqual([expect.objectContaining({ count: 1, me: false })]);
    expect((await discord('DELETE', `${base}/${enc(FIRE)}/${g.memberIds[1]}`)).status).toBe(204);
    const removed = await withIntent.next('MESSAGE_REACTION_REMOVE', (d) => d.message_id === msg && d.user_id === g.memberIds[1]);
    expect(removed.d).toMatchObject({ channel_id: ch, guild_id: g.guildId, emoji: { id: null, name: FIRE }, burst: false, type: 0 });
    // No reactions left: the field is gone.
    expect((await discord('GET', `/channels/${ch}/messages/${msg}`)).body).not.toHaveProperty('reactions');
    // A member unreacting through the control API.
    await react(ch, msg, { user_id: g.memberIds[2]!, emoji: FIRE });
    const off = await react(ch, msg, { user_id: g.memberIds[2]!, emoji: FIRE, remove: true });
    expect(off.reactions).toEqual([]);
    expect(off.deliveries.map((x) => x.sessionId)).toContain(withIntent.sessionId);
  });

  it('takes custom emojis as name:id only when the bot can use them (10014 otherwise), and answers 10003 / 10008', async () => {
    const g = (await newGuild(2, 0)) as Guild;
    const ch = g.generalChannelId;
    const msg = await memberMessage(g);
    const base = reactionsPath(ch, msg);
    const emoji = await simApi<{ id: string; name: string }>(`/_sim/guilds/${g.guildId}/emojis`, { body: { name: 'gg' } });
    expect((await discord('PUT', `${base}/${enc(`gg:${emoji.id}`)}/@me`)).status).toBe(204);
    const ev = await withIntent.next('MESSAGE_REACTION_ADD', (d) => d.message_id === msg);
    expect(ev.d.emoji).toEqual({ id: emoji.id, name: 'gg' });
    expect((await discord('GET', `/channels/${ch}/messages/${msg}`)).body.reactions[0].emoji).toEqual({ id: emoji.id, name: 'gg' });

    expect(await discord('PUT', `${base}/${enc('nope:123456789012345678')}/@me`)).toMatchObject({ status: 404, body: { code: 10014 } });
    expect(await discord('PUT', `${base}/thumbsup/@me`)).toMatchObject({ status: 404, body: { code: 10014 } });
    expect(await discord('PUT', `${reactionsPath(ch, '123456789012345678')}/${enc(FIRE)}/@me`)).toMatchObject({ status: 404, body: { code: 10008 } });
    expect(await discord('PUT', `${reactionsPath('123456789012345678', msg)}/${enc(FIRE)}/@me`)).toMatchObject({ status: 404, body: { code: 10003 } });
  });

  it('caps a message at 20 distinct emojis (30010) but still lets more people use those', async () => {
    const g = (await newGuild(2, 0)) as Guild;
    const ch = g.generalChannelId;
    const msg = await memberMessage(g);
    const base = reactionsPath(ch, msg);
    const emojis = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗'];
    expect(emojis).toHaveLength(20);
    for (const e of emojis) expect((await discord('PUT', `${base}/${enc(e)}/@me`)).status).toBe(204);
    expect(await discord('PUT', `${base}/${enc('🤩')}/@me`)).toMatchObject({ status: 400, body: { code: 30010 } });
    expect((await react(ch, msg, { user_id: g.memberIds[0]!, emoji: emojis[3]! })).reactions[3]!.count).toBe(2);
    await expect(react(ch, msg, { user_id: g.memberIds[0]!, emoji: '🤩' })).rejects.toThrow(/30010/);

    // Clearing one emoji, then all of them (MANAGE_MESSAGES; the bot is an administrator here).
    expect((await discord('DELETE', `${base}/${enc(emojis[0]!)}`)).status).toBe(204);
    const one = await withIntent.next('MESSAGE_REACTION_REMOVE_EMOJI', (d) => d.message_id === msg);
    expect(one.d).toEqual({ channel_id: ch, message_id: msg, guild_id: g.guildId, emoji: { id: null, name: emojis[0] } });
    expect((await discord('GET', `/channels/${ch}/messages/${msg}`)).body.reactions).toHaveLength(19);
    expect((await discord('DELETE', base)).status).toBe(204);
    const all = await withIntent.next('MESSAGE_REACTION_REMOVE_ALL', (d) => d.message_id === msg);
    expect(all.d).toEqual({ channel_id: ch, message_id: msg, guild_id: g.guildId });
    expect((await discord('GET', `/channels/${ch}/messages/${msg}`)).body).not.toHaveProperty('reactions');
  });

  it('needs READ_MESSAGE_HISTORY, ADD_REACTIONS for a new emoji, and MANAGE_MESSAGES for others’ reactions (50013)', async () => {
    const g = (await newGuild(3, 0)) as Guild;
    const ch = g.generalChannelId;
    const msg = await memberMessage(g);
    const base = reactionsPath(ch, msg);
    await react(ch, msg, { user_id: g.memberIds[1]!, emoji: FIRE });
    // The bot loses Administrator (keeping MANAGE_CHANNELS to set overwrites), then ADD_REACTIONS in #general.
    await setRolePermissions(g.guildId, g.botRoleId, P.ManageChannels);
    const deny = (perms: bigint) =>
      discord('PATCH', `/channels/${ch}`, { permission_overwrites: [{ id: g.botUserId, type: 1, allow: '0', deny: String(perms) }] });
    expect((await deny(P.AddReactions)).status).toBe(200);
    expect(await discord('PUT', `${base}/${enc('🎉')}/@me`)).toMatchObject({ status: 403, body: { code: 50013 } });
    // Joining an emoji someone already used needs no ADD_REACTIONS.
    expect((await discord('PUT', `${base}/${enc(FIRE)}/@me`)).status).toBe(204);
    expect(await discord('DELETE', `${base}/${enc(FIRE)}/${g.memberIds[1]}`)).toMatchObject({ status: 403, body: { code: 50013 } });
    expect(await discord('DELETE', `${base}/${enc(FIRE)}`)).toMatchObject({ status: 403, body: { code: 50013 } });
    expect(await discord('DELETE', base)).toMatchObject({ status: 403, body: { code: 50013 } });
    // Its own reaction it may always take back.
    expect((await discord('DELETE', `${base}/${enc(FIRE)}/@me`)).status).toBe(204);

    expect((await deny(P.ReadMessageHistory)).status).toBe(200);
    expect(await discord('PUT', `${base}/${enc(FIRE)}/@me`)).toMatchObject({ status: 403, body: { code: 50013 } });
    expect(await discord('GET', `${base}/${enc(FIRE)}`)).toMatchObject({ status: 403, body: { code: 50013 } });

    // A member must be in the guild to react.
    await expect(react(ch, msg, { user_id: '123456789012345678', emoji: FIRE })).rejects.toThrow(/10007/);
  });
});
