import { defineConfig } from 'vitest/config';

/**
 * Browser tests: plain Node (not workerd), because they start `wrangler dev`
 * with the simulator and drive Debian's Chromium through playwright-core.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
