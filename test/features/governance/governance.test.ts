import { evictDurableObject, runDurableObjectAlarm, SELF } from 'cloudflare:test';
import { type APIMessage, InteractionResponseType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotRegister, ROSTER_TTL_MS } from '../../../src/features/governance/feature.ts';
import { dayOf, permissionNames, reviewDueAt } from '../../../src/features/governance/rules.ts';
import { MODULES } from '../../../src/features/index.ts';
import { requiredPermissions } from '../../../src/platform/invite.ts';
import { now } from '../../../src/runtime/clock.ts';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { deliver, env, eventually, lastSeq, newGuild, simApi, simLog, slash, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { BASE, login, registerRedirects, setUserGuilds } from '../dashboard/session-helper.ts';

const MANAGE = String(P.ManageGuild);
const DAY = 86_400_000;

let a: TestGuild & { botRoleId: string };
let b: TestGuild & { botRoleId: string };
let cookieA: string;
/** A guild of its own for the roster test: no bot but Guildkeep until the test adds one. */
let rosterGuild: TestGuild;
const bots = { admin: '', stats: '', quiet: '' };

const addBot = (g: TestGuild, username: string, permissions?: bigint) =>
  simApi<{ user_id: string; role_id?: string }>('/_sim/members', {
    body: { guild_id: g.guildId, username, bot: true, ...(permissions === undefined ? {} : { permissions: String(permissions) }) },
  });

const api = (guildId: string, cookie: string | null = cookieA) =>
  SELF.fetch(`${BASE}/api/dashboard/guilds/${guildId}/bots`, { headers: cookie ? { cookie } : {} });

const register = async (guildId: string): Promise<BotRegister> => {
  const r = await api(guildId);
  expect(r.status).toBe(200);
  return (await r.json()) as BotRegister;
};

const save = (guildId: string, body: unknown, opts: { cookie?: string; origin?: string | null } = {}) =>
  SELF.fetch(`${BASE}/api/dashboard/guilds/${guildId}/bots`, {
    method: 'POST',
    headers: {
      cookie: opts.cookie ?? cookieA,
      'content-type': 'application/json',
      ...(opts.origin === null ? {} : { origin: opts.origin ?? BASE }),
    },
    body: JSON.stringify(body),
  });

const form = (guildId: string, fields: [string, string][], origin: string | null = BASE) =>
  SELF.fetch(`${BASE}/dashboard/guilds/${guildId}/bots`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieA, 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
    body: new URLSearchParams(fields).toString(),
  });

const governanceAudit = async (g: TestGuild) => (await guildActor(env, g.guildId).auditLog(500)).filter((e) => e.action.startsWith('governance'));

beforeAll(async () => {
  await registerRedirects();
  [a, b, rosterGuild] = (await Promise.all([newGuild(3, 1), newGuild(3, 1), newGuild(3, 1)])) as [typeof a, typeof b, TestGuild];
  bots.admin = (await addBot(a, 'everything_bot', P.Administrator)).user_id;
  bots.stats = (await addBot(a, 'stats_bot', P.SendMessages | P.BanMembers | P.ManageMessages)).user_id;
  bots.quiet = (await addBot(a, 'quiet_bot')).user_id;
  await addBot(b, 'bravo_bot', P.KickMembers);
  await setUserGuilds(a.adminId, [
    { id: a.guildId, name: 'Alpha Guild', permissions: MANAGE },
    { id: b.guildId, name: 'Bravo Guild', permissions: '0' },
    { id: rosterGuild.guildId, name: 'Roster Guild', permissions: MANAGE },
  ]);
  cookieA = await login(a.adminId);
});

afterAll(() => resetClock());

