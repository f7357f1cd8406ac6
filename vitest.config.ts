import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Child processes a test starts (the CLI, the daemon) trust the loopback fakes' test-only CA.
    env: { NODE_EXTRA_CA_CERTS: fileURLToPath(new URL('./test/integration/fakes/tls/ca.pem', import.meta.url)) },
  },
});
