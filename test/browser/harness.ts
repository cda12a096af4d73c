// Browser tests run in Node: they start the real stack (simulator + `wrangler dev`)
// and drive Debian's Chromium through playwright-core. Chromium is installed
// on first use when missing (apt-get), as CI machines start without it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { freePort, type LocalStack, startLocalStack } from '../../scripts/local-stack.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Colour emoji too, or the bot's status icons render as empty boxes in screenshots. */
const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';

export function ensureChromium(): void {
  if (existsSync(CHROMIUM) && existsSync(EMOJI_FONT)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-color-emoji'], { stdio: 'inherit', env });
}

export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The bot under `wrangler dev` against a fresh simulator, with its own storage; stop() removes everything. */
export async function startStack(extraVars: Record<string, string> = {}, opts: { panel?: boolean } = {}): Promise<LocalStack> {
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-browser-'));
  const stack = await startLocalStack({
    workerPort: await freePort(),
    simPort: await freePort(),
    persistTo,
    quiet: true,
    vars: extraVars,
    memberView: true,
    // The game-panel simulator on any free port (as npm run dev starts it on 8991).
    ...(opts.panel ? { panelPort: 0 } : {}),
  });
  return {
    ...stack,
    stop: async () => {
      await stack.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/** axe-core in the page: the rules it breaks with serious or critical impact, one line each (empty when none). */
export async function runAxe(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, so the page's Content-Security-Policy does not stop it.
  // Page-side code as a string: these files are type-checked without the DOM library.
  await page.evaluate(axe.source);
  const violations = (await page.evaluate(`axe.run(document).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target) + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) })))`)) as {
    id: string;
    impact: string | null;
    nodes: string[];
  }[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`);
}
