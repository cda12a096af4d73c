import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, describe, expect, it } from 'vitest';
import { deliver, eventually, replyText, simApi } from '../../helpers.ts';
import { startGateway, stopGateway } from '../../support/gateway.ts';
import {
  addRule,
  bool,
  command,
  dmsOf,
  exists,
  findPost,
  int,
  joined,
  type ModGuild,
  modCalls,
  moderationView,
  modGuild,
  role,
  run,
  say,
  setUpModeration,
  str,
  timedOut,
  user,
} from './helpers.ts';

/** A fresh guild with the moderation channels set and one rule. */
async function guildWith(rule: Parameters<typeof addRule>[1]): Promise<ModGuild> {
  const g = await modGuild();
  await setUpModeration(g);
  await addRule(g, rule);
  return g;
}

/** Adds a rule through an interaction from a German guild (which keeps the guild's locale German). */
async function addRuleDe(g: ModGuild, options: Parameters<typeof addRule>[1]) {
  const d = await deliver({ ...command(g, g.adminId, 'automod add', options), guild_locale: 'de' });
  expect(replyText(d)).toMatch(/^Added/);
}

const gone = (g: ModGuild, m: APIMessage, what = 'message deleted') => eventually(async () => !(await exists(g, m.channel_id, m.id)), 8000, what);

/**
 * Sends the clean message first and the violating one after, from the same
 * member: their enforcement runs in one lane, in order, so once the second
 * is gone the first would have been deleted already if it were judged a violation.
 */
async function cleanThenBad(g: ModGuild, userId: string, clean: string, bad: string) {
  const ok = await say(g, userId, clean);
  const offending = await say(g, userId, bad);
  await gone(g, offending);
  expect(await exists(g, ok.channel_id, ok.id)).toBe(true);
  return { ok, offending };
}

