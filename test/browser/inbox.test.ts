// The staff inbox in real browsers against the real stack: `wrangler dev`
// serves the page and the API, the simulator plays Discord. Two staff pages
// watch the same guild; a member opens a ticket from Discord's side.
import { utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../scripts/local-stack.ts';
import { signStaffToken } from '../../src/features/inbox/token.ts';
import { launchBrowser, runAxe, startStack } from './harness.ts';

const SECRET = 'browser-test-staff-secret';
const shot = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));

interface Demo {
  guildId: string;
  memberIds: string[];
  staffId: string;
  adminId: string;
  supportChannelId: string;
}

let stack: LocalStack | undefined;
let browser: Browser | undefined;
let demo: Demo;

const link = async (userId: string, expInS = 3600) =>
  `${stack!.workerUrl}/inbox/${demo.guildId}#${await signStaffToken(SECRET, { guildId: demo.guildId, userId, exp: Math.floor(Date.now() / 1000) + expInS })}`;

async function page(url: string): Promise<Page> {
  const p = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
  p.setDefaultTimeout(15_000);
  await p.goto(url);
  return p;
}

/** A member opens a ticket in "Discord": the simulator signs and delivers the interaction. */
async function memberOpens(userId: string, subject: string, severity = 'high'): Promise<void> {
  const r = await fetch(`${stack!.sim.url}/_sim/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 2,
      guild_id: demo.guildId,
      channel_id: demo.supportChannelId,
      user_id: userId,
      deliver: true,
      data: {
        name: 'ticket',
        type: 1,
        options: [
          {
            name: 'open',
            type: 1,
            options: [
              { name: 'issue_type', type: 3, value: 'crash' },
              { name: 'severity', type: 3, value: severity },
              { name: 'subject', type: 3, value: subject },
            ],
          },
        ],
      },
    }),
  });
  const body = (await r.json()) as { response: { data: { content: string } } };
  expect(body.response.data.content).toContain('opened');
}

/** A member opens a ticket without a subject: the bot asks with its form, and the member fills subject and description. */
async function memberOpensWithForm(userId: string, subject: string, description: string): Promise<void> {
  const post = async (body: unknown) => {
    const r = await fetch(`${stack!.sim.url}/_sim/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await r.json()) as {
      response: { type: number; data: { content?: string; custom_id?: string; components?: { components: { custom_id: string }[] }[] } };
    };
  };
  const base = { guild_id: demo.guildId, channel_id: demo.supportChannelId, user_id: userId, deliver: true };
  const ask = await post({
    ...base,
    type: 2,
    data: {
      name: 'ticket',
      type: 1,
      options: [
        {
          name: 'open',
          type: 1,
          options: [
            { name: 'issue_type', type: 3, value: 'bug' },
            { name: 'severity', type: 3, value: 'low' },
          ],
        },
      ],
    },
  });
  expect(ask.response.type).toBe(9);
  const [subjectId, descriptionId] = ask.response.data.components!.map((row) => row.components[0]!.custom_id);
  const done = await post({
    ...base,
    type: 5,
    data: {
      custom_id: ask.response.data.custom_id,
      components: [
        { type: 1, components: [{ type: 4, custom_id: subjectId, value: subject }] },
        { type: 1, components: [{ type: 4, custom_id: descriptionId, value: description }] },
      ],
    },
  });
  expect(done.response.data.content).toContain('opened');
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ STAFF_LINK_SECRET: SECRET }), launchBrowser()]);
  demo = stack.sim.demo as unknown as Demo;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 30_000);

