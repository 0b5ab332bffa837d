import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Pothos loads graphql through CommonJS; one copy for tests and schema avoids "another realm" errors.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Gateways started by tests log to stderr; keep CI output to what needs reading.
    env: { LOG_LEVEL: 'warn' },
  },
});
