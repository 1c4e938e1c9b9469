import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    allowOnly: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
