// The dashboard in real Chromium against the real stack (`wrangler dev` and the
// simulator): Login with Discord through the simulator's consent page, the
// server picker and a guild's overview, approving from the review queue by
// click and by keyboard, every page under axe-core in light and dark at phone
// and desktop widths, the pages' protection headers, and logging out.
// GK_SCREENSHOTS=1 also writes docs/dashboard-*.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../scripts/local-stack.ts';
import { setupPage } from '../../src/features/dashboard/pages.ts';
import {
  type Demo,
  demoOf,
  isMember,
  login,
  openPage,
  pageProtectionProblems,
  runAxe,
  screenshot,
  scrollWidth,
  seedApproval,
  slash,
} from './dashboard-harness.ts';
import { launchBrowser, startStack } from './harness.ts';

let stack: LocalStack;
let browser: Browser | undefined;
let demo: Demo;

beforeAll(async () => {
  const [s, b] = await Promise.all([startStack(), launchBrowser()]);
  stack = s;
  browser = b;
  demo = demoOf(stack);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 30_000);

const newPage = (opts: Parameters<typeof openPage>[1] = {}) => openPage(browser!, opts);

const guildUrl = (path = '') => `${stack.workerUrl}/dashboard/guilds/${demo.guildId}${path}`;
/** A member opens a ticket from Discord: it waits in the queue for staff, with a Claim button. */
async function openTicket(memberId: string, subject: string): Promise<void> {
  const opened = await slash(stack, demo, memberId, 'ticket open', [
    { name: 'issue_type', type: 3, value: 'crash' },
    { name: 'severity', type: 3, value: 'high' },
    { name: 'subject', type: 3, value: subject },
  ]);
  expect(opened).toContain('opened');
}

const approvals = (page: Page) => page.locator('#review-list li[data-kind="approval"]');

/** The dashboard's pages, in the order a person meets them (logged in as the demo admin). */
const PAGES = [
  { name: 'picker', path: () => `${stack.workerUrl}/dashboard`, ready: 'ul.guilds.open' },
  { name: 'overview', path: () => guildUrl(), ready: 'dl' },
  { name: 'review', path: () => guildUrl('/review'), ready: '#review-list' },
  { name: 'bots', path: () => guildUrl('/bots'), ready: 'main h1' },
  { name: 'alerts', path: () => guildUrl('/alerts'), ready: 'main form' },
  { name: 'keys', path: () => guildUrl('/keys'), ready: 'main h1' },
  { name: 'settings', path: () => guildUrl('/settings'), ready: 'main h1' },
  { name: 'settings-tickets', path: () => guildUrl('/settings/tickets'), ready: 'main form.settings' },
  { name: 'analytics', path: () => guildUrl('/analytics?range=24h'), ready: '#chart-members canvas' },
  // A server this user cannot manage, and a callback no login started: the message page.
  { name: 'forbidden', path: () => `${stack.workerUrl}/dashboard/guilds/123456789012345678`, ready: 'main h1' },
  { name: 'login-failed', path: () => `${stack.workerUrl}/dashboard/callback?state=forged&code=x`, ready: 'main h1' },
] as const;

describe('the dashboard in a browser', () => {
  it('logs in through Discord’s consent page, lists the server and opens its overview', async () => {
    const { ctx, page } = await newPage();
    await login(page, stack, demo.adminId);
    expect(await page.locator('main header p').first().textContent()).toMatch(/^Signed in as \S/);
    const link = page.locator(`ul.guilds.open a[data-guild="${demo.guildId}"]`);
    expect(await link.textContent()).toBe('Guildkeep Demo');
    await link.click();
    await page.waitForURL(guildUrl());
    expect(await page.locator('main h1').textContent()).toBe('Guildkeep Demo');
    // No ticket is open yet in the demo guild.
    expect(await page.locator('dl dd').first().textContent()).toBe('0');
    for (const href of ['/bots', '/review', '/alerts', '/keys'])
      expect(await page.locator(`ul.links a[href="/dashboard/guilds/${demo.guildId}${href}"]`).count()).toBe(1);
    await ctx.close();
  });

  it('approves a kick waiting in the review queue with a click: the item leaves the queue and the member is kicked', async () => {
    const member = demo.memberIds[0]!;
    await seedApproval(stack, demo, member);
    const { ctx, page } = await newPage();
    await login(page, stack, demo.adminId);
    await page.goto(guildUrl('/review'));
    await expect.poll(() => approvals(page).count()).toBe(1);
    expect(await approvals(page).locator('strong').textContent()).toMatch(/^kick: /);
    expect(await isMember(stack, demo, member)).toBe(true);
    await approvals(page).locator('button[data-action="approve"]').click();
    await expect.poll(() => approvals(page).count()).toBe(0);
    expect(await page.locator('#review-status').textContent()).toBe('');
    await expect.poll(() => isMember(stack, demo, member), { timeout: 15_000 }).toBe(false);
    await ctx.close();
  });

  it('is usable by keyboard alone: Tab reaches the queue’s buttons with a visible focus ring, Space rejects, the focus moves on, Enter claims', async () => {
    const member = demo.memberIds[1]!;
    await seedApproval(stack, demo, member);
    await openTicket(demo.memberIds[3]!, 'Cannot join voice');
    const { ctx, page } = await newPage();
    await login(page, stack, demo.adminId);
    await page.goto(guildUrl('/review'));
    await expect.poll(() => approvals(page).count()).toBe(1);
    const focused = () =>
      page.evaluate(`(document.activeElement && document.activeElement.dataset.action) || document.activeElement.tagName`) as Promise<string>;
    let at = '';
    for (let i = 0; i < 30 && at !== 'reject'; i++) {
      await page.keyboard.press('Tab');
      at = await focused();
    }
    expect(at).toBe('reject');
    // The focus ring is the stylesheet's own, not only the browser's default.
    const ring = (await page.evaluate(
      `(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; })()`,
    )) as string;
    expect(ring).toBe('solid 3px');
    await page.keyboard.press('Space');
    await expect.poll(() => approvals(page).count()).toBe(0);
    expect(await page.locator('#review-status').textContent()).toBe('');
    // Rejected: the member stays.
    expect(await isMember(stack, demo, member)).toBe(true);
    // The list was rebuilt, and the focus went on to the next item's button, not back to the top of the page.
    await expect.poll(focused).toBe('claim');
    await page.keyboard.press('Enter');
    const ticket = page.locator('#review-list li[data-kind="ticket"]', { hasText: 'Cannot join voice' });
    await expect.poll(() => ticket.locator('button').count()).toBe(0);
    expect(await ticket.locator('.meta').textContent()).not.toContain('nobody');
    // Enter follows a link: back to the overview from the header.
    await page.locator('main header a').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(guildUrl());
    await ctx.close();
  });

  it('creates an API key with the keys page’s form on a phone in the dark: the key is shown once, readable, and listed', async () => {
    const { ctx, page } = await newPage({ width: 390, height: 844, colorScheme: 'dark' });
    await login(page, stack, demo.adminId);
    await page.goto(guildUrl('/keys'));
    // Keyboard only: the name field, the scope, then Enter on the button submits the form (a same-origin POST the server checks).
    await page.locator('form[action$="/keys"] input[name="name"]').focus();
    await page.keyboard.type('Stats exporter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('.new-key code').waitFor();
    expect((await page.locator('.new-key code').textContent())!.length).toBeGreaterThan(20);
    expect(await page.locator('table.keys tbody tr', { hasText: 'Stats exporter' }).count()).toBe(1);
    expect(await page.locator('table.keys tbody tr', { hasText: 'Stats exporter' }).locator('td').nth(2).textContent()).toBe('read and change');
    expect(await runAxe(page)).toEqual([]);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await ctx.close();
  });

  it('serves every page with a Content-Security-Policy without inline script, frame-ancestors none, and no inline script in the HTML', async () => {
    const { ctx, page } = await newPage();
    await login(page, stack, demo.adminId);
    const problems: string[] = [];
    for (const p of PAGES) {
      const res = await ctx.request.get(p.path(), { maxRedirects: 0 });
      expect(res.headers()['content-type'], p.name).toContain('text/html');
      for (const x of pageProtectionProblems(res.headers(), await res.text())) problems.push(`${p.name}: ${x}`);
    }
    const setup = setupPage('en', ['SESSION_SECRET'], `${stack.workerUrl}/dashboard/callback`);
    for (const x of pageProtectionProblems(Object.fromEntries(setup.headers), await setup.text())) problems.push(`setup: ${x}`);
    // Logged out, and a guild page without a session: /dashboard starts the login.
    const out = await browser!.newContext();
    const anon = await out.request.get(guildUrl(), { maxRedirects: 0 });
    expect(anon.status()).toBe(302);
    await out.close();
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('changes a setting from its page by keyboard: saved with a new version; a bad value is refused next to its field and changes nothing', async () => {
    const { ctx, page } = await newPage();
    await login(page, stack, demo.adminId);
    await page.goto(guildUrl('/settings'));
    await page.locator('main a[href$="/settings/tickets"]').click();
    await page.waitForURL(guildUrl('/settings/tickets'));
    const field = page.locator('#f-maxOpenPerType');
    const before = await field.inputValue();
    const wanted = before === '3' ? '4' : '3';
    await field.fill(wanted);
    await field.press('Enter');
    await page.locator('p.notice.saved').waitFor();
    expect(await page.locator('p.notice.saved').textContent()).toMatch(/^Saved\. This is version \d+\.$/);
    expect(await page.locator('#f-maxOpenPerType').inputValue()).toBe(wanted);
    // Out of range: 422, the message under the field, what was typed kept, the saved value unchanged.
    await page.locator('#f-maxOpenPerType').fill('99');
    await page.locator('main form.settings button[type="submit"]').press('Enter');
    await page.locator('#e-maxOpenPerType').waitFor();
    expect(await page.locator('#f-maxOpenPerType').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-maxOpenPerType').inputValue()).toBe('99');
    await page.goto(guildUrl('/settings/tickets'));
    expect(await page.locator('#f-maxOpenPerType').inputValue()).toBe(wanted);
    await ctx.close();
  });

  it('passes axe (no serious or critical violations) on every page, light and dark, at 390 px and 1440 px, with no sideways scrolling on a phone', async () => {
    // Something in the queue: a pending kick and a ticket waiting for staff.
    await seedApproval(stack, demo, demo.memberIds[2]!);
    await openTicket(demo.memberIds[4]!, 'Game crashes at launch');
    const failures: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const [width, height] of [
        [1440, 900],
        [390, 844],
      ] as const) {
        const where = `${colorScheme} ${width}px`;
        const { ctx, page } = await newPage({ width, height, colorScheme });
        await login(page, stack, demo.adminId);
        const check = async (name: string) => {
          for (const v of await runAxe(page)) failures.push(`${name}, ${where}: ${v}`);
          const w = await scrollWidth(page);
          if (w > width) failures.push(`${name}, ${where}: scrolls sideways (${w} px wide)`);
          // The page follows the system's scheme: a light background in light, a dark one in dark.
          const bg = (await page.evaluate('getComputedStyle(document.body).backgroundColor')) as string;
          const [r, g, b] = bg.match(/\d+/g)!.map(Number) as [number, number, number];
          if ((r + g + b) / 3 > 128 !== (colorScheme === 'light')) failures.push(`${name}, ${where}: background ${bg}`);
        };
        for (const p of PAGES) {
          await page.goto(p.path());
          await page.locator(p.ready).first().waitFor();
          if (p.name === 'review') await approvals(page).first().waitFor();
          await check(p.name);
          if (colorScheme === 'light' && width === 1440 && !['forbidden', 'login-failed', 'analytics'].includes(p.name))
            await screenshot(page, `dashboard-${p.name}`);
          if (colorScheme === 'dark' && width === 390 && p.name === 'review') await screenshot(page, 'dashboard-review-phone-dark');
        }
        // The page shown while the dashboard's secrets are missing (rendered by the same module, served here by the browser).
        const setup = setupPage('en', ['DISCORD_CLIENT_SECRET', 'SESSION_SECRET'], `${stack.workerUrl}/dashboard/callback`);
        const body = await setup.text();
        await page.route(`${stack.workerUrl}/dashboard/setup-preview`, (route) =>
          route.fulfill({ status: setup.status, headers: Object.fromEntries(setup.headers), body }),
        );
        await page.goto(`${stack.workerUrl}/dashboard/setup-preview`);
        await page.locator('main h1').waitFor();
        await check('setup');
        // Logging out ends this context's session and shows the logged-out page.
        await page.goto(`${stack.workerUrl}/dashboard`);
        await page.locator('form[action="/dashboard/logout"] button').click();
        await page.waitForURL(`${stack.workerUrl}/dashboard/logout`);
        await check('logged-out');
        await ctx.close();
      }
    }
    expect(failures).toEqual([]);
  }, 150_000);

  it('logs out: the session ends, and the guild’s pages send the browser to log in again', async () => {
    const { ctx, page } = await newPage();
    await login(page, stack, demo.adminId);
    await page.goto(guildUrl());
    await page.locator('form[action="/dashboard/logout"] button').click();
    await page.waitForURL(`${stack.workerUrl}/dashboard/logout`);
    expect(await page.locator('main a[href="/dashboard"]').count()).toBe(1);
    expect((await ctx.cookies()).map((c) => c.name)).not.toContain('gk_session');
    await page.goto(guildUrl('/review'));
    await page.waitForURL((u) => u.href.startsWith(stack.sim.url) && u.pathname.endsWith('/oauth2/authorize'));
    await ctx.close();
  });
});