describe('the bot register', () => {
  it('lists every bot (and no person) with its roles, effective permissions and flags, and Guildkeep’s drift', async () => {
    const r = await register(a.guildId);
    expect(r.complete).toBe(true);
    const byId = new Map(r.bots.map((x) => [x.id, x]));
    expect(r.bots.map((x) => x.id).sort()).toEqual([a.botUserId, bots.admin, bots.stats, bots.quiet].sort());
    // Guildkeep first, marked as itself; the simulator gives its role Administrator.
    expect(r.bots[0]).toMatchObject({ id: a.botUserId, self: true, permissions: ['Administrator'], flags: { administrator: true } });
    expect(byId.get(bots.admin)).toMatchObject({ self: false, permissions: ['Administrator'], flags: { administrator: true, overpowered: [] } });
    const stats = byId.get(bots.stats)!;
    expect(stats.roles).toHaveLength(1);
    // Its role's permissions and @everyone's.
    expect(stats.permissions).toEqual(expect.arrayContaining(['SendMessages', 'BanMembers', 'ManageMessages', 'ViewChannel']));
    expect(stats.permissions).not.toContain('Administrator');
    expect(stats.flags).toEqual({ administrator: false, overpowered: ['BanMembers'] });
    expect(byId.get(bots.quiet)).toMatchObject({ roles: [], flags: { administrator: false, overpowered: [] } });
    // Watched only since the register came to this guild: silence cannot be known yet.
    expect(byId.get(bots.quiet)!.activity).toEqual({ kind: 'unknown', watchedSince: r.watchedSince });
    expect(r.drift).toEqual({ missing: [], excess: ['Administrator'], channels: [] });
  });

  it('reads the member list page by page as Discord serves it (limit and after)', async () => {
    const page = (after: string) =>
      fetch(`${env.DISCORD_API_BASE}/guilds/${a.guildId}/members?limit=2&after=${after}`, { headers: { authorization: `Bot ${env.DISCORD_TOKEN}` } }).then(
        (r) => r.json() as Promise<{ user: { id: string } }[]>,
      );
    const first = await page('0');
    const second = await page(first[1]!.user.id);
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(BigInt(second[0]!.user.id)).toBeGreaterThan(BigInt(first[1]!.user.id));
  });

  it('a bot’s message seen through the gateway makes it active', async () => {
    const m = await simApi<APIMessage>(`/_sim/channels/${a.generalChannelId}/messages`, { body: { user_id: bots.stats, content: 'daily stats' } });
    await guildActor(env, a.guildId).applyEvents(0, `gov-${Date.now()}`, [{ s: 1, t: 'MESSAGE_CREATE', d: { ...m, guild_id: a.guildId } } as never]);
    const stats = (await register(a.guildId)).bots.find((x) => x.id === bots.stats)!;
    expect(stats.activity).toEqual({ kind: 'active', lastSeen: Date.parse(m.timestamp) });
  });

  it('drift lists a permission missing once it is taken off Guildkeep’s role', async () => {
    const need = requiredPermissions(MODULES);
    await simApi(`/_sim/guilds/${a.guildId}/roles/${a.botRoleId}`, { body: { permissions: String(need & ~P.ManageRoles) } });
    expect((await register(a.guildId)).drift).toEqual({ missing: ['ManageRoles'], excess: [], channels: [] });
    // One no enabled feature needs: excess, by name.
    const extra = [P.PrioritySpeaker, P.Stream, P.ManageWebhooks].find((bit) => (need & bit) === 0n)!;
    await simApi(`/_sim/guilds/${a.guildId}/roles/${a.botRoleId}`, { body: { permissions: String(need | extra) } });
    expect((await register(a.guildId)).drift).toEqual({ missing: [], excess: permissionNames(extra), channels: [] });
  });
});