describe('staff inbox in a browser', () => {
  it('shows a ticket opened in Discord live, and a claim on one page updates the other', async () => {
    const a = await page(await link(demo.staffId));
    const b = await page(await link(demo.adminId));
    for (const p of [a, b]) await p.locator('#conn.live').waitFor();
    await memberOpens(demo.memberIds[0]!, 'Game crashes at launch', 'critical');
    await memberOpens(demo.memberIds[1]!, 'Cannot buy the season pass', 'medium');
    for (const p of [a, b]) await p.locator('#tickets tbody tr', { hasText: 'Cannot buy the season pass' }).waitFor();
    // Sorted by severity: the critical one first; metrics follow.
    expect(await a.locator('#tickets tbody tr').first().textContent()).toContain('Game crashes at launch');
    await a.locator('#metrics .card', { hasText: 'critical 1' }).waitFor();
    await a.screenshot({ path: shot('inbox.png') });

    await a.locator('#tickets tbody tr', { hasText: 'Game crashes at launch' }).click();
    await a.locator('#t-title', { hasText: 'Game crashes at launch' }).waitFor();
    await a.locator('#conn.live').waitFor();
    await a.click('.actions button[data-act="claim"]');
    await a.locator('#t-meta', { hasText: 'claimed' }).waitFor();
    // Page b never reloaded: the inbox row changed over its socket.
    await b.locator('#tickets tbody tr', { hasText: 'Game crashes at launch' }).locator('td', { hasText: 'claimed' }).waitFor();
    // …and its "By status" card moved with the row, in the same update (not seconds later on a refetch).
    const byStatus = (await b.evaluate(
      `[...document.querySelectorAll('#metrics .card')].find((c) => c.textContent.includes('By status')).textContent`,
    )) as string;
    expect(byStatus).toContain('open 1');
    expect(byStatus).toContain('claimed 1');

    // b opens the same ticket: a sees who else is viewing it.
    await b.locator('#tickets tbody tr', { hasText: 'Game crashes at launch' }).click();
    await b.locator('#t-title', { hasText: 'Game crashes at launch' }).waitFor();
    await a.locator('#viewers b').waitFor();
    // b presses Claim too: the refusal names a's user as a name, not as a raw <@id> mention.
    const aName = (await a.locator('#me').textContent())!.replace('signed in as ', '');
    await b.locator('#t-meta', { hasText: `assignee ${aName}` }).waitFor();
    await b.click('.actions button[data-act="claim"]');
    await b.locator('#banner', { hasText: `already claimed by @${aName}` }).waitFor();
    expect(await b.locator('#banner').textContent()).not.toMatch(/<@!?\d+>/);
    // a hands the ticket to b, who is viewing it.
    const bValue = await a.locator('#assign-to option', { hasText: 'admin' }).getAttribute('value');
    await a.selectOption('#assign-to', bValue!);
    await b.locator('#t-meta', { hasText: 'assignee admin' }).waitFor();
    await a.fill('#text', 'Thanks — we are looking at the crash logs now.');
    await a.click('#write button[value="reply"]');
    await a.locator('#transcript li.staff', { hasText: 'crash logs' }).waitFor();
    await b.locator('#transcript li.staff', { hasText: 'crash logs' }).waitFor();
    await a.fill('#text', 'Probably the new anti-cheat driver.');
    await a.click('#write button[value="note"]');
    await a.locator('#transcript li.note').waitFor();
    await a.screenshot({ path: shot('ticket-view.png') });

    // A change made on one page reaches the other page's ticket view too.
    await a.click('.actions button[data-act="escalated"]');
    await b.locator('#t-meta', { hasText: 'escalated' }).waitFor();
    // Two claims in the trail: a's, and b's refused one.
    await b.locator('#audit li', { hasText: 'inbox claim → ok' }).waitFor();
    await b.locator('#audit li', { hasText: 'inbox claim → refused' }).waitFor();
    await a.close();
    await b.close();
  });

  it('shows the description the member typed in the form, with mentions as names', async () => {
    const member = demo.memberIds[4]!;
    await memberOpensWithForm(member, 'Inventory resets after patch', `Every item is gone after the update. <@${member}> here, on PC.`);
    const p = await page(await link(demo.staffId));
    const row = p.locator('#tickets tbody tr', { hasText: 'Inventory resets after patch' });
    await row.waitFor();
    const opener = (await row.locator('td[data-label="Opener"]').textContent())!;
    // The SLA countdown: the first answer is due (the default targets apply to every new ticket).
    expect(await row.locator('td[data-label="SLA"]').textContent()).toMatch(/^answer in \d+[smhd]/);
    await row.locator('a').click();
    await p.locator('#t-title', { hasText: 'Inventory resets after patch' }).waitFor();
    await p.locator('#t-desc', { hasText: 'Every item is gone after the update.' }).waitFor();
    expect(await p.locator('#t-desc').textContent()).toBe(`Every item is gone after the update. @${opener} here, on PC.`);
    await p.close();
  });

  it('inserts a saved reply into the reply box, sends it with the placeholders filled, and tags the ticket', async () => {
    const sim = async (body: unknown) => {
      const r = await fetch(`${stack!.sim.url}/_sim/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await r.json()) as { response: { type: number; data: { content?: string; custom_id?: string } } };
    };
    const base = { guild_id: demo.guildId, channel_id: demo.supportChannelId, user_id: demo.staffId, deliver: true };
    const form = await sim({
      ...base,
      type: 2,
      data: {
        name: 'tickets',
        type: 1,
        options: [{ name: 'snippet', type: 2, options: [{ name: 'set', type: 1, options: [{ name: 'name', type: 3, value: 'Ask logs' }] }] }],
      },
    });
    expect(form.response.type).toBe(9);
    const saved = await sim({
      ...base,
      type: 5,
      data: {
        custom_id: form.response.data.custom_id,
        components: [{ type: 1, components: [{ type: 4, custom_id: 'content', value: 'Could you send your log file, {user.name}?' }] }],
      },
    });
    expect(saved.response.data.content).toContain('created');
    await memberOpens(demo.memberIds[2]!, 'Lag spikes in ranked', 'medium');
    const p = await page(await link(demo.staffId));
    const row = p.locator('#tickets tbody tr', { hasText: 'Lag spikes in ranked' });
    await row.waitFor();
    const opener = (await row.locator('td[data-label="Opener"]').textContent())!;
    await row.locator('a').click();
    await p.locator('#t-title', { hasText: 'Lag spikes in ranked' }).waitFor();
    await p.selectOption('#snippet', 'Ask logs');
    expect(await p.inputValue('#text')).toBe('Could you send your log file, {user.name}?');
    await p.locator('#write button[value="reply"]').click();
    await p.locator('#transcript li.staff', { hasText: `Could you send your log file, ${opener}?` }).waitFor();
    await p.fill('#tag-new', 'Lag');
    await p.locator('#tags button[type="submit"]').click();
    await p.locator('#t-tags .chip', { hasText: 'lag' }).waitFor();
    await p.locator('#to-inbox').click();
    await p.locator('#tickets tbody tr', { hasText: 'Lag spikes in ranked' }).locator('.chip', { hasText: 'lag' }).waitFor();
    await p.selectOption('#f-tag', 'lag');
    expect(await p.locator('#tickets tbody tr').count()).toBe(1);
    await p.close();
  });

  it('opens a ticket from the keyboard alone', async () => {
    const p = await page(await link(demo.staffId));
    await p.locator('#tickets tbody tr').first().waitFor();
    let inRow = false;
    for (let i = 0; i < 20 && !inRow; i++) {
      await p.keyboard.press('Tab');
      inRow = (await p.evaluate(`Boolean(document.activeElement?.closest('#tickets tbody'))`)) as boolean;
    }
    expect(inRow).toBe(true);
    const subject = (await p.evaluate('document.activeElement.textContent')) as string;
    await p.keyboard.press('Enter');
    await p.locator('#t-title', { hasText: subject }).waitFor();
    expect(new URL(p.url()).pathname).toMatch(/\/tickets\//);
    await p.close();
  });

  it('passes axe (no serious or critical violations) at desktop and phone widths, in dark and light schemes, with no sideways scrolling on a phone', async () => {
    for (const colorScheme of ['dark', 'light'] as const) {
      for (const viewport of [
        { width: 1280, height: 800 },
        { width: 390, height: 844 },
      ]) {
        const ctx: BrowserContext = await browser!.newContext({ viewport, colorScheme });
        const p = await ctx.newPage();
        p.setDefaultTimeout(15_000);
        await p.goto(await link(demo.staffId));
        await p.locator('#conn.live').waitFor();
        await p.locator('#metrics .card').first().waitFor();
        const where = `${colorScheme} ${viewport.width}px`;
        // The page follows the system's scheme: a light background in light, a dark one in dark.
        const bg = (await p.evaluate('getComputedStyle(document.body).backgroundColor')) as string;
        const [r, g, b] = bg.match(/\d+/g)!.map(Number) as [number, number, number];
        expect((r + g + b) / 3, `${where}: body background ${bg}`)[colorScheme === 'light' ? 'toBeGreaterThan' : 'toBeLessThan'](128);
        expect(await runAxe(p), `inbox list, ${where}`).toEqual([]);
        if (viewport.width === 390) {
          expect((await p.evaluate('document.documentElement.scrollWidth')) as number, `inbox list, ${where}`).toBeLessThanOrEqual(390);
          await p.screenshot({ path: shot(`inbox-phone-${colorScheme}.png`) });
        }
        await p.locator('#tickets tbody tr a', { hasText: 'Game crashes at launch' }).click();
        await p.locator('#t-title', { hasText: 'Game crashes at launch' }).waitFor();
        await p.locator('#transcript li').first().waitFor();
        expect(await runAxe(p), `ticket view, ${where}`).toEqual([]);
        if (viewport.width === 390)
          expect((await p.evaluate('document.documentElement.scrollWidth')) as number, `ticket view, ${where}`).toBeLessThanOrEqual(390);
        await ctx.close();
      }
    }
  });

  it('reconnects by itself after the connection drops and catches up on what it missed', async () => {
    const p = await page(await link(demo.staffId));
    await p.locator('#conn.live').waitFor();
    const drops = Number((await p.locator('#conn').getAttribute('data-drops')) ?? 0);
    // A deploy closes every socket: make wrangler dev reload the Worker, as a deploy would.
    const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const now = new Date();
    utimesSync(entry, now, now);
    // The page counts the drop (the "reconnecting…" badge may last only a moment).
    // (A selector, not waitForFunction: the page's Content-Security-Policy forbids the eval that a string predicate needs.)
    await p.locator(`#conn[data-drops]:not([data-drops="${drops}"])`).waitFor({ state: 'attached', timeout: 30_000 });
    await memberOpens(demo.memberIds[3]!, 'Opened while the page was disconnected', 'low');
    await p.locator('#conn.live').waitFor({ timeout: 20_000 });
    await p.locator('#tickets tbody tr', { hasText: 'Opened while the page was disconnected' }).waitFor();
    await p.close();
  });

  it('gives a page with a bad or expired token no data', async () => {
    for (const url of [
      `${stack!.workerUrl}/inbox/${demo.guildId}#not-a-token`,
      await link(demo.staffId, -60),
      await link(demo.memberIds[2]!),
      `${stack!.workerUrl}/inbox/${demo.guildId}`,
    ]) {
      const p = await page(url);
      await p.locator('#denied').waitFor({ state: 'visible' });
      expect(await p.locator('#tickets tbody tr').count()).toBe(0);
      await p.close();
    }
  });
});
