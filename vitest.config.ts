import { defineConfig } from 'vitest/config';

// Three projects, all run by `npm test`:
// - `unit`: pure code beside the sources, in-memory fakes and a fake clock; no engine, no processes.
// - `e2e`: the built `devenv` binary run as a user would, in temporary folders; no engine needed.
// - `integration`: the real Docker engine with the offline image hub; fails loudly without an engine.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // The engine is shared; one file at a time keeps failures readable on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
