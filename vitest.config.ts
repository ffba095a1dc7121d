import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Two cores here: CLI tests spawn their own worker threads, so keep vitest's own parallelism modest.
    maxWorkers: 2,
  },
});
