// Helpers for the dashboard's browser tests (test/browser/dashboard*.test.ts):
// logging in through the simulator's real OAuth2 consent page, making work
// for the review queue through real interactions sent to the running stack,
// and axe-core / layout / header checks of a page. Page-side code is passed
// as strings: these files are type-checked without the DOM library.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LocalStack } from '../../scripts/local-stack.ts';

/** The simulator's demo guild (sim/state.ts DemoGuild), as the stack reports it. */
export interface Demo {
  guildId: string;
  ownerId: string;
  adminId: string;
  staffId: string;
  memberIds: string[];
  supportChannelId: string;
  generalChannelId: string;
}

export const demoOf = (stack: LocalStack): Demo => stack.sim.demo as unknown as Demo;

/** A fresh browser context (its own cookies) at a viewport and colour scheme; 1440 px light unless told. */
export async function openPage(
  browser: Browser,
  opts: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 }, colorScheme: opts.colorScheme ?? 'light' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return { ctx, page };
}

/**
 * Logs `userId` in to the dashboard as a person would: /dashboard sends the
 * browser to the simulator's consent page, where the user is chosen and
 * Authorize pressed; Discord's redirect brings it back to the server picker.
 */
export async function login(page: Page, stack: LocalStack, userId: string): Promise<void> {
  await page.goto(`${stack.workerUrl}/dashboard`);
  await page.waitForURL((u) => u.href.startsWith(stack.sim.url) && u.pathname.endsWith('/oauth2/authorize'));
  await page.selectOption('select[name="user_id"]', userId);
  await page.click('button[name="decision"][value="authorize"]');
  await page.waitForURL((u) => u.href === `${stack.workerUrl}/dashboard`);
  await page.locator('ul.guilds.open, p.none').first().waitFor();
}

type Option = { name: string; type: number; value: string | number | boolean } | { name: string; type: 1; options: Option[] };

/** A slash command sent by the simulator to the running Worker, as Discord would; the bot's answer. */
export async function slash(stack: LocalStack, demo: Demo, userId: string, path: string, options: Option[] = []): Promise<string> {
  const [name, sub] = path.split(' ');
  const r = await fetch(`${stack.sim.url}/_sim/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 2,
      guild_id: demo.guildId,
      channel_id: demo.generalChannelId,
      user_id: userId,
      deliver: true,
      data: { name, type: 1, options: sub ? [{ name: sub, type: 1, options }] : options },
    }),
  });
  const body = (await r.json()) as { response?: { data?: { content?: string } } };
  return body.response?.data?.content ?? JSON.stringify(body);
}

const STRING = 3;
const USER = 6;
const CHANNEL = 7;

let moderationReady = false;

/**
 * A pending moderation approval in the demo guild, made the way a server
 * makes one: the mod queue set up with a ladder whose third warning is a
 * kick (automation never kicks by itself: it waits for a person), then a
 * staff member warns `memberId` three times. The queue shows it as an
 * approval waiting for a decision.
 */
export async function seedApproval(stack: LocalStack, demo: Demo, memberId: string): Promise<void> {
  if (!moderationReady) {
    const saved = await slash(stack, demo, demo.adminId, 'modconfig', [
      { name: 'mod_log', type: CHANNEL, value: demo.supportChannelId },
      { name: 'mod_queue', type: CHANNEL, value: demo.supportChannelId },
      { name: 'appeals', type: CHANNEL, value: demo.supportChannelId },
      { name: 'ladder', type: STRING, value: '2/1h:timeout 5m, 3/1h:kick' },
    ]);
    if (!saved.startsWith('Saved')) throw new Error(`modconfig: ${saved}`);
    moderationReady = true;
  }
  let last = '';
  for (const reason of ['spam', 'more spam', 'still spamming']) {
    last = await slash(stack, demo, demo.staffId, 'warn', [
      { name: 'member', type: USER, value: memberId },
      { name: 'reason', type: STRING, value: reason },
    ]);
  }
  if (!last.includes('waiting in the mod queue')) throw new Error(`the third warning queued no kick: ${last}`);
}

/** Whether `userId` is still a member of the demo guild, in the simulator's own view. */
export async function isMember(stack: LocalStack, demo: Demo, userId: string): Promise<boolean> {
  const r = await fetch(`${stack.sim.url}/_sim/guilds/${demo.guildId}/moderation`);
  const view = (await r.json()) as { members: { user_id: string }[] };
  return view.members.some((m) => m.user_id === userId);
}

/** How wide the page's content is: more than the viewport means sideways scrolling. */
export const scrollWidth = async (page: Page): Promise<number> => (await page.evaluate('document.scrollingElement.scrollWidth')) as number;

/** What is wrong with a dashboard page's protection: its CSP and inline scripts (empty when nothing). */
export function pageProtectionProblems(headers: Record<string, string>, html: string): string[] {
  const problems: string[] = [];
  const csp = headers['content-security-policy'] ?? '';
  const directive = (name: string) =>
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? null;
  const scripts = directive('script-src') ?? directive('default-src');
  if (!csp) problems.push('no Content-Security-Policy');
  else {
    if (!scripts) problems.push('no script-src or default-src');
    else if (/'unsafe-inline'|'unsafe-eval'|\*/.test(scripts)) problems.push(`scripts allowed too widely: ${scripts}`);
    if (directive('frame-ancestors') !== "frame-ancestors 'none'") problems.push(`frame-ancestors: ${directive('frame-ancestors')}`);
  }
  // A <script> element without src is inline code; so is an on… handler attribute.
  for (const s of html.match(/<script(?![^>]*\bsrc=)[^>]*>/gi) ?? []) problems.push(`inline script: ${s}`);
  for (const s of html.match(/<[a-z][^>]*\son[a-z]+\s*=/gi) ?? []) problems.push(`inline handler: ${s}`);
  return problems;
}

/** Screenshots only when asked (GK_SCREENSHOTS=1): a normal test run leaves docs/ alone. */
export const screenshotsWanted = process.env.GK_SCREENSHOTS === '1';

export async function screenshot(page: Page, name: string): Promise<void> {
  if (!screenshotsWanted) return;
  const path = fileURLToPath(new URL(`../../docs/${name}.png`, import.meta.url));
  mkdirSync(fileURLToPath(new URL('../../docs/', import.meta.url)), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}

export { runAxe } from './harness.ts';