describe('the roster behind the register', () => {
  it('reads the member list once for a while, follows bots joining, changing roles and leaving through the gateway, and reads it again when stale', async () => {
    const g = rosterGuild;
    const memberReads = async (since: number) =>
      (await simLog(since)).filter((c) => c.route === 'GET /guilds/{guild_id}/members' && c.path.includes(g.guildId)).length;
    const ids = async () => (await register(g.guildId)).bots.map((x) => x.id).sort();
    const since = await lastSeq();
    expect(await ids()).toEqual([g.botUserId]);
    expect(await memberReads(since)).toBe(1);
    // A bot joins: Discord's member list has it at once, the gateway tells the guild.
    const newcomer = (await addBot(g, 'newcomer_bot', P.KickMembers)).user_id;
    const joined = (await simApi<{ members: { user: { id: string }; roles: string[]; joined_at: string }[] }>(`/_sim/guilds/${g.guildId}`)).members.find(
      (m) => m.user.id === newcomer,
    )!;
    const session = `roster-${Date.now()}`;
    const user = { id: newcomer, username: 'newcomer_bot', discriminator: '0', global_name: null, avatar: null, bot: true };
    await guildActor(env, g.guildId).applyEvents(0, session, [
      {
        s: 1,
        t: 'GUILD_MEMBER_ADD',
        d: { guild_id: g.guildId, user, roles: joined.roles, joined_at: joined.joined_at, deaf: false, mute: false, flags: 0 },
      } as never,
    ]);
    expect(await ids()).toEqual([g.botUserId, newcomer].sort());
    // Its role taken away (GUILD_MEMBER_UPDATE): no longer over-powered.
    await guildActor(env, g.guildId).applyEvents(0, session, [
      { s: 2, t: 'GUILD_MEMBER_UPDATE', d: { guild_id: g.guildId, user, roles: [], joined_at: joined.joined_at, flags: 0 } } as never,
    ]);
    expect((await register(g.guildId)).bots.find((x) => x.id === newcomer)).toMatchObject({ roles: [], flags: { overpowered: [] } });
    await guildActor(env, g.guildId).applyEvents(0, session, [{ s: 3, t: 'GUILD_MEMBER_REMOVE', d: { guild_id: g.guildId, user } } as never]);
    expect(await ids()).toEqual([g.botUserId]);
    // People are not kept, and none of this read the member list again.
    expect(await memberReads(since)).toBe(1);
    // Stale: read again from Discord, where the newcomer (removed only by our fake event) still is.
    advanceClock(ROSTER_TTL_MS + 1);
    expect(await ids()).toEqual([g.botUserId, newcomer].sort());
    expect(await memberReads(since)).toBe(2);
  });
});

