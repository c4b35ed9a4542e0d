import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/mta/**', 'test/browser/**'],
          testTimeout: 20_000,
          globalSetup: ['test/hygiene/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'mta',
          include: ['test/mta/**/*.test.ts'],
          testTimeout: 60_000,
          fileParallelism: false,
          globalSetup: ['test/hygiene/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
