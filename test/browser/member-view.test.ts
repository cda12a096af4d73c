// The member's view in a real browser against the real stack: the simulator
// serves the page, `wrangler dev` runs the bot, and every click is a signed
// interaction the bot answers for real.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../scripts/local-stack.ts';
import { spawnSimulator } from '../../sim/spawn.ts';
import { COMMANDS } from '../../src/commands.ts';
import { launchBrowser, startStack } from './harness.ts';

const SCREENSHOT = fileURLToPath(new URL('../../docs/member-view.png', import.meta.url));
const SUBJECT = 'Game crashes at launch';
const ADMIN_TOKEN = 'browser-test-admin-token';

interface Demo {
  guildId: string;
  memberIds: string[];
  staffId: string;
  supportChannelId: string;
}

let stack: LocalStack | undefined;
let browser: Browser | undefined;
let page: Page;
let demo: Demo;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ ADMIN_TOKEN }), launchBrowser()]);
  demo = stack.sim.demo as unknown as Demo;
  // The gateway, as npm run dev starts it: member messages reach the bot as MESSAGE_CREATE.
  const started = await fetch(`${stack.workerUrl}/admin/gateway/start`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(started.ok, await started.clone().text()).toBe(true);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 30_000);

const channelButton = (name: string) => page.locator('#channels button.chan', { hasText: name });
const message = (text: string) => page.locator('#messages .msg', { hasText: text });

async function actAs(userId: string): Promise<void> {
  await page.selectOption('#who', userId);
  await page.waitForURL((url) => url.searchParams.get('user') === userId);
}

interface ViewState {
  me: { id: string; name: string; kind: string };
  commands: { name: string }[];
  channel: { id: string };
  channels: { name: string }[];
}

