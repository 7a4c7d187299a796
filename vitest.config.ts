import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// The workspace root depends on no graphql itself: resolve the one the packages use (so the
// config loads the same however vitest is started, with or without pnpm's NODE_PATH).
const require = createRequire(new URL('./gateway/package.json', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      // graphql 16 ships a CommonJS and an ES build. Node (and so Apollo, and `pnpm start`)
      // loads the CommonJS one; Vite would give our code the ES one, and two copies of
      // graphql refuse each other's schemas. Tests must load what production loads.
      { find: /^graphql$/, replacement: require.resolve('graphql') },
    ],
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '.data/**'],
    globalSetup: ['test/testkit/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most test files spend their time waiting on servers (the graph they boot, Postgres,
    // Redis, child processes), not on a CPU: on 2 cores, 4 files at a time finish far
    // sooner than vitest's default of one per core but one.
    maxWorkers: 4,
    // Files share their worker's module cache instead of importing the graph (Apollo,
    // Prisma, graphql) afresh each: most of the run's time was imports. Tests keep no
    // state in modules; each boots its own graph and data.
    isolate: false,
    // A spy never outlives its test.
    restoreMocks: true,
    // Integration tests boot real servers; keep their output to failures.
    silent: 'passed-only',
  },
});
