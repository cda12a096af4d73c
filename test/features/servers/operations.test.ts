import { evictDurableObject, runDurableObjectAlarm, SELF } from 'cloudflare:test';
import type { APIMessage } from 'discord-api-types/v10';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { hmacSha256Hex } from '../../../src/features/audit/webhook.ts';
import { CHART_HEIGHT, CHART_WIDTH } from '../../../src/features/servers/rules/chart.ts';
import { t } from '../../../src/i18n/index.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { now } from '../../../src/runtime/clock.ts';
import { deliver, env, eventually, guildSnapshot, newGuild, sim, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { say } from '../moderation/helpers.ts';
import { connect, content, embed, newWorld, panelLog, server, serverIn, type World, worldControl } from './support.ts';

afterEach(() => resetClock());

async function connected(): Promise<{ g: TestGuild; w: World; ref: (state: string, status?: string | null) => string }> {
  const [g, w] = await Promise.all([newGuild(), newWorld()]);
  expect(content(await connect(g, { name: 'Main panel', url: w.url, key: w.keys.admin }))).toMatch(/Connected/);
  const panelId = await panelIdOf(g);
  return { g, w, ref: (state, status = null) => `${panelId}/${serverIn(w, state, status).identifier}` };
}

async function panelIdOf(g: TestGuild): Promise<string> {
  const d = await deliver({
    type: 4,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: g.adminId,
    data: { name: 'server', type: 1, options: [{ name: 'disconnect', type: 1, options: [{ name: 'panel', type: 3, value: '', focused: true }] }] },
  });
  return (d.response as { data: { choices: { value: string }[] } }).data.choices[0]!.value;
}

/** Lets `ms` pass for the guild actor (and the panel world's manual clock), runs its alarm, and waits for the queued work. */
async function pass(g: TestGuild, w: World | null, ms: number): Promise<void> {
  advanceClock(ms);
  if (w) await worldControl(w, '/advance', { ms });
  await runDurableObjectAlarm(guildActor(env, g.guildId) as never);
}

const messagesIn = async (g: TestGuild, channelId: string): Promise<APIMessage[]> => (await guildSnapshot(g.guildId)).messages[channelId] ?? [];

describe('live status displays', () => {
  it('posts a status message, edits it in place (across an actor restart), announces down and up, and stops when the message is deleted', async () => {
    const { g, w, ref } = await connected();
    const running = ref('running');
    const set = await deliver(server(g, g.adminId, 'server display set', { server: running, channel: g.generalChannelId, announce: g.supportChannelId }));
    expect(content(set)).toMatch(/A status message for \*\*Survival SMP\*\* is being posted/);
    const posted = await eventually(
      async () => (await messagesIn(g, g.generalChannelId)).find((m) => m.embeds?.[0]?.title === '🟢 Survival SMP'),
      8000,
      'display posted',
    );
    // The display lives in storage and the guild's scheduler, not in memory: it goes on after the actor is evicted.
    await evictDurableObject(guildActor(env, g.guildId));

    await worldControl(w, `/servers/${serverIn(w, 'running').identifier}`, { power: 'offline' });
    await pass(g, w, 61_000);
    await eventually(
      async () => (await messagesIn(g, g.generalChannelId)).find((m) => m.id === posted.id && m.embeds?.[0]?.title === '🔴 Survival SMP'),
      8000,
      'display edited',
    );
    await eventually(async () => (await messagesIn(g, g.supportChannelId)).find((m) => m.content === '🔴 **Survival SMP** is down.'), 8000, 'down announced');
    expect((await messagesIn(g, g.generalChannelId)).filter((m) => m.embeds?.[0]?.title?.endsWith('Survival SMP'))).toHaveLength(1);

    await worldControl(w, `/servers/${serverIn(w, 'running').identifier}`, { power: 'running' });
    await pass(g, w, 61_000);
    await eventually(async () => (await messagesIn(g, g.supportChannelId)).find((m) => m.content === '🟢 **Survival SMP** is up.'), 8000, 'up announced');

    const del = await fetch(`${sim.apiBase}/channels/${g.generalChannelId}/messages/${posted.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bot ${sim.botToken}` },
    });
    expect(del.status).toBe(204);
    await pass(g, w, 61_000);
    await eventually(async () => !(await guildActor(env, g.guildId).timers()).some((x) => x.key.startsWith('srv-disp:')), 8000, 'display stopped');
    const removed = await deliver(server(g, g.adminId, 'server display remove', { server: running }));
    expect(content(removed)).toMatch(/had no status display/);
  });

  it('backs off while the panel is down, instead of calling it every minute; /server display remove stops it', async () => {
    const { g, w, ref } = await connected();
    await deliver(server(g, g.adminId, 'server display set', { server: ref('running'), channel: g.generalChannelId }));
    await eventually(async () => (await messagesIn(g, g.generalChannelId)).find((m) => m.embeds?.[0]?.title === '🟢 Survival SMP'), 8000, 'display posted');
    await worldControl(w, '/down', { target: 'panel', mode: '503' });
    const due = async () => (await guildActor(env, g.guildId).timers()).find((x) => x.key.startsWith('srv-disp:'))!.at;
    const gaps: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = await due();
      await pass(g, w, before - now() + 1000);
      const after = await eventually(async () => ((await due()) !== before ? due() : null), 8000, 'rescheduled');
      gaps.push(after - before);
    }
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
    await eventually(
      async () => (await messagesIn(g, g.generalChannelId)).find((m) => /the panel has not answered since/.test(m.content)),
      8000,
      'shown unreachable',
    );
    const removed = await deliver(server(g, g.adminId, 'server display remove', { server: ref('running') }));
    expect(content(removed)).toBe('Stopped the status display of **Survival SMP**.');
    expect((await guildActor(env, g.guildId).timers()).some((x) => x.key.startsWith('srv-disp:'))).toBe(false);
  });
});