async function stateOf(userId: string): Promise<ViewState> {
  const res = await fetch(`${stack!.sim.url}/member-view/api/state?user=${userId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ViewState;
}

async function runTicketOpen(issueType: string, severity: string, subject?: string): Promise<void> {
  await page.selectOption('#cmd-name', 'ticket');
  await page.selectOption('#cmd-sub', 'open');
  await page.selectOption('#opt-issue_type', issueType);
  await page.selectOption('#opt-severity', severity);
  if (subject !== undefined) await page.fill('#opt-subject', subject);
  await page.click('#cmd-send');
}

describe("member's view", () => {
  it('is served only with --member-view, at / with its API', async () => {
    const state = await stateOf(demo.memberIds[0]);
    expect(state.me).toMatchObject({ id: demo.memberIds[0], kind: 'member' });
    expect(state.channel.id).toBe(demo.supportChannelId);
    // Registered by the bot at start (PUT …/guilds/{id}/commands); a member sees only the commands
    // without default member permissions (/setup, /automod, /warn … are for staff).
    expect(state.commands.map((c) => c.name)).toEqual(COMMANDS.filter((c) => c.default_member_permissions == null && (c.type ?? 1) === 1).map((c) => c.name));
    expect(state.commands.map((c) => c.name)).toEqual(expect.arrayContaining(['ticket', 'invites', 'appeal']));
    expect((await fetch(`${stack!.sim.url}/member-view/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${stack!.sim.url}/member-view/state.ts`)).status).toBe(404);

    // Without --member-view the simulator serves no page, as before.
    const plain = await spawnSimulator();
    try {
      for (const path of ['/', '/member-view/app.js', '/member-view/api/state']) {
        expect((await fetch(plain.info.url + path)).status).toBe(404);
      }
    } finally {
      await plain.stop();
    }
  });

  it('a member opens a ticket, sees the confirmation and the private thread; staff claim it', async () => {
    await page.goto(`${stack!.sim.url}/`);
    const member = (await stateOf(demo.memberIds[0])).me;
    await page.locator('#hint', { hasText: `You are ${member.name} in Guildkeep Demo.` }).waitFor();
    expect(await page.locator('#hint').textContent()).toContain('This page is the local Discord simulator; the bot is running for real.');
    expect(await page.inputValue('#who')).toBe(demo.memberIds[0]);
    await page.locator('#channel-title', { hasText: 'support' }).waitFor();

    // /ticket open issue_type:crash severity:high subject:…
    await runTicketOpen('crash', 'high', SUBJECT);
    // The ephemeral confirmation (the bot edits it with the thread link moments later).
    const confirmation = page
      .locator('#messages .msg.ephemeral', { hasText: 'used /ticket open' })
      .filter({ hasText: /Ticket #1 (opened \(crash, high\)|is ready)/ });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toContain('Only you can see this');

    // The bot creates the private thread in the background; the page shows it by polling.
    const thread = channelButton(`#1 crash: ${SUBJECT}`);
    await thread.waitFor();
    // …and edits the confirmation with a link to it.
    await message('is ready: #').waitFor();
    await thread.click();
    await page.locator('#channel-title', { hasText: `#1 crash: ${SUBJECT}` }).waitFor();
    const control = message('ticket #1 opened');
    await control.waitFor();
    for (const label of ['Claim', 'Escalate', 'Close']) {
      await control.getByRole('button', { name: label, exact: true }).waitFor();
    }
    expect(await control.locator('.embed').textContent()).toContain('Assignee—');

    // Another member does not see this private thread.
    const other = await stateOf(demo.memberIds[1]);
    expect(other.channels.some((c) => c.name.startsWith('#1 '))).toBe(false);

    // Staff press Claim in the same thread.
    await actAs(demo.staffId);
    const staff = (await stateOf(demo.staffId)).me;
    await page.locator('#hint', { hasText: `You are ${staff.name}` }).waitFor();
    await page.locator('#channel-title', { hasText: `#1 crash: ${SUBJECT}` }).waitFor();
    await control.getByRole('button', { name: 'Claim', exact: true }).click();
    const reply = message('You claimed ticket #1.');
    await reply.waitFor();
    expect(await reply.textContent()).toContain('Only you can see this');
    // The bot re-renders the control message through REST: Assignee is the staff member, Claim is disabled.
    await control
      .locator('.field-block', { hasText: 'Assignee' })
      .filter({ hasText: `@${staff.name}` })
      .waitFor();
    await control.getByRole('button', { name: 'Claimed', exact: true }).waitFor();
    expect(await control.getByRole('button', { name: 'Claimed', exact: true }).isDisabled()).toBe(true);

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // The member's own confirmation stays invisible to staff.
    await channelButton('support').click();
    await page.locator('#channel-title', { hasText: 'support' }).waitFor();
    await page.waitForTimeout(300);
    expect(await page.locator('#messages .msg.ephemeral').count()).toBe(0);
  }, 90_000);

  it('/ticket open without a subject asks with a modal, and its submit opens the ticket', async () => {
    await actAs(demo.memberIds[0]);
    await channelButton('support').click();
    await page.locator('#channel-title', { hasText: 'support' }).waitFor();
    await runTicketOpen('bug', 'low');
    const dialog = page.locator('dialog#modal');
    await dialog.waitFor();
    expect(await page.locator('#modal-title').textContent()).toBe('New bug ticket (low)');
    await dialog.getByLabel('Subject').fill('Inventory resets after patch');
    await dialog.getByLabel('What happened?').fill('Every item is gone after the update.');
    await page.click('#modal-submit');
    await dialog.waitFor({ state: 'hidden' });
    const confirmation = page.locator('#messages .msg.ephemeral', { hasText: /Ticket #2 (opened \(bug, low\)|is ready)/ });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toContain('Only you can see this');
    await channelButton('#2 bug: Inventory resets after patch').waitFor();
  }, 60_000);

  it('a member writes plain messages in #general; one with a blocked word is deleted by automod', async () => {
    const d = demo as Demo & { adminId: string; generalChannelId: string };
    // An admin adds a blocked-word rule (as /automod add in Discord).
    const rule = await fetch(`${stack!.sim.url}/_sim/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 2,
        guild_id: d.guildId,
        channel_id: d.generalChannelId,
        user_id: d.adminId,
        deliver: true,
        data: {
          name: 'automod',
          type: 1,
          options: [
            {
              name: 'add',
              type: 1,
              options: [
                { name: 'id', type: 3, value: 'no-spoilers' },
                { name: 'kind', type: 3, value: 'words' },
                { name: 'list', type: 3, value: 'spoiler' },
              ],
            },
          ],
        },
      }),
    });
    expect(((await rule.json()) as { response: { data: { content: string } } }).response.data.content).toMatch(/^Added `no-spoilers`/);

    await actAs(demo.memberIds[1]!);
    await channelButton('general').click();
    await page.locator('#channel-title', { hasText: 'general' }).waitFor();
    const member = (await stateOf(demo.memberIds[1]!)).me;
    // The message box is labelled for who writes where.
    expect(await page.getByLabel(`Message #general as ${member.name}`).count()).toBe(1);

    const post = async (text: string) => {
      await page.fill('#compose-text', text);
      const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/member-view/api/message')), page.click('#compose-send')]);
      const body = (await res.json()) as { ok: boolean; id?: string; error?: string };
      expect(body, text).toMatchObject({ ok: true });
      return body.id!;
    };

    await post('gg everyone, see you tonight');
    await message('gg everyone, see you tonight').waitFor();

    const bad = await post('huge spoiler: the boss is your father');
    // The bot saw it over the gateway and deleted it through REST, as automod does.
    await expect
      .poll(
        async () => {
          const log = (await (await fetch(`${stack!.sim.url}/_sim/guilds/${d.guildId}/modlog?all=1`)).json()) as {
            calls: { method: string; path: string; status: number }[];
          };
          return log.calls.some((c) => c.method === 'DELETE' && c.path.endsWith(`/channels/${d.generalChannelId}/messages/${bad}`) && c.status === 204);
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await page.locator(`#messages .msg[data-message-id="${bad}"]`).waitFor({ state: 'detached' });
    // The ordinary message stays.
    await message('gg everyone, see you tonight').waitFor();
  }, 60_000);
});
