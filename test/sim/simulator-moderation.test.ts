import { describe, expect, it } from 'vitest';
import type { TestGuild } from '../helpers.ts';
import { newGuild, sim, simApi } from '../helpers.ts';

/** Raw calls to the simulator's REST API, marked so the suite's OpenAPI audit of the bot's own requests leaves them out. */
async function discord(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(sim.apiBase + path, {
    method,
    headers: {
      Authorization: `Bot ${sim.botToken}`,
      'X-Sim-Deliberately-Invalid': '1',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, any> | null };
}

type ModGuild = TestGuild & { botRoleId: string };
const guild = () => newGuild(6, 1) as Promise<ModGuild>;
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const DAY = 86_400_000;

interface JoinResult {
  member_ids: string[];
  joins: { user_id: string; at: number }[];
  refused: { reason: string }[];
  invite: { uses: number; deleted: boolean } | null;
}
const join = (guildId: string, body: Record<string, unknown>) => simApi<JoinResult>(`/_sim/guilds/${guildId}/joins`, { body });

/** A Discord snowflake for a time in the past (the simulator's bulk-delete age check reads the id's timestamp). */
const oldId = (daysAgo: number) => String((BigInt(Date.now() - daysAgo * DAY) - 1420070400000n) << 22n);

describe('the simulator enforces Discord’s moderation rules', () => {
  it('refuses to act on the owner, on members at or above the bot, and without the permission (50013), and on non-members (10007)', async () => {
    const g = await guild();
    expect((await discord('DELETE', `/guilds/${g.guildId}/members/${g.ownerId}`)).body).toMatchObject({ code: 50013 });
    // admin_ada holds the Admin role, which sits above the bot's role.
    expect((await discord('DELETE', `/guilds/${g.guildId}/members/${g.adminId}`)).body).toMatchObject({ code: 50013 });
    expect((await discord('PUT', `/guilds/${g.guildId}/bans/${g.adminId}`, {})).body).toMatchObject({ code: 50013 });
    expect((await discord('PUT', `/guilds/${g.guildId}/members/${g.memberIds[0]}/roles/${g.adminRoleId}`)).body).toMatchObject({ code: 50013 });
    expect((await discord('DELETE', `/guilds/${g.guildId}/members/1234567890123456789`)).body).toMatchObject({ code: 10007 });

    // Take Administrator away from the bot's role: every moderation route now needs its own permission.
    await simApi(`/_sim/guilds/${g.guildId}/roles/${g.botRoleId}`, { body: { permissions: String(1n << 10n) } });
    const refused = await Promise.all([
      discord('DELETE', `/guilds/${g.guildId}/members/${g.memberIds[0]}`),
      discord('PUT', `/guilds/${g.guildId}/bans/${g.memberIds[0]}`, {}),
      discord('PATCH', `/guilds/${g.guildId}/members/${g.memberIds[0]}`, { communication_disabled_until: inMs(60_000) }),
      discord('PATCH', `/guilds/${g.guildId}`, { verification_level: 2 }),
      discord('PUT', `/guilds/${g.guildId}/incident-actions`, { invites_disabled_until: inMs(60_000) }),
      discord('POST', `/channels/${g.generalChannelId}/messages/bulk-delete`, { messages: [oldId(1), oldId(2)] }),
    ]);
    expect(refused.map((r) => [r.status, r.body?.code])).toEqual(Array.from({ length: 6 }, () => [403, 50013]));
    await simApi(`/_sim/guilds/${g.guildId}/roles/${g.botRoleId}`, { body: { permissions: String(1n << 3n) } });
    expect((await discord('DELETE', `/guilds/${g.guildId}/members/${g.memberIds[0]}`)).status).toBe(204);
  });

  it('caps timeouts at 28 days, refuses them on administrators, and lifts them with null', async () => {
    const g = await guild();
    const path = `/guilds/${g.guildId}/members/${g.memberIds[0]}`;
    const ok = await discord('PATCH', path, { communication_disabled_until: inMs(28 * DAY - 60_000) });
    expect(ok.status).toBe(200);
    expect(Date.parse(ok.body!.communication_disabled_until)).toBeGreaterThan(Date.now() + 27 * DAY);
    const tooLong = await discord('PATCH', path, { communication_disabled_until: inMs(28 * DAY + 60_000) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ code: 50035, errors: { communication_disabled_until: { _errors: [{}] } } });
    expect((await discord('PATCH', `/guilds/${g.guildId}/members/${g.adminId}`, { communication_disabled_until: inMs(60_000) })).body).toMatchObject({
      code: 50013,
    });
    expect((await discord('PATCH', path, { communication_disabled_until: null })).body).toMatchObject({ communication_disabled_until: null });
  });

  it('bulk-deletes 2–100 unique messages younger than 14 days (50016, 50035, 50034 otherwise)', async () => {
    const g = await guild();
    const ids: string[] = [];
    for (const u of g.memberIds.slice(0, 3)) {
      ids.push((await simApi<{ id: string }>(`/_sim/channels/${g.generalChannelId}/messages`, { body: { user_id: u, content: 'buy cheap gold' } })).id);
    }
    const bulk = (messages: string[]) => discord('POST', `/channels/${g.generalChannelId}/messages/bulk-delete`, { messages });
    expect((await bulk([ids[0]!])).body).toMatchObject({ code: 50016 });
    expect((await bulk(Array.from({ length: 101 }, (_, i) => String(BigInt(oldId(0)) + BigInt(i))))).body).toMatchObject({ code: 50016 });
    expect((await bulk([ids[0]!, ids[0]!])).body).toMatchObject({ code: 50035 });
    expect((await bulk([ids[0]!, oldId(15)])).body).toMatchObject({ code: 50034 });
    expect((await bulk([ids[0]!, ids[1]!])).status).toBe(204);
    const left = ((await discord('GET', `/channels/${g.generalChannelId}/messages?limit=100`)).body as unknown as { id: string }[]).map((m) => m.id);
    expect(left).toContain(ids[2]);
    expect(left).not.toContain(ids[0]);
    expect(left).not.toContain(ids[1]);
  });

  it('counts invite uses on joins and deletes a one-use invite once it is used', async () => {
    const g = await guild();
    const invite = await simApi<{ code: string }>(`/_sim/guilds/${g.guildId}/invites`, { body: { max_uses: 1, inviter_id: g.memberIds[0] } });
    const listed = await discord('GET', `/guilds/${g.guildId}/invites`);
    expect(listed.body).toContainEqual(
      expect.objectContaining({ code: invite.code, uses: 0, max_uses: 1, inviter: expect.objectContaining({ id: g.memberIds[0] }) }),
    );
    const joined = await join(g.guildId, { count: 2, via: invite.code, namePattern: 'raider{n}' });
    expect(joined.member_ids).toHaveLength(1);
    expect(joined.refused).toEqual([expect.objectContaining({ reason: 'unknown_invite' })]);
    expect(joined.invite).toMatchObject({ uses: 1, deleted: true });
    expect((await discord('GET', `/guilds/${g.guildId}/invites`)).body).not.toContainEqual(expect.objectContaining({ code: invite.code }));
    expect((await discord('DELETE', `/invites/${invite.code}`)).body).toMatchObject({ code: 10006 });
    expect((await discord('GET', `/guilds/${g.guildId}/members/${joined.member_ids[0]}`)).body).toMatchObject({ user: { username: 'raider1' } });
  });

  it('bans with the audit-log reason, removes the member, and unbans once (10026 after)', async () => {
    const g = await guild();
    const user = g.memberIds[1]!;
    const ban = await discord(
      'PUT',
      `/guilds/${g.guildId}/bans/${user}`,
      { delete_message_seconds: 3600 },
      { 'X-Audit-Log-Reason': encodeURIComponent('raid wave 1') },
    );
    expect(ban.status).toBe(204);
    expect((await discord('GET', `/guilds/${g.guildId}/bans/${user}`)).body).toMatchObject({ reason: 'raid wave 1', user: { id: user } });
    expect((await discord('GET', `/guilds/${g.guildId}/members/${user}`)).body).toMatchObject({ code: 10007 });
    expect((await join(g.guildId, { user_ids: [user] })).refused).toEqual([expect.objectContaining({ reason: 'banned' })]);
    expect((await discord('PUT', `/guilds/${g.guildId}/bans/${user}`, { delete_message_seconds: 604_801 })).body).toMatchObject({ code: 50035 });
    expect((await discord('GET', `/guilds/${g.guildId}/bans`)).body).toEqual([expect.objectContaining({ user: expect.objectContaining({ id: user }) })]);
    expect((await discord('DELETE', `/guilds/${g.guildId}/bans/${user}`, {})).status).toBe(204);
    expect((await discord('DELETE', `/guilds/${g.guildId}/bans/${user}`, {})).body).toMatchObject({ code: 10026 });
    expect((await discord('GET', `/guilds/${g.guildId}/bans/${user}`)).body).toMatchObject({ code: 10026 });
  });

  it('caps incident actions at 24 hours, shows them on the guild, and refuses joins while invites are paused', async () => {
    const g = await guild();
    const tooFar = await discord('PUT', `/guilds/${g.guildId}/incident-actions`, { invites_disabled_until: inMs(DAY + 60_000) });
    expect(tooFar.body).toMatchObject({ code: 50035, errors: { invites_disabled_until: {} } });
    const until = inMs(DAY - 60_000);
    expect((await discord('PUT', `/guilds/${g.guildId}/incident-actions`, { invites_disabled_until: until, dms_disabled_until: null })).body).toEqual({
      invites_disabled_until: until,
      dms_disabled_until: null,
    });
    expect((await discord('GET', `/guilds/${g.guildId}`)).body).toMatchObject({ incidents_data: { invites_disabled_until: until } });
    const paused = await join(g.guildId, { count: 3 });
    expect(paused.member_ids).toEqual([]);
    expect(paused.refused.map((r) => r.reason)).toEqual(['invites_paused', 'invites_paused', 'invites_paused']);
    // A PUT replaces: a field left out is lifted.
    expect((await discord('PUT', `/guilds/${g.guildId}/incident-actions`, {})).body).toEqual({ invites_disabled_until: null, dms_disabled_until: null });
    expect((await join(g.guildId, { count: 1 })).member_ids).toHaveLength(1);
  });

  it('records verification level and slowmode, validating them', async () => {
    const g = await guild();
    expect((await discord('PATCH', `/guilds/${g.guildId}`, { verification_level: 5 })).body).toMatchObject({ code: 50035 });
    expect((await discord('PATCH', `/guilds/${g.guildId}`, { verification_level: 3 })).body).toMatchObject({ verification_level: 3 });
    expect((await discord('PATCH', `/channels/${g.generalChannelId}`, { rate_limit_per_user: 21_601 })).body).toMatchObject({ code: 50035 });
    expect((await discord('PATCH', `/channels/${g.generalChannelId}`, { rate_limit_per_user: 120 })).body).toMatchObject({ rate_limit_per_user: 120 });
    const view = await simApi<{ verification_level: number; slowmode: Record<string, number> }>(`/_sim/guilds/${g.guildId}/moderation`);
    expect(view.verification_level).toBe(3);
    expect(view.slowmode[g.generalChannelId]).toBe(120);
  });

  it('lets a benchmark line up join dispatch times with the moderation calls received', async () => {
    const g = await guild();
    const joined = await join(g.guildId, { count: 20, accountAgeDays: 0.01, spreadMs: 200 });
    expect(joined.joins.map((j) => j.at)).toEqual([...joined.joins.map((j) => j.at)].sort((a, b) => a - b));
    const before = Date.now();
    await discord('PATCH', `/guilds/${g.guildId}`, { verification_level: 4 });
    await discord('PUT', `/guilds/${g.guildId}/incident-actions`, { invites_disabled_until: inMs(3_600_000) });
    const log = await simApi<{ calls: { time: number; route: string; status: number }[] }>(`/_sim/guilds/${g.guildId}/modlog`);
    const mine = log.calls.filter((c) => c.time >= before);
    expect(mine.map((c) => [c.route, c.status])).toEqual(
      expect.arrayContaining([
        ['PATCH /guilds/{guild_id}', 200],
        ['PUT /guilds/{guild_id}/incident-actions', 200],
      ]),
    );
    expect(mine.every((c) => c.time >= joined.joins.at(-1)!.at)).toBe(true);
  });
});