describe('scheduled operations', () => {
  it('restarts at 04:00 Berlin time on both sides of the daylight-saving change, and runs a missed occurrence once on wake', async () => {
    const { g, w, ref } = await connected();
    advanceClock(Date.parse('2027-03-26T12:00:00Z') - Date.now());
    const added = await deliver(
      server(g, g.adminId, 'server schedule add', {
        server: ref('running'),
        action: 'restart',
        time: '04:00',
        timezone: 'Europe/Berlin',
        channel: g.supportChannelId,
      }),
    );
    expect(content(added)).toContain(`<t:${Date.parse('2027-03-27T03:00:00Z') / 1000}:F>`);
    const timer = async () => (await guildActor(env, g.guildId).timers()).find((x) => x.key.startsWith('srv-sched:'))!.at;
    const restarts = async () => (await panelLog(w)).filter((c) => c.path.endsWith('/power')).length;

    await pass(g, null, Date.parse('2027-03-27T03:00:01Z') - now());
    await eventually(async () => (await restarts()) === 1, 8000, 'first restart');
    expect(await timer()).toBe(Date.parse('2027-03-28T02:00:00Z'));
    await eventually(
      async () => (await messagesIn(g, g.supportChannelId)).find((m) => /Scheduled restart of \*\*Survival SMP\*\*/.test(m.content)),
      8000,
      'announced',
    );

    // Nothing awake for three days: one run on wake, then the next one in the future.
    await pass(g, null, 3 * 86_400_000);
    await eventually(async () => (await restarts()) === 2, 8000, 'one catch-up restart');
    await runDurableObjectAlarm(guildActor(env, g.guildId) as never);
    expect(await restarts()).toBe(2);
    expect(await timer()).toBe(Date.parse('2027-03-31T02:00:00Z'));
    const audit = JSON.stringify(await guildActor(env, g.guildId).auditLog(10));
    expect(audit).toMatch(/server schedule restart/);
  });
});

