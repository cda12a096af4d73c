import { runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/actors.ts';
import { deliver, env, newGuild, originalMessageId, press, type TestGuild } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import {
  autocomplete,
  choices,
  components,
  connect,
  content,
  embed,
  newWorld,
  panel,
  panelLog,
  server,
  serverIn,
  storedText,
  type World,
  worldControl,
} from './support.ts';

afterEach(() => resetClock());

/** A guild with the world's Pterodactyl panel connected by its administrator. */
async function connected(opts: Parameters<typeof newWorld>[0] = {}): Promise<{ g: TestGuild; w: World; panelId: string }> {
  const [g, w] = await Promise.all([newGuild(), newWorld(opts)]);
  const d = await connect(g, { name: 'Main panel', url: w.url, key: w.keys.admin });
  expect(content(d)).toMatch(/Connected \*\*Main panel\*\* with 4 servers/);
  const panels = choices(await deliver({ ...autocomplete(g, g.adminId, 'disconnect', '', 'panel') }));
  return { g, w, panelId: panels[0]!.value };
}

const ref = (panelId: string, w: World, state: string, status: string | null = null) => `${panelId}/${serverIn(w, state, status).identifier}`;

describe('connecting a panel', () => {
  it('tests the connection before saving: a refused key, an unreachable address and a non-panel each get a clear answer and change nothing', async () => {
    const [g, w] = await Promise.all([newGuild(), newWorld()]);
    const wrongKey = await connect(g, { name: 'P', url: w.url, key: 'ptlc_wrongwrongwrongwrongwrongwrongwrongwrongwrong' });
    expect(content(wrongKey)).toMatch(/refused the API key \(HTTP 401\).*Nothing was saved/);
    const unreachable = await connect(g, { name: 'P', url: 'http://127.0.0.1:9', key: w.keys.admin });
    expect(content(unreachable)).toMatch(/cannot be reached.*Nothing was saved/);
    const notPanel = await connect(g, { name: 'P', url: `${w.url}/not-here`, key: w.keys.admin });
    expect(content(notPanel)).toMatch(/did not answer like a panel|does not know this server|Nothing was saved/);
    const badUrl = await connect(g, { name: 'P', url: 'panel.example.com', key: w.keys.admin });
    expect(content(badUrl)).toMatch(/not a web address/);
    const panels = await deliver(server(g, g.adminId, 'server panels'));
    expect(content(panels)).toMatch(/No panel is connected/);
  });

  it('reads every page of a large panel, and lists the servers with their state', async () => {
    const servers = Array.from({ length: 130 }, (_, i) => ({ name: `Server ${String(i + 1).padStart(3, '0')}`, state: i % 2 ? 'running' : 'offline' }));
    const [g, w] = await Promise.all([newGuild(), newWorld({ servers } as Parameters<typeof newWorld>[0])]);
    const d = await connect(g, { name: 'Big panel', url: w.url, key: w.keys.admin });
    expect(content(d)).toMatch(/Connected \*\*Big panel\*\* with 130 servers/);
    const lists = (await panelLog(w)).filter((c) => c.method === 'GET' && /\/api\/client\/?(\?|$)/.test(c.path));
    expect(lists).toHaveLength(2); // 100 per page
    // States the list cannot tell were read, for the first 25 servers, when the panel was connected.
    const typed = choices(await deliver(autocomplete(g, g.adminId, 'status', 'server 01')));
    expect(typed.map((c) => c.name)).toEqual(Array.from({ length: 10 }, (_, i) => `${i % 2 ? '🔴' : '🟢'} Server 01${i}`));
    expect(choices(await deliver(autocomplete(g, g.adminId, 'status', 'server')))).toHaveLength(25);
  });

  it('connects several panels: each listed, servers named with their panel in autocomplete, one disconnected alone', async () => {
    const { g, w } = await connected();
    const w2 = await newWorld();
    expect(content(await connect(g, { name: 'EU panel', url: w2.url, key: w2.keys.admin }))).toMatch(/Connected \*\*EU panel\*\* with 4 servers/);
    const panels = content(await deliver(server(g, g.adminId, 'server panels')));
    expect(panels).toMatch(/• \*\*Main panel\*\* .*4 servers/);
    expect(panels).toMatch(/• \*\*EU panel\*\* .*4 servers/);
    const both = choices(await deliver(autocomplete(g, g.adminId, 'status', 'survival'))).map((c) => c.name);
    expect(both.sort()).toEqual(['🟢 Survival SMP · EU panel', '🟢 Survival SMP · Main panel']);
    const eu = choices(await deliver(autocomplete(g, g.adminId, 'disconnect', 'eu', 'panel')))[0]!.value;
    expect(content(await deliver(server(g, g.adminId, 'server disconnect', { panel: eu })))).toBe('Disconnected **EU panel**; its key is deleted.');
    expect(choices(await deliver(autocomplete(g, g.adminId, 'status', 'survival'))).map((c) => c.name)).toEqual(['🟢 Survival SMP']);
    const left = content(await deliver(server(g, g.adminId, 'server panels')));
    expect(left).toContain(w.url);
    expect(left).not.toContain('EU panel');
  });

  it('says which secret to set when the deployment has no CONFIG_KEY, and stores nothing', async () => {
    const g = await newGuild(2, 1);
    const w = await newWorld();
    // A deployment without the secret: the guild actor's feature configuration, as built from env, without configKey.
    const config = await runInDurableObject(guildActor(env, g.guildId) as never, (o: unknown) => {
      const c = (o as { router: { base: { config: { configKey?: string } } } }).router.base.config;
      delete c.configKey;
      return { configKey: c.configKey ?? null };
    });
    expect(config.configKey).toBeNull();
    const opened = await deliver(server(g, g.adminId, 'server connect', { kind: 'pterodactyl' }));
    expect(content(opened)).toMatch(/wrangler secret put CONFIG_KEY/);
    expect(await panelLog(w)).toEqual([]);
    expect(await storedText(g.guildId)).not.toContain(w.url);
  });

  it('is for administrators only, keeps the key out of every reply, audit row, log and stored value, and disconnect deletes it', async () => {
    const [g, w] = await Promise.all([newGuild(), newWorld()]);
    const logged: string[] = [];
    const orig = { log: console.log, error: console.error, warn: console.warn };
    for (const k of ['log', 'error', 'warn'] as const) console[k] = (...a: unknown[]) => logged.push(a.map(String).join(' '));
    try {
      const member = await deliver(server(g, g.memberIds[0]!, 'server connect', { kind: 'pterodactyl' }));
      expect(content(member)).toMatch(/Only administrators/);
      const d = await connect(g, { name: 'Main', url: w.url, key: w.keys.admin });
      expect(d.text).not.toContain(w.keys.admin);
      const second = await connect(g, { name: 'Second', url: w.url, key: w.keys.readOnly });
      expect(content(second)).toMatch(/Connected \*\*Second\*\*/);
      const list = await deliver(server(g, g.adminId, 'server panels'));
      expect(content(list)).toMatch(/Main.*\n.*Second/);
      expect(list.text).not.toContain(w.keys.admin);
      const audit = await guildActor(env, g.guildId).auditLog(50);
      expect(JSON.stringify(audit)).not.toContain(w.keys.admin);
      expect(JSON.stringify(audit)).toMatch(/panel p[0-9a-f]{8} \\"Main\\"/);
      const stored = await storedText(g.guildId);
      expect(stored).toContain('Main');
      expect(stored).not.toContain(w.keys.admin);
      expect(stored).not.toContain(w.keys.readOnly);
      const panelId = choices(await deliver(autocomplete(g, g.adminId, 'disconnect', 'Main', 'panel')))[0]!.value;
      const gone = await deliver(server(g, g.adminId, 'server disconnect', { panel: panelId }));
      expect(content(gone)).toMatch(/Disconnected \*\*Main\*\*; its key is deleted/);
      expect(await storedText(g.guildId)).not.toMatch(new RegExp(`"${panelId}"`));
    } finally {
      Object.assign(console, orig);
    }
    expect(logged.join('\n')).not.toContain(w.keys.admin);
  });
});

describe('commands', () => {
  it('lists servers and shows a status embed with state, CPU, memory and disk against limits, and uptime', async () => {
    const { g, w, panelId } = await connected();
    const list = await deliver(server(g, g.adminId, 'server list'));
    const fields = embed(list)?.fields ?? [];
    expect(fields[0]?.value).toMatch(/🟢 \*\*Survival SMP\*\*/);
    expect(fields[0]?.value).toMatch(/🛠️ \*\*Rust Weekly Wipe\*\*/);
    const status = await deliver(server(g, g.adminId, 'server status', { server: ref(panelId, w, 'running') }));
    const e = embed(status)!;
    expect(e.title).toBe('🟢 Survival SMP');
    const byName = Object.fromEntries((e.fields ?? []).map((f) => [f.name, f.value]));
    expect(byName.State).toBe('🟢 Running');
    expect(byName.Memory).toMatch(/ of \d+(\.\d)? GiB$/);
    expect(byName.Disk).toMatch(/ of 20 GiB$/);
    expect(byName.CPU).toMatch(/ % of 300 %$/);
    expect(byName.Uptime).toMatch(/hour/);
  });

  it('starts an offline server at once, answers a start on a running one without calling the panel, and holds power to one action per 10 s', async () => {
    const { g, w, panelId } = await connected();
    const running = ref(panelId, w, 'running');
    const offline = ref(panelId, w, 'offline');
    const before = (await panelLog(w)).at(-1)?.seq ?? 0;
    const again = await deliver(server(g, g.adminId, 'server start', { server: running }));
    expect(content(again)).toMatch(/already running/);
    const started = await deliver(server(g, g.adminId, 'server start', { server: offline }));
    expect(content(started)).toBe('Starting **Valheim Dedicated**.');
    const soon = await deliver(server(g, g.adminId, 'server stop', { server: offline }));
    expect(content(soon)).toMatch(/just had a power action\. Try again in \d+ seconds/);
    const power = (await panelLog(w, before)).filter((c) => c.path.endsWith('/power'));
    expect(power.map((c) => c.status)).toEqual([204]);
  });

  it('asks to confirm stop: the first press acts once, a second press does nothing, and the question expires after 60 s', async () => {
    const { g, w, panelId } = await connected();
    const running = ref(panelId, w, 'running');
    const asked = await deliver(server(g, g.adminId, 'server stop', { server: running }));
    expect(content(asked)).toMatch(/Stop \*\*Survival SMP\*\*\? Players on it are disconnected/);
    const [confirm, cancel] = components(asked);
    expect(confirm?.label).toBe('Stop');
    expect(cancel?.label).toBe('Cancel');
    const before = (await panelLog(w)).at(-1)?.seq ?? 0;
    const askedId = await originalMessageId(asked.interaction.id);
    const [first, second] = await Promise.all([
      deliver(press(g, g.adminId, confirm!.custom_id, g.generalChannelId, askedId)),
      deliver(press(g, g.adminId, confirm!.custom_id, g.generalChannelId, askedId)),
    ]);
    const texts = [content(first), content(second)].sort();
    expect(texts).toEqual(['Stopping **Survival SMP**.', 'This was already answered; nothing more was done.'].sort());
    expect((await panelLog(w, before)).filter((c) => c.path.endsWith('/power'))).toHaveLength(1);

    const offline = ref(panelId, w, 'offline');
    await worldControl(w, `/servers/${serverIn(w, 'offline').identifier}`, { power: 'running' });
    const late = await deliver(server(g, g.adminId, 'server restart', { server: offline }));
    advanceClock(61_000);
    const expired = await deliver(press(g, g.adminId, components(late)[0]!.custom_id, g.generalChannelId, await originalMessageId(late.interaction.id)));
    expect(content(expired)).toMatch(/expired after a minute; nothing was done/);
  });

  it('lists the panel’s own schedules and runs one on request; a schedule without tasks is refused by the panel', async () => {
    const { g, w, panelId } = await connected();
    const running = ref(panelId, w, 'running');
    const listed = content(await deliver(server(g, g.adminId, 'server panel-schedule list', { server: running })));
    expect(listed).toMatch(/^\*\*Panel schedules of Survival SMP\*\*/);
    const nightly = /• `(\d+)` Nightly restart: `0 4 \* \* \*`/.exec(listed);
    const empty = /• `(\d+)` Empty schedule: `30 12 \* \* 0` \(inactive\)/.exec(listed);
    expect(nightly && empty).toBeTruthy();
    const before = (await panelLog(w)).at(-1)?.seq ?? 0;
    const ran = await deliver(server(g, g.adminId, 'server panel-schedule run', { server: running, schedule: nightly![1]! }));
    expect(content(ran)).toBe(`The panel runs schedule ${nightly![1]} of **Survival SMP** now.`);
    const calls = (await panelLog(w, before)).filter((c) => c.path.includes('/schedules/'));
    expect(calls.map((c) => [c.method, c.path.replace(/^.*\/schedules\//, ''), c.status])).toEqual([['POST', `${nightly![1]}/execute`, 202]]);
    const refused = await deliver(server(g, g.adminId, 'server panel-schedule run', { server: running, schedule: empty![1]! }));
    expect(content(refused)).toMatch(/the panel did not accept the request/);
  });

  it('keeps kill off until an administrator allows it', async () => {
    const { g, w, panelId } = await connected();
    const running = ref(panelId, w, 'running');
    const off = await deliver(server(g, g.adminId, 'server kill', { server: running }));
    expect(content(off)).toMatch(/Kill is off/);
    const on = await deliver(server(g, g.adminId, 'server settings', { allow_kill: true }));
    expect(content(on)).toMatch(/Kill is allowed/);
    const asked = await deliver(server(g, g.adminId, 'server kill', { server: running }));
    expect(components(asked)[0]?.label).toBe('Kill');
  });

  it('answers busy servers plainly and sends console commands and backups, with the panel’s limits in words', async () => {
    const { g, w, panelId } = await connected();
    const installing = ref(panelId, w, 'offline', 'installing');
    const busy = await deliver(server(g, g.adminId, 'server start', { server: installing }));
    expect(content(busy)).toMatch(/still being installed/);
    const running = ref(panelId, w, 'running');
    const cmd = await deliver(server(g, g.adminId, 'server command', { server: running, command: 'say hello' }));
    expect(content(cmd)).toBe('Sent to the console of **Survival SMP**.');
    const offline = ref(panelId, w, 'offline');
    const notRunning = await deliver(server(g, g.adminId, 'server command', { server: offline, command: 'say hi' }));
    expect(content(notRunning)).toMatch(/Nothing was done to \*\*Valheim Dedicated\*\*: the server is not running/);
    const b1 = await deliver(server(g, g.adminId, 'server backup create', { server: running, name: 'before-update' }));
    expect(content(b1)).toMatch(/Backup “before-update” of \*\*Survival SMP\*\* started/);
    const listed = await deliver(server(g, g.adminId, 'server backup list', { server: running }));
    expect(content(listed)).toMatch(/before-update/);
    const audit = JSON.stringify(await guildActor(env, g.guildId).auditLog(20));
    expect(audit).toMatch(/Main panel\/Survival SMP \([0-9a-f]{8}\): command \\"say hello\\" accepted/);
    expect(audit).toMatch(/backup \\"before-update\\" started/);
  });
});

describe('permissions', () => {
  it('maps roles to capabilities, checked on every command, button and autocomplete', async () => {
    const { g, w, panelId } = await connected();
    const member = g.memberIds[0]!;
    const running = ref(panelId, w, 'running');
    expect(content(await deliver(server(g, member, 'server status', { server: running })))).toMatch(/need the “view” server permission/);
    expect(choices(await deliver(autocomplete(g, member, 'status', '')))).toEqual([]);
    const granted = await deliver(server(g, g.adminId, 'server permissions grant', { role: g.staffRoleId, capability: 'view' }));
    expect(content(granted)).toMatch(/may now use “view”/);
    const staff = g.staffId;
    expect(embed(await deliver(server(g, staff, 'server status', { server: running })))?.title).toBe('🟢 Survival SMP');
    expect(choices(await deliver(autocomplete(g, staff, 'status', 'surv'))).map((c) => c.value)).toEqual([running]);
    expect(content(await deliver(server(g, staff, 'server stop', { server: running })))).toMatch(/need the “power” server permission/);
    const own = await deliver(server(g, staff, 'server permissions grant', { role: g.staffRoleId, capability: 'manage' }));
    expect(content(own)).toMatch(/Only administrators/);
    // A confirmation asked for by an administrator cannot be pressed by someone without power.
    const asked = await deliver(server(g, g.adminId, 'server restart', { server: running }));
    expect(content(await deliver(press(g, staff, components(asked)[0]!.custom_id, g.generalChannelId, await originalMessageId(asked.interaction.id))))).toMatch(
      /need the “power” server permission/,
    );
  });
});

describe('a slow, failing or strict panel', () => {
  it('answers autocomplete from the stored list within the deadline while the panel takes 2 s, and refreshes it in the background', async () => {
    const { g, w } = await connected();
    await worldControl(w, '/latency', { ms: 2000 });
    advanceClock(120_000);
    const started = Date.now();
    const d = await deliver(autocomplete(g, g.adminId, 'status', 'valh'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(choices(d).map((c) => c.name)).toEqual(['🔴 Valheim Dedicated']);
  });

  it('gives up on a panel slower than its timeout in time for Discord, and says so of a server deleted on the panel', async () => {
    const { g, w, panelId } = await connected();
    const running = ref(panelId, w, 'running');
    const offline = ref(panelId, w, 'offline');
    advanceClock(16_000); // past the resource cache filled at connection
    await worldControl(w, '/latency', { ms: 4000 });
    const started = Date.now();
    const slow = await deliver(server(g, g.adminId, 'server status', { server: running }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(content(slow)).toMatch(/did not answer in time/);
    await worldControl(w, '/latency', { ms: 0 });
    const del = await fetch(`${panel.url}/_panel/worlds/${w.id}/servers/${serverIn(w, 'offline').identifier}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const gone = await deliver(server(g, g.adminId, 'server start', { server: offline }));
    expect(content(gone)).toMatch(/does not know this server any more/);
  });

  it('answers /server list within Discord’s deadline while two panels each take 1.8 s', async () => {
    const { g, w } = await connected();
    const w2 = await newWorld();
    await connect(g, { name: 'EU panel', url: w2.url, key: w2.keys.admin });
    await Promise.all([worldControl(w, '/latency', { ms: 1800 }), worldControl(w2, '/latency', { ms: 1800 })]);
    advanceClock(16_000); // the stored lists and states are stale: both panels are asked again
    const started = Date.now();
    const list = await deliver(server(g, g.adminId, 'server list'));
    expect(Date.now() - started).toBeLessThan(3000);
    expect((embed(list)?.fields ?? []).map((f) => f.name).sort()).toEqual(['EU panel', 'Main panel']);
  });

  it('says the panel is unreachable when it is down, and honours 429 without calling again until the wait is over', async () => {
    const { g, w, panelId } = await connected();
    const running = ref(panelId, w, 'running');
    await worldControl(w, '/down', { target: 'panel', mode: 'reset' });
    advanceClock(16_000); // past the 15 s resource cache filled when the panel was connected
    expect(content(await deliver(server(g, g.adminId, 'server status', { server: running })))).toMatch(/cannot be reached right now/);
    await worldControl(w, '/up', { target: 'panel' });
    await worldControl(w, '/rate-limit', { perMinute: 1 });
    const offline = ref(panelId, w, 'offline');
    await deliver(server(g, g.adminId, 'server status', { server: offline }));
    const limited = await deliver(server(g, g.adminId, 'server command', { server: running, command: 'list' }));
    expect(content(limited)).toMatch(/asked us to slow down; try again in \d+ seconds/);
    const before = (await panelLog(w)).at(-1)?.seq ?? 0;
    const held = await deliver(server(g, g.adminId, 'server command', { server: running, command: 'list' }));
    expect(content(held)).toMatch(/slow down/);
    expect(await panelLog(w, before)).toEqual([]);
  });
});
