import { SELF } from 'cloudflare:test';
import { type APIMessage, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsData } from '../../../src/features/analytics/guild-analytics.ts';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { deliver, env, eventually, newGuild, originalMessageId, press, replyText, simApi, type TestGuild } from '../../helpers.ts';
import { BASE, login, registerRedirects, setUserGuilds } from '../dashboard/session-helper.ts';
import { messagesIn } from '../moderation/helpers.ts';
import { command, discord, joins, run, startGateway, stopGateway, tracked } from '../protection/support.ts';

/**
 * Joins per invite, inviter and campaign through the real path (the sim's
 * joins, the gateway, invite attribution, the metric path), and a spike on
 * one invite: one alert through the desk with a Pause button, the pause
 * deleting the invite at the simulated Discord and Resume creating its like.
 */

let g: TestGuild;
let cookie: string;
const CAMPAIGN = '=HYPERLINK("http://evil.example","win")';

interface SimInvite {
  code: string;
  max_age: number;
  max_uses: number;
  temporary: boolean;
  channel: { id: string } | null;
  inviter?: { id: string } | null;
}
const invite = (body: Record<string, unknown>) => simApi<{ code: string }>(`/_sim/guilds/${g.guildId}/invites`, { body });
const invitesAtDiscord = () => discord<SimInvite[]>('GET', `/guilds/${g.guildId}/invites`);
const read = async (): Promise<AnalyticsData> => {
  const a = await guildActor(env, g.guildId).analytics({ op: 'read', range: '1h' });
  if (!a.ok || !('data' in a)) throw new Error(JSON.stringify(a));
  return a.data;
};
const dash = (method: string, path: string, body?: unknown, origin = BASE) =>
  SELF.fetch(`${BASE}/api/dashboard/guilds/${g.guildId}${path}`, {
    method,
    headers: { cookie, origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const spikeAlerts = async () => (await messagesIn(g, g.supportChannelId)).filter((m: APIMessage) => m.author.bot && m.content.includes('**Invite spike**'));

beforeAll(async () => {
  await startGateway();
  g = await newGuild(4, 1);
  expect(replyText(await run(command(g, g.adminId, 'antiraid off')))).toMatch(/^Anti-raid is off/);
  await tracked(g.guildId);
  await registerRedirects();
  await setUserGuilds(g.adminId, [{ id: g.guildId, name: 'Alpha', permissions: String(PermissionFlagsBits.ManageGuild) }]);
  cookie = await login(g.adminId);
  const routed = await guildActor(env, g.guildId).saveAlertRoute({ kind: 'invite-spike', channel: g.supportChannelId }, g.adminId);
  expect(routed?.ok).toBe(true);
}, 60_000);
afterAll(stopGateway);

describe('joins per invite, inviter and campaign', () => {
  it('counts attributed joins for the invite, its inviter and its campaign, and exports them as safe CSV', async () => {
    const [alice] = g.memberIds;
    const inv = await invite({ inviter_id: alice });
    expect(replyText(await run(command(g, g.adminId, 'invites name', { code: inv.code, name: CAMPAIGN })))).toContain(inv.code);
    await joins(g.guildId, { count: 3, via: inv.code });
    const d = await eventually(
      async () => {
        const r = await read();
        return r.invites.find((x) => x.key === inv.code)?.n === 3 ? r : null;
      },
      15_000,
      'three joins attributed',
    );
    expect(d.inviters).toContainEqual({ key: alice, n: 3 });
    expect(d.campaigns).toContainEqual({ key: CAMPAIGN, n: 3 });
    expect(d.totals.join).toBeGreaterThanOrEqual(3);

    const csv = await (await SELF.fetch(`${BASE}/api/dashboard/guilds/${g.guildId}/analytics.csv?table=campaigns&range=1h`, { headers: { cookie } })).text();
    expect(csv).toBe(`campaign,joins\r\n"'=HYPERLINK(""http://evil.example"",""win"")",3\r\n`);
  });
});

describe('an invite spike', () => {
  it('raises one alert with a Pause button, which asks, refuses a member without Manage Server, and pauses', async () => {
    const s = await dash('POST', '/analytics/spike', { floor: 5, factor: 2, windowMin: 5, baselineMin: 60, cooldownMin: 30 });
    expect(s.status).toBe(200);
    expect(await s.json()).toMatchObject({ spike: { floor: 5, factor: 2 } });

    const [, bob] = g.memberIds;
    const inv = await invite({ inviter_id: bob, max_uses: 100, max_age: 86_400, temporary: true });
    await joins(g.guildId, { count: 8, via: inv.code });
    const [alert] = await eventually(
      async () => {
        const a = await spikeAlerts();
        return a.length > 0 ? a : null;
      },
      15_000,
      'the spike alert',
    );
    expect(alert!.content).toContain(`Invite ${inv.code} (by <@${bob}>)`);
    // A second burst within the cooldown raises nothing more.
    await joins(g.guildId, { count: 8, via: inv.code });
    await eventually(async () => (await read()).invites.find((x) => x.key === inv.code)?.n === 16, 15_000, 'second burst counted');
    expect(await spikeAlerts()).toHaveLength(1);

    const row = alert!.components![0] as unknown as { components: { custom_id: string; label: string }[] };
    const button = row.components[0]!;
    expect(button.label).toBe(`Pause invite ${inv.code}`);
    const member = await deliver(press(g, g.memberIds[2]!, button.custom_id, g.supportChannelId, alert!.id));
    expect(replyText(member)).toMatch(/Only members with Manage Server/);
    const ask = await deliver(press(g, g.adminId, button.custom_id, g.supportChannelId, alert!.id));
    expect(replyText(ask)).toMatch(new RegExp(`^Pause invite ${inv.code}\\?`));
    // Asking changes nothing at Discord.
    expect((await invitesAtDiscord()).some((i) => i.code === inv.code)).toBe(true);
    const confirm = (ask.response as { data: { components: { components: { custom_id: string }[] }[] } }).data.components[0]!.components[0]!.custom_id;
    const done = await deliver(press(g, g.adminId, confirm, g.supportChannelId, await originalMessageId(ask.interaction.id)));
    expect(done.response).toMatchObject({ type: 5 });
    await eventually(async () => !(await invitesAtDiscord()).some((i) => i.code === inv.code), 10_000, 'invite deleted at Discord');
    const paused = (await read()).paused.find((p) => p.code === inv.code);
    expect(paused).toMatchObject({ channelId: g.generalChannelId, maxAge: 86_400, maxUses: 100, temporary: true, inviterId: bob, pausedBy: g.adminId });
    const audit = await guildActor(env, g.guildId).auditLog(50);
    expect(audit.some((e) => e.action === 'analytics pause' && e.outcome === 'ok' && e.detail.includes(inv.code))).toBe(true);

    // Resume from the dashboard: a new invite with the same settings, shown to the admin.
    const r = await dash('POST', `/analytics/invites/${inv.code}/resume`);
    expect(r.status).toBe(200);
    const { resumed } = (await r.json()) as { resumed: { oldCode: string; code: string } };
    expect(resumed.oldCode).toBe(inv.code);
    expect(resumed.code).not.toBe(inv.code);
    const made = (await invitesAtDiscord()).find((i) => i.code === resumed.code);
    expect(made).toMatchObject({ max_age: 86_400, max_uses: 100, temporary: true, channel: { id: g.generalChannelId } });
    expect((await read()).paused.some((p) => p.code === inv.code)).toBe(false);
  }, 60_000);

  it('pauses from the dashboard too: same origin only, once, and with a reason in Discord’s audit log', async () => {
    const inv = await invite({ inviter_id: g.memberIds[0], max_uses: 10 });
    const foreign = await dash('POST', `/analytics/invites/${inv.code}/pause`, undefined, 'https://evil.example');
    expect(foreign.status).toBe(403);
    await foreign.body?.cancel();
    const ok = await dash('POST', `/analytics/invites/${inv.code}/pause`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ paused: { code: inv.code, maxUses: 10 } });
    expect((await invitesAtDiscord()).some((i) => i.code === inv.code)).toBe(false);
    const again = await dash('POST', `/analytics/invites/${inv.code}/pause`);
    expect(again.status).toBe(409);
    await again.body?.cancel();
    const log = await simApi<{ calls: { method: string; path: string; auditLogReason?: string }[] }>(`/_sim/guilds/${g.guildId}/modlog?all=1`);
    const del = log.calls.find((c) => c.method === 'DELETE' && c.path.endsWith(`/invites/${inv.code}`));
    expect(del?.auditLogReason).toBe(`Guildkeep: invite ${inv.code} paused after a spike`);
    const unknown = await dash('POST', '/analytics/invites/nosuchcode/pause');
    expect(unknown.status).toBe(404);
    await unknown.body?.cancel();

    // The page's Resume button is a plain form: back to the page, which shows the new code.
    const form = await SELF.fetch(`${BASE}/api/dashboard/guilds/${g.guildId}/analytics/invites/${inv.code}/resume`, {
      method: 'POST',
      headers: { cookie, origin: BASE, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    const back = form.headers.get('location')!;
    const code = /[?&]new=([A-Za-z0-9-]+)/.exec(back)?.[1];
    expect(back).toMatch(new RegExp(`^/dashboard/guilds/${g.guildId}/analytics\\?done=resumed&new=`));
    expect((await invitesAtDiscord()).some((i) => i.code === code)).toBe(true);
    const page = await (await SELF.fetch(`${BASE}${back}`, { headers: { cookie } })).text();
    expect(page).toContain(`Resumed: the new invite is ${code}`);
  });
});