describe('/bots review', () => {
  it('answers admins (deferred, then edited in) with the bots needing attention and the drift; refuses other members', async () => {
    const d = await deliver(slash(a, a.adminId, 'bots review'));
    expect(d.response?.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const original = await eventually(
      async () => (await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${d.interaction.id}`)).original?.content,
      8000,
      'the review answer',
    );
    expect(original).toContain('**Bot register**: 4 bots in this server');
    expect(original).toContain(`• <@${bots.admin}>: has Administrator; no owner, purpose or failure plan recorded`);
    expect(original).toContain(`• <@${bots.stats}>: over-powered (BanMembers)`);
    expect(original).toContain(`/dashboard/guilds/${a.guildId}/bots`);
    expect(original).toContain('Guildkeep’s own permissions');

    const member = await deliver(slash(a, a.memberIds[0]!, 'bots review'));
    expect(member.response).toMatchObject({ data: { content: 'Only members who can manage this server can review its bots.' } });
  });
});

describe('what admins record', () => {
  const future = () => dayOf(now() + 10 * DAY);

  it('refuses bad input field by field, and changes nothing', async () => {
    const before = await governanceAudit(a);
    const r = await save(a.guildId, { bot: bots.stats, owner: '123456789012345678', purpose: 'x'.repeat(201), failurePlan: '', reviewDate: '2020-01-01' });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { fields: Record<string, { code: string; message: string }> };
    expect(Object.fromEntries(Object.entries(body.fields).map(([k, v]) => [k, v.code]))).toEqual({
      purpose: 'purpose-long',
      failurePlan: 'failure-required',
      reviewDate: 'date-past',
    });
    expect(body.fields.purpose!.message).toBe('Keep the purpose to 200 characters.');
    // Well-formed, but Discord says the owner is not a member, or is a bot; the "bot" is a person.
    const notMember = await save(a.guildId, { bot: bots.stats, owner: '123456789012345678', purpose: 'Stats', failurePlan: 'None needed' });
    expect(((await notMember.json()) as { fields: Record<string, { code: string }> }).fields).toMatchObject({ owner: { code: 'owner-not-member' } });
    const botOwner = await save(a.guildId, { bot: a.memberIds[0], owner: bots.quiet, purpose: 'Stats', failurePlan: 'None needed' });
    expect(((await botOwner.json()) as { fields: Record<string, { code: string }> }).fields).toMatchObject({
      bot: { code: 'bot-not-bot' },
      owner: { code: 'owner-is-bot' },
    });
    expect((await register(a.guildId)).bots.every((x) => x.record === null)).toBe(true);
    expect(await governanceAudit(a)).toEqual(before);
    expect((await guildActor(env, a.guildId).timers()).filter((t) => t.kind === 'governance-review')).toEqual([]);
  });

  it('saves a valid record, audited, with its review reminder set', async () => {
    const date = future();
    const r = await save(a.guildId, {
      bot: bots.stats,
      owner: a.staffId,
      purpose: 'Posts daily stats',
      failurePlan: 'Stats stop; Hana restarts it',
      reviewDate: date,
      accepted: ['BanMembers'],
    });
    expect(r.status).toBe(200);
    const stats = (await register(a.guildId)).bots.find((x) => x.id === bots.stats)!;
    expect(stats.record).toMatchObject({ ownerId: a.staffId, purpose: 'Posts daily stats', reviewDate: date, accepted: ['BanMembers'], updatedBy: a.adminId });
    // BanMembers is accepted for its purpose now.
    expect(stats.flags.overpowered).toEqual([]);
    const audit = await governanceAudit(a);
    expect(audit[0]).toMatchObject({ action: 'governance record', userId: a.adminId, outcome: 'ok' });
    expect(audit[0]!.detail).toContain(`bot ${bots.stats} (new)`);
    expect((await guildActor(env, a.guildId).timers()).find((t) => t.key === `governance:review:${bots.stats}`)?.at).toBe(reviewDueAt(date));
  });

  it('the server overview links to the register', async () => {
    const html = await (await SELF.fetch(`${BASE}/dashboard/guilds/${a.guildId}`, { headers: { cookie: cookieA } })).text();
    expect(html).toContain(`<a href="/dashboard/guilds/${a.guildId}/bots">Bot register: every bot, its permissions and owner</a>`);
    // The overview is the way to each of the guild's dashboard pages.
    expect(html).toContain(`<a href="/dashboard/guilds/${a.guildId}/alerts">Alerts: where each kind goes, and how repeats fold</a>`);
    expect(html).toContain(`<a href="/dashboard/guilds/${a.guildId}/keys">API keys for this server</a>`);
  });

  it('the page shows each bot with a form; a refused form shows its error next to the field and keeps what was typed', async () => {
    const page = await SELF.fetch(`${BASE}/dashboard/guilds/${a.guildId}/bots`, { headers: { cookie: cookieA } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).not.toMatch(/<script|style=/);
    for (const id of [bots.admin, bots.stats, bots.quiet]) expect(html).toContain(`data-bot="${id}"`);
    expect(html).toContain('Administrator: this bot can do everything.');

    // No Origin: refused before anything is read.
    expect(
      (
        await form(
          a.guildId,
          [
            ['action', 'record'],
            ['bot', bots.quiet],
          ],
          null,
        )
      ).status,
    ).toBe(403);
    const bad = await form(a.guildId, [
      ['action', 'record'],
      ['bot', bots.quiet],
      ['owner', a.staffId],
      ['purpose', 'Old <experiment>'],
      ['failurePlan', 'Nothing breaks'],
      ['reviewDate', '2026-13-45'],
    ]);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain(`id="b${bots.quiet}-reviewDate-error">Give the review date as YYYY-MM-DD.</p>`);
    expect(badHtml).toContain('value="Old &lt;experiment&gt;"');
    expect((await register(a.guildId)).bots.find((x) => x.id === bots.quiet)!.record).toBeNull();

    const good = await form(a.guildId, [
      ['action', 'record'],
      ['bot', bots.quiet],
      ['owner', a.staffId],
      ['purpose', 'Old experiment'],
      ['failurePlan', 'Nothing breaks'],
      ['reviewDate', ''],
    ]);
    expect(good.status).toBe(303);
    expect(good.headers.get('location')).toBe(`/dashboard/guilds/${a.guildId}/bots?saved=${bots.quiet}`);
    expect((await register(a.guildId)).bots.find((x) => x.id === bots.quiet)!.record).toMatchObject({ purpose: 'Old experiment', reviewDate: null });
  });
});

describe('access', () => {
  it('without a session: 401 from the API, the login for the page', async () => {
    expect((await api(a.guildId, null)).status).toBe(401);
    const page = await SELF.fetch(`${BASE}/dashboard/guilds/${a.guildId}/bots`, { redirect: 'manual' });
    expect(page.status).toBe(302);
  });

  it('an admin of guild A can neither read nor write guild B', async () => {
    expect((await api(b.guildId)).status).toBe(403);
    const page = await SELF.fetch(`${BASE}/dashboard/guilds/${b.guildId}/bots`, { headers: { cookie: cookieA } });
    expect(page.status).toBe(403);
    const bravoBot = (await simApi<{ members: { user: { id: string; bot?: boolean } }[] }>(`/_sim/guilds/${b.guildId}`)).members.find(
      (m) => m.user.bot && m.user.id !== b.botUserId,
    )!.user.id;
    const w = await save(b.guildId, { bot: bravoBot, owner: b.adminId, purpose: 'Take over', failurePlan: 'None' });
    expect(w.status).toBe(403);
    const f = await form(b.guildId, [
      ['action', 'record'],
      ['bot', bravoBot],
      ['owner', b.adminId],
      ['purpose', 'Take over'],
      ['failurePlan', 'None'],
    ]);
    expect(f.status).toBe(403);
    const inB = await guildActor(env, b.guildId).botRegister(String(requiredPermissions(MODULES)));
    expect(inB.ok && inB.value.bots.every((x) => x.record === null)).toBe(true);
    expect(await governanceAudit(b)).toEqual([]);
  });

  it('a cross-origin API write is refused', async () => {
    expect((await save(a.guildId, { reminderChannel: a.generalChannelId }, { origin: 'https://evil.example' })).status).toBe(403);
  });
});

describe('review reminders', () => {
  it('refuses a reminder channel that is not a text channel of the guild', async () => {
    const r = await save(a.guildId, { reminderChannel: b.generalChannelId });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { fields: Record<string, { code: string }> }).fields).toEqual({
      reminderChannel: { code: 'channel-not-text', message: 'That is not a text channel of this server.' },
    });
    const notText = await save(a.guildId, { reminderChannel: 12345 });
    expect(((await notText.json()) as { fields: Record<string, { code: string }> }).fields).toMatchObject({ reminderChannel: { code: 'channel-format' } });
    expect((await register(a.guildId)).reminderChannelId).toBeNull();
  });

  it('fires once at the due time, across an actor restart, in the configured channel', async () => {
    expect((await save(a.guildId, { reminderChannel: a.generalChannelId })).status).toBe(200);
    const date = dayOf(now() + 3 * DAY);
    const record = { bot: bots.admin, owner: a.adminId, purpose: 'Legacy admin tool', failurePlan: 'Nothing; remove it', reviewDate: date };
    expect((await save(a.guildId, record)).status).toBe(200);
    // Saved again unchanged: still one timer for the date.
    expect((await save(a.guildId, record)).status).toBe(200);
    const stub = guildActor(env, a.guildId);
    const reminders = async () =>
      (await simApi<{ messages: Record<string, APIMessage[]> }>(`/_sim/guilds/${a.guildId}`)).messages[a.generalChannelId]!.filter((m) =>
        m.content.includes(`the review of <@${bots.admin}> is due today (${date})`),
      );
    const alarms = async () => {
      for (let i = 0; i < 3; i++) await runDurableObjectAlarm(stub as never);
    };

    // A minute early: nothing.
    advanceClock(reviewDueAt(date) - now() - 60_000);
    await alarms();
    expect(await reminders()).toHaveLength(0);

    // The actor restarts; the timer is in its storage.
    await evictDurableObject(stub);
    advanceClock(61_000);
    await alarms();
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.content).toContain(`<@${a.adminId}>`);
    expect(sent[0]!.content).toContain('Legacy admin tool');
    expect((await stub.timers()).filter((t) => t.key === `governance:review:${bots.admin}`)).toEqual([]);

    // Days later: still one reminder for that date, and one audit entry.
    advanceClock(2 * DAY);
    await alarms();
    expect(await reminders()).toHaveLength(1);
    expect((await governanceAudit(a)).filter((e) => e.action === 'governance reminder' && e.detail.includes(date))).toHaveLength(1);
    expect((await register(a.guildId)).bots.find((x) => x.id === bots.admin)!.record).toMatchObject({ remindedFor: date });
  });

  it('drift names what a channel overwrite takes from Guildkeep in the reminder channel', async () => {
    expect((await register(a.guildId)).drift.channels).toEqual([]);
    const put = await fetch(`${env.DISCORD_API_BASE}/channels/${a.generalChannelId}/permissions/${a.botRoleId}`, {
      method: 'PUT',
      headers: { authorization: `Bot ${env.DISCORD_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 0, allow: 0, deny: Number(P.SendMessages) }),
    });
    expect(put.status).toBe(204);
    expect((await register(a.guildId)).drift.channels).toEqual([{ channelId: a.generalChannelId, missing: ['SendMessages'] }]);
    const html = await (await SELF.fetch(`${BASE}/dashboard/guilds/${a.guildId}/bots`, { headers: { cookie: cookieA } })).text();
    expect(html).toContain(`Review reminders channel ${a.generalChannelId}: Guildkeep lacks SendMessages there`);
    const del = await fetch(`${env.DISCORD_API_BASE}/channels/${a.generalChannelId}/permissions/${a.botRoleId}`, {
      method: 'DELETE',
      headers: { authorization: `Bot ${env.DISCORD_TOKEN}` },
    });
    expect(del.status).toBe(204);
  });

  it('a bot that left before its review date gets no reminder; the audit log says so', async () => {
    const leaving = (await addBot(a, 'leaving_bot')).user_id;
    const date = dayOf(now() + DAY);
    expect((await save(a.guildId, { bot: leaving, owner: a.staffId, purpose: 'One-off poll', failurePlan: 'Nothing breaks', reviewDate: date })).status).toBe(
      200,
    );
    await simApi(`/_sim/guilds/${a.guildId}/leave`, { body: { user_id: leaving } });
    advanceClock(reviewDueAt(date) - now() + 1000);
    const before = (await simApi<{ messages: Record<string, APIMessage[]> }>(`/_sim/guilds/${a.guildId}`)).messages[a.generalChannelId]!.length;
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(guildActor(env, a.guildId) as never);
    expect((await simApi<{ messages: Record<string, APIMessage[]> }>(`/_sim/guilds/${a.guildId}`)).messages[a.generalChannelId]!.length).toBe(before);
    expect((await governanceAudit(a)).find((e) => e.outcome === 'refused:bot-left')?.detail).toBe(`bot ${leaving}: left before its review ${date}`);
  });

  it('without a reminder channel, the owner gets a direct message', async () => {
    expect((await save(a.guildId, { reminderChannel: '' })).status).toBe(200);
    const date = dayOf(now() + DAY);
    expect(
      (await save(a.guildId, { bot: bots.quiet, owner: a.staffId, purpose: 'Old experiment', failurePlan: 'Nothing breaks', reviewDate: date })).status,
    ).toBe(200);
    advanceClock(reviewDueAt(date) - now() + 1000);
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(guildActor(env, a.guildId) as never);
    const dms = await simApi<{ messages: APIMessage[] }>(`/_sim/users/${a.staffId}/dms`);
    expect(dms.messages.filter((m) => m.content.includes(`the review of <@${bots.quiet}> is due today (${date})`))).toHaveLength(1);
    expect((await governanceAudit(a)).find((e) => e.action === 'governance settings')?.detail).toBe("review reminders: DM to each bot's owner");
  });
});