describe('operations in the reader’s language', () => {
  it('names the scheduled action, its day and the stats period in German', async () => {
    const { g, ref } = await connected();
    const running = ref('running');
    const de = (spec: ReturnType<typeof server>) => deliver({ ...spec, locale: 'de' });
    const added = await de(
      server(g, g.adminId, 'server schedule add', { server: running, action: 'backup', time: '04:30', timezone: 'Europe/Berlin', weekday: 'sun' }),
    );
    expect(content(added)).toMatch(/^Geplante Aktion #(\d+): Backup von \*\*Survival SMP\*\*, als Nächstes am <t:\d+:F> \(<t:\d+:R>\)\.$/);
    await de(server(g, g.adminId, 'server schedule add', { server: running, action: 'restart', time: '05:00' }));
    const list = content(await de(server(g, g.adminId, 'server schedule list'))).split('\n');
    expect(list[0]).toBe('**Geplante Aktionen**');
    expect(list[1]).toMatch(/^• #\d+ Backup von \*\*Survival SMP\*\* um 04:30 Europe\/Berlin \(So\), als Nächstes <t:\d+:R>$/);
    expect(list[2]).toMatch(/^• #\d+ Neustart von \*\*Survival SMP\*\* um 05:00 UTC \(täglich\), als Nächstes <t:\d+:R>$/);
    await deliver(server(g, g.adminId, 'server status', { server: running }));
    const stats = embed(await de(server(g, g.adminId, 'server stats', { server: running, period: '7d' })))!;
    expect(stats.title).toBe('Survival SMP: die letzten 7 Tage');
  });
});

describe('signed event webhooks', () => {
  it('signs each event over its timestamp and body, and retries a delivery the receiver failed', async () => {
    const { g, ref } = await connected();
    const sink = inject('sinkUrl');
    const path = `/fail-once/servers-${g.guildId}`;
    const set = await deliver(server(g, g.adminId, 'server webhook set', { url: `${sink}${path}` }));
    const secret = /`([0-9a-f]{48})`/.exec(content(set))?.[1];
    expect(secret).toBeDefined();
    expect(content(await deliver(server(g, g.adminId, 'server start', { server: ref('offline') })))).toMatch(/Starting/);
    const received = async () =>
      ((await (await fetch(`${sink}/received`)).json()) as { path: string; headers: Record<string, string>; body: string; status: number }[]).filter(
        (r) => r.path === path,
      );
    await eventually(async () => (await received()).length >= 1, 8000, 'first attempt');
    for (let i = 0; i < 5 && (await received()).length < 2; i++) await pass(g, null, 60_000);
    const [first, second] = await eventually(
      async () => {
        const r = await received();
        return r.length >= 2 ? r : null;
      },
      8000,
      'retried',
    );
    expect(first!.status).toBe(500);
    expect(second!.status).toBe(204);
    expect(second!.body).toBe(first!.body);
    const body = JSON.parse(second!.body) as { type: string; action: string; serverName: string; by: string };
    expect(body).toMatchObject({ type: 'server.action', action: 'start', serverName: 'Valheim Dedicated', by: g.adminId });
    const ts = second!.headers['x-guildkeep-timestamp']!;
    expect(second!.headers['x-guildkeep-signature']).toBe(`sha256=${await hmacSha256Hex(secret!, `${ts}.${second!.body}`)}`);
    expect(second!.headers['x-guildkeep-event']).toBe('server.action');
  });
});

describe('the generic HTTP adapter', () => {
  it('drives a PEON-style orchestrator through an admin’s mapping: list, status with players, and power', async () => {
    const [g, w] = await Promise.all([newGuild(), newWorld()]);
    const mapping = {
      auth: { header: 'X-Api-Key' },
      list: { path: '/api/v1/servers', items: '$', id: '{game_uid}.{servername}', name: 'servername', state: 'server_state' },
      status: {
        path: '/api/v1/server/stats/{id}',
        state: 'server_state',
        players: 'players.online',
        cpuPct: 'stats.cpu_percent',
        memoryBytes: 'stats.memory_stats.usage',
        uptimeMs: 'stats.uptime_ms',
      },
      power: {
        start: { method: 'PUT', path: '/api/v1/server/start/{id}' },
        stop: { method: 'PUT', path: '/api/v1/server/stop/{id}' },
        restart: { method: 'PUT', path: '/api/v1/server/restart/{id}' },
      },
      states: { stopped: 'offline', exited: 'offline' },
    };
    const bad = await connect(g, { name: 'Orchestrator', url: w.orchestratorUrl, key: w.keys.orchestrator, mapping: '{"auth":{}}' }, 'http');
    expect(content(bad)).toMatch(/The mapping lacks “auth.header”/);
    const d = await connect(g, { name: 'Orchestrator', url: w.orchestratorUrl, key: w.keys.orchestrator, mapping: JSON.stringify(mapping) }, 'http');
    expect(content(d)).toMatch(new RegExp(`Connected \\*\\*Orchestrator\\*\\* with ${w.orchestratorServers.length} servers`));
    const panelId = await panelIdOf(g);
    const runningUid = w.orchestratorServers.find((s) => s.state === 'running')!.uid;
    const stoppedUid = w.orchestratorServers.find((s) => s.state !== 'running')!.uid;
    const status = embed(await deliver(server(g, g.adminId, 'server status', { server: `${panelId}/${runningUid}` })))!;
    const fields = Object.fromEntries((status.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.State).toBe('🟢 Running');
    expect(fields.Players).toMatch(/^\d+$/);
    expect(content(await deliver(server(g, g.adminId, 'server start', { server: `${panelId}/${stoppedUid}` })))).toMatch(/^Starting/);
    const puts = (await panelLog(w)).filter((c) => c.api === 'orchestrator' && c.method === 'PUT');
    expect(puts.map((c) => c.path)).toEqual([`/api/v1/server/start/${stoppedUid}`]);
  });
});

describe('legacy prefix commands', () => {
  it('answers !start once with the slash command that replaces it, when the guild turned hints on', async () => {
    const { g } = await connected();
    const member = g.memberIds[0]!;
    await say(g, member, '!start survival');
    expect(content(await deliver(server(g, g.adminId, 'server settings', { prefix_hints: true })))).toMatch(/prefix-command hints are on/);
    const first = await say(g, member, '!start survival');
    await say(g, member, '!start survival');
    await say(g, member, 'hello !start');
    const hints = await eventually(
      async () => {
        const m = (await messagesIn(g, g.generalChannelId)).filter((x) => x.content.includes('`/server start`'));
        return m.length ? m : null;
      },
      8000,
      'hint posted',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await messagesIn(g, g.generalChannelId)).filter((x) => x.content.includes('`/server start`'))).toHaveLength(1);
    expect(hints[0]!.content).toBe('`!start` is now `/server start`: type / and pick it from the list.');
    expect(hints[0]!.message_reference?.message_id).toBe(first.id);
  });
});

describe('diagnostics, statistics and languages', () => {
  it('reports permissions, each panel’s reachability and latency, and recent errors, to administrators only', async () => {
    const { g, w } = await connected();
    const member = await deliver({
      type: 2,
      guild_id: g.guildId,
      channel_id: g.generalChannelId,
      user_id: g.memberIds[0]!,
      data: { name: 'diagnostics', type: 1 },
    });
    expect(content(member)).toMatch(/Only administrators/);
    const ok = content(
      await deliver({ type: 2, guild_id: g.guildId, channel_id: g.generalChannelId, user_id: g.adminId, data: { name: 'diagnostics', type: 1 } }),
    );
    expect(ok).toMatch(/Permissions in this channel/);
    expect(ok).toMatch(/(✅|❌) tickets/);
    expect(ok).toMatch(/✅ \*\*Main panel\*\*: reachable, 4 servers, answered in \d+ ms/);
    await worldControl(w, '/down', { target: 'panel', mode: '503' });
    const down = content(
      await deliver({ type: 2, guild_id: g.guildId, channel_id: g.generalChannelId, user_id: g.adminId, data: { name: 'diagnostics', type: 1 } }),
    );
    expect(down).toMatch(/❌ \*\*Main panel\*\*: the panel cannot be reached right now/);
  });

  it('keeps a bounded usage history and shows uptime and averages with /server stats', async () => {
    const { g, ref } = await connected();
    const running = ref('running');
    for (let i = 0; i < 3; i++) {
      await deliver(server(g, g.adminId, 'server status', { server: running }));
      advanceClock(5 * 60_000);
    }
    const stats = embed(await deliver(server(g, g.adminId, 'server stats', { server: running, period: '24h' })))!;
    const fields = Object.fromEntries((stats.fields ?? []).map((f) => [f.name, f.value]));
    expect(stats.title).toBe('Survival SMP: the last 24h');
    expect(fields.Uptime).toBe('100 %');
    expect(fields.Samples).toBe('3');
    expect(fields.CPU).toMatch(/^average [\d.]+ %, highest [\d.]+ %\n`.+`$/);

    // The chart image Discord fetches: a signed address, drawn from the same history; forged or expired names are 404.
    const image = (stats as { image?: { url: string } }).image!.url;
    expect(image).toMatch(/^http:\/\/guildkeep\.test\/charts\/servers\/[\w-]+\.[0-9a-f]{64}\.png$/);
    const png = await SELF.fetch(image);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect(String.fromCharCode(...bytes.subarray(1, 4))).toBe('PNG');
    const ihdr = new DataView(bytes.buffer, bytes.byteOffset);
    expect([ihdr.getUint32(16), ihdr.getUint32(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    const forged = image.replace(/\.([0-9a-f])([0-9a-f]{63})\.png$/, (_m, a: string, rest: string) => `.${a === '0' ? '1' : '0'}${rest}.png`);
    expect((await SELF.fetch(forged)).status).toBe(404);
    advanceClock(8 * 86_400_000);
    expect((await SELF.fetch(image)).status).toBe(404);
  });

  it('answers in the member’s language', async () => {
    const { g, ref } = await connected();
    const d = await deliver({ ...server(g, g.adminId, 'server status', { server: ref('running') }), locale: 'de' });
    const e = embed(d)!;
    expect(e.fields?.[0]).toMatchObject({ name: t('de', 'srv.status.state'), value: `🟢 ${t('de', 'srv.state.running')}` });
    expect(t('de', 'srv.status.state')).not.toBe('State');
  });
});