describe('automod rules through the guild actor (MESSAGE_CREATE)', () => {
  it('/automod add, list and remove: validated, described back, refused for non-administrators', async () => {
    const g = await modGuild();
    expect(replyText(await run(g, g.staffId, 'automod list'))).toBe('Only administrators can change automod rules.');
    const bad = await run(g, g.adminId, 'automod add', [str('id', 'fast'), str('kind', 'rate'), int('limit', 1)]);
    expect(replyText(bad)).toBe('The rule was not saved:\n• messages: must be a whole number from 2 to 100\n• seconds: must be a whole number from 1 to 3600');
    const unsafe = await run(g, g.adminId, 'automod add', [str('id', 'rx'), str('kind', 'words'), str('pattern', '(a+)+$')]);
    expect(replyText(unsafe)).toMatch(/^The rule was not saved:\n• patterns\[0\]: /);
    await addRule(g, [str('id', 'fast'), str('kind', 'rate'), int('limit', 5), int('seconds', 10), str('effect', 'timeout'), str('duration', '10m')]);
    await addRule(g, [str('id', 'words'), str('kind', 'words'), str('list', 'scam, free nitro'), str('exempt_channels', `<#${g.supportChannelId}>`)]);
    expect(replyText(await run(g, g.adminId, 'automod list'))).toBe(
      [
        '2 rules (at most 100):',
        '`fast`: 5 messages in 10 seconds → time out for 10 minutes and delete the message',
        `\`words\`: 2 blocked words, 0 patterns → delete the message; exempt: <#${g.supportChannelId}>`,
      ].join('\n'),
    );
    expect(replyText(await run(g, g.adminId, 'automod remove', [str('id', 'nope')]))).toBe('There is no rule "nope".');
    expect(replyText(await run(g, g.adminId, 'automod remove', [str('id', 'fast')]))).toBe('Removed rule `fast`. 1 rule left.');
  });

  it('message rate: the 3rd message within 10 s is deleted, two are not', async () => {
    const g = await guildWith([str('id', 'rate'), str('kind', 'rate'), int('limit', 3), int('seconds', 10)]);
    const u = g.memberIds[0]!;
    const first = await say(g, u, 'one');
    const second = await say(g, u, 'two');
    const third = await say(g, u, 'three');
    await gone(g, third);
    expect(await exists(g, g.generalChannelId, first.id)).toBe(true);
    expect(await exists(g, g.generalChannelId, second.id)).toBe(true);
  });

  it('duplicates: the same text twice is deleted, different texts are not', async () => {
    const g = await guildWith([str('id', 'dup'), str('kind', 'duplicate'), int('limit', 2), int('seconds', 30)]);
    const u = g.memberIds[0]!;
    const a = await say(g, u, 'buy gold');
    const b = await say(g, u, 'sell gold');
    const copy = await say(g, u, 'BUY   gold');
    await gone(g, copy);
    expect(await exists(g, g.generalChannelId, a.id)).toBe(true);
    expect(await exists(g, g.generalChannelId, b.id)).toBe(true);
  });

  it('mention spam: more than 2 mentions → deleted and a 10-minute timeout; 2 mentions pass', async () => {
    const g = await guildWith([str('id', 'pings'), str('kind', 'mentions'), int('limit', 2), str('effect', 'timeout'), str('duration', '10m')]);
    const [u, a, b, c] = g.memberIds;
    await cleanThenBad(g, u!, `hi <@${a}> <@${b}>`, `hi <@${a}> <@${b}> <@${c}>`);
    await eventually(() => timedOut(g, u!), 8000, 'timeout');
    const calls = await modCalls(g);
    expect(calls.find((x) => x.route === 'PATCH /guilds/{guild_id}/members/{user_id}')?.auditLogReason).toMatch(/^case #1: automod rule `pings`/);
  });

  it('in a German guild, the evidence, the infraction and Discord’s audit-log reason are German; member text stays as written', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    // The guild's locale is the one its latest interaction reported.
    await addRuleDe(g, [str('id', 'pings'), str('kind', 'mentions'), int('limit', 2), str('effect', 'timeout'), str('duration', '10m')]);
    await addRuleDe(g, [str('id', 'words'), str('kind', 'words'), str('list', 'forbidden')]);
    const [u, a, b, c] = g.memberIds;
    await gone(g, await say(g, u!, `forbidden <@${a}> <@${b}> <@${c}>`));
    await eventually(() => timedOut(g, u!), 8000, 'timeout');
    const log = await findPost(g, g.supportChannelId, 'Fall #1');
    const fields = Object.fromEntries((log.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Beleg).toBe('pings: 3 Erwähnungen\nwords: gesperrtes Wort „forbidden“');
    const calls = await modCalls(g);
    expect(calls.find((x) => x.route === 'PATCH /guilds/{guild_id}/members/{user_id}')?.auditLogReason).toMatch(/^Fall #1: Automod-Regel `pings`/);
    const list = await deliver({ ...command(g, g.staffId, 'infractions', [user('member', u!)]), locale: 'de', guild_locale: 'de' });
    expect(replyText(list)).toContain(': Automod-Regel `pings`: 3 Erwähnungen');
    expect(replyText(list)).toContain(': Automod-Regel `words`: gesperrtes Wort „forbidden“');
  });

  it('excessive caps: shouting is deleted and warned by DM; normal text passes', async () => {
    const g = await guildWith([str('id', 'caps'), str('kind', 'caps'), int('limit', 70), int('min_letters', 10), str('effect', 'warn')]);
    const u = g.memberIds[0]!;
    await cleanThenBad(g, u, 'Normal text, with One Capital', 'WHY IS NOBODY ANSWERING ME');
    const dm = await eventually(async () => (await dmsOf(u)).messages.find((m) => m.content.startsWith('You received a warning')), 8000, 'warning DM');
    expect(dm.content).toContain(`Case: \`${g.guildId}-1\``);
    expect(dm.components?.[0]).toMatchObject({ components: [{ label: 'Appeal', custom_id: `mod:appeal:${g.guildId}:1` }] });
  });

  it("invite links: another server's invite is deleted, the guild's own invite passes", async () => {
    const g = await guildWith([str('id', 'inv'), str('kind', 'invites')]);
    const own = await simApi<{ code: string }>(`/_sim/guilds/${g.guildId}/invites`, { body: { inviter_id: g.adminId } });
    await cleanThenBad(g, g.memberIds[0]!, `come to discord.gg/${own.code}`, 'join my server discord . gg / freeloot');
  });

  it('blocked words and patterns: a blocked word and a pattern match are deleted; similar words pass', async () => {
    const g = await guildWith([str('id', 'words'), str('kind', 'words'), str('list', 'scam, free nitro'), str('pattern', 'b[a@]dw[o0]rd')]);
    const u = g.memberIds[0]!;
    await cleanThenBad(g, u, 'scampi is tasty, nitro is free', 'this is a SCAM');
    await cleanThenBad(g, u, 'a badge word', 'you b@dw0rd');
  });

  it('link domains: a denied domain (and its subdomains) is deleted and quarantined, others pass', async () => {
    const g = await modGuild();
    const { role_id: roleId } = await simApi<{ role_id: string }>('/_sim/roles', { body: { guild_id: g.guildId, name: 'Quarantine', permissions: '0' } });
    await simApi(`/_sim/guilds/${g.guildId}/roles/${roleId}`, { body: { position: 1 } });
    await setUpModeration(g);
    await addRule(g, [str('id', 'links'), str('kind', 'links'), str('list', 'evil.example'), str('effect', 'quarantine'), role('quarantine_role', roleId)]);
    const u = g.memberIds[0]!;
    await cleanThenBad(g, u, 'see https://good.example/page', 'see https://cdn.evil.example/x');
    await eventually(async () => (await moderationView(g)).members.find((m) => m.user_id === u)?.roles.includes(roleId), 8000, 'quarantine role');
  });

  it('new accounts: a message from a 1-day-old account is deleted, one from an old account is not', async () => {
    const g = await guildWith([str('id', 'young'), str('kind', 'new-account'), int('limit', 7), bool('delete_message', true)]);
    // The simulator's seeded members were created just now; joins choose their account's age.
    const join = async (accountAgeDays: number) =>
      (await simApi<{ member_ids: string[] }>(`/_sim/guilds/${g.guildId}/joins`, { body: { count: 1, accountAgeDays } })).member_ids[0]!;
    const young = await join(1);
    const old = await say(g, await join(400), 'been here for years');
    const fresh = await say(g, young, 'hello, new here');
    await gone(g, fresh);
    expect(await exists(g, g.generalChannelId, old.id)).toBe(true);
  });

  it('new accounts at join time: a young account joining gets the quarantine role, an old one does not', async () => {
    const g = await modGuild();
    const { role_id: roleId } = await simApi<{ role_id: string }>('/_sim/roles', { body: { guild_id: g.guildId, name: 'Quarantine', permissions: '0' } });
    await simApi(`/_sim/guilds/${g.guildId}/roles/${roleId}`, { body: { position: 1 } });
    await setUpModeration(g);
    await addRule(g, [str('id', 'young'), str('kind', 'new-account'), int('limit', 7), str('effect', 'quarantine'), role('quarantine_role', roleId)]);
    const join = async (accountAgeDays: number) =>
      (await simApi<{ member_ids: string[] }>(`/_sim/guilds/${g.guildId}/joins`, { body: { count: 1, accountAgeDays } })).member_ids[0]!;
    const [old, young] = [await join(400), await join(1)];
    await joined(g, old);
    await joined(g, young);
    await eventually(async () => (await moderationView(g)).members.find((m) => m.user_id === young)?.roles.includes(roleId), 8000, 'young member quarantined');
    expect((await moderationView(g)).members.find((m) => m.user_id === old)!.roles).toEqual([]);
    const log = await findPost(g, g.supportChannelId, 'Case #1 · Quarantine');
    expect(log.embeds[0]!.fields).toContainEqual({ name: 'Evidence', value: 'young: account 1 day old joined' });
  });

  it('exempt channels and roles: a rule does not judge there', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    await addRule(g, [
      str('id', 'words'),
      str('kind', 'words'),
      str('list', 'scam'),
      str('exempt_channels', `<#${g.supportChannelId}>`),
      str('exempt_roles', `<@&${g.staffRoleId}>`),
    ]);
    const u = g.memberIds[0]!;
    const inSupport = await say(g, u, 'scam talk', { channelId: g.supportChannelId });
    const staff = await say(g, g.staffId, 'scam warning', { roles: [g.staffRoleId] });
    const plain = await say(g, u, 'scam');
    await gone(g, plain);
    expect(await exists(g, g.supportChannelId, inSupport.id)).toBe(true);
    expect(await exists(g, g.generalChannelId, staff.id)).toBe(true);
  });
});

describe('automod end to end through the gateway', () => {
  afterAll(stopGateway);

  it('a message posted in the simulator reaches the actor over the gateway and is deleted, with a mod log entry', async () => {
    const g = await guildWith([str('id', 'words'), str('kind', 'words'), str('list', 'forbidden'), str('effect', 'warn')]);
    await startGateway();
    const ok = await simApi<APIMessage>(`/_sim/channels/${g.generalChannelId}/messages`, { body: { user_id: g.memberIds[1], content: 'allowed words only' } });
    const bad = await simApi<APIMessage>(`/_sim/channels/${g.generalChannelId}/messages`, { body: { user_id: g.memberIds[1], content: 'this is forbidden' } });
    await eventually(async () => !(await exists(g, g.generalChannelId, bad.id)), 15_000, 'deleted over the gateway');
    expect(await exists(g, g.generalChannelId, ok.id)).toBe(true);
    const log = await findPost(g, g.supportChannelId, 'Case #1 · Warning');
    expect(log.embeds[0]!.fields).toEqual(
      expect.arrayContaining([
        { name: 'Member', value: `<@${g.memberIds[1]}> (${g.memberIds[1]})`, inline: true },
        { name: 'Reason', value: 'automod rule `words`' },
        { name: 'Evidence', value: 'words: blocked word "forbidden"' },
      ]),
    );
  });
});
