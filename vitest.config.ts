import { defineConfig } from 'vitest/config';

// Three projects: fast Node unit tests of the core; the PyTorch bridge tests (test/unit/torch), one file at a
// time, because a 2-rank gloo run under torchrun starved by other test files' CPU work stalled past every
// timeout on 2 cores; and browser end-to-end tests that drive Debian's Chromium through playwright-core
// against a Vite server they start themselves.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/torch/**'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'torch',
          include: ['test/unit/torch/**/*.test.ts'],
          environment: 'node',
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
