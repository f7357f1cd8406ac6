import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the real renderer build in Debian's Chromium (Playwright)
 * against a real engine over the loopback WebSocket bridge. Each test has its
 * own data dir and port, so files run in parallel. `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
