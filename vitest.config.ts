import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { SIM_TELEGRAM_TOKEN } from './sim/telegram.ts';

export const LOG_WEBHOOK_SECRET = 'test-log-webhook-secret';
export const STAFF_LINK_SECRET = 'test-staff-link-secret';
export const SESSION_SECRET = 'test-session-secret';

/**
 * A Workers Analytics Engine dataset for tests: a service whose writeDataPoint
 * (a JS RPC call the bot does not await, as it does not await the real one)
 * posts the point to the test sink.
 */
const WAE_RECORDER = `import { WorkerEntrypoint } from 'cloudflare:workers';
export class Recorder extends WorkerEntrypoint {
  writeDataPoint(point) {
    this.ctx.waitUntil(fetch(this.env.SINK, { method: 'POST', body: JSON.stringify(point ?? null) }).catch(() => {}));
  }
}
export default { fetch: () => new Response('wae-recorder') };`;

/**
 * Runs files in path order, except: `test/gateway/` first (its tests start the
 * deployment's gateway for the first time and check what a fresh start does;
 * moderation and protection tests start it later for their own guilds), and
 * `zz-*` files (suite-wide checks such as the OpenAPI audit) last.
 */
class LastFilesLast extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const rank = (id: string) => (id.includes('/test/gateway/') ? 0 : id.includes('/zz-') ? 2 : 1);
    return [...files].sort((a, b) => rank(a.moduleId) - rank(b.moduleId) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => {
      const sim = inject('sim');
      const fakeAi = inject('fakeAi');
      return {
        wrangler: { configPath: './wrangler.jsonc' },
        miniflare: {
          // vitest's own runner imports node:inspector; the Worker itself needs no Node APIs.
          compatibilityFlags: ['nodejs_compat'],
          bindings: {
            DISCORD_API_BASE: sim.apiBase,
            DISCORD_APPLICATION_ID: sim.applicationId,
            DISCORD_PUBLIC_KEY: sim.publicKeyHex,
            DISCORD_TOKEN: sim.botToken,
            // The dashboard's Login with Discord, against the simulator's OAuth2 (sim/oauth2.ts).
            DISCORD_CLIENT_SECRET: sim.clientSecret,
            SESSION_SECRET,
            LOG_WEBHOOK_URL: `${inject('sinkUrl')}/log`,
            LOG_WEBHOOK_SECRET,
            STAFF_LINK_SECRET,
            CONFIG_KEY: 'test-config-key-for-panel-secrets',
            ALLOW_HTTP_PANELS: 'true',
            ADMIN_TOKEN: 'test-admin-token',
            // The AI classifier's providers are the local fake (test/setup/fake-ai.ts); guilds turn AI on with /modconfig.
            ANTHROPIC_API_KEY: fakeAi.anthropicKey,
            ANTHROPIC_API_BASE: fakeAi.url,
            OPENAI_API_KEY: fakeAi.openaiKey,
            OPENAI_API_BASE: fakeAi.url,
            AI_TIMEOUT_MS: '2000',
            PUBLIC_URL: 'http://guildkeep.test',
            // Telegram approvals, against the simulator's fake Bot API (sim/telegram.ts).
            TELEGRAM_BOT_TOKEN: SIM_TELEGRAM_TOKEN,
            TELEGRAM_API_BASE: `${sim.url}/telegram`,
          },
          // Analytics Engine drops writes locally; this stand-in dataset posts each data point to the test sink (test/runtime/metrics.test.ts).
          serviceBindings: { METRICS: { name: 'wae-recorder', entrypoint: 'Recorder' } },
          workers: [
            { name: 'wae-recorder', modules: true, script: WAE_RECORDER, bindings: { SINK: `${inject('sinkUrl')}/wae` }, compatibilityDate: '2026-08-01' },
          ],
        },
      };
    }),
  ],
  test: {
    // discord-api-types ships CommonJS with re-exports the runner's CJS shim
    // does not follow; pre-bundling it to ESM with esbuild does.
    deps: { optimizer: { ssr: { enabled: true, include: ['discord-api-types/v10'] } } },
    globalSetup: ['test/setup/global.ts'],
    // Every test starts on the real clock, whatever the one before moved (test/support/clock.ts).
    setupFiles: ['test/support/reset-clock.ts'],
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    fileParallelism: false,
    sequence: { sequencer: LastFilesLast },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
