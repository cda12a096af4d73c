// Game-server control in the member's view, as `npm run dev` sets it up: the
// panel simulator's demo panel connected to the demo guild through the real
// /server connect form, then an administrator's /server list and /server
// status answered by the bot from the panel.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDemoPanel } from '../../scripts/demo-panel.ts';
import type { LocalStack } from '../../scripts/local-stack.ts';
import { launchBrowser, startStack } from './harness.ts';

const SCREENSHOT = fileURLToPath(new URL('../../docs/server-status.png', import.meta.url));

interface Demo {
  guildId: string;
  adminId: string;
  generalChannelId: string;
}

let stack: LocalStack | undefined;
let browser: Browser | undefined;
let page: Page;
let demo: Demo;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ CONFIG_KEY: 'browser-test-config-key', ALLOW_HTTP_PANELS: 'true' }, { panel: true }), launchBrowser()]);
  demo = stack.sim.demo as unknown as Demo;
  const connected = await connectDemoPanel(stack.sim.url, demo, stack.panel!.demo!);
  expect(connected).toMatch(/^Connected \*\*Demo panel\*\* with 4 servers/);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 30_000);

async function run(sub: string, options: Record<string, string> = {}): Promise<void> {
  await page.selectOption('#cmd-name', 'server');
  await page.selectOption('#cmd-sub', sub);
  for (const [name, value] of Object.entries(options)) await page.fill(`#opt-${name}`, value);
  await page.click('#cmd-send');
}

describe("game servers in the member's view", () => {
  it('an administrator lists the demo panel’s servers and reads one’s status', async () => {
    await page.goto(`${stack!.sim.url}/?user=${demo.adminId}`);
    await page.waitForURL((url) => url.searchParams.get('user') === demo.adminId);
    await page.selectOption('#who', demo.adminId);

    await run('list');
    const list = page.locator('#messages .msg.ephemeral', { hasText: 'used /server list' });
    await list.locator('.embed', { hasText: 'Survival SMP' }).waitFor();
    expect(await list.locator('.embed').textContent()).toMatch(/🟢 Survival SMP/);

    await run('status', { server: 'Survival SMP' });
    const status = page.locator('#messages .msg.ephemeral', { hasText: 'used /server status' });
    const embed = status.locator('.embed', { hasText: 'Survival SMP' });
    await embed.waitFor();
    const text = (await embed.textContent()) ?? '';
    for (const field of ['CPU', 'Memory', 'Disk', 'Uptime']) expect(text).toContain(field);
    expect(text).toMatch(/ of \d+(\.\d+)? GiB/);

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  }, 60_000);
});
