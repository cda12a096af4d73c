// Moderation part of `node sim/selfcheck.ts`: the REST routes moderation,
// anti-raid, verification and invite tracking use, their gateway events as a
// raw `ws` client receives them (intents respected), scripted joins, and the
// per-guild call log a benchmark reads.

import type { GatewayReceivePayload } from 'discord-api-types/v10';
import { GatewayIntentBits } from 'discord-api-types/v10';
import type { GatewayCheckEnv } from './gateway-selfcheck.ts';
import { GatewayTestClient } from './gateway-selfcheck.ts';
import { snowflakeAt, snowflakeTime } from './snowflake.ts';

const I = GatewayIntentBits;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
type Msg = GatewayReceivePayload;
const isT =
  (t: string, pred: (d: any) => boolean = () => true) =>
  (m: Msg) =>
    m.op === 0 && m.t === t && pred(m.d);
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

export interface ModerationCheckEnv extends GatewayCheckEnv {
  appId: string;
}

export async function moderationChecks(env: ModerationCheckEnv): Promise<void> {
  const { expect, ctl, call, botToken } = env;
  const wsUrl = env.url.replace(/^http/, 'ws') + '/gateway?v=10&encoding=json';
  const g = await ctl('POST', '/_sim/guilds', { name: 'Moderation selfcheck', members: 8, vanity: 'selfcheck-vanity' });
  const gid = g.guildId as string;
  await ctl('POST', '/_sim/gateway/config', { heartbeatIntervalMs: 1000, identifyIntervalMs: 0 });
  const identify = async (intents: number) => {
    const c = new GatewayTestClient(wsUrl);
    await c.hello;
    c.autoHeartbeat(800);
    c.identify(botToken, intents);
    await c.next(isT('READY'));
    return c;
  };
  const a = await identify(I.Guilds | I.GuildMembers | I.GuildModeration | I.GuildInvites | I.GuildMessages | I.DirectMessages);
  const b = await identify(I.Guilds | I.GuildMessages);
  const withReason = async (method: string, path: string, reason: string, body?: unknown) => {
    const res = await fetch(`${env.url}/api/v10${path}`, {
      method,
      headers: { Authorization: `Bot ${botToken}`, 'Content-Type': 'application/json', 'X-Audit-Log-Reason': encodeURIComponent(reason) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as any) };
  };

  // --- guild settings
  let r = await call('PATCH', `/guilds/${gid}`, { verification_level: 3 });
  const gu = await a.next(isT('GUILD_UPDATE', (d) => d.id === gid));
  const gub = await b.next(isT('GUILD_UPDATE', (d) => d.id === gid));
  expect(
    r.status === 200 && r.body.verification_level === 3 && gu.op === 0 && gub.op === 0,
    'PATCH guild verification_level → 200 and GUILD_UPDATE (GUILDS intent)',
    r.body,
  );
  r = await call('PATCH', `/guilds/${gid}`, { verification_level: 7 });
  expect(r.status === 400 && r.body.code === 50035 && r.body.errors.verification_level, 'verification_level 7 → 50035', r.body);
  const until = iso(3_600_000);
  r = await call('PUT', `/guilds/${gid}/incident-actions`, { invites_disabled_until: until, dms_disabled_until: null });
  const gi = await call('GET', `/guilds/${gid}`);
  expect(
    r.status === 200 &&
      r.body.invites_disabled_until === until &&
      r.body.dms_disabled_until === null &&
      gi.body.incidents_data.invites_disabled_until === until,
    'incident actions 1 h → 200; GET guild shows incidents_data',
    { put: r.body, get: gi.body.incidents_data },
  );
  r = await call('PUT', `/guilds/${gid}/incident-actions`, { dms_disabled_until: iso(25 * 3_600_000) });
  expect(r.status === 400 && r.body.code === 50035 && r.body.errors.dms_disabled_until, 'incident action 25 h ahead → 50035', r.body);
  let joined = await ctl('POST', `/_sim/guilds/${gid}/joins`, { count: 2 });
  expect(
    joined.member_ids.length === 0 && joined.refused.every((x: any) => x.reason === 'invites_paused'),
    'joins while invites are paused are refused',
    joined,
  );
  r = await call('PUT', `/guilds/${gid}/incident-actions`, {});
  expect(r.status === 200 && r.body.invites_disabled_until === null, 'incident actions PUT without a field clears it');

  // --- invites and scripted joins
  const seeded = await ctl('POST', `/_sim/guilds/${gid}/invites`, { max_uses: 2, inviter_id: g.memberIds[0] });
  await a.next(isT('INVITE_CREATE', (d) => d.code === seeded.code && d.uses === 0));
  const joinedAt = Date.now();
  joined = await ctl('POST', `/_sim/guilds/${gid}/joins`, { count: 3, via: seeded.code, accountAgeDays: 0.01, namePattern: 'raider{n}' });
  const adds = [
    await a.next(isT('GUILD_MEMBER_ADD', (d) => d.user.id === joined.member_ids[0])),
    await a.next(isT('GUILD_MEMBER_ADD', (d) => d.user.id === joined.member_ids[1])),
  ];
  const del = await a.next(isT('INVITE_DELETE', (d) => d.code === seeded.code));
  const age = joinedAt - snowflakeTime(joined.member_ids[0]);
  expect(
    joined.member_ids.length === 2 &&
      joined.refused[0]?.reason === 'unknown_invite' &&
      joined.invite.uses === 2 &&
      joined.invite.deleted &&
      adds.every((x: any) => x.d.guild_id === gid && x.d.user.username.startsWith('raider')) &&
      del.op === 0,
    'joins via a 2-use invite: 2 members, GUILD_MEMBER_ADD each, invite used up → INVITE_DELETE, third join refused',
    joined,
  );
  expect(
    Math.abs(age - 864_000) < 5000 && joined.joins.every((j: any) => typeof j.at === 'number' && j.delivered === 1),
    'joined accounts are 0.01 days old by their snowflake; each join reports its dispatch time',
    { age, joins: joined.joins },
  );
  expect(
    (await b.nothing(isT('GUILD_MEMBER_ADD'), 100)) && (await b.nothing(isT('INVITE_DELETE'), 10)),
    'no GUILD_MEMBER_ADD / INVITE_DELETE without GUILD_MEMBERS / GUILD_INVITES',
  );
  await ctl('POST', `/_sim/guilds/${gid}/joins`, { count: 2, via: 'vanity' });
  r = await call('GET', `/guilds/${gid}/vanity-url`);
  expect(r.status === 200 && r.body.code === 'selfcheck-vanity' && r.body.uses === 2, 'vanity joins counted in GET vanity-url', r.body);
  r = await call('POST', `/channels/${g.generalChannelId}/invites`, { max_age: 3600, max_uses: 1, unique: true });
  const created = await a.next(isT('INVITE_CREATE', (d) => d.code === r.body.code));
  expect(
    r.status === 200 && r.body.max_uses === 1 && r.body.uses === 0 && r.body.inviter.id === env.appId && created.op === 0,
    'POST channel invite → invite with metadata and INVITE_CREATE',
    r.body,
  );
  const code = r.body.code;
  r = await call('GET', `/guilds/${gid}/invites`);
  expect(
    r.status === 200 && r.body.some((x: any) => x.code === code && x.uses === 0 && x.max_age === 3600),
    'GET guild invites with uses / max_uses / max_age',
    r.body,
  );
  r = await call('DELETE', `/invites/${code}`);
  const gone = await a.next(isT('INVITE_DELETE', (d) => d.code === code));
  const again = await call('DELETE', `/invites/${code}`);
  expect(r.status === 200 && gone.op === 0 && again.status === 404 && again.body.code === 10006, 'DELETE invite → INVITE_DELETE; again → 10006', again.body);

  // --- timeouts, hierarchy, permissions
  const target = g.memberIds[0];
  r = await call('PATCH', `/guilds/${gid}/members/${target}`, { communication_disabled_until: iso(3_600_000) });
  const mu = await a.next(isT('GUILD_MEMBER_UPDATE', (d) => d.user.id === target && d.communication_disabled_until));
  expect(
    r.status === 200 && mu.op === 0 && (await b.nothing(isT('GUILD_MEMBER_UPDATE'), 50)),
    'timeout 1 h → 200 and GUILD_MEMBER_UPDATE (GUILD_MEMBERS only)',
    r.body,
  );
  const muted = await fetch(`${env.url}/_sim/channels/${g.generalChannelId}/messages`, {
    method: 'POST',
    body: JSON.stringify({ user_id: target, content: 'let me talk' }),
  });
  expect(muted.status === 403 && ((await muted.json()) as any).code === 50013, 'a timed-out member cannot send messages (50013)');
  r = await call('PATCH', `/guilds/${gid}/members/${target}`, { communication_disabled_until: iso(28 * 86_400_000 + 60_000) });
  expect(r.status === 400 && r.body.code === 50035 && r.body.errors.communication_disabled_until, 'timeout beyond 28 days → 50035', r.body);
  r = await call('PATCH', `/guilds/${gid}/members/${g.adminId}`, { communication_disabled_until: iso(60_000) });
  expect(r.status === 403 && r.body.code === 50013, 'timeout of an administrator → 50013', r.body);
  r = await call('DELETE', `/guilds/${gid}/members/${g.ownerId}`);
  let r2 = await call('DELETE', `/guilds/${gid}/members/${g.adminId}`);
  expect(r.status === 403 && r.body.code === 50013 && r2.status === 403 && r2.body.code === 50013, 'kick the owner / a member above the bot → 50013');
  await ctl('POST', `/_sim/guilds/${gid}/roles/${g.botRoleId}`, { permissions: String(1n << 1n) });
  r = await call('PATCH', `/guilds/${gid}/members/${g.memberIds[1]}`, { communication_disabled_until: iso(60_000) });
  const r3 = await call('PUT', `/guilds/${gid}/bans/${g.memberIds[1]}`, {});
  expect(r.status === 403 && r.body.code === 50013 && r3.status === 403, 'without MODERATE_MEMBERS / BAN_MEMBERS → 50013', { r: r.body, r3: r3.body });
  await ctl('POST', `/_sim/guilds/${gid}/roles/${g.botRoleId}`, { permissions: String(1n << 3n) });
  r = await call('DELETE', `/guilds/${gid}/members/${g.memberIds[1]}`);
  await a.next(isT('GUILD_MEMBER_REMOVE', (d) => d.user.id === g.memberIds[1]));
  r2 = await call('DELETE', `/guilds/${gid}/members/${g.memberIds[1]}`);
  expect(r.status === 204 && r2.status === 404 && r2.body.code === 10007, 'kick → 204 and GUILD_MEMBER_REMOVE; again → 10007');

  // --- roles
  r = await call('POST', `/guilds/${gid}/roles`, { name: 'Quarantine', permissions: '0' });
  const role = r.body;
  await a.next(isT('GUILD_ROLE_CREATE', (d) => d.role.id === role.id));
  r2 = await call('PUT', `/guilds/${gid}/members/${g.memberIds[2]}/roles/${role.id}`);
  const ru = await a.next(isT('GUILD_MEMBER_UPDATE', (d) => d.user.id === g.memberIds[2] && d.roles.includes(role.id)));
  const high = await call('PUT', `/guilds/${gid}/members/${g.memberIds[2]}/roles/${g.adminRoleId}`);
  expect(
    r.status === 200 && role.position === 1 && r2.status === 204 && ru.op === 0 && high.status === 403 && high.body.code === 50013,
    'create role at position 1; assign it (GUILD_MEMBER_UPDATE); a role above the bot → 50013',
    { role, high: high.body },
  );

  // --- bans
  const victim = g.memberIds[3];
  const said = await ctl('POST', `/_sim/channels/${g.generalChannelId}/messages`, { user_id: victim, content: 'spam spam' });
  r = await withReason('PUT', `/guilds/${gid}/bans/${victim}`, 'raid: spam ✓', { delete_message_seconds: 600 });
  const ba = await a.next(isT('GUILD_BAN_ADD', (d) => d.user.id === victim));
  const rm = await a.next(isT('GUILD_MEMBER_REMOVE', (d) => d.user.id === victim));
  const bulk = await a.next(isT('MESSAGE_DELETE_BULK', (d) => d.ids.includes(said.id)));
  expect(
    r.status === 204 && ba.op === 0 && rm.op === 0 && bulk.op === 0 && ba.s! < rm.s!,
    'ban → GUILD_BAN_ADD, GUILD_MEMBER_REMOVE, and the purge as MESSAGE_DELETE_BULK',
  );
  expect(await b.nothing(isT('GUILD_BAN_ADD'), 50), 'GUILD_BAN_ADD needs GUILD_MODERATION');
  r = await call('GET', `/guilds/${gid}/bans/${victim}`);
  expect(r.status === 200 && r.body.reason === 'raid: spam ✓', 'GET ban carries the X-Audit-Log-Reason', r.body);
  const rejoin = await ctl('POST', `/_sim/guilds/${gid}/joins`, { user_ids: [victim] });
  expect(rejoin.refused[0]?.reason === 'banned', 'a banned user cannot rejoin', rejoin);
  r = await call('DELETE', `/guilds/${gid}/bans/${victim}`, {});
  await a.next(isT('GUILD_BAN_REMOVE', (d) => d.user.id === victim));
  r2 = await call('DELETE', `/guilds/${gid}/bans/${victim}`, {});
  expect(r.status === 204 && r2.status === 404 && r2.body.code === 10026, 'unban → GUILD_BAN_REMOVE; again → 10026');
  r = await call('PUT', `/guilds/${gid}/bans/${victim}`, { delete_message_seconds: 604_801 });
  expect(r.status === 400 && r.body.code === 50035, 'delete_message_seconds 604801 → 50035', r.body);

  // --- bulk delete and slowmode
  const posted: string[] = [];
  for (const u of [g.memberIds[4], g.memberIds[5], g.memberIds[6]])
    posted.push((await ctl('POST', `/_sim/channels/${g.supportChannelId}/messages`, { user_id: u, content: 'flood' })).id);
  r = await call('POST', `/channels/${g.supportChannelId}/messages/bulk-delete`, { messages: posted.slice(0, 2) });
  const mdb = await a.next(isT('MESSAGE_DELETE_BULK', (d) => d.channel_id === g.supportChannelId));
  expect(r.status === 204 && (mdb as any).d.ids.length === 2, 'bulk delete 2 → 204 and MESSAGE_DELETE_BULK', mdb);
  const one = await call('POST', `/channels/${g.supportChannelId}/messages/bulk-delete`, { messages: [posted[2]] });
  const dup = await call('POST', `/channels/${g.supportChannelId}/messages/bulk-delete`, { messages: [posted[2], posted[2]] });
  const old = await call('POST', `/channels/${g.supportChannelId}/messages/bulk-delete`, { messages: [posted[2], snowflakeAt(Date.now() - 15 * 86_400_000)] });
  expect(one.body.code === 50016 && dup.body.code === 50035 && old.body.code === 50034, 'bulk delete: 1 id → 50016, duplicates → 50035, 15 days old → 50034', {
    one: one.body,
    dup: dup.body,
    old: old.body,
  });
  r = await call('PATCH', `/channels/${g.generalChannelId}`, { rate_limit_per_user: 21_601 });
  r2 = await call('PATCH', `/channels/${g.generalChannelId}`, { rate_limit_per_user: 30 });
  const slow1 = await fetch(`${env.url}/_sim/channels/${g.generalChannelId}/messages`, {
    method: 'POST',
    body: JSON.stringify({ user_id: g.memberIds[4], content: 'one' }),
  });
  const slow2 = await fetch(`${env.url}/_sim/channels/${g.generalChannelId}/messages`, {
    method: 'POST',
    body: JSON.stringify({ user_id: g.memberIds[4], content: 'two' }),
  });
  expect(
    r.status === 400 &&
      r.body.code === 50035 &&
      r2.status === 200 &&
      r2.body.rate_limit_per_user === 30 &&
      slow1.status === 200 &&
      slow2.status === 429 &&
      ((await slow2.json()) as any).code === 20016,
    "slowmode: 21601 → 50035; 30 s recorded; a member's second message → 20016",
  );

  // --- DMs
  r = await call('POST', '/users/@me/channels', { recipient_id: g.memberIds[5] });
  r2 = await call('POST', `/channels/${r.body.id}/messages`, { content: 'Your appeal was received.' });
  const dmc = await a.next(isT('MESSAGE_CREATE', (d) => d.id === r2.body.id));
  await ctl('POST', `/_sim/users/${g.memberIds[6]}/dms`, { open: false });
  const closed = await call('POST', '/users/@me/channels', { recipient_id: g.memberIds[6] });
  const refused = await call('POST', `/channels/${closed.body.id}/messages`, { content: 'hello' });
  const inbox = await ctl('GET', `/_sim/users/${g.memberIds[5]}/dms`);
  expect(
    r.status === 200 &&
      r.body.type === 1 &&
      r2.status === 200 &&
      (dmc as any).d.channel_type === 1 &&
      !('guild_id' in (dmc as any).d) &&
      refused.status === 403 &&
      refused.body.code === 50007 &&
      inbox.messages.length === 1,
    'DM: create, send (MESSAGE_CREATE via DIRECT_MESSAGES), closed DMs → 50007',
    refused.body,
  );

  // --- the per-guild log a benchmark reads, and joins at scale
  const modlog = await ctl('GET', `/_sim/guilds/${gid}/modlog`);
  const inc = modlog.calls.find((c: any) => c.route === 'PUT /guilds/{guild_id}/incident-actions');
  expect(
    inc &&
      typeof inc.time === 'number' &&
      modlog.calls.every(
        (c: any) => c.path.includes(gid) || c.route.startsWith('PATCH /channels') || c.route.includes('/messages') || c.route.includes('/invites'),
      ) &&
      modlog.calls.some((c: any) => c.auditLogReason === 'raid: spam ✓'),
    'modlog: moderation calls with receive time and audit-log reason',
    modlog.calls.slice(0, 3),
  );
  const view = await ctl('GET', `/_sim/guilds/${gid}/moderation`);
  expect(
    view.verification_level === 3 &&
      view.slowmode[g.generalChannelId] === 30 &&
      view.bans.length === 0 &&
      view.members.some((m: any) => m.user_id === target && m.communication_disabled_until),
    'moderation view: verification, slowmode, timeouts, bans',
    { ...view, members: view.members.length },
  );

  let received = 0;
  a.onDispatch = (m) => {
    if (m.t === 'GUILD_MEMBER_ADD') {
      received++;
      return true;
    }
    return false;
  };
  const fast = await ctl('POST', `/_sim/guilds/${gid}/joins`, { count: 1000, accountAgeDays: 0.001 });
  const t0 = Date.now();
  while (received < 1000 && Date.now() - t0 < 10_000) await sleep(10);
  expect(fast.member_ids.length === 1000 && received === 1000, `1000 joins as fast as possible (${fast.durationMs} ms): 1000 GUILD_MEMBER_ADD received`, {
    received,
    durationMs: fast.durationMs,
  });
  received = 0;
  const paced = await ctl('POST', `/_sim/guilds/${gid}/joins`, { count: 100, spreadMs: 2000 });
  const gaps = paced.joins.slice(1).map((j: any, i: number) => j.at - paced.joins[i].at);
  // Spread, not bunched: a loaded machine delays a timer now and then, so the bounds are loose.
  expect(
    paced.member_ids.length === 100 && Math.abs(paced.durationMs - 2000) < 500 && Math.max(...gaps) < 500 && received === 100,
    `100 joins spread over 2 s (${paced.durationMs} ms, largest gap ${Math.max(...gaps)} ms)`,
    { durationMs: paced.durationMs },
  );
  r = await call('GET', `/guilds/${gid}/members?limit=1000`);
  expect(r.status === 200 && r.body.length === 1000, 'list members with limit 1000');
  await ctl('POST', '/_sim/gateway/config', { privilegedIntents: 0 });
  r = await call('GET', `/guilds/${gid}/members?limit=5`);
  expect(r.status === 403 && r.body.code === 50001, 'list members without the GUILD_MEMBERS intent enabled → 50001', r.body);
  await ctl('POST', '/_sim/gateway/config', { privilegedIntents: I.GuildMembers | I.GuildPresences | I.MessageContent });
  a.close(1000);
  b.close(1000);
}
