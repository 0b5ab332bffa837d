import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Pothos loads graphql through CommonJS; one copy for tests and schema avoids "another realm" errors.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      // Gateways started by tests log to stderr; keep CI output to what needs reading.
      { extends: true, test: { name: 'newest XNAT', include: ['test/**/*.test.ts'], env: { LOG_LEVEL: 'warn' } } },
      // The gateway's tests again against the emulator playing XNAT 1.7, which decodes URLs
      // otherwise (test/support/stack.ts emulatedRelease).
      {
        extends: true,
        test: { name: 'XNAT 1.7', include: ['test/gateway/**/*.test.ts'], env: { LOG_LEVEL: 'warn', XNAT_TEST_RELEASE: '1.7' } },
      },
    ],
  },
});
