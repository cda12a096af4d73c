// The dashboard's analytics page in a real browser against the real stack:
// uPlot draws the charts from the page's JSON, the live socket (session
// cookie) carries a join burst from the gateway into the chart and tables,
// and the page passes axe in light and dark at desktop and phone widths.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../scripts/local-stack.ts';
import { screenshot } from './dashboard-harness.ts';
import { launchBrowser, runAxe, startStack } from './harness.ts';

const ADMIN_TOKEN = 'browser-analytics-admin-token';
/** Manage Server: what the dashboard asks of Discord's answer for the user. */
const MANAGE_GUILD = String(1n << 5n);

interface Demo {
  guildId: string;
  adminId: string;
}

let stack: LocalStack | undefined;
let browser: Browser | undefined;
let demo: Demo;
let session: string;

const sim = (path: string, body: unknown, method = 'POST') =>
  fetch(`${stack!.sim.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const cookieValue = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]
    ?.slice(name.length + 1);

/** Login with Discord as a browser would, through the simulator's consent: the session cookie's value. */
async function login(userId: string): Promise<string> {
  const start = await fetch(`${stack!.workerUrl}/dashboard`, { redirect: 'manual' });
  await start.text();
  const loginCookie = cookieValue(start, 'gk_login')!;
  const consent = (await (await sim('/_sim/oauth2/authorize', { url: start.headers.get('location'), user_id: userId, approve: true })).json()) as {
    location: string;
  };
  const back = await fetch(consent.location, { redirect: 'manual', headers: { cookie: `gk_login=${loginCookie}` } });
  await back.text();
  return cookieValue(back, 'gk_session')!;
}

async function open(ctx: BrowserContext): Promise<Page> {
  await ctx.addCookies([{ name: 'gk_session', value: session, url: stack!.workerUrl }]);
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(`${stack!.workerUrl}/dashboard/guilds/${demo.guildId}/analytics?range=1h`);
  await p.locator('#chart-members canvas').waitFor();
  await p.locator('#live-status', { hasText: 'Live' }).waitFor();
  return p;
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ ADMIN_TOKEN }), launchBrowser()]);
  demo = stack.sim.demo as unknown as Demo;
  const started = await fetch(`${stack.workerUrl}/admin/gateway/start`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(started.ok, await started.clone().text()).toBe(true);
  await (await sim('/_sim/oauth2/redirect-uris', { uri: `${stack.workerUrl}/dashboard/callback` })).text();
  await (await sim(`/_sim/oauth2/users/${demo.adminId}/guilds`, { guilds: [{ id: demo.guildId, name: 'Demo', permissions: MANAGE_GUILD }] }, 'PUT')).text();
  session = await login(demo.adminId);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 30_000);

describe('the analytics page', () => {
  it('draws the charts and takes a join burst live into the chart, the totals and the table', async () => {
    const ctx = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await open(ctx);
    const total = async () => Number(await p.locator('[data-total="join"]').textContent());
    const before = await total();
    const sent = Date.now();
    const r = await sim(`/_sim/guilds/${demo.guildId}/joins`, { count: 40 });
    expect(r.ok, await r.text()).toBe(true);
    // Polled from here: the page's CSP refuses evaluated strings (waitForFunction).
    await expect.poll(total, { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(before + 40);
    // From the simulator's answer to the page showing all 40 (gateway, intake, coalesced delta, socket, chart).
    console.log(`analytics live: 40 joins shown ${Date.now() - sent} ms after the burst was sent`);
    const lastRow = Number(await p.locator('#series-table tbody tr:last-child td[data-m="join"]').textContent());
    expect(lastRow).toBeGreaterThanOrEqual(40);
    expect(await total()).toBeGreaterThanOrEqual(before + 40);
    await screenshot(p, 'dashboard-analytics');
    await ctx.close();
  });

  it('is usable by keyboard: the range links and CSV links are reachable with Tab', async () => {
    const ctx = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await open(ctx);
    const reached = new Set<string>();
    for (let i = 0; i < 20; i++) {
      await p.keyboard.press('Tab');
      reached.add((await p.evaluate('document.activeElement?.textContent?.trim() ?? ""')) as string);
    }
    expect([...reached]).toEqual(expect.arrayContaining(['Last 24 hours', 'Download as CSV']));
    await ctx.close();
  });

  it('passes axe at desktop and phone widths, light and dark, with no sideways scrolling on a phone', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const viewport of [
        { width: 1280, height: 900 },
        { width: 390, height: 844 },
      ]) {
        const ctx = await browser!.newContext({ viewport, colorScheme });
        const p = await open(ctx);
        const where = `${colorScheme} ${viewport.width}px`;
        expect(await runAxe(p), where).toEqual([]);
        if (viewport.width === 390) expect((await p.evaluate('document.documentElement.scrollWidth')) as number, where).toBeLessThanOrEqual(390);
        await ctx.close();
      }
    }
  });
});
